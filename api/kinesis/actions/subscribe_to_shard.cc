// SubscribeToShard: checks the consumer, shard and starting position like
// AWS (errors before the stream starts are ordinary error answers), takes the
// consumer's subscription slot for the shard, then answers with an event
// stream (ShardSubscription) that lasts up to five minutes.
#include <memory>

#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"
#include "api/kinesis/shard_subscription.h"

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
  const auto shard_id = storage::shard_id_for_index(*index);
  const auto shards = resolved.stream->shards();
  bool found = false;
  for (const auto& s : shards) found = found || s.index == *index;
  if (!found) return ActionResult::fail(shard_does_not_exist(shard_id, key));

  const auto* position = member(call.input, "StartingPosition");
  const auto type_name = position != nullptr ? string_member(*position, "Type").value_or("") : "";
  const auto type = storage::parse_shard_iterator_type(type_name);
  if (!type) return ActionResult::fail(invalid_argument("Invalid StartingPosition type " + type_name + "."));
  storage::IteratorRequest request;
  request.type = *type;
  if (*type == storage::ShardIteratorType::kAtSequenceNumber ||
      *type == storage::ShardIteratorType::kAfterSequenceNumber) {
    const auto sequence = string_member(*position, "SequenceNumber");
    if (!sequence) {
      return ActionResult::fail(
          invalid_argument("StartingPosition of type " + type_name + " requires a SequenceNumber."));
    }
    if (auto bad = check_starting_sequence(*sequence, *index, "SubscribeToShard", shard_id, key)) {
      return ActionResult::fail(*bad);
    }
    request.sequence_number = *sequence;
  }
  if (*type == storage::ShardIteratorType::kAtTimestamp) {
    const auto ts = int_member(*position, "Timestamp");
    if (!ts) return ActionResult::fail(invalid_argument("StartingPosition of type AT_TIMESTAMP requires a Timestamp."));
    request.timestamp = storage::TimePoint(std::chrono::milliseconds(*ts));
  }

  auto start = resolved.stream->start_position(shard_id, request);
  if (!start) {
    const auto& status = start.status();
    if (status.code() == storage::Status::Code::kNotFound && status.message().starts_with("shard ")) {
      return ActionResult::fail(shard_does_not_exist(shard_id, key));
    }
    if (status.code() == storage::Status::Code::kInvalidArgument) {
      return ActionResult::fail(invalid_argument("StartingSequenceNumber " + request.sequence_number +
                                                 " used in SubscribeToShard on shard " + shard_id + " in stream " +
                                                 key.name + " under account " + key.account +
                                                 " is invalid because it did not come from this stream."));
    }
    return ActionResult::fail(stream_call_error(status, key, resolved.stream.get()));
  }

  const storage::SubscriptionKey slot{key, resolved.consumer->name, resolved.consumer->created, *index};
  auto lease = call.streams.subscriptions().acquire(slot, call.clock.now());
  if (!lease) {
    // AWS's text (the rest of it, if any, is not documented).
    return ActionResult::fail(resource_in_use("Another active subscription exists for this consumer: " + arn));
  }

  SubscriptionStart begin;
  begin.stream = resolved.stream;
  begin.key = key;
  begin.consumer_arn = arn;
  begin.consumer_name = resolved.consumer->name;
  begin.consumer_created = resolved.consumer->created;
  begin.shard_index = *index;
  begin.position = *start;
  begin.lease = std::move(*lease);
  return ActionResult::streaming(std::make_unique<ShardSubscription>(std::move(begin), call.streams, call.clock));
}

}  // namespace shoal::api::kinesis
