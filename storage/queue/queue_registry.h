// QueueRegistry: every queue of every account and region, by key. Queues are
// shared_ptr so a request that found a queue can finish after it is deleted.
// Thread-safe (a shared mutex guards the map; queues lock themselves).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "storage/clock.h"
#include "storage/queue/queue.h"
#include "storage/status.h"

namespace shoal::storage {

class QueueRegistry {
 public:
  explicit QueueRegistry(const Clock& clock) : clock_(clock) {}

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

  // Every queue of every account and region, by key.
  std::vector<std::shared_ptr<Queue>> all() const;
  // Removes and closes every queue (of one account when given), so parked
  // long polls end; returns how many were removed.
  std::size_t clear(const std::optional<std::string>& account = std::nullopt);

  const Clock& clock() const { return clock_; }

 private:
  const Clock& clock_;
  mutable std::shared_mutex mutex_;
  std::map<QueueKey, std::shared_ptr<Queue>> queues_;
};

}  // namespace shoal::storage
