#include "storage/stream/hash_key.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cassert>

namespace shoal::storage {

std::optional<HashKey> parse_hash_key(std::string_view decimal) {
  if (decimal.empty()) return std::nullopt;
  HashKey value = 0;
  for (char c : decimal) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<unsigned>(c - '0');
    if (value > (kMaxHashKey - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::string hash_key_to_string(HashKey key) {
  if (key == 0) return "0";
  std::string out;
  while (key != 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(key % 10)));
    key /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

HashKey partition_key_hash(std::string_view partition_key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(partition_key.data(), partition_key.size(), digest, &size, EVP_md5(), nullptr);
  HashKey value = 0;
  for (unsigned int b = 0; b < size; ++b) value = (value << 8) | digest[b];
  return value;
}

HashKeyRange even_hash_key_range(int i, int n) {
  assert(n >= 1 && i >= 0 && i < n);
  if (n == 1) return {0, kMaxHashKey};
  // step = floor(2^128 / n), computed without 2^128: when n divides 2^128
  // (a power of two) the remainder of (2^128 - 1) / n is n - 1.
  const auto un = static_cast<HashKey>(n);
  HashKey step = kMaxHashKey / un;
  if (kMaxHashKey % un == un - 1) ++step;
  const HashKey start = step * static_cast<HashKey>(i);
  const HashKey end = i == n - 1 ? kMaxHashKey : start + step - 1;
  return {start, end};
}

}  // namespace shoal::storage
