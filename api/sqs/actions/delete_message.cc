// DeleteMessage / DeleteMessageBatch: delete by receipt handle.
#include "api/sqs/batch.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult delete_message(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  auto handle = string_member(call.input, "ReceiptHandle").value_or("");
  auto status = queue->delete_message(handle);
  if (!status) return ActionResult::fail(from_status(status, handle));
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult delete_message_batch(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  const auto* entries = member(call.input, "Entries");
  if (auto invalid = check_batch(entries, "DeleteMessageBatchRequestEntry")) return ActionResult::fail(*invalid);
  nlohmann::json successful = nlohmann::json::array();
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& entry : *entries) {
    auto id = entry.value("Id", "");
    auto handle = string_member(entry, "ReceiptHandle").value_or("");
    auto status = queue->delete_message(handle);
    if (status) {
      successful.push_back({{"Id", id}});
    } else {
      failed.push_back(batch_failure(id, from_status(status, handle)));
    }
  }
  return ActionResult::ok({{"Successful", std::move(successful)}, {"Failed", std::move(failed)}});
}

}  // namespace shoal::api::sqs
