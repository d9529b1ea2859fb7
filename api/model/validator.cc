#include "api/model/validator.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "api/common/base64.h"

namespace shoal::api::model {
namespace {

using nlohmann::json;

// AWS (Coral) stops listing constraint violations after this many.
constexpr std::size_t kMaxValidationErrors = 10;

AwsError serialization_error(std::string message) {
  return AwsError{"SerializationException", "", 400, true, std::move(message)};
}

// ---------------------------------------------------------------------------
// Request paths, kept on the stack while walking and rendered only on error.

struct PathFrame {
  enum class Tag { kMember, kListElement, kMapValue };
  const PathFrame* parent = nullptr;
  Tag tag = Tag::kMember;
  std::string_view name;  // kMember: the model's member name; kMapValue: the key
  std::size_t index = 0;  // kListElement: 1-based
};

// Kinesis wording: 'streamName', 'records.1.member.partitionKey', 'tags.k.member'.
std::string render_path(const PathFrame* frame) {
  std::vector<const PathFrame*> frames;
  for (; frame != nullptr; frame = frame->parent) frames.push_back(frame);
  std::string out;
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    if (!out.empty()) out += '.';
    const PathFrame& f = **it;
    switch (f.tag) {
      case PathFrame::Tag::kMember:
        if (!f.name.empty()) {
          out += static_cast<char>(std::tolower(static_cast<unsigned char>(f.name.front())));
          out.append(f.name.substr(1));
        }
        break;
      case PathFrame::Tag::kListElement:
        out += std::to_string(f.index);
        out += ".member";
        break;
      case PathFrame::Tag::kMapValue:
        out.append(f.name);
        out += ".member";
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Scalar helpers.

// The member's value in `object`, or nullptr when absent or JSON null.
const json* member_value(const json& object, const Member& member) {
  const std::string& key = member.location_name.empty() ? member.name : member.location_name;
  auto it = object.find(std::string_view(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

// Java String.length(): UTF-16 code units.
std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) != 0x80) ++n;  // a lead byte or ASCII starts a code point
    if (c >= 0xF0) ++n;           // outside the BMP: a surrogate pair
  }
  return n;
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  return c == '+' ? 62 : 63;
}

// Kinesalite's (AWS's) base64 checks, in its order; empty string when valid.
std::string base64_problem(std::string_view s) {
  const std::string prefix = "can not be converted to a Blob: ";
  if (s.size() % 4 != 0) {
    return "Base64 encoded length is expected a multiple of 4 bytes but found: " + std::to_string(s.size());
  }
  for (std::size_t i = base64_alphabet_prefix(s); i < s.size(); ++i) {
    const char c = s[i];
    if (c == '=') {
      if (i + 1 < s.size() && s[i + 1] != '=') return "Invalid Base64 character: '='";
    } else if (!is_base64_char(c)) {
      return std::string("Invalid Base64 character: '") + c + "'";
    }
  }
  // Only a trailing run of '=' is left; it must re-encode to itself.
  const std::size_t pad = s.size() - std::min(s.size(), s.find_last_not_of('=') + 1);
  bool canonical = pad <= 2;
  if (canonical && pad > 0) {
    const int last = base64_value(s[s.size() - pad - 1]);
    canonical = (last & (pad == 1 ? 0x3 : 0xF)) == 0;
  }
  if (!canonical) return "Invalid last non-pad Base64 character dectected";
  return {};
}

std::size_t base64_decoded_length(std::string_view s) {
  std::size_t pad = 0;
  while (pad < s.size() && pad < 2 && s[s.size() - 1 - pad] == '=') ++pad;
  return s.size() / 4 * 3 - pad;
}

// A JSON number as the integer a Coral Integer/Long member receives: floored
// (TruncatingBigNumber), exactly as sent, so that a value past the member's
// Java type is reported as sent rather than truncated or clamped.
class Integral {
 public:
  explicit Integral(const json& v) {
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        above_int64_ = true;
        text_ = std::to_string(u);
      } else {
        value_ = static_cast<std::int64_t>(u);
      }
    } else if (v.is_number_integer()) {
      value_ = v.get<std::int64_t>();
    } else {
      const double d = std::floor(v.get<double>());
      // 2^63: the first double past int64. NaN (CBOR can send it) fits nothing.
      constexpr double kTwo63 = 9223372036854775808.0;
      if (std::isnan(d) || d < -kTwo63) {
        below_int64_ = true;
      } else if (d >= kTwo63) {
        above_int64_ = true;
      } else {
        value_ = static_cast<std::int64_t>(d);
      }
      if (below_int64_ || above_int64_) text_ = json(d).dump();
      if (std::isnan(d)) text_ = "NaN";
    }
    if (text_.empty()) text_ = std::to_string(value_);
  }

  // -1, 0 or 1 as the value is below, at or above `bound`.
  int compare(std::int64_t bound) const {
    if (below_int64_) return -1;
    if (above_int64_) return 1;
    return value_ < bound ? -1 : value_ > bound ? 1 : 0;
  }
  const std::string& text() const { return text_; }

 private:
  std::int64_t value_ = 0;
  bool below_int64_ = false;
  bool above_int64_ = false;
  std::string text_;
};

// The range of the member's Java type.
std::int64_t java_min(ShapeType kind) {
  return kind == ShapeType::kInteger ? std::numeric_limits<std::int32_t>::min()
                                     : std::numeric_limits<std::int64_t>::min();
}
std::int64_t java_max(ShapeType kind) {
  return kind == ShapeType::kInteger ? std::numeric_limits<std::int32_t>::max()
                                     : std::numeric_limits<std::int64_t>::max();
}

bool is_integral(ShapeType k) { return k == ShapeType::kInteger || k == ShapeType::kLong; }
bool is_floating(ShapeType k) { return k == ShapeType::kDouble || k == ShapeType::kFloat; }

std::string_view java_type_name(ShapeType k) {
  switch (k) {
    case ShapeType::kInteger: return "an Integer";
    case ShapeType::kLong: return "an Long";
    case ShapeType::kDouble: return "an Double";
    case ShapeType::kFloat: return "an Float";
    case ShapeType::kBoolean: return "an Boolean";
    case ShapeType::kString: return "an String";
    case ShapeType::kBlob: return "a Blob";
    case ShapeType::kTimestamp: return "milliseconds since epoch";
    default: return "an Object";
  }
}

// ---------------------------------------------------------------------------
// Phase 1: JSON types (SerializationException; the first one found wins).

class TypeChecker {
 public:
  explicit TypeChecker(Dialect dialect) : dialect_(dialect) {}

  std::optional<AwsError> check_structure(const Shape& shape, const json& object) const {
    for (const Member& member : shape.members) {
      if (const json* v = member_value(object, member)) {
        if (auto err = check(*member.shape, *v)) return err;
      }
    }
    return std::nullopt;
  }

  // `v` is not null here, except for list elements and map values.
  std::optional<AwsError> check(const Shape& shape, const json& v) const {
    if (v.is_null()) {
      return serialization_error("null can not be converted to " + std::string(java_type_name(shape.kind)));
    }
    switch (shape.kind) {
      case ShapeType::kStructure:
        if (v.is_object()) return check_structure(shape, v);
        if (v.is_array()) return list_not_expected();
        return serialization_error("Expected null");
      case ShapeType::kList:
        if (v.is_array()) {
          if (shape.member == nullptr) return std::nullopt;
          for (const json& element : v) {
            if (auto err = check(*shape.member->shape, element)) return err;
          }
          return std::nullopt;
        }
        if (v.is_object()) return object_not_expected();
        return serialization_error("Expected list or null");
      case ShapeType::kMap:
        if (v.is_object()) {
          if (shape.value == nullptr) return std::nullopt;
          for (const auto& [key, element] : v.items()) {
            if (auto err = check(*shape.value->shape, element)) return err;
          }
          return std::nullopt;
        }
        if (v.is_array()) return list_not_expected();
        return serialization_error("Expected map or null");
      case ShapeType::kUnknown:
        return std::nullopt;
      default:
        return check_scalar(shape.kind, v);
    }
  }

 private:
  static AwsError list_not_expected() { return serialization_error("Start of list found where not expected"); }
  static AwsError object_not_expected() {
    return serialization_error("Start of structure or map found where not expected.");
  }

  std::optional<AwsError> check_scalar(ShapeType kind, const json& v) const {
    if (v.is_array()) return list_not_expected();
    if (v.is_object()) return object_not_expected();
    const bool ok = (kind == ShapeType::kString && v.is_string()) ||
                    (kind == ShapeType::kBlob && (v.is_string() || v.is_binary())) ||
                    (kind == ShapeType::kBoolean && v.is_boolean()) ||
                    (kind == ShapeType::kTimestamp && v.is_number()) ||
                    (is_floating(kind) && v.is_number()) || (is_integral(kind) && v.is_number());
    if (ok) {
      if (kind == ShapeType::kBlob && v.is_string()) return check_base64(v.get_ref<const std::string&>());
      if (dialect_ == Dialect::kSqs && is_integral(kind)) return check_sqs_integer(kind, v);
      return std::nullopt;
    }
    return dialect_ == Dialect::kKinesis ? kinesis_mismatch(kind, v) : sqs_mismatch(kind, v);
  }

  static std::optional<AwsError> check_base64(const std::string& s) {
    std::string problem = base64_problem(s);
    if (problem.empty()) return std::nullopt;
    return serialization_error("'" + s + "' can not be converted to a Blob: " + problem);
  }

  // SQS takes integers as JSON integers that fit the member's Java type.
  static std::optional<AwsError> check_sqs_integer(ShapeType kind, const json& v) {
    bool fits = false;
    if (v.is_number_integer() && !v.is_number_unsigned()) {
      const auto i = v.get<std::int64_t>();
      fits = kind == ShapeType::kLong ||
             (i >= std::numeric_limits<std::int32_t>::min() && i <= std::numeric_limits<std::int32_t>::max());
    } else if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      fits = u <= static_cast<std::uint64_t>(kind == ShapeType::kLong ? std::numeric_limits<std::int64_t>::max()
                                                                      : std::numeric_limits<std::int32_t>::max());
    }
    if (fits) return std::nullopt;
    return serialization_error("NUMBER_VALUE can not be converted to " + std::string(java_type_name(kind)));
  }

  // The wording kinesalite's tests recorded from AWS.
  static AwsError kinesis_mismatch(ShapeType kind, const json& v) {
    const std::string target(java_type_name(kind));
    if (v.is_boolean()) return serialization_error("class java.lang.Boolean can not be converted to " + target);
    if (v.is_number()) {
      return serialization_error("class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to " +
                                 target);
    }
    // A string where something else was expected.
    if (kind == ShapeType::kBoolean) {
      std::string upper = v.get<std::string>();
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      return serialization_error("'" + upper + "' can not be converted to an Boolean");
    }
    return serialization_error("class java.lang.String can not be converted to " + target);
  }

  // SQS's Coral names the JSON token ("STRING_VALUE can not be converted to an Integer").
  static AwsError sqs_mismatch(ShapeType kind, const json& v) {
    const char* token = v.is_string() ? "STRING_VALUE" : v.is_boolean() ? "BOOLEAN_VALUE" : "NUMBER_VALUE";
    std::string target(java_type_name(kind));
    if (kind == ShapeType::kTimestamp) target = "a Timestamp";
    return serialization_error(std::string(token) + " can not be converted to " + target);
  }

  Dialect dialect_;
};

// ---------------------------------------------------------------------------
// Phase 2 helpers shared by both dialects.

std::string value_string(const Shape& shape, const json& v);

// Bytes of a blob: base64 text in JSON, a byte string in CBOR.
std::size_t blob_length(const json& v) {
  if (v.is_binary()) return v.get_binary().size();
  return v.is_string() ? base64_decoded_length(v.get_ref<const std::string&>()) : 0;
}

std::string java_object_string(const Shape& shape, const json& v) {
  // Object.toString() of the generated class; the hash is only stable, not AWS's.
  std::uint32_t h = 0;
  for (char c : v.dump()) h = h * 31 + static_cast<unsigned char>(c);
  char hex[16];
  std::snprintf(hex, sizeof hex, "%x", h);
  return "com.amazonaws.kinesis.v20131202." + shape.name + "@" + hex;
}

// The value as AWS prints it in "Value '...' at ...".
std::string value_string(const Shape& shape, const json& v) {
  if (v.is_null()) return "null";
  switch (shape.kind) {
    case ShapeType::kString:
      return v.is_string() ? v.get<std::string>() : v.dump();
    case ShapeType::kBlob: {
      const std::string n = std::to_string(blob_length(v));
      return "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
    }
    case ShapeType::kInteger:
    case ShapeType::kLong:
      return v.is_number() ? Integral(v).text() : v.dump();
    case ShapeType::kList: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ", ";
        out += shape.member != nullptr ? value_string(*shape.member->shape, v[i]) : v[i].dump();
      }
      return out + "]";
    }
    case ShapeType::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, element] : v.items()) {
        if (!first) out += ", ";
        first = false;
        out += key;
        out += '=';
        out += shape.value != nullptr ? value_string(*shape.value->shape, element) : element.dump();
      }
      return out + "}";
    }
    case ShapeType::kStructure:
      return java_object_string(shape, v);
    default:
      return v.dump();
  }
}

std::string bound_string(const Shape& shape, bool is_min) {
  if (is_floating(shape.kind)) {
    const std::optional<double>& d = is_min ? shape.min_double : shape.max_double;
    return json(d.value_or(0)).dump();
  }
  return std::to_string((is_min ? shape.min : shape.max).value_or(0));
}

std::string enum_set_string(const Shape& shape) {
  std::string out = "Member must satisfy enum value set: [";
  for (std::size_t i = 0; i < shape.enum_values.size(); ++i) {
    if (i > 0) out += ", ";
    out += shape.enum_values[i];
  }
  return out + "]";
}

// Visits the bound `n` breaks ("length" or "value" per `what`); false when
// `visit` asked to stop.
template <typename T, typename Visit>
bool visit_bounds(const Shape& shape, T n, const std::optional<T>& min, const std::optional<T>& max,
                  const char* what, Visit& visit) {
  const std::string member = std::string("Member must have ") + what;
  if (min && n < *min && !visit(member + " greater than or equal to " + bound_string(shape, true), false)) {
    return false;
  }
  if (max && n > *max && !visit(member + " less than or equal to " + bound_string(shape, false), false)) {
    return false;
  }
  return true;
}

// Visits each constraint `v` breaks, in AWS's order (pattern, length, value
// range, enum), as the Kinesis-style "Member must ..." text plus whether it is
// the enum check. `visit` returns false to stop. `extra_enum` widens the enum
// (see SqsConstraints).
template <typename Visit>
void for_each_violation(const Shape& shape, const json& v, const Shape* extra_enum, Visit&& visit) {
  switch (shape.kind) {
    case ShapeType::kString: {
      if (!v.is_string()) return;
      const std::string& s = v.get_ref<const std::string&>();
      if (!shape.pattern.empty() && !shape.pattern_matches(s)) {
        if (!visit("Member must satisfy regular expression pattern: " + shape.pattern, false)) return;
      }
      if ((shape.min || shape.max) &&
          !visit_bounds(shape, static_cast<std::int64_t>(utf16_length(s)), shape.min, shape.max, "length", visit)) {
        return;
      }
      if (!shape.enum_values.empty() && !shape.has_enum_value(s) &&
          !(extra_enum != nullptr && extra_enum->has_enum_value(s))) {
        visit(enum_set_string(shape), true);
      }
      return;
    }
    case ShapeType::kBlob: {
      if (!v.is_string() && !v.is_binary()) return;
      visit_bounds(shape, static_cast<std::int64_t>(blob_length(v)), shape.min, shape.max, "length", visit);
      return;
    }
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      if (!v.is_number()) return;
      // The model's bounds, else the Java type's: a value past either is
      // refused as sent, never truncated to fit.
      const Integral n(v);
      const std::int64_t min = shape.min.value_or(java_min(shape.kind));
      const std::int64_t max = shape.max.value_or(java_max(shape.kind));
      if (n.compare(min) < 0) {
        visit("Member must have value greater than or equal to " + std::to_string(min), false);
      } else if (n.compare(max) > 0) {
        visit("Member must have value less than or equal to " + std::to_string(max), false);
      }
      return;
    }
    case ShapeType::kDouble:
    case ShapeType::kFloat: {
      if (!v.is_number()) return;
      visit_bounds(shape, v.get<double>(), shape.min_double, shape.max_double, "value", visit);
      return;
    }
    case ShapeType::kList:
    case ShapeType::kMap: {
      if (!v.is_array() && !v.is_object()) return;
      visit_bounds(shape, static_cast<std::int64_t>(v.size()), shape.min, shape.max, "length", visit);
      return;
    }
    default:
      return;
  }
}

bool is_scalar(const Shape& shape) {
  return shape.kind != ShapeType::kStructure && shape.kind != ShapeType::kList && shape.kind != ShapeType::kMap;
}

bool scalar_valid(const Shape& shape, const json& v, const Shape* extra_enum = nullptr) {
  bool valid = true;
  for_each_violation(shape, v, extra_enum, [&](const std::string&, bool) {
    valid = false;
    return false;
  });
  return valid;
}

// "[Member must have length less than or equal to 128, Member must have length
// greater than or equal to 1]": every constraint of an element shape, as AWS
// lists them for a list's members or a map's keys/values.
std::string element_constraints(const Shape& shape) {
  std::vector<std::string> parts;
  const char* what = (is_integral(shape.kind) || is_floating(shape.kind)) ? "value" : "length";
  if (shape.max) parts.push_back(std::string("Member must have ") + what + " less than or equal to " + bound_string(shape, false));
  if (shape.min) parts.push_back(std::string("Member must have ") + what + " greater than or equal to " + bound_string(shape, true));
  if (!shape.pattern.empty()) parts.push_back("Member must satisfy regular expression pattern: " + shape.pattern);
  if (!shape.enum_values.empty()) parts.push_back(enum_set_string(shape));
  std::string out = "[";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ", ";
    out += parts[i];
  }
  return out + "]";
}

// ---------------------------------------------------------------------------
// Phase 2, Kinesis: collect up to ten "Value ... at ... failed to satisfy
// constraint: ..." lines, members in model order.

class KinesisConstraints {
 public:
  std::optional<AwsError> result() const {
    if (errors_.empty()) return std::nullopt;
    std::string message = std::to_string(errors_.size()) +
                          (errors_.size() == 1 ? " validation error detected: " : " validation errors detected: ");
    for (std::size_t i = 0; i < errors_.size(); ++i) {
      if (i > 0) message += "; ";
      message += errors_[i];
    }
    return AwsError{"ValidationException", "", 400, true, std::move(message)};
  }

  void structure(const Shape& shape, const json& object, const PathFrame* parent) {
    for (const Member& member : shape.members) {
      if (full()) return;
      PathFrame frame{parent, PathFrame::Tag::kMember, member.name, 0};
      const json* v = member_value(object, member);
      if (v == nullptr) {
        if (member.required) add(&frame, "null", "Member must not be null");
        continue;
      }
      value(*member.shape, *v, &frame);
    }
  }

 private:
  bool full() const { return errors_.size() >= kMaxValidationErrors; }

  void add(const PathFrame* at, const std::string& value_text, const std::string& constraint) {
    if (full()) return;
    std::string line = "Value ";
    if (value_text == "null") {
      line += "null";
    } else {
      line += '\'';
      line += value_text;
      line += '\'';
    }
    line += " at '";
    line += render_path(at);
    line += "' failed to satisfy constraint: ";
    line += constraint;
    errors_.push_back(std::move(line));
  }

  void value(const Shape& shape, const json& v, const PathFrame* at) {
    for_each_violation(shape, v, nullptr, [&](const std::string& constraint, bool) {
      add(at, value_string(shape, v), constraint);
      return !full();
    });
    if (full()) return;
    switch (shape.kind) {
      case ShapeType::kStructure:
        if (v.is_object()) structure(shape, v, at);
        return;
      case ShapeType::kList: {
        if (!v.is_array() || shape.member == nullptr) return;
        const Shape& element = *shape.member->shape;
        if (is_scalar(element)) {
          const bool all_valid =
              std::all_of(v.begin(), v.end(), [&](const json& e) { return e.is_null() || scalar_valid(element, e); });
          if (!all_valid) {
            add(at, value_string(shape, v), "Member must satisfy constraint: " + element_constraints(element));
          }
          return;
        }
        std::size_t index = 0;
        for (const json& e : v) {
          ++index;
          if (full()) return;
          if (e.is_null()) continue;
          PathFrame frame{at, PathFrame::Tag::kListElement, {}, index};
          value(element, e, &frame);
        }
        return;
      }
      case ShapeType::kMap: {
        if (!v.is_object()) return;
        if (shape.key != nullptr) {
          const Shape& key_shape = *shape.key->shape;
          const bool keys_valid = std::all_of(v.items().begin(), v.items().end(),
                                              [&](const auto& item) { return scalar_valid(key_shape, json(item.key())); });
          if (!keys_valid) {
            add(at, value_string(shape, v), "Map keys must satisfy constraint: " + element_constraints(key_shape));
          }
        }
        if (shape.value == nullptr || full()) return;
        const Shape& value_shape = *shape.value->shape;
        if (is_scalar(value_shape)) {
          const bool values_valid = std::all_of(v.begin(), v.end(), [&](const json& e) {
            return e.is_null() || scalar_valid(value_shape, e);
          });
          if (!values_valid) {
            add(at, value_string(shape, v), "Map value must satisfy constraint: " + element_constraints(value_shape));
          }
          return;
        }
        for (const auto& [key, e] : v.items()) {
          if (full()) return;
          if (e.is_null()) continue;
          PathFrame frame{at, PathFrame::Tag::kMapValue, key, 0};
          value(value_shape, e, &frame);
        }
        return;
      }
      default:
        return;
    }
  }

  std::vector<std::string> errors_;
};

// ---------------------------------------------------------------------------
// Phase 2, SQS: the first broken constraint, in SQS's own error codes.

class SqsConstraints {
 public:
  explicit SqsConstraints(const Operation& operation) {
    // ReceiveMessage's (deprecated) AttributeNames is modelled as queue
    // attribute names, but SQS accepts message system attribute names there
    // too ("SentTimestamp", "ApproximateReceiveCount", ...).
    if (operation.name == "ReceiveMessage" && operation.input != nullptr) {
      receive_attribute_names_ = operation.input->find_member("AttributeNames");
      if (const Member* system = operation.input->find_member("MessageSystemAttributeNames")) {
        if (system->shape->member != nullptr) extra_enum_ = system->shape->member->shape;
      }
    }
  }

  std::optional<AwsError> structure(const Shape& shape, const json& object) const {
    // Required members first, in the model's `required` order (QueueUrl before
    // MessageBody), then each present member's value.
    for (const std::string& name : shape.required) {
      const Member* member = shape.find_member(name);
      if (member != nullptr && member_value(object, *member) == nullptr) {
        return AwsError{"MissingRequiredParameterException", "MissingParameter", 400, true,
                        "The request must contain the parameter " + member->name + "."};
      }
    }
    for (const Member& member : shape.members) {
      const json* v = member_value(object, member);
      if (v == nullptr) continue;
      const Shape* extra = &member == receive_attribute_names_ ? extra_enum_ : nullptr;
      if (auto err = value(member, *member.shape, *v, extra)) return err;
    }
    return std::nullopt;
  }

 private:
  std::optional<AwsError> value(const Member& member, const Shape& shape, const json& v, const Shape* extra) const {
    std::optional<AwsError> error;
    for_each_violation(shape, v, extra, [&](const std::string& constraint, bool is_enum) {
      error = is_enum ? unknown_attribute(v) : invalid_value(member, shape, v, constraint);
      return false;
    });
    if (error) return error;
    switch (shape.kind) {
      case ShapeType::kStructure:
        return v.is_object() ? structure(shape, v) : std::nullopt;
      case ShapeType::kList:
        if (!v.is_array() || shape.member == nullptr) return std::nullopt;
        for (const json& e : v) {
          if (e.is_null()) continue;
          if (auto err = value(member, *shape.member->shape, e, extra)) return err;
        }
        return std::nullopt;
      case ShapeType::kMap:
        if (!v.is_object()) return std::nullopt;
        for (const auto& [key, e] : v.items()) {
          if (shape.key != nullptr) {
            if (auto err = value(member, *shape.key->shape, json(key), nullptr)) return err;
          }
          if (shape.value != nullptr && !e.is_null()) {
            if (auto err = value(member, *shape.value->shape, e, nullptr)) return err;
          }
        }
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  static AwsError unknown_attribute(const json& v) {
    return AwsError{"InvalidAttributeName", "InvalidAttributeName", 400, true,
                    "Unknown Attribute " + (v.is_string() ? v.get<std::string>() : v.dump()) + "."};
  }

  static AwsError invalid_value(const Member& member, const Shape& shape, const json& v, const std::string& constraint) {
    return AwsError{"InvalidParameterValueException", "InvalidParameterValue", 400, true,
                    "Value " + value_string(shape, v) + " for parameter " + member.name +
                        " is invalid. Reason: " + constraint + "."};
  }

  const Member* receive_attribute_names_ = nullptr;
  const Shape* extra_enum_ = nullptr;
};

}  // namespace

std::optional<AwsError> validate(const Operation& operation, const json& input, Dialect dialect) {
  if (!input.is_object()) {
    return serialization_error(input.is_array() ? "Start of list found where not expected" : "");
  }
  if (operation.input == nullptr) return std::nullopt;
  const Shape& shape = *operation.input;

  if (auto err = TypeChecker(dialect).check_structure(shape, input)) return err;

  if (dialect == Dialect::kSqs) return SqsConstraints(operation).structure(shape, input);
  KinesisConstraints constraints;
  constraints.structure(shape, input, nullptr);
  return constraints.result();
}

}  // namespace shoal::api::model
