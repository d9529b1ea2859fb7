// Increase/DecreaseStreamRetentionPeriod: how long a stream keeps records,
// within AWS's 24..8760 hours, with AWS's wording (recorded by kinesalite).
#include <string>

#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

ActionResult change_retention(const KinesisCall& call, bool increase) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto hours = int_member(call.input, "RetentionPeriodHours").value_or(0);
  const auto requested = "Requested retention period (" + std::to_string(hours) + " hours)";
  if (hours < storage::kDefaultRetentionHours) {
    return ActionResult::fail(invalid_argument("Minimum allowed retention period is " +
                                               std::to_string(storage::kDefaultRetentionHours) + " hours. " +
                                               requested + " is too short."));
  }
  if (hours > storage::kMaxRetentionHours) {
    return ActionResult::fail(invalid_argument("Maximum allowed retention period is " +
                                               std::to_string(storage::kMaxRetentionHours) + " hours. " +
                                               requested + " is too long."));
  }
  auto& stream = *resolved.stream;
  const int h = static_cast<int>(hours);
  auto st = increase ? stream.increase_retention(h) : stream.decrease_retention(h);
  if (st) return ActionResult::ok(nlohmann::json::object());
  if (st.code() != storage::Status::Code::kInvalidArgument) return ActionResult::fail(change_error(st, stream));
  // Within bounds, the engine refuses only the wrong direction.
  return ActionResult::fail(invalid_argument(
      requested + " for stream " + resolved.key.name + " can not be " + (increase ? "shorter" : "longer") +
      " than existing retention period (" + std::to_string(stream.retention_hours()) + " hours). Use " +
      (increase ? "DecreaseRetentionPeriod" : "IncreaseRetentionPeriod") + " API."));
}

}  // namespace

ActionResult increase_stream_retention_period(const KinesisCall& call) { return change_retention(call, true); }
ActionResult decrease_stream_retention_period(const KinesisCall& call) { return change_retention(call, false); }

}  // namespace shoal::api::kinesis
