// UpdateShardCount (UNIFORM_SCALING): AWS's splits and merges toward
// TargetShardCount even shards (storage/stream/uniform_scaling.h), within
// AWS's limits (at most double, at least half the open count, and the account
// shard limit); refused for ON_DEMAND streams.
#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

// AWS's answer (as moto records it) to UpdateShardCount on an ON_DEMAND stream.
AwsError on_demand_refused(const storage::StreamKey& key) {
  return validation("Request is invalid. Stream " + key.name + " under account " + key.account +
                    " is in On-Demand mode.");
}

}  // namespace

ActionResult update_shard_count(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto& key = resolved.key;
  auto& stream = *resolved.stream;
  const int target = static_cast<int>(int_member(call.input, "TargetShardCount").value_or(0));
  if (string_member(call.input, "ScalingType").value_or("") != "UNIFORM_SCALING") {
    return ActionResult::fail(invalid_argument("ScalingType must be UNIFORM_SCALING."));
  }
  if (stream.mode() == storage::StreamMode::kOnDemand) return ActionResult::fail(on_demand_refused(key));
  if (auto s = stream.status(); s != storage::StreamStatus::kActive) {
    return ActionResult::fail(stream_not_active_error(key, s));
  }

  // AWS's wording needs the counts; the engine checks the same rules again
  // under its locks.
  const int open = stream.open_shard_count();
  const auto limits = call.streams.limits(key.account, key.region);
  const int available = limits.shard_limit - (limits.open_shard_count - open);
  const std::string counts =
      "Current open shard count: " + std::to_string(open) + ", Target shard count: " + std::to_string(target);
  if (target > available) {
    return ActionResult::fail(limit_exceeded("Target shard count or number of open shards cannot be greater than " +
                                             std::to_string(limits.shard_limit) + ". " + counts));
  }
  if (target > 2 * open) {
    return ActionResult::fail(
        limit_exceeded("UpdateShardCount cannot scale up over double your current open shard count. " + counts));
  }
  if (2 * target < open) {
    return ActionResult::fail(
        limit_exceeded("UpdateShardCount cannot scale down below half your current open shard count. " + counts));
  }

  auto outcome = call.streams.update_shard_count(key, target);
  if (!outcome) {
    // The mode changed since the check above.
    if (outcome.status().code() == storage::Status::Code::kInvalidArgument &&
        stream.mode() == storage::StreamMode::kOnDemand) {
      return ActionResult::fail(on_demand_refused(key));
    }
    return ActionResult::fail(stream_call_error(outcome.status(), key, &stream));
  }
  return ActionResult::ok({{"StreamName", key.name},
                           {"StreamARN", stream_arn(key)},
                           {"CurrentShardCount", outcome->current_shard_count},
                           {"TargetShardCount", outcome->target_shard_count}});
}

}  // namespace shoal::api::kinesis
