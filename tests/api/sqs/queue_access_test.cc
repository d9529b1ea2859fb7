// Cross-account access to SQS queues: the owner always, another account only
// for shared actions the queue's policy allows, batches as their single form,
// and AddPermission's list of nameable actions.
#include "api/sqs/queue_access.h"

#include <doctest/doctest.h>

#include "storage/clock.h"

using namespace shoal;

namespace {

const storage::QueueKey kKey{"111111111111", "us-east-1", "jobs"};

api::RequestContext caller(const std::string& account) {
  return api::RequestContext{"req", account, account, "us-east-1", "localhost"};
}

struct Fixture {
  storage::ManualClock clock;
  storage::Queue queue{kKey, storage::QueueAttributes{}, {}, clock};

  void set_policy(std::string policy) {
    auto a = queue.attributes();
    a.policy = std::move(policy);
    queue.set_attributes(std::move(a));
  }
  std::optional<api::AwsError> check(const std::string& account, std::string_view action) {
    return api::sqs::check_queue_access(caller(account), action, kKey, &queue);
  }
};

}  // namespace

TEST_CASE("the owner may do anything; another account nothing without a policy") {
  Fixture f;
  CHECK_FALSE(f.check("111111111111", "DeleteQueue"));
  CHECK_FALSE(f.check("111111111111", "SendMessage"));
  const auto denied = f.check("222222222222", "SendMessageBatch");
  REQUIRE(denied);
  CHECK(denied->code == "AccessDeniedException");
  CHECK(denied->legacy_code() == "AccessDenied");
  CHECK(denied->http_status == 403);
  CHECK(denied->sender_fault);
  CHECK(denied->message ==
        "User: arn:aws:iam::222222222222:root is not authorized to perform: sqs:sendmessage on resource: "
        "arn:aws:sqs:us-east-1:111111111111:jobs because no resource-based policy allows the sqs:sendmessage action");
}

TEST_CASE("a queue of another account that does not exist is refused like one that does") {
  const auto denied = api::sqs::check_queue_access(caller("222222222222"), "GetQueueUrl", kKey, nullptr);
  REQUIRE(denied);
  CHECK(denied->code == "AccessDeniedException");
  CHECK_FALSE(api::sqs::check_queue_access(caller("111111111111"), "GetQueueUrl", kKey, nullptr));
}

TEST_CASE("a grant covers its action and the action's batch, and never owner-only actions") {
  Fixture f;
  f.set_policy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},)"
               R"("Action":"sqs:*","Resource":"arn:aws:sqs:us-east-1:111111111111:jobs"},)"
               R"({"Effect":"Deny","Principal":"*","Action":"sqs:PurgeQueue","Resource":"*"}]})");
  for (const char* action : {"SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage",
                             "DeleteMessageBatch", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch",
                             "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues"}) {
    CAPTURE(action);
    CHECK_FALSE(f.check("222222222222", action));
  }
  for (const char* action : {"DeleteQueue", "SetQueueAttributes", "AddPermission", "RemovePermission", "TagQueue",
                             "UntagQueue", "ListQueueTags"}) {
    CAPTURE(action);
    CHECK(f.check("222222222222", action));
  }
  const auto purge = f.check("222222222222", "PurgeQueue");
  REQUIRE(purge);
  CHECK(purge->message.ends_with("with an explicit deny in a resource-based policy"));
  CHECK(f.check("333333333333", "SendMessage"));
  CHECK_FALSE(f.check("111111111111", "PurgeQueue"));  // the owner is not bound by its queue's policy
}

TEST_CASE("batches are authorized as their single form") {
  using api::sqs::permission_action;
  CHECK(permission_action("SendMessageBatch") == "SendMessage");
  CHECK(permission_action("DeleteMessageBatch") == "DeleteMessage");
  CHECK(permission_action("ChangeMessageVisibilityBatch") == "ChangeMessageVisibility");
  CHECK(permission_action("SendMessage") == "SendMessage");
  CHECK(permission_action("PurgeQueueBatch") == "PurgeQueueBatch");
}

TEST_CASE("AddPermission names * or shared actions; owner-only and unknown names get AWS's reasons") {
  using api::sqs::add_permission_refusal;
  CHECK_FALSE(add_permission_refusal("*"));
  CHECK_FALSE(add_permission_refusal("SendMessage"));
  CHECK_FALSE(add_permission_refusal("GetQueueUrl"));
  CHECK(add_permission_refusal("CreateQueue") == "Only the queue owner is allowed to invoke this action.");
  CHECK(add_permission_refusal("SetQueueAttributes") == "Only the queue owner is allowed to invoke this action.");
  CHECK(add_permission_refusal("SendMessageBatch") ==
        "Please refer to the appropriate WSDL for a list of valid actions.");
  CHECK(add_permission_refusal("sendmessage") == "Please refer to the appropriate WSDL for a list of valid actions.");
}
