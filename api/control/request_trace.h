// RequestTrace: what the dispatcher knows of one AWS request for metrics and
// the debug log (its Metrics slot, which names service and action; the queue
// or stream; start time), and finish(), called once when its answer is known
// (at once, or when a long poll ends). Cheap to build: no allocation unless a
// resource name is kept. Thread-safe: Metrics is lock-free and log lines are
// written whole.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/control/metrics.h"

namespace shoal::api {

struct RequestTrace {
  Metrics* metrics = nullptr;
  std::size_t slot = 0;
  std::string resource;  // queue or stream name; kept only when faults or debug logs need it
  std::chrono::steady_clock::time_point start;

  // Records the answer's status and latency (status 0: the connection was
  // dropped on purpose) and logs the request line at debug, or at warn for 5xx.
  void finish(int http_status) const;
};

// The queue or stream a decoded request names: QueueUrl's last segment,
// QueueName, StreamName, or the stream in StreamARN / ConsumerARN; else empty.
std::string resource_of(const nlohmann::json& input);

}  // namespace shoal::api
