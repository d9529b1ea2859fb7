// Cross-account access to Kinesis streams, through the handlers: another
// account is refused unless the stream's resource policy allows the action,
// and a shard iterator reads only for the account it was issued to.
#include <string>

#include <doctest/doctest.h>

#include "api/kinesis/kinesis_action.h"
#include "storage/clock.h"
#include "storage/stream/stream_registry.h"

namespace {

using namespace shoal;
using nlohmann::json;
using Handler = api::ActionResult (*)(const api::kinesis::KinesisCall&);

constexpr const char* kA = "111111111111";
constexpr const char* kB = "222222222222";
const std::string kArn = "arn:aws:kinesis:us-east-1:111111111111:stream/s";

struct Fixture {
  storage::ManualClock clock;
  storage::StreamRegistry streams{clock, options()};

  static storage::StreamRegistryOptions options() {
    storage::StreamRegistryOptions o;
    o.iterator_key = "test";
    return o;
  }

  Fixture() { REQUIRE(streams.create({kA, "us-east-1", "s"}, storage::StreamConfig{})); }

  api::ActionResult call(const std::string& account, std::string_view action, Handler handler, const json& input) {
    const api::RequestContext ctx{"req", account, account, "us-east-1", "localhost"};
    return handler(api::kinesis::KinesisCall{ctx, input, streams, clock, action});
  }
  std::string iterator_for(const std::string& account) {
    auto r = call(account, "GetShardIterator", api::kinesis::get_shard_iterator,
                  {{"StreamARN", kArn}, {"ShardId", "shardId-000000000000"}, {"ShardIteratorType", "TRIM_HORIZON"}});
    REQUIRE_FALSE(r.error);
    return r.output["ShardIterator"].get<std::string>();
  }
  api::ActionResult put(const std::string& account) {
    return call(account, "PutRecord", api::kinesis::put_record,
                {{"StreamARN", kArn}, {"PartitionKey", "k"}, {"Data", json::binary({'x'})}});
  }
  api::ActionResult get(const std::string& account, const std::string& iterator) {
    return call(account, "GetRecords", api::kinesis::get_records, {{"ShardIterator", iterator}});
  }
  void allow(const std::string& actions) {
    auto r = call(kA, "PutResourcePolicy", api::kinesis::put_resource_policy,
                  {{"ResourceARN", kArn},
                   {"Policy", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                              R"("Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":)" +
                                  actions + R"(,"Resource":")" + kArn + R"("}]})"}});
    REQUIRE_FALSE(r.error);
  }
};

std::string denial(const api::ActionResult& r) {
  REQUIRE(r.error);
  CHECK(r.error->code == "AccessDeniedException");
  CHECK(r.error->http_status == 400);
  return r.error->message;
}

}  // namespace

TEST_CASE("another account is refused every action on a stream it was not granted, in AWS's words") {
  Fixture f;
  CHECK(denial(f.put(kB)) ==
        "User: arn:aws:iam::222222222222:root is not authorized to perform: kinesis:PutRecord on resource: " + kArn +
            " because no resource-based policy allows the kinesis:PutRecord action");
  CHECK_FALSE(f.put(kA).error);
  denial(f.call(kB, "DescribeStreamSummary", api::kinesis::describe_stream_summary, {{"StreamARN", kArn}}));
  denial(f.call(kB, "ListShards", api::kinesis::list_shards, {{"StreamARN", kArn}}));
  denial(f.call(kB, "DeleteStream", api::kinesis::delete_stream, {{"StreamARN", kArn}}));
  denial(f.call(kB, "GetResourcePolicy", api::kinesis::get_resource_policy, {{"ResourceARN", kArn}}));
  // A stream of another account that does not exist: the same refusal, no existence leak.
  denial(f.call(kB, "DescribeStreamSummary", api::kinesis::describe_stream_summary,
                {{"StreamARN", "arn:aws:kinesis:us-east-1:111111111111:stream/none"}}));
  CHECK(f.streams.find({kA, "us-east-1", "s"}) != nullptr);
}

TEST_CASE("a resource policy lets the other account do exactly the actions it names") {
  Fixture f;
  f.allow(R"(["kinesis:PutRecord","kinesis:DescribeStreamSummary"])");
  CHECK_FALSE(f.put(kB).error);
  CHECK_FALSE(f.call(kB, "DescribeStreamSummary", api::kinesis::describe_stream_summary, {{"StreamARN", kArn}}).error);
  const json records = json::array({{{"PartitionKey", "k"}, {"Data", json::binary({'y'})}}});
  denial(f.call(kB, "PutRecords", api::kinesis::put_records, {{"StreamARN", kArn}, {"Records", records}}));
  denial(f.call(kB, "DeleteStream", api::kinesis::delete_stream, {{"StreamARN", kArn}}));
  // Owner-only actions stay the owner's even under kinesis:*.
  f.allow(R"("kinesis:*")");
  denial(f.call(kB, "DeleteStream", api::kinesis::delete_stream, {{"StreamARN", kArn}}));
  denial(f.call(kB, "AddTagsToStream", api::kinesis::add_tags_to_stream,
                {{"StreamARN", kArn}, {"Tags", {{"k", "v"}}}}));
  CHECK(f.streams.find({kA, "us-east-1", "s"}) != nullptr);
}

TEST_CASE("a shard iterator reads only for the account it was issued to") {
  Fixture f;
  REQUIRE_FALSE(f.put(kA).error);
  const auto owners = f.iterator_for(kA);
  CHECK(f.get(kA, owners).output["Records"].size() == 1);
  // B without a grant: refused by the stream's policy first.
  CHECK(denial(f.get(kB, owners)).find("kinesis:GetRecords") != std::string::npos);

  f.allow(R"(["kinesis:GetShardIterator","kinesis:GetRecords"])");
  const auto readers = f.iterator_for(kB);
  auto read = f.get(kB, readers);
  REQUIRE_FALSE(read.error);
  CHECK(read.output["Records"].size() == 1);
  // Its NextShardIterator stays B's.
  const auto next = read.output["NextShardIterator"].get<std::string>();
  CHECK_FALSE(f.get(kB, next).error);
  // Each account's iterator is refused to the other, grant or not.
  for (const auto& [account, iterator] : {std::pair{std::string(kB), owners}, std::pair{std::string(kA), readers},
                                          std::pair{std::string(kA), next}}) {
    auto r = f.get(account, iterator);
    REQUIRE(r.error);
    CHECK(r.error->code == "InvalidArgumentException");
    CHECK(r.error->message == "Invalid ShardIterator.");
  }
}

TEST_CASE("ListShards' NextToken is checked like the stream it pages") {
  Fixture f;
  storage::StreamConfig two;
  two.shard_count = 2;
  REQUIRE(f.streams.create({kA, "us-east-1", "t"}, two));
  auto r = f.call(kA, "ListShards", api::kinesis::list_shards,
                  {{"StreamARN", "arn:aws:kinesis:us-east-1:111111111111:stream/t"}, {"MaxResults", 1}});
  REQUIRE_FALSE(r.error);
  const auto token = r.output["NextToken"].get<std::string>();
  denial(f.call(kB, "ListShards", api::kinesis::list_shards, {{"NextToken", token}}));
  CHECK_FALSE(f.call(kA, "ListShards", api::kinesis::list_shards, {{"NextToken", token}}).error);
}
