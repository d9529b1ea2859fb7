// Register/Deregister/Describe/ListStreamConsumers: a stream's enhanced
// fan-out consumers (CREATING -> ACTIVE, DELETING -> gone, by engine delays).
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "api/common/base64.h"
#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

constexpr std::int64_t kDefaultConsumerResults = 100;

nlohmann::json consumer_value(const storage::StreamKey& key, const storage::ConsumerInfo& c) {
  return {{"ConsumerName", c.name},
          {"ConsumerARN", consumer_arn(key, c)},
          {"ConsumerStatus", std::string(storage::to_string(c.status))},
          {"ConsumerCreationTimestamp", timestamp_value(c.created)}};
}

// NextToken: base64 of "<stream created ms>|<last created ms>|<last name>".
// The list is ordered by (created, name), so the page after a token starts
// past that pair even when consumers come and go in between.
struct ListCursor {
  std::int64_t stream_created_ms = 0;
  std::int64_t created_ms = 0;
  std::string name;
};

std::string encode_cursor(const ListCursor& c) {
  return base64_encode(std::to_string(c.stream_created_ms) + "|" + std::to_string(c.created_ms) + "|" + c.name);
}

std::optional<ListCursor> decode_cursor(std::string_view token) {
  auto text = base64_decode(token);
  if (!text) return std::nullopt;
  const auto a = text->find('|');
  const auto b = a == std::string::npos ? a : text->find('|', a + 1);
  if (b == std::string::npos) return std::nullopt;
  ListCursor c;
  try {
    std::size_t used = 0;
    c.stream_created_ms = std::stoll(text->substr(0, a), &used);
    if (used != a) return std::nullopt;
    c.created_ms = std::stoll(text->substr(a + 1, b - a - 1), &used);
    if (used != b - a - 1) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  c.name = text->substr(b + 1);
  if (c.name.empty()) return std::nullopt;
  return c;
}

}  // namespace

ActionResult register_stream_consumer(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto& key = resolved.key;
  const auto name = string_member(call.input, "ConsumerName").value_or("");
  std::map<std::string, std::string> tags;
  if (const auto* t = member(call.input, "Tags")) {
    for (const auto& [k, v] : t->items()) tags[k] = v.is_string() ? v.get<std::string>() : std::string();
  }
  std::vector<std::string> texts;
  for (const auto& [k, v] : tags) {
    texts.push_back(k);
    texts.push_back(v);
  }
  if (auto bad = check_tag_text(texts, "add tags to", key)) return ActionResult::fail(*bad);
  auto registered = resolved.stream->register_consumer(name, tags);
  if (!registered) {
    const auto& st = registered.status();
    if (st.code() == storage::Status::Code::kInvalidArgument) return ActionResult::fail(too_many_tags(call, key, name));
    if (st.code() == storage::Status::Code::kLimitExceeded) {
      return ActionResult::fail(limit_exceeded(
          "Consumer limit of " + std::to_string(call.streams.options().limits.max_consumers) +
          " reached for stream " + key.name + " under account " + key.account + "."));
    }
    if (st.code() == storage::Status::Code::kResourceInUse) {
      const auto status = resolved.stream->status();
      if (status != storage::StreamStatus::kActive && status != storage::StreamStatus::kUpdating) {
        return ActionResult::fail(stream_not_active(key, storage::to_string(status)));
      }
      return ActionResult::fail(resource_in_use("Consumer " + name + " under stream " + key.name +
                                                " under account " + key.account + " already exists."));
    }
    return ActionResult::fail(from_status(st, key));
  }
  // AWS answers every registration with CREATING (the consumer exists from
  // now on, ACTIVE later); with a zero consumer delay the engine already says
  // ACTIVE, which DescribeStreamConsumer reports from the next call on.
  auto consumer = consumer_value(key, *registered);
  consumer["ConsumerStatus"] = std::string(storage::to_string(storage::ConsumerStatus::kCreating));
  return ActionResult::ok({{"Consumer", std::move(consumer)}});
}

ActionResult deregister_stream_consumer(const KinesisCall& call) {
  auto resolved = resolve_current_consumer(call);
  if (!resolved.consumer) return ActionResult::fail(resolved.error);
  if (auto st = resolved.stream->deregister_consumer(resolved.consumer->name); !st) {
    if (st.code() == storage::Status::Code::kNotFound) {
      return ActionResult::fail(consumer_not_found(resolved.key, resolved.consumer->name));
    }
    return ActionResult::fail(from_status(st, resolved.key));
  }
  // Its policy goes with it (its tags live on the consumer and go too).
  call.streams.delete_resource_policies_under(consumer_arn(resolved.key, *resolved.consumer));
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult describe_stream_consumer(const KinesisCall& call) {
  auto resolved = resolve_current_consumer(call);
  if (!resolved.consumer) return ActionResult::fail(resolved.error);
  auto description = consumer_value(resolved.key, *resolved.consumer);
  description["StreamARN"] = stream_arn(resolved.key);
  return ActionResult::ok({{"ConsumerDescription", std::move(description)}});
}

ActionResult list_stream_consumers(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto& stream = *resolved.stream;
  const auto stream_created_ms = storage::to_epoch_ms(stream.created());
  // Clients send the timestamp they were given, possibly cut to seconds.
  if (auto created = int_member(call.input, "StreamCreationTimestamp");
      created && *created / 1000 != stream_created_ms / 1000) {
    return ActionResult::fail(stream_not_found(resolved.key.name, resolved.key.account));
  }
  std::optional<ListCursor> after;
  if (auto token = string_member(call.input, "NextToken")) {
    after = decode_cursor(*token);
    if (!after) return ActionResult::fail(invalid_argument("Invalid NextToken: " + *token));
    if (after->stream_created_ms != stream_created_ms) {
      return ActionResult::fail(error("ExpiredNextTokenException",
                                      "The NextToken belongs to an earlier stream named " + resolved.key.name + "."));
    }
  }
  const auto max_results = int_member(call.input, "MaxResults").value_or(kDefaultConsumerResults);
  nlohmann::json list = nlohmann::json::array();
  std::optional<ListCursor> last;
  bool more = false;
  for (const auto& c : stream.consumers()) {
    const auto created_ms = storage::to_epoch_ms(c.created);
    if (after && std::tie(created_ms, c.name) <= std::tie(after->created_ms, after->name)) continue;
    if (static_cast<std::int64_t>(list.size()) >= max_results) {
      more = true;
      break;
    }
    list.push_back(consumer_value(resolved.key, c));
    last = ListCursor{stream_created_ms, created_ms, c.name};
  }
  nlohmann::json out = {{"Consumers", std::move(list)}};
  if (more && last) out["NextToken"] = encode_cursor(*last);
  return ActionResult::ok(std::move(out));
}

}  // namespace shoal::api::kinesis
