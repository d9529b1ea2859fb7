"""AWS's per-shard Kinesis throughput limits (--kinesis-throttle / KINESIS_THROTTLE)
against the real binary with boto3: PutRecords fails only the records over a
shard's 1,000 records/s or 1 MiB/s (partition key + data), PutRecord and the
sixth GetRecords in a second get ProvisionedThroughputExceededException, and
advancing the emulator's clock lets calls through again. The clock is frozen
so a slow machine cannot refill a bucket between calls. Off by default."""

import tempfile
import unittest

from botocore.exceptions import ClientError

from control_client import client, ok
from shoal_server import ServerTestCase, ShoalServer

ACCOUNT = "000000000000"
SHARD0 = "0"               # ExplicitHashKey on shard 0 of a 2-shard stream
SHARD1 = str(2 ** 127)     # ... and on shard 1
MiB = 1024 * 1024


def rate_exceeded(shard, stream):
    return "Rate exceeded for shard %s in stream %s under account %s." % (shard, stream, ACCOUNT)


def records(n, hash_key=SHARD0, size=10):
    return [{"Data": b"x" * size, "PartitionKey": "k", "ExplicitHashKey": hash_key} for _ in range(n)]


class ThrottleTest(ServerTestCase):
    server_args = ("--kinesis-throttle", "true")

    def setUp(self):
        super().setUp()
        ok(self.server, "POST", "/_shoal/clock/freeze")
        self.kinesis = client("kinesis", self.server.endpoint, attempts=1)

    def advance(self, seconds):
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=%s" % seconds)

    def assert_throttled(self, call, stream, shard="shardId-000000000000"):
        with self.assertRaises(ClientError) as e:
            call()
        self.assertEqual(e.exception.response["Error"]["Code"], "ProvisionedThroughputExceededException")
        self.assertEqual(e.exception.response["Error"]["Message"], rate_exceeded(shard, stream))
        self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_a_burst_over_1000_records_on_one_shard_fails_only_the_excess(self):
        self.kinesis.create_stream(StreamName="burst", ShardCount=2)
        for _ in range(2):
            sent = self.kinesis.put_records(StreamName="burst", Records=records(500))
            self.assertEqual(sent["FailedRecordCount"], 0)
        # Shard 0 has had its 1,000 records this second; shard 1 has room.
        mixed = records(300) + records(200, SHARD1)
        sent = self.kinesis.put_records(StreamName="burst", Records=mixed)
        self.assertEqual(sent["FailedRecordCount"], 300)
        for entry in sent["Records"][:300]:
            self.assertEqual(entry, {"ErrorCode": "ProvisionedThroughputExceededException",
                                     "ErrorMessage": rate_exceeded("shardId-000000000000", "burst")})
        for entry in sent["Records"][300:]:
            self.assertEqual(entry["ShardId"], "shardId-000000000001")
            self.assertIn("SequenceNumber", entry)
        self.assert_throttled(lambda: self.kinesis.put_record(
            StreamName="burst", Data=b"x", PartitionKey="k", ExplicitHashKey=SHARD0), "burst")

        self.advance(1)
        sent = self.kinesis.put_records(StreamName="burst", Records=records(500))
        self.assertEqual(sent["FailedRecordCount"], 0)
        # What was refused was not written: 1,000 + 500 on shard 0.
        shards = ok(self.server, "GET", "/_shoal/kinesis/shards?StreamName=burst")["Shards"]
        self.assertEqual([s["Records"] for s in shards], [1500, 200])

    def test_a_mebibyte_a_second_counts_partition_key_and_data(self):
        self.kinesis.create_stream(StreamName="bytes", ShardCount=1)
        # 256 bytes of key + 1 MiB - 256 of data: exactly a second's worth.
        self.kinesis.put_record(StreamName="bytes", Data=b"d" * (MiB - 256), PartitionKey="p" * 256)
        self.assert_throttled(lambda: self.kinesis.put_record(StreamName="bytes", Data=b"x", PartitionKey="k"),
                              "bytes")
        self.advance(0.001)  # a millisecond refills a KiB
        self.kinesis.put_record(StreamName="bytes", Data=b"x" * 1000, PartitionKey="k")

    def test_the_sixth_get_records_in_a_second_on_a_shard_is_throttled(self):
        self.kinesis.create_stream(StreamName="reads", ShardCount=1)
        self.kinesis.put_record(StreamName="reads", Data=b"hello", PartitionKey="k")
        iterator = self.kinesis.get_shard_iterator(StreamName="reads", ShardId="shardId-000000000000",
                                                   ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for _ in range(5):
            got = self.kinesis.get_records(ShardIterator=iterator)
            self.assertEqual([r["Data"] for r in got["Records"]], [b"hello"])
        self.assert_throttled(lambda: self.kinesis.get_records(ShardIterator=iterator), "reads")
        self.advance(1)
        got = self.kinesis.get_records(ShardIterator=iterator)  # the same iterator still works
        self.assertEqual([r["Data"] for r in got["Records"]], [b"hello"])

    def test_boto3_retries_a_throttled_put_record_and_gets_through_once_time_has_moved(self):
        self.kinesis.create_stream(StreamName="retry", ShardCount=1)
        self.kinesis.put_records(StreamName="retry", Records=records(500))
        self.kinesis.put_records(StreamName="retry", Records=records(500))
        patient = client("kinesis", self.server.endpoint, attempts=5)
        # After each attempt (while the SDK decides whether to retry), a second passes.
        patient.meta.events.register("needs-retry.kinesis.PutRecord", lambda **_: self.advance(1))
        put = patient.put_record(StreamName="retry", Data=b"x", PartitionKey="k")
        self.assertEqual(put["ShardId"], "shardId-000000000000")
        self.assertEqual(put["ResponseMetadata"]["RetryAttempts"], 1)


class ThrottleDurableTest(unittest.TestCase):
    def test_only_accepted_records_survive_a_restart(self):
        with tempfile.TemporaryDirectory() as data_dir:
            with ShoalServer("--kinesis-throttle", "true", "--data-dir", data_dir) as server:
                ok(server, "POST", "/_shoal/clock/freeze")
                kinesis = client("kinesis", server.endpoint)
                kinesis.create_stream(StreamName="kept", ShardCount=1)
                for _ in range(3):
                    kinesis.put_records(StreamName="kept", Records=records(500))
                with self.assertRaises(ClientError):
                    kinesis.put_record(StreamName="kept", Data=b"x", PartitionKey="k")
            with ShoalServer("--kinesis-throttle", "true", "--data-dir", data_dir) as server:
                shards = ok(server, "GET", "/_shoal/kinesis/shards?StreamName=kept")["Shards"]
                self.assertEqual(shards[0]["Records"], 1000)
                # A restart starts every shard with a full second's allowance.
                kinesis = client("kinesis", server.endpoint)
                self.assertEqual(kinesis.put_records(StreamName="kept", Records=records(500))["FailedRecordCount"], 0)


class ThrottleOffTest(unittest.TestCase):
    def test_off_by_default_and_on_through_kinesis_throttle(self):
        with ShoalServer() as server:
            kinesis = client("kinesis", server.endpoint)
            kinesis.create_stream(StreamName="free", ShardCount=1)
            for _ in range(4):
                self.assertEqual(kinesis.put_records(StreamName="free", Records=records(500))["FailedRecordCount"], 0)
        self.assertNotIn("throughput limits on", server.stderr_text())

        with ShoalServer(env={"KINESIS_THROTTLE": "true"}) as server:
            ok(server, "POST", "/_shoal/clock/freeze")
            kinesis = client("kinesis", server.endpoint)
            kinesis.create_stream(StreamName="limited", ShardCount=1)
            kinesis.put_records(StreamName="limited", Records=records(500))
            kinesis.put_records(StreamName="limited", Records=records(500))
            self.assertEqual(kinesis.put_records(StreamName="limited", Records=records(10))["FailedRecordCount"], 10)
        self.assertIn("Kinesis shard throughput limits on", server.stderr_text())


if __name__ == "__main__":
    unittest.main()
