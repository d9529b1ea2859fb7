// UpdateStreamMode: switch a stream between PROVISIONED and ON_DEMAND
// capacity, optionally with a warm throughput for the new ON_DEMAND mode.
#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

ActionResult update_stream_mode(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto* details = member(call.input, "StreamModeDetails");
  const auto mode_text = details ? string_member(*details, "StreamMode").value_or("") : std::string();
  const auto mode = storage::parse_stream_mode(mode_text);
  if (!mode) return ActionResult::fail(invalid_argument("Unknown StreamMode " + mode_text));
  const auto warm = int_member(call.input, "WarmThroughputMiBps");
  if (warm && *mode != storage::StreamMode::kOnDemand) {
    return ActionResult::fail(invalid_argument("WarmThroughputMiBps applies only to ON_DEMAND streams."));
  }
  auto& stream = *resolved.stream;
  if (auto st = stream.update_stream_mode(*mode); !st) return ActionResult::fail(change_error(st, stream));
  if (warm) {
    // Two engine calls: with a non-zero update delay the mode change leaves
    // the stream UPDATING and the second is refused (reported as such).
    auto set = stream.update_warm_throughput(static_cast<int>(*warm));
    if (!set) return ActionResult::fail(change_error(set.status(), stream));
  }
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace shoal::api::kinesis
