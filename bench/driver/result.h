// Latency samples and the one RESULT line every workload prints, in the
// format of bench/lua/report.lua so run.py reads wrk and the driver alike:
//   RESULT ops=<calls/s> p50_ms=.. p99_ms=.. errors=.. [items_s=<items/s> items=..] calls=.. seconds=.. [key=value ...]
// A LatencyLog belongs to one thread; merge them after the threads joined.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shoal::bench {

using Clock = std::chrono::steady_clock;

class LatencyLog {
 public:
  void add(Clock::duration d) {
    samples_ns_.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
  }
  void merge(const LatencyLog& other);
  std::size_t count() const { return samples_ns_.size(); }
  // Nearest-rank percentile in milliseconds; 0 when empty. Sorts in place.
  double percentile_ms(double p);

 private:
  std::vector<std::int64_t> samples_ns_;
};

struct Result {
  double seconds = 0;        // the measured span
  std::uint64_t calls = 0;   // requests (or request pairs) counted as one op
  std::uint64_t errors = 0;  // non-2xx answers and failed connections
  std::int64_t items = -1;   // items moved; -1 when a call moves one thing
  LatencyLog latency;
  std::vector<std::pair<std::string, std::string>> extra;
};

void print_result(Result& result);

}  // namespace shoal::bench
