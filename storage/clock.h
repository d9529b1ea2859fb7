// Clock: the one source of time for the engines. SystemClock reads the wall
// clock; ManualClock only moves when told to, so tests never sleep. Both are
// thread-safe. Engines hold a Clock& that must outlive them.
#pragma once

#include <atomic>
#include <chrono>

namespace shoal::storage {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint(std::chrono::milliseconds(1'700'000'000'000)))
      : now_ms_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(std::chrono::milliseconds(now_ms_.load())); }
  void advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }
  void set(TimePoint to) { now_ms_ = to.time_since_epoch().count(); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

inline std::int64_t to_epoch_ms(TimePoint t) { return t.time_since_epoch().count(); }

}  // namespace shoal::storage
