// read_json: a strict RFC 8259 JSON reader that builds the same
// nlohmann::json value nlohmann's own parser builds (non-negative integers as
// unsigned, negative ones as signed, integers past 64 bits and anything with a
// fraction or exponent as double, the last of duplicate keys wins), about ten
// times faster on the string-heavy bodies SDKs send: strings are copied in runs
// instead of one character at a time. Rejects what nlohmann rejects: ill-formed
// UTF-8, control characters in strings, lone surrogates, numbers past double,
// trailing bytes; and, unlike nlohmann, nesting deeper than kMaxJsonDepth (no
// AWS shape nests that deep) and documents of more than kMaxDecodedValues
// values. decode_json follows an operation's input shape (decode_guide.h):
// what the shape has no use for is checked but never built. Pure functions,
// thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/protocol/decode_guide.h"

namespace shoal::api {

inline constexpr int kMaxJsonDepth = 512;

// nullopt when the text is not exactly one JSON value (surrounding whitespace
// allowed), or holds more than kMaxDecodedValues values.
std::optional<nlohmann::json> read_json(std::string_view text);

// The value as `guide` keeps it. A document decode_json refuses as malformed
// is exactly one read_json refuses, whatever the guide.
std::variant<nlohmann::json, DecodeFailure> decode_json(std::string_view text, const DecodeGuide& guide);

}  // namespace shoal::api
