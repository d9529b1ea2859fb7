#include "api/sqs/move_task_codec.h"

#include "api/common/base64.h"
#include "api/sqs/queue_address.h"

namespace shoal::api::sqs {

std::string encode_task_handle(const storage::MoveTask& task) {
  return base64_encode(nlohmann::json{{"taskId", task.id}, {"sourceArn", queue_arn(task.source)}}.dump());
}

std::optional<DecodedTaskHandle> decode_task_handle(std::string_view handle) {
  auto bytes = base64_decode(handle);
  if (!bytes) return std::nullopt;
  auto doc = nlohmann::json::parse(*bytes, nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  auto id = doc.find("taskId");
  auto arn = doc.find("sourceArn");
  if (id == doc.end() || arn == doc.end() || !id->is_string() || !arn->is_string()) return std::nullopt;
  return DecodedTaskHandle{id->get<std::string>(), arn->get<std::string>()};
}

std::string_view move_task_status(storage::MoveTaskStatus status) {
  switch (status) {
    case storage::MoveTaskStatus::kRunning: return "RUNNING";
    case storage::MoveTaskStatus::kCompleted: return "COMPLETED";
    case storage::MoveTaskStatus::kCancelling: return "CANCELLING";
    case storage::MoveTaskStatus::kCancelled: return "CANCELLED";
    case storage::MoveTaskStatus::kFailed: break;
  }
  return "FAILED";
}

nlohmann::json render_move_task(const storage::MoveTask& task) {
  nlohmann::json out = {{"ApproximateNumberOfMessagesMoved", task.moved},
                        {"ApproximateNumberOfMessagesToMove", task.to_move},
                        {"SourceArn", queue_arn(task.source)},
                        {"StartedTimestamp", storage::to_epoch_ms(task.started)},
                        {"Status", move_task_status(task.status)}};
  if (task.destination) out["DestinationArn"] = queue_arn(*task.destination);
  if (task.max_per_second) out["MaxNumberOfMessagesPerSecond"] = *task.max_per_second;
  if (!task.failure_reason.empty()) out["FailureReason"] = task.failure_reason;
  if (task.status == storage::MoveTaskStatus::kRunning) out["TaskHandle"] = encode_task_handle(task);
  return out;
}

}  // namespace shoal::api::sqs
