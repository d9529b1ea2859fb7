// FaultRules: matching by service, action and resource; probability drawn
// from the rule's seed (same seed, same choices); count-limited rules remove
// themselves; effects of several rules combine.
#include "api/control/fault_rules.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

namespace shoal::api {

TEST_CASE("no rules: nothing fires") {
  FaultRules rules;
  CHECK_FALSE(rules.check("sqs", "SendMessage", "q").any());
}

TEST_CASE("a rule matches only its service, action and resource") {
  FaultRules rules;
  FaultRule r;
  r.service = "kinesis";
  r.action = "PutRecord";
  r.resource = "events";
  r.error = "ProvisionedThroughputExceededException";
  rules.add(r);
  CHECK_FALSE(rules.check("sqs", "PutRecord", "events").any());
  CHECK_FALSE(rules.check("kinesis", "PutRecords", "events").any());
  CHECK_FALSE(rules.check("kinesis", "PutRecord", "other").any());
  auto d = rules.check("kinesis", "PutRecord", "events");
  REQUIRE(d.error_rule);
  CHECK(d.error_rule->error == "ProvisionedThroughputExceededException");
  auto listed = rules.list();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].matched == 1);
  CHECK(listed[0].fired == 1);
}

TEST_CASE("count limits a rule to the next N matching calls, then it is gone") {
  FaultRules rules;
  FaultRule r;
  r.error = "InternalFailure";
  r.remaining = 2;
  rules.add(r);
  CHECK(rules.check("sqs", "SendMessage", "").error_rule);
  CHECK(rules.check("sqs", "SendMessage", "").error_rule);
  CHECK_FALSE(rules.check("sqs", "SendMessage", "").any());
  CHECK(rules.list().empty());
}

std::vector<bool> pattern(std::uint64_t seed) {
  FaultRules rules;
  FaultRule r;
  r.error = "RequestThrottled";
  r.probability = 0.5;
  r.seed = seed;
  rules.add(r);
  std::vector<bool> out;
  for (int i = 0; i < 64; ++i) out.push_back(rules.check("sqs", "ReceiveMessage", "q").any());
  return out;
}

TEST_CASE(
    "a seeded rule makes the same choices every time; another seed makes "
    "others") {
  const auto a = pattern(42);
  CHECK(a == pattern(42));
  CHECK(a != pattern(43));
  const auto fired = std::count(a.begin(), a.end(), true);
  CHECK(fired > 10);  // about half of 64
  CHECK(fired < 54);
}

TEST_CASE("probability 0 never fires but still counts matches") {
  FaultRules rules;
  FaultRule r;
  r.error = "InternalFailure";
  r.probability = 0;
  rules.add(r);
  for (int i = 0; i < 20; ++i) CHECK_FALSE(rules.check("sqs", "SendMessage", "").any());
  CHECK(rules.list()[0].matched == 20);
  CHECK(rules.list()[0].fired == 0);
}

TEST_CASE(
    "latencies add up, the first error wins and spares later error "
    "rules, any drop drops") {
  FaultRules rules;
  FaultRule slow;
  slow.latency = std::chrono::milliseconds(100);
  rules.add(slow);
  FaultRule first;
  first.error = "ThrottlingException";
  first.latency = std::chrono::milliseconds(20);
  rules.add(first);
  FaultRule second;
  second.error = "InternalFailure";
  rules.add(second);
  auto d = rules.check("kinesis", "GetRecords", "s");
  CHECK(d.latency == std::chrono::milliseconds(120));
  REQUIRE(d.error_rule);
  CHECK(d.error_rule->error == "ThrottlingException");
  CHECK_FALSE(d.drop_connection);
  // The second error rule did not see the call.
  CHECK(rules.list()[2].matched == 0);
  FaultRule drop;
  drop.drop_connection = true;
  rules.add(drop);
  CHECK(rules.check("kinesis", "GetRecords", "s").drop_connection);
}

TEST_CASE("remove and clear") {
  FaultRules rules;
  FaultRule r;
  r.error = "InternalFailure";
  const auto id = rules.add(r);
  rules.add(r);
  CHECK(rules.remove(id));
  CHECK_FALSE(rules.remove(id));
  CHECK(rules.list().size() == 1);
  CHECK(rules.clear() == 1);
  CHECK_FALSE(rules.check("sqs", "SendMessage", "").any());
}

}  // namespace shoal::api
