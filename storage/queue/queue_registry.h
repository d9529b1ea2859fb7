// QueueRegistry: every queue of every account and region, by key. Queues are
// shared_ptr so a request that found a queue can finish after it is deleted.
// Thread-safe (a shared mutex guards the map; queues lock themselves).
// Dead-letter moves and move tasks cross queues: they take one queue's lock
// at a time, never two (messages are taken out under the source's lock,
// which is released before they are added to the other queue, and the
// destination logs both sides: MessagesMoved in queue_changes.h).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/queue/move_barrier.h"
#include "storage/queue/move_tasks.h"
#include "storage/queue/queue.h"
#include "storage/queue/queue_changes.h"
#include "storage/status.h"

namespace shoal::storage {

class QueueRegistry {
 public:
  explicit QueueRegistry(const Clock& clock) : clock_(clock), move_tasks_(*this, clock) {}
  QueueRegistry(const QueueRegistry&) = delete;
  QueueRegistry& operator=(const QueueRegistry&) = delete;

  struct CreateResult {
    std::shared_ptr<Queue> queue;
    bool created = false;  // false: a queue with this key already existed
  };
  // Creates the queue, or returns the existing one untouched.
  CreateResult create(const QueueKey& key, QueueAttributes attributes,
                      std::map<std::string, std::string> tags);
  std::shared_ptr<Queue> find(const QueueKey& key) const;
  // Removes and closes the queue; kNotFound when absent.
  Status remove(const QueueKey& key);
  // AWS refuses to create a queue under the name of one deleted less than 60 s
  // before (QueueDeletedRecently). 0 (the default) turns the wait off:
  // fixtures delete and recreate queues all the time. Not kept across
  // restarts; clear() forgets the deletions of the accounts it clears.
  void set_recreate_delay(std::chrono::seconds delay);
  // True while the queue deleted under `key` is within that delay.
  bool deleted_recently(const QueueKey& key) const;
  // Queues of one account and region whose name starts with prefix, by name.
  std::vector<std::shared_ptr<Queue>> list(const std::string& account, const std::string& region,
                                           const std::string& prefix) const;

  // ---- durability (queue_changes.h) ----
  // Reports every change from now on, to this registry's queues too. Call
  // before the registry is shared between threads (after replay).
  void set_observer(QueueObserver* observer);
  // Replays one logged change or snapshot image. Stale ones (a queue created
  // before the snapshot's next id, a version already reached) are skipped.
  void apply(const QueueChange& change);
  // Emits images recreating every queue: a registry image first, then each
  // queue under its own lock, then the move tasks; returns once the moves
  // under way while it read the queues have been logged.
  // `between` (optional) runs after each queue's images, outside every lock:
  // the place to write out what emit gathered.
  void snapshot(const QueueChangeSink& emit, const std::function<void()>& between = {}) const;
  // Every queue of every account and region, by key.
  std::vector<std::shared_ptr<Queue>> all() const;
  // Removes and closes every queue (of one account when given), so parked
  // long polls end, and forgets their message move tasks; returns how many
  // queues were removed.
  std::size_t clear(const std::optional<std::string>& account = std::nullopt);

  const Clock& clock() const { return clock_; }

  // Queue::receive on `queue` after catching up move tasks. When the queue's
  // dead_letter target exists, messages already received maxReceiveCount
  // times move there on this receive (Queue::receive_redriving, then
  // Queue::add_dead_letters). When it does not exist (deleted, or never
  // created) they stay and are delivered, as on AWS.
  std::vector<ReceivedMessage> receive(Queue& queue, int max_messages,
                                       std::optional<std::chrono::seconds> visibility_timeout,
                                       std::string_view attempt_id = {});
  // The queues of dlq's account and region whose dead_letter target is dlq,
  // by name.
  std::vector<std::shared_ptr<Queue>> dead_letter_sources(const QueueKey& dlq) const;
  MoveTasks& move_tasks() { return move_tasks_; }
  // Held by every cross-queue move from the take to the add (see
  // move_barrier.h); snapshot() waits for those under way.
  MoveBarrier::Guard begin_move() { return MoveBarrier::Guard(moves_); }

 private:
  const Clock& clock_;
  mutable MoveBarrier moves_;
  MoveTasks move_tasks_;
  mutable std::shared_mutex mutex_;
  std::map<QueueKey, std::shared_ptr<Queue>> queues_;
  QueueObserver* observer_ = nullptr;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::shared_ptr<Queue>> by_id_;  // same queues as queues_
  std::chrono::seconds recreate_delay_{0};
  std::map<QueueKey, TimePoint> deleted_at_;  // only while recreate_delay_ > 0
};

}  // namespace shoal::storage
