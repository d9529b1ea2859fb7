#include "api/protocol/json_writer.h"

#include <doctest/doctest.h>

#include <random>
#include <string>

namespace shoal::api {
namespace {

using nlohmann::json;

std::string reference(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

TEST_CASE("write_json renders what nlohmann's dump renders") {
  const json values[] = {
      json::object(),
      json::array(),
      {{"MD5OfMessageBody", "0123456789abcdef0123456789abcdef"}, {"MessageId", "a-b-c"}},
      {{"n", -42}, {"u", 18446744073709551615ull}, {"d", 1700000000.123}, {"whole", 2.0}, {"t", true},
       {"f", false}, {"z", nullptr}, {"list", {1, "two", {{"three", 3}}}}},
      {{"escapes", std::string("quote\" backslash\\ nl\n cr\r tab\t bs\b ff\f nul") + std::string(1, '\0') +
                       "\x01\x1f\x7f"}},
      {{"utf8", "é € 😀 plain ascii long enough for words"}},
      {{"bad utf8", "ok \xC3\x28 \xFF \xED\xA0\x80 tail"}},
      {{"key \"quoted\"\n", "v"}},
  };
  for (const auto& value : values) {
    CAPTURE(reference(value));
    CHECK(to_json_text(value) == reference(value));
  }
}

TEST_CASE("write_json agrees with nlohmann on random strings at every alignment") {
  std::mt19937 rng(11);
  const std::string alphabet = std::string("abcXYZ019 \"\\/\n\t\x01\x1f\x7f") + "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xFF";
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    auto length = rng() % 40;
    for (std::size_t k = 0; k < length; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    json value = {{"s", s}};
    CAPTURE(s);
    CHECK(to_json_text(value) == reference(value));
  }
}

TEST_CASE("write_json escapes one special byte at any place in a long plain run") {
  // Long plain runs take the 16- and 8-byte paths; the special byte must be
  // found whichever block it falls in.
  for (const std::string special : {"\"", "\\", "\n", "\x01", "\x7f", "\xC3\xA9", "\xE2\x82\xAC", "\xFF"}) {
    for (std::size_t length = 15; length <= 70; length += 11) {
      for (std::size_t at = 0; at <= length; ++at) {
        std::string s(length, 'Q');
        s.insert(at, special);
        json value = {{"Data", s}};
        CAPTURE(length);
        CAPTURE(at);
        CHECK(to_json_text(value) == reference(value));
      }
    }
  }
}

}  // namespace
}  // namespace shoal::api
