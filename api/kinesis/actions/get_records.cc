// GetRecords: up to Limit (default 10000) records from a shard iterator, with
// NextShardIterator (absent once a closed shard is read to its end, when
// ChildShards names its children) and MillisBehindLatest; with throughput
// limits on, ProvisionedThroughputExceededException past the shard's read limit.
// The caller must be the account the iterator was issued to, and still be
// let in by the stream's policy when it is not the owner.
#include <charconv>
#include <ctime>

#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"
#include "api/kinesis/stream_access.h"

namespace shoal::api::kinesis {
namespace {

constexpr std::int64_t kDefaultLimit = 10000;

// "Thu Jan 22 01:22:02 UTC 2015", as AWS writes times in this message.
std::string amz_utc(std::int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

AwsError iterator_expired(const storage::Status& status, storage::TimePoint now) {
  // The codec's message ends "(issued at N ms)".
  std::int64_t issued_ms = 0;
  const auto& message = status.message();
  if (auto at = message.find("issued at "); at != std::string::npos) {
    std::from_chars(message.data() + at + 10, message.data() + message.size(), issued_ms);
  }
  return expired_iterator("Iterator expired. The iterator was created at time " + amz_utc(issued_ms) +
                          " while right now it is " + amz_utc(storage::to_epoch_ms(now)) +
                          " which is further in the future than the tolerated delay of 300000 milliseconds.");
}

// GetRecords once its iterator decoded.
ActionResult read_records(const KinesisCall& call, const storage::ShardIteratorState& state) {
  const storage::StreamKey key{state.account, state.region, state.stream_name};
  if (auto denied = check_stream_access(call, key.account, stream_arn(key))) return ActionResult::fail(*denied);
  // An iterator reads for the account it was issued to, and no other.
  if (state.reader() != call.ctx.account) return ActionResult::fail(invalid_argument("Invalid ShardIterator."));
  const auto shard_id = storage::shard_id_for_index(state.shard_index);
  if (auto arn = string_member(call.input, "StreamARN")) {
    auto named = parse_stream_arn(*arn);
    if (!named || *named != key) {
      return ActionResult::fail(invalid_argument("StreamARN " + *arn + " does not match the stream of the ShardIterator."));
    }
  }
  auto stream = call.streams.find(key);
  if (!stream) return ActionResult::fail(shard_does_not_exist(shard_id, key));

  const auto limit = static_cast<int>(int_member(call.input, "Limit").value_or(kDefaultLimit));
  auto outcome = stream->get_records(state, limit);
  if (!outcome) {
    const auto& status = outcome.status();
    switch (status.code()) {
      case storage::Status::Code::kNotFound:
        return ActionResult::fail(shard_does_not_exist(shard_id, key));
      case storage::Status::Code::kInvalidArgument:  // an iterator of an earlier stream of that name
        return ActionResult::fail(invalid_argument("Invalid ShardIterator."));
      case storage::Status::Code::kThrottled:  // the iterator stays valid: the caller retries with it
        return ActionResult::fail(shard_rate_exceeded(shard_id, key));
      default:
        return ActionResult::fail(stream_call_error(status, key, stream.get()));
    }
  }

  auto& got = *outcome;
  nlohmann::json records = nlohmann::json::array();
  records.get_ref<nlohmann::json::array_t&>().reserve(got.records.size());
  for (auto& r : got.records) records.push_back(record_json(r));
  nlohmann::json out = nlohmann::json::object();
  out["Records"] = std::move(records);
  out["MillisBehindLatest"] = got.millis_behind_latest;
  if (got.next_shard_iterator) {
    out["NextShardIterator"] = std::move(*got.next_shard_iterator);
  } else {
    out["ChildShards"] = child_shards_json(got.child_shards);
  }
  return ActionResult::ok(std::move(out));
}

}  // namespace

ActionResult get_records(const KinesisCall& call) {
  const auto now = call.clock.now();
  const auto text = string_member(call.input, "ShardIterator").value_or("");
  auto state = call.streams.iterator_codec().decode(text, now);
  if (!state) {
    if (state.status().code() == storage::Status::Code::kHandleExpired) {
      return ActionResult::fail(iterator_expired(state.status(), now));
    }
    return ActionResult::fail(invalid_argument("Invalid ShardIterator."));
  }
  auto result = read_records(call, *state);
  result.resource = state->stream_name;  // the request names it only inside the iterator
  return result;
}

}  // namespace shoal::api::kinesis
