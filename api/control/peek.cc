// Looking into the engines without changing them:
//   GET /_shoal/sqs/messages?QueueUrl=<url>   (or
//   queue=<name>[&account=..][&region=..])[&limit=N]
//       every message (or the first N in send order) with its state
//       (visible, in_flight, delayed), receive count and timestamps; nothing
//       is received, no visibility changes.
//   GET /_shoal/kinesis/shards?StreamName=<name>   (or none: every stream)
//       each shard's hash range, parents, retained record count and bytes,
//       records ever put, and the sequence numbers of its oldest and newest
//       records.
#include <charconv>
#include <limits>

#include "api/control/control_call.h"
#include "api/control/peek_queue.h"
#include "api/sqs/queue_address.h"
#include "storage/stream/hash_key.h"
#include "storage/stream/stream_types.h"

namespace shoal::api::control {
namespace {

std::string_view state_name(storage::PeekedMessage::State state) {
  switch (state) {
    case storage::PeekedMessage::State::kVisible:
      return "visible";
    case storage::PeekedMessage::State::kDelayed:
      return "delayed";
    case storage::PeekedMessage::State::kInFlight:
      break;
  }
  return "in_flight";
}

nlohmann::json render_message(const storage::PeekedMessage& p) {
  const auto& m = *p.message;
  nlohmann::json out = {{"MessageId", m.message_id()},     {"Body", m.body()},
                        {"MD5OfBody", m.md5_of_body()},    {"State", state_name(p.state)},
                        {"ReceiveCount", p.receive_count}, {"SentTimestamp", storage::to_epoch_ms(m.sent())}};
  if (p.first_receive) out["FirstReceiveTimestamp"] = storage::to_epoch_ms(*p.first_receive);
  if (p.visible_at) out["VisibleAt"] = storage::to_epoch_ms(*p.visible_at);
  if (!m.group_id().empty()) out["MessageGroupId"] = m.group_id();
  if (!m.deduplication_id().empty()) out["MessageDeduplicationId"] = m.deduplication_id();
  if (!m.sequence_number().empty()) out["SequenceNumber"] = m.sequence_number();
  if (m.has_attributes()) {
    nlohmann::json attributes = nlohmann::json::object();
    for (const auto& [name, a] : m.attributes()) {
      attributes[name] = {{"DataType", a.data_type}};
      if (a.data_type.starts_with("Binary")) {
        attributes[name]["BinaryValueLength"] = a.binary_value.size();
      } else {
        attributes[name]["StringValue"] = a.string_value;
      }
    }
    out["MessageAttributes"] = std::move(attributes);
  }
  return out;
}

nlohmann::json render_stream(const storage::Stream& stream) {
  nlohmann::json shards = nlohmann::json::array();
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  for (const auto& p : stream.shard_positions()) {
    nlohmann::json s = {{"ShardId", p.shard.shard_id},
                        {"Open", p.shard.open()},
                        {"HashKeyRange",
                         {{"StartingHashKey", storage::hash_key_to_string(p.shard.hash_key_range.start)},
                          {"EndingHashKey", storage::hash_key_to_string(p.shard.hash_key_range.end)}}},
                        {"StartingSequenceNumber", p.shard.starting_sequence_number},
                        {"Records", p.records},
                        {"Bytes", p.bytes},
                        {"RecordsPut", p.records_put}};
    if (p.shard.parent_shard_id) s["ParentShardId"] = *p.shard.parent_shard_id;
    if (p.shard.adjacent_parent_shard_id) s["AdjacentParentShardId"] = *p.shard.adjacent_parent_shard_id;
    if (p.shard.ending_sequence_number) s["EndingSequenceNumber"] = *p.shard.ending_sequence_number;
    if (p.first_sequence_number) s["FirstSequenceNumber"] = *p.first_sequence_number;
    if (p.last_sequence_number) s["LastSequenceNumber"] = *p.last_sequence_number;
    records += p.records;
    bytes += p.bytes;
    shards.push_back(std::move(s));
  }
  return {{"StreamName", stream.key().name},
          {"StreamStatus", storage::to_string(stream.status())},
          {"Records", records},
          {"Bytes", bytes},
          {"Shards", std::move(shards)}};
}

}  // namespace

ApiResponse sqs_peek(const ControlCall& call) {
  auto found = find_peek_queue(call);
  if (!found.queue) return control_error(found.status, found.code, found.message, call.ctx.request_id);
  std::size_t limit = std::numeric_limits<std::size_t>::max();
  if (auto text = call.param("limit")) {
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (text->empty() || ec != std::errc() || ptr != text->data() + text->size()) {
      return control_error(400, "InvalidParameter", "limit must be a non-negative integer.", call.ctx.request_id);
    }
  }
  const auto counts = found.queue->counts();
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& p : found.queue->peek(limit)) messages.push_back(render_message(p));
  nlohmann::json out = {
      {"QueueName", found.queue->key().name},
      {"Account", found.queue->key().account},
      {"Region", found.queue->key().region},
      {"Counts", {{"Visible", counts.visible}, {"InFlight", counts.in_flight}, {"Delayed", counts.delayed}}},
      {"Messages", std::move(messages)}};
  return json_response(200, out, call.ctx.request_id);
}

ApiResponse kinesis_peek(const ControlCall& call) {
  const auto account = call.account();
  const auto region = call.region();
  auto name = call.param("StreamName");
  if (name) {
    auto stream = call.engines.streams.find({account, region, *name});
    if (!stream) {
      return control_error(404, "ResourceNotFoundException",
                           "Stream " + *name + " under account " + account + " not found in " + region + ".",
                           call.ctx.request_id);
    }
    return json_response(200, render_stream(*stream), call.ctx.request_id);
  }
  nlohmann::json streams = nlohmann::json::array();
  for (const auto& stream : call.engines.streams.list(account, region)) streams.push_back(render_stream(*stream));
  return json_response(200, {{"Streams", std::move(streams)}}, call.ctx.request_id);
}

}  // namespace shoal::api::control
