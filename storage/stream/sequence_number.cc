#include "storage/stream/sequence_number.h"

#include <algorithm>
#include <vector>

namespace shoal::storage {
namespace {

constexpr std::size_t kHexDigits = 47;
constexpr std::size_t kMaxDecimalDigits = 60;

// Little-endian base 2^32 limbs: just enough arithmetic for 188-bit numbers.
using Limbs = std::vector<std::uint32_t>;

void mul_add(Limbs& n, std::uint32_t mul, std::uint32_t add) {
  std::uint64_t carry = add;
  for (auto& limb : n) {
    const std::uint64_t v = static_cast<std::uint64_t>(limb) * mul + carry;
    limb = static_cast<std::uint32_t>(v);
    carry = v >> 32;
  }
  if (carry != 0) n.push_back(static_cast<std::uint32_t>(carry));
}

// Divides in place, returns the remainder.
std::uint32_t div_small(Limbs& n, std::uint32_t div) {
  std::uint64_t rem = 0;
  for (auto it = n.rbegin(); it != n.rend(); ++it) {
    const std::uint64_t v = (rem << 32) | *it;
    *it = static_cast<std::uint32_t>(v / div);
    rem = v % div;
  }
  while (!n.empty() && n.back() == 0) n.pop_back();
  return static_cast<std::uint32_t>(rem);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::uint64_t parse_hex(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) v = (v << 4) | static_cast<std::uint64_t>(hex_value(c));
  return v;
}

}  // namespace

// Packs the 47 hex digits into 192 bits and prints them 19 decimal digits at
// a time with 128-bit division: on the PutRecords path, once per record.
std::string encode_sequence_number(const SequenceParts& p) {
  __extension__ using Wide = unsigned __int128;
  std::uint64_t words[3] = {0, 0, 0};  // little-endian
  std::size_t shift = 4 * kHexDigits;
  auto put = [&](std::uint64_t value, std::size_t digits) {
    for (std::size_t i = digits; i-- > 0;) {
      shift -= 4;
      words[shift / 64] |= ((value >> (4 * i)) & 0xf) << (shift % 64);
    }
  };
  put(2, 1);
  put(static_cast<std::uint64_t>(p.shard_created_seconds), 9);
  put(p.shard_index & 0xf, 1);
  put(p.counter & kEndingCounter, 16);
  put(0, 2);
  put(static_cast<std::uint64_t>(p.arrival_seconds), 9);
  put(p.shard_index & 0x7fff'ffffU, 8);
  put(2, 1);

  constexpr std::uint64_t kChunk = 10'000'000'000'000'000'000ull;  // 10^19
  std::uint64_t chunks[4] = {0, 0, 0, 0};                          // little-endian, base 10^19
  std::size_t count = 0;
  while (words[0] != 0 || words[1] != 0 || words[2] != 0) {
    std::uint64_t rem = 0;
    for (std::size_t w = 3; w-- > 0;) {
      const Wide cur = (static_cast<Wide>(rem) << 64) | words[w];
      words[w] = static_cast<std::uint64_t>(cur / kChunk);
      rem = static_cast<std::uint64_t>(cur % kChunk);
    }
    chunks[count++] = rem;
  }
  if (count == 0) return "0";  // not reached: the leading digit is 2
  std::string out = std::to_string(chunks[count - 1]);
  for (std::size_t c = count - 1; c-- > 0;) {
    const std::string digits = std::to_string(chunks[c]);
    out.append(19 - digits.size(), '0').append(digits);
  }
  return out;
}

std::optional<SequenceParts> decode_sequence_number(std::string_view decimal) {
  if (decimal.empty() || decimal.size() > kMaxDecimalDigits) return std::nullopt;
  Limbs n;
  for (char c : decimal) {
    if (c < '0' || c > '9') return std::nullopt;
    mul_add(n, 10, static_cast<std::uint32_t>(c - '0'));
  }
  while (!n.empty() && n.back() == 0) n.pop_back();
  std::string h;
  while (!n.empty()) h.push_back("0123456789abcdef"[div_small(n, 16)]);
  std::reverse(h.begin(), h.end());
  if (h.size() != kHexDigits || h.front() != '2' || h.back() != '2') return std::nullopt;
  const std::string_view v(h);
  if (v.substr(27, 2) != "00") return std::nullopt;
  SequenceParts p;
  p.shard_created_seconds = static_cast<std::int64_t>(parse_hex(v.substr(1, 9)));
  p.counter = parse_hex(v.substr(11, 16));
  p.arrival_seconds = static_cast<std::int64_t>(parse_hex(v.substr(29, 9)));
  const std::uint64_t index = parse_hex(v.substr(38, 8));
  if (p.counter > kEndingCounter || index > 0x7fff'ffffU) return std::nullopt;
  p.shard_index = static_cast<std::uint32_t>(index);
  if (static_cast<std::uint64_t>(hex_value(v[10])) != (index & 0xf)) return std::nullopt;
  return p;
}

}  // namespace shoal::storage
