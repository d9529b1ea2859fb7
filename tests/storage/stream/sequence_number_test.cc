// Sequence numbers: AWS's 56-digit shape, ordering by the per-shard counter,
// and rejection of anything that is not one of ours.
#include "storage/stream/sequence_number.h"

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

namespace shoal::storage {

TEST_CASE("a sequence number is 56 decimal digits and decodes to its parts") {
  const SequenceParts parts{1'700'000'000, 7, 42, 1'700'000'123};
  const std::string seq = encode_sequence_number(parts);
  CHECK(seq.size() == 56);
  CHECK(seq.find_first_not_of("0123456789") == std::string::npos);
  CHECK(decode_sequence_number(seq) == parts);
  // The hex layout in the header, printed in decimal (worked out independently).
  CHECK(seq == "49646437577264581633306590767867454337917791084650430578");
}

TEST_CASE("numbers of one shard grow with the counter and compare as strings") {
  std::string previous;
  for (std::uint64_t counter : std::initializer_list<std::uint64_t>{0, 1, 2, 255, 256, std::uint64_t{1} << 40, kEndingCounter}) {
    // Arrival time moves both ways: the counter alone decides the order.
    const auto seq = encode_sequence_number({1'700'000'000, 3, counter, 1'700'000'000 - static_cast<std::int64_t>(counter % 7)});
    CHECK(seq.size() == 56);
    CHECK(seq > previous);
    previous = seq;
  }
}

TEST_CASE("the shard index survives encoding, so a number names its shard") {
  for (std::uint32_t index : {0U, 1U, 15U, 16U, 4096U, 0x7fffffffU}) {
    const auto parts = decode_sequence_number(encode_sequence_number({1'700'000'000, index, 5, 1'700'000'001}));
    REQUIRE(parts);
    CHECK(parts->shard_index == index);
  }
}

TEST_CASE("a sequence number from the AWS documentation decodes") {
  const auto parts = decode_sequence_number("49546986683135544286507457936321625675700192471156785154");
  REQUIRE(parts);
  CHECK(parts->shard_index == 0);
}

TEST_CASE("garbage, other versions and tampered layouts are not sequence numbers") {
  const auto good = encode_sequence_number({1'700'000'000, 18, 9, 1'700'000'000});
  CHECK_FALSE(decode_sequence_number(""));
  CHECK_FALSE(decode_sequence_number("abc"));
  CHECK_FALSE(decode_sequence_number("1234"));
  CHECK_FALSE(decode_sequence_number(good + "0"));
  CHECK_FALSE(decode_sequence_number("-" + good));
  // Changing the last digit changes the trailing version nibble.
  std::string bumped = good;
  bumped.back() = bumped.back() == '9' ? '8' : static_cast<char>(bumped.back() + 1);
  CHECK_FALSE(decode_sequence_number(bumped));
}

}  // namespace shoal::storage
