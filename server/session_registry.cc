#include "server/session_registry.h"

#include <utility>
#include <vector>

#include "server/session.h"

namespace shoal::server {

void SessionRegistry::add(const std::shared_ptr<Session>& session) {
  bool shutting_down = false;
  {
    std::lock_guard lock(mutex_);
    sessions_.emplace(session.get(), session);
    shutting_down = shutting_down_;
  }
  if (shutting_down) session->shutdown();
}

void SessionRegistry::remove(const Session* session) {
  std::function<void()> on_empty;
  {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
    if (shutting_down_ && sessions_.empty() && on_empty_) {
      on_empty = std::move(on_empty_);
      on_empty_ = nullptr;
    }
  }
  if (on_empty) on_empty();
}

void SessionRegistry::begin_shutdown(std::function<void()> on_empty) {
  std::vector<std::weak_ptr<Session>> live;
  std::function<void()> call_now;  // nothing to wait for
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_) return;
    shutting_down_ = true;
    live.reserve(sessions_.size());
    for (const auto& [key, weak] : sessions_) live.push_back(weak);
    if (live.empty()) {
      call_now = std::move(on_empty);
    } else {
      on_empty_ = std::move(on_empty);
    }
  }
  if (call_now) return call_now();
  // Outside the lock: shutdown() only posts, but a session whose last owner
  // is this lock() would run its destructor (and remove()) right here.
  for (const auto& weak : live) {
    if (auto session = weak.lock()) session->shutdown();
  }
}

void SessionRegistry::forget_on_empty() {
  std::lock_guard lock(mutex_);
  on_empty_ = nullptr;
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace shoal::server
