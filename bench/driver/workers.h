// Shared plumbing of the multi-step workloads: a deadline, one thread per
// connection, and the span from the first request sent to the last answer.
// Span is thread-safe; everything else is used by one thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/driver/result.h"

namespace shoal::bench {

// Runs fn(0..n-1) on n threads and joins them.
inline void run_threads(int n, const std::function<void(int)>& fn) {
  std::vector<std::jthread> threads;
  threads.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) threads.emplace_back(fn, i);
}

// The measured span of a workload: first request issued to last answer read.
class Span {
 public:
  void add(Clock::time_point start, Clock::time_point end) {
    std::lock_guard lock(mutex_);
    if (!any_ || start < start_) start_ = start;
    if (!any_ || end > end_) end_ = end;
    any_ = true;
  }
  double seconds() const {
    std::lock_guard lock(mutex_);
    return any_ ? std::chrono::duration<double>(end_ - start_).count() : 0;
  }

 private:
  mutable std::mutex mutex_;
  bool any_ = false;
  Clock::time_point start_{};
  Clock::time_point end_{};
};

// Prints the first few failed answers to stderr, so a run that counts errors
// also says what they were. Thread-safe.
inline void log_error(std::string_view action, int status, std::string_view body) {
  static std::atomic<int> printed{0};
  if (printed.fetch_add(1) >= 3) return;
  std::fprintf(stderr, "%.*s answered %d: %.*s\n", static_cast<int>(action.size()), action.data(), status,
               static_cast<int>(std::min<std::size_t>(body.size(), 300)), body.data());
}

// A payload of exactly size_bytes that starts with prefix (JSON-safe characters only).
inline std::string payload(const std::string& prefix, int size_bytes) {
  std::string out = prefix;
  out.resize(static_cast<std::size_t>(std::max<int>(size_bytes, static_cast<int>(prefix.size()))), 'x');
  return out;
}

}  // namespace shoal::bench
