"""SQS dead-letter queues, redrive and message move tasks against the real
binary, driven by boto3 (AWS JSON 1.0): RedrivePolicy and RedriveAllowPolicy
validation, the move of a message past maxReceiveCount (standard and FIFO),
ListDeadLetterSourceQueues, and StartMessageMoveTask / ListMessageMoveTasks /
CancelMessageMoveTask. Expected wording comes from real-AWS recordings
(aws-reference/localstack-snapshots: test_dead_letter_queue_message_attributes
and test_sqs_move_task.*). The rate arithmetic is covered on a manual clock by
tests/storage/queue/move_tasks_test.cc; here a rate of 1 message per second
only keeps a task running long enough to look at it.
"""

import base64
import json
import time
import unittest
import uuid

from botocore.exceptions import ClientError

from shoal_server import ServerTestCase
from test_sqs_messages import sqs_client

ACCOUNT = "000000000000"
REGION = "us-east-1"


def arn_of(name):
    return "arn:aws:sqs:%s:%s:%s" % (REGION, ACCOUNT, name)


def task_handle(task_id, source_arn):
    return base64.b64encode(json.dumps({"taskId": task_id, "sourceArn": source_arn}).encode()).decode()


class DlqTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sqs = sqs_client(cls.server.endpoint)

    def new_queue(self, prefix="q", fifo=False, **attributes):
        name = "%s-%s%s" % (prefix, uuid.uuid4().hex[:12], ".fifo" if fifo else "")
        attrs = {k: v if isinstance(v, str) else json.dumps(v) for k, v in attributes.items()}
        if fifo:
            attrs["FifoQueue"] = "true"
        url = self.sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        return url, arn_of(name)

    def pipe(self, max_receive_count=1, fifo=False):
        """(source url, dlq url, dlq arn): source --maxReceiveCount--> dlq."""
        dlq_url, dlq_arn = self.new_queue("dlq", fifo=fifo)
        src_url, src_arn = self.new_queue(
            "src", fifo=fifo, RedrivePolicy={"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})
        return src_url, src_arn, dlq_url, dlq_arn

    def drive_to_dlq(self, src_url, count):
        """Receives every message of src twice (maxReceiveCount 1): all move to the DLQ."""
        for _ in range(count + 1):
            self.sqs.receive_message(QueueUrl=src_url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        self.sqs.receive_message(QueueUrl=src_url, MaxNumberOfMessages=10, VisibilityTimeout=0)

    def count(self, url):
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        return int(attrs["Attributes"]["ApproximateNumberOfMessages"])

    def assert_error(self, cm, code, message=None, status=400):
        err = cm.exception.response["Error"]
        self.assertEqual(err.get("Code"), code, cm.exception.response)
        if message is not None:
            self.assertEqual(err.get("Message"), message)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)


class RedrivePolicyTest(DlqTestCase):
    def set_policy(self, url, policy):
        text = policy if isinstance(policy, str) else json.dumps(policy)
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": text})

    def test_policy_is_stored_normalized_and_cleared_by_empty_string(self):
        url, _ = self.new_queue()
        _, dlq_arn = self.new_queue("dlq")
        self.set_policy(url, {"maxReceiveCount": "5", "deadLetterTargetArn": dlq_arn})
        got = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]
        self.assertEqual(json.loads(got["RedrivePolicy"]), {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})
        self.set_policy(url, "")
        got = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertNotIn("RedrivePolicy", got)

    def test_invalid_policies_are_invalid_parameter_value(self):
        url, _ = self.new_queue()
        _, dlq_arn = self.new_queue("dlq")
        cases = [
            ({"deadLetterTargetArn": dlq_arn}, "Redrive policy does not contain mandatory attribute: maxReceiveCount."),
            ({"maxReceiveCount": 3}, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn."),
            ({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 0},
             "Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive."),
            ({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1001},
             "Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive."),
            ({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "invalid"},
             "Invalid value for maxReceiveCount: invalid, valid values are from 1 to 1000 both inclusive."),
            ({"deadLetterTargetArn": "dummy", "maxReceiveCount": 3},
             "Dead-letter target ARN should be fully qualified ARN."),
            ({"deadLetterTargetArn": dlq_arn + "-nope", "maxReceiveCount": 3}, "Dead letter target does not exist."),
        ]
        for policy, reason in cases:
            text = json.dumps(policy)
            with self.subTest(policy=text), self.assertRaises(ClientError) as cm:
                self.set_policy(url, text)
            self.assert_error(cm, "InvalidParameterValue",
                              "Value %s for parameter RedrivePolicy is invalid. Reason: %s" % (text, reason))
        with self.assertRaises(ClientError) as cm:
            self.set_policy(url, "[1]")
        self.assert_error(cm, "InvalidParameterValue",
                          "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.")
        got = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertNotIn("RedrivePolicy", got)

    def test_dead_letter_queue_must_have_the_same_type(self):
        _, fifo_arn = self.new_queue("dlq", fifo=True)
        policy = json.dumps({"deadLetterTargetArn": fifo_arn, "maxReceiveCount": 3})
        with self.assertRaises(ClientError) as cm:
            self.new_queue(RedrivePolicy=policy)
        self.assert_error(cm, "InvalidParameterValue",
                          "Value %s for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same "
                          "type of queue as the source." % policy)

    def test_redrive_allow_policy_is_validated_and_enforced(self):
        url, _ = self.new_queue()
        for text in ['{"redrivePermission":"maybe"}', "[]", '{"redrivePermission":"byQueue"}',
                     json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [arn_of("q%d" % i) for i in range(11)]}),
                     json.dumps({"redrivePermission": "allowAll", "sourceQueueArns": [arn_of("x")]})]:
            with self.subTest(policy=text), self.assertRaises(ClientError) as cm:
                self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": text})
            self.assert_error(cm, "InvalidParameterValue")
        self.assertIn("as it\u2019s in an unsupported format", self.raise_for('{"redrivePermission":"maybe"}', url))
        self.assertIn("The maximum number of source queue ARNs you can specify is 10.", self.raise_for(
            json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [arn_of("q%d" % i) for i in range(11)]}), url))

        allowed_name = "allowed-" + uuid.uuid4().hex[:8]
        _, deny_arn = self.new_queue("deny", RedriveAllowPolicy={"redrivePermission": "denyAll"})
        _, by_queue_arn = self.new_queue(
            "byq", RedriveAllowPolicy={"redrivePermission": "byQueue", "sourceQueueArns": [arn_of(allowed_name)]})
        for target in (deny_arn, by_queue_arn):
            with self.subTest(target=target), self.assertRaises(ClientError) as cm:
                self.new_queue("other", RedrivePolicy={"deadLetterTargetArn": target, "maxReceiveCount": 2})
            self.assert_error(cm, "InvalidParameterValue")
        self.sqs.create_queue(QueueName=allowed_name, Attributes={
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": by_queue_arn, "maxReceiveCount": 2})})

    def raise_for(self, allow_policy, url):
        with self.assertRaises(ClientError) as cm:
            self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": allow_policy})
        return cm.exception.response["Error"]["Message"]


class DeadLetterMoveTest(DlqTestCase):
    def test_message_moves_with_its_id_attributes_and_source_arn(self):
        # The recorded AWS scenario: maxReceiveCount 1, each message received
        # once; the next receive moves both; the DLQ shows them with receive
        # count 2 and DeadLetterQueueSourceArn.
        src_url, src_arn, dlq_url, _ = self.pipe(1)
        first = self.sqs.send_message(QueueUrl=src_url, MessageBody="message-1",
                                      MessageAttributes={"MyAttribute": {"DataType": "String", "StringValue": "foobar"}},
                                      MessageSystemAttributes={"AWSTraceHeader": {
                                          "DataType": "String",
                                          "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"}})
        second = self.sqs.send_message(QueueUrl=src_url, MessageBody="message-2")
        before = self.sqs.receive_message(QueueUrl=src_url, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                          MessageSystemAttributeNames=["All"], MessageAttributeNames=["All"])["Messages"]
        self.assertEqual([m["Body"] for m in before], ["message-1", "message-2"])
        self.assertNotIn("DeadLetterQueueSourceArn", before[0]["Attributes"])
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=src_url, MaxNumberOfMessages=10))
        self.assertEqual(self.count(src_url), 0)

        moved = self.sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"],
                                         MessageAttributeNames=["All"])["Messages"]
        self.assertEqual([m["MessageId"] for m in moved], [first["MessageId"], second["MessageId"]])
        for old, new in zip(before, moved):
            self.assertEqual(new["Body"], old["Body"])
            self.assertEqual(new["MD5OfBody"], old["MD5OfBody"])
            self.assertEqual(new.get("MD5OfMessageAttributes"), old.get("MD5OfMessageAttributes"))
            self.assertEqual(new.get("MessageAttributes"), old.get("MessageAttributes"))
            self.assertEqual(new["Attributes"]["SentTimestamp"], old["Attributes"]["SentTimestamp"])
            self.assertEqual(new["Attributes"].get("AWSTraceHeader"), old["Attributes"].get("AWSTraceHeader"))
            self.assertEqual(new["Attributes"]["ApproximateReceiveCount"], "2")
            self.assertEqual(new["Attributes"]["DeadLetterQueueSourceArn"], src_arn)

    def test_fifo_dead_letter_queue_keeps_groups_in_order(self):
        src_url, _, dlq_url, _ = self.pipe(1, fifo=True)
        for body, group in (("a1", "a"), ("a2", "a"), ("b1", "b")):
            self.sqs.send_message(QueueUrl=src_url, MessageBody=body, MessageGroupId=group,
                                  MessageDeduplicationId=body)
        self.drive_to_dlq(src_url, 3)
        self.assertEqual(self.count(src_url), 0)
        got = self.sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10,
                                       MessageSystemAttributeNames=["All"])["Messages"]
        self.assertEqual([(m["Body"], m["Attributes"]["MessageGroupId"]) for m in got],
                         [("a1", "a"), ("a2", "a"), ("b1", "b")])

    def test_deleted_dead_letter_queue_leaves_messages_in_the_source(self):
        src_url, _, dlq_url, _ = self.pipe(1)
        self.sqs.send_message(QueueUrl=src_url, MessageBody="stay")
        self.sqs.receive_message(QueueUrl=src_url, VisibilityTimeout=0)
        self.sqs.delete_queue(QueueUrl=dlq_url)
        again = self.sqs.receive_message(QueueUrl=src_url, AttributeNames=["ApproximateReceiveCount"])["Messages"]
        self.assertEqual(again[0]["Body"], "stay")
        self.assertEqual(again[0]["Attributes"]["ApproximateReceiveCount"], "2")

    def test_list_dead_letter_source_queues_with_pagination(self):
        dlq_url, dlq_arn = self.new_queue("dlq")
        policy = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3}
        sources = sorted(self.new_queue("src%d" % i, RedrivePolicy=policy)[0] for i in range(3))
        self.new_queue("unrelated")
        self.assertEqual(sorted(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq_url)["queueUrls"]), sources)
        page = self.sqs.list_dead_letter_source_queues(QueueUrl=dlq_url, MaxResults=2)
        self.assertEqual(len(page["queueUrls"]), 2)
        rest = self.sqs.list_dead_letter_source_queues(QueueUrl=dlq_url, MaxResults=2, NextToken=page["NextToken"])
        self.assertEqual(sorted(page["queueUrls"] + rest["queueUrls"]), sources)
        self.assertNotIn("NextToken", rest)
        lonely_url, _ = self.new_queue("lonely")
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=lonely_url)["queueUrls"], [])
        with self.assertRaises(ClientError) as cm:
            self.sqs.list_dead_letter_source_queues(QueueUrl=lonely_url + "-nope")
        self.assert_error(cm, "AWS.SimpleQueueService.NonExistentQueue")


class MoveTaskTest(DlqTestCase):
    def test_basic_workflow_to_a_destination(self):
        src_url, _, dlq_url, dlq_arn = self.pipe(1)
        dest_url, dest_arn = self.new_queue("dest")
        self.sqs.send_message(QueueUrl=src_url, MessageBody="message-1")
        self.sqs.send_message(QueueUrl=src_url, MessageBody="message-2")
        self.drive_to_dlq(src_url, 2)
        self.assertEqual(self.count(dlq_url), 2)

        handle = self.sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn)["TaskHandle"]
        decoded = json.loads(base64.b64decode(handle))
        self.assertEqual(decoded["sourceArn"], dlq_arn)
        uuid.UUID(decoded["taskId"])
        got = self.sqs.receive_message(QueueUrl=dest_url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual(sorted(m["Body"] for m in got), ["message-1", "message-2"])
        results = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
        self.assertEqual(len(results), 1)
        task = results[0]
        self.assertEqual(task["Status"], "COMPLETED")
        self.assertEqual(task["ApproximateNumberOfMessagesMoved"], 2)
        self.assertEqual(task["ApproximateNumberOfMessagesToMove"], 2)
        self.assertEqual(task["SourceArn"], dlq_arn)
        self.assertEqual(task["DestinationArn"], dest_arn)
        self.assertIsInstance(task["StartedTimestamp"], int)
        self.assertNotIn("TaskHandle", task)
        self.assertNotIn("MaxNumberOfMessagesPerSecond", task)
        self.assertEqual(self.count(dlq_url), 0)

    def test_default_destination_is_each_messages_source(self):
        dlq_url, dlq_arn = self.new_queue("dlq")
        policy = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}
        src1, _ = self.new_queue("src1", RedrivePolicy=policy)
        src2, _ = self.new_queue("src2", RedrivePolicy=policy)
        for url, n in ((src1, 2), (src2, 2)):
            for i in range(n):
                self.sqs.send_message(QueueUrl=url, MessageBody="%s-%d" % (url[-4:], i))
            self.drive_to_dlq(url, n)
        self.assertEqual(self.count(dlq_url), 4)
        self.sqs.start_message_move_task(SourceArn=dlq_arn)
        task = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
        self.assertEqual((task["Status"], task["ApproximateNumberOfMessagesMoved"]), ("COMPLETED", 4))
        self.assertNotIn("DestinationArn", task)
        self.assertEqual((self.count(src1), self.count(src2), self.count(dlq_url)), (2, 2, 0))

    def test_running_task_cancel_and_one_task_per_source(self):
        src_url, _, dlq_url, dlq_arn = self.pipe(1)
        _, dest_arn = self.new_queue("dest")
        for i in range(10):
            self.sqs.send_message(QueueUrl=src_url, MessageBody="m%d" % i)
        self.drive_to_dlq(src_url, 10)
        self.assertEqual(self.count(dlq_url), 10)
        handle = self.sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn,
                                                  MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
        task = self.sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)["Results"][0]
        self.assertEqual(task["Status"], "RUNNING")
        self.assertEqual(task["TaskHandle"], handle)
        self.assertEqual(task["MaxNumberOfMessagesPerSecond"], 1)
        self.assertEqual(task["ApproximateNumberOfMessagesToMove"], 10)
        self.assertLess(task["ApproximateNumberOfMessagesMoved"], 10)

        with self.assertRaises(ClientError) as cm:
            self.sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn)
        self.assert_error(cm, "InvalidParameterValue", "There is already a task running. Only one active task is "
                                                       "allowed for a source queue arn at a given time.")
        moved = self.sqs.cancel_message_move_task(TaskHandle=handle)["ApproximateNumberOfMessagesMoved"]
        after = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
        self.assertEqual(after["Status"], "CANCELLED")
        self.assertEqual(after["ApproximateNumberOfMessagesMoved"], moved)
        self.assertNotIn("TaskHandle", after)
        self.assertEqual(self.count(dlq_url), 10 - moved)
        with self.assertRaises(ClientError) as cm:
            self.sqs.cancel_message_move_task(TaskHandle=handle)
        self.assert_error(cm, "ResourceNotFoundException", "Task does not exist.", 404)

    def test_long_poll_on_the_destination_is_woken_by_the_task(self):
        src_url, _, _, dlq_arn = self.pipe(1)
        dest_url, dest_arn = self.new_queue("dest")
        for i in range(2):
            self.sqs.send_message(QueueUrl=src_url, MessageBody="m%d" % i)
        self.drive_to_dlq(src_url, 2)
        self.sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn, MaxNumberOfMessagesPerSecond=1)
        first = self.sqs.receive_message(QueueUrl=dest_url, WaitTimeSeconds=5)["Messages"]
        started = time.monotonic()
        second = self.sqs.receive_message(QueueUrl=dest_url, WaitTimeSeconds=5)["Messages"]
        self.assertLess(time.monotonic() - started, 3.0)
        self.assertEqual(sorted([first[0]["Body"], second[0]["Body"]]), ["m0", "m1"])

    def test_deleted_destination_fails_the_task(self):
        src_url, _, dlq_url, dlq_arn = self.pipe(1)
        dest_url, dest_arn = self.new_queue("dest")
        for i in range(5):
            self.sqs.send_message(QueueUrl=src_url, MessageBody="m%d" % i)
        self.drive_to_dlq(src_url, 5)
        self.sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn, MaxNumberOfMessagesPerSecond=1)
        self.sqs.delete_queue(QueueUrl=dest_url)
        # The next message is due within a second; poll the status, not a timeout.
        deadline = time.monotonic() + 5
        task = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
        while task["Status"] == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.1)
            task = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
        self.assertEqual(task["Status"], "FAILED")
        self.assertEqual(task["FailureReason"], "AWS.SimpleQueueService.NonExistentQueue")
        self.assertGreater(self.count(dlq_url), 0)

    def test_errors(self):
        plain_url, plain_arn = self.new_queue("plain")
        _, dest_arn = self.new_queue("dest")
        with self.assertRaises(ClientError) as cm:
            self.sqs.start_message_move_task(SourceArn=plain_arn, DestinationArn=dest_arn)
        self.assert_error(cm, "InvalidParameterValue", "Source queue must be configured as a Dead Letter Queue.")
        with self.assertRaises(ClientError) as cm:
            self.sqs.start_message_move_task(SourceArn=plain_arn + "-nope")
        self.assert_error(cm, "ResourceNotFoundException",
                          "The resource that you specified for the SourceArn parameter doesn't exist.", 404)
        _, _, _, dlq_arn = self.pipe(1)
        with self.assertRaises(ClientError) as cm:
            self.sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn + "doesntexist")
        self.assert_error(cm, "ResourceNotFoundException",
                          "The resource that you specified for the DestinationArn parameter doesn't exist.", 404)
        with self.assertRaises(ClientError) as cm:
            self.sqs.cancel_message_move_task(TaskHandle="foobared")
        self.assert_error(cm, "InvalidParameterValue", "Value for parameter TaskHandle is invalid.")
        with self.assertRaises(ClientError) as cm:
            self.sqs.cancel_message_move_task(TaskHandle=task_handle(
                str(uuid.uuid4()), "arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456"))
        self.assert_error(cm, "ResourceNotFoundException",
                          "The resource that you specified for the SourceArn parameter doesn't exist.", 404)
        with self.assertRaises(ClientError) as cm:
            self.sqs.cancel_message_move_task(TaskHandle=task_handle(str(uuid.uuid4()), plain_arn))
        self.assert_error(cm, "ResourceNotFoundException", "Task does not exist.", 404)
        self.assertEqual(self.sqs.list_message_move_tasks(SourceArn=plain_arn)["Results"], [])


if __name__ == "__main__":
    unittest.main()
