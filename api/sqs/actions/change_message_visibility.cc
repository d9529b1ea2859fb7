// ChangeMessageVisibility / ChangeMessageVisibilityBatch: a new visibility
// timeout (0-43200 s, counted from now) for an in-flight message.
#include "api/sqs/batch.h"
#include "api/sqs/limits.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

std::optional<AwsError> change_one(storage::Queue& queue, const nlohmann::json& entry) {
  auto handle = string_member(entry, "ReceiptHandle").value_or("");
  auto timeout = int_member(entry, "VisibilityTimeout").value_or(0);
  if (timeout < 0 || timeout > limits::kMaxVisibilityTimeoutSeconds) {
    return invalid_parameter("VisibilityTimeout", std::to_string(timeout),
                             "Must be >= 0 and <= 43200, if provided.");
  }
  auto status = queue.change_visibility(handle, std::chrono::seconds(timeout));
  if (status.code() == storage::Status::Code::kNotFound) {
    return invalid_parameter("ReceiptHandle", handle,
                             "Message does not exist or is not available for visibility timeout change.");
  }
  if (!status) return from_status(status, handle);
  return std::nullopt;
}

}  // namespace

ActionResult change_message_visibility(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  if (auto failure = change_one(*queue, call.input)) return ActionResult::fail(*failure);
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult change_message_visibility_batch(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  const auto* entries = member(call.input, "Entries");
  if (auto invalid = check_batch(entries, "ChangeMessageVisibilityBatchRequestEntry")) {
    return ActionResult::fail(*invalid);
  }
  nlohmann::json successful = nlohmann::json::array();
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& entry : *entries) {
    auto id = entry.value("Id", "");
    if (auto failure = change_one(*queue, entry)) {
      failed.push_back(batch_failure(id, *failure));
    } else {
      successful.push_back({{"Id", id}});
    }
  }
  return ActionResult::ok({{"Successful", std::move(successful)}, {"Failed", std::move(failed)}});
}

}  // namespace shoal::api::sqs
