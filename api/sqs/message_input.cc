#include "api/sqs/message_input.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "api/common/digest.h"
#include "api/sqs/limits.h"
#include "api/sqs/message_md5.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

// True when every code point is in #x9 | #xA | #xD | #x20-#xD7FF |
// #xE000-#xFFFD | #x10000-#x10FFFF (the input is valid UTF-8: the JSON parser
// checked).
// True when none of the 8 bytes is below 0x20 or above 0x7F.
bool printable_ascii_word(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  constexpr std::uint64_t kSpaces = 0x2020202020202020ull;
  return ((x | (x - kSpaces)) & kHigh) == 0;
}

bool has_only_allowed_characters(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (i + 8 <= text.size() && printable_ascii_word(text.data() + i)) {  // the common case, 8 at a time
      i += 8;
      continue;
    }
    auto c = static_cast<unsigned char>(text[i]);
    std::uint32_t cp;
    int len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 0x6) {
      cp = c & 0x1f;
      len = 2;
    } else if ((c >> 4) == 0xe) {
      cp = c & 0x0f;
      len = 3;
    } else if ((c >> 3) == 0x1e) {
      cp = c & 0x07;
      len = 4;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(len) > text.size()) return false;
    for (int k = 1; k < len; ++k) {
      auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next & 0xc0) != 0x80) return false;  // not a continuation byte
      cp = cp << 6 | (next & 0x3f);
    }
    static constexpr std::uint32_t kShortest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kShortest[len]) return false;  // overlong
    i += static_cast<std::size_t>(len);
    bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
              (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!ok) return false;
  }
  return true;
}

bool is_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

// What a Number attribute may hold (the SQS developer guide): up to 38
// significant digits, from -10^128 to 10^126. `s` already passed is_number.
enum class NumberFit { kFits, kTooPrecise, kOutOfRange };

NumberFit number_fit(std::string_view s) {
  const bool negative = !s.empty() && s.front() == '-';
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  const auto e = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, e);
  // The exponent saturates: past a few thousand it is out of range anyway.
  std::int64_t exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view digits = s.substr(e + 1);
    const bool minus = !digits.empty() && digits.front() == '-';
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
    for (char c : digits) exponent = std::min<std::int64_t>(exponent * 10 + (c - '0'), 1'000'000);
    if (minus) exponent = -exponent;
  }
  const auto point = mantissa.find('.');
  const std::string_view whole = mantissa.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view{} : mantissa.substr(point + 1);
  std::string digits = std::string(whole) + std::string(fraction);
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return NumberFit::kFits;  // zero
  const auto last = digits.find_last_not_of('0');
  const std::size_t significant = last - first + 1;
  if (significant > 38) return NumberFit::kTooPrecise;
  // value = d.ddd x 10^magnitude
  const std::int64_t magnitude = static_cast<std::int64_t>(whole.size()) - static_cast<std::int64_t>(first) - 1 + exponent;
  const bool just_one = significant == 1 && digits[first] == '1';  // exactly a power of ten
  const std::int64_t limit = negative ? 128 : 126;
  if (magnitude > limit || (magnitude == limit && !just_one)) return NumberFit::kOutOfRange;
  return NumberFit::kFits;
}

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Latin letters with diacritics (U+00C0-U+017F but the signs U+00D7 and
// U+00F7), which AWS accepts in attribute names ("attr.1\u00f8\u00df\u00e4" is
// valid in LocalStack's AWS-validated test_send_message_with_invalid_string_attributes)
// though the guide lists only ASCII; other non-ASCII ("\u00a7") is refused there.
bool is_accepted_non_ascii_letter(std::uint32_t cp) { return cp >= 0xC0 && cp <= 0x17F && cp != 0xD7 && cp != 0xF7; }

bool has_only_attribute_name_characters(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      if (!(std::isalnum(c) || c == '_' || c == '-' || c == '.')) return false;
      continue;
    }
    // Every accepted letter is two bytes of UTF-8 (C3 xx, C4 xx or C5 xx); the
    // JSON and query decoders have checked the encoding.
    if (i + 1 >= name.size() || c < 0xC3 || c > 0xC5) return false;
    const std::uint32_t cp =
        (static_cast<std::uint32_t>(c & 0x1F) << 6) | (static_cast<unsigned char>(name[++i]) & 0x3F);
    if (!is_accepted_non_ascii_letter(cp)) return false;
  }
  return true;
}

// Why AWS refuses a message attribute name, or nullopt. The wording is
// LocalStack's (AWS's is not recorded); the rules are the developer guide's:
// at most 256 characters of A-Z a-z 0-9 _ - . (and the letters above), not
// starting with AWS. or Amazon. in any case, not starting or ending with a
// period, no two periods in a row.
std::optional<std::string> attribute_name_refusal(std::string_view name) {
  if (name.size() > limits::kMaxAttributeNameLength) {
    return "Message (user) attribute names must be shorter than 256 Bytes";
  }
  if (!has_only_attribute_name_characters(name)) {
    return "Message (user) attributes name can only contain upper and lower score characters, digits, periods, "
           "hyphens and underscores. ";
  }
  if (starts_with_ignoring_case(name, "aws.") || starts_with_ignoring_case(name, "amazon.") || name.front() == '.' ||
      name.back() == '.') {
    return "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved "
           "for internal use. Additionally, they cannot start or end with '.'.";
  }
  if (name.find("..") != std::string_view::npos) {
    return "Message (user) attribute name must not have successive '.' characters.";
  }
  return std::nullopt;
}

// 1-128 characters of alphanumerics and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~).
bool is_valid_group_or_dedup_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
  }
  return true;
}

std::variant<storage::MessageAttribute, AwsError> read_attribute(const std::string& name,
                                                                  const nlohmann::json& value) {
  storage::MessageAttribute attribute;
  attribute.data_type = string_member(value, "DataType").value_or("");
  if (attribute.data_type.empty()) {
    return invalid_parameter_value("The message attribute '" + name + "' must contain non-empty message attribute type.");
  }
  if (attribute.data_type.size() > limits::kMaxAttributeNameLength) {
    return invalid_parameter_value("Message (user) attribute '" + name +
                                   "' type must be at most 256 characters long.");
  }
  std::string_view base = attribute.data_type;
  base = base.substr(0, base.find('.'));
  if (base != "String" && base != "Number" && base != "Binary") {
    return invalid_parameter_value("The type of message (user) attribute '" + name +
                                   "' is invalid. You must use only the following supported type prefixes: "
                                   "Binary, Number, String.");
  }
  if (base == "Binary") {
    attribute.binary_value = blob_member(value, "BinaryValue").value_or("");
    if (attribute.binary_value.empty()) {
      return invalid_parameter_value("Message (user) attribute '" + name +
                                     "' must contain a non-empty value of type 'Binary'.");
    }
    return attribute;
  }
  attribute.string_value = string_member(value, "StringValue").value_or("");
  if (attribute.string_value.empty()) {
    return invalid_parameter_value("Message (user) attribute '" + name + "' must contain a non-empty value of type '" +
                                   std::string(base) + "'.");
  }
  if (!has_only_allowed_characters(attribute.string_value)) {
    return invalid_parameter_value("Message (user) attribute '" + name + "' contains invalid characters.");
  }
  if (base == "Number" && !is_number(attribute.string_value)) {
    return invalid_parameter_value("Can't cast the value of message (user) attribute '" + name + "' to a number.");
  }
  // No capture of AWS refusing these exists; the range sentence is
  // elasticmq's (an SQS emulator), the precision one follows it.
  if (base == "Number") {
    switch (number_fit(attribute.string_value)) {
      case NumberFit::kFits:
        break;
      case NumberFit::kTooPrecise:
        return invalid_parameter_value("Number attribute value " + attribute.string_value +
                                       " should have at most 38 significant digits");
      case NumberFit::kOutOfRange:
        return invalid_parameter_value("Number attribute value " + attribute.string_value +
                                       " should be in range (-10**128..10**126)");
    }
  }
  return attribute;
}

}  // namespace

std::size_t message_size(const storage::NewMessage& message) {
  std::size_t size = message.body.size();
  for (const auto& [name, attribute] : message.attributes) {
    size += name.size() + attribute.data_type.size() + attribute.string_value.size() + attribute.binary_value.size();
  }
  return size;
}

std::variant<storage::NewMessage, AwsError> read_new_message(const nlohmann::json& entry,
                                                             const storage::QueueAttributes& queue,
                                                             const RequestContext& ctx, MessageSource source) {
  storage::NewMessage message;
  message.body = string_member(entry, "MessageBody").value_or("");
  if (message.body.empty()) return missing_parameter("MessageBody");

  if (auto delay = int_member(entry, "DelaySeconds")) {
    if (*delay < 0 || *delay > limits::kMaxDelaySeconds) {
      return invalid_parameter("DelaySeconds", std::to_string(*delay), "DelaySeconds must be >= 0 and <= 900");
    }
    if (queue.fifo && *delay != 0) {
      return invalid_parameter("DelaySeconds", std::to_string(*delay),
                               "The request include parameter that is not valid for this queue type.");
    }
    if (!queue.fifo) message.delay = std::chrono::seconds(*delay);
  }
  if (!has_only_allowed_characters(message.body)) return invalid_message_contents();

  if (const auto* attributes = member(entry, "MessageAttributes")) {
    if (attributes->size() > limits::kMaxMessageAttributes) {
      return invalid_parameter_value("Number of message attributes [" + std::to_string(attributes->size()) +
                                     "] exceeds the allowed maximum [10].");
    }
    for (const auto& [name, value] : attributes->items()) {
      // AWS's words for an empty name (its answer is quoted in aws/aws-sdk-php#694).
      if (name.empty()) return invalid_parameter_value("The request must contain non-empty message attribute name.");
      if (auto refusal = attribute_name_refusal(name)) return invalid_parameter_value(std::move(*refusal));
      auto attribute = read_attribute(name, value);
      if (auto* error = std::get_if<AwsError>(&attribute)) return *error;
      message.attributes.emplace(name, std::move(std::get<storage::MessageAttribute>(attribute)));
    }
  }
  if (message_size(message) > static_cast<std::size_t>(queue.maximum_message_size)) {
    // AWS words the same limit differently for a batch entry.
    return invalid_parameter_value(std::string(source == MessageSource::kBatchEntry
                                                   ? "One or more parameters cannot be validated."
                                                   : "One or more parameters are invalid.") +
                                   " Reason: Message must be shorter than " +
                                   std::to_string(queue.maximum_message_size) + " bytes.");
  }

  storage::MessageAttributes system_attributes;
  if (const auto* system = member(entry, "MessageSystemAttributes")) {
    for (const auto& [name, value] : system->items()) {
      auto attribute = read_attribute(name, value);
      if (auto* error = std::get_if<AwsError>(&attribute)) return *error;
      auto& read = std::get<storage::MessageAttribute>(attribute);
      if (read.data_type != "String") {
        return invalid_parameter_value("Message system attribute '" + name + "' must be of type 'String'.");
      }
      message.trace_header = read.string_value;
      system_attributes.emplace(name, std::move(read));
    }
  }

  for (const char* parameter : {"MessageGroupId", "MessageDeduplicationId"}) {
    if (auto id = string_member(entry, parameter)) {
      if (!is_valid_group_or_dedup_id(*id)) {
        return invalid_parameter(parameter, *id,
                                 std::string(parameter) +
                                     " can only include alphanumeric and punctuation characters. 1 to 128 in length.");
      }
    }
  }
  message.group_id = string_member(entry, "MessageGroupId").value_or("");
  message.deduplication_id = string_member(entry, "MessageDeduplicationId").value_or("");
  if (queue.fifo) {
    if (message.group_id.empty()) return missing_parameter("MessageGroupId");
    if (message.deduplication_id.empty()) {
      if (!queue.content_based_deduplication) {
        return invalid_parameter_value(
            "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
            "explicitly");
      }
      message.deduplication_id = sha256_hex(message.body);
    }
  } else if (!message.deduplication_id.empty()) {
    return invalid_parameter("MessageDeduplicationId", message.deduplication_id,
                             "The request include parameter that is not valid for this queue type.");
  }

  message.md5_of_body = md5_of_body(message.body);
  message.md5_of_attributes = md5_of_attributes(message.attributes);
  message.md5_of_system_attributes = md5_of_attributes(system_attributes);
  message.sender_id = ctx.access_key.empty() ? ctx.account : ctx.access_key;
  return message;
}

}  // namespace shoal::api::sqs
