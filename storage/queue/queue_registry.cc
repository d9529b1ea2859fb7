#include "storage/queue/queue_registry.h"

#include <mutex>
#include <tuple>
#include <variant>
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
  if (inserted) {
    const std::uint64_t id = next_id_++;
    if (observer_ != nullptr) {
      QueueCreated created{id, key, clock_.now(), attributes, tags, 0, 0};
      it->second = std::make_shared<Queue>(key, std::move(attributes), std::move(tags), clock_,
                                           QueueHooks{observer_, id, created.created, std::nullopt});
      std::tie(created.instance_id, created.secret) = it->second->instance_and_secret();
      observer_->on_change(created);
    } else {
      it->second = std::make_shared<Queue>(key, std::move(attributes), std::move(tags), clock_,
                                           QueueHooks{nullptr, id, std::nullopt, std::nullopt});
    }
    by_id_.emplace(id, it->second);
  }
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
    by_id_.erase(queue->durable_id());
    if (recreate_delay_.count() > 0) {
      const TimePoint now = clock_.now();
      std::erase_if(deleted_at_, [&](const auto& entry) { return entry.second + recreate_delay_ <= now; });
      deleted_at_[key] = now;
    }
    if (observer_ != nullptr) observer_->on_change(QueueDeleted{queue->durable_id()});
  }
  queue->close();  // wakes long polls outside the registry lock
  return Status::ok();
}

void QueueRegistry::set_recreate_delay(std::chrono::seconds delay) {
  std::unique_lock lock(mutex_);
  recreate_delay_ = delay;
  if (delay.count() <= 0) deleted_at_.clear();
}

bool QueueRegistry::deleted_recently(const QueueKey& key) const {
  std::shared_lock lock(mutex_);
  auto it = deleted_at_.find(key);
  return it != deleted_at_.end() && clock_.now() < it->second + recreate_delay_;
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

void QueueRegistry::set_observer(QueueObserver* observer) {
  move_tasks_.set_observer(observer);
  std::unique_lock lock(mutex_);
  observer_ = observer;
  for (const auto& [id, queue] : by_id_) queue->set_observer(observer);
}

void QueueRegistry::apply(const QueueChange& change) {
  auto add = [this](std::uint64_t id, const QueueKey& key, QueueAttributes attributes,
                    std::map<std::string, std::string> tags, TimePoint created, std::uint64_t instance_id,
                    std::uint64_t secret) -> std::shared_ptr<Queue> {
    std::unique_lock lock(mutex_);
    if (by_id_.count(id)) return nullptr;
    if (auto it = queues_.find(key); it != queues_.end()) {  // cannot happen in a log this engine wrote
      by_id_.erase(it->second->durable_id());
      queues_.erase(it);
    }
    auto queue = std::make_shared<Queue>(key, std::move(attributes), std::move(tags), clock_,
                                         QueueHooks{observer_, id, created, std::pair{instance_id, secret}});
    queues_.emplace(key, queue);
    by_id_.emplace(id, queue);
    next_id_ = std::max(next_id_, id + 1);
    return queue;
  };
  auto queue_of = [this](std::uint64_t id) -> std::shared_ptr<Queue> {
    std::shared_lock lock(mutex_);
    const auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  };
  if (const auto* c = std::get_if<QueueCreated>(&change)) {
    bool stale = false;
    {
      std::shared_lock lock(mutex_);
      stale = c->queue < next_id_;
    }
    if (!stale) add(c->queue, c->key, c->attributes, c->tags, c->created, c->instance_id, c->secret);
  } else if (const auto* d = std::get_if<QueueDeleted>(&change)) {
    std::shared_ptr<Queue> queue;
    {
      std::unique_lock lock(mutex_);
      const auto it = by_id_.find(d->queue);
      if (it == by_id_.end()) return;
      queue = it->second;
      by_id_.erase(it);
      queues_.erase(queue->key());
    }
    queue->close();
  } else if (const auto* r = std::get_if<QueueRegistryImage>(&change)) {
    std::unique_lock lock(mutex_);
    next_id_ = std::max(next_id_, r->next_queue);
  } else if (const auto* moved = std::get_if<MessagesMoved>(&change)) {
    // Out of the source, into the destination (either may be gone by now),
    // and the moving task's progress.
    if (moved->from != moved->queue) {
      if (auto source = queue_of(moved->from)) source->apply(change);
    }
    if (auto destination = queue_of(moved->queue)) destination->apply(change);
    move_tasks_.apply(change);
  } else if (std::holds_alternative<MoveTaskSet>(change) || std::holds_alternative<MoveTasksCleared>(change)) {
    move_tasks_.apply(change);
  } else if (const auto* moved_image = std::get_if<MovedMessageImage>(&change)) {
    if (auto queue = queue_of(moved_image->image.queue)) queue->apply(change);
  } else if (const auto* image = std::get_if<QueueImage>(&change)) {
    if (auto queue = add(image->queue, image->key, image->attributes, image->tags, image->created,
                         image->instance_id, image->secret)) {
      queue->apply(change);
    }
  } else {
    const std::uint64_t id = std::visit([](const auto& per_queue) -> std::uint64_t {
      if constexpr (requires { per_queue.queue; }) {
        return per_queue.queue;
      } else {
        return 0;
      }
    }, change);
    if (auto queue = queue_of(id)) queue->apply(change);
  }
}

void QueueRegistry::snapshot(const QueueChangeSink& emit, const std::function<void()>& between) const {
  std::vector<std::shared_ptr<Queue>> queues;
  {
    std::shared_lock lock(mutex_);
    emit(QueueRegistryImage{next_id_});
    for (const auto& [id, queue] : by_id_) queues.push_back(queue);
  }
  if (between) between();
  for (const auto& queue : queues) {
    queue->snapshot(emit);
    if (between) between();
  }
  move_tasks_.snapshot(emit);
  if (between) between();
  // A move that took messages out of a queue read above is logged (after
  // the point the snapshot began, so its record is kept) before we return.
  moves_.wait_for_earlier();
}

std::vector<std::shared_ptr<Queue>> QueueRegistry::all() const {
  std::vector<std::shared_ptr<Queue>> out;
  std::shared_lock lock(mutex_);
  out.reserve(queues_.size());
  for (const auto& [key, queue] : queues_) out.push_back(queue);
  return out;
}

std::size_t QueueRegistry::clear(const std::optional<std::string>& account) {
  // Tasks first, so none moves a message between the queues' removal and
  // their recreation under the same names.
  move_tasks_.clear(account);  // logged, so a restart does not bring them back
  std::vector<QueueKey> keys;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [key, queue] : queues_) {
      if (!account || key.account == *account) keys.push_back(key);
    }
  }
  std::size_t removed = 0;
  for (const auto& key : keys) {
    if (remove(key).is_ok()) ++removed;  // logged and closed like DeleteQueue
  }
  // A reset starts afresh: no deletion before it is waited out.
  std::unique_lock lock(mutex_);
  std::erase_if(deleted_at_, [&](const auto& entry) { return !account || entry.first.account == *account; });
  return removed;
}

std::vector<ReceivedMessage> QueueRegistry::receive(Queue& queue, int max_messages,
                                                    std::optional<std::chrono::seconds> visibility_timeout,
                                                    std::string_view attempt_id) {
  move_tasks_.catch_up();
  const auto target = queue.dead_letter();
  std::shared_ptr<Queue> dlq = target ? find(target->queue) : nullptr;
  if (!dlq) return queue.receive(max_messages, visibility_timeout, attempt_id);
  const auto moving = begin_move();
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
