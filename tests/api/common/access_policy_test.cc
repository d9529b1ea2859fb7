// The resource-policy evaluator: principals, actions and resources as IAM
// matches them, Deny over Allow, and the cross-account verdict.
#include "api/common/access_policy.h"

#include <string>

#include <doctest/doctest.h>

namespace {

using shoal::api::Access;
using shoal::api::decide_access;
using shoal::api::evaluate_policy;
using shoal::api::is_allowed;
using shoal::api::not_authorized_message;
using shoal::api::PolicyEffect;

constexpr const char* kA = "111111111111";
constexpr const char* kB = "222222222222";
constexpr const char* kQueue = "arn:aws:sqs:us-east-1:111111111111:jobs";

std::string statement_policy(const std::string& statement) {
  return R"({"Version":"2012-10-17","Statement":[)" + statement + "]}";
}

}  // namespace

TEST_CASE("AddPermission's statement lets the named account do the named action, and nothing more") {
  const auto policy = statement_policy(
      R"({"Sid":"send","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},)"
      R"("Action":"SQS:SendMessage","Resource":"arn:aws:sqs:us-east-1:111111111111:jobs"})");
  CHECK(is_allowed(policy, kB, "sqs:SendMessage", kQueue));
  CHECK(is_allowed(policy, kB, "sqs:sendmessage", kQueue));  // actions are case-insensitive
  CHECK_FALSE(is_allowed(policy, kB, "sqs:PurgeQueue", kQueue));
  CHECK_FALSE(is_allowed(policy, kB, "sqs:SendMessageX", kQueue));
  CHECK_FALSE(is_allowed(policy, "333333333333", "sqs:SendMessage", kQueue));
  CHECK_FALSE(is_allowed(policy, kB, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:other"));
}

TEST_CASE("principals: *, a bare account id, any IAM or STS ARN of the account, lists") {
  auto allows = [](const std::string& principal) {
    return is_allowed(statement_policy(R"({"Effect":"Allow","Principal":)" + principal +
                                       R"(,"Action":"sqs:*","Resource":"*"})"),
                      kB, "sqs:ReceiveMessage", kQueue);
  };
  CHECK(allows(R"("*")"));
  CHECK(allows(R"({"AWS":"*"})"));
  CHECK(allows(R"({"AWS":"222222222222"})"));
  CHECK(allows(R"({"AWS":"arn:aws:iam::222222222222:root"})"));
  CHECK(allows(R"({"AWS":"arn:aws:iam::222222222222:role/worker"})"));
  CHECK(allows(R"({"AWS":"arn:aws:sts::222222222222:assumed-role/worker/session"})"));
  CHECK(allows(R"({"AWS":["333333333333","arn:aws:iam::222222222222:root"]})"));
  CHECK_FALSE(allows(R"({"AWS":"arn:aws:iam::333333333333:root"})"));
  CHECK_FALSE(allows(R"({"AWS":"arn:aws:s3:::222222222222"})"));
  CHECK_FALSE(allows(R"({"Service":"sns.amazonaws.com"})"));
  CHECK_FALSE(allows(R"("222222222222")"));  // a bare string other than "*" is no principal
}

TEST_CASE("actions and resources take lists and * ? wildcards; resources are case-sensitive") {
  const auto policy = statement_policy(
      R"({"Effect":"Allow","Principal":"*","Action":["sqs:Send*","sqs:Get?ueueUrl"],)"
      R"("Resource":["arn:aws:sqs:*:111111111111:jo*"]})");
  CHECK(is_allowed(policy, kB, "sqs:SendMessage", kQueue));
  CHECK(is_allowed(policy, kB, "sqs:GetQueueUrl", kQueue));
  CHECK_FALSE(is_allowed(policy, kB, "sqs:ReceiveMessage", kQueue));
  CHECK_FALSE(is_allowed(policy, kB, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:Jobs"));
  CHECK(is_allowed(statement_policy(R"({"Effect":"Allow","Principal":"*","Action":"*"})"), kB, "kinesis:PutRecord",
                   "arn:aws:kinesis:us-east-1:111111111111:stream/s"));
}

TEST_CASE("an explicit Deny wins over any Allow, in either order") {
  const std::string allow = R"({"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sqs:*","Resource":"*"})";
  const std::string deny = R"({"Effect":"Deny","Principal":"*","Action":"sqs:PurgeQueue","Resource":"*"})";
  for (const auto& policy : {statement_policy(allow + "," + deny), statement_policy(deny + "," + allow)}) {
    CHECK(evaluate_policy(policy, kB, "sqs:PurgeQueue", kQueue) == PolicyEffect::kDeny);
    CHECK(evaluate_policy(policy, kB, "sqs:SendMessage", kQueue) == PolicyEffect::kAllow);
  }
}

TEST_CASE("Not elements invert; a Statement object works like a one-element list") {
  const auto policy = R"({"Statement":{"Effect":"Allow","Principal":"*","NotAction":"sqs:PurgeQueue",)"
                      R"("NotResource":"arn:aws:sqs:*:*:secret"}})";
  CHECK(is_allowed(policy, kB, "sqs:SendMessage", kQueue));
  CHECK_FALSE(is_allowed(policy, kB, "sqs:PurgeQueue", kQueue));
  CHECK_FALSE(is_allowed(policy, kB, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:secret"));
  const auto all_but_a = statement_policy(
      R"({"Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"sqs:*","Resource":"*"})");
  CHECK(evaluate_policy(all_but_a, kB, "sqs:SendMessage", kQueue) == PolicyEffect::kDeny);
  CHECK(evaluate_policy(all_but_a, kA, "sqs:SendMessage", kQueue) == PolicyEffect::kNone);
}

TEST_CASE("a statement with a Condition never applies; broken or empty policies apply nothing") {
  CHECK(evaluate_policy(statement_policy(R"({"Effect":"Allow","Principal":"*","Action":"sqs:*","Resource":"*",)"
                                         R"("Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:x"}}})"),
                        kB, "sqs:SendMessage", kQueue) == PolicyEffect::kNone);
  CHECK(evaluate_policy(statement_policy(R"({"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*",)"
                                         R"("Condition":{"Bool":{"aws:SecureTransport":"false"}}})"),
                        kB, "sqs:SendMessage", kQueue) == PolicyEffect::kNone);
  for (const char* broken : {"", "{", "[]", R"({"Statement":3})", R"({"Statement":[1,"x",null]})",
                             R"({"Statement":[{"Effect":"Allow","Action":"sqs:*"}]})",
                             R"({"Statement":[{"Effect":"allow","Principal":"*","Action":"sqs:*"}]})",
                             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":7}]})"}) {
    CAPTURE(broken);
    CHECK(evaluate_policy(broken, kB, "sqs:SendMessage", kQueue) == PolicyEffect::kNone);
  }
}

TEST_CASE("wildcard matching stays quick on hostile patterns") {
  const std::string pattern = "sqs:" + std::string(2000, '*') + "x";
  const auto policy =
      statement_policy(R"({"Effect":"Allow","Principal":"*","Action":")" + pattern + R"(","Resource":"*"})");
  CHECK_FALSE(is_allowed(policy, kB, "sqs:" + std::string(2000, 'a'), kQueue));
}

TEST_CASE("decide_access: the owner always, another account only for shared actions its policy allows") {
  const auto policy = statement_policy(
      R"({"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sqs:*","Resource":"*"},)"
      R"({"Effect":"Deny","Principal":"*","Action":"sqs:PurgeQueue","Resource":"*"})");
  CHECK(decide_access(kA, kA, false, "", "sqs:DeleteQueue", kQueue) == Access::kGranted);
  CHECK(decide_access(kA, kA, true, policy, "sqs:PurgeQueue", kQueue) == Access::kGranted);
  CHECK(decide_access(kB, kA, true, policy, "sqs:SendMessage", kQueue) == Access::kGranted);
  CHECK(decide_access(kB, kA, false, policy, "sqs:DeleteQueue", kQueue) == Access::kNotGranted);
  CHECK(decide_access(kB, kA, true, policy, "sqs:PurgeQueue", kQueue) == Access::kExplicitlyDenied);
  CHECK(decide_access(kB, kA, true, "", "sqs:SendMessage", kQueue) == Access::kNotGranted);
}

TEST_CASE("the refusal is worded as AWS words it") {
  CHECK(not_authorized_message(kB, "kinesis:PutRecord", "arn:aws:kinesis:us-east-1:111111111111:stream/s",
                               Access::kNotGranted) ==
        "User: arn:aws:iam::222222222222:root is not authorized to perform: kinesis:PutRecord on resource: "
        "arn:aws:kinesis:us-east-1:111111111111:stream/s because no resource-based policy allows the "
        "kinesis:PutRecord action");
  CHECK(not_authorized_message(kB, "sqs:purgequeue", kQueue, Access::kExplicitlyDenied) ==
        "User: arn:aws:iam::222222222222:root is not authorized to perform: sqs:purgequeue on resource: "
        "arn:aws:sqs:us-east-1:111111111111:jobs with an explicit deny in a resource-based policy");
}
