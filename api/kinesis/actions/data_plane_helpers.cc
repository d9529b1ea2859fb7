#include "api/kinesis/actions/data_plane_helpers.h"

#include "api/common/base64.h"
#include "api/kinesis/kinesis_errors.h"
#include "storage/stream/sequence_number.h"

namespace shoal::api::kinesis {

std::optional<std::uint32_t> shard_index_of(std::string_view shard_id) {
  auto dash = shard_id.find('-');
  std::string_view digits = dash == std::string_view::npos ? shard_id : shard_id.substr(dash + 1);
  if (digits.empty() || digits.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > 0x7fff'ffffU) return std::nullopt;
  }
  return static_cast<std::uint32_t>(v);
}

nlohmann::json hash_key_range_json(const storage::HashKeyRange& range) {
  return {{"StartingHashKey", storage::hash_key_to_string(range.start)},
          {"EndingHashKey", storage::hash_key_to_string(range.end)}};
}

nlohmann::json shard_json(const storage::ShardInfo& shard) {
  nlohmann::json sequence = {{"StartingSequenceNumber", shard.starting_sequence_number}};
  if (shard.ending_sequence_number) sequence["EndingSequenceNumber"] = *shard.ending_sequence_number;
  nlohmann::json out = {{"ShardId", shard.shard_id},
                        {"HashKeyRange", hash_key_range_json(shard.hash_key_range)},
                        {"SequenceNumberRange", std::move(sequence)}};
  if (shard.parent_shard_id) out["ParentShardId"] = *shard.parent_shard_id;
  if (shard.adjacent_parent_shard_id) out["AdjacentParentShardId"] = *shard.adjacent_parent_shard_id;
  return out;
}

nlohmann::json record_json(storage::StreamRecord& r) {
  nlohmann::json out = nlohmann::json::object();
  out["SequenceNumber"] = std::move(r.sequence_number);
  out["ApproximateArrivalTimestamp"] = timestamp_value(r.arrival);
  out["Data"] = blob_value(r.data);
  out["PartitionKey"] = std::move(r.partition_key);
  if (r.encryption != storage::EncryptionType::kNone) {
    out["EncryptionType"] = std::string(storage::to_string(r.encryption));
  }
  return out;
}

nlohmann::json child_shards_json(const std::vector<storage::ChildShard>& children) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : children) {
    out.push_back(
        {{"ShardId", c.shard_id}, {"ParentShards", c.parent_shards}, {"HashKeyRange", hash_key_range_json(c.hash_key_range)}});
  }
  return out;
}

nlohmann::json stream_mode_json(storage::StreamMode mode) {
  return {{"StreamMode", std::string(storage::to_string(mode))}};
}

nlohmann::json enhanced_monitoring_json(const std::vector<std::string>& metrics) {
  nlohmann::json entry = nlohmann::json::object();
  entry["ShardLevelMetrics"] = metrics;
  return nlohmann::json::array({std::move(entry)});
}

std::optional<AwsError> check_starting_sequence(std::string_view sequence, std::uint32_t shard_index,
                                                std::string_view action, std::string_view shard_id,
                                                const storage::StreamKey& key) {
  auto parts = storage::decode_sequence_number(sequence);
  if (!parts) {
    return invalid_argument("StartingSequenceNumber " + std::string(sequence) + " used in " + std::string(action) +
                            " on shard " + std::string(shard_id) + " in stream " + key.name + " under account " +
                            key.account + " is invalid.");
  }
  if (parts->shard_index != shard_index) {
    return invalid_argument("Invalid StartingSequenceNumber. It encodes " +
                            storage::shard_id_for_index(parts->shard_index) + ", while it was used in a call to a " +
                            "shard with " + std::string(shard_id));
  }
  return std::nullopt;
}

AwsError stream_not_active_error(const storage::StreamKey& key, storage::StreamStatus status) {
  return resource_in_use("Stream " + key.name + " under account " + key.account + " not ACTIVE, instead in state " +
                         std::string(storage::to_string(status)));
}

AwsError could_not_find_shard(std::string_view shard_id, const storage::StreamKey& key) {
  return resource_not_found("Could not find shard " + std::string(shard_id) + " in stream " + key.name +
                            " under account " + key.account + ".");
}

std::string shard_rate_exceeded_message(std::string_view shard_id, const storage::StreamKey& key) {
  return "Rate exceeded for shard " + std::string(shard_id) + " in stream " + key.name + " under account " +
         key.account + ".";
}

AwsError shard_rate_exceeded(std::string_view shard_id, const storage::StreamKey& key) {
  return error("ProvisionedThroughputExceededException", shard_rate_exceeded_message(shard_id, key));
}

AwsError shard_not_eligible(std::string_view shard_id, const storage::StreamKey& key) {
  return invalid_argument("Shard " + std::string(shard_id) + " in stream " + key.name + " under account " +
                          key.account +
                          " has already been merged or split, and thus is not eligible for merging or "
                          "splitting.");
}

bool is_stream_not_found(const AwsError& error) { return error.code == "ResourceNotFoundException"; }

AwsError shard_does_not_exist(std::string_view shard_id, const storage::StreamKey& key) {
  return resource_not_found("Shard " + std::string(shard_id) + " in stream " + key.name + " under account " +
                            key.account + " does not exist");
}

AwsError shard_limit_exceeded(const storage::StreamKey& key, int current, int limit, int additional) {
  return limit_exceeded("This request would exceed the shard limit for the account " + key.account + " in " +
                        key.region + ". Current shard count for the account: " + std::to_string(current) +
                        ". Limit: " + std::to_string(limit) +
                        ". Number of additional shards that would have resulted from this request: " +
                        std::to_string(additional) +
                        ". Refer to the AWS Service Limits page "
                        "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) "
                        "for current limits and how to request higher limits.");
}

AwsError stream_call_error(const storage::Status& status, const storage::StreamKey& key,
                           const storage::Stream* stream) {
  using Code = storage::Status::Code;
  const bool about_stream = status.message().starts_with("stream ");
  if (status.code() == Code::kNotFound && about_stream) return stream_not_found(key.name, key.account);
  if (status.code() == Code::kResourceInUse && about_stream && stream != nullptr) {
    auto s = stream->status();
    if (s != storage::StreamStatus::kActive) return stream_not_active_error(key, s);
  }
  return from_status(status, key);
}

std::string encode_token(std::string_view kind, nlohmann::json fields) {
  fields["k"] = kind;
  return base64_encode(fields.dump());
}

std::optional<nlohmann::json> decode_token(std::string_view kind, std::string_view token) {
  auto bytes = base64_decode(token);
  if (!bytes) return std::nullopt;
  auto value = nlohmann::json::parse(*bytes, nullptr, false);
  if (!value.is_object()) return std::nullopt;
  auto k = value.find("k");
  if (k == value.end() || !k->is_string() || k->get_ref<const std::string&>() != kind) return std::nullopt;
  return value;
}

}  // namespace shoal::api::kinesis
