#include "api/kinesis/kinesis_action.h"

#include <cstring>

#include "api/kinesis/kinesis_errors.h"
#include "api/kinesis/stream_access.h"

namespace shoal::api::kinesis {

std::string stream_arn(const storage::StreamKey& key) {
  return "arn:aws:kinesis:" + key.region + ":" + key.account + ":stream/" + key.name;
}

std::string consumer_arn(const storage::StreamKey& key, const storage::ConsumerInfo& consumer) {
  return stream_arn(key) + "/consumer/" + consumer.name + ":" +
         std::to_string(storage::to_epoch_ms(consumer.created) / 1000);
}

std::optional<storage::StreamKey> parse_stream_arn(std::string_view arn) {
  // arn:aws:kinesis:REGION:ACCOUNT:stream/NAME[/consumer/...]
  constexpr std::string_view kPrefix = "arn:";
  if (!arn.starts_with(kPrefix)) return std::nullopt;
  std::string_view parts[6];
  std::string_view rest = arn;
  for (int i = 0; i < 5; ++i) {
    auto colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    parts[i] = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  parts[5] = rest;
  if (parts[2] != "kinesis" || parts[3].empty() || parts[4].empty() || !parts[5].starts_with("stream/")) {
    return std::nullopt;
  }
  auto name = parts[5].substr(7);
  name = name.substr(0, name.find('/'));
  if (name.empty()) return std::nullopt;
  return storage::StreamKey{std::string(parts[4]), std::string(parts[3]), std::string(name)};
}

nlohmann::json timestamp_value(storage::TimePoint t) { return storage::to_epoch_ms(t); }

nlohmann::json blob_value(std::string_view bytes) {
  // One memcpy: building the vector from char iterators converts byte by byte.
  std::vector<std::uint8_t> copy(bytes.size());
  if (!bytes.empty()) std::memcpy(copy.data(), bytes.data(), bytes.size());
  return nlohmann::json::binary(std::move(copy));
}

ResolvedStream resolve_stream(const KinesisCall& call) {
  auto name = string_member(call.input, "StreamName");
  auto arn = string_member(call.input, "StreamARN");
  storage::StreamKey key{call.ctx.account, call.ctx.region, name.value_or("")};
  if (arn) {
    auto parsed = parse_stream_arn(*arn);
    if (!parsed) return {nullptr, key, invalid_argument("Invalid StreamARN: " + *arn)};
    if (name && *name != parsed->name) {
      return {nullptr, key, invalid_argument("StreamName " + *name + " does not match the StreamARN " + *arn)};
    }
    key = *parsed;
  } else if (!name) {
    return {nullptr, key, invalid_argument("Either StreamName or StreamARN must be provided.")};
  }
  auto stream = call.streams.find(key);
  if (auto denied = check_stream_access(call, key.account, stream_arn(key))) return {nullptr, key, *denied};
  if (!stream) return {nullptr, key, stream_not_found(key.name, key.account)};
  return {std::move(stream), key, {}};
}

ResolvedConsumer resolve_consumer(const KinesisCall& call) {
  ResolvedConsumer out;
  std::string name;
  std::string requested_arn;  // what a refusal names when the consumer is unknown
  if (auto arn = string_member(call.input, "ConsumerARN")) {
    auto parsed = parse_stream_arn(*arn);
    auto marker = arn->find("/consumer/");
    if (!parsed || marker == std::string::npos) {
      out.error = invalid_argument("Invalid ConsumerARN: " + *arn);
      return out;
    }
    name = arn->substr(marker + 10);
    name = name.substr(0, name.find(':'));
    out.key = *parsed;
    requested_arn = *arn;
  } else {
    auto stream_arn_text = string_member(call.input, "StreamARN");
    auto consumer_name = string_member(call.input, "ConsumerName");
    auto parsed = stream_arn_text ? parse_stream_arn(*stream_arn_text) : std::nullopt;
    if (!parsed || !consumer_name) {
      out.error = invalid_argument("Either ConsumerARN or both ConsumerName and StreamARN must be provided.");
      return out;
    }
    out.key = *parsed;
    name = *consumer_name;
    requested_arn = stream_arn(out.key) + "/consumer/" + name;
  }
  out.stream = call.streams.find(out.key);
  if (call.ctx.account != out.key.account) {
    // A consumer's policy is kept under its full ARN, creation time included.
    auto found = out.stream ? out.stream->find_consumer(name) : std::nullopt;
    const auto resource = found ? consumer_arn(out.key, *found) : requested_arn;
    if (auto denied = check_stream_access(call, out.key.account, resource)) {
      out.stream.reset();
      out.error = *denied;
      return out;
    }
  }
  if (!out.stream) {
    out.error = stream_not_found(out.key.name, out.key.account);
    return out;
  }
  out.consumer = out.stream->find_consumer(name);
  if (!out.consumer) {
    out.error = resource_not_found("Consumer " + name + " under stream " + out.key.name + " under account " +
                                   out.key.account + " not found.");
  }
  return out;
}

AwsError from_status(const storage::Status& status, const storage::StreamKey& key) {
  using Code = storage::Status::Code;
  switch (status.code()) {
    case Code::kNotFound:
      return status.message().empty() ? stream_not_found(key.name, key.account) : resource_not_found(status.message());
    case Code::kResourceInUse:
    case Code::kAlreadyExists:
      return resource_in_use(status.message());
    case Code::kInvalidArgument:
    case Code::kInvalidHandle:
      return invalid_argument(status.message());
    case Code::kLimitExceeded:
      return limit_exceeded(status.message());
    case Code::kHandleExpired:
      return expired_iterator(status.message());
    case Code::kThrottled:
      return error("ProvisionedThroughputExceededException", status.message());
    default:
      return error("InternalFailureException", status.message());
  }
}

}  // namespace shoal::api::kinesis
