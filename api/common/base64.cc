#include "api/common/base64.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace shoal::api {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_reverse() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}
constexpr auto kReverse = make_reverse();

// kGroup[k][c]: character c's 6 bits already shifted to position k of a
// 4-character group, or kBad. OR-ing four lookups decodes a group; any bad
// character leaves kBad's bit set. Half the instructions of shifting and
// combining per character.
constexpr std::uint32_t kBad = 0x80000000u;
constexpr std::array<std::array<std::uint32_t, 256>, 4> make_group_tables() {
  std::array<std::array<std::uint32_t, 256>, 4> tables{};
  for (int k = 0; k < 4; ++k) {
    for (int c = 0; c < 256; ++c) {
      const int v = kReverse[static_cast<std::size_t>(c)];
      tables[static_cast<std::size_t>(k)][static_cast<std::size_t>(c)] =
          v < 0 ? kBad : static_cast<std::uint32_t>(v) << (18 - 6 * k);
    }
  }
  return tables;
}
constexpr auto kGroup = make_group_tables();

// Every 12-bit value as its two base64 characters: a 3-byte group is two
// lookups instead of four, about half the instructions per byte encoded.
constexpr std::array<std::array<char, 2>, 4096> make_pairs() {
  std::array<std::array<char, 2>, 4096> table{};
  for (int i = 0; i < 4096; ++i) table[static_cast<std::size_t>(i)] = {kAlphabet[i >> 6], kAlphabet[i & 63]};
  return table;
}
constexpr auto kPairs = make_pairs();

}  // namespace

// Both directions write into a buffer sized up front: push_back per character
// cost more than the arithmetic.
std::string base64_encode(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  char* o = out.data();
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3, o += 4) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 | in[i + 2];
    std::memcpy(o, kPairs[v >> 12].data(), 2);
    std::memcpy(o + 2, kPairs[v & 0xfff].data(), 2);
  }
  if (const std::size_t left = bytes.size() - i; left > 0) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16 | (left == 2 ? std::uint32_t{in[i + 1]} << 8 : 0);
    o[0] = kAlphabet[v >> 18 & 63];
    o[1] = kAlphabet[v >> 12 & 63];
    if (left == 2) o[2] = kAlphabet[v >> 6 & 63];
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  std::string out(text.size() / 4 * 3 - pad, '\0');
  char* o = out.data();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t full = pad > 0 ? text.size() - 4 : text.size();  // groups without padding
  for (std::size_t i = 0; i < full; i += 4, o += 3) {
    const std::uint32_t v = kGroup[0][in[i]] | kGroup[1][in[i + 1]] | kGroup[2][in[i + 2]] | kGroup[3][in[i + 3]];
    if (v & kBad) return std::nullopt;
    o[0] = static_cast<char>(v >> 16);
    o[1] = static_cast<char>(v >> 8 & 0xff);
    o[2] = static_cast<char>(v & 0xff);
  }
  if (pad > 0) {
    const auto* g = in + full;
    const int a = kReverse[g[0]], b = kReverse[g[1]], c = pad == 1 ? kReverse[g[2]] : 0;
    if ((a | b | c) < 0) return std::nullopt;
    const auto v = static_cast<std::uint32_t>(a << 18 | b << 12 | c << 6);
    o[0] = static_cast<char>(v >> 16);
    if (pad == 1) o[1] = static_cast<char>(v >> 8 & 0xff);
  }
  return out;
}

std::size_t base64_alphabet_prefix(std::string_view text) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  for (; i + 4 <= text.size(); i += 4) {
    if ((kReverse[in[i]] | kReverse[in[i + 1]] | kReverse[in[i + 2]] | kReverse[in[i + 3]]) < 0) break;
  }
  while (i < text.size() && kReverse[in[i]] >= 0) ++i;
  return i;
}

}  // namespace shoal::api
