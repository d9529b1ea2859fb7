#include "storage/queue/move_tasks.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "storage/queue/queue_registry.h"
#include "storage/random.h"

namespace shoal::storage {

MoveTaskResult MoveTasks::start(const QueueKey& source, std::optional<QueueKey> destination,
                                std::optional<int> max_per_second) {
  auto queue = queues_.find(source);
  if (!queue) return {Status::not_found("source queue does not exist"), {}};
  std::lock_guard lock(mu_);
  auto& tasks = tasks_[source];
  for (const auto& t : tasks) {
    if (t.status == MoveTaskStatus::kRunning) return {Status::resource_in_use("a task is running"), t};
  }
  const TimePoint now = clock_.now();
  MoveTask task;
  task.id = random_uuid();
  task.source = source;
  task.destination = std::move(destination);
  task.max_per_second = max_per_second;
  task.started = now;
  task.to_move = queue->counts().visible;
  tasks.push_back(std::move(task));
  ++running_;
  // Keep the newest kKeptPerSource; only finished tasks can be that old.
  if (tasks.size() > kKeptPerSource) tasks.erase(tasks.begin(), tasks.end() - kKeptPerSource);
  MoveTask& started = tasks.back();
  note(started);  // before its first moves, which replay counts against it
  advance(started, now);
  return {Status::ok(), started};
}

std::vector<MoveTask> MoveTasks::list(const QueueKey& source, std::size_t max) {
  std::lock_guard lock(mu_);
  std::vector<MoveTask> out;
  auto it = tasks_.find(source);
  if (it == tasks_.end()) return out;
  const TimePoint now = clock_.now();
  for (auto t = it->second.rbegin(); t != it->second.rend() && out.size() < max; ++t) {
    advance(*t, now);
    out.push_back(*t);
  }
  return out;
}

MoveTaskResult MoveTasks::cancel(const QueueKey& source, const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = tasks_.find(source);
  if (it != tasks_.end()) {
    for (auto& t : it->second) {
      if (t.id != id) continue;
      advance(t, clock_.now());
      if (t.status != MoveTaskStatus::kRunning) return {Status::invalid_argument("task is not running"), t};
      finish(t, MoveTaskStatus::kCancelled);
      return {Status::ok(), t};
    }
  }
  return {Status::not_found("task does not exist"), {}};
}

void MoveTasks::catch_up() {
  if (running_.load() == 0) return;
  std::lock_guard lock(mu_);
  const TimePoint now = clock_.now();
  for (auto& [source, tasks] : tasks_) {
    for (auto& t : tasks) advance(t, now);
  }
}

std::optional<TimePoint> MoveTasks::next_due() const {
  if (running_.load() == 0) return std::nullopt;
  std::lock_guard lock(mu_);
  std::optional<TimePoint> out;
  for (const auto& [source, tasks] : tasks_) {
    for (const auto& t : tasks) {
      if (t.status != MoveTaskStatus::kRunning) continue;
      const std::int64_t rate = t.max_per_second.value_or(kSystemOptimizedRate);
      // advance() allows floor(elapsed_ms * rate / 1000) + burst messages, so
      // message number moved + 1 is due once
      // elapsed_ms >= (moved + 1 - burst) * 1000 / rate.
      const std::int64_t ahead = std::max<std::int64_t>(t.moved + 1 - burst(t), 0);
      const std::int64_t due_ms = (ahead * 1000 + rate - 1) / rate;
      const TimePoint due = t.started + std::chrono::milliseconds(due_ms);
      if (!out || due < *out) out = due;
    }
  }
  return out;
}

void MoveTasks::finish(MoveTask& task, MoveTaskStatus status, std::string reason) {
  if (task.status == MoveTaskStatus::kRunning) --running_;
  task.status = status;
  task.failure_reason = std::move(reason);
  note(task);
}

void MoveTasks::note(const MoveTask& task) {
  if (observer_ != nullptr) observer_->on_change(MoveTaskSet{task});
}

void MoveTasks::recount_running() {
  int running = 0;
  for (const auto& [source, tasks] : tasks_) {
    for (const auto& t : tasks) running += t.status == MoveTaskStatus::kRunning;
  }
  running_ = running;
}

void MoveTasks::clear(const std::optional<std::string>& account) {
  std::lock_guard lock(mu_);
  bool removed = false;
  std::erase_if(tasks_, [&](const auto& entry) {
    if (account && entry.first.account != *account) return false;
    removed = true;
    return true;
  });
  recount_running();
  if (observer_ != nullptr && removed) observer_->on_change(MoveTasksCleared{account});
}

void MoveTasks::set_observer(QueueObserver* observer) {
  std::lock_guard lock(mu_);
  observer_ = observer;
}

void MoveTasks::apply(const QueueChange& change) {
  std::lock_guard lock(mu_);
  if (const auto* set = std::get_if<MoveTaskSet>(&change)) {
    const MoveTask& logged = set->task;
    auto& tasks = tasks_[logged.source];
    auto it = std::find_if(tasks.begin(), tasks.end(), [&](const MoveTask& t) { return t.id == logged.id; });
    if (it == tasks.end()) {
      tasks.push_back(logged);
      if (tasks.size() > kKeptPerSource) tasks.erase(tasks.begin(), tasks.end() - kKeptPerSource);
    } else {
      // A log suffix replayed over a snapshot may hold older states of the
      // task: moved only grows and a finished task stays finished.
      const std::int64_t moved = std::max(it->moved, logged.moved);
      if (it->status == MoveTaskStatus::kRunning || logged.status != MoveTaskStatus::kRunning) *it = logged;
      it->moved = moved;
    }
  } else if (const auto* moved = std::get_if<MessagesMoved>(&change)) {
    if (moved->task_id.empty()) return;
    for (auto& [source, tasks] : tasks_) {
      for (auto& t : tasks) {
        if (t.id == moved->task_id) t.moved = std::max(t.moved, moved->task_moved);
      }
    }
  } else if (const auto* cleared = std::get_if<MoveTasksCleared>(&change)) {
    std::erase_if(tasks_, [&](const auto& entry) {
      return !cleared->account || entry.first.account == *cleared->account;
    });
  }
  recount_running();
}

void MoveTasks::snapshot(const QueueChangeSink& emit) const {
  std::lock_guard lock(mu_);
  for (const auto& [source, tasks] : tasks_) {
    for (const auto& t : tasks) emit(MoveTaskSet{t});
  }
}

void MoveTasks::advance(MoveTask& task, TimePoint now) {
  if (task.status != MoveTaskStatus::kRunning) return;
  const std::int64_t rate = task.max_per_second.value_or(kSystemOptimizedRate);
  const std::int64_t elapsed_ms = std::max<std::int64_t>((now - task.started).count(), 0);
  const std::int64_t allowed = std::min(task.to_move, elapsed_ms * rate / 1000 + burst(task));
  if (task.moved >= task.to_move) {
    finish(task, MoveTaskStatus::kCompleted);
    return;
  }
  const std::int64_t due = allowed - task.moved;
  if (due <= 0) return;

  auto source = queues_.find(task.source);
  if (!source) {
    finish(task, MoveTaskStatus::kFailed, kNonExistentQueue);
    return;
  }
  std::shared_ptr<Queue> destination;
  if (task.destination) {
    destination = queues_.find(*task.destination);
    if (!destination) {
      finish(task, MoveTaskStatus::kFailed, kNonExistentQueue);
      return;
    }
  }
  const auto moving = queues_.begin_move();
  auto messages = source->take_for_move(static_cast<std::size_t>(due));
  const auto taken = static_cast<std::int64_t>(messages.size());
  bool lost_destination = false;
  if (destination) {
    task.moved += taken;
    const MoveTaskStep step{task.id, task.moved};
    destination->add_redriven(std::move(messages), &step);
  } else {
    // Back to each message's own source queue, in runs of one source. A
    // message whose source is gone (or that never had one) goes back into
    // the DLQ with what it carried, and the task fails, as AWS's does.
    std::size_t i = 0;
    while (i < messages.size()) {
      const QueueKey* key = messages[i].message->dead_letter_source();
      auto same_source = [key](const QueueKey* other) { return key && other ? *key == *other : key == other; };
      std::size_t j = i + 1;
      while (j < messages.size() && same_source(messages[j].message->dead_letter_source())) ++j;
      std::vector<MovedMessage> run(std::make_move_iterator(messages.begin() + static_cast<std::ptrdiff_t>(i)),
                                    std::make_move_iterator(messages.begin() + static_cast<std::ptrdiff_t>(j)));
      auto target = key ? queues_.find(*key) : nullptr;
      if (target) {
        task.moved += static_cast<std::int64_t>(run.size());
        const MoveTaskStep step{task.id, task.moved};
        target->add_redriven(std::move(run), &step);
      } else {
        lost_destination = true;
        if (key) {
          source->add_dead_letters(std::move(run), *key);
        } else {
          source->add_redriven(std::move(run));
        }
      }
      i = j;
    }
  }
  if (lost_destination) {
    finish(task, MoveTaskStatus::kFailed, kNonExistentQueue);
  } else if (taken < due || task.moved >= task.to_move) {
    finish(task, MoveTaskStatus::kCompleted);  // done, or the DLQ ran dry
  }
}

}  // namespace shoal::storage
