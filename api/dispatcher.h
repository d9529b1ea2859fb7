// Dispatcher: the api layer's single entry point. It picks the service and
// protocol from the request (X-Amz-Target, Content-Type, path), runs the
// action and renders the answer or the AWS error. Thread-safe: any number of
// server threads may call handle() at once.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "api/api_request.h"
#include "api/pending_response.h"
#include "storage/clock.h"
#include "storage/stream/stream_registry.h"

namespace shoal::api {

struct DispatcherOptions {
  // Host (and port) written into queue URLs; empty: the request's Host header.
  std::string advertised_host;
  const storage::Clock* clock = nullptr;  // nullptr: the system clock
  storage::StreamRegistryOptions kinesis;  // status delays, limits
};

// Either an answer now, or a pending one for the server to park.
struct Outcome {
  std::optional<ApiResponse> response;
  std::unique_ptr<PendingResponse> pending;
};

class Dispatcher {
 public:
  explicit Dispatcher(DispatcherOptions options);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  Outcome handle(ApiRequest request);
  // An AWS-shaped error for failures seen before a request could be built
  // (e.g. a body past the size limit: 413). Always carries a request id.
  ApiResponse transport_error(int http_status, const std::string& code, const std::string& message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shoal::api
