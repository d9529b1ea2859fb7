// SplitShard: closes an open shard and opens two children split at
// NewStartingHashKey (the stream is UPDATING meanwhile); AWS's errors, in
// AWS's order, for an unreadable shard id, an unknown stream or shard, a key
// outside the shard, a closed shard and the account shard limit.
#include <algorithm>

#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

ActionResult split_shard(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream && !is_stream_not_found(resolved.error)) return ActionResult::fail(resolved.error);
  const auto& key = resolved.key;
  const auto requested = string_member(call.input, "ShardToSplit").value_or("");
  const auto index = shard_index_of(requested);
  // An id that names no shard at all is refused before the stream is looked up.
  if (!index) return ActionResult::fail(could_not_find_shard(requested, key));
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto shard_id = storage::shard_id_for_index(*index);

  const auto shards = resolved.stream->shards();
  const auto shard = std::find_if(shards.begin(), shards.end(), [&](const auto& s) { return s.index == *index; });
  if (shard == shards.end()) return ActionResult::fail(could_not_find_shard(shard_id, key));

  const auto key_text = string_member(call.input, "NewStartingHashKey").value_or("");
  const auto hash = storage::parse_hash_key(key_text);
  const auto& range = shard->hash_key_range;
  if (!hash || *hash <= range.start + 1 || *hash >= range.end) {
    return ActionResult::fail(invalid_argument(
        "NewStartingHashKey " + key_text + " used in SplitShard() on shard " + shard_id + " in stream " + key.name +
        " under account " + key.account + " is not both greater than one plus the shard's StartingHashKey " +
        storage::hash_key_to_string(range.start) + " and less than the shard's EndingHashKey " +
        storage::hash_key_to_string(range.end) + "."));
  }

  auto status = call.streams.split_shard(key, shard_id, *hash);
  if (status) return ActionResult::ok(nlohmann::json::object());
  switch (status.code()) {
    case storage::Status::Code::kLimitExceeded: {
      const auto limits = call.streams.limits(key.account, key.region);
      return ActionResult::fail(shard_limit_exceeded(key, limits.open_shard_count, limits.shard_limit, 1));
    }
    case storage::Status::Code::kNotFound:
      if (status.message().starts_with("shard ")) return ActionResult::fail(could_not_find_shard(shard_id, key));
      break;
    case storage::Status::Code::kResourceInUse:
      if (status.message().starts_with("shard ")) return ActionResult::fail(shard_not_eligible(shard_id, key));
      break;
    default:
      break;
  }
  return ActionResult::fail(stream_call_error(status, key, resolved.stream.get()));
}

}  // namespace shoal::api::kinesis
