#include "api/protocol/json_reader.h"

#include "api/protocol/json_scan.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace shoal::api {
namespace {

using nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool document(json& out, const DecodeGuide& guide) {
    skip_space();
    if (!value(out, guide, 0)) return false;
    skip_space();
    return p_ == end_;
  }

  bool over_budget() const { return budget_.exceeded(); }

 private:
  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }


  bool value(json& out, const DecodeGuide& guide, int depth) {
    if (guide.skips()) return skip(depth);
    if (p_ == end_ || !budget_.spend()) return false;
    switch (*p_) {
      case '{':
        if (guide.opens_object()) return object(out, guide, depth + 1);
        out = json::object();  // a stand-in: the validator needs only the kind
        return skip(depth);
      case '[':
        if (guide.opens_array()) return array(out, guide, depth + 1);
        out = json::array();
        return skip(depth);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't': out = true; return literal("true");
      case 'f': out = false; return literal("false");
      case 'n': out = nullptr; return literal("null");
      default: return number(out);
    }
  }

  // Checks one value without building it.
  bool skip(int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return skip_container(depth + 1, '}', true);
      case '[': return skip_container(depth + 1, ']', false);
      case '"':
        scratch_.clear();
        return string(scratch_);
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: {
        json ignored;
        return number(ignored);
      }
    }
  }

  bool skip_container(int depth, char close, bool keyed) {
    if (depth > kMaxJsonDepth) return false;
    ++p_;
    skip_space();
    if (p_ != end_ && *p_ == close) {
      ++p_;
      return true;
    }
    while (true) {
      skip_space();
      if (keyed) {
        if (p_ == end_ || *p_ != '"') return false;
        scratch_.clear();
        if (!string(scratch_)) return false;
        skip_space();
        if (p_ == end_ || *p_ != ':') return false;
        ++p_;
        skip_space();
      }
      if (!skip(depth)) return false;
      skip_space();
      if (p_ == end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != close) return false;
      ++p_;
      return true;
    }
  }

  bool object(json& out, const DecodeGuide& guide, int depth) {
    if (depth > kMaxJsonDepth) return false;
    ++p_;  // '{'
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    skip_space();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    const bool map = guide.is_map();
    const std::size_t keep = guide.keep();
    std::string key;
    while (true) {
      skip_space();
      if (p_ == end_ || *p_ != '"') return false;
      key.clear();
      if (!string(key)) return false;
      skip_space();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_space();
      DecodeGuide child = map ? guide.element() : guide.member(key);
      if (child.skips() || (members.size() >= keep && !members.contains(key))) {
        if (!skip(depth)) return false;
      } else {
        json member;
        if (!value(member, child, depth)) return false;
        members.insert_or_assign(key, std::move(member));
      }
      skip_space();
      if (p_ == end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != '}') return false;
      ++p_;
      return true;
    }
  }

  bool array(json& out, const DecodeGuide& guide, int depth) {
    if (depth > kMaxJsonDepth) return false;
    ++p_;  // '['
    out = json::array();
    auto& items = out.get_ref<json::array_t&>();
    skip_space();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    const DecodeGuide child = guide.element();
    const std::size_t keep = child.skips() ? 0 : guide.keep();
    while (true) {
      skip_space();
      if (items.size() < keep) {
        items.emplace_back();
        if (!value(items.back(), child, depth)) return false;
      } else if (!skip(depth)) {
        return false;
      }
      skip_space();
      if (p_ == end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != ']') return false;
      ++p_;
      return true;
    }
  }

  // Appends the UTF-8 encoding of a code point.
  static void append_utf8(std::string& s, std::uint32_t cp) {
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool hex4(std::uint32_t& out) {
    if (end_ - p_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = *p_++;
      out <<= 4;
      if (c >= '0' && c <= '9') out |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') out |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') out |= static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  bool escape(std::string& s) {
    if (p_ == end_) return false;
    char c = *p_++;
    switch (c) {
      case '"': s.push_back('"'); return true;
      case '\\': s.push_back('\\'); return true;
      case '/': s.push_back('/'); return true;
      case 'b': s.push_back('\b'); return true;
      case 'f': s.push_back('\f'); return true;
      case 'n': s.push_back('\n'); return true;
      case 'r': s.push_back('\r'); return true;
      case 't': s.push_back('\t'); return true;
      case 'u': break;
      default: return false;
    }
    std::uint32_t cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate first
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      std::uint32_t low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(s, cp);
    return true;
  }

  // Length of the well-formed UTF-8 sequence at p (lead byte >= 0x80), or 0.
  std::size_t utf8_sequence(const char* p) const {
    auto byte = [&](std::ptrdiff_t i) { return static_cast<unsigned char>(p[i]); };
    auto cont = [&](std::ptrdiff_t i) { return p + i < end_ && (byte(i) & 0xC0) == 0x80; };
    unsigned char b0 = byte(0);
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
      if (!cont(1) || !cont(2)) return 0;
      unsigned char b1 = byte(1);
      if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
      if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogates
      return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return 0;
      unsigned char b1 = byte(1);
      if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
      if (b0 == 0xF4 && b1 > 0x8F) return 0;  // past U+10FFFF
      return 4;
    }
    return 0;
  }

  // At the opening quote; appends the decoded string to s.
  bool string(std::string& s) {
    ++p_;  // '"'
    while (true) {
      const char* run = p_;
      while ((p_ = skip_plain_json(p_, end_)) != end_) {
        auto c = static_cast<unsigned char>(*p_);
        if (c == '"' || c == '\\' || c < 0x20) break;
        if (c < 0x80) {
          ++p_;
          continue;
        }
        std::size_t n = utf8_sequence(p_);
        if (n == 0) return false;
        p_ += n;
      }
      s.append(run, p_);
      if (p_ == end_) return false;
      char c = *p_++;
      if (c == '"') return true;
      if (c != '\\') return false;  // a raw control character
      if (!escape(s)) return false;
    }
  }

  bool number(json& out) {
    const char* start = p_;
    if (p_ != end_ && *p_ == '-') ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    } else {
      return false;
    }
    bool integral = true;
    if (p_ != end_ && *p_ == '.') {
      integral = false;
      ++p_;
      const char* digits = p_;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == digits) return false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integral = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      const char* digits = p_;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == digits) return false;
    }
    if (integral) {
      if (*start == '-') {
        std::int64_t v = 0;
        auto r = std::from_chars(start, p_, v);
        if (r.ec == std::errc() && r.ptr == p_) {
          out = v;
          return true;
        }
      } else {
        std::uint64_t v = 0;
        auto r = std::from_chars(start, p_, v);
        if (r.ec == std::errc() && r.ptr == p_) {
          out = v;
          return true;
        }
      }
    }
    double d = 0;
    auto r = std::from_chars(start, p_, d);
    if (r.ptr != p_) return false;
    // Underflow reads as strtod's nearest value; overflow is refused, as
    // nlohmann refuses it.
    if (r.ec == std::errc::result_out_of_range) d = std::strtod(std::string(start, p_).c_str(), nullptr);
    if (!std::isfinite(d)) return false;
    out = d;
    return true;
  }

  const char* p_;
  const char* end_;
  ValueBudget budget_;
  std::string scratch_;  // skipped strings land here, then are dropped
};

}  // namespace

std::optional<nlohmann::json> read_json(std::string_view text) {
  auto decoded = decode_json(text, DecodeGuide::unguided());
  if (auto* value = std::get_if<nlohmann::json>(&decoded)) return std::move(*value);
  return std::nullopt;
}

std::variant<nlohmann::json, DecodeFailure> decode_json(std::string_view text, const DecodeGuide& guide) {
  nlohmann::json out;
  Reader reader(text);
  if (!reader.document(out, guide)) {
    return reader.over_budget() ? DecodeFailure::kTooManyValues : DecodeFailure::kMalformed;
  }
  return out;
}

}  // namespace shoal::api
