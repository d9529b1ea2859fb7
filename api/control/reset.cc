// POST /_shoal/reset[?service=sqs|kinesis][&account=<12 digits>]: drops state
// for test isolation. Queues are closed, so their parked long polls answer
// (empty) at once. The clock and fault rules are left as they are: they are
// the test's set-up, not the emulated cloud's state.
#include "api/control/control_call.h"

namespace shoal::api::control {

ApiResponse reset(const ControlCall& call) {
  const auto service = call.param("service").value_or("");
  if (!service.empty() && service != "sqs" && service != "kinesis") {
    return control_error(400, "InvalidParameter", "service must be sqs or kinesis (or absent: both).",
                         call.ctx.request_id);
  }
  std::optional<std::string> account = call.param("account");
  if (account && account->empty()) account.reset();
  nlohmann::json out = nlohmann::json::object();
  if (service.empty() || service == "sqs") {
    out["sqs"] = {{"queues_removed", call.engines.queues.clear(account)}};
  }
  if (service.empty() || service == "kinesis") {
    out["kinesis"] = {{"streams_removed", call.engines.streams.clear(account)}};
  }
  if (account) out["account"] = *account;
  return json_response(200, out, call.ctx.request_id);
}

}  // namespace shoal::api::control
