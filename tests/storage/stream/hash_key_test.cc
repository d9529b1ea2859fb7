// Hash keys: decimal parsing with overflow checks, MD5 routing values, and the
// even split of the key space exactly as AWS makes it.
#include "storage/stream/hash_key.h"

#include <doctest/doctest.h>

#include <string>

namespace shoal::storage {

TEST_CASE("hash keys round-trip through decimal at 0 and 2^128-1") {
  CHECK(hash_key_to_string(0) == "0");
  CHECK(hash_key_to_string(kMaxHashKey) == "340282366920938463463374607431768211455");
  CHECK(parse_hash_key("340282366920938463463374607431768211455") == kMaxHashKey);
  CHECK(parse_hash_key("0") == HashKey{0});
  CHECK(parse_hash_key("007") == HashKey{7});
}

TEST_CASE("hash key parsing rejects 2^128, signs, blanks and non-digits") {
  CHECK_FALSE(parse_hash_key("340282366920938463463374607431768211456"));
  CHECK_FALSE(parse_hash_key("999999999999999999999999999999999999999"));
  CHECK_FALSE(parse_hash_key(""));
  CHECK_FALSE(parse_hash_key("-1"));
  CHECK_FALSE(parse_hash_key("+1"));
  CHECK_FALSE(parse_hash_key("12 "));
  CHECK_FALSE(parse_hash_key("1e5"));
}

TEST_CASE("a partition key hashes to its MD5 read as a big-endian integer") {
  CHECK(hash_key_to_string(partition_key_hash("")) == "281949768489412648962353822266799178366");
  CHECK(hash_key_to_string(partition_key_hash("a")) == "16955237001963240173058271559858726497");
  CHECK(hash_key_to_string(partition_key_hash("partition-1")) == "198019941650871988756153596255032211816");
}

TEST_CASE("one shard covers the whole key space") {
  const auto r = even_hash_key_range(0, 1);
  CHECK(r.start == 0);
  CHECK(r.end == kMaxHashKey);
}

TEST_CASE("two shards split the key space at 2^127") {
  CHECK(hash_key_to_string(even_hash_key_range(0, 2).end) == "170141183460469231731687303715884105727");
  CHECK(hash_key_to_string(even_hash_key_range(1, 2).start) == "170141183460469231731687303715884105728");
  CHECK(even_hash_key_range(1, 2).end == kMaxHashKey);
}

TEST_CASE("three shards split with step floor(2^128/3), the last ending at 2^128-1") {
  CHECK(hash_key_to_string(even_hash_key_range(0, 3).end) == "113427455640312821154458202477256070484");
  CHECK(hash_key_to_string(even_hash_key_range(1, 3).start) == "113427455640312821154458202477256070485");
  CHECK(hash_key_to_string(even_hash_key_range(1, 3).end) == "226854911280625642308916404954512140969");
  CHECK(hash_key_to_string(even_hash_key_range(2, 3).start) == "226854911280625642308916404954512140970");
  CHECK(even_hash_key_range(2, 3).end == kMaxHashKey);
}

TEST_CASE("five shards split exactly like AWS") {
  const char* starts[] = {"0", "68056473384187692692674921486353642291", "136112946768375385385349842972707284582",
                          "204169420152563078078024764459060926873", "272225893536750770770699685945414569164"};
  for (int i = 0; i < 5; ++i) {
    CAPTURE(i);
    CHECK(hash_key_to_string(even_hash_key_range(i, 5).start) == starts[i]);
    if (i < 4) CHECK(even_hash_key_range(i, 5).end + 1 == even_hash_key_range(i + 1, 5).start);
  }
  CHECK(even_hash_key_range(4, 5).end == kMaxHashKey);
}

}  // namespace shoal::storage
