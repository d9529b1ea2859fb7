#include "api/common/base64.h"

#include <doctest/doctest.h>

using shoal::api::base64_decode;
using shoal::api::base64_encode;

TEST_CASE("base64 round-trips every length and rejects malformed text") {
  std::string bytes;
  for (int i = 0; i < 260; ++i) {
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
    bytes.push_back(static_cast<char>(i * 7));
  }
  CHECK(base64_encode("hello") == "aGVsbG8=");
  CHECK(base64_decode("aGVsbG8=") == "hello");
  CHECK_FALSE(base64_decode("aGVsbG8"));
  CHECK_FALSE(base64_decode("aGV$bG8="));
  CHECK_FALSE(base64_decode("aG=sbG8="));
}

TEST_CASE("base64 decoding refuses padding anywhere but the end, and any stray byte") {
  CHECK(base64_decode("") == "");
  CHECK(base64_decode("QQ==") == "A");
  CHECK(base64_decode("QUI=") == "AB");
  CHECK_FALSE(base64_decode("Q==="));
  CHECK_FALSE(base64_decode("QQ=A"));
  CHECK_FALSE(base64_decode("Q=Q="));
  CHECK_FALSE(base64_decode("===="));
  std::string long_text = base64_encode(std::string(300, 'x'));
  for (std::size_t at = 0; at < long_text.size(); at += 7) {
    std::string broken = long_text;
    broken[at] = '\xC3';
    CAPTURE(at);
    CHECK_FALSE(base64_decode(broken));
  }
}

TEST_CASE("base64_alphabet_prefix stops at the first non-alphabet byte") {
  using shoal::api::base64_alphabet_prefix;
  CHECK(base64_alphabet_prefix("") == 0);
  CHECK(base64_alphabet_prefix("abcDEF+/09") == 10);
  CHECK(base64_alphabet_prefix("aGVsbG8=") == 7);
  CHECK(base64_alphabet_prefix("abcdefg$hij") == 7);
  CHECK(base64_alphabet_prefix("-abc") == 0);
}
