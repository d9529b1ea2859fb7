// ActionResult: what an action handler returns, before any wire encoding: an
// output value (nlohmann::json used as a protocol-neutral tree; blobs as
// json::binary), an AwsError, a PendingAction for a long poll, or a
// StreamingAction for an event-stream answer (SubscribeToShard). The codec
// of the request's protocol renders it. Plain values.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"

namespace shoal::api {

class PendingAction;
class StreamingAction;

struct ActionResult {
  nlohmann::json output = nlohmann::json::object();
  std::optional<AwsError> error;
  std::unique_ptr<PendingAction> pending;
  std::unique_ptr<StreamingAction> stream;
  // The queue or stream acted on, for the request log, when the input names
  // it only indirectly (GetRecords' iterator); else empty.
  std::string resource;

  static ActionResult ok(nlohmann::json out) {
    ActionResult r;
    r.output = std::move(out);
    return r;
  }
  static ActionResult fail(AwsError e) {
    ActionResult r;
    r.error = std::move(e);
    return r;
  }
  static ActionResult wait(std::unique_ptr<PendingAction> p) {
    ActionResult r;
    r.pending = std::move(p);
    return r;
  }
  static ActionResult streaming(std::unique_ptr<StreamingAction> s) {
    ActionResult r;
    r.stream = std::move(s);
    return r;
  }
};

// The protocol-neutral half of a long poll; see PendingResponse for the
// contract (the dispatcher adapts one to the other, adding rendering).
class PendingAction {
 public:
  virtual ~PendingAction() = default;
  virtual std::optional<ActionResult> poll(bool final) = 0;
  virtual std::chrono::milliseconds time_to_next_check() const = 0;
  virtual void set_waker(std::function<void()> wake) = 0;
  virtual void cancel() = 0;
};

// One event of an event-stream answer, protocol-neutral: the codec renders
// the payload by the shape of `type`, the member of the output's event
// stream (an event such as "SubscribeToShardEvent", or an exception).
struct StreamEvent {
  std::string type;
  bool exception = false;
  nlohmann::json payload = nlohmann::json::object();
};

// The protocol-neutral half of an event stream; see StreamingResponse for the
// contract (the dispatcher adapts one to the other, adding the framing).
class StreamingAction {
 public:
  virtual ~StreamingAction() = default;
  // Appends the events ready now (their data about max_bytes at most; one
  // event may exceed it); true once the stream has ended after them.
  virtual bool poll(bool final, std::vector<StreamEvent>& out, std::size_t max_bytes) = 0;
  virtual std::chrono::milliseconds time_to_next_check() const = 0;
  virtual void set_waker(std::function<void()> wake) = 0;
  virtual void cancel() = 0;
};

}  // namespace shoal::api
