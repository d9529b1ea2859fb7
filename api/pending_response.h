// PendingResponse: an answer the api cannot give yet (a long poll). The server
// parks it without blocking a thread: it arms a timer for time_to_next_check(),
// registers a waker, and calls poll() when either fires. Calls on one
// PendingResponse are serialized by the server (one connection's strand); the
// waker itself may be invoked from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "api/api_request.h"

namespace shoal::api {

class PendingResponse {
 public:
  virtual ~PendingResponse() = default;
  // Tries to complete. With final = true (deadline reached, or shutting down)
  // it always returns a response.
  virtual std::optional<ApiResponse> poll(bool final) = 0;
  // How long until poll() should be called again at the latest: the deadline,
  // or earlier when something in the engine becomes visible on its own.
  virtual std::chrono::milliseconds time_to_next_check() const = 0;
  // Registers a one-shot callback for engine events that may let poll()
  // succeed. Replaces any previous waker. Re-armed by the server after poll().
  virtual void set_waker(std::function<void()> wake) = 0;
  // The connection is gone or the answer was given: drop the waker.
  virtual void cancel() = 0;
};

}  // namespace shoal::api
