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
