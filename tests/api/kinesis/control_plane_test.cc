// Kinesis control-plane handlers called directly on a manual clock: AWS's
// wording and the state each action reads back (what the integration tests
// cannot reach quickly: update delays, a 24-hour billing commitment).
#include <chrono>
#include <string>

#include <doctest/doctest.h>

#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"
#include "storage/clock.h"
#include "storage/stream/stream_registry.h"

namespace {

using namespace shoal;
using nlohmann::json;

struct Fixture {
  storage::ManualClock clock;
  storage::StreamRegistry streams{clock, options()};
  api::RequestContext ctx{"req", "", "123456789012", "eu-west-1", "localhost"};

  static storage::StreamRegistryOptions options() {
    storage::StreamRegistryOptions o;
    o.delays.update = std::chrono::seconds(10);
    o.iterator_key = "test";
    return o;
  }

  Fixture() { REQUIRE(streams.create({"123456789012", "eu-west-1", "s"}, storage::StreamConfig{})); }

  api::ActionResult call(api::ActionResult (*handler)(const api::kinesis::KinesisCall&), const json& input) {
    return handler(api::kinesis::KinesisCall{ctx, input, streams, clock});
  }
  void advance(std::chrono::milliseconds d) { clock.set(clock.now() + d); }
};

std::string message_of(const api::ActionResult& r) {
  REQUIRE(r.error.has_value());
  return r.error->code + ": " + r.error->message;
}

}  // namespace

TEST_CASE("retention bounds are checked before direction, with AWS's wording") {
  Fixture f;
  using api::kinesis::decrease_stream_retention_period;
  using api::kinesis::increase_stream_retention_period;
  CHECK(message_of(f.call(increase_stream_retention_period, {{"StreamName", "s"}, {"RetentionPeriodHours", 23}})) ==
        "InvalidArgumentException: Minimum allowed retention period is 24 hours. Requested retention period (23 "
        "hours) is too short.");
  CHECK(message_of(f.call(decrease_stream_retention_period, {{"StreamName", "s"}, {"RetentionPeriodHours", 48}})) ==
        "InvalidArgumentException: Requested retention period (48 hours) for stream s can not be longer than "
        "existing retention period (24 hours). Use IncreaseRetentionPeriod API.");
  CHECK_FALSE(f.call(increase_stream_retention_period, {{"StreamName", "s"}, {"RetentionPeriodHours", 48}}).error);
  CHECK(message_of(f.call(increase_stream_retention_period, {{"StreamName", "s"}, {"RetentionPeriodHours", 72}})) ==
        "ResourceInUseException: Stream s under account 123456789012 not ACTIVE, instead in state UPDATING");
  f.advance(std::chrono::seconds(10));
  CHECK(message_of(f.call(increase_stream_retention_period, {{"StreamName", "s"}, {"RetentionPeriodHours", 30}})) ==
        "InvalidArgumentException: Requested retention period (30 hours) for stream s can not be shorter than "
        "existing retention period (48 hours). Use DecreaseRetentionPeriod API.");
}

TEST_CASE("tag text: invalid characters first, then '%'") {
  const storage::StreamKey key{"123456789012", "eu-west-1", "s"};
  CHECK_FALSE(api::kinesis::check_tag_text({"a", "\xc3\xbc" "0 _./=+-@:", ""}, "add tags to", key));
  auto bad = api::kinesis::check_tag_text({"a%b", "a;b"}, "add tags to", key);
  REQUIRE(bad);
  CHECK(bad->message.starts_with("Some tags contain invalid characters."));
  bad = api::kinesis::check_tag_text({"a%b"}, "remove tags from", key);
  REQUIRE(bad);
  CHECK(bad->message.starts_with("Failed to remove tags from stream s under account 123456789012 because"));
  CHECK(api::kinesis::check_tag_text({"tab\there"}, "add tags to", key));
  CHECK(api::kinesis::check_tag_text({"\xf0\x9f\x98\x80"}, "add tags to", key));  // outside AWS's letter blocks
}

TEST_CASE("list tags pages with Limit and ExclusiveStartTagKey") {
  Fixture f;
  REQUIRE_FALSE(f.call(api::kinesis::add_tags_to_stream, {{"StreamName", "s"}, {"Tags", {{"a", "1"}, {"b", "2"}, {"c", ""}}}})
                    .error);
  auto page = f.call(api::kinesis::list_tags_for_stream, {{"StreamName", "s"}, {"Limit", 2}});
  CHECK(page.output["Tags"] == json::parse(R"([{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}])"));
  CHECK(page.output["HasMoreTags"] == true);
  page = f.call(api::kinesis::list_tags_for_stream, {{"StreamName", "s"}, {"ExclusiveStartTagKey", "b"}});
  CHECK(page.output["Tags"] == json::parse(R"([{"Key":"c","Value":""}])"));
  CHECK(page.output["HasMoreTags"] == false);
}

TEST_CASE("consumers list in pages that survive a deregistration between calls") {
  Fixture f;
  const auto arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/s";
  for (const auto* name : {"c1", "c2", "c3"}) {
    REQUIRE_FALSE(f.call(api::kinesis::register_stream_consumer, {{"StreamARN", arn}, {"ConsumerName", name}}).error);
    f.advance(std::chrono::milliseconds(5));
  }
  auto page = f.call(api::kinesis::list_stream_consumers, {{"StreamARN", arn}, {"MaxResults", 1}});
  REQUIRE(page.output["Consumers"].size() == 1);
  CHECK(page.output["Consumers"][0]["ConsumerName"] == "c1");
  const auto token = page.output["NextToken"].get<std::string>();
  REQUIRE_FALSE(f.call(api::kinesis::deregister_stream_consumer, {{"StreamARN", arn}, {"ConsumerName", "c1"}}).error);
  page = f.call(api::kinesis::list_stream_consumers, {{"StreamARN", arn}, {"NextToken", token}});
  REQUIRE(page.output["Consumers"].size() == 2);
  CHECK(page.output["Consumers"][0]["ConsumerName"] == "c2");
  CHECK_FALSE(page.output.contains("NextToken"));
  CHECK(message_of(f.call(api::kinesis::list_stream_consumers, {{"StreamARN", arn}, {"NextToken", "x"}}))
            .starts_with("InvalidArgumentException"));
}

TEST_CASE("a consumer ARN with another creation time names no consumer") {
  Fixture f;
  const auto arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/s";
  auto reg = f.call(api::kinesis::register_stream_consumer, {{"StreamARN", arn}, {"ConsumerName", "c"}});
  REQUIRE_FALSE(reg.error);
  CHECK(reg.output["Consumer"]["ConsumerStatus"] == "CREATING");
  const auto consumer_arn = reg.output["Consumer"]["ConsumerARN"].get<std::string>();
  CHECK_FALSE(f.call(api::kinesis::describe_stream_consumer, {{"ConsumerARN", consumer_arn}}).error);
  CHECK(message_of(f.call(api::kinesis::describe_stream_consumer, {{"ConsumerARN", consumer_arn + "0"}})) ==
        "ResourceNotFoundException: Consumer c under stream s under account 123456789012 not found.");
  CHECK(f.call(api::kinesis::get_resource_policy, {{"ResourceARN", consumer_arn}}).output["Policy"] == "{}");
}

TEST_CASE("a billing commitment disabled early ends at its earliest allowed end") {
  Fixture f;
  const json enable = {{"MinimumThroughputBillingCommitment", {{"Status", "ENABLED"}}}};
  const json disable = {{"MinimumThroughputBillingCommitment", {{"Status", "DISABLED"}}}};
  const auto started = storage::to_epoch_ms(f.clock.now());
  auto out = f.call(api::kinesis::update_account_settings, enable).output["MinimumThroughputBillingCommitment"];
  CHECK(out["Status"] == "ENABLED");
  CHECK(out["StartedAt"] == started);
  CHECK(out["EarliestAllowedEndAt"] == started + 24 * 3600 * 1000);
  f.advance(std::chrono::hours(1));
  out = f.call(api::kinesis::update_account_settings, disable).output["MinimumThroughputBillingCommitment"];
  CHECK(out["Status"] == "ENABLED_UNTIL_EARLIEST_ALLOWED_END");
  CHECK_FALSE(out.contains("EndedAt"));
  f.advance(std::chrono::hours(23));
  out = f.call(api::kinesis::describe_account_settings, json::object()).output["MinimumThroughputBillingCommitment"];
  CHECK(out["Status"] == "DISABLED");
  CHECK(out["EndedAt"] == started + 24 * 3600 * 1000);
}
