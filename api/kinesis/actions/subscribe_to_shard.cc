// SubscribeToShard: checks the consumer, shard and starting position like
// AWS, then answers InvalidArgumentException: the HTTP/2 event stream this
// action needs is not served yet (a separate issue), and a 400 that names the
// reason stops clients from retrying a subscription that cannot work.
#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

ActionResult subscribe_to_shard(const KinesisCall& call) {
  auto resolved = resolve_consumer(call);
  if (!resolved.stream || !resolved.consumer) return ActionResult::fail(resolved.error);
  const auto& key = resolved.key;
  const auto arn = string_member(call.input, "ConsumerARN").value_or("");
  if (resolved.consumer->status != storage::ConsumerStatus::kActive) {
    return ActionResult::fail(resource_in_use("Consumer " + arn + " under account " + key.account +
                                              " is not in ACTIVE state, instead in state " +
                                              std::string(storage::to_string(resolved.consumer->status)) + "."));
  }
  const auto requested = string_member(call.input, "ShardId").value_or("");
  const auto index = shard_index_of(requested);
  if (!index) return ActionResult::fail(could_not_find_shard(requested, key));
  const auto shards = resolved.stream->shards();
  bool found = false;
  for (const auto& s : shards) found = found || s.index == *index;
  if (!found) return ActionResult::fail(shard_does_not_exist(storage::shard_id_for_index(*index), key));

  if (const auto* position = member(call.input, "StartingPosition")) {
    const auto type = string_member(*position, "Type").value_or("");
    const bool needs_number = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
    if (needs_number && !member(*position, "SequenceNumber")) {
      return ActionResult::fail(invalid_argument("StartingPosition of type " + type + " requires a SequenceNumber."));
    }
    if (type == "AT_TIMESTAMP" && !member(*position, "Timestamp")) {
      return ActionResult::fail(invalid_argument("StartingPosition of type AT_TIMESTAMP requires a Timestamp."));
    }
  }
  return ActionResult::fail(invalid_argument(
      "SubscribeToShard delivers records over an HTTP/2 event stream, which this server does not serve yet. "
      "Read the shard with GetShardIterator and GetRecords instead."));
}

}  // namespace shoal::api::kinesis
