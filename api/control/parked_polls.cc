#include "api/control/parked_polls.h"

#include <vector>

namespace shoal::api {

std::uint64_t ParkedPolls::set(std::uint64_t id, std::function<void()> wake, Kind kind) {
  std::lock_guard lock(mutex_);
  if (id == 0) id = next_id_++;
  if (const auto it = wakers_.find(id); it != wakers_.end()) {
    if (it->second.kind == Kind::kLongPoll) --long_polls_;
    wakers_.erase(it);
  }
  wakers_.emplace(id, Entry{std::move(wake), kind});
  if (kind == Kind::kLongPoll) ++long_polls_;
  return id;
}

void ParkedPolls::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = wakers_.find(id);
  if (it == wakers_.end()) return;
  if (it->second.kind == Kind::kLongPoll) --long_polls_;
  wakers_.erase(it);
}

std::size_t ParkedPolls::wake_all() {
  std::vector<std::function<void()>> wakes;
  std::size_t polls = 0;
  {
    std::lock_guard lock(mutex_);
    wakes.reserve(wakers_.size());
    for (const auto& [id, entry] : wakers_) wakes.push_back(entry.wake);
    polls = long_polls_;
  }
  for (const auto& wake : wakes) {
    if (wake) wake();
  }
  return polls;
}

std::size_t ParkedPolls::size() const {
  std::lock_guard lock(mutex_);
  return long_polls_;
}

}  // namespace shoal::api
