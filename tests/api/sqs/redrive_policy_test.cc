// RedrivePolicy / RedriveAllowPolicy parsing with AWS's errors, the dead-letter
// target checks against a registry, queue ARNs, and move-task handles.
#include "api/sqs/redrive_policy.h"

#include <doctest/doctest.h>

#include "api/sqs/move_task_codec.h"
#include "api/sqs/queue_address.h"

using namespace shoal;

namespace {

const std::string kDlqArn = "arn:aws:sqs:us-east-1:111111111111:dlq";

std::string reason_of(const std::string& policy) {
  storage::QueueAttributes a;
  auto error = api::sqs::parse_redrive_policy(policy, a);
  REQUIRE(error);
  CHECK(error->code == "InvalidParameterValueException");
  CHECK(error->legacy_code() == "InvalidParameterValue");
  CHECK_FALSE(a.dead_letter);
  const std::string prefix = "Value " + policy + " for parameter RedrivePolicy is invalid. Reason: ";
  REQUIRE(error->message.starts_with(prefix));
  return error->message.substr(prefix.size());
}

}  // namespace

TEST_CASE("a redrive policy becomes the typed target and is stored normalized") {
  storage::QueueAttributes a;
  CHECK_FALSE(api::sqs::parse_redrive_policy(R"({"maxReceiveCount": "7", "deadLetterTargetArn": ")" + kDlqArn + "\"}", a));
  REQUIRE(a.dead_letter);
  CHECK(a.dead_letter->queue == storage::QueueKey{"111111111111", "us-east-1", "dlq"});
  CHECK(a.dead_letter->max_receive_count == 7);
  CHECK(a.redrive_policy == R"({"deadLetterTargetArn":")" + kDlqArn + R"(","maxReceiveCount":7})");
  CHECK_FALSE(api::sqs::parse_redrive_policy("", a));
  CHECK_FALSE(a.dead_letter);
  CHECK(a.redrive_policy.empty());
}

TEST_CASE("invalid redrive policies get AWS's reasons, checked in AWS's order") {
  CHECK(reason_of("{}") == "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  CHECK(reason_of(R"({"maxReceiveCount":1})") ==
        "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  CHECK(reason_of(R"({"maxReceiveCount":1001,"deadLetterTargetArn":"x"})") ==
        "Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive.");
  CHECK(reason_of(R"({"maxReceiveCount":"1.5","deadLetterTargetArn":"x"})") ==
        "Invalid value for maxReceiveCount: 1.5, valid values are from 1 to 1000 both inclusive.");
  CHECK(reason_of(R"({"maxReceiveCount":1,"deadLetterTargetArn":"arn:aws:sns:us-east-1:111111111111:t"})") ==
        "Dead-letter target ARN should be fully qualified ARN.");
  CHECK(reason_of(R"({"maxReceiveCount":1,"deadLetterTargetArn":")" + kDlqArn + R"(","x":1})") ==
        "Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].");
  storage::QueueAttributes a;
  auto not_map = api::sqs::parse_redrive_policy("5", a);
  REQUIRE(not_map);
  CHECK(not_map->message == "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.");
}

TEST_CASE("redrive allow policies: permissions, byQueue needs 1 to 10 ARNs, ARNs only with byQueue") {
  storage::QueueAttributes a;
  CHECK_FALSE(api::sqs::parse_redrive_allow_policy(R"({"redrivePermission":"denyAll"})", a));
  CHECK(a.redrive_allow_policy == R"({"redrivePermission":"denyAll"})");
  CHECK_FALSE(api::sqs::parse_redrive_allow_policy(
      R"({"redrivePermission":"byQueue","sourceQueueArns":[")" + kDlqArn + "\"]}", a));
  for (const char* bad : {R"({"redrivePermission":"some"})", R"({"sourceQueueArns":[]})", "[]", "nope",
                          R"({"redrivePermission":"byQueue"})", R"({"redrivePermission":"allowAll","sourceQueueArns":["a"]})",
                          R"({"redrivePermission":"byQueue","sourceQueueArns":["1","2","3","4","5","6","7","8","9","10","11"]})"}) {
    storage::QueueAttributes b;
    auto error = api::sqs::parse_redrive_allow_policy(bad, b);
    REQUIRE_MESSAGE(error, bad);
    CHECK(error->legacy_code() == "InvalidParameterValue");
    CHECK(error->message.find("RedriveAllowPolicy") != std::string::npos);
    CHECK(b.redrive_allow_policy.empty());
  }
}

TEST_CASE("the dead-letter target must exist, match the type and owner, and admit the source") {
  storage::ManualClock clock;
  storage::QueueRegistry queues(clock);
  storage::QueueAttributes fifo;
  fifo.fifo = true;
  queues.create({"111111111111", "us-east-1", "dlq"}, {}, {});
  queues.create({"111111111111", "us-east-1", "dlq.fifo"}, fifo, {});
  storage::QueueAttributes deny;
  deny.redrive_allow_policy = R"({"redrivePermission":"denyAll"})";
  queues.create({"111111111111", "us-east-1", "deny"}, deny, {});
  storage::QueueAttributes by_queue;
  by_queue.redrive_allow_policy =
      R"({"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:111111111111:src"]})";
  queues.create({"111111111111", "us-east-1", "byq"}, by_queue, {});

  auto check = [&](const std::string& arn, const storage::QueueKey& from = {"111111111111", "us-east-1", "src"}) {
    storage::QueueAttributes wanted;
    const std::string text = R"({"deadLetterTargetArn":")" + arn + R"(","maxReceiveCount":3})";
    REQUIRE_FALSE(api::sqs::parse_redrive_policy(text, wanted));
    auto error = api::sqs::check_dead_letter_target(queues, from, wanted, text);
    return error ? error->message.substr(error->message.find("Reason: ") + 8) : std::string();
  };
  CHECK(check(kDlqArn).empty());
  CHECK(check("arn:aws:sqs:us-east-1:111111111111:nope") == "Dead letter target does not exist.");
  CHECK(check("arn:aws:sqs:eu-west-1:111111111111:dlq") == "Dead letter target does not exist.");
  CHECK(check("arn:aws:sqs:us-east-1:222222222222:dlq") == "Dead-letter target owner should be same as the source.");
  CHECK(check(kDlqArn + ".fifo") == "Dead-letter queue must be same type of queue as the source.");
  CHECK_FALSE(check("arn:aws:sqs:us-east-1:111111111111:deny").empty());
  CHECK(check("arn:aws:sqs:us-east-1:111111111111:byq").empty());
  CHECK_FALSE(check("arn:aws:sqs:us-east-1:111111111111:byq", {"111111111111", "us-east-1", "other"}).empty());
}

TEST_CASE("queue ARNs parse back to keys; anything else does not") {
  auto key = api::sqs::parse_queue_arn("arn:aws:sqs:eu-west-1:123456789012:jobs.fifo");
  REQUIRE(key);
  CHECK(*key == storage::QueueKey{"123456789012", "eu-west-1", "jobs.fifo"});
  CHECK(api::sqs::queue_arn(*key) == "arn:aws:sqs:eu-west-1:123456789012:jobs.fifo");
  for (const char* bad : {"dummy", "arn:aws:sns:eu-west-1:123456789012:t", "arn:aws:sqs:eu-west-1:1234:q",
                          "arn:aws:sqs:eu-west-1:123456789012:", "arn:aws:sqs:eu-west-1:123456789012:a:b",
                          "arn:xyz:sqs:eu-west-1:123456789012:q"}) {
    CHECK_MESSAGE(!api::sqs::parse_queue_arn(bad), bad);
  }
}

TEST_CASE("task handles carry the task id and source ARN and decode back") {
  storage::MoveTask task;
  task.id = "10f57157-fc38-4da9-a113-4de7e12d05dd";
  task.source = {"111111111111", "us-east-1", "dlq"};
  auto decoded = api::sqs::decode_task_handle(api::sqs::encode_task_handle(task));
  REQUIRE(decoded);
  CHECK(decoded->task_id == task.id);
  CHECK(decoded->source_arn == kDlqArn);
  CHECK_FALSE(api::sqs::decode_task_handle("foobared"));
  CHECK_FALSE(api::sqs::decode_task_handle("e30="));  // {}
}

TEST_CASE("a task renders TaskHandle only while running and optional members only when set") {
  storage::MoveTask task;
  task.id = "t";
  task.source = {"111111111111", "us-east-1", "dlq"};
  task.to_move = 10;
  task.moved = 2;
  auto running = api::sqs::render_move_task(task);
  CHECK(running["Status"] == "RUNNING");
  CHECK(running.contains("TaskHandle"));
  CHECK_FALSE(running.contains("DestinationArn"));
  CHECK_FALSE(running.contains("MaxNumberOfMessagesPerSecond"));
  CHECK_FALSE(running.contains("FailureReason"));
  task.status = storage::MoveTaskStatus::kFailed;
  task.failure_reason = "AWS.SimpleQueueService.NonExistentQueue";
  task.destination = storage::QueueKey{"111111111111", "us-east-1", "dest"};
  task.max_per_second = 5;
  auto failed = api::sqs::render_move_task(task);
  CHECK(failed["Status"] == "FAILED");
  CHECK_FALSE(failed.contains("TaskHandle"));
  CHECK(failed["DestinationArn"] == "arn:aws:sqs:us-east-1:111111111111:dest");
  CHECK(failed["MaxNumberOfMessagesPerSecond"] == 5);
  CHECK(failed["FailureReason"] == "AWS.SimpleQueueService.NonExistentQueue");
  CHECK(failed["ApproximateNumberOfMessagesMoved"] == 2);
  CHECK(failed["ApproximateNumberOfMessagesToMove"] == 10);
}
