// The console's endpoints through the Dispatcher: the overview (regions,
// queues with depths, totals and dead-letter links, streams, actions), the
// record tail, the peek limit and shard lineage, and the page's assets.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "api/dispatcher.h"

namespace shoal::api {
namespace {

using nlohmann::json;

// A request signed (signatures are not checked) by `account` in `region`.
ApiRequest aws(const std::string& target, const std::string& content_type, const json& body,
               const std::string& account, const std::string& region) {
  ApiRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"x-amz-target", target},
               {"content-type", content_type},
               {"host", "localhost:4566"},
               {"authorization", "AWS4-HMAC-SHA256 Credential=" + account + "/20240101/" + region +
                                     "/sqs/aws4_request, SignedHeaders=host, Signature=0"}};
  r.body = body.dump();
  return r;
}

ApiRequest sqs(const std::string& action, const json& body, const std::string& account = "000000000000",
               const std::string& region = "us-east-1") {
  return aws("AmazonSQS." + action, "application/x-amz-json-1.0", body, account, region);
}

ApiRequest kinesis(const std::string& action, const json& body) {
  return aws("Kinesis_20131202." + action, "application/x-amz-json-1.1", body, "000000000000", "us-east-1");
}

ApiRequest control(const std::string& method, const std::string& path, const std::string& query = "") {
  ApiRequest r;
  r.method = method;
  r.path = path;
  r.query = query;
  return r;
}

ApiResponse now(Dispatcher& d, ApiRequest r) {
  auto out = d.handle(std::move(r));
  REQUIRE(out.response);
  return *out.response;
}

json ok(Dispatcher& d, ApiRequest r) {
  auto response = now(d, std::move(r));
  REQUIRE_MESSAGE(response.status == 200, response.body);
  // Kinesis actions with no output (CreateStream, ...) answer an empty body, as AWS does.
  return response.body.empty() ? json::object() : json::parse(response.body);
}

std::string header(const ApiResponse& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

const json* named(const json& list, const std::string& name) {
  for (const auto& item : list) {
    if (item["name"] == name) return &item;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the overview lists every account and region, and the asked one's queues") {
  Dispatcher d({});
  const auto dlq = ok(d, sqs("CreateQueue", {{"QueueName", "jobs-dlq"}}))["QueueUrl"].get<std::string>();
  const json policy = {{"deadLetterTargetArn", "arn:aws:sqs:us-east-1:000000000000:jobs-dlq"}, {"maxReceiveCount", 2}};
  const auto url = ok(d, sqs("CreateQueue", {{"QueueName", "jobs"}, {"Attributes", {{"RedrivePolicy", policy.dump()}}}}))
                       ["QueueUrl"].get<std::string>();
  ok(d, sqs("CreateQueue", {{"QueueName", "other"}}, "111111111111", "eu-west-1"));
  ok(d, kinesis("CreateStream", {{"StreamName", "events"}, {"ShardCount", 2}}));
  for (int i = 0; i < 3; ++i) ok(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m"}}));
  auto received = ok(d, sqs("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", 2}}));
  REQUIRE(received["Messages"].size() == 2);
  ok(d, sqs("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", received["Messages"][0]["ReceiptHandle"]}}));
  now(d, sqs("GetQueueUrl", {{"QueueName", "missing"}}));  // an error, counted by action

  auto o = ok(d, control("GET", "/_shoal/overview"));
  CHECK(o["account"] == "000000000000");
  CHECK(o["region"] == "us-east-1");
  REQUIRE(o["regions"].size() == 2);
  CHECK(o["regions"][0] == json{{"account", "000000000000"}, {"region", "us-east-1"}, {"queues", 2}, {"streams", 1}});
  CHECK(o["regions"][1] == json{{"account", "111111111111"}, {"region", "eu-west-1"}, {"queues", 1}, {"streams", 0}});
  REQUIRE(o["queues"].size() == 2);
  const auto* jobs = named(o["queues"], "jobs");
  REQUIRE(jobs != nullptr);
  CHECK((*jobs)["url"] == url);
  CHECK((*jobs)["arn"] == "arn:aws:sqs:us-east-1:000000000000:jobs");
  CHECK((*jobs)["fifo"] == false);
  CHECK((*jobs)["visible"] == 1);
  CHECK((*jobs)["in_flight"] == 1);
  CHECK((*jobs)["delayed"] == 0);
  CHECK((*jobs)["sent"] == 3);
  CHECK((*jobs)["received"] == 2);
  CHECK((*jobs)["deleted"] == 1);
  CHECK((*jobs)["rates"].contains("sent"));
  CHECK((*jobs)["dead_letter"] == json{{"name", "jobs-dlq"},
                                       {"arn", "arn:aws:sqs:us-east-1:000000000000:jobs-dlq"},
                                       {"max_receive_count", 2},
                                       {"exists", true}});
  CHECK_FALSE(jobs->contains("dead_letter_sources"));
  const auto* dead = named(o["queues"], "jobs-dlq");
  REQUIRE(dead != nullptr);
  CHECK((*dead)["url"] == dlq);
  CHECK((*dead)["dead_letter_sources"] == json{"jobs"});
  CHECK_FALSE(dead->contains("move_task"));

  REQUIRE(o["streams"].size() == 1);
  const auto& events = o["streams"][0];
  CHECK(events["name"] == "events");
  CHECK(events["status"] == "ACTIVE");
  CHECK(events["mode"] == "PROVISIONED");
  CHECK(events["retention_hours"] == 24);
  CHECK(events["open_shards"] == 2);
  CHECK(events["shards"] == 2);
  CHECK(events["records"] == 0);

  bool saw_error = false;
  for (const auto& a : o["actions"]) {
    if (a["action"] == "SendMessage") CHECK(a["requests"] == 3);
    if (a["action"] == "GetQueueUrl") saw_error = a["client_errors"] == 1;
  }
  CHECK(saw_error);
  CHECK(o["server"]["storage"] == "memory");
  CHECK(o["server"]["clock"].contains("now_ms"));
  CHECK(o["server"]["fault_rules"] == 0);

  // Another account and region, by parameter.
  auto other = ok(d, control("GET", "/_shoal/overview", "account=111111111111&region=eu-west-1"));
  REQUIRE(other["queues"].size() == 1);
  CHECK(other["queues"][0]["name"] == "other");
  CHECK(other["queues"][0]["url"] == "http://localhost:4566/111111111111/other");
  CHECK(other["streams"].empty());
}

TEST_CASE("the overview shows a dead-letter queue's move task") {
  Dispatcher d({});
  ok(d, sqs("CreateQueue", {{"QueueName", "dlq"}}));
  const json policy = {{"deadLetterTargetArn", "arn:aws:sqs:us-east-1:000000000000:dlq"}, {"maxReceiveCount", 1}};
  const auto url = ok(d, sqs("CreateQueue", {{"QueueName", "src"}, {"Attributes", {{"RedrivePolicy", policy.dump()}}}}))
                       ["QueueUrl"].get<std::string>();
  ok(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}}));
  ok(d, sqs("ReceiveMessage", {{"QueueUrl", url}, {"VisibilityTimeout", 0}}));
  ok(d, sqs("ReceiveMessage", {{"QueueUrl", url}}));  // moves it to the DLQ
  ok(d, sqs("StartMessageMoveTask", {{"SourceArn", "arn:aws:sqs:us-east-1:000000000000:dlq"}}));
  auto o = ok(d, control("GET", "/_shoal/overview"));
  const auto* dlq = named(o["queues"], "dlq");
  REQUIRE(dlq != nullptr);
  REQUIRE(dlq->contains("move_task"));
  CHECK((*dlq)["move_task"]["Status"] == "COMPLETED");
  CHECK((*dlq)["move_task"]["ApproximateNumberOfMessagesMoved"] == 1);
  CHECK((*named(o["queues"], "src"))["visible"] == 1);
}

TEST_CASE("the record tail shows the newest records as text or hex") {
  Dispatcher d({});
  ok(d, kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 2}}));
  ok(d, kinesis("PutRecord", {{"StreamName", "s"}, {"PartitionKey", "a"}, {"Data", "aGVsbG8="}}));  // "hello"
  ok(d, kinesis("PutRecord", {{"StreamName", "s"}, {"PartitionKey", "b"}, {"Data", "AAH/"}}));      // 00 01 ff
  auto tail = ok(d, control("GET", "/_shoal/kinesis/records", "StreamName=s&limit=5"));
  CHECK(tail["StreamName"] == "s");
  REQUIRE(tail["Records"].size() == 2);
  // Both may share a millisecond; then the order is by shard, so find them.
  for (const auto& r : tail["Records"]) {
    if (r["PartitionKey"] == "a") {
      CHECK(r["Text"] == "hello");
      CHECK(r["Size"] == 5);
    } else {
      CHECK(r["Hex"] == "00 01 ff");
      CHECK_FALSE(r.contains("Text"));
    }
    CHECK(r["ShardId"].get<std::string>().starts_with("shardId-"));
    CHECK_FALSE(r.contains("Truncated"));
  }
  auto one = ok(d, control("GET", "/_shoal/kinesis/records", "StreamName=s&limit=1"));
  CHECK(one["Records"].size() == 1);
  CHECK(now(d, control("GET", "/_shoal/kinesis/records", "StreamName=s&limit=0")).status == 400);
  CHECK(now(d, control("GET", "/_shoal/kinesis/records", "StreamName=s&limit=x")).status == 400);
  CHECK(now(d, control("GET", "/_shoal/kinesis/records")).status == 400);
  CHECK(now(d, control("GET", "/_shoal/kinesis/records", "StreamName=nope")).status == 404);

  auto o = ok(d, control("GET", "/_shoal/overview"));
  CHECK(o["streams"][0]["records"] == 2);
  CHECK(o["streams"][0]["records_put"] == 2);
  CHECK(o["streams"][0]["bytes"] == 1 + 5 + 1 + 3);
}

TEST_CASE("the overview lists each consumer's active SubscribeToShard subscriptions") {
  Dispatcher d({});
  ok(d, kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 2}}));
  const std::string stream_arn =
      ok(d, kinesis("DescribeStreamSummary", {{"StreamName", "s"}}))["StreamDescriptionSummary"]["StreamARN"];
  const std::string arn =
      ok(d, kinesis("RegisterStreamConsumer", {{"StreamARN", stream_arn}, {"ConsumerName", "app"}}))["Consumer"]
                                                                                                     ["ConsumerARN"];
  ok(d, kinesis("RegisterStreamConsumer", {{"StreamARN", stream_arn}, {"ConsumerName", "idle"}}));
  auto o = ok(d, control("GET", "/_shoal/overview"));
  CHECK(o["server"]["kinesis_subscriptions"] == 0);
  CHECK(o["streams"][0]["subscriptions"] == json{{"app", json::array()}, {"idle", json::array()}});

  auto out = d.handle(kinesis("SubscribeToShard", {{"ConsumerARN", arn},
                                                   {"ShardId", "shardId-000000000001"},
                                                   {"StartingPosition", {{"Type", "LATEST"}}}}));
  REQUIRE(out.stream);
  o = ok(d, control("GET", "/_shoal/overview"));
  CHECK(o["server"]["kinesis_subscriptions"] == 1);
  const auto& held = o["streams"][0]["subscriptions"];
  REQUIRE(held["app"].size() == 1);
  CHECK(held["app"][0]["shard_id"] == "shardId-000000000001");
  CHECK(held["app"][0]["started_ms"].is_number());
  CHECK(held["idle"].empty());
  // Another region's overview counts it on the server, lists it nowhere.
  auto other = ok(d, control("GET", "/_shoal/overview", "region=eu-west-1"));
  CHECK(other["server"]["kinesis_subscriptions"] == 1);
  CHECK(other["streams"].empty());

  out.stream->cancel();
  o = ok(d, control("GET", "/_shoal/overview"));
  CHECK(o["server"]["kinesis_subscriptions"] == 0);
  CHECK(o["streams"][0]["subscriptions"]["app"].empty());
}

TEST_CASE("shards show their parents and records put; peek takes a limit") {
  Dispatcher d({});
  ok(d, kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}}));
  ok(d, kinesis("SplitShard", {{"StreamName", "s"},
                               {"ShardToSplit", "shardId-000000000000"},
                               {"NewStartingHashKey", "170141183460469231731687303715884105728"}}));
  auto shards = ok(d, control("GET", "/_shoal/kinesis/shards", "StreamName=s"))["Shards"];
  REQUIRE(shards.size() == 3);
  CHECK(shards[0]["Open"] == false);
  CHECK_FALSE(shards[0].contains("ParentShardId"));
  CHECK(shards[1]["ParentShardId"] == "shardId-000000000000");
  CHECK(shards[2]["ParentShardId"] == "shardId-000000000000");
  CHECK(shards[1]["RecordsPut"] == 0);

  const auto url = ok(d, sqs("CreateQueue", {{"QueueName", "q"}}))["QueueUrl"].get<std::string>();
  for (int i = 0; i < 5; ++i) ok(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", std::to_string(i)}}));
  auto peek = ok(d, control("GET", "/_shoal/sqs/messages", "queue=q&limit=2"));
  REQUIRE(peek["Messages"].size() == 2);
  CHECK(peek["Messages"][1]["Body"] == "1");
  CHECK(peek["Counts"]["Visible"] == 5);
  CHECK(now(d, control("GET", "/_shoal/sqs/messages", "queue=q&limit=-1")).status == 400);
}

TEST_CASE("the console's page, script and style sheet are served from the binary") {
  Dispatcher d({});
  for (const auto* path : {"/_shoal/console", "/_shoal/console/", "/_shoal/console/index.html"}) {
    auto page = now(d, control("GET", path));
    CHECK(page.status == 200);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.body.find("/_shoal/console/console.js") != std::string::npos);
    // No inline script may run, whatever a name put into the page.
    CHECK(header(page, "Content-Security-Policy").find("script-src 'self'") != std::string::npos);
    CHECK(header(page, "X-Content-Type-Options") == "nosniff");
  }
  auto js = now(d, control("GET", "/_shoal/console/console.js"));
  CHECK(js.content_type == "text/javascript; charset=utf-8");
  CHECK(js.body.find("/_shoal/overview") != std::string::npos);
  CHECK(js.body.find("innerHTML") == std::string::npos);
  auto css = now(d, control("GET", "/_shoal/console/console.css"));
  CHECK(css.content_type == "text/css; charset=utf-8");
  CHECK_FALSE(css.body.empty());
  auto head = now(d, control("HEAD", "/_shoal/console"));
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(now(d, control("GET", "/_shoal/console/other.js")).status == 404);
  CHECK(now(d, control("POST", "/_shoal/console")).status == 405);
}

}  // namespace shoal::api
