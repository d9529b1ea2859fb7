#include "api/protocol/query_versions.h"

#include <doctest/doctest.h>

using namespace shoal::api;

namespace {

std::optional<AwsError> check(const char* action, std::optional<std::string> version) {
  return check_query_version(action, version ? &*version : nullptr);
}

}  // namespace

TEST_CASE("every action runs under 2012-11-05") {
  for (const char* action : {"CreateQueue", "SendMessageBatch", "GetQueueUrl", "PurgeQueue", "TagQueue",
                             "ListDeadLetterSourceQueues", "StartMessageMoveTask"}) {
    CAPTURE(action);
    CHECK_FALSE(check(action, "2012-11-05"));
  }
}

TEST_CASE("without Version only the original 2009-02-01 actions run") {
  for (const char* action :
       {"CreateQueue", "ListQueues", "DeleteQueue", "GetQueueAttributes", "SetQueueAttributes", "SendMessage",
        "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "AddPermission", "RemovePermission"}) {
    CAPTURE(action);
    CHECK_FALSE(check(action, std::nullopt));
  }
  auto batch = check("DeleteMessageBatch", std::nullopt);
  REQUIRE(batch);
  CHECK(batch->code == "InvalidAction");
  CHECK(batch->http_status == 400);
  CHECK(batch->sender_fault);
  CHECK(batch->message == "The action DeleteMessageBatch is not valid for this endpoint.");
  CHECK(check("GetQueueUrl", std::nullopt));
  CHECK(check("PurgeQueue", std::nullopt));
  CHECK(check("ListQueueTags", std::nullopt));
}

TEST_CASE("2011-10-01 adds GetQueueUrl and the batch actions, not what came later") {
  CHECK_FALSE(check("SendMessageBatch", "2011-10-01"));
  CHECK_FALSE(check("GetQueueUrl", "2011-10-01"));
  CHECK_FALSE(check("SendMessage", "2011-10-01"));
  CHECK(check("PurgeQueue", "2011-10-01")->code == "InvalidAction");
  CHECK(check("ChangeMessageVisibilityBatch", "2009-02-01")->code == "InvalidAction");
}

TEST_CASE("a Version that is no date is MalformedVersion; an unknown date NoSuchVersion") {
  auto malformed = check("ListQueues", "latest");
  REQUIRE(malformed);
  CHECK(malformed->code == "MalformedVersion");
  CHECK(malformed->message == "Version not well formed: latest.");
  CHECK(check("ListQueues", "")->code == "MalformedVersion");
  CHECK(check("ListQueues", "2012-11-5")->code == "MalformedVersion");
  auto unknown = check("ListQueues", "2099-01-01");
  REQUIRE(unknown);
  CHECK(unknown->code == "NoSuchVersion");
  CHECK(unknown->http_status == 400);
  CHECK(unknown->message == "The requested version (2099-01-01) of service AmazonSQS does not exist.");
  CHECK(check("ListQueues", "2008-01-01")->code == "NoSuchVersion");  // retired
}
