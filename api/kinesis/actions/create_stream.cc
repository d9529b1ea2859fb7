// CreateStream: a PROVISIONED stream of ShardCount shards (4 when omitted) or
// an ON_DEMAND one, with Tags, MaxRecordSizeInKiB and WarmThroughputMiBps;
// AWS's errors for an existing name and the account shard limit.
#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

// AWS (recorded by LocalStack) gives a stream created without ShardCount 4 shards.
constexpr int kDefaultShardCount = 4;

}  // namespace

ActionResult create_stream(const KinesisCall& call) {
  storage::StreamKey key{call.ctx.account, call.ctx.region, string_member(call.input, "StreamName").value_or("")};
  storage::StreamConfig config;
  if (const auto* details = member(call.input, "StreamModeDetails")) {
    auto mode = storage::parse_stream_mode(string_member(*details, "StreamMode").value_or(""));
    if (!mode) return ActionResult::fail(invalid_argument("StreamModeDetails.StreamMode must be PROVISIONED or ON_DEMAND."));
    config.mode = *mode;
  }
  config.shard_count = static_cast<int>(int_member(call.input, "ShardCount").value_or(kDefaultShardCount));
  if (const auto* tags = member(call.input, "Tags"); tags != nullptr && tags->is_object()) {
    for (const auto& [k, v] : tags->items()) config.tags[k] = v.is_string() ? v.get<std::string>() : "";
  }
  if (auto kib = int_member(call.input, "MaxRecordSizeInKiB")) config.max_record_size_kib = static_cast<int>(*kib);
  if (auto mibps = int_member(call.input, "WarmThroughputMiBps")) config.warm_throughput_mibps = static_cast<int>(*mibps);

  auto created = call.streams.create(key, config);
  if (created) return ActionResult::ok(nlohmann::json::object());
  const auto& status = created.status();
  switch (status.code()) {
    case storage::Status::Code::kResourceInUse:
      return ActionResult::fail(
          resource_in_use("Stream " + key.name + " under account " + key.account + " already exists."));
    case storage::Status::Code::kLimitExceeded: {
      const auto limits = call.streams.limits(key.account, key.region);
      if (config.mode == storage::StreamMode::kOnDemand &&
          limits.on_demand_stream_count >= limits.on_demand_stream_count_limit) {
        return ActionResult::fail(limit_exceeded(
            "This request would exceed the on-demand stream count limit for the account " + key.account + " in " +
            key.region + ". Current on-demand stream count for the account: " +
            std::to_string(limits.on_demand_stream_count) +
            ". Limit: " + std::to_string(limits.on_demand_stream_count_limit) + "."));
      }
      const int requested = config.mode == storage::StreamMode::kOnDemand
                                ? call.streams.options().limits.on_demand_shard_count
                                : config.shard_count;
      return ActionResult::fail(shard_limit_exceeded(key, limits.open_shard_count, limits.shard_limit, requested));
    }
    default:
      return ActionResult::fail(from_status(status, key));
  }
}

}  // namespace shoal::api::kinesis
