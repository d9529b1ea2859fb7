// show_bytes: text when the bytes are readable UTF-8, hex otherwise; a cut
// through a multi-byte character is not taken for binary.
#include <doctest/doctest.h>

#include "api/control/record_text.h"

namespace shoal::api::control {

TEST_CASE("readable UTF-8 is shown as text, tabs and newlines included") {
  auto s = show_bytes("héllo\twörld\n{\"k\": 1} ✓ 🐟", false);
  CHECK(s.text);
  CHECK(s.value == "héllo\twörld\n{\"k\": 1} ✓ 🐟");
  CHECK(show_bytes("", false).text);
  CHECK(show_bytes("<script>alert(1)</script>", false).text);
}

TEST_CASE("control characters and invalid UTF-8 are shown as hex") {
  auto nul = show_bytes(std::string("a\0b", 3), false);
  CHECK_FALSE(nul.text);
  CHECK(nul.value == "61 00 62");
  CHECK(show_bytes("\xff\xfe", false).value == "ff fe");
  CHECK_FALSE(show_bytes("\xc0\xaf", false).text);          // overlong '/'
  CHECK_FALSE(show_bytes("\xed\xa0\x80", false).text);      // a surrogate
  CHECK_FALSE(show_bytes("bell\x07", false).text);
  CHECK_FALSE(show_bytes("\xc2\x85", false).text);          // NEL, a C1 control
  CHECK_FALSE(show_bytes("\xe2\x9c", false).text);          // a broken character, not cut
}

TEST_CASE("a cut through a character drops the broken end instead of turning to hex") {
  const std::string fish = "fish 🐟";  // the fish is 4 bytes
  for (std::size_t drop = 1; drop <= 3; ++drop) {
    auto s = show_bytes(fish.substr(0, fish.size() - drop), true);
    CHECK(s.text);
    CHECK(s.value == "fish ");
  }
  CHECK(show_bytes(fish, true).value == fish);
}

}  // namespace shoal::api::control
