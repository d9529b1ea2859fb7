// ReplayClock: the clock the engines run on when a data directory is used. It
// reads its base clock, except while replay pins it to the time of the change
// being replayed, so operations re-run from the log see the time they first
// ran at. Thread-safe; pin() and release() are for the (single) replaying
// thread before the engines are shared.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>

#include "storage/clock.h"

namespace shoal::storage::durability {

class ReplayClock final : public Clock {
 public:
  explicit ReplayClock(const Clock& base) : base_(base) {}
  TimePoint now() const override {
    const auto pinned = pinned_ms_.load(std::memory_order_relaxed);
    if (pinned != kNone) return TimePoint(std::chrono::milliseconds(pinned));
    return base_.now();
  }
  void pin(TimePoint t) { pinned_ms_.store(to_epoch_ms(t), std::memory_order_relaxed); }
  void release() { pinned_ms_.store(kNone, std::memory_order_relaxed); }

 private:
  static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
  const Clock& base_;
  std::atomic<std::int64_t> pinned_ms_{kNone};
};

}  // namespace shoal::storage::durability
