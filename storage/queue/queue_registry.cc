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

std::vector<ReceivedMessage> QueueRegistry::receive(Queue& queue, int max_messages,
                                                    std::optional<std::chrono::seconds> visibility_timeout,
                                                    std::string_view attempt_id) {
  move_tasks_.catch_up();
  const auto target = queue.dead_letter();
  std::shared_ptr<Queue> dlq = target ? find(target->queue) : nullptr;
  if (!dlq) return queue.receive(max_messages, visibility_timeout, attempt_id);
  auto out = queue.receive_redriving(max_messages, visibility_timeout, target->max_receive_count, attempt_id);
  if (!out.dead_letters.empty()) dlq->add_dead_letters(std::move(out.dead_letters), queue.key());
  return std::move(out.messages);
}

std::vector<std::shared_ptr<Queue>> QueueRegistry::dead_letter_sources(const QueueKey& dlq) const {
  std::vector<std::shared_ptr<Queue>> out;
  for (auto& queue : list(dlq.account, dlq.region, "")) {
    const auto target = queue->dead_letter();
    if (target && target->queue == dlq) out.push_back(std::move(queue));
  }
  return out;
}

}  // namespace shoal::storage
