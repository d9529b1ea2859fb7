#include "api/control/parked_polls.h"

#include <vector>

namespace shoal::api {

std::uint64_t ParkedPolls::set(std::uint64_t id, std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  if (id == 0) id = next_id_++;
  wakers_[id] = std::move(wake);
  return id;
}

void ParkedPolls::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  wakers_.erase(id);
}

std::size_t ParkedPolls::wake_all() {
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(mutex_);
    wakes.reserve(wakers_.size());
    for (const auto& [id, wake] : wakers_) wakes.push_back(wake);
  }
  for (const auto& wake : wakes) {
    if (wake) wake();
  }
  return wakes.size();
}

std::size_t ParkedPolls::size() const {
  std::lock_guard lock(mutex_);
  return wakers_.size();
}

}  // namespace shoal::api
