#include "api/protocol/json_reader.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

namespace shoal::api {
namespace {

using nlohmann::json;

// What nlohmann's own parser makes of text (nullopt: it refuses it).
std::optional<json> reference(std::string_view text) {
  auto v = json::parse(text, nullptr, false);
  if (v.is_discarded()) return std::nullopt;
  return v;
}

void check_same(std::string_view text) {
  CAPTURE(text);
  auto ours = read_json(text);
  auto theirs = reference(text);
  REQUIRE(ours.has_value() == theirs.has_value());
  if (ours) {
    CHECK(*ours == *theirs);
    CHECK(ours->dump() == theirs->dump());  // same number kinds, not only equal values
  }
}

const std::vector<std::string> kValid = {
    R"({"QueueUrl":"http://localhost:4566/000000000000/q","MessageBody":"hello"})",
    R"({"a":[1,-2,3.5,1e3,-0,0.0,18446744073709551615,-9223372036854775808,18446744073709551616]})",
    R"({"e":"\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20ac \ud83d\ude00"})",
    R"({"utf8":"é€😀","nested":{"x":{"y":[[],{},[{}]]}},"t":true,"f":false,"n":null})",
    " \t\r\n{ \"spaced\" : [ 1 , 2 ] } \n",
    R"({"dup":1,"dup":2})",
    R"([1,"two",{"three":3}])",
    R"("just a string")",
    "42",
    R"({"tiny":1e-400,"big":1.7976931348623157e308})",
};

const std::vector<std::string> kInvalid = {
    "", " ", "{", "}", R"({"a":})", R"({"a":1,})", "[1,]", R"({"a" 1})", R"({a:1})",
    "tru", "nul", "01", "-", "1.", ".5", "1e", "+1", R"({"a":1} x)", R"("unterminated)",
    "\"raw\ncontrol\"", R"("\x")", R"("\u12")", R"("\ud800")", R"("\udc00")",
    R"("\ud800\u0041")", "\"\xC3\x28\"", "\"\xE0\x80\x80\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"",
    "\"\xFF\"", "\"\xC3\"", R"({"big":1e400})", "[1 2]",
};

TEST_CASE("read_json builds what nlohmann builds for valid documents") {
  for (const auto& text : kValid) check_same(text);
}

TEST_CASE("read_json refuses what nlohmann refuses") {
  for (const auto& text : kInvalid) {
    CAPTURE(text);
    CHECK_FALSE(read_json(text).has_value());
  }
}

TEST_CASE("read_json agrees with nlohmann on mutated documents") {
  std::mt19937 rng(7);
  const std::string alphabet = "{}[]\":,\\ 0123456789.eE+-tfnulrsaxu\xC3\xA9\xED\xA0\x80\n";
  for (const auto& seed : kValid) {
    for (int i = 0; i < 400; ++i) {
      std::string text = seed;
      int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        std::size_t at = rng() % text.size();
        switch (rng() % 3) {
          case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
          case 1: text.erase(at, 1); break;
          default: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        }
      }
      check_same(text);
    }
  }
}

TEST_CASE("read_json finds one special byte at any place in a long plain string") {
  // Long plain runs take the 16- and 8-byte paths; a quote, an escape, a raw
  // control character or bad UTF-8 must be seen whichever block it falls in.
  for (const std::string special :
       {"\\\"", "\\n", "\\u00e9", "\"", "\n", "\x01", "\x7f", "\xC3\xA9", "\xE2\x82\xAC", "\xFF", "\xED\xA0\x80"}) {
    for (std::size_t length = 15; length <= 70; length += 11) {
      for (std::size_t at = 0; at <= length; ++at) {
        std::string data(length, 'Q');
        data.insert(at, special);
        CAPTURE(length);
        CAPTURE(at);
        check_same("{\"Data\": \"" + data + "\", \"PartitionKey\": \"k\"}");
      }
    }
  }
}

TEST_CASE("read_json refuses nesting deeper than kMaxJsonDepth") {
  std::string ok(kMaxJsonDepth, '[');
  ok += std::string(kMaxJsonDepth, ']');
  CHECK(read_json(ok).has_value());
  std::string deep(kMaxJsonDepth + 1, '[');
  deep += std::string(kMaxJsonDepth + 1, ']');
  CHECK_FALSE(read_json(deep).has_value());
}

}  // namespace
}  // namespace shoal::api
