// The control endpoints through the Dispatcher, as a client sees them:
// health, clock control (with the re-check of parked long polls), reset,
// peek (Shoal's and LocalStack's shape), fault injection rendered by each
// protocol's codec, metrics, and paths that must not be taken for control.
#include <doctest/doctest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "api/dispatcher.h"
#include "tests/api/api_requests.h"

namespace shoal::api {
namespace {

using nlohmann::json;

// The shared request builders under this file's short names.
constexpr auto sqs = test::sqs_request;
constexpr auto kinesis = test::kinesis_request;

ApiRequest control(const std::string& method, const std::string& path, const std::string& query = "",
                   const std::string& body = "") {
  ApiRequest r;
  r.method = method;
  r.path = path;
  r.query = query;
  r.body = body;
  if (!body.empty()) r.headers = {{"content-type", "application/json"}};
  return r;
}

ApiResponse now(Dispatcher& d, ApiRequest r) {
  auto out = d.handle(std::move(r));
  REQUIRE(out.response);
  return *out.response;
}

json body_of(const ApiResponse& r) { return json::parse(r.body); }

std::string header(const ApiResponse& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

std::string make_queue(Dispatcher& d, const std::string& name) {
  auto r = now(d, sqs("CreateQueue", {{"QueueName", name}}));
  REQUIRE(r.status == 200);
  return body_of(r)["QueueUrl"];
}

json receive(Dispatcher& d, const std::string& url, int visibility) {
  auto r = now(
      d, sqs("ReceiveMessage", {{"QueueUrl", url}, {"VisibilityTimeout", visibility}, {"AttributeNames", {"All"}}}));
  REQUIRE(r.status == 200);
  return body_of(r);
}

}  // namespace

TEST_CASE("health answers with version, storage mode and services") {
  DispatcherOptions o;
  o.version = "9.9.9";
  Dispatcher d(o);
  auto r = now(d, control("GET", "/_shoal/health"));
  CHECK(r.status == 200);
  CHECK(r.content_type == "application/json");
  auto b = body_of(r);
  CHECK(b["status"] == "running");
  CHECK(b["version"] == "9.9.9");
  CHECK(b["storage"] == "memory");
  CHECK(b["services"]["sqs"] == "running");
  CHECK(b["services"]["kinesis"] == "running");
  CHECK_FALSE(header(r, "x-amzn-RequestId").empty());
}

TEST_CASE(
    "advancing the clock past a 12-hour visibility timeout makes the "
    "message receivable again") {
  Dispatcher d({});
  const auto url = make_queue(d, "jobs");
  REQUIRE(now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "hello"}})).status == 200);
  REQUIRE(receive(d, url, 43200).contains("Messages"));
  CHECK_FALSE(receive(d, url, 43200).contains("Messages"));

  auto r = now(d, control("POST", "/_shoal/clock/advance", "seconds=43199"));
  REQUIRE(r.status == 200);
  CHECK_FALSE(receive(d, url, 30).contains("Messages"));
  now(d, control("POST", "/_shoal/clock/advance", "seconds=2"));
  auto again = receive(d, url, 30);
  REQUIRE(again.contains("Messages"));
  CHECK(again["Messages"][0]["Body"] == "hello");
  CHECK(again["Messages"][0]["Attributes"]["ApproximateReceiveCount"] == "2");
}

TEST_CASE("the clock reads, freezes, resumes and refuses to go back") {
  Dispatcher d({});
  auto before = body_of(now(d, control("GET", "/_shoal/clock")));
  auto frozen = body_of(now(d, control("POST", "/_shoal/clock/freeze")));
  CHECK(frozen["frozen"] == true);
  CHECK(frozen["now_ms"].get<std::int64_t>() >= before["now_ms"].get<std::int64_t>());
  auto advanced = body_of(now(d, control("POST", "/_shoal/clock/advance", "", R"({"milliseconds": 1500})")));
  CHECK(advanced["now_ms"].get<std::int64_t>() == frozen["now_ms"].get<std::int64_t>() + 1500);
  CHECK(now(d, control("POST", "/_shoal/clock/advance", "seconds=-5")).status == 400);
  CHECK(now(d, control("POST", "/_shoal/clock/advance")).status == 400);
  CHECK(now(d, control("POST", "/_shoal/clock/rewind")).status == 404);
  auto resumed = body_of(now(d, control("POST", "/_shoal/clock/resume")));
  CHECK(resumed["frozen"] == false);
  CHECK(resumed["now_ms"].get<std::int64_t>() >= advanced["now_ms"].get<std::int64_t>());
}

TEST_CASE("the clock refuses NaN, infinities, negatives and huge advances") {
  Dispatcher d({});
  auto before = body_of(now(d, control("POST", "/_shoal/clock/freeze")));
  for (const char* query : {"seconds=NaN", "seconds=nan", "seconds=-nan", "milliseconds=NaN", "seconds=inf",
                            "seconds=-inf", "seconds=infinity", "milliseconds=-1", "seconds=-0.5",
                            "seconds=1e300", "milliseconds=1e300", "seconds=31536001"}) {
    CAPTURE(query);
    auto r = now(d, control("POST", "/_shoal/clock/advance", query));
    CHECK(r.status == 400);
    CHECK(body_of(r)["error"]["code"] == "InvalidParameter");
  }
  CHECK(now(d, control("POST", "/_shoal/clock/advance", "", R"({"seconds": "NaN"})")).status == 400);
  // Nothing moved.
  CHECK(body_of(now(d, control("GET", "/_shoal/clock")))["now_ms"] == before["now_ms"]);
  CHECK(now(d, control("POST", "/_shoal/clock/advance", "seconds=31536000")).status == 200);
}

TEST_CASE("control bodies past 1 MiB are refused before they are decoded") {
  Dispatcher d({});
  std::string big = R"({"error":"X","junk":[)";
  while (big.size() < (std::size_t{1} << 20)) big += "0,";
  big += "0]}";
  auto r = now(d, control("POST", "/_shoal/faults", "", big));
  CHECK(r.status == 413);
  CHECK(body_of(r)["error"]["code"] == "RequestEntityTooLarge");
}

TEST_CASE("an injected clock is not ours to move") {
  storage::ManualClock manual;
  DispatcherOptions o;
  o.clock = &manual;
  Dispatcher d(o);
  CHECK(now(d, control("POST", "/_shoal/clock/advance", "seconds=5")).status == 409);
  CHECK(body_of(now(d, control("GET", "/_shoal/clock")))["now_ms"] == storage::to_epoch_ms(manual.now()));
}

TEST_CASE("a parked long poll re-checks at once when the clock advances") {
  Dispatcher d({});
  const auto url = make_queue(d, "waiting");
  now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "later"}}));
  REQUIRE(receive(d, url, 600).contains("Messages"));

  auto out = d.handle(sqs("ReceiveMessage", {{"QueueUrl", url}, {"WaitTimeSeconds", 20}}));
  REQUIRE(out.pending);
  std::atomic<int> woken{0};
  out.pending->set_waker([&] { ++woken; });
  CHECK_FALSE(out.pending->poll(false));
  // The next check is bounded by the real 20 s wait, not the 600 s visibility.
  CHECK(out.pending->time_to_next_check() <= std::chrono::milliseconds(20'000));
  CHECK(body_of(now(d, control("GET", "/_shoal/health")))["parked_long_polls"] == 1);

  auto clock = body_of(now(d, control("POST", "/_shoal/clock/advance", "seconds=601")));
  CHECK(clock["long_polls_woken"] == 1);
  CHECK(woken.load() >= 1);
  auto response = out.pending->poll(false);
  REQUIRE(response);
  auto b = body_of(*response);
  REQUIRE(b.contains("Messages"));
  CHECK(b["Messages"][0]["Body"] == "later");
  out.pending->cancel();
}

TEST_CASE("advancing the clock past WaitTimeSeconds ends an empty long poll") {
  Dispatcher d({});
  const auto url = make_queue(d, "idle");
  auto out = d.handle(sqs("ReceiveMessage", {{"QueueUrl", url}, {"WaitTimeSeconds", 20}}));
  REQUIRE(out.pending);
  out.pending->set_waker([] {});
  CHECK_FALSE(out.pending->poll(false));
  now(d, control("POST", "/_shoal/clock/advance", "seconds=21"));
  auto response = out.pending->poll(false);
  REQUIRE(response);
  CHECK_FALSE(body_of(*response).contains("Messages"));
  out.pending->cancel();
}

TEST_CASE("reset drops queues and streams, and only one account's when asked") {
  Dispatcher d({});
  const auto url = make_queue(d, "a");
  REQUIRE(now(d, kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}})).status == 200);
  auto parked = d.handle(sqs("ReceiveMessage", {{"QueueUrl", url}, {"WaitTimeSeconds", 20}}));
  REQUIRE(parked.pending);
  std::atomic<int> woken{0};
  parked.pending->set_waker([&] { ++woken; });

  CHECK(now(d, control("POST", "/_shoal/reset", "account=123456789012")).status == 200);
  CHECK(now(d, sqs("GetQueueUrl", {{"QueueName", "a"}})).status == 200);

  auto r = body_of(now(d, control("POST", "/_shoal/reset")));
  CHECK(r["sqs"]["queues_removed"] == 1);
  CHECK(r["kinesis"]["streams_removed"] == 1);
  CHECK(woken.load() >= 1);  // the parked poll on the dropped queue ends
  REQUIRE(parked.pending->poll(false));
  parked.pending->cancel();
  auto gone = now(d, sqs("GetQueueUrl", {{"QueueName", "a"}}));
  CHECK(gone.status == 400);
  CHECK(body_of(gone)["__type"] == "com.amazonaws.sqs#QueueDoesNotExist");
  CHECK(now(d, kinesis("DescribeStreamSummary", {{"StreamName", "s"}})).status == 400);
  CHECK(now(d, control("POST", "/_shoal/reset", "service=s3")).status == 400);
}

TEST_CASE("reset of one service keeps the other") {
  Dispatcher d({});
  make_queue(d, "keep");
  REQUIRE(now(d, kinesis("CreateStream", {{"StreamName", "drop"}, {"ShardCount", 1}})).status == 200);
  now(d, control("POST", "/_shoal/reset", "", R"({"service": "kinesis"})"));
  CHECK(now(d, sqs("GetQueueUrl", {{"QueueName", "keep"}})).status == 200);
  CHECK(now(d, kinesis("DescribeStreamSummary", {{"StreamName", "drop"}})).status == 400);
}

TEST_CASE("peek lists messages with their state and changes nothing") {
  Dispatcher d({});
  const auto url = make_queue(d, "peeked");
  now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "one"}}));
  now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "two"}}));
  now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "three"}, {"DelaySeconds", 60}}));
  REQUIRE(receive(d, url, 30)["Messages"][0]["Body"] == "one");

  auto p = body_of(now(d, control("GET", "/_shoal/sqs/messages", "QueueUrl=" + url)));
  REQUIRE(p["Messages"].size() == 3);
  CHECK(p["Messages"][0]["Body"] == "one");
  CHECK(p["Messages"][0]["State"] == "in_flight");
  CHECK(p["Messages"][0]["ReceiveCount"] == 1);
  CHECK(p["Messages"][1]["State"] == "visible");
  CHECK(p["Messages"][2]["State"] == "delayed");
  CHECK(p["Counts"]["Visible"] == 1);
  CHECK(p["Counts"]["InFlight"] == 1);
  CHECK(p["Counts"]["Delayed"] == 1);

  // Peeking again and receiving: "two" was never received by the peeks.
  now(d, control("GET", "/_shoal/sqs/messages", "queue=peeked"));
  auto next = receive(d, url, 30);
  CHECK(next["Messages"][0]["Body"] == "two");
  CHECK(next["Messages"][0]["Attributes"]["ApproximateReceiveCount"] == "1");
  CHECK(now(d, control("GET", "/_shoal/sqs/messages", "queue=nope")).status == 400);
}

TEST_CASE("LocalStack's /_aws/sqs/messages answers its JSON and XML shapes") {
  Dispatcher d({});
  const auto url = make_queue(d, "ls");
  now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m1"}}));
  now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m2"}}));
  receive(d, url, 30);

  auto req = control("GET", "/_aws/sqs/messages", "QueueUrl=" + url);
  req.headers.emplace_back("accept", "application/json");
  auto j = body_of(now(d, req));
  auto messages = j["ReceiveMessageResponse"]["ReceiveMessageResult"]["Message"];
  // Visible only by default; one message is an object, as xmltodict reads it.
  REQUIRE(messages.is_object());
  CHECK(messages["Body"] == "m2");
  bool saw_count = false;
  for (const auto& a : messages["Attribute"]) {
    if (a["Name"] == "ApproximateReceiveCount") saw_count = a["Value"] == "0";
  }
  CHECK(saw_count);

  auto all = control("GET", "/_aws/sqs/messages", "QueueUrl=" + url + "&ShowInvisible=true");
  all.headers.emplace_back("accept", "application/json");
  CHECK(body_of(now(d, all))["ReceiveMessageResponse"]["ReceiveMessageResult"]["Message"].size() == 2);

  auto xml = now(d, control("GET", "/_aws/sqs/messages/us-east-1/000000000000/ls"));
  CHECK(xml.status == 200);
  CHECK(xml.body.find("<ReceiveMessageResponse") != std::string::npos);
  CHECK(xml.body.find("<Body>m2</Body>") != std::string::npos);
  CHECK(xml.body.find("<Body>m1</Body>") == std::string::npos);

  auto missing = now(d, control("GET", "/_aws/sqs/messages/us-east-1/000000000000/none"));
  CHECK(missing.body.find("AWS.SimpleQueueService.NonExistentQueue") != std::string::npos);

  // An SDK pointed at the endpoint: ReceiveMessage lists, anything else is
  // refused.
  auto sdk = sqs("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", 1}});
  sdk.path = "/_aws/sqs/messages";
  auto listed = body_of(now(d, sdk));
  CHECK(listed["Messages"].size() == 1);  // visible ones: m2
  auto send = sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}});
  send.path = "/_aws/sqs/messages";
  auto refused = now(d, send);
  CHECK(refused.status == 400);
  CHECK(header(refused, "x-amzn-query-error").starts_with("InvalidRequest;"));
}

TEST_CASE("kinesis peek shows shard positions") {
  Dispatcher d({});
  REQUIRE(now(d, kinesis("CreateStream", {{"StreamName", "events"}, {"ShardCount", 2}})).status == 200);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(
        now(d, kinesis("PutRecord", {{"StreamName", "events"}, {"Data", "aGVsbG8="}, {"PartitionKey", "k"}})).status ==
        200);
  }
  auto b = body_of(now(d, control("GET", "/_shoal/kinesis/shards", "StreamName=events")));
  CHECK(b["StreamStatus"] == "ACTIVE");
  CHECK(b["Records"] == 3);
  CHECK(b["Bytes"] == 3 * (5 + 1));  // "hello" plus partition key "k"
  REQUIRE(b["Shards"].size() == 2);
  int with_records = 0;
  for (const auto& s : b["Shards"]) {
    if (s["Records"] == 3) {
      ++with_records;
      CHECK(s["FirstSequenceNumber"] < s["LastSequenceNumber"]);
    }
  }
  CHECK(with_records == 1);
  CHECK(now(d, control("GET", "/_shoal/kinesis/shards", "StreamName=nope")).status == 404);
  CHECK(body_of(now(d, control("GET", "/_shoal/kinesis/shards")))["Streams"].size() == 1);
}

TEST_CASE("fault rules answer AWS errors in the caller's protocol") {
  Dispatcher d({});
  const auto url = make_queue(d, "faulty");
  auto added = now(d, control("POST", "/_shoal/faults", "",
                              R"({"service":"sqs","action":"SendMessage","error":"RequestThrottled","count":1})"));
  REQUIRE(added.status == 200);
  CHECK(body_of(added)["rule"]["remaining"] == 1);

  auto throttled = now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}}));
  CHECK(throttled.status == 400);
  CHECK(body_of(throttled)["__type"] == "com.amazonaws.sqs#RequestThrottled");
  CHECK(header(throttled, "x-amzn-query-error") == "RequestThrottled;Sender");
  CHECK(now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}})).status == 200);

  // The query protocol renders the same rule as an XML ErrorResponse.
  now(d, control("POST", "/_shoal/faults", "service=sqs&error=InternalFailure&count=1"));
  ApiRequest q;
  q.method = "POST";
  q.path = "/000000000000/faulty";
  q.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  q.body = "Action=SendMessage&MessageBody=x&Version=2012-11-05";
  auto xml = now(d, q);
  CHECK(xml.status == 500);
  CHECK(xml.body.find("<Code>InternalFailure</Code>") != std::string::npos);

  // Kinesis, by stream name.
  REQUIRE(now(d, kinesis("CreateStream", {{"StreamName", "hot"}, {"ShardCount", 1}})).status == 200);
  now(d, control("POST", "/_shoal/faults", "",
                 R"({"service":"kinesis","resource":"hot","error":"ProvisionedThroughputExceededException"})"));
  auto put = now(d, kinesis("PutRecord", {{"StreamName", "hot"}, {"Data", "eA=="}, {"PartitionKey", "k"}}));
  CHECK(put.status == 400);
  CHECK(body_of(put)["__type"] == "ProvisionedThroughputExceededException");
  CHECK(body_of(put)["message"] == "Rate exceeded for stream hot under account 000000000000.");
  auto listed = body_of(now(d, control("GET", "/_shoal/faults")));
  REQUIRE(listed["rules"].size() == 1);
  CHECK(listed["rules"][0]["fired"] == 1);
  CHECK(body_of(now(d, control("DELETE", "/_shoal/faults")))["removed"] == 1);
  CHECK(now(d, kinesis("PutRecord", {{"StreamName", "hot"}, {"Data", "eA=="}, {"PartitionKey", "k"}})).status == 200);
}

TEST_CASE("latency and dropped connections are instructions for the server") {
  Dispatcher d({});
  const auto url = make_queue(d, "slow");
  now(d, control("POST", "/_shoal/faults", "action=SendMessage&latency_ms=250&count=1"));
  auto slow = d.handle(sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}}));
  CHECK(slow.delay == std::chrono::milliseconds(250));
  REQUIRE(slow.response);
  CHECK(slow.response->status == 200);

  now(d, control("POST", "/_shoal/faults", "action=SendMessage&drop_connection=true&count=1"));
  auto dropped = d.handle(sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}}));
  CHECK(dropped.drop_connection);
  CHECK_FALSE(dropped.response);
  CHECK_FALSE(dropped.pending);
  // The delayed send ran; the dropped one never reached the queue.
  auto p = body_of(now(d, control("GET", "/_shoal/sqs/messages", "queue=slow")));
  CHECK(p["Messages"].size() == 1);
}

TEST_CASE("bad fault rules are refused") {
  Dispatcher d({});
  CHECK(now(d, control("POST", "/_shoal/faults", "action=SendMessage")).status == 400);  // no effect
  CHECK(now(d, control("POST", "/_shoal/faults", "error=X&probability=2")).status == 400);
  CHECK(now(d, control("POST", "/_shoal/faults", "error=X&service=s3")).status == 400);
  CHECK(now(d, control("POST", "/_shoal/faults", "latency_ms=600000")).status == 400);
  CHECK(now(d, control("DELETE", "/_shoal/faults/77")).status == 404);
}

TEST_CASE("a fault rule's error and message are bounded and printable") {
  Dispatcher d({});
  auto refused = [&](const json& rule) {
    auto r = now(d, control("POST", "/_shoal/faults", "", rule.dump()));
    CHECK(r.status == 400);
    return body_of(r)["error"]["message"].get<std::string>();
  };
  CHECK(refused({{"error", std::string(100 * 1024, 'X')}}).find("256") != std::string::npos);
  CHECK(refused({{"error", "ThrottlingException"}, {"message", std::string(100 * 1024, 'm')}}).find("1024") !=
        std::string::npos);
  // The code becomes a header: no CR/LF, no spaces.
  refused({{"error", "Bad\r\nX-Injected: 1"}});
  refused({{"error", "Two words"}});
  refused({{"error", "ThrottlingException"}, {"message", "line\r\nbreak"}});
  CHECK(now(d, control("POST", "/_shoal/faults", "error=%00")).status == 400);
  CHECK(now(d, control("POST", "/_shoal/faults", "error=X&message=%FF")).status == 400);

  // At the bounds it is accepted, and answered.
  const std::string code(256, 'E');
  const std::string message = std::string(1023, 'm') + "\xC3\xA9";  // 1024 characters, 1025 bytes
  auto ok = now(d, control("POST", "/_shoal/faults", "", json{{"error", code}, {"message", message}, {"status", 400}}.dump()));
  REQUIRE(ok.status == 200);
  auto answered = now(d, sqs("ListQueues", json::object()));
  CHECK(answered.status == 400);
  // SQS names it in x-amzn-query-error, as AWS does (no x-amzn-ErrorType).
  CHECK(header(answered, "x-amzn-query-error") == code + ";Sender");
  CHECK(header(answered, "x-amzn-ErrorType").empty());
  CHECK(body_of(answered)["message"] == message);
}

TEST_CASE("metrics count requests and show queue depths") {
  Dispatcher d({});
  const auto url = make_queue(d, "depth");
  now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "a"}}));
  now(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "b"}}));
  receive(d, url, 30);
  now(d, sqs("GetQueueUrl", {{"QueueName", "missing"}}));
  auto r = now(d, control("GET", "/_shoal/metrics"));
  CHECK(r.content_type.starts_with("text/plain; version=0.0.4"));
  const auto& t = r.body;
  CHECK(t.find("shoal_requests_total{service=\"sqs\",action=\"SendMessage\","
               "status=\"200\"} 2\n") != std::string::npos);
  CHECK(t.find("shoal_requests_total{service=\"sqs\",action=\"GetQueueUrl\","
               "status=\"400\"} 1\n") != std::string::npos);
  const std::string q = "account=\"000000000000\",region=\"us-east-1\",queue=\"depth\"";
  CHECK(t.find("shoal_sqs_messages{" + q + ",state=\"visible\"} 1\n") != std::string::npos);
  CHECK(t.find("shoal_sqs_messages{" + q + ",state=\"in_flight\"} 1\n") != std::string::npos);
  CHECK(t.find("shoal_request_duration_seconds_count{service=\"sqs\",action="
               "\"SendMessage\"} 2\n") != std::string::npos);
}

TEST_CASE("control paths are exact; queue paths stay SQS") {
  Dispatcher d({});
  CHECK(now(d, control("GET", "/_shoal/nope")).status == 404);
  CHECK(now(d, control("DELETE", "/_shoal/health")).status == 405);
  // "/_shoalx" is not the control prefix: it is an ordinary (unknown) request.
  auto other = now(d, control("GET", "/_shoalx/health"));
  CHECK(other.status == 403);
  CHECK(other.body.find("MissingAuthenticationTokenException") != std::string::npos);
  make_queue(d, "plain");
  ApiRequest q;
  q.method = "GET";
  q.path = "/000000000000/plain";
  q.query = "Action=GetQueueAttributes&AttributeName.1=All&Version=2012-11-05";
  auto xml = now(d, q);
  CHECK(xml.status == 200);
  CHECK(xml.body.find("<GetQueueAttributesResponse") != std::string::npos);
}

}  // namespace shoal::api
