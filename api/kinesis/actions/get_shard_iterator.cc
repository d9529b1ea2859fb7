// GetShardIterator: an opaque, signed iterator into one shard at
// TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER or AT_TIMESTAMP, with AWS's
// errors for missing or misplaced positions and unknown shards.
#include <chrono>

#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

AwsError position_mismatch(std::string_view type, bool has_number) {
  return invalid_argument(
      "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or "
      "(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " +
      std::string(type) + (has_number ? " and also a StartingSequenceNumber." : " and no StartingSequenceNumber."));
}

}  // namespace

ActionResult get_shard_iterator(const KinesisCall& call) {
  const auto requested_shard = string_member(call.input, "ShardId").value_or("");
  auto resolved = resolve_stream(call);
  if (!resolved.stream) {
    // AWS names the shard when the stream is unknown (kinesalite recordings);
    // an id that names no shard at all gets "Could not find shard".
    if (resolved.error.code == "ResourceNotFoundException") {
      auto index = shard_index_of(requested_shard);
      if (!index) return ActionResult::fail(could_not_find_shard(requested_shard, resolved.key));
      return ActionResult::fail(shard_does_not_exist(storage::shard_id_for_index(*index), resolved.key));
    }
    return ActionResult::fail(resolved.error);
  }
  const auto& key = resolved.key;
  const auto index = shard_index_of(requested_shard);
  if (!index) return ActionResult::fail(could_not_find_shard(requested_shard, key));
  const auto shard_id = storage::shard_id_for_index(*index);

  const auto type_name = string_member(call.input, "ShardIteratorType").value_or("");
  const auto type = storage::parse_shard_iterator_type(type_name);
  if (!type) return ActionResult::fail(invalid_argument("Invalid ShardIteratorType " + type_name + "."));
  const auto sequence = string_member(call.input, "StartingSequenceNumber");
  storage::IteratorRequest request;
  request.type = *type;
  switch (*type) {
    case storage::ShardIteratorType::kTrimHorizon:
    case storage::ShardIteratorType::kLatest:
      if (sequence) return ActionResult::fail(position_mismatch(type_name, true));
      break;
    case storage::ShardIteratorType::kAtSequenceNumber:
    case storage::ShardIteratorType::kAfterSequenceNumber: {
      if (!sequence) return ActionResult::fail(position_mismatch(type_name, false));
      if (auto bad = check_starting_sequence(*sequence, *index, "GetShardIterator", shard_id, key)) {
        return ActionResult::fail(*bad);
      }
      request.sequence_number = *sequence;
      break;
    }
    case storage::ShardIteratorType::kAtTimestamp: {
      auto ts = int_member(call.input, "Timestamp");
      if (!ts) {
        return ActionResult::fail(invalid_argument(
            "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no "
            "timestamp parameter."));
      }
      request.timestamp = storage::TimePoint(std::chrono::milliseconds(*ts));
      break;
    }
  }

  // GetRecords serves the iterator to this account only.
  auto iterator = resolved.stream->get_shard_iterator(shard_id, request, call.ctx.account);
  if (!iterator) {
    const auto& status = iterator.status();
    if (status.code() == storage::Status::Code::kNotFound && status.message().starts_with("shard ")) {
      return ActionResult::fail(shard_does_not_exist(shard_id, key));
    }
    if (status.code() == storage::Status::Code::kInvalidArgument && sequence) {
      return ActionResult::fail(invalid_argument("StartingSequenceNumber " + *sequence +
                                                 " used in GetShardIterator on shard " + shard_id + " in stream " +
                                                 key.name + " under account " + key.account +
                                                 " is invalid because it did not come from this stream."));
    }
    return ActionResult::fail(stream_call_error(status, key, resolved.stream.get()));
  }
  return ActionResult::ok({{"ShardIterator", std::move(*iterator)}});
}

}  // namespace shoal::api::kinesis
