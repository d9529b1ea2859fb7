// SigV4: the pure parts of AWS Signature Version 4 a verifier needs: the
// canonical request (non-S3 rules, as botocore's SigV4Auth and the AWS test
// suite: the path normalised and encoded a second time, the query decoded,
// re-encoded and sorted), the string to sign, the signing key and the
// signature; parsing the Authorization header, the credential scope and
// X-Amz-Date. HMAC/SHA-256 from api/common/digest.h. Pure functions,
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api_request.h"

namespace shoal::api::auth {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kScopeTerminator = "aws4_request";
inline constexpr std::string_view kAuthority = ":authority";  // what HTTP/2 signers sign for host

// RFC 3986 with AWS's unreserved set (A-Z a-z 0-9 - . _ ~) left as is and
// upper-case hex for the rest; '/' too when keep_slash.
std::string uri_encode(std::string_view bytes, bool keep_slash);
// %XX escapes decoded; a malformed escape and '+' stay as they are.
std::string percent_decode(std::string_view text);

// The path as it came on the wire (still percent-encoded): empty and '.'
// segments dropped, '..' applied, then encoded again ("%20" -> "%2520").
std::string canonical_uri(std::string_view raw_path);
// The raw query: each name and value decoded and encoded again, sorted by
// name then value; a parameter named `skip` (X-Amz-Signature) left out.
std::string canonical_query(std::string_view raw_query, std::string_view skip = {});
// "name:value\n" for each signed name (lower case, sorted), the values of a
// repeated header joined by ',', each trimmed with inner runs of spaces
// collapsed. A signed header the request lacks gets an empty value, but for
// ":authority", which takes the host header's (HTTP/2 requests carry it so).
std::string canonical_headers(const Headers& headers, const std::vector<std::string>& signed_names);

struct CanonicalParts {
  std::string_view method;
  std::string_view raw_path;
  std::string_view raw_query;
  std::string_view skip_query_param;  // X-Amz-Signature when presigned
  const Headers* headers = nullptr;
  std::vector<std::string> signed_names;  // lower case, sorted
  std::string_view payload_hash;          // hex, or UNSIGNED-PAYLOAD
};
std::string canonical_request(const CanonicalParts& parts);

std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request);
// HMAC chain "AWS4"+secret -> date -> region -> service -> aws4_request (raw bytes).
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);
std::string hex(std::string_view bytes);
std::string signature(std::string_view signing_key, std::string_view string_to_sign);  // hex
// Compares in time independent of where the strings differ.
bool same_signature(std::string_view a, std::string_view b);

// "AKID/20150830/us-east-1/service/aws4_request".
struct Credential {
  std::string access_key;
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string terminator;
  std::string scope() const;  // date/region/service/terminator
};
// nullopt unless exactly 5 slash-separated parts.
std::optional<Credential> parse_credential(std::string_view text);

// The Authorization header's parts after the algorithm. `malformed` names
// the first item that is not key=value (AWS reports it alone).
struct AuthorizationHeader {
  std::string algorithm;
  std::optional<std::string> credential;
  std::optional<std::string> signed_headers;
  std::optional<std::string> signature;
  std::optional<std::string> malformed;
};
AuthorizationHeader parse_authorization(std::string_view header);
// "host;x-amz-date" -> {"host", "x-amz-date"}, lower-cased and sorted.
std::vector<std::string> split_signed_headers(std::string_view list);

// ISO 8601 basic "20150830T123600Z" <-> seconds since the epoch (UTC).
std::optional<std::int64_t> parse_amz_date(std::string_view text);
std::string format_amz_date(std::int64_t epoch_seconds);
// An HTTP date "Sun, 30 Aug 2015 12:36:00 GMT" (the Date header's fallback).
std::optional<std::int64_t> parse_http_date(std::string_view text);

// Query parameters as sent, split on '&' and '=' (names and values decoded).
std::vector<std::pair<std::string, std::string>> query_params(std::string_view raw_query);

}  // namespace shoal::api::auth
