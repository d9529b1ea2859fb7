// Dispatcher: the api layer's single entry point. It picks the service and
// protocol from the request (X-Amz-Target, Content-Type, path), runs the
// action and renders the answer or the AWS error. Control endpoints
// (/_shoal/..., /_aws/sqs/messages; api/control/) are recognised by path
// first. Before an action runs, fault rules may replace its answer, delay it
// or drop the connection. With strict authentication the signature is
// checked first (api/auth/). Thread-safe: any number of server threads may call
// handle() at once.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_request.h"
#include "api/auth/authenticator.h"
#include "api/pending_response.h"
#include "api/streaming_response.h"
#include "storage/clock.h"
#include "storage/durability/durable_store.h"
#include "storage/stream/stream_registry.h"

namespace shoal::api {

struct DispatcherOptions {
  // Host (and port) written into queue URLs; empty: the request's Host header.
  std::string advertised_host;
  // nullptr: a ControlledClock (the wall clock, advanced and frozen through
  // /_shoal/clock); otherwise that clock, which the endpoints do not move.
  const storage::Clock* clock = nullptr;
  storage::StreamRegistryOptions kinesis;  // status delays, limits
  // How long a deleted queue's name stays refused (QueueDeletedRecently); 0: off.
  std::chrono::seconds sqs_recreate_delay{0};
  // Durable storage under durable->journal.dir; nullopt: in memory only.
  std::optional<storage::durability::DurableOptions> durable;
  // With durable storage: park the answer until the log says durable (true),
  // or block the request's thread in wait_durable (false). Parking measured
  // 3.7x faster with --fsync always at 16 connections on 2 threads (3.8k vs
  // 1.0k SendMessage/s): a blocked thread holds back every request behind it,
  // so fewer share each fsync.
  bool durable_answer_async = true;
  // Strict: every SQS and Kinesis request must carry a valid SigV4
  // signature by one of these keys (control endpoints never do).
  auth::AuthConfig auth;
  std::string version = "dev";             // reported by /_shoal/health
  std::string storage_mode = "memory";
};

// Either an answer now, a pending one for the server to park, or a streamed
// one (an event stream); or, when a fault rule says so, none: close the
// connection without answering.
struct Outcome {
  std::optional<ApiResponse> response;
  std::unique_ptr<PendingResponse> pending;
  std::unique_ptr<StreamingResponse> stream;
  // Injected latency: the server waits this long (on a timer) before it
  // writes the response or parks the long poll.
  std::chrono::milliseconds delay{0};
  bool drop_connection = false;
};

class Dispatcher {
 public:
  // Throws std::runtime_error when the data directory cannot be opened or
  // recovered (the message says why and what to do).
  explicit Dispatcher(DispatcherOptions options);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  Outcome handle(ApiRequest request);
  // An AWS-shaped error for failures seen before a request could be built
  // (e.g. a body past the size limit: 413). Always carries a request id. In
  // CBOR or AWS JSON 1.1 when the request said so (request_content_type),
  // else plain JSON.
  ApiResponse transport_error(int http_status, const std::string& code, const std::string& message,
                              std::string_view request_content_type = {});
  // What start-up recovered from the data directory; empty when in memory.
  std::string recovery_summary() const;
  // The durable store (nullptr when in memory), e.g. for tests and shutdown.
  storage::durability::DurableStore* durable_store();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shoal::api
