// ParkedPolls: the wakers of every parked long poll, so a clock change can
// make them all re-check at once (a poll waits on engine events, and a clock
// advance is not one: it makes messages visible without any queue noticing).
// Only long polls touch it (register on park, drop on answer). Thread-safe:
// one mutex; wake_all() calls the wakers outside it.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace shoal::api {

class ParkedPolls {
 public:
  // Registers (or with an id from an earlier call, replaces) a waker; returns
  // its id.
  std::uint64_t set(std::uint64_t id, std::function<void()> wake);
  void remove(std::uint64_t id);
  // Calls every registered waker once (they stay registered); returns how many.
  std::size_t wake_all();
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::function<void()>> wakers_;
  std::uint64_t next_id_ = 1;
};

}  // namespace shoal::api
