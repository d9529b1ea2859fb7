#include "api/protocol/json_writer.h"

#include <charconv>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "api/protocol/json_scan.h"

namespace shoal::api {
namespace {

using nlohmann::json;

// Whether s is well-formed UTF-8 (then every non-ASCII byte is copied as is).
bool valid_utf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p != end) {
#ifdef __SSE2__
    while (end - p >= 16 && _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) == 0) p += 16;
    if (p == end) break;
#endif
    if (end - p >= 8) {  // ASCII runs 8 bytes at a time
      std::uint64_t x;
      std::memcpy(&x, p, sizeof x);
      if ((x & 0x8080808080808080ull) == 0) {
        p += 8;
        continue;
      }
    }
    if (*p < 0x80) {
      ++p;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t min = 0;
    if (*p >= 0xC2 && *p <= 0xDF) n = 1, min = 0x80;
    else if (*p >= 0xE0 && *p <= 0xEF) n = 2, min = 0x800;
    else if (*p >= 0xF0 && *p <= 0xF4) n = 3, min = 0x10000;
    else return false;
    if (static_cast<std::size_t>(end - p) <= n) return false;
    std::uint32_t cp = *p & (0x3F >> n);
    for (std::size_t i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += n + 1;
  }
  return true;
}

void write_string(const std::string& s, std::string& out) {
  if (!valid_utf8(s)) {
    // Rare (the api validates what it stores): nlohmann's replacement rules.
    out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const char* p = s.data();
  const char* end = p + s.size();
  while (p != end) {
    const char* run = p;
    while ((p = skip_plain_json(p, end)) != end) {
      auto c = static_cast<unsigned char>(*p);
      if (c == '"' || c == '\\' || c < 0x20) break;
      ++p;  // a plain byte the wide check was unsure of (UTF-8, or near one)
    }
    out.append(run, p);
    if (p == end) break;
    auto c = static_cast<unsigned char>(*p++);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.push_back('"');
}

template <typename Integer>
void write_integer(Integer v, std::string& out) {
  char buffer[24];
  auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, r.ptr);
}

}  // namespace

void write_json(const nlohmann::json& value, std::string& out) {
  switch (value.type()) {
    case json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        write_string(key, out);
        out.push_back(':');
        write_json(member, out);
      }
      out.push_back('}');
      return;
    }
    case json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value.get_ref<const json::array_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        write_json(item, out);
      }
      out.push_back(']');
      return;
    }
    case json::value_t::string: write_string(value.get_ref<const std::string&>(), out); return;
    case json::value_t::boolean: out.append(value.get<bool>() ? "true" : "false"); return;
    case json::value_t::number_integer: write_integer(value.get<std::int64_t>(), out); return;
    case json::value_t::number_unsigned: write_integer(value.get<std::uint64_t>(), out); return;
    case json::value_t::null: out.append("null"); return;
    default:  // doubles (nlohmann's own shortest form), binary, discarded
      out += value.dump(-1, ' ', false, json::error_handler_t::replace);
      return;
  }
}

}  // namespace shoal::api
