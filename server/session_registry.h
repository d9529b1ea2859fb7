// SessionRegistry: the live connections, so a graceful shutdown can reach
// every one of them. Thread-safe (one mutex); holds weak references only, so
// it never keeps a session alive. Must outlive every registered session.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace shoal::server {

class Session;

class SessionRegistry {
 public:
  // Registers a new session. After begin_shutdown() the session is told to
  // shut down at once (a connection accepted during the shutdown race).
  void add(const std::shared_ptr<Session>& session);
  // Called from the session's destructor.
  void remove(const Session* session);

  // Asks every live session to shut down gracefully; calls on_empty (from
  // whichever thread removes the last session, or right here if none) once
  // no session is left. Later calls are no-ops.
  void begin_shutdown(std::function<void()> on_empty);
  // Drops the on_empty callback (before the io_context it posts to dies).
  void forget_on_empty();

  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
  bool shutting_down_ = false;
  std::function<void()> on_empty_;
};

}  // namespace shoal::server
