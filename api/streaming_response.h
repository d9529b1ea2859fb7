// StreamingResponse: an answer whose body is produced over time (Kinesis
// SubscribeToShard's event stream). The server writes head() at once, then
// pulls body bytes with poll() whenever the waker fires, the check timer runs
// out or its previous write has drained, and never has more than one poll's
// bytes in flight: a client that stops reading stops the producer
// (back-pressure), nothing is buffered without bound. HTTP/1.1 carries the
// body chunked; HTTP/2 as DATA frames. Calls on one StreamingResponse are
// serialized by the server; the waker may be invoked from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "api/api_request.h"

namespace shoal::api {

class StreamingResponse {
 public:
  virtual ~StreamingResponse() = default;

  // Status, content type and headers; its body is empty. Called once, first.
  virtual ApiResponse head() = 0;

  // Appends the body bytes that are ready (about max_bytes at most; one
  // event may exceed it) to `out` and returns true once the stream has ended
  // (its last bytes are in `out`). final = true (the server shuts down):
  // append any closing bytes and end now.
  virtual bool poll(bool final, std::string& out, std::size_t max_bytes) = 0;

  // When poll() should be called at the latest even if the waker stays
  // silent (a keep-alive event, the end of the subscription's lifetime).
  virtual std::chrono::milliseconds time_to_next_check() const = 0;

  // Registers a one-shot callback for "poll() may have bytes now". Replaces
  // any previous waker; the server re-arms it after each poll().
  virtual void set_waker(std::function<void()> wake) = 0;

  // The client went away or the server closed the connection: free what the
  // stream holds (its subscription slot). No call follows.
  virtual void cancel() = 0;
};

}  // namespace shoal::api
