// MoveTasks: message move tasks (StartMessageMoveTask and friends) that move
// a dead-letter queue's messages to a destination queue, or back to each
// message's source queue, at a fixed rate or at kSystemOptimizedRate.
// Progress is lazy and clock-driven: catch_up() moves whatever is due by
// now, so the owner calls it whenever state is observed (every SQS request,
// receives, parked long polls at next_due()); no thread runs tasks.
// Thread-safe: one mutex serialises task state and the moves themselves.
// Lock order: this mutex, then the registry's, then one queue at a time
// (a queue never calls back into MoveTasks). Queue waiters woken by a move
// run with this mutex held, so they must not receive synchronously (the
// server's wakers only post to the session's executor).
// Durability: a task's start and end are logged as MoveTaskSet, its moves
// (with its progress) by the destination queues as MessagesMoved, a reset as
// MoveTasksCleared (queue_changes.h); apply() replays them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/clock.h"
#include "storage/queue/move_task.h"
#include "storage/queue/queue_changes.h"
#include "storage/queue/queue_key.h"
#include "storage/status.h"

namespace shoal::storage {

class QueueRegistry;

struct MoveTaskResult {
  Status status;
  MoveTask task;
};

class MoveTasks {
 public:
  // AWS picks a rate from the backlog when none is given; we move this many
  // messages per second, the first second's worth at once, so a task over an
  // ordinary DLQ (up to 1000 messages) completes within StartMessageMoveTask.
  // With a fixed rate, only the first message moves at once.
  static constexpr int kSystemOptimizedRate = 1000;
  // Finished tasks kept per source (ListMessageMoveTasks shows at most 10).
  static constexpr std::size_t kKeptPerSource = 10;
  // FailureReason when a destination queue does not exist (AWS's error code).
  static constexpr const char* kNonExistentQueue = "AWS.SimpleQueueService.NonExistentQueue";

  MoveTasks(QueueRegistry& queues, const Clock& clock) : queues_(queues), clock_(clock) {}
  MoveTasks(const MoveTasks&) = delete;
  MoveTasks& operator=(const MoveTasks&) = delete;

  // Starts a task (the caller checked that the queues exist and source is a
  // DLQ). kResourceInUse while another task of source is running. The first
  // message moves at once; after that the rate applies.
  MoveTaskResult start(const QueueKey& source, std::optional<QueueKey> destination,
                       std::optional<int> max_per_second);
  // The source's tasks, newest first, at most max, caught up to now.
  std::vector<MoveTask> list(const QueueKey& source, std::size_t max);
  // Stops a running task after catching it up. kNotFound: no task with that
  // id for source; kInvalidArgument: the task is not running.
  MoveTaskResult cancel(const QueueKey& source, const std::string& id);
  // Moves every running task's due messages.
  void catch_up();
  // When the next message of some running task is due; nullopt when none runs.
  std::optional<TimePoint> next_due() const;
  // Forgets every task (whose source is in `account`, when given), running
  // or finished, without moving anything more: a reset's queues may be
  // recreated under the same names and must not inherit old tasks. Logged
  // (MoveTasksCleared), so a restart does not bring them back either.
  void clear(const std::optional<std::string>& account = std::nullopt);

  // ---- durability (QueueRegistry drives these) ----
  // Reports task changes from now on. Call before tasks are shared.
  void set_observer(QueueObserver* observer);
  // Replays MoveTaskSet, MoveTasksCleared, and a MessagesMoved's task
  // progress; other changes are ignored.
  void apply(const QueueChange& change);
  // Emits one MoveTaskSet per task, as one consistent cut.
  void snapshot(const QueueChangeSink& emit) const;

 private:
  void advance(MoveTask& task, TimePoint now);  // under mu_
  // Messages moved at once when the task starts.
  static std::int64_t burst(const MoveTask& task) { return task.max_per_second ? 1 : kSystemOptimizedRate; }
  void finish(MoveTask& task, MoveTaskStatus status, std::string reason = {});
  void note(const MoveTask& task);  // under mu_
  void recount_running();           // under mu_

  QueueRegistry& queues_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::map<QueueKey, std::vector<MoveTask>> tasks_;  // per source, oldest first
  std::atomic<int> running_{0};
  QueueObserver* observer_ = nullptr;  // guarded by mu_
};

}  // namespace shoal::storage
