// Strict authentication through the Dispatcher: checked before the action in
// the request's protocol, the signing key's account used, the control
// endpoints and in-process (start-up config) requests let through, and the
// skew window measured on the dispatcher's clock.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/auth/sigv4.h"
#include "api/common/digest.h"
#include "api/dispatcher.h"
#include "storage/clock.h"

namespace shoal::api {
namespace {

using nlohmann::json;
constexpr std::int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z

struct StrictDispatcher {
  storage::ManualClock clock{storage::TimePoint(std::chrono::seconds(kStart))};
  Dispatcher dispatcher{[this] {
    DispatcherOptions o;
    o.clock = &clock;
    o.auth.strict = true;
    o.auth.keys = {{"AKIDTEST", "secret", ""}, {"AKIDACCT", "secret2", "123456789012"}};
    return o;
  }()};
};

ApiRequest sqs_request(const std::string& action, const json& body, const std::string& key = "AKIDTEST",
                       const std::string& secret = "secret", std::int64_t at = kStart) {
  ApiRequest r;
  r.method = "POST";
  r.path = "/";
  r.body = body.dump();
  const auto date = auth::format_amz_date(at);
  r.headers = {{"host", "localhost:4566"},
               {"content-type", "application/x-amz-json-1.0"},
               {"x-amz-target", "AmazonSQS." + action},
               {"x-amz-date", date}};
  const std::string scope = date.substr(0, 8) + "/us-east-1/sqs/aws4_request";
  const auto hash = sha256_hex(r.body);
  auth::CanonicalParts parts{r.method, r.path, r.query, {}, &r.headers, {"host", "x-amz-date", "x-amz-target"}, hash};
  const auto sig = auth::signature(auth::signing_key(secret, date.substr(0, 8), "us-east-1", "sqs"),
                                   auth::string_to_sign(date, scope, auth::canonical_request(parts)));
  r.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=" + key + "/" + scope +
                                              ", SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + sig);
  return r;
}

ApiResponse answer(Dispatcher& d, ApiRequest r) {
  auto outcome = d.handle(std::move(r));
  REQUIRE(outcome.response);
  return *outcome.response;
}

std::string header(const ApiResponse& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

}  // namespace

TEST_CASE("strict: a signed request runs as its key's account; a bad one gets AWS's error first") {
  StrictDispatcher s;
  auto made = answer(s.dispatcher, sqs_request("CreateQueue", {{"QueueName", "q"}}, "AKIDACCT", "secret2"));
  CHECK(made.status == 200);
  CHECK(json::parse(made.body)["QueueUrl"].get<std::string>().find("/123456789012/q") != std::string::npos);

  auto bad = answer(s.dispatcher, sqs_request("CreateQueue", {{"QueueName", "p"}}, "AKIDTEST", "wrong"));
  CHECK(bad.status == 403);
  CHECK(header(bad, "x-amzn-query-error") == "SignatureDoesNotMatch;Sender");
  // Nothing ran: the default account has no queue.
  auto list = answer(s.dispatcher, sqs_request("ListQueues", json::object()));
  CHECK(list.status == 200);
  CHECK_FALSE(json::parse(list.body).contains("QueueUrls"));
}

TEST_CASE("strict: the skew window follows the dispatcher's clock") {
  StrictDispatcher s;
  auto request = sqs_request("ListQueues", json::object());
  CHECK(answer(s.dispatcher, request).status == 200);
  s.clock.advance(std::chrono::minutes(16));
  auto late = answer(s.dispatcher, request);
  CHECK(late.status == 403);
  CHECK(json::parse(late.body)["message"].get<std::string>().starts_with("Signature expired: 20260101T000000Z"));
}

TEST_CASE("strict: control endpoints and in-process requests need no signature") {
  StrictDispatcher s;
  ApiRequest health;
  health.method = "GET";
  health.path = "/_shoal/health";
  CHECK(answer(s.dispatcher, health).status == 200);
  auto internal = sqs_request("CreateQueue", {{"QueueName", "boot"}}, "AKIDNOBODY", "x");
  CHECK(answer(s.dispatcher, internal).status == 403);
  internal.internal = true;
  CHECK(answer(s.dispatcher, internal).status == 200);
}

TEST_CASE("permissive (the default): signatures are not looked at") {
  Dispatcher d{DispatcherOptions{}};
  CHECK(answer(d, sqs_request("ListQueues", json::object(), "AKIDNOBODY", "wrong")).status == 200);
}
}  // namespace shoal::api
