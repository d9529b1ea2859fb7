"""Reset, peek (Shoal's shape, LocalStack's /_aws/sqs/messages and an SDK
pointed at it) and Prometheus metrics against the real binary."""

import re
import threading
import unittest
import urllib.parse

from botocore.exceptions import ClientError

from control_client import call, client, ok, wait_until
from shoal_server import ServerTestCase


class ResetTest(ServerTestCase):
    def setUp(self):
        ok(self.server, "POST", "/_shoal/reset")
        self.sqs = client("sqs", self.server.endpoint)
        self.kinesis = client("kinesis", self.server.endpoint)

    def test_reset_drops_every_queue_and_stream(self):
        self.sqs.create_queue(QueueName="q1")
        self.sqs.create_queue(QueueName="q2")
        self.kinesis.create_stream(StreamName="s1", ShardCount=1)
        result = ok(self.server, "POST", "/_shoal/reset")
        self.assertEqual(result["sqs"]["queues_removed"], 2)
        self.assertEqual(result["kinesis"]["streams_removed"], 1)
        self.assertNotIn("QueueUrls", self.sqs.list_queues())
        self.assertEqual(self.kinesis.list_streams()["StreamNames"], [])
        # Names are free again at once: no DELETING phase, no 60-second wait.
        self.kinesis.create_stream(StreamName="s1", ShardCount=1)

    def test_reset_of_one_service_or_account_leaves_the_rest(self):
        other = client("sqs", self.server.endpoint, key="123456789012")
        self.sqs.create_queue(QueueName="default-account")
        other.create_queue(QueueName="other-account")
        self.kinesis.create_stream(StreamName="kept", ShardCount=1)

        ok(self.server, "POST", "/_shoal/reset?service=sqs&account=123456789012")
        self.assertNotIn("QueueUrls", other.list_queues())
        self.assertEqual(len(self.sqs.list_queues()["QueueUrls"]), 1)

        ok(self.server, "POST", "/_shoal/reset", {"service": "sqs"})
        self.assertNotIn("QueueUrls", self.sqs.list_queues())
        self.assertEqual(self.kinesis.list_streams()["StreamNames"], ["kept"])

    def test_reset_ends_a_parked_long_poll(self):
        url = self.sqs.create_queue(QueueName="parked")["QueueUrl"]
        result = {}
        worker = threading.Thread(target=lambda: result.update(
            client("sqs", self.server.endpoint).receive_message(QueueUrl=url, WaitTimeSeconds=20)))
        worker.start()
        wait_until(lambda: ok(self.server, "GET", "/_shoal/health")["parked_long_polls"] == 1)
        ok(self.server, "POST", "/_shoal/reset")
        worker.join(5)
        self.assertFalse(worker.is_alive())
        self.assertNotIn("Messages", result)


    def test_reset_forgets_message_move_tasks(self):
        def pipe():
            dlq = self.sqs.create_queue(QueueName="reset-dlq")["QueueUrl"]
            arn = "arn:aws:sqs:us-east-1:000000000000:reset-dlq"
            src = self.sqs.create_queue(QueueName="reset-src", Attributes={
                "RedrivePolicy": '{"deadLetterTargetArn": "%s", "maxReceiveCount": 1}' % arn})["QueueUrl"]
            for i in range(5):
                self.sqs.send_message(QueueUrl=src, MessageBody="m%d" % i)
            for _ in range(5):
                self.sqs.receive_message(QueueUrl=src, MaxNumberOfMessages=10, VisibilityTimeout=0)
            wait_until(lambda: self.queue_depth(dlq) == 5)
            return src, dlq, arn

        ok(self.server, "POST", "/_shoal/clock/freeze")
        self.addCleanup(ok, self.server, "POST", "/_shoal/clock/resume")
        src, dlq, arn = pipe()
        # One message a second: four are still to move when the reset comes.
        self.sqs.start_message_move_task(SourceArn=arn, MaxNumberOfMessagesPerSecond=1)
        ok(self.server, "POST", "/_shoal/reset", {"service": "sqs"})

        src, dlq, arn = pipe()  # the same names again
        self.assertEqual(self.sqs.list_message_move_tasks(SourceArn=arn)["Results"], [])
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=60")
        self.assertEqual(self.queue_depth(dlq), 5)  # no inherited task moved them
        self.assertEqual(self.queue_depth(src), 0)
        # And a task may start: none is left running.
        self.sqs.start_message_move_task(SourceArn=arn)

    def queue_depth(self, url):
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


class PeekTest(ServerTestCase):
    def setUp(self):
        ok(self.server, "POST", "/_shoal/reset")
        self.sqs = client("sqs", self.server.endpoint)
        self.url = self.sqs.create_queue(QueueName="peeked")["QueueUrl"]
        for body in ("one", "two"):
            self.sqs.send_message(QueueUrl=self.url, MessageBody=body)
        self.sqs.send_message(QueueUrl=self.url, MessageBody="later", DelaySeconds=60)
        self.sqs.receive_message(QueueUrl=self.url, VisibilityTimeout=30)  # "one" in flight

    def test_shoal_peek_shows_every_message_with_its_state(self):
        peek = ok(self.server, "GET", "/_shoal/sqs/messages?" + urllib.parse.urlencode({"QueueUrl": self.url}))
        self.assertEqual([(m["Body"], m["State"]) for m in peek["Messages"]],
                         [("one", "in_flight"), ("two", "visible"), ("later", "delayed")])
        self.assertEqual(peek["Counts"], {"Visible": 1, "InFlight": 1, "Delayed": 1})
        # Nothing changed: "two" is still unreceived.
        got = self.sqs.receive_message(QueueUrl=self.url, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(got["Messages"][0]["Body"], "two")
        self.assertEqual(got["Messages"][0]["Attributes"]["ApproximateReceiveCount"], "1")

    def test_localstack_endpoint_json_and_xml(self):
        query = urllib.parse.urlencode({"QueueUrl": self.url, "ShowInvisible": "true", "ShowDelayed": "true"})
        doc = ok(self.server, "GET", "/_aws/sqs/messages?" + query, headers={"Accept": "application/json"})
        messages = doc["ReceiveMessageResponse"]["ReceiveMessageResult"]["Message"]
        self.assertEqual([m["Body"] for m in messages], ["one", "two", "later"])
        attrs = [{a["Name"]: a["Value"] for a in m["Attribute"]} for m in messages]
        self.assertEqual([a["IsVisible"] for a in attrs], ["false", "true", "true"])
        self.assertEqual([a["IsDelayed"] for a in attrs], ["false", "false", "true"])
        self.assertEqual(attrs[1]["ApproximateReceiveCount"], "0")
        self.assertEqual(attrs[1]["SenderId"], "AKIAIOSFODNN7EXAMPLE")

        status, xml, headers = call(self.server, "GET",
                                    "/_aws/sqs/messages?" + urllib.parse.urlencode({"QueueUrl": self.url}))
        self.assertEqual(status, 200)
        self.assertIn("xml", headers["Content-Type"])
        self.assertEqual(re.findall(r"<Body>(.*?)</Body>", xml), ["two"])

        status, doc, _ = call(self.server, "GET", "/_aws/sqs/messages/us-east-1/000000000000/missing",
                              headers={"Accept": "application/json"})
        self.assertEqual(status, 400)
        self.assertEqual(doc["ErrorResponse"]["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")

    def test_an_sdk_pointed_at_the_localstack_endpoint_lists_without_receiving(self):
        peeker = client("sqs", self.server.endpoint + "/_aws/sqs/messages")
        listed = peeker.receive_message(QueueUrl=self.url, MaxNumberOfMessages=1)
        self.assertEqual([m["Body"] for m in listed["Messages"]], ["two"])
        self.assertEqual(listed["Messages"][0]["Attributes"]["ApproximateReceiveCount"], "0")
        with self.assertRaises(ClientError) as e:
            peeker.send_message(QueueUrl=self.url, MessageBody="x")
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidRequest")

    def test_kinesis_shard_positions(self):
        kinesis = client("kinesis", self.server.endpoint)
        kinesis.create_stream(StreamName="positions", ShardCount=2)
        puts = [kinesis.put_record(StreamName="positions", Data=b"abc", PartitionKey="same") for _ in range(4)]
        doc = ok(self.server, "GET", "/_shoal/kinesis/shards?StreamName=positions")
        self.assertEqual(doc["Records"], 4)
        self.assertEqual(doc["Bytes"], 4 * len(b"abc" + b"same"))
        busy = [s for s in doc["Shards"] if s["Records"]]
        self.assertEqual(len(busy), 1)
        self.assertEqual(busy[0]["ShardId"], puts[0]["ShardId"])
        self.assertEqual(busy[0]["FirstSequenceNumber"], puts[0]["SequenceNumber"])
        self.assertEqual(busy[0]["LastSequenceNumber"], puts[-1]["SequenceNumber"])


class MetricsTest(ServerTestCase):
    def test_requests_latencies_and_depths(self):
        sqs = client("sqs", self.server.endpoint)
        kinesis = client("kinesis", self.server.endpoint)
        url = sqs.create_queue(QueueName="measured")["QueueUrl"]
        for i in range(3):
            sqs.send_message(QueueUrl=url, MessageBody=str(i))
        sqs.receive_message(QueueUrl=url)
        with self.assertRaises(ClientError):
            sqs.get_queue_url(QueueName="absent")
        kinesis.create_stream(StreamName="measured", ShardCount=1)
        kinesis.put_record(StreamName="measured", Data=b"12345", PartitionKey="k")

        status, text, headers = call(self.server, "GET", "/_shoal/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        lines = set(text.splitlines())
        self.assertIn('shoal_requests_total{service="sqs",action="SendMessage",status="200"} 3', lines)
        self.assertIn('shoal_requests_total{service="sqs",action="GetQueueUrl",status="400"} 1', lines)
        self.assertIn('shoal_request_duration_seconds_count{service="sqs",action="SendMessage"} 3', lines)
        labels = 'account="000000000000",region="us-east-1",queue="measured"'
        self.assertIn('shoal_sqs_messages{%s,state="visible"} 2' % labels, lines)
        self.assertIn('shoal_sqs_messages{%s,state="in_flight"} 1' % labels, lines)
        self.assertIn('shoal_sqs_messages{%s,state="delayed"} 0' % labels, lines)
        stream = '{account="000000000000",region="us-east-1",stream="measured"}'
        self.assertIn("shoal_kinesis_records%s 1" % stream, lines)
        self.assertIn("shoal_kinesis_bytes%s 6" % stream, lines)
        # Every sample line is "name{labels} value" or "name value".
        for line in text.splitlines():
            if not line.startswith("#"):
                self.assertRegex(line, r'^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$')


if __name__ == "__main__":
    unittest.main()
