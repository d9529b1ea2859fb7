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

std::string hex(std::uint64_t v, int digits) {
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) {
    out[static_cast<std::size_t>(i)] = "0123456789abcdef"[v & 0xf];
  }
  return out;
}

std::uint64_t parse_hex(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) v = (v << 4) | static_cast<std::uint64_t>(hex_value(c));
  return v;
}

}  // namespace

std::string encode_sequence_number(const SequenceParts& p) {
  const std::string h = "2" + hex(static_cast<std::uint64_t>(p.shard_created_seconds), 9) +
                        hex(p.shard_index & 0xf, 1) + hex(p.counter & kEndingCounter, 16) + "00" +
                        hex(static_cast<std::uint64_t>(p.arrival_seconds), 9) +
                        hex(p.shard_index & 0x7fff'ffffU, 8) + "2";
  Limbs n;
  for (char c : h) mul_add(n, 16, static_cast<std::uint32_t>(hex_value(c)));
  std::string out;
  while (!n.empty()) {
    std::uint32_t chunk = div_small(n, 1'000'000'000);
    for (int i = 0; i < 9; ++i, chunk /= 10) out.push_back(static_cast<char>('0' + chunk % 10));
  }
  while (out.size() > 1 && out.back() == '0') out.pop_back();
  std::reverse(out.begin(), out.end());
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
