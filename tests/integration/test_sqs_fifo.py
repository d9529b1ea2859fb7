"""SQS FIFO queues against the real binary, driven by boto3: creation rules,
sequence numbers, the deduplication window (queue and message-group scope),
ordering and locking within message groups, visibility changes, expired
receipt handles, system attributes, and long polls on locked groups. Expected
wording comes from real-AWS recordings (aws-reference/localstack-snapshots,
test_fifo_* and test_sqs_fifo_*, the [sqs] JSON variants).
"""

import hashlib
import os
import re
import threading
import time
import unittest
import uuid

from botocore.exceptions import ClientError

from shoal_server import ServerTestCase
from test_sqs_messages import sqs_client

SEQUENCE_RE = re.compile(r"^\d{20}$")


class FifoTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sqs = sqs_client(cls.server.endpoint)

    def new_fifo(self, **attributes):
        name = "fifo-%s.fifo" % uuid.uuid4().hex[:16]
        attrs = {"FifoQueue": "true"}
        attrs.update({k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in attributes.items()})
        return self.sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]

    def send(self, url, body, group="g", dedup=None, **kwargs):
        return self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                                     MessageDeduplicationId=dedup or body.replace(" ", "_"), **kwargs)

    def receive(self, url, **kwargs):
        kwargs.setdefault("MaxNumberOfMessages", 10)
        return self.sqs.receive_message(QueueUrl=url, **kwargs).get("Messages", [])

    def bodies(self, url, **kwargs):
        return [m["Body"] for m in self.receive(url, **kwargs)]

    def assert_client_error(self, cm, code, message=None, status=400):
        err = cm.exception.response["Error"]
        self.assertEqual(err.get("Code"), code, cm.exception.response)
        if message is not None:
            self.assertEqual(err.get("Message"), message)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)


class FifoCreateTest(FifoTestCase):
    NAME_RULE = ("The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
                 "underscores, must end with .fifo suffix and be 1 to 80 in length.")

    def test_fifo_suffix_and_attribute_go_together(self):
        base = "pair-%s" % uuid.uuid4().hex[:12]
        with self.assertRaises(ClientError) as cm:
            self.sqs.create_queue(QueueName=base + ".fifo")
        self.assert_client_error(cm, "InvalidParameterValue", self.NAME_RULE)
        with self.assertRaises(ClientError) as cm:
            self.sqs.create_queue(QueueName=base, Attributes={"FifoQueue": "true"})
        self.assert_client_error(cm, "InvalidParameterValue", self.NAME_RULE)
        url = self.sqs.create_queue(QueueName=base + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        self.assertTrue(url.endswith(base + ".fifo"))

    def test_default_fifo_attributes(self):
        url = self.new_fifo()
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["FifoQueue"], "true")
        self.assertEqual(attrs["ContentBasedDeduplication"], "false")
        self.assertEqual(attrs["DeduplicationScope"], "queue")
        self.assertEqual(attrs["FifoThroughputLimit"], "perQueue")


class FifoSendTest(FifoTestCase):
    def test_sequence_numbers_are_20_digits_and_increase(self):
        url = self.new_fifo()
        numbers = [self.send(url, "m%d" % i)["SequenceNumber"] for i in range(5)]
        batch = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": "b%d" % i, "MessageGroupId": "g", "MessageDeduplicationId": "b%d" % i}
            for i in range(3)])
        self.assertEqual(batch.get("Failed", []), [])
        numbers += [e["SequenceNumber"] for e in sorted(batch["Successful"], key=lambda e: e["Id"])]
        for n in numbers:
            self.assertRegex(n, SEQUENCE_RE)
        self.assertEqual([int(n) for n in numbers], sorted(int(n) for n in numbers))
        self.assertEqual(len(set(numbers)), len(numbers))

    def test_required_parameters(self):
        url = self.new_fifo()
        with self.assertRaises(ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d")
        self.assert_client_error(cm, "MissingParameter", "The request must contain the parameter MessageGroupId.")
        with self.assertRaises(ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
        self.assert_client_error(
            cm, "InvalidParameterValue",
            "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
            "explicitly")
        with self.assertRaises(ClientError) as cm:
            self.send(url, "x", DelaySeconds=2)
        self.assert_client_error(
            cm, "InvalidParameterValue",
            "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not "
            "valid for this queue type.")

    def test_zero_delay_uses_the_queue_delay(self):
        url = self.new_fifo(DelaySeconds=1)
        sent = self.send(url, "message-1", DelaySeconds=0)
        self.assertRegex(sent["SequenceNumber"], SEQUENCE_RE)
        self.assertEqual(self.receive(url), [])
        self.server.advance_clock(1.3)
        self.assertEqual(self.bodies(url), ["message-1"])


class FifoDeduplicationTest(FifoTestCase):
    def test_duplicate_answers_the_original_and_is_delivered_once(self):
        url = self.new_fifo()
        first = self.send(url, "a", dedup="d")
        again = self.send(url, "a", dedup="d")
        self.assertEqual(again["MessageId"], first["MessageId"])
        self.assertEqual(again["SequenceNumber"], first["SequenceNumber"])
        self.assertEqual(self.bodies(url), ["a"])
        self.assertEqual(self.bodies(url), [])

    def test_content_based_deduplication_uses_the_body(self):
        url = self.new_fifo(ContentBasedDeduplication=True)
        first = self.sqs.send_message(QueueUrl=url, MessageBody='{"foo": "bar"}', MessageGroupId="g")
        again = self.sqs.send_message(QueueUrl=url, MessageBody='{"foo": "bar"}', MessageGroupId="g")
        self.assertEqual(again["MessageId"], first["MessageId"])
        msgs = self.receive(url, MessageSystemAttributeNames=["MessageDeduplicationId"])
        self.assertEqual(len(msgs), 1)
        self.assertEqual(msgs[0]["Attributes"]["MessageDeduplicationId"],
                         hashlib.sha256(b'{"foo": "bar"}').hexdigest())

    def test_duplicate_after_delete_arrives_once(self):
        # test_fifo_deduplication_arrives_once_after_delete
        url = self.new_fifo()
        self.send(url, '{"foo": "bar"}', dedup="d")
        msgs = self.receive(url)
        self.assertEqual(len(msgs), 1)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=msgs[0]["ReceiptHandle"])
        self.send(url, '{"foo": "bar"}', dedup="d")
        self.assertEqual(self.receive(url), [])

    def test_queue_scope_ignores_the_group(self):
        # test_fifo_deduplication_not_on_message_group_id, test_sqs_fifo_same_dedup_id_different_message_groups
        url = self.new_fifo()
        first = self.send(url, "Test", group="g1", dedup="same")
        self.assertEqual(self.send(url, "Test", group="g2", dedup="same")["MessageId"], first["MessageId"])
        self.assertEqual(self.bodies(url), ["Test"])
        self.assertEqual(self.bodies(url), [])

    def test_message_group_scope_deduplicates_per_group(self):
        # test_sqs_fifo_message_group_scope_no_throughput_setting
        url = self.new_fifo(DeduplicationScope="messageGroup")
        a = self.send(url, "Test", group="g1", dedup="same")
        b = self.send(url, "Test", group="g2", dedup="same")
        self.assertNotEqual(a["MessageId"], b["MessageId"])
        self.assertEqual(self.send(url, "Test", group="g1", dedup="same")["MessageId"], a["MessageId"])
        self.assertEqual(self.bodies(url), ["Test", "Test"])

    def test_switching_to_queue_scope_delivers_ids_seen_per_group(self):
        # test_fifo_change_to_regular_throughput_after_creation
        url = self.new_fifo(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
        self.send(url, "Test1", group="g1", dedup="same")
        self.send(url, "Test2", group="g2", dedup="same")
        self.assertEqual(sorted(self.bodies(url)), ["Test1", "Test2"])
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"DeduplicationScope": "queue",
                                                                "FifoThroughputLimit": "perQueue"})
        self.send(url, "Test3", group="g3", dedup="same")
        self.assertEqual(self.bodies(url), ["Test3"])


class FifoOrderingTest(FifoTestCase):
    def test_group_is_locked_while_a_message_is_in_flight(self):
        url = self.new_fifo()
        for body in ("1", "2", "3"):
            self.send(url, body)
        first = self.receive(url, MaxNumberOfMessages=1)
        self.assertEqual([m["Body"] for m in first], ["1"])
        self.assertEqual(self.receive(url), [])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
        self.assertEqual(self.bodies(url), ["2", "3"])

    def test_batch_fills_from_one_group_then_others(self):
        url = self.new_fifo()
        for body, group in (("a1", "a"), ("b1", "b"), ("a2", "a"), ("c1", "c"), ("b2", "b"), ("a3", "a")):
            self.send(url, body, group=group)
        self.assertEqual(self.bodies(url, MaxNumberOfMessages=4), ["a1", "a2", "a3", "b1"])
        self.assertEqual(self.bodies(url), ["c1"])

    def test_visibility_expiry_returns_the_message_to_the_head(self):
        url = self.new_fifo()
        self.send(url, "1")
        self.send(url, "2")
        self.assertEqual(self.bodies(url, MaxNumberOfMessages=1, VisibilityTimeout=1), ["1"])
        self.server.advance_clock(1.3)
        msgs = self.receive(url, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual([m["Body"] for m in msgs], ["1", "2"])
        self.assertEqual([m["Attributes"]["ApproximateReceiveCount"] for m in msgs], ["2", "1"])

    def test_empty_group_takes_new_messages(self):
        # test_fifo_empty_message_groups_added_back_to_queue
        url = self.new_fifo()
        self.send(url, "Message 1")
        msgs = self.receive(url)
        self.assertEqual([m["Body"] for m in msgs], ["Message 1"])
        self.assertEqual(self.receive(url), [])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=msgs[0]["ReceiptHandle"])
        self.send(url, "Message 2")
        self.assertEqual(self.bodies(url), ["Message 2"])

    def test_visibility_changes_release_the_group_front(self):
        # test_fifo_group_visibility_extends_with_change_message_visibility
        for visible in (0, 1, 2, 3):
            with self.subTest(visible=visible):
                url = self.new_fifo()
                for body in ("foo", "bar", "baz"):
                    self.send(url, body)
                msgs = self.receive(url, VisibilityTimeout=30)
                self.assertEqual([m["Body"] for m in msgs], ["foo", "bar", "baz"])
                for m in msgs[:visible]:
                    self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                                                       VisibilityTimeout=0)
                self.assertEqual(self.bodies(url), ["foo", "bar", "baz"][:visible])

    def test_a_later_message_made_visible_stays_behind(self):
        url = self.new_fifo()
        for body in ("foo", "bar"):
            self.send(url, body)
        msgs = self.receive(url, VisibilityTimeout=30)
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=msgs[1]["ReceiptHandle"],
                                           VisibilityTimeout=0)
        self.assertEqual(self.receive(url), [])

    def test_system_attributes(self):
        # test_fifo_message_attributes
        url = self.new_fifo()
        sent = self.send(url, "message-body-1", group="group-1", dedup="dedup-1")
        for count in ("1", "2"):
            msgs = self.receive(url, VisibilityTimeout=0, MessageSystemAttributeNames=["All"])
            self.assertEqual(len(msgs), 1)
            attrs = msgs[0]["Attributes"]
            self.assertEqual(attrs["MessageGroupId"], "group-1")
            self.assertEqual(attrs["MessageDeduplicationId"], "dedup-1")
            self.assertEqual(attrs["SequenceNumber"], sent["SequenceNumber"])
            self.assertEqual(attrs["ApproximateReceiveCount"], count)
            self.assertEqual(set(attrs), {"ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount",
                                          "MessageDeduplicationId", "MessageGroupId", "SenderId",
                                          "SentTimestamp", "SequenceNumber"})

    def test_standard_queue_returns_message_group_id(self):
        url = self.sqs.create_queue(QueueName="fair-%s" % uuid.uuid4().hex[:12])["QueueUrl"]
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="tenant-1")
        self.assertNotIn("SequenceNumber", sent)
        msgs = self.receive(url, MessageSystemAttributeNames=["All"])
        self.assertEqual(msgs[0]["Attributes"]["MessageGroupId"], "tenant-1")
        self.assertNotIn("SequenceNumber", msgs[0]["Attributes"])


class FifoReceiptHandleTest(FifoTestCase):
    def test_delete_after_visibility_timeout_fails_as_expired(self):
        # test_fifo_delete_after_visibility_timeout
        url = self.new_fifo()
        self.send(url, "foobar")
        msgs = self.receive(url, VisibilityTimeout=1)
        self.assertEqual(len(msgs), 1)
        self.server.advance_clock(1.3)
        handle = msgs[0]["ReceiptHandle"]
        with self.assertRaises(ClientError) as cm:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
        self.assert_client_error(
            cm, "InvalidParameterValue",
            "Value %s for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired." % handle)
        self.assertEqual(self.bodies(url), ["foobar"])  # still there

    def test_delete_after_extended_visibility_succeeds(self):
        # test_fifo_delete_after_visibility_timeout_extended
        url = self.new_fifo()
        self.send(url, "foobar")
        msgs = self.receive(url, VisibilityTimeout=1)
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=msgs[0]["ReceiptHandle"],
                                           VisibilityTimeout=5)
        self.server.advance_clock(1.3)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=msgs[0]["ReceiptHandle"])
        self.assertEqual(self.receive(url), [])

    def test_batch_delete_reports_expired_handles(self):
        url = self.new_fifo()
        self.send(url, "foobar")
        msgs = self.receive(url, VisibilityTimeout=1)
        self.server.advance_clock(1.3)
        result = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "1", "ReceiptHandle": msgs[0]["ReceiptHandle"]}])
        self.assertEqual(result.get("Successful", []), [])
        self.assertEqual(result["Failed"][0]["Code"], "InvalidParameterValue")


class FifoReceiveAttemptTest(FifoTestCase):
    def test_retried_attempt_answers_the_same_messages(self):
        url = self.new_fifo()
        for body in ("1", "2"):
            self.send(url, body)
        first = self.receive(url, ReceiveRequestAttemptId="try-1", VisibilityTimeout=30)
        again = self.receive(url, ReceiveRequestAttemptId="try-1", VisibilityTimeout=30)
        self.assertEqual([m["Body"] for m in first], ["1", "2"])
        self.assertEqual([m["MessageId"] for m in again], [m["MessageId"] for m in first])
        self.assertEqual([m["ReceiptHandle"] for m in again], [m["ReceiptHandle"] for m in first])
        self.assertEqual(self.receive(url, ReceiveRequestAttemptId="try-2"), [])

    def test_attempt_after_a_change_receives_afresh(self):
        url = self.new_fifo()
        self.send(url, "1")
        first = self.receive(url, ReceiveRequestAttemptId="try-1", VisibilityTimeout=30)
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"],
                                           VisibilityTimeout=0)
        again = self.receive(url, ReceiveRequestAttemptId="try-1", AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(again[0]["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertNotEqual(again[0]["ReceiptHandle"], first[0]["ReceiptHandle"])


class FifoLongPollTest(FifoTestCase):
    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.server.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def test_long_poll_on_a_locked_group_waits_without_spinning(self):
        url = self.new_fifo()
        self.send(url, "1")
        self.send(url, "2")
        self.assertEqual(self.bodies(url, MaxNumberOfMessages=1, VisibilityTimeout=30), ["1"])
        cpu = self.cpu_seconds()
        started = time.monotonic()
        self.assertEqual(self.receive(url, WaitTimeSeconds=1), [])
        self.assertGreaterEqual(time.monotonic() - started, 0.9)
        self.assertLess(self.cpu_seconds() - cpu, 0.5, "the parked receive kept the server busy")

    def test_long_poll_wakes_when_the_head_returns(self):
        url = self.new_fifo()
        self.send(url, "1")
        self.send(url, "2")
        self.assertEqual(self.bodies(url, MaxNumberOfMessages=1, VisibilityTimeout=1), ["1"])
        started = time.monotonic()
        self.assertEqual(self.bodies(url, WaitTimeSeconds=5), ["1", "2"])
        self.assertLess(time.monotonic() - started, 3)

    def test_long_poll_wakes_when_the_head_is_deleted(self):
        url = self.new_fifo()
        self.send(url, "1")
        self.send(url, "2")
        head = self.receive(url, MaxNumberOfMessages=1, VisibilityTimeout=30)
        timer = threading.Timer(0.5, lambda: self.sqs.delete_message(
            QueueUrl=url, ReceiptHandle=head[0]["ReceiptHandle"]))
        timer.start()
        try:
            started = time.monotonic()
            self.assertEqual(self.bodies(url, WaitTimeSeconds=5), ["2"])
            self.assertLess(time.monotonic() - started, 2.5)
        finally:
            timer.join()


if __name__ == "__main__":
    unittest.main()
