// Clock: the one source of time for the engines. SystemClock reads the wall
// clock; ManualClock only moves when told to, so tests never sleep;
// ControlledClock (the server's) follows the wall clock but can be advanced
// and frozen at runtime. All are thread-safe. Engines hold a Clock& that must
// outlive them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>

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

// The wall clock plus an offset; engine time never steps back: advance() adds to the offset, freeze() stops time at the current
// instant (advance() still moves a frozen clock), resume() lets it run again
// from where it stands. now() is two relaxed atomic loads; the setters
// serialise on a mutex.
class ControlledClock final : public Clock {
 public:
  TimePoint now() const override {
    const std::int64_t frozen = frozen_ms_.load(std::memory_order_acquire);
    if (frozen != kRunning) return TimePoint(std::chrono::milliseconds(frozen));
    return TimePoint(std::chrono::milliseconds(system_ms() + offset_ms_.load(std::memory_order_acquire)));
  }
  bool frozen() const { return frozen_ms_.load(std::memory_order_acquire) != kRunning; }
  // How far ahead of the wall clock engine time is (while running).
  std::chrono::milliseconds offset() const { return std::chrono::milliseconds(offset_ms_.load()); }

  // Negative durations are ignored: time never runs backwards.
  void advance(std::chrono::milliseconds by) {
    if (by.count() <= 0) return;
    std::lock_guard lock(mutex_);
    if (frozen_ms_.load() != kRunning) {
      frozen_ms_ += by.count();
    } else {
      offset_ms_ += by.count();
    }
  }
  void freeze() {
    std::lock_guard lock(mutex_);
    if (frozen_ms_.load() == kRunning) frozen_ms_ = system_ms() + offset_ms_.load();
  }
  void resume() {
    std::lock_guard lock(mutex_);
    const std::int64_t frozen = frozen_ms_.load();
    if (frozen == kRunning) return;
    // Runs on from the frozen instant: the time spent frozen is skipped.
    offset_ms_ = frozen - system_ms();
    frozen_ms_ = kRunning;
  }

 private:
  static constexpr std::int64_t kRunning = std::numeric_limits<std::int64_t>::min();
  static std::int64_t system_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  std::mutex mutex_;
  std::atomic<std::int64_t> offset_ms_{0};
  std::atomic<std::int64_t> frozen_ms_{kRunning};
};

inline std::int64_t to_epoch_ms(TimePoint t) { return t.time_since_epoch().count(); }

}  // namespace shoal::storage
