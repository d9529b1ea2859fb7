// CreateQueue: creates a queue, or returns the existing one's URL when every
// requested attribute matches (else QueueAlreadyExists, naming the attribute).
// A RedrivePolicy must name an existing dead-letter queue that admits it.
#include "api/sqs/queue_address.h"
#include "api/sqs/queue_attributes_codec.h"
#include "api/sqs/redrive_policy.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult create_queue(const SqsCall& call) {
  auto name = string_member(call.input, "QueueName").value_or("");
  const nlohmann::json* attributes = member(call.input, "Attributes");
  static const nlohmann::json kNone = nlohmann::json::object();
  if (attributes == nullptr) attributes = &kNone;

  if (!is_valid_queue_name(name)) {
    return ActionResult::fail(invalid_parameter_value(
        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"));
  }
  storage::QueueAttributes wanted;
  if (auto error = apply_queue_attributes(*attributes, AttributeUse::kCreate, wanted)) {
    return ActionResult::fail(*error);
  }
  if (wanted.fifo != name.ends_with(".fifo")) {
    return ActionResult::fail(invalid_parameter_value(
        "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end "
        "with .fifo suffix and be 1 to 80 in length."));
  }

  std::map<std::string, std::string> tags;
  if (const auto* t = member(call.input, "tags")) {
    for (const auto& [k, v] : t->items()) tags[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }

  storage::QueueKey key{call.ctx.account, call.ctx.region, name};
  if (auto error = check_dead_letter_target(call.queues, key, wanted, requested_redrive_policy(attributes))) {
    return ActionResult::fail(*error);
  }
  // Checked only when no queue holds the name: an existing one is answered as usual.
  if (!call.queues.find(key) && call.queues.deleted_recently(key)) {
    return ActionResult::fail(sqs::error("QueueDeletedRecently",
                                         "You must wait 60 seconds after deleting a queue before you can create "
                                         "another with the same name."));
  }
  auto result = call.queues.create(key, wanted, std::move(tags));
  if (!result.created) {
    if (auto differing = first_differing_attribute(*attributes, result.queue->attributes())) {
      return ActionResult::fail(queue_already_exists(*differing));
    }
  }
  return ActionResult::ok({{"QueueUrl", queue_url(call.ctx, key)}});
}

}  // namespace shoal::api::sqs
