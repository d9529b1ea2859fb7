"""Concurrent load on one server with several I/O threads and a data directory
(fsync always, so answers wait for group commits): parallel SQS senders and
receivers, long polls woken by sends, by clock advances and by DeleteQueue,
Kinesis puts while shards split and merge. Each test checks that nothing is
lost or delivered twice. scripts/tsan.sh runs this file against a
ThreadSanitizer build of the binary, which is what it is mainly for; the
volumes are kept small so that stays quick.
"""

import concurrent.futures
import json
import shutil
import tempfile
import threading
import time
import unittest
import urllib.request

from botocore.exceptions import ClientError

from kinesis_helpers import kinesis_client, start_server, stop_server, wait_for
from test_sqs_messages import sqs_client

# Requests from worker threads can take a while under ThreadSanitizer.
FUTURE_TIMEOUT = 120


def run_all(functions):
    """Runs the callables on threads at once; returns their results, raising
    the first exception any of them raised."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(functions)) as pool:
        futures = [pool.submit(f) for f in functions]
        return [f.result(timeout=FUTURE_TIMEOUT) for f in futures]


class ConcurrentLoadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data_dir = tempfile.mkdtemp(prefix="shoal-load-")
        cls.server = start_server("--threads", "4", "--data-dir", cls.data_dir, "--fsync", "always",
                                  startup_timeout=60.0)
        # One client per service, shared by the threads (botocore clients are
        # thread-safe; each call takes its own pooled connection, up to 10):
        # making a client costs more than the calls these tests make.
        cls.sqs_shared = sqs_client(cls.server.endpoint)
        cls.kinesis_shared = kinesis_client(cls.server.endpoint)

    @classmethod
    def tearDownClass(cls):
        try:
            stop_server(cls.server)
        finally:
            shutil.rmtree(cls.data_dir, ignore_errors=True)

    def sqs(self):
        return self.sqs_shared

    def kinesis(self):
        return self.kinesis_shared

    def advance_clock(self, seconds):
        self.server.advance_clock(seconds)

    def get(self, path):
        with urllib.request.urlopen(self.server.endpoint + path, timeout=30) as resp:
            return resp.read()

    def health(self):
        return json.loads(self.get("/_shoal/health"))

    # -- SQS ---------------------------------------------------------------

    def test_parallel_senders_and_receivers_lose_and_duplicate_nothing(self):
        url = self.sqs().create_queue(QueueName="load-parallel")["QueueUrl"]
        senders, batches = 4, 5
        expected = {"%d-%d-%d" % (s, b, e) for s in range(senders) for b in range(batches) for e in range(10)}
        received = []
        lock = threading.Lock()
        sending = [senders]

        def send(s):
            client = self.sqs()
            for b in range(batches):
                entries = [{"Id": str(e), "MessageBody": "%d-%d-%d" % (s, b, e)} for e in range(10)]
                answer = client.send_message_batch(QueueUrl=url, Entries=entries)
                self.assertEqual(len(answer.get("Successful", [])), 10, answer)
            with lock:
                sending[0] -= 1

        def receive():
            client = self.sqs()
            while True:
                with lock:
                    if len(received) >= len(expected) and sending[0] == 0:
                        return
                got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
                messages = got.get("Messages", [])
                if not messages:
                    continue
                with lock:
                    received.extend(m["Body"] for m in messages)
                answer = client.delete_message_batch(QueueUrl=url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
                self.assertEqual(answer.get("Failed", []), [])

        def watch():  # the console's read paths while the load runs
            while True:
                with lock:
                    if len(received) >= len(expected):
                        return
                self.health()
                self.get("/_shoal/metrics")
                self.get("/_shoal/sqs/messages?queue=load-parallel")
                self.sqs().get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
                time.sleep(0.05)

        run_all([lambda s=s: send(s) for s in range(senders)] + [receive, receive, receive, watch])
        self.assertEqual(sorted(received), sorted(expected))

    def test_parked_long_polls_are_answered_by_sends_and_clock_advances(self):
        client = self.sqs()
        url = client.create_queue(QueueName="load-polls", Attributes={"VisibilityTimeout": "5"})["QueueUrl"]
        pollers = 4
        results = []
        lock = threading.Lock()

        def poll():
            got = self.sqs().receive_message(QueueUrl=url, WaitTimeSeconds=20, MaxNumberOfMessages=1)
            with lock:
                results.extend(m["Body"] for m in got.get("Messages", []))

        def senders():
            self.server.wait_parked(pollers, timeout=60)
            # Clock advances wake every parked poll to re-check while sends
            # race with them.
            run_all([lambda i=i: client.send_message(QueueUrl=url, MessageBody="m%d" % i) for i in range(pollers)]
                    + [lambda: self.advance_clock(1), lambda: self.advance_clock(1)])

        run_all([poll] * pollers + [senders])
        self.assertEqual(sorted(results), ["m%d" % i for i in range(pollers)])
        # Not deleted: their visibility runs out on the emulator's clock and
        # a second round of polls gets them again.
        self.advance_clock(6)
        got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        self.assertEqual(len(got.get("Messages", [])), pollers)

    def test_long_polls_parked_on_a_deleted_queue_all_end(self):
        client = self.sqs()
        url = client.create_queue(QueueName="load-deleted")["QueueUrl"]
        pollers = 4
        outcomes = []
        lock = threading.Lock()

        def poll():
            started = time.monotonic()
            try:
                got = self.sqs().receive_message(QueueUrl=url, WaitTimeSeconds=20)
                outcome = "messages" if got.get("Messages") else "empty"
            except ClientError as error:
                outcome = error.response["Error"]["Code"]
            with lock:
                outcomes.append((outcome, time.monotonic() - started))

        def delete():
            self.server.wait_parked(pollers, timeout=60)
            client.delete_queue(QueueUrl=url)

        run_all([poll] * pollers + [delete])
        self.assertEqual(len(outcomes), pollers)
        for outcome, seconds in outcomes:
            self.assertIn(outcome, ("empty", "AWS.SimpleQueueService.NonExistentQueue"))
            self.assertLess(seconds, 19, "a poll waited out its 20 s instead of ending with the queue")
        wait_for(lambda: self.health()["parked_long_polls"] == 0, timeout=30, what="no parked polls")

    # -- Kinesis -----------------------------------------------------------

    def test_puts_while_shards_split_and_merge_are_all_readable_once(self):
        client = self.kinesis()
        name = "load-reshard"
        client.create_stream(StreamName=name, ShardCount=2)
        wait_for(lambda: client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
                 ["StreamStatus"] == "ACTIVE", timeout=30, what="ACTIVE")
        writers, batches = 3, 6
        acknowledged = []
        lock = threading.Lock()
        writing = [writers]

        def put(w):
            k = self.kinesis()
            for b in range(batches):
                records = [{"Data": ("%d-%d-%d" % (w, b, i)).encode(), "PartitionKey": "pk-%d-%d-%d" % (w, b, i)}
                           for i in range(10)]
                answer = k.put_records(StreamName=name, Records=records)
                self.assertEqual(answer["FailedRecordCount"], 0, answer)
                with lock:
                    acknowledged.extend(r["Data"].decode() for r in records)
            with lock:
                writing[0] -= 1

        def reshard():
            k = self.kinesis()
            targets = [4, 2, 3]
            for target in targets:
                with lock:
                    if writing[0] == 0 and target != targets[0]:
                        return
                k.update_shard_count(StreamName=name, TargetShardCount=target, ScalingType="UNIFORM_SCALING")
                wait_for(lambda: k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
                         ["StreamStatus"] == "ACTIVE", timeout=60, what="ACTIVE after resharding")

        def read_while_writing():
            k = self.kinesis()
            while True:
                with lock:
                    if writing[0] == 0:
                        return
                self.get("/_shoal/kinesis/shards?StreamName=" + name)
                for shard in k.list_shards(StreamName=name)["Shards"]:
                    it = k.get_shard_iterator(StreamName=name, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
                    k.get_records(ShardIterator=it, Limit=100)

        run_all([lambda w=w: put(w) for w in range(writers)] + [reshard, read_while_writing])

        read = []
        for shard in client.list_shards(StreamName=name)["Shards"]:
            it = client.get_shard_iterator(StreamName=name, ShardId=shard["ShardId"],
                                           ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while it:
                got = client.get_records(ShardIterator=it, Limit=1000)
                read.extend(r["Data"].decode() for r in got["Records"])
                if not got["Records"]:
                    break
                it = got.get("NextShardIterator")
        self.assertEqual(sorted(read), sorted(acknowledged))
        self.assertEqual(len(acknowledged), writers * batches * 10)


if __name__ == "__main__":
    unittest.main()
