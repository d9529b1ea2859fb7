// Helpers shared by the Kinesis stream lifecycle and data-plane actions:
// lenient shard ids as AWS accepts them, the JSON form of shards, and AWS's
// wording for the errors several of those actions answer. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"
#include "api/kinesis/kinesis_action.h"
#include "storage/stream/stream_types.h"

namespace shoal::api::kinesis {

// AWS resolves "shardId-000000000001", "shardId-1", "anything-1" and "1" to
// shard 1: the digits after the first '-' (or the whole id), < 2^31.
std::optional<std::uint32_t> shard_index_of(std::string_view shard_id);

nlohmann::json hash_key_range_json(const storage::HashKeyRange& range);
// {ShardId, ParentShardId?, AdjacentParentShardId?, HashKeyRange, SequenceNumberRange}
nlohmann::json shard_json(const storage::ShardInfo& shard);
nlohmann::json stream_mode_json(storage::StreamMode mode);
// A Record as GetRecords and SubscribeToShardEvent carry it; takes the
// strings of `r` (the data is copied once, into the output blob).
nlohmann::json record_json(storage::StreamRecord& r);
// [{ShardId, ParentShards, HashKeyRange}]
nlohmann::json child_shards_json(const std::vector<storage::ChildShard>& children);
// [{"ShardLevelMetrics": [...]}], as Describe* answer it.
nlohmann::json enhanced_monitoring_json(const std::vector<std::string>& metrics);

// A starting sequence number given to `action` (GetShardIterator,
// SubscribeToShard) for shard `shard_index`: AWS's InvalidArgumentException
// when it is malformed or encodes another shard; else nullopt.
std::optional<AwsError> check_starting_sequence(std::string_view sequence, std::uint32_t shard_index,
                                                std::string_view action, std::string_view shard_id,
                                                const storage::StreamKey& key);

// "Stream X under account Y not ACTIVE, instead in state S"
AwsError stream_not_active_error(const storage::StreamKey& key, storage::StreamStatus status);
// "Could not find shard S in stream X under account Y."
AwsError could_not_find_shard(std::string_view shard_id, const storage::StreamKey& key);
// InvalidArgumentException "Shard S in stream X under account Y has already
// been merged or split, and thus is not eligible for merging or splitting.":
// SplitShard or MergeShards on a closed shard (moto's AWS-verified wording).
AwsError shard_not_eligible(std::string_view shard_id, const storage::StreamKey& key);
// Whether `error` is the stream-not-found answer of resolve_stream (as
// opposed to a malformed name or ARN).
bool is_stream_not_found(const AwsError& error);
// "Shard S in stream X under account Y does not exist"
AwsError shard_does_not_exist(std::string_view shard_id, const storage::StreamKey& key);
// "Rate exceeded for shard S in stream X under account Y.": what AWS says
// when a shard's read or write limit throttles a call or a PutRecords entry.
std::string shard_rate_exceeded_message(std::string_view shard_id, const storage::StreamKey& key);
// ProvisionedThroughputExceededException (400) with that message.
AwsError shard_rate_exceeded(std::string_view shard_id, const storage::StreamKey& key);
// AWS's account shard limit text ("This request would exceed the shard limit ...").
AwsError shard_limit_exceeded(const storage::StreamKey& key, int current, int limit, int additional);

// A failed engine status of a data-plane or resharding call on the stream:
// kNotFound while CREATING/DELETING reads as the stream not found,
// kResourceInUse "stream is ..." as not ACTIVE; the rest as from_status.
AwsError stream_call_error(const storage::Status& status, const storage::StreamKey& key,
                           const storage::Stream* stream);

// Opaque paging tokens: base64 of a small JSON object tagged with `kind`.
std::string encode_token(std::string_view kind, nlohmann::json fields);
std::optional<nlohmann::json> decode_token(std::string_view kind, std::string_view token);

}  // namespace shoal::api::kinesis
