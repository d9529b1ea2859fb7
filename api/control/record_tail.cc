// GET /_shoal/kinesis/records?StreamName=<name>[&limit=N][&account=..&region=..]:
// the newest records of a stream across its shards, newest first (limit 1 to
// 100, default 20), each with its shard, sequence number, partition key,
// arrival time, size, and its data shown as Text or Hex (record_text.h): at
// most kShownBytes of it, with Truncated when there is more. Nothing is read
// the way GetRecords reads: no iterator, no throughput limit.
#include <charconv>

#include "api/control/control_call.h"
#include "api/control/record_text.h"

namespace shoal::api::control {
namespace {

constexpr std::size_t kShownBytes = 1024;
constexpr int kDefaultTail = 20;
constexpr int kMaxTail = 100;

std::optional<int> tail_limit(const std::optional<std::string>& text) {
  if (!text) return kDefaultTail;
  int value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
  if (value < 1 || value > kMaxTail) return std::nullopt;
  return value;
}

}  // namespace

ApiResponse kinesis_records(const ControlCall& call) {
  const auto& id = call.ctx.request_id;
  const auto name = call.param("StreamName");
  if (!name) return control_error(400, "MissingParameter", "Name the stream: StreamName=<name>.", id);
  const auto limit = tail_limit(call.param("limit"));
  if (!limit) return control_error(400, "InvalidParameter", "limit must be an integer from 1 to 100.", id);
  const auto account = call.account();
  const auto region = call.region();
  auto stream = call.engines.streams.find({account, region, *name});
  if (!stream) {
    return control_error(404, "ResourceNotFoundException",
                         "Stream " + *name + " under account " + account + " not found in " + region + ".", id);
  }
  nlohmann::json records = nlohmann::json::array();
  for (const auto& r : stream->newest_records(static_cast<std::size_t>(*limit), kShownBytes)) {
    const bool cut = r.data.size() < r.data_size;
    auto shown = show_bytes(r.data, cut);
    nlohmann::json out = {{"ShardId", r.shard_id},
                          {"SequenceNumber", r.sequence_number},
                          {"PartitionKey", r.partition_key},
                          {"ApproximateArrivalTimestamp", storage::to_epoch_ms(r.arrival)},
                          {"Size", r.data_size}};
    out[shown.text ? "Text" : "Hex"] = std::move(shown.value);
    if (cut) out["Truncated"] = true;
    records.push_back(std::move(out));
  }
  return json_response(200, {{"StreamName", *name}, {"Records", std::move(records)}}, id);
}

}  // namespace shoal::api::control
