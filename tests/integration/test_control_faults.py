"""Fault injection and request logs against the real binary: AWS errors that
boto3's retry logic sees and retries, seeded determinism, added latency,
dropped connections; --log-level and SHOAL_LOG_LEVEL."""

import re
import subprocess
import tempfile
import time
import unittest

from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

from control_client import call, client, ok
from shoal_server import ServerTestCase, ShoalServer, binary_path


class FaultTest(ServerTestCase):
    def setUp(self):
        ok(self.server, "DELETE", "/_shoal/faults")
        ok(self.server, "POST", "/_shoal/reset")

    def test_boto3_retries_a_throttled_put_record_and_succeeds(self):
        kinesis = client("kinesis", self.server.endpoint, attempts=5)
        kinesis.create_stream(StreamName="hot", ShardCount=1)
        rule = ok(self.server, "POST", "/_shoal/faults", {
            "service": "kinesis", "action": "PutRecord", "resource": "hot",
            "error": "ProvisionedThroughputExceededException", "count": 2})["rule"]
        response = kinesis.put_record(StreamName="hot", Data=b"x", PartitionKey="k")
        self.assertEqual(response["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(ok(self.server, "GET", "/_shoal/faults")["rules"], [])  # used up
        self.assertEqual(rule["remaining"], 2)

    def test_without_retries_the_caller_sees_the_aws_error(self):
        kinesis = client("kinesis", self.server.endpoint, attempts=1)
        kinesis.create_stream(StreamName="hot2", ShardCount=1)
        ok(self.server, "POST", "/_shoal/faults", {
            "service": "kinesis", "action": "PutRecord", "error": "ProvisionedThroughputExceededException"})
        with self.assertRaises(ClientError) as e:
            kinesis.put_record(StreamName="hot2", Data=b"x", PartitionKey="k")
        error = e.exception.response["Error"]
        self.assertEqual(error["Code"], "ProvisionedThroughputExceededException")
        self.assertEqual(error["Message"], "Rate exceeded for stream hot2 under account 000000000000.")
        self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        # Other actions and streams are untouched.
        kinesis.describe_stream_summary(StreamName="hot2")

    def test_sqs_request_throttled_and_internal_failure_are_retried(self):
        sqs = client("sqs", self.server.endpoint, attempts=4)
        url = sqs.create_queue(QueueName="flaky")["QueueUrl"]
        ok(self.server, "POST", "/_shoal/faults?service=sqs&action=SendMessage&error=RequestThrottled&count=1")
        ok(self.server, "POST", "/_shoal/faults?service=sqs&action=SendMessage&error=InternalFailure&count=1")
        sent = sqs.send_message(QueueUrl=url, MessageBody="eventually")
        self.assertEqual(sent["ResponseMetadata"]["RetryAttempts"], 2)
        once = client("sqs", self.server.endpoint, attempts=1)
        ok(self.server, "POST", "/_shoal/faults?service=sqs&action=SendMessage&error=RequestThrottled&count=1")
        with self.assertRaises(ClientError) as e:
            once.send_message(QueueUrl=url, MessageBody="x")
        self.assertEqual(e.exception.response["Error"]["Code"], "RequestThrottled")

    def test_a_seeded_rule_fails_the_same_calls_every_run(self):
        sqs = client("sqs", self.server.endpoint, attempts=1)
        url = sqs.create_queue(QueueName="seeded")["QueueUrl"]

        def run():
            rule = ok(self.server, "POST", "/_shoal/faults", {
                "action": "SendMessage", "error": "InternalFailure", "probability": 0.5, "seed": 7})["rule"]
            outcomes = []
            for _ in range(24):
                try:
                    sqs.send_message(QueueUrl=url, MessageBody="x")
                    outcomes.append(True)
                except ClientError as e:
                    self.assertEqual(e.response["Error"]["Code"], "InternalFailure")
                    self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 500)
                    outcomes.append(False)
            ok(self.server, "DELETE", "/_shoal/faults/%d" % rule["id"])
            return outcomes

        first = run()
        self.assertEqual(first, run())
        self.assertIn(True, first)
        self.assertIn(False, first)

    def test_latency_is_added_without_blocking_other_requests(self):
        sqs = client("sqs", self.server.endpoint)
        url = sqs.create_queue(QueueName="slow")["QueueUrl"]
        ok(self.server, "POST", "/_shoal/faults", {"action": "SendMessage", "latency_ms": 400, "count": 1})
        started = time.monotonic()
        sqs.send_message(QueueUrl=url, MessageBody="late")
        self.assertGreaterEqual(time.monotonic() - started, 0.4)
        started = time.monotonic()
        sqs.send_message(QueueUrl=url, MessageBody="prompt")
        self.assertLess(time.monotonic() - started, 0.4)

    def test_dropped_connection(self):
        sqs = client("sqs", self.server.endpoint, attempts=1)
        url = sqs.create_queue(QueueName="dropped")["QueueUrl"]
        ok(self.server, "POST", "/_shoal/faults", {"action": "SendMessage", "drop_connection": True, "count": 1})
        with self.assertRaises((ConnectionClosedError, EndpointConnectionError)):
            sqs.send_message(QueueUrl=url, MessageBody="lost")
        peek = ok(self.server, "GET", "/_shoal/sqs/messages?queue=dropped")
        self.assertEqual(peek["Messages"], [])
        # With retries the SDK gets through on its next attempt.
        sent = client("sqs", self.server.endpoint, attempts=3)
        ok(self.server, "POST", "/_shoal/faults", {"action": "SendMessage", "drop_connection": True, "count": 1})
        self.assertEqual(sent.send_message(QueueUrl=url, MessageBody="kept")["ResponseMetadata"]["RetryAttempts"], 1)

    def test_invalid_rules_are_refused(self):
        status, body, _ = call(self.server, "POST", "/_shoal/faults", {"action": "SendMessage"})
        self.assertEqual(status, 400)
        self.assertIn("needs an effect", body["error"]["message"])


class LogTest(unittest.TestCase):
    def test_debug_logs_one_line_per_request(self):
        with ShoalServer("--log-level", "debug") as server:
            sqs = client("sqs", server.endpoint)
            sqs.create_queue(QueueName="logged")
            with self.assertRaises(ClientError):
                sqs.get_queue_url(QueueName="nope")
        text = server.stderr_text()
        self.assertRegex(text, r"debug request sqs CreateQueue logged 200 [0-9.]+ms")
        self.assertRegex(text, r"debug request sqs GetQueueUrl nope 400 [0-9.]+ms")
        self.assertIn("log level debug", text)

    def test_default_level_logs_no_requests_but_warns_of_server_errors(self):
        with ShoalServer(env={"SHOAL_LOG_LEVEL": "info"}) as server:
            sqs = client("sqs", server.endpoint)
            url = sqs.create_queue(QueueName="quiet")["QueueUrl"]
            ok(server, "POST", "/_shoal/faults?action=SendMessage&error=InternalFailure&count=1")
            with self.assertRaises(ClientError):
                sqs.send_message(QueueUrl=url, MessageBody="x")
        text = server.stderr_text()
        self.assertNotIn("request sqs CreateQueue", text)
        self.assertRegex(text, r"warn request sqs SendMessage quiet 500")
        self.assertRegex(text, r"shoal \d+\.\d+\.\d+ listening on \S+ \(in memory, \d+ threads?\); log level info; Boost \d+\.\d+\.\d+, OpenSSL \d")

    def test_debug_lines_name_the_stream_and_the_status_of_kinesis_requests(self):
        with ShoalServer("--log-level", "debug", "--kinesis-throttle", "true") as server:
            ok(server, "POST", "/_shoal/clock/freeze")
            kinesis = client("kinesis", server.endpoint)
            kinesis.create_stream(StreamName="traced", ShardCount=1)
            kinesis.put_records(StreamName="traced", Records=[{"Data": b"x", "PartitionKey": "k"}] * 500)
            kinesis.put_records(StreamName="traced", Records=[{"Data": b"x", "PartitionKey": "k"}] * 500)
            with self.assertRaises(ClientError):
                kinesis.put_record(StreamName="traced", Data=b"x", PartitionKey="k")
            iterator = kinesis.get_shard_iterator(StreamName="traced", ShardId="shardId-000000000000",
                                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            kinesis.get_records(ShardIterator=iterator, Limit=1)
        text = server.stderr_text()
        self.assertRegex(text, r"debug request kinesis CreateStream traced 200 [0-9.]+ms")
        self.assertRegex(text, r"debug request kinesis PutRecord traced 400 [0-9.]+ms")
        # GetRecords names its stream only inside the iterator; the line names it all the same.
        self.assertRegex(text, r"debug request kinesis GetRecords traced 200 [0-9.]+ms")

    def test_start_up_line_names_durable_storage(self):
        with tempfile.TemporaryDirectory() as data_dir:
            with ShoalServer("--data-dir", data_dir, "--log-level", "warn") as server:
                client("sqs", server.endpoint).create_queue(QueueName="kept")
            text = server.stderr_text()
        self.assertRegex(text, r"shoal \d+\.\d+\.\d+ listening on 127\.0\.0\.1:\d+ \(data dir " + re.escape(data_dir) +
                         r", fsync always, \d+ threads?\); log level warn; Boost \d+\.\d+\.\d+, OpenSSL \d")
        self.assertNotIn("request sqs CreateQueue", text)

    def test_bad_level_is_refused(self):
        result = subprocess.run([binary_path(), "--port", "0"], env={"SHOAL_LOG_LEVEL": "verbose"},
                                capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertIn("SHOAL_LOG_LEVEL 'verbose'", result.stderr)


if __name__ == "__main__":
    unittest.main()
