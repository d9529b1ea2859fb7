#include "api/auth/authenticator.h"

#include <optional>
#include <string_view>

#include "api/auth/sigv4.h"
#include "api/common/digest.h"

namespace shoal::api::auth {
namespace {

using Verdict = std::variant<const AccessKey*, AuthFailure>;

constexpr std::string_view kSignatureParam = "X-Amz-Signature";
constexpr std::int64_t kMaxPresignSeconds = 7 * 24 * 3600;  // AWS's limit: a week

AuthFailure fail(AuthFailureKind kind, std::string message) { return {kind, std::move(message)}; }

std::string_view signing_name(SignedService s) { return s == SignedService::kSqs ? "sqs" : "kinesis"; }
std::int64_t skew_minutes(SignedService s) { return s == SignedService::kSqs ? 15 : 5; }

// What a header-signed and a presigned request have in common once read.
struct SignedParts {
  std::string credential;
  std::string signed_headers;
  std::string signature;
  std::string amz_date;  // as signed: X-Amz-Date, or the Date header in basic format
  std::int64_t date = 0;
  std::optional<std::int64_t> expires;  // presigned only
  std::string declared_payload;         // x-amz-content-sha256 as sent, if any
  bool presigned = false;
};

std::string bad_date_message(std::string_view value) {
  return "Date must be in ISO-8601 'basic format'. Got '" + std::string(value) +
         "'. See http://en.wikipedia.org/wiki/ISO_8601";
}

std::variant<SignedParts, AuthFailure> read_header(const ApiRequest& request, std::string_view header) {
  auto parsed = parse_authorization(header);
  if (parsed.algorithm != kAlgorithm) {
    return fail(AuthFailureKind::kIncomplete, "Unsupported AWS 'algorithm': '" + parsed.algorithm + "'.");
  }
  if (parsed.malformed) {
    return fail(AuthFailureKind::kIncomplete, "'" + *parsed.malformed +
                                                  "' not a valid key=value pair (missing equal-sign) in "
                                                  "Authorization header: '" +
                                                  std::string(header) + "'.");
  }
  std::string problems;
  if (!parsed.credential) problems += "Authorization header requires 'Credential' parameter. ";
  if (!parsed.signature) problems += "Authorization header requires 'Signature' parameter. ";
  if (!parsed.signed_headers) problems += "Authorization header requires 'SignedHeaders' parameter. ";
  auto amz_date = request.header("x-amz-date");
  auto http_date = request.header("date");
  if (amz_date.empty() && http_date.empty()) {
    problems += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!problems.empty()) return fail(AuthFailureKind::kIncomplete, problems + "Authorization=" + std::string(header));

  SignedParts out;
  out.credential = std::move(*parsed.credential);
  out.signed_headers = std::move(*parsed.signed_headers);
  out.signature = std::move(*parsed.signature);
  if (!amz_date.empty()) {
    auto date = parse_amz_date(amz_date);
    if (!date) return fail(AuthFailureKind::kIncomplete, bad_date_message(amz_date));
    out.date = *date;
    out.amz_date = std::string(amz_date);
  } else {
    auto date = parse_http_date(http_date);
    if (!date) return fail(AuthFailureKind::kIncomplete, bad_date_message(http_date));
    out.date = *date;
    out.amz_date = format_amz_date(*date);
  }
  out.declared_payload = std::string(request.header("x-amz-content-sha256"));
  return out;
}

std::variant<SignedParts, AuthFailure> read_query(const ApiRequest& request) {
  std::optional<std::string> algorithm, credential, signature, signed_headers, date, expires, payload;
  // The first of a repeated parameter counts.
  for (auto& param : query_params(request.query)) {
    const std::string& name = param.first;
    std::optional<std::string>* field = name == "X-Amz-Algorithm"        ? &algorithm
                                        : name == "X-Amz-Credential"     ? &credential
                                        : name == "X-Amz-Signature"      ? &signature
                                        : name == "X-Amz-SignedHeaders"  ? &signed_headers
                                        : name == "X-Amz-Date"           ? &date
                                        : name == "X-Amz-Expires"        ? &expires
                                        : name == "X-Amz-Content-Sha256" ? &payload
                                                                         : nullptr;
    if (field != nullptr && !*field) *field = std::move(param.second);
  }
  std::string problems;
  auto require = [&](const std::optional<std::string>& field, std::string_view name) {
    if (!field || field->empty()) problems += "AWS query-string parameters must include '" + std::string(name) + "'. ";
  };
  require(algorithm, "X-Amz-Algorithm");
  require(credential, "X-Amz-Credential");
  require(signature, "X-Amz-Signature");
  require(signed_headers, "X-Amz-SignedHeaders");
  require(date, "X-Amz-Date");
  if (!problems.empty())
    return fail(AuthFailureKind::kIncomplete, problems + "Re-examine the query-string parameters.");
  if (*algorithm != kAlgorithm) {
    return fail(AuthFailureKind::kIncomplete, "Unsupported AWS 'algorithm': '" + *algorithm + "'.");
  }
  SignedParts out;
  out.presigned = true;
  auto epoch = parse_amz_date(*date);
  if (!epoch) return fail(AuthFailureKind::kIncomplete, bad_date_message(*date));
  out.date = *epoch;
  out.amz_date = std::move(*date);
  if (expires) {
    std::int64_t seconds = -1;
    bool digits =
        !expires->empty() && expires->size() <= 7 && expires->find_first_not_of("0123456789") == std::string::npos;
    if (digits) seconds = std::stoll(*expires);
    if (seconds < 1 || seconds > kMaxPresignSeconds) {
      return fail(AuthFailureKind::kIncomplete,
                  "X-Amz-Expires must be a number of seconds from 1 to 604800 (a week), not '" + *expires + "'.");
    }
    out.expires = seconds;
  }
  out.credential = std::move(*credential);
  out.signed_headers = std::move(*signed_headers);
  out.signature = std::move(*signature);
  out.declared_payload = std::string(request.header("x-amz-content-sha256"));
  if (out.declared_payload.empty() && payload) out.declared_payload = std::move(*payload);
  return out;
}

std::optional<AuthFailure> check_time(const SignedParts& parts, SignedService service, std::int64_t now) {
  const std::int64_t minutes = skew_minutes(service);
  const std::int64_t window = minutes * 60;
  if (parts.date - now > window) {
    return fail(AuthFailureKind::kSkewed, "Signature not yet current: " + parts.amz_date + " is still later than " +
                                              format_amz_date(now + window) + " (" + format_amz_date(now) + " + " +
                                              std::to_string(minutes) + " min.)");
  }
  if (parts.expires) {
    if (now > parts.date + *parts.expires) return fail(AuthFailureKind::kPresignExpired, "Request has expired.");
    return std::nullopt;
  }
  if (now - parts.date > window) {
    return fail(AuthFailureKind::kSkewed, "Signature expired: " + parts.amz_date + " is now earlier than " +
                                              format_amz_date(now - window) + " (" + format_amz_date(now) + " - " +
                                              std::to_string(minutes) + " min.)");
  }
  return std::nullopt;
}

std::string mismatch_message(const std::string& canonical, const std::string& to_sign) {
  return "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
         "Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String "
         "for this request should have been\n'" +
         canonical + "'\n\nThe String-to-Sign should have been\n'" + to_sign + "'\n";
}

std::string lower_hex(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c + 32);
  }
  return out;
}

}  // namespace

Authenticator::Authenticator(AuthConfig config) : strict_(config.strict) {
  for (auto& key : config.keys) {
    auto id = key.id;
    keys_.emplace(std::move(id), std::move(key));
  }
}

Verdict Authenticator::verify(const ApiRequest& request, SignedService service, std::int64_t now) const {
  const auto header = request.header("authorization");
  bool presigned = false;
  for (const auto& [name, value] : query_params(request.query)) {
    if (name == "X-Amz-Algorithm") presigned = true;
  }
  if (!header.empty() && presigned) {
    return fail(AuthFailureKind::kMismatch,
                "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (header.empty() && !presigned) return fail(AuthFailureKind::kMissing, "");

  auto read = presigned ? read_query(request) : read_header(request, header);
  if (auto* failure = std::get_if<AuthFailure>(&read)) return std::move(*failure);
  auto& parts = std::get<SignedParts>(read);

  auto credential = parse_credential(parts.credential);
  if (!credential) {
    return fail(AuthFailureKind::kIncomplete,
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
                "got '" +
                    parts.credential + "'");
  }
  auto found = keys_.find(credential->access_key);
  if (found == keys_.end()) return fail(AuthFailureKind::kUnknownKey, "");
  const AccessKey& key = found->second;

  if (credential->terminator != kScopeTerminator) {
    return fail(
        AuthFailureKind::kMismatch,
        "Credential should be scoped with a valid terminator: 'aws4_request', not '" + credential->terminator + "'.");
  }
  if (credential->service != signing_name(service)) {
    return fail(AuthFailureKind::kMismatch,
                "Credential should be scoped to correct service: '" + std::string(signing_name(service)) + "'. ");
  }
  if (credential->region.empty()) {
    return fail(AuthFailureKind::kMismatch, "Credential should be scoped to a valid region, not ''. ");
  }
  const auto day = parts.amz_date.substr(0, 8);
  if (credential->date != day) {
    return fail(AuthFailureKind::kMismatch,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                    credential->date + "' != '" + day + "', from '" + parts.amz_date + "'.");
  }
  auto signed_names = split_signed_headers(parts.signed_headers);
  bool host_signed = false;
  for (const auto& name : signed_names) host_signed |= name == "host" || name == kAuthority;
  if (!host_signed) {
    return fail(AuthFailureKind::kMismatch,
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (auto late = check_time(parts, service, now)) return std::move(*late);

  const std::string body_hash = sha256_hex(request.body);
  if (!parts.declared_payload.empty() && parts.declared_payload != kUnsignedPayload &&
      lower_hex(parts.declared_payload) != body_hash) {
    return fail(AuthFailureKind::kMismatch,
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const std::string signing = signing_key(key.secret, credential->date, credential->region, credential->service);
  const std::string provided = lower_hex(parts.signature);
  CanonicalParts canonical{
      request.method,
      request.path,
      request.query,
      parts.presigned ? kSignatureParam : std::string_view{},
      &request.headers,
      std::move(signed_names),
      parts.declared_payload.empty() ? std::string_view(body_hash) : std::string_view(parts.declared_payload)};
  const std::string creq = canonical_request(canonical);
  const std::string sts = string_to_sign(parts.amz_date, credential->scope(), creq);
  if (same_signature(signature(signing, sts), provided)) return &key;
  // A presigned URL may have been made by a presigner that writes
  // UNSIGNED-PAYLOAD (as S3's do) without saying so in the query.
  if (parts.presigned && parts.declared_payload.empty()) {
    canonical.payload_hash = kUnsignedPayload;
    const std::string unsigned_sts = string_to_sign(parts.amz_date, credential->scope(), canonical_request(canonical));
    if (same_signature(signature(signing, unsigned_sts), provided)) return &key;
  }
  return fail(AuthFailureKind::kMismatch, mismatch_message(creq, sts));
}

}  // namespace shoal::api::auth
