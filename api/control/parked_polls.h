// ParkedPolls: the wakers of every parked long poll and event stream, so a
// clock change can make them all re-check at once (a poll waits on engine
// events, and a clock advance is not one: it makes messages visible without
// any queue noticing, or ends a subscription's five minutes). Registered on
// park, dropped on answer. Thread-safe: one mutex; wake_all() calls the
// wakers outside it.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace shoal::api {

class ParkedPolls {
 public:
  enum class Kind { kLongPoll, kStream };

  // Registers (or with an id from an earlier call, replaces) a waker; returns
  // its id.
  std::uint64_t set(std::uint64_t id, std::function<void()> wake, Kind kind = Kind::kLongPoll);
  void remove(std::uint64_t id);
  // Calls every registered waker once (they stay registered); returns how
  // many long polls (streams are woken too, not counted).
  std::size_t wake_all();
  // Parked long polls.
  std::size_t size() const;

 private:
  struct Entry {
    std::function<void()> wake;
    Kind kind;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, Entry> wakers_;
  std::size_t long_polls_ = 0;
  std::uint64_t next_id_ = 1;
};

}  // namespace shoal::api
