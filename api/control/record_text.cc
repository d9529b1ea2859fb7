#include "api/control/record_text.h"

#include <cstdint>

namespace shoal::api::control {
namespace {

// Length of the well-formed UTF-8 sequence at `at` (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF); 0 when there is none.
// `code` receives the code point.
std::size_t utf8_sequence(std::string_view s, std::size_t at, std::uint32_t* code) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  std::uint32_t min = 0;
  if (lead < 0x80) {
    *code = lead;
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    min = 0x80;
    *code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    min = 0x800;
    *code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    min = 0x10000;
    *code = lead & 0x07;
  } else {
    return 0;
  }
  if (at + length > s.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
    *code = (*code << 6) | (byte(at + i) & 0x3F);
  }
  if (*code < min || *code > 0x10FFFF || (*code >= 0xD800 && *code <= 0xDFFF)) return 0;
  return length;
}

bool readable(std::uint32_t code) {
  if (code == '\t' || code == '\n' || code == '\r') return true;
  return code >= 0x20 && code != 0x7F && !(code >= 0x80 && code <= 0x9F);
}

// Bytes at the end that could start a sequence the cut broke off.
std::size_t broken_tail(std::string_view s) {
  for (std::size_t back = 1; back <= 3 && back <= s.size(); ++back) {
    const auto c = static_cast<unsigned char>(s[s.size() - back]);
    if ((c & 0xC0) != 0x80) {
      const std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return need > back ? back : 0;
    }
  }
  return 0;
}

}  // namespace

ShownBytes show_bytes(std::string_view bytes, bool cut) {
  std::string_view body = cut ? bytes.substr(0, bytes.size() - broken_tail(bytes)) : bytes;
  bool text = true;
  for (std::size_t at = 0; at < body.size() && text;) {
    std::uint32_t code = 0;
    const std::size_t n = utf8_sequence(body, at, &code);
    text = n > 0 && readable(code);
    at += n;
  }
  if (text) return {true, std::string(body)};
  static constexpr char kDigits[] = "0123456789abcdef";
  ShownBytes out;
  out.value.reserve(bytes.size() * 3);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (!out.value.empty()) out.value += ' ';
    out.value += kDigits[b >> 4];
    out.value += kDigits[b & 0xF];
  }
  return out;
}

}  // namespace shoal::api::control
