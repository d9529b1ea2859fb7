#include "storage/queue/queue_registry.h"

#include <mutex>
#include <utility>

namespace shoal::storage {

QueueRegistry::CreateResult QueueRegistry::create(const QueueKey& key, QueueAttributes attributes,
                                                  std::map<std::string, std::string> tags) {
  {
    std::shared_lock lock(mutex_);
    if (auto it = queues_.find(key); it != queues_.end()) return {it->second, false};
  }
  std::unique_lock lock(mutex_);
  auto [it, inserted] = queues_.try_emplace(key);
  if (inserted) it->second = std::make_shared<Queue>(key, std::move(attributes), std::move(tags), clock_);
  return {it->second, inserted};
}

std::shared_ptr<Queue> QueueRegistry::find(const QueueKey& key) const {
  std::shared_lock lock(mutex_);
  auto it = queues_.find(key);
  return it == queues_.end() ? nullptr : it->second;
}

Status QueueRegistry::remove(const QueueKey& key) {
  std::shared_ptr<Queue> queue;
  {
    std::unique_lock lock(mutex_);
    auto it = queues_.find(key);
    if (it == queues_.end()) return Status::not_found("queue does not exist");
    queue = std::move(it->second);
    queues_.erase(it);
  }
  queue->close();  // wakes long polls outside the registry lock
  return Status::ok();
}

std::vector<std::shared_ptr<Queue>> QueueRegistry::list(const std::string& account,
                                                        const std::string& region,
                                                        const std::string& prefix) const {
  std::vector<std::shared_ptr<Queue>> out;
  std::shared_lock lock(mutex_);
  // Keys order by (account, region, name): the matches are one contiguous run.
  for (auto it = queues_.lower_bound(QueueKey{account, region, prefix}); it != queues_.end(); ++it) {
    const QueueKey& k = it->first;
    if (k.account != account || k.region != region || !k.name.starts_with(prefix)) break;
    out.push_back(it->second);
  }
  return out;
}

std::vector<std::shared_ptr<Queue>> QueueRegistry::all() const {
  std::vector<std::shared_ptr<Queue>> out;
  std::shared_lock lock(mutex_);
  out.reserve(queues_.size());
  for (const auto& [key, queue] : queues_) out.push_back(queue);
  return out;
}

std::size_t QueueRegistry::clear(const std::optional<std::string>& account) {
  std::vector<std::shared_ptr<Queue>> removed;
  {
    std::unique_lock lock(mutex_);
    for (auto it = queues_.begin(); it != queues_.end();) {
      if (account && it->first.account != *account) {
        ++it;
        continue;
      }
      removed.push_back(std::move(it->second));
      it = queues_.erase(it);
    }
  }
  for (const auto& queue : removed) queue->close();  // outside the lock, as in remove()
  return removed.size();
}

}  // namespace shoal::storage
