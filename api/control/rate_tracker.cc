#include "api/control/rate_tracker.h"

namespace shoal::api::control {

RateTracker::Rates RateTracker::update(std::chrono::steady_clock::time_point now, Counters counters) {
  std::lock_guard lock(mutex_);
  if (!sampled_) {
    sampled_ = true;
    taken_ = now;
    previous_ = std::move(counters);
    return rates_;
  }
  const auto elapsed = now - taken_;
  if (elapsed < kInterval) return rates_;
  const double seconds = std::chrono::duration<double>(elapsed).count();
  rates_.clear();
  for (const auto& [name, value] : counters) {
    auto before = previous_.find(name);
    const std::uint64_t from = before != previous_.end() && before->second <= value ? before->second : 0;
    if (value > from) rates_[name] = static_cast<double>(value - from) / seconds;
  }
  taken_ = now;
  previous_ = std::move(counters);
  return rates_;
}

}  // namespace shoal::api::control
