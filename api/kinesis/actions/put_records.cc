// PutRecords: up to 500 records (5 MiB with partition keys) written under one
// stream lock; results in request order with FailedRecordCount. A record the
// engine refuses (too large) rejects the request as AWS's model validation
// does. With throughput limits on, records over their shard's write limit
// fail one by one (ErrorCode ProvisionedThroughputExceededException, AWS's
// ErrorMessage) while the others are written.
#include <cstdlib>

#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/actions/record_input.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

constexpr std::size_t kMaxBatchBytes = 5 * 1024 * 1024;

}  // namespace

ActionResult put_records(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto& key = resolved.key;
  const auto* entries = member(call.input, "Records");
  if (entries == nullptr || !entries->is_array()) return ActionResult::fail(invalid_argument("Records must be a list."));

  std::vector<storage::PutRecordInput> records(entries->size());
  std::size_t total = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (auto e = read_record((*entries)[i], records[i])) return ActionResult::fail(*e);
    total += records[i].data.size() + records[i].partition_key.size();
  }
  if (total > kMaxBatchBytes) return ActionResult::fail(invalid_argument("Records size exceeds 5 MB limit"));

  auto outcome = resolved.stream->put_records(records);
  if (!outcome) {
    const auto& status = outcome.status();
    const auto& message = status.message();
    if (status.code() == storage::Status::Code::kInvalidArgument && message.starts_with("record ")) {
      const auto index = static_cast<std::size_t>(std::strtoull(message.c_str() + 7, nullptr, 10));
      if (index < records.size()) {
        return ActionResult::fail(
            record_too_large(status, records[index], "records." + std::to_string(index + 1) + ".member.data"));
      }
    }
    return ActionResult::fail(stream_call_error(status, key, resolved.stream.get()));
  }

  auto& outcomes = *outcome;
  nlohmann::json results = nlohmann::json::array();
  results.get_ref<nlohmann::json::array_t&>().reserve(outcomes.size());
  storage::EncryptionType encryption = storage::EncryptionType::kNone;
  int failed = 0;
  for (auto& o : outcomes) {
    encryption = o.encryption;
    nlohmann::json r = nlohmann::json::object();
    if (o.throttled) {
      ++failed;
      r["ErrorCode"] = "ProvisionedThroughputExceededException";
      r["ErrorMessage"] = shard_rate_exceeded_message(o.shard_id, key);
    } else {
      r["SequenceNumber"] = std::move(o.sequence_number);
      r["ShardId"] = std::move(o.shard_id);
    }
    results.push_back(std::move(r));
  }
  return ActionResult::ok({{"FailedRecordCount", failed},
                           {"Records", std::move(results)},
                           {"EncryptionType", std::string(storage::to_string(encryption))}});
}

}  // namespace shoal::api::kinesis
