// MergeShards: closes two adjacent open shards and opens one child covering
// both (ParentShardId = ShardToMerge, AdjacentParentShardId = the other);
// the stream is UPDATING meanwhile. AWS's order of errors: unreadable shard
// ids, unknown stream, unknown shards, closed shards, shards not adjacent.
#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

ActionResult merge_shards(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream && !is_stream_not_found(resolved.error)) return ActionResult::fail(resolved.error);
  const auto& key = resolved.key;
  std::string ids[2];
  const char* members[2] = {"ShardToMerge", "AdjacentShardToMerge"};
  for (int i = 0; i < 2; ++i) {
    const auto requested = string_member(call.input, members[i]).value_or("");
    const auto index = shard_index_of(requested);
    // An id that names no shard at all is refused before the stream is looked up.
    if (!index) return ActionResult::fail(could_not_find_shard(requested, key));
    ids[i] = storage::shard_id_for_index(*index);
  }
  if (!resolved.stream) return ActionResult::fail(resolved.error);

  auto status = call.streams.merge_shards(key, ids[0], ids[1]);
  if (status) return ActionResult::ok(nlohmann::json::object());
  const auto& message = status.message();
  switch (status.code()) {
    case storage::Status::Code::kNotFound:
      if (message.starts_with("shard ")) {
        const auto& missing = message.find(ids[0]) != std::string::npos ? ids[0] : ids[1];
        return ActionResult::fail(could_not_find_shard(missing, key));
      }
      break;
    case storage::Status::Code::kInvalidArgument:
      return ActionResult::fail(invalid_argument("Shards " + ids[0] + " and " + ids[1] + " in stream " + key.name +
                                                 " under account " + key.account +
                                                 " are not an adjacent pair of shards eligible for merging"));
    case storage::Status::Code::kResourceInUse:
      if (message.starts_with("shard ")) {
        const auto& closed = message.find(ids[0]) != std::string::npos ? ids[0] : ids[1];
        return ActionResult::fail(shard_not_eligible(closed, key));
      }
      break;
    default:
      break;
  }
  return ActionResult::fail(stream_call_error(status, key, resolved.stream.get()));
}

}  // namespace shoal::api::kinesis
