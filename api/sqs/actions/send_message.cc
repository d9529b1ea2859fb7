// SendMessage: one message; answers its id and the digests SDKs verify.
#include "api/sqs/message_input.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

nlohmann::json send_and_describe(storage::Queue& queue, storage::NewMessage message) {
  nlohmann::json out = {{"MD5OfMessageBody", message.md5_of_body}};
  if (!message.md5_of_attributes.empty()) out["MD5OfMessageAttributes"] = message.md5_of_attributes;
  if (!message.md5_of_system_attributes.empty()) {
    out["MD5OfMessageSystemAttributes"] = message.md5_of_system_attributes;
  }
  auto outcome = queue.send(std::move(message));
  out["MessageId"] = std::move(outcome.message_id);
  if (!outcome.sequence_number.empty()) out["SequenceNumber"] = std::move(outcome.sequence_number);
  return out;
}

ActionResult send_message(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  auto read = read_new_message(call.input, queue->attributes(), call.ctx, MessageSource::kSingle);
  if (auto* invalid = std::get_if<AwsError>(&read)) return ActionResult::fail(*invalid);
  return ActionResult::ok(send_and_describe(*queue, std::move(std::get<storage::NewMessage>(read))));
}

}  // namespace shoal::api::sqs
