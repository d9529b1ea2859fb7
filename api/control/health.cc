// GET /_shoal/health: answers as long as the server accepts connections (a
// parked long poll holds no thread), with what a readiness probe or a bug
// report wants: services, version, uptime, storage mode (and whether the data
// log can be written), engine clock, parked long polls and active
// SubscribeToShard subscriptions.
#include "api/control/control_call.h"

namespace shoal::api::control {

ApiResponse health(const ControlCall& call) {
  const auto& e = call.engines;
  const auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - e.started).count();
  nlohmann::json out = {
      {"status", "running"},
      {"version", e.version},
      {"uptime_seconds", uptime},
      {"storage", e.storage_mode},
      {"services", {{"sqs", "running"}, {"kinesis", "running"}}},
      {"clock",
       {{"now_ms", storage::to_epoch_ms(e.clock.now())},
        {"frozen", e.controlled != nullptr && e.controlled->frozen()}}},
      {"parked_long_polls", e.parked.size()},
      {"kinesis_subscriptions", e.streams.subscriptions().active()},
  };
  if (e.log_failure) {
    const std::string failure = e.log_failure();
    out["data_log"] = {{"writable", failure.empty()}, {"failure", failure}};
  }
  auto response = json_response(200, out, call.ctx.request_id);
  if (call.request.method == "HEAD") response.body.clear();
  return response;
}

}  // namespace shoal::api::control
