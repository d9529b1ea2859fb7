// PutRecord: one record routed by ExplicitHashKey or MD5(PartitionKey) to the
// open shard covering it; answers ShardId, SequenceNumber, EncryptionType, or
// ProvisionedThroughputExceededException when throughput limits are on and
// the shard's write limit refuses it.
#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/actions/record_input.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

ActionResult put_record(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto& key = resolved.key;

  storage::PutRecordInput record;
  if (auto e = read_record(call.input, record)) return ActionResult::fail(*e);
  auto ordering = string_member(call.input, "SequenceNumberForOrdering");
  if (ordering) record.sequence_number_for_ordering = *ordering;

  auto outcome = resolved.stream->put_record(record);
  if (!outcome) {
    const auto& status = outcome.status();
    if (status.code() == storage::Status::Code::kInvalidArgument) {
      if (ordering && status.message().starts_with("sequence number for ordering")) {
        return ActionResult::fail(invalid_argument("ExclusiveMinimumSequenceNumber " + *ordering +
                                                   " used in PutRecord on stream " + key.name + " under account " +
                                                   key.account + " is invalid."));
      }
      return ActionResult::fail(record_too_large(status, record, "data"));
    }
    return ActionResult::fail(stream_call_error(status, key, resolved.stream.get()));
  }
  if (outcome->throttled) return ActionResult::fail(shard_rate_exceeded(outcome->shard_id, key));
  return ActionResult::ok({{"ShardId", std::move(outcome->shard_id)},
                           {"SequenceNumber", std::move(outcome->sequence_number)},
                           {"EncryptionType", std::string(storage::to_string(outcome->encryption))}});
}

}  // namespace shoal::api::kinesis
