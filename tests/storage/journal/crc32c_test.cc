// CRC32C: the standard check value, and the hardware and portable paths agree.
#include "storage/journal/crc32c.h"

#include <doctest/doctest.h>

#include <string>

namespace shoal::storage::journal {

TEST_CASE("crc32c of \"123456789\" is the standard check value 0xE3069283") {
  CHECK(crc32c("123456789") == 0xE3069283u);
  CHECK(crc32c_extend_portable(0, "123456789", 9) == 0xE3069283u);
  CHECK(crc32c("") == 0u);
}

TEST_CASE("crc32c of 32 zero bytes matches RFC 3720's test vector") {
  CHECK(crc32c(std::string(32, '\0')) == 0x8A9136AAu);
  CHECK(crc32c(std::string(32, '\xFF')) == 0x62A8AB43u);
}

TEST_CASE("crc32c extends piecewise and both paths agree at every length and alignment") {
  std::string data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>(i * 37 + 11));
  for (std::size_t start = 0; start < 9; ++start) {
    for (std::size_t len = 0; start + len <= data.size(); len += 7) {
      const std::string_view piece = std::string_view(data).substr(start, len);
      const std::uint32_t whole = crc32c(piece);
      CHECK(crc32c_extend_portable(0, piece.data(), piece.size()) == whole);
      const std::size_t half = len / 2;
      CHECK(crc32c_extend(crc32c(piece.substr(0, half)), piece.data() + half, len - half) == whole);
    }
  }
}

}  // namespace shoal::storage::journal
