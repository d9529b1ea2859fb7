#include "api/auth/authenticator.h"

#include <doctest/doctest.h>

#include "api/auth/auth_errors.h"
#include "api/auth/sigv4.h"
#include "api/common/digest.h"

using namespace shoal::api;
using namespace shoal::api::auth;

namespace {

constexpr std::int64_t kNow = 1440938160;  // 20150830T123600Z
constexpr const char* kBody = R"({"QueueName":"q"})";

Authenticator strict_auth() {
  return Authenticator(AuthConfig{true, {{"AKIDEXAMPLE", "secret1", ""}, {"AKIDOTHER", "secret2", "123456789012"}}});
}

// Signs like an SDK: host, x-amz-date and x-amz-target in the signature.
ApiRequest signed_request(std::string_view service = "sqs", std::string_view key = "AKIDEXAMPLE",
                          std::string_view secret = "secret1", std::int64_t at = kNow) {
  ApiRequest r;
  r.method = "POST";
  r.path = "/";
  r.body = kBody;
  const auto date = format_amz_date(at);
  r.headers = {{"host", "localhost:4566"},
               {"content-type", "application/x-amz-json-1.0"},
               {"x-amz-date", date},
               {"x-amz-target", "AmazonSQS.CreateQueue"}};
  const std::string scope = date.substr(0, 8) + "/us-east-1/" + std::string(service) + "/aws4_request";
  const auto body_hash = sha256_hex(r.body);
  CanonicalParts parts{r.method, r.path, r.query, {}, &r.headers, {"host", "x-amz-date", "x-amz-target"}, body_hash};
  auto sig = signature(signing_key(secret, date.substr(0, 8), "us-east-1", service),
                       string_to_sign(date, scope, canonical_request(parts)));
  r.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=" + std::string(key) + "/" + scope +
                                              ", SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + sig);
  return r;
}

// A presigned query-protocol GET, as botocore's SigV4QueryAuth makes it.
ApiRequest presigned_request(std::int64_t expires, std::int64_t at = kNow) {
  ApiRequest r;
  r.method = "GET";
  r.path = "/";
  r.headers = {{"host", "localhost:4566"}};
  const auto date = format_amz_date(at);
  const std::string scope = date.substr(0, 8) + "/us-east-1/sqs/aws4_request";
  r.query = "Action=ListQueues&Version=2012-11-05&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F" +
            date.substr(0, 8) + "%2Fus-east-1%2Fsqs%2Faws4_request&X-Amz-Date=" + date +
            "&X-Amz-Expires=" + std::to_string(expires) + "&X-Amz-SignedHeaders=host";
  const auto empty_hash = sha256_hex("");
  CanonicalParts parts{r.method, r.path, r.query, {}, &r.headers, {"host"}, empty_hash};
  r.query += "&X-Amz-Signature=" + signature(signing_key("secret1", date.substr(0, 8), "us-east-1", "sqs"),
                                             string_to_sign(date, scope, canonical_request(parts)));
  return r;
}

AuthFailure failure_of(const ApiRequest& r, SignedService service = SignedService::kSqs, std::int64_t now = kNow) {
  auto verdict = strict_auth().verify(r, service, now);
  REQUIRE(std::holds_alternative<AuthFailure>(verdict));
  return std::get<AuthFailure>(verdict);
}

void set_header(ApiRequest& r, std::string_view name, std::string value) {
  for (auto& [n, v] : r.headers) {
    if (n == name) v = std::move(value);
  }
}

}  // namespace

TEST_CASE("a correctly signed request names its key") {
  auto auth = strict_auth();
  auto verdict = auth.verify(signed_request(), SignedService::kSqs, kNow);
  REQUIRE(std::holds_alternative<const AccessKey*>(verdict));
  CHECK(std::get<const AccessKey*>(verdict)->id == "AKIDEXAMPLE");
  auto other = auth.verify(signed_request("kinesis", "AKIDOTHER", "secret2"), SignedService::kKinesis, kNow);
  REQUIRE(std::holds_alternative<const AccessKey*>(other));
  CHECK(std::get<const AccessKey*>(other)->account == "123456789012");
}

TEST_CASE("a changed body, a changed signed header or a wrong secret do not match") {
  auto body = signed_request();
  body.body = R"({"QueueName":"other"})";
  CHECK(failure_of(body).kind == AuthFailureKind::kMismatch);
  auto header = signed_request();
  set_header(header, "x-amz-target", "AmazonSQS.DeleteQueue");
  auto f = failure_of(header);
  CHECK(f.kind == AuthFailureKind::kMismatch);
  CHECK(f.message.find("The Canonical String for this request should have been\n'POST\n/\n\n") != std::string::npos);
  CHECK(f.message.find("x-amz-target:AmazonSQS.DeleteQueue") != std::string::npos);
  CHECK(failure_of(signed_request("sqs", "AKIDEXAMPLE", "wrong")).kind == AuthFailureKind::kMismatch);
  // An unsigned header may change: proxies add them.
  auto extra = signed_request();
  extra.headers.emplace_back("user-agent", "anything");
  CHECK(std::holds_alternative<const AccessKey*>(strict_auth().verify(extra, SignedService::kSqs, kNow)));
}

TEST_CASE("unknown key, missing and incomplete authorization") {
  CHECK(failure_of(signed_request("sqs", "AKIDNOBODY")).kind == AuthFailureKind::kUnknownKey);
  ApiRequest bare;
  bare.method = "POST";
  bare.headers = {{"host", "h"}};
  CHECK(failure_of(bare).kind == AuthFailureKind::kMissing);
  auto partial = bare;
  partial.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
  auto f = failure_of(partial);
  CHECK(f.kind == AuthFailureKind::kIncomplete);
  CHECK(f.message ==
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
        "parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
  auto short_scope = signed_request();
  set_header(short_scope, "authorization",
             "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/sqs, SignedHeaders=host, Signature=00");
  CHECK(failure_of(short_scope).kind == AuthFailureKind::kIncomplete);
}

TEST_CASE("the scope must name the service and the request's day") {
  auto f = failure_of(signed_request("kinesis"), SignedService::kSqs);
  CHECK(f.kind == AuthFailureKind::kMismatch);
  CHECK(f.message == "Credential should be scoped to correct service: 'sqs'. ");
  auto r = signed_request();
  set_header(r, "x-amz-date", "20150831T000000Z");
  CHECK(failure_of(r, SignedService::kSqs, kNow + 40000).message.starts_with("Date in Credential scope does not"));
}

TEST_CASE("the clock-skew window: 15 minutes for SQS, 5 for Kinesis") {
  auto old = signed_request("sqs", "AKIDEXAMPLE", "secret1", kNow - 16 * 60);
  auto f = failure_of(old);
  CHECK(f.kind == AuthFailureKind::kSkewed);
  CHECK(f.message ==
        "Signature expired: 20150830T122000Z is now earlier than 20150830T122100Z (20150830T123600Z - 15 "
        "min.)");
  CHECK(std::holds_alternative<const AccessKey*>(strict_auth().verify(
      signed_request("sqs", "AKIDEXAMPLE", "secret1", kNow - 14 * 60), SignedService::kSqs, kNow)));
  auto kinesis = signed_request("kinesis", "AKIDEXAMPLE", "secret1", kNow - 6 * 60);
  CHECK(failure_of(kinesis, SignedService::kKinesis).message.ends_with("(20150830T123600Z - 5 min.)"));
  auto future = signed_request("kinesis", "AKIDEXAMPLE", "secret1", kNow + 6 * 60);
  CHECK(failure_of(future, SignedService::kKinesis).message ==
        "Signature not yet current: 20150830T124200Z is still later than 20150830T124100Z (20150830T123600Z + 5 "
        "min.)");
}

TEST_CASE("presigned URLs: valid until X-Amz-Date + X-Amz-Expires, tamper-proof") {
  auto auth = strict_auth();
  auto url = presigned_request(60);
  CHECK(std::holds_alternative<const AccessKey*>(auth.verify(url, SignedService::kSqs, kNow + 60)));
  auto late = failure_of(url, SignedService::kSqs, kNow + 61);
  CHECK(late.kind == AuthFailureKind::kPresignExpired);
  auto changed = url;
  changed.query.replace(changed.query.find("ListQueues"), 10, "PurgeQueue");
  CHECK(failure_of(changed).kind == AuthFailureKind::kMismatch);
  auto both = url;
  both.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=x");
  CHECK(failure_of(both).message ==
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  auto missing = url;
  missing.query = "Action=ListQueues&X-Amz-Algorithm=AWS4-HMAC-SHA256";
  CHECK(failure_of(missing).message ==
        "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include "
        "'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string "
        "parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.");
}

TEST_CASE("each service's error codes and statuses") {
  auto sqs = auth_error({AuthFailureKind::kUnknownKey, ""}, SignedService::kSqs);
  CHECK(sqs.code == "InvalidClientTokenId");
  CHECK(sqs.http_status == 403);
  CHECK(sqs.message == "The security token included in the request is invalid.");
  CHECK(auth_error({AuthFailureKind::kMismatch, "m"}, SignedService::kSqs).code == "SignatureDoesNotMatch");
  CHECK(auth_error({AuthFailureKind::kMissing, ""}, SignedService::kSqs).code == "MissingAuthenticationToken");
  CHECK(auth_error({AuthFailureKind::kIncomplete, ""}, SignedService::kSqs).http_status == 400);
  auto kinesis = auth_error({AuthFailureKind::kUnknownKey, ""}, SignedService::kKinesis);
  CHECK(kinesis.code == "UnrecognizedClientException");
  CHECK(kinesis.http_status == 400);
  CHECK(auth_error({AuthFailureKind::kSkewed, "m"}, SignedService::kKinesis).code == "InvalidSignatureException");
  CHECK(auth_error({AuthFailureKind::kMissing, ""}, SignedService::kKinesis).message == "Missing Authentication Token");
}

TEST_CASE("HTTP/2 signers sign :authority, which reaches us as host") {
  // What the JS SDK v3 sends over h2: SignedHeaders=:authority;...
  ApiRequest r;
  r.method = "POST";
  r.path = "/";
  r.body = kBody;
  const auto date = format_amz_date(kNow);
  r.headers = {{"host", "127.0.0.1:4566"}, {"x-amz-date", date}};
  const std::string scope = date.substr(0, 8) + "/us-east-1/sqs/aws4_request";
  const auto body_hash = sha256_hex(r.body);
  Headers as_signed = {{":authority", "127.0.0.1:4566"}, {"x-amz-date", date}};
  CanonicalParts parts{r.method, r.path, r.query, {}, &as_signed, {":authority", "x-amz-date"}, body_hash};
  auto sig = signature(signing_key("secret1", date.substr(0, 8), "us-east-1", "sqs"),
                       string_to_sign(date, scope, canonical_request(parts)));
  r.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope +
                                              ", SignedHeaders=:authority;x-amz-date, Signature=" + sig);
  CHECK(std::holds_alternative<const AccessKey*>(strict_auth().verify(r, SignedService::kSqs, kNow)));
  set_header(r, "host", "elsewhere:1");
  CHECK(failure_of(r).kind == AuthFailureKind::kMismatch);
}
