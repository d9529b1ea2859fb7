// DescribeStreamSummary: the stream's settings with its open shard and
// consumer counts, without listing shards.
#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

ActionResult describe_stream_summary(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto d = resolved.stream->describe();
  nlohmann::json out = {{"StreamName", d.key.name},
                        {"StreamARN", stream_arn(d.key)},
                        {"StreamId", d.stream_id},
                        {"StreamStatus", std::string(storage::to_string(d.status))},
                        {"StreamModeDetails", stream_mode_json(d.mode)},
                        {"RetentionPeriodHours", d.retention_hours},
                        {"StreamCreationTimestamp", timestamp_value(d.created)},
                        {"EnhancedMonitoring", enhanced_monitoring_json(d.shard_level_metrics)},
                        {"EncryptionType", std::string(storage::to_string(d.encryption))},
                        {"OpenShardCount", d.open_shard_count},
                        {"ConsumerCount", d.consumer_count},
                        {"MaxRecordSizeInKiB", d.max_record_size_kib}};
  if (!d.key_id.empty()) out["KeyId"] = d.key_id;
  if (d.warm_throughput.current_mibps || d.warm_throughput.target_mibps) {
    nlohmann::json warm = nlohmann::json::object();
    if (d.warm_throughput.current_mibps) warm["CurrentMiBps"] = *d.warm_throughput.current_mibps;
    if (d.warm_throughput.target_mibps) warm["TargetMiBps"] = *d.warm_throughput.target_mibps;
    out["WarmThroughput"] = std::move(warm);
  }
  return ActionResult::ok({{"StreamDescriptionSummary", std::move(out)}});
}

}  // namespace shoal::api::kinesis
