// DescribeStream: the stream's settings and a page of its shards (Limit,
// default 100, after ExclusiveStartShardId) with HasMoreShards.
#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

constexpr std::int64_t kDefaultShardLimit = 100;

}  // namespace

ActionResult describe_stream(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto d = resolved.stream->describe();
  const auto limit = static_cast<std::size_t>(int_member(call.input, "Limit").value_or(kDefaultShardLimit));
  const auto start = string_member(call.input, "ExclusiveStartShardId");
  const auto start_index = start ? shard_index_of(*start) : std::nullopt;

  nlohmann::json shards = nlohmann::json::array();
  bool more = false;
  for (const auto& shard : d.shards) {
    if (start && (start_index ? shard.index <= *start_index : shard.shard_id <= *start)) continue;
    if (shards.size() == limit) {
      more = true;
      break;
    }
    shards.push_back(shard_json(shard));
  }
  nlohmann::json out = {{"StreamName", d.key.name},
                        {"StreamARN", stream_arn(d.key)},
                        {"StreamStatus", std::string(storage::to_string(d.status))},
                        {"StreamModeDetails", stream_mode_json(d.mode)},
                        {"Shards", std::move(shards)},
                        {"HasMoreShards", more},
                        {"RetentionPeriodHours", d.retention_hours},
                        {"StreamCreationTimestamp", timestamp_value(d.created)},
                        {"EnhancedMonitoring", enhanced_monitoring_json(d.shard_level_metrics)},
                        {"EncryptionType", std::string(storage::to_string(d.encryption))}};
  if (!d.key_id.empty()) out["KeyId"] = d.key_id;
  return ActionResult::ok({{"StreamDescription", std::move(out)}});
}

}  // namespace shoal::api::kinesis
