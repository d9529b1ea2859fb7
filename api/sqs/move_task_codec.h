// Message move tasks on the wire: the opaque TaskHandle (base64 of
// {"taskId":"<uuid>","sourceArn":"<arn>"}, the form AWS hands out) and a
// task rendered as a ListMessageMoveTasks result entry. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "storage/queue/move_tasks.h"

namespace shoal::api::sqs {

struct DecodedTaskHandle {
  std::string task_id;
  std::string source_arn;
};

std::string encode_task_handle(const storage::MoveTask& task);
// nullopt when the text is not a handle of that form.
std::optional<DecodedTaskHandle> decode_task_handle(std::string_view handle);

// RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED.
std::string_view move_task_status(storage::MoveTaskStatus status);
// TaskHandle only while running; DestinationArn, MaxNumberOfMessagesPerSecond
// and FailureReason only when set, as AWS answers.
nlohmann::json render_move_task(const storage::MoveTask& task);

}  // namespace shoal::api::sqs
