// Shard iterators: round trip, tamper evidence, the 5-minute lifetime on a
// manual clock, and the account an iterator was issued to.
#include "storage/stream/shard_iterator.h"

#include <doctest/doctest.h>

#include <string>

namespace shoal::storage {
namespace {

ShardIteratorState sample(TimePoint issued) {
  return {"123456789012", "us-east-1", "orders", 1'700'000'000'000, 12, 99, to_epoch_ms(issued), ""};
}

}  // namespace

TEST_CASE("an iterator decodes to what was encoded while it is fresh") {
  ManualClock clock;
  const ShardIteratorCodec codec;
  const auto it = codec.encode(sample(clock.now()));
  CHECK(it.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
        std::string::npos);
  const auto decoded = codec.decode(it, clock.now());
  REQUIRE(decoded.ok());
  CHECK(*decoded == sample(clock.now()));
}

TEST_CASE("an iterator with any one character changed is rejected as invalid") {
  ManualClock clock;
  const ShardIteratorCodec codec;
  const auto it = codec.encode(sample(clock.now()));
  for (std::size_t i = 0; i < it.size(); ++i) {
    std::string bad = it;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    CAPTURE(i);
    const auto decoded = codec.decode(bad, clock.now());
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.status().code() == Status::Code::kInvalidArgument);
  }
}

TEST_CASE("garbage and another process's iterators are invalid, not expired") {
  ManualClock clock;
  const ShardIteratorCodec codec("key one");
  const ShardIteratorCodec other("key two");
  for (const std::string bad : {"", "not an iterator", "AAAA", "====", "AAAAAAAAAAAAAAAAAAAAAAAA"}) {
    CAPTURE(bad);
    CHECK(codec.decode(bad, clock.now()).status().code() == Status::Code::kInvalidArgument);
  }
  CHECK(codec.decode(other.encode(sample(clock.now())), clock.now()).status().code() ==
        Status::Code::kInvalidArgument);
}

TEST_CASE("an iterator expires 5 minutes after it was issued") {
  ManualClock clock;
  const ShardIteratorCodec codec;
  const auto it = codec.encode(sample(clock.now()));
  clock.advance(std::chrono::minutes(5) - std::chrono::milliseconds(1));
  CHECK(codec.decode(it, clock.now()).ok());
  clock.advance(std::chrono::milliseconds(1));
  const auto expired = codec.decode(it, clock.now());
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.status().code() == Status::Code::kHandleExpired);
}

TEST_CASE("the same key decodes iterators across codec instances") {
  ManualClock clock;
  const ShardIteratorCodec a("persisted key");
  const ShardIteratorCodec b(a.key());
  CHECK(b.decode(a.encode(sample(clock.now())), clock.now()).ok());
  CHECK(ShardIteratorCodec().key().size() == 32);
}

TEST_CASE("an iterator issued to another account than the owner carries it; the owner's layout is unchanged") {
  ManualClock clock;
  const ShardIteratorCodec codec;
  auto state = sample(clock.now());
  const auto owners = codec.encode(state);
  CHECK(codec.decode(owners, clock.now())->reader() == "123456789012");

  state.reader_account = "222222222222";
  const auto readers = codec.encode(state);
  CHECK(readers != owners);
  const auto decoded = codec.decode(readers, clock.now());
  REQUIRE(decoded.ok());
  CHECK(*decoded == state);
  CHECK(decoded->reader() == "222222222222");

  // Naming the owner as reader is the owner's iterator, byte for byte.
  state.reader_account = state.account;
  CHECK(codec.encode(state) == owners);
}

TEST_CASE("an iterator's reader cannot be stripped or swapped: the signature covers it") {
  ManualClock clock;
  const ShardIteratorCodec codec;
  auto state = sample(clock.now());
  state.reader_account = "222222222222";
  const auto it = codec.encode(state);
  for (std::size_t i = 0; i < it.size(); ++i) {
    std::string bad = it;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    CAPTURE(i);
    CHECK_FALSE(codec.decode(bad, clock.now()).ok());
  }
}

}  // namespace shoal::storage
