#include "api/sqs/queue_attributes_codec.h"

#include <doctest/doctest.h>

using namespace shoal;
using api::sqs::AttributeUse;

TEST_CASE("queue attributes parse within AWS's ranges") {
  storage::QueueAttributes a;
  auto error = api::sqs::apply_queue_attributes(
      {{"VisibilityTimeout", "45"}, {"DelaySeconds", "900"}, {"MessageRetentionPeriod", "60"}}, AttributeUse::kCreate,
      a);
  CHECK_FALSE(error);
  CHECK(a.visibility_timeout.count() == 45);
  CHECK(a.delay.count() == 900);
  CHECK(a.message_retention.count() == 60);

  for (auto [name, value] : std::initializer_list<std::pair<const char*, const char*>>{
           {"VisibilityTimeout", "43201"}, {"DelaySeconds", "-1"}, {"MessageRetentionPeriod", "59"},
           {"MaximumMessageSize", "1023"}, {"ReceiveMessageWaitTimeSeconds", "21"}, {"VisibilityTimeout", "x"}}) {
    storage::QueueAttributes b;
    auto invalid = api::sqs::apply_queue_attributes({{name, value}}, AttributeUse::kSet, b);
    REQUIRE(invalid);
    CHECK(invalid->code == "InvalidAttributeValue");
    CHECK(invalid->message == std::string("Invalid value for the parameter ") + name + ".");
  }
}

TEST_CASE("FIFO-only attributes on a standard queue get AWS's words") {
  storage::QueueAttributes a;
  auto e1 = api::sqs::apply_queue_attributes({{"ContentBasedDeduplication", "true"}}, AttributeUse::kCreate, a);
  REQUIRE(e1);
  CHECK(e1->message == "Unknown Attribute ContentBasedDeduplication.");
  auto e2 = api::sqs::apply_queue_attributes({{"DeduplicationScope", "queue"}}, AttributeUse::kCreate, a);
  REQUIRE(e2);
  CHECK(e2->message == "You can specify the DeduplicationScope only when FifoQueue is set to true.");
  auto e3 = api::sqs::apply_queue_attributes({{"FifoQueue", "true"}}, AttributeUse::kSet, a);
  REQUIRE(e3);
  CHECK(e3->code == "InvalidAttributeName");
  CHECK(e3->message == "Unknown Attribute FifoQueue.");
}

TEST_CASE("read-only and unknown attributes cannot be set") {
  storage::QueueAttributes a;
  auto e = api::sqs::apply_queue_attributes({{"QueueArn", "x"}}, AttributeUse::kSet, a);
  REQUIRE(e);
  CHECK(e->message == "Unknown Attribute QueueArn.");
}

TEST_CASE("the first differing attribute is named, equal values are not") {
  storage::QueueAttributes existing;
  existing.delay = std::chrono::seconds(5);
  CHECK_FALSE(api::sqs::first_differing_attribute({{"DelaySeconds", "5"}}, existing));
  CHECK(api::sqs::first_differing_attribute({{"DelaySeconds", "6"}}, existing) == "DelaySeconds");
  CHECK(api::sqs::first_differing_attribute({{"VisibilityTimeout", "30"}, {"MaximumMessageSize", "2048"}},
                                            existing) == "MaximumMessageSize");
}

TEST_CASE("rendering lists defaults, counts and the ARN, and FIFO attributes only on FIFO queues") {
  storage::ManualClock clock;
  storage::Queue queue({"000000000000", "us-east-1", "q"}, {}, {}, clock);
  auto all = api::sqs::render_queue_attributes(queue, {"All"});
  CHECK(all["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:q");
  CHECK(all["VisibilityTimeout"] == "30");
  CHECK(all["MaximumMessageSize"] == "1048576");
  CHECK(all["MessageRetentionPeriod"] == "345600");
  CHECK(all["SqsManagedSseEnabled"] == "true");
  CHECK(all["ApproximateNumberOfMessages"] == "0");
  CHECK_FALSE(all.contains("FifoQueue"));
  CHECK_FALSE(all.contains("Policy"));
  auto one = api::sqs::render_queue_attributes(queue, {"DelaySeconds"});
  CHECK(one.size() == 1);
}
