"""The benchmark's instruments against the real server, on small counts: the
driver moves exactly what it reports, the wrk scripts send requests the server
accepts, and run.py's plumbing reads both. A wrong count here would make every
figure of bench/run.py wrong.

Needs $SHOAL_BINARY and $SHOAL_BENCH_DRIVER (CTest sets both) and wrk.
"""
import os
import shutil
import sys
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "integration"))

import boto3  # noqa: E402

import http2  # noqa: E402
import subscribe  # noqa: E402
import subscribe_idle  # noqa: E402
import workloads  # noqa: E402
from shoal_server import ServerTestCase  # noqa: E402

DRIVER = os.environ.get("SHOAL_BENCH_DRIVER",
                        os.path.join(HERE, "..", "..", "build", "bench", "shoal_bench_driver"))


class BenchToolsTest(ServerTestCase):
    def setUp(self):
        self.settings = workloads.Settings(wrk=shutil.which("wrk"), driver=DRIVER, seconds=1, items=0,
                                           long_poll_rounds=5, time_limit_s=60)
        self.target = type("Target", (), {"port": self.server.port})()
        kw = dict(endpoint_url=self.server.endpoint, region_name="us-east-1", aws_access_key_id="test",
                  aws_secret_access_key="test")
        self.sqs = boto3.client("sqs", **kw)
        self.kinesis = boto3.client("kinesis", **kw)

    def queue_counts(self, url):
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        return int(attrs["ApproximateNumberOfMessages"]), int(attrs["ApproximateNumberOfMessagesNotVisible"])

    def driver(self, workload, **flags):
        return workloads.driver(self.settings, self.server.port, workload, **flags)

    def test_fill_then_drain_moves_every_message_once(self):
        url = workloads.create_queue(self.target, "drain")
        fill = self.driver("sqs-fill", queue_url=url, count=2005, size_bytes=256, connections=3)
        self.assertEqual((fill["items"], fill["errors"]), (2005, 0))
        self.assertEqual(self.queue_counts(url), (2005, 0))
        drain = self.driver("sqs-drain", queue_url=url, count=2005, connections=4)
        self.assertEqual((drain["items"], drain["errors"]), (2005, 0))
        self.assertEqual(self.queue_counts(url), (0, 0))
        self.assertGreater(drain["items_s"], 0)

    def test_drain_of_a_short_queue_stops_and_reports_what_it_moved(self):
        url = workloads.create_queue(self.target, "short")
        self.driver("sqs-fill", queue_url=url, count=30, size_bytes=256, connections=1)
        drain = self.driver("sqs-drain", queue_url=url, count=50, connections=2)
        self.assertEqual(drain["items"], 30)

    def test_fifo_drain_sees_every_group_in_order(self):
        url = workloads.create_queue(self.target, "drain.fifo", fifo=True)
        fill = self.driver("sqs-fill", queue_url=url, count=1000, size_bytes=256, groups=10)
        self.assertEqual((fill["items"], fill["errors"]), (1000, 0))
        drain = self.driver("sqs-drain", queue_url=url, count=1000, connections=8, groups=10)
        self.assertEqual((drain["items"], drain["errors"], drain["out_of_order"]), (1000, 0, 0))
        self.assertEqual(self.queue_counts(url), (0, 0))

    def test_long_poll_rounds_are_woken_by_the_send(self):
        url = workloads.create_queue(self.target, "poll")
        r = self.driver("sqs-long-poll", queue_url=url, rounds=5, pause_ms=10)
        self.assertEqual((r["calls"], r["errors"]), (5, 0))
        self.assertLess(r["p99_ms"], 1000)  # woken, not answered at the 20 s timeout
        self.assertEqual(self.queue_counts(url), (0, 0))

    def test_kinesis_fill_then_drain_reads_every_record(self):
        workloads.create_stream(self.target, "drain", shards=4)
        fill = self.driver("kinesis-fill", stream="drain", count=1203, size_bytes=1024, connections=2)
        self.assertEqual((fill["items"], fill["errors"]), (1203, 0))
        drain = self.driver("kinesis-drain", stream="drain", count=1203)
        self.assertEqual((drain["items"], drain["errors"]), (1203, 0))
        summary = self.kinesis.describe_stream_summary(StreamName="drain")["StreamDescriptionSummary"]
        self.assertEqual(summary["OpenShardCount"], 4)

    @unittest.skipUnless(shutil.which("wrk"), "wrk is not installed")
    def test_wrk_scripts_send_requests_the_server_accepts(self):
        url = workloads.create_queue(self.target, "wrk")
        for script in ("sqs_send_message.lua", "sqs_send_message_batch.lua"):
            r = workloads.wrk(self.settings, self.server.port, script, 2, {"QUEUE_URL": url})
            self.assertEqual(r["errors"], 0, script)
            self.assertGreater(r["ops"], 0, script)
        self.assertGreater(self.queue_counts(url)[0], 0)
        workloads.create_stream(self.target, "wrk")
        for script in ("kinesis_put_record.lua", "kinesis_put_records.lua"):
            r = workloads.wrk(self.settings, self.server.port, script, 2, {"STREAM": "wrk"})
            self.assertEqual(r["errors"], 0, script)
            self.assertGreater(r["ops"], 0, script)
        shards = self.kinesis.list_shards(StreamName="wrk")["Shards"]
        it = self.kinesis.get_shard_iterator(StreamName="wrk", ShardId=shards[0]["ShardId"],
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertTrue(self.kinesis.get_records(ShardIterator=it, Limit=10)["Records"])


class SubscribeBenchTest(ServerTestCase):
    def test_put_to_push_is_measured_over_http11_and_h2c(self):
        # 300 pushes are past h2c's initial 64 KiB window: the client's
        # WINDOW_UPDATEs must keep the subscription stream flowing.
        for protocol in subscribe.PROTOCOLS:
            r = subscribe.measure(self.server.port, 300, protocol)
            self.assertEqual(r["count"], 300, protocol)
            self.assertGreater(r["p50_ms"], 0, protocol)

    def test_idle_subscriptions_open_counted_and_freed_over_both_protocols(self):
        # 25 consumers span two streams (20 per stream at most); 10 h2c
        # streams per connection instead of 100 checks the grouping in small.
        arns = subscribe_idle.create_consumers(self.server.port, 25)
        self.assertEqual(len(set(arns)), 25)
        with mock.patch.object(subscribe_idle, "STREAMS_PER_H2_CONNECTION", 10):
            for opener in (subscribe_idle.Http1Subscriptions, subscribe_idle.H2Subscriptions):
                rss, _, _ = subscribe_idle.open_and_close(self.server, arns, opener)  # waits for 25, then 0
                self.assertGreater(rss, 0)


@unittest.skipUnless(shutil.which("h2load"), "h2load (nghttp2-client) is missing")
class Http2BenchTest(ServerTestCase):
    def test_h2load_requests_are_accepted_over_http11_and_h2c(self):
        queue_url = workloads.create_queue(self.server, "bench")
        workloads.create_stream(self.server, "bench", shards=1)
        for headers, body, workload in http2.requests(queue_url, "bench"):
            for http1 in (True, False):
                r = http2.h2load(1, self.server.port, headers, body, 2, 1 if http1 else 4, http1)
                self.assertGreater(r["ops"], 0, workload)
                self.assertEqual(r["errors"], 0, "%s over %s" % (workload, "HTTP/1.1" if http1 else "h2c"))


if __name__ == "__main__":
    unittest.main()
