// Shared helpers of the control-plane actions (see control_plane.h).
#include "api/kinesis/actions/control_plane.h"

#include <cstdint>

#include "api/kinesis/kinesis_errors.h"
#include "api/kinesis/stream_access.h"

namespace shoal::api::kinesis {
namespace {

constexpr std::string_view kConsumerMarker = "/consumer/";

// Decodes one UTF-8 code point at text[i], advancing i; nullopt when malformed.
std::optional<std::uint32_t> next_code_point(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i++]);
  if (lead < 0x80) return lead;
  int extra = 0;
  std::uint32_t cp = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
  } else {
    return std::nullopt;
  }
  for (int k = 0; k < extra; ++k) {
    if (i >= text.size()) return std::nullopt;
    const auto c = static_cast<unsigned char>(text[i++]);
    if ((c & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (c & 0x3F);
  }
  return cp;
}

// AWS's set: ASCII letters and digits, "_ . / = + - @ % :" and space, and the
// letter blocks U+00C0..U+1FFF and U+2C00..U+D7FF (what kinesalite recorded).
bool allowed_tag_char(std::uint32_t cp) {
  if (cp < 0x80) {
    const auto c = static_cast<char>(cp);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("_./=+-@%: ").find(c) != std::string_view::npos;
  }
  return (cp >= 0xC0 && cp <= 0x1FFF) || (cp >= 0x2C00 && cp <= 0xD7FF);
}

bool valid_tag_text(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto cp = next_code_point(text, i);
    if (!cp || !allowed_tag_char(*cp)) return false;
  }
  return true;
}

}  // namespace

AwsError stream_not_active(const storage::StreamKey& key, std::string_view status) {
  return resource_in_use("Stream " + key.name + " under account " + key.account + " not ACTIVE, instead in state " +
                         std::string(status));
}

AwsError change_error(const storage::Status& status, const storage::Stream& stream) {
  if (status.code() == storage::Status::Code::kResourceInUse) {
    // The engine says "stream is <STATUS>, not ACTIVE"; prefer that status to
    // a fresh read, which may have moved on since.
    constexpr std::string_view kPrefix = "stream is ";
    std::string_view message = status.message();
    if (message.starts_with(kPrefix)) {
      message.remove_prefix(kPrefix.size());
      return stream_not_active(stream.key(), message.substr(0, message.find(',')));
    }
    return stream_not_active(stream.key(), storage::to_string(stream.status()));
  }
  return from_status(status, stream.key());
}

AwsError consumer_not_found(const storage::StreamKey& key, std::string_view consumer) {
  return resource_not_found("Consumer " + std::string(consumer) + " under stream " + key.name + " under account " +
                            key.account + " not found.");
}

std::optional<AwsError> check_tag_text(const std::vector<std::string>& texts, std::string_view action,
                                       const storage::StreamKey& key) {
  for (const auto& text : texts) {
    if (!valid_tag_text(text)) {
      return invalid_argument(
          "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, "
          "_ . / = + - % @ :.");
    }
  }
  for (const auto& text : texts) {
    if (text.find('%') != std::string::npos) {
      return invalid_argument("Failed to " + std::string(action) + " stream " + key.name + " under account " +
                              key.account +
                              " because some tags contained illegal characters. The allowed characters are "
                              "Unicode letters, white-spaces, '_',',','/','=','+','-','@',':'.");
    }
  }
  return std::nullopt;
}

AwsError too_many_tags(const KinesisCall& call, const storage::StreamKey& key, std::string_view consumer) {
  const auto limit = std::to_string(call.streams.options().limits.max_tags);
  if (consumer.empty()) {
    return invalid_argument("Failed to add tags to stream " + key.name + " under account " + key.account +
                            " because a given stream cannot have more than " + limit + " tags associated with it.");
  }
  return invalid_argument("Failed to add tags to consumer " + std::string(consumer) + " of stream " + key.name +
                          " under account " + key.account + " because a given consumer cannot have more than " + limit +
                          " tags associated with it.");
}

nlohmann::json tag_list(const std::map<std::string, std::string>& tags) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [k, v] : tags) out.push_back({{"Key", k}, {"Value", v}});
  return out;
}

ResolvedResource resolve_resource(const KinesisCall& call) {
  ResolvedResource out;
  const auto arn = string_member(call.input, "ResourceARN").value_or("");
  auto parsed = parse_stream_arn(arn);
  if (!parsed) {
    out.error = invalid_argument("Invalid ResourceARN: " + arn);
    return out;
  }
  out.key = *parsed;
  if (auto denied = check_stream_access(call, out.key.account, arn)) {
    out.error = *denied;
    return out;
  }
  out.stream = call.streams.find(out.key);
  if (!out.stream) {
    out.error = stream_not_found(out.key.name, out.key.account);
    return out;
  }
  const auto marker = arn.find(kConsumerMarker);
  if (marker == std::string::npos) {
    out.arn = stream_arn(out.key);
    return out;
  }
  auto name = arn.substr(marker + kConsumerMarker.size());
  name = name.substr(0, name.find(':'));
  out.consumer = out.stream->find_consumer(name);
  if (!out.consumer || consumer_arn(out.key, *out.consumer) != arn) {
    out.consumer.reset();
    out.error = consumer_not_found(out.key, name);
    return out;
  }
  out.arn = arn;
  return out;
}

ResolvedConsumer resolve_current_consumer(const KinesisCall& call) {
  auto out = resolve_consumer(call);
  if (!out.consumer) return out;
  if (auto arn = string_member(call.input, "ConsumerARN"); arn && *arn != consumer_arn(out.key, *out.consumer)) {
    out.error = consumer_not_found(out.key, out.consumer->name);
    out.consumer.reset();
  }
  return out;
}

}  // namespace shoal::api::kinesis
