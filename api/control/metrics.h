// Metrics: request counters and latency histograms by service and action,
// rendered in the Prometheus text format. Slots for every action of the SQS
// and Kinesis models are made at construction, so the request path only does
// a read-only map lookup (slot()) and relaxed atomic increments (record()):
// no lock. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shoal::api {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 15> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,     0.25,   0.5,   1,      5,     21};
  // HTTP statuses counted separately; any other is counted as "other".
  static constexpr std::array<int, 10> kStatuses = {200, 400, 403, 404, 405, 409, 413, 431, 500, 503};

  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The slot of a service ("sqs", "kinesis") and action; unknown names share
  // the service's "unknown" slot, unknown services the ("other", "unknown")
  // one.
  std::size_t slot(std::string_view service, std::string_view action) const;
  void record(std::size_t slot, int http_status, std::chrono::nanoseconds latency);
  // The slot's service and action names (stable for the Metrics' lifetime).
  std::pair<std::string_view, std::string_view> names(std::size_t slot) const {
    return {slots_[slot]->service, slots_[slot]->action};
  }
  void count_fault() { faults_.fetch_add(1, std::memory_order_relaxed); }

  // One slot's counts so far, for the console's rates.
  struct ActionTotals {
    std::string_view service;
    std::string_view action;
    std::uint64_t requests = 0;
    std::uint64_t client_errors = 0;  // 4xx answers
    std::uint64_t server_errors = 0;  // 5xx, dropped connections, any status not in kStatuses
    std::uint64_t latency_ns = 0;     // summed over the requests
  };
  // Slots that saw a request, in slot order. Reads relaxed atomics: a
  // request being counted may show in one figure and not yet in another.
  std::vector<ActionTotals> totals() const;
  std::uint64_t faults_injected() const { return faults_.load(std::memory_order_relaxed); }

  // shoal_requests_total, shoal_request_duration_seconds and
  // shoal_faults_injected_total; only slots that saw a request appear.
  std::string render() const;

 private:
  struct Slot {
    std::string service;
    std::string action;
    std::array<std::atomic<std::uint64_t>, kStatuses.size() + 1> statuses{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<std::uint64_t> sum_ns{0};
    std::atomic<std::uint64_t> count{0};
  };
  std::size_t add_slot(const std::string& service, const std::string& action);

  std::vector<std::unique_ptr<Slot>> slots_;
  std::map<std::string, std::map<std::string, std::size_t, std::less<>>, std::less<>> index_;
  std::atomic<std::uint64_t> faults_{0};
};

// Escapes a Prometheus label value (backslash, quote, newline).
std::string prometheus_label(std::string_view value);

}  // namespace shoal::api
