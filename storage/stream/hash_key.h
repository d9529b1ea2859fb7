// Kinesis hash keys: unsigned 128-bit integers, the partition key's MD5 read
// big-endian, and the even split of 0 .. 2^128-1 into N shard ranges exactly
// as AWS does (step floor(2^128 / N), the last range ends at 2^128-1).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace shoal::storage {

__extension__ typedef unsigned __int128 HashKey;

inline constexpr HashKey kMaxHashKey = ~HashKey{0};  // 2^128 - 1

struct HashKeyRange {
  HashKey start = 0;  // inclusive
  HashKey end = 0;    // inclusive
  bool contains(HashKey k) const { return start <= k && k <= end; }
  bool operator==(const HashKeyRange&) const = default;
};

// Decimal digits, no sign, no leading/trailing junk. nullopt when empty, not
// all digits, or > 2^128-1. Leading zeros are accepted.
std::optional<HashKey> parse_hash_key(std::string_view decimal);
// Shortest decimal form ("0" for zero).
std::string hash_key_to_string(HashKey key);
// MD5 of the partition key's bytes (UTF-8 as sent) as a big-endian integer.
HashKey partition_key_hash(std::string_view partition_key);
// Range i (0-based) of n >= 1 even ranges covering 0 .. 2^128-1.
HashKeyRange even_hash_key_range(int i, int n);

}  // namespace shoal::storage
