// QueueRegistry: every queue of every account and region, by key. Queues are
// shared_ptr so a request that found a queue can finish after it is deleted.
// Thread-safe (a shared mutex guards the map; queues lock themselves).
// Dead-letter moves and move tasks cross queues: they take one queue's lock
// at a time, never two (messages are taken out under the source's lock,
// which is released before they are added to the other queue).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/queue/move_tasks.h"
#include "storage/queue/queue.h"
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
  // Queues of one account and region whose name starts with prefix, by name.
  std::vector<std::shared_ptr<Queue>> list(const std::string& account, const std::string& region,
                                           const std::string& prefix) const;

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

 private:
  const Clock& clock_;
  MoveTasks move_tasks_;
  mutable std::shared_mutex mutex_;
  std::map<QueueKey, std::shared_ptr<Queue>> queues_;
};

}  // namespace shoal::storage
