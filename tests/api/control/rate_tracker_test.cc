// RateTracker: rates from two samples at least a second apart, shared by
// callers within the second, restarting counters counted from zero.
#include <doctest/doctest.h>

#include "api/control/rate_tracker.h"

namespace shoal::api::control {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

}  // namespace

TEST_CASE("rates are the counters' growth per second between samples") {
  RateTracker tracker;
  const auto t0 = Clock::time_point(100s);
  CHECK(tracker.update(t0, {{"a", 10}, {"b", 5}}).empty());
  // Within the interval: the cached rates, and the sample is kept.
  CHECK(tracker.update(t0 + 500ms, {{"a", 1000}}).empty());
  auto rates = tracker.update(t0 + 2s, {{"a", 30}, {"b", 5}, {"c", 4}});
  CHECK(rates["a"] == doctest::Approx(10.0));
  CHECK(rates.count("b") == 0);            // no growth: no entry (reads as 0)
  CHECK(rates["c"] == doctest::Approx(2.0));  // new counter: counted from 0
  // A second caller within the second shares the same answer.
  auto again = tracker.update(t0 + 2500ms, {{"a", 99}});
  CHECK(again["a"] == doctest::Approx(10.0));
  // A counter that went down (its queue was made again) counts from 0.
  rates = tracker.update(t0 + 3s, {{"a", 3}});
  CHECK(rates["a"] == doctest::Approx(3.0));
}

}  // namespace shoal::api::control
