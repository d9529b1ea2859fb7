#include "bench/driver/result.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace shoal::bench {

void LatencyLog::merge(const LatencyLog& other) {
  samples_ns_.insert(samples_ns_.end(), other.samples_ns_.begin(), other.samples_ns_.end());
}

double LatencyLog::percentile_ms(double p) {
  if (samples_ns_.empty()) return 0;
  std::sort(samples_ns_.begin(), samples_ns_.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples_ns_.size())));
  rank = std::clamp<std::size_t>(rank, 1, samples_ns_.size());
  return static_cast<double>(samples_ns_[rank - 1]) / 1e6;
}

void print_result(Result& result) {
  const double seconds = result.seconds > 0 ? result.seconds : 1e-9;
  std::printf("RESULT ops=%.0f p50_ms=%.3f p99_ms=%.3f errors=%llu", static_cast<double>(result.calls) / seconds,
              result.latency.percentile_ms(50), result.latency.percentile_ms(99),
              static_cast<unsigned long long>(result.errors));
  if (result.items >= 0) {
    std::printf(" items_s=%.0f items=%lld", static_cast<double>(result.items) / seconds,
                static_cast<long long>(result.items));
  }
  std::printf(" calls=%llu seconds=%.3f", static_cast<unsigned long long>(result.calls), result.seconds);
  for (const auto& [key, value] : result.extra) std::printf(" %s=%s", key.c_str(), value.c_str());
  std::printf("\n");
  std::fflush(stdout);
}

}  // namespace shoal::bench
