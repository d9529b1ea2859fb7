// MoveTask: one message move task as ListMessageMoveTasks shows it, and its
// status. Plain values (the move task engine is move_tasks.h; the log records
// them as MoveTaskSet, queue_changes.h). Safe to read from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/clock.h"
#include "storage/queue/queue_key.h"

namespace shoal::storage {

enum class MoveTaskStatus { kRunning, kCompleted, kCancelling, kCancelled, kFailed };

struct MoveTask {
  std::string id;  // a UUID
  QueueKey source;
  std::optional<QueueKey> destination;  // nullopt: each message's dead-letter source
  std::optional<int> max_per_second;    // nullopt: kSystemOptimizedRate
  TimePoint started;
  MoveTaskStatus status = MoveTaskStatus::kRunning;
  std::int64_t moved = 0;
  std::int64_t to_move = 0;    // the source's visible messages at the start
  std::string failure_reason;  // set when kFailed: the destination's error code
};

}  // namespace shoal::storage
