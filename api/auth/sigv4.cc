#include "api/auth/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>

#include "api/common/digest.h"

namespace shoal::api::auth {
namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Trimall: leading and trailing blanks removed, inner runs made one space.
void append_trimall(std::string& out, std::string_view value) {
  value = trim_spaces(value);
  bool in_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::optional<std::int64_t> epoch_of(int year, int month, int day, int hour, int minute, int second) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace

std::string uri_encode(std::string_view bytes, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string canonical_uri(std::string_view raw_path) {
  if (raw_path.empty()) return "/";
  std::vector<std::string_view> segments;
  std::string_view rest = raw_path;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string path = raw_path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) path.push_back('/');
    path.append(segments[i]);
  }
  if (raw_path.back() == '/' && !segments.empty()) path.push_back('/');
  return uri_encode(path, true);
}

std::vector<std::pair<std::string, std::string>> query_params(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!raw_query.empty()) {
    auto amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view{} : raw_query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    out.emplace_back(percent_decode(name), percent_decode(value));
  }
  return out;
}

std::string canonical_query(std::string_view raw_query, std::string_view skip) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (auto& [name, value] : query_params(raw_query)) {
    if (!skip.empty() && name == skip) continue;
    encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out.append(name).push_back('=');
    out.append(value);
  }
  return out;
}

std::string canonical_headers(const Headers& headers, const std::vector<std::string>& signed_names) {
  std::string out;
  for (const auto& wanted : signed_names) {
    out.append(wanted).push_back(':');
    bool first = true;
    auto append_values = [&](std::string_view looked_for) {
      for (const auto& [name, value] : headers) {
        if (name.size() != looked_for.size() || lower(name) != looked_for) continue;
        if (!first) out.push_back(',');
        first = false;
        append_trimall(out, value);
      }
    };
    append_values(wanted);
    // HTTP/2 clients (the JS SDK v3) sign the :authority pseudo-header by
    // that name; the server hands it over as host.
    if (first && wanted == kAuthority) append_values("host");
    out.push_back('\n');
  }
  return out;
}

std::string canonical_request(const CanonicalParts& parts) {
  std::string out(parts.method);
  out.push_back('\n');
  out.append(canonical_uri(parts.raw_path)).push_back('\n');
  out.append(canonical_query(parts.raw_query, parts.skip_query_param)).push_back('\n');
  static const Headers kNone;
  out.append(canonical_headers(parts.headers != nullptr ? *parts.headers : kNone, parts.signed_names));
  out.push_back('\n');
  for (std::size_t i = 0; i < parts.signed_names.size(); ++i) {
    if (i > 0) out.push_back(';');
    out.append(parts.signed_names[i]);
  }
  out.push_back('\n');
  out.append(parts.payload_hash);
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kHex[c >> 4];
    out[2 * i + 1] = kHex[c & 0xf];
  }
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.push_back('\n');
  out.append(amz_date).push_back('\n');
  out.append(scope).push_back('\n');
  out.append(sha256_hex(canonical_request));
  return out;
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service) {
  std::string key = "AWS4" + std::string(secret);
  key = hmac_sha256(key, date);
  key = hmac_sha256(key, region);
  key = hmac_sha256(key, service);
  return hmac_sha256(key, kScopeTerminator);
}

std::string signature(std::string_view signing_key, std::string_view string_to_sign) {
  return hex(hmac_sha256(signing_key, string_to_sign));
}

bool same_signature(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Credential::scope() const { return date + "/" + region + "/" + service + "/" + terminator; }

std::optional<Credential> parse_credential(std::string_view text) {
  std::vector<std::string_view> parts;
  while (true) {
    auto slash = text.find('/');
    parts.push_back(text.substr(0, slash));
    if (slash == std::string_view::npos) break;
    text.remove_prefix(slash + 1);
  }
  if (parts.size() != 5) return std::nullopt;
  return Credential{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]), std::string(parts[3]),
                    std::string(parts[4])};
}

AuthorizationHeader parse_authorization(std::string_view header) {
  AuthorizationHeader out;
  header = trim_spaces(header);
  auto space = header.find(' ');
  out.algorithm = header.substr(0, space);
  std::string_view rest = space == std::string_view::npos ? std::string_view{} : header.substr(space + 1);
  while (!rest.empty()) {
    auto end = rest.find_first_of(", ");
    std::string_view item = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      if (!out.malformed) out.malformed = std::string(item);
      continue;
    }
    std::string_view key = item.substr(0, eq);
    std::string value(item.substr(eq + 1));
    if (key == "Credential") {
      out.credential = std::move(value);
    } else if (key == "SignedHeaders") {
      out.signed_headers = std::move(value);
    } else if (key == "Signature") {
      out.signature = std::move(value);
    }
  }
  return out;
}

std::vector<std::string> split_signed_headers(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    auto semi = list.find(';');
    auto name = trim_spaces(list.substr(0, semi));
    if (!name.empty()) out.push_back(lower(name));
    list = semi == std::string_view::npos ? std::string_view{} : list.substr(semi + 1);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<std::int64_t> parse_amz_date(std::string_view text) {
  // YYYYMMDD'T'HHMMSS'Z'
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  if (!all_digits(text.substr(0, 8)) || !all_digits(text.substr(9, 6))) return std::nullopt;
  return epoch_of(to_int(text.substr(0, 4)), to_int(text.substr(4, 2)), to_int(text.substr(6, 2)),
                  to_int(text.substr(9, 2)), to_int(text.substr(11, 2)), to_int(text.substr(13, 2)));
}

std::string format_amz_date(std::int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  // "Sun, 30 Aug 2015 12:36:00 GMT"
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT") return std::nullopt;
  auto day = text.substr(5, 2);
  auto month = text.substr(8, 3);
  auto year = text.substr(12, 4);
  auto time = text.substr(17, 8);
  if (!all_digits(day) || !all_digits(year) || time[2] != ':' || time[5] != ':') return std::nullopt;
  if (!all_digits(time.substr(0, 2)) || !all_digits(time.substr(3, 2)) || !all_digits(time.substr(6, 2))) {
    return std::nullopt;
  }
  auto m = std::find(kMonths.begin(), kMonths.end(), month);
  if (m == kMonths.end()) return std::nullopt;
  return epoch_of(to_int(year), static_cast<int>(m - kMonths.begin()) + 1, to_int(day), to_int(time.substr(0, 2)),
                  to_int(time.substr(3, 2)), to_int(time.substr(6, 2)));
}

}  // namespace shoal::api::auth
