// ActionResult: what an action handler returns, before any wire encoding: an
// output value (nlohmann::json used as a protocol-neutral tree; blobs as
// json::binary), an AwsError, or a PendingAction for a long poll. The codec
// of the request's protocol renders it. Plain values.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"

namespace shoal::api {

class PendingAction;

struct ActionResult {
  nlohmann::json output = nlohmann::json::object();
  std::optional<AwsError> error;
  std::unique_ptr<PendingAction> pending;

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

}  // namespace shoal::api
