// RateTracker: per-second rates of cumulative counters (messages sent to a
// queue, records put into a stream, requests by action) for the console's
// overview. Callers hand in every counter's current value; the tracker keeps
// the previous sample and recomputes the rates at most once per kInterval, so
// any number of consoles polling share one sample and nothing runs while no
// console polls. Thread-safe: one mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace shoal::api::control {

class RateTracker {
 public:
  using Counters = std::unordered_map<std::string, std::uint64_t>;
  using Rates = std::unordered_map<std::string, double>;
  static constexpr std::chrono::milliseconds kInterval{1000};

  // The rates over the last interval, after taking `counters` at `now` as a
  // new sample if the previous one is kInterval old. A counter absent from
  // the previous sample, or lower than it (its queue was deleted and made
  // again), counts from 0. The first call answers no rates.
  Rates update(std::chrono::steady_clock::time_point now, Counters counters);

 private:
  std::mutex mutex_;
  bool sampled_ = false;
  std::chrono::steady_clock::time_point taken_;
  Counters previous_;
  Rates rates_;
};

}  // namespace shoal::api::control
