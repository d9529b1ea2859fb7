"""Clock control against the real binary with boto3: advancing the engine
clock past visibility timeouts, delays and iterator lifetimes, freezing it,
and parked long polls that re-check the moment the clock moves."""

import threading
import time
import unittest

from botocore.exceptions import ClientError

from control_client import call, client, ok, wait_until
from shoal_server import ServerTestCase, ShoalServer, stop_checked


class ClockTest(ServerTestCase):
    def setUp(self):
        ok(self.server, "POST", "/_shoal/clock/resume")
        ok(self.server, "POST", "/_shoal/reset")
        self.sqs = client("sqs", self.server.endpoint)

    def test_twelve_hour_visibility_timeout_runs_out_in_milliseconds(self):
        url = self.sqs.create_queue(QueueName="long-jobs")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="work")
        first = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=43200)["Messages"]
        self.assertEqual(len(first), 1)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))

        started = time.monotonic()
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=43201")
        again = self.sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"]
        self.assertLess(time.monotonic() - started, 2.0)
        self.assertEqual(again[0]["Body"], "work")
        self.assertEqual(again[0]["Attributes"]["ApproximateReceiveCount"], "2")

    def test_waiting_receive_returns_as_soon_as_the_clock_passes_the_visibility_timeout(self):
        url = self.sqs.create_queue(QueueName="parked")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="comes back")
        self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=600)
        result = {}

        def long_poll():
            started = time.monotonic()
            result["response"] = client("sqs", self.server.endpoint).receive_message(
                QueueUrl=url, WaitTimeSeconds=20)
            result["elapsed"] = time.monotonic() - started

        worker = threading.Thread(target=long_poll)
        worker.start()
        wait_until(lambda: ok(self.server, "GET", "/_shoal/health")["parked_long_polls"] == 1)
        advanced = ok(self.server, "POST", "/_shoal/clock/advance", {"seconds": 601})
        self.assertEqual(advanced["long_polls_woken"], 1)
        worker.join(10)
        self.assertFalse(worker.is_alive())
        self.assertEqual(result["response"]["Messages"][0]["Body"], "comes back")
        self.assertLess(result["elapsed"], 10)

    def test_delay_seconds_follow_the_clock(self):
        url = self.sqs.create_queue(QueueName="delayed", Attributes={"DelaySeconds": "900"})["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="in 15 minutes")
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=900")
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "in 15 minutes")

    def test_a_frozen_clock_stamps_every_message_with_the_same_time(self):
        url = self.sqs.create_queue(QueueName="frozen")["QueueUrl"]
        frozen = ok(self.server, "POST", "/_shoal/clock/freeze")
        self.assertTrue(frozen["frozen"])
        self.sqs.send_message(QueueUrl=url, MessageBody="a")
        time.sleep(0.05)  # real time passes; engine time does not
        self.sqs.send_message(QueueUrl=url, MessageBody="b")
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                       AttributeNames=["SentTimestamp"])["Messages"]
        stamps = {m["Attributes"]["SentTimestamp"] for m in got}
        self.assertEqual(stamps, {str(frozen["now_ms"])})
        self.assertEqual(ok(self.server, "GET", "/_shoal/clock")["now_ms"], frozen["now_ms"])
        resumed = ok(self.server, "POST", "/_shoal/clock/resume")
        self.assertFalse(resumed["frozen"])

    def test_purge_cooldown_follows_the_clock(self):
        url = self.sqs.create_queue(QueueName="purged")["QueueUrl"]
        self.sqs.purge_queue(QueueUrl=url)
        with self.assertRaises(ClientError) as e:
            self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(e.exception.response["Error"]["Code"], "AWS.SimpleQueueService.PurgeQueueInProgress")
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=60")
        self.sqs.purge_queue(QueueUrl=url)

    def test_shard_iterators_expire_after_five_minutes_of_engine_time(self):
        kinesis = client("kinesis", self.server.endpoint)
        kinesis.create_stream(StreamName="clocked", ShardCount=1)
        iterator = kinesis.get_shard_iterator(StreamName="clocked", ShardId="shardId-000000000000",
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        kinesis.get_records(ShardIterator=iterator)
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=301")
        with self.assertRaises(ClientError) as e:
            kinesis.get_records(ShardIterator=iterator)
        self.assertEqual(e.exception.response["Error"]["Code"], "ExpiredIteratorException")

    def test_the_clock_refuses_to_go_back(self):
        status, body, _ = call(self.server, "POST", "/_shoal/clock/advance?seconds=-1")
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["code"], "InvalidParameter")


class HealthWhileParkedTest(unittest.TestCase):
    def test_health_answers_while_the_only_thread_holds_parked_polls(self):
        server = ShoalServer("--threads", "1")
        server.start()
        try:
            sqs = client("sqs", server.endpoint)
            url = sqs.create_queue(QueueName="empty")["QueueUrl"]
            workers = [threading.Thread(target=lambda: client("sqs", server.endpoint).receive_message(
                QueueUrl=url, WaitTimeSeconds=20)) for _ in range(3)]
            for w in workers:
                w.start()
            wait_until(lambda: ok(server, "GET", "/_shoal/health")["parked_long_polls"] == 3)
            started = time.monotonic()
            health = ok(server, "GET", "/_shoal/health")
            self.assertLess(time.monotonic() - started, 1.0)
            self.assertEqual(health["status"], "running")
            self.assertEqual(health["storage"], "memory")
            self.assertRegex(health["version"], r"^\d+\.\d+\.\d+$")
            # Moving the clock past the 20-second wait ends the polls now.
            self.assertEqual(ok(server, "POST", "/_shoal/clock/advance?seconds=21")["long_polls_woken"], 3)
            for w in workers:
                w.join(5)
                self.assertFalse(w.is_alive())
        finally:
            stop_checked(server)


if __name__ == "__main__":
    unittest.main()
