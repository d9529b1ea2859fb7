// UpdateStreamWarmThroughput: the write throughput an ON_DEMAND stream keeps
// ready; the target is set at once and becomes current when the update ends.
#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

ActionResult update_stream_warm_throughput(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  auto& stream = *resolved.stream;
  // AWS: "Provisioned capacity mode streams do not support warm throughput configuration."
  if (stream.mode() != storage::StreamMode::kOnDemand) {
    return ActionResult::fail(invalid_argument("Stream " + resolved.key.name + " under account " +
                                               resolved.key.account +
                                               " is PROVISIONED; warm throughput applies only to ON_DEMAND streams."));
  }
  const auto mibps = int_member(call.input, "WarmThroughputMiBps").value_or(0);
  auto warm = stream.update_warm_throughput(static_cast<int>(mibps));
  if (!warm) return ActionResult::fail(change_error(warm.status(), stream));
  nlohmann::json throughput = nlohmann::json::object();
  if (warm->target_mibps) throughput["TargetMiBps"] = *warm->target_mibps;
  if (warm->current_mibps) throughput["CurrentMiBps"] = *warm->current_mibps;
  return ActionResult::ok(
      {{"StreamARN", stream_arn(resolved.key)}, {"StreamName", resolved.key.name}, {"WarmThroughput", throughput}});
}

}  // namespace shoal::api::kinesis
