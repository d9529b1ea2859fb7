"""Crash test for --data-dir: kill -9 at random moments, restart, check.

Each round starts shoal on one data directory, drives SQS (standard and FIFO)
and Kinesis with real boto3 clients from several threads, kills the process
with SIGKILL at a random moment while requests are in flight, restarts it and
checks what a user would:
  - every acknowledged SendMessage is there, unless someone deleted it;
  - every acknowledged DeleteMessage stays deleted (no resurrection);
  - a FIFO group comes back in send order with no gaps;
  - every acknowledged PutRecord is readable under the sequence number it was
    given, sequence numbers keep increasing across restarts, and a shard
    iterator issued before the kill still works after the restart.
Unacknowledged requests (cut by the kill) may or may not have landed.

Run it alone:  python3 -m unittest -v test_durability_crash
Environment: SHOAL_CRASH_ROUNDS (default 8), SHOAL_CRASH_SEED (default: random,
printed so a failure can be replayed).
"""

import os
import random
import shutil
import tempfile
import threading
import time
import unittest

import boto3
import botocore.config
import botocore.exceptions

from shoal_server import ShoalServer, stop_checked

REGION = "us-east-1"
ROUNDS = int(os.environ.get("SHOAL_CRASH_ROUNDS", "8"))
SEED = int(os.environ.get("SHOAL_CRASH_SEED", str(random.randrange(1 << 30))))
NOT_ACKED = (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError, ConnectionError, OSError)


def client(service, endpoint):
    return boto3.client(
        service, endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id="test", aws_secret_access_key="test",
        config=botocore.config.Config(retries={"total_max_attempts": 1}, connect_timeout=2,
                                      read_timeout=10, max_pool_connections=20))


class Ledger:
    """What the clients were told, across rounds. Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = {}           # body -> MessageId, acknowledged sends (standard queue)
        self.attempted = set()   # bodies sent, acknowledged or not
        self.deleted = set()     # bodies whose DeleteMessage was acknowledged
        self.delete_attempted = set()
        self.fifo_acked = -1     # highest FIFO number acknowledged
        self.fifo_attempted = -1
        self.fifo_next = 0       # next FIFO number the verifier expects to receive
        self.records = {}        # sequence number -> (shard id, data), acknowledged puts
        self.record_attempts = set()


class DurabilityCrashTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="shoal-crash-")
        self.rng = random.Random(SEED)
        self.ledger = Ledger()
        self.counter = 0

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self):
        server = ShoalServer("--data-dir", self.dir, "--fsync", "always", "--threads", "2")
        server.start()
        return server

    # -- drivers (each runs until stop is set or the server dies) -------------

    def next_body(self, prefix):
        with self.ledger.lock:
            self.counter += 1
            return "%s-%d" % (prefix, self.counter)

    def sqs_sender(self, sqs, url, stop):
        while not stop.is_set():
            body = self.next_body("m")
            with self.ledger.lock:
                self.ledger.attempted.add(body)
            try:
                out = sqs.send_message(QueueUrl=url, MessageBody=body)
            except NOT_ACKED:
                return
            with self.ledger.lock:
                self.ledger.sent[body] = out["MessageId"]

    def sqs_deleter(self, sqs, url, stop):
        while not stop.is_set():
            try:
                got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
            except NOT_ACKED:
                return
            for m in got.get("Messages", []):
                if self.rng.random() < 0.5:
                    continue
                with self.ledger.lock:
                    self.ledger.delete_attempted.add(m["Body"])
                try:
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                except NOT_ACKED:
                    return
                with self.ledger.lock:
                    self.ledger.deleted.add(m["Body"])

    def fifo_sender(self, sqs, url, stop):
        while not stop.is_set():
            with self.ledger.lock:
                n = self.ledger.fifo_attempted + 1
                self.ledger.fifo_attempted = n
            try:
                sqs.send_message(QueueUrl=url, MessageBody=str(n), MessageGroupId="g",
                                 MessageDeduplicationId="n%d" % n)
            except NOT_ACKED:
                return
            with self.ledger.lock:
                self.ledger.fifo_acked = n

    def kinesis_putter(self, kinesis, stop):
        while not stop.is_set():
            data = self.next_body("r").encode()
            with self.ledger.lock:
                self.ledger.record_attempts.add(data)
            try:
                out = kinesis.put_record(StreamName="crash", Data=data, PartitionKey=data.decode())
            except NOT_ACKED:
                return
            with self.ledger.lock:
                self.ledger.records[out["SequenceNumber"]] = (out["ShardId"], data)

    # -- checks after a restart -----------------------------------------------

    def check_standard_queue(self, sqs, url):
        """Receives everything (hidden for the check), then makes it visible again."""
        present, handles = {}, []
        while True:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600)
            messages = got.get("Messages", [])
            if not messages:
                break
            for m in messages:
                self.assertNotIn(m["Body"], present, "message delivered twice in one sweep")
                present[m["Body"]] = m["MessageId"]
                handles.append(m["ReceiptHandle"])
        with self.ledger.lock:
            for body, message_id in self.ledger.sent.items():
                if body in self.ledger.deleted:
                    self.assertNotIn(body, present, "acknowledged delete of %s came back" % body)
                elif body not in self.ledger.delete_attempted:  # a cut delete may have landed
                    self.assertIn(body, present, "acknowledged send of %s was lost" % body)
                    self.assertEqual(present[body], message_id)
            for body in present:
                self.assertIn(body, self.ledger.attempted)
                self.assertNotIn(body, self.ledger.deleted, "acknowledged delete of %s came back" % body)
        for i in range(0, len(handles), 10):
            entries = [{"Id": str(j), "ReceiptHandle": h, "VisibilityTimeout": 0}
                       for j, h in enumerate(handles[i:i + 10])]
            out = sqs.change_message_visibility_batch(QueueUrl=url, Entries=entries)
            self.assertFalse(out.get("Failed"), out.get("Failed"))
        return len(present)

    def check_fifo_queue(self, sqs, url):
        """Receives and deletes every message: the numbers must run on without gaps."""
        while True:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600)
            messages = got.get("Messages", [])
            if not messages:
                break
            for m in messages:
                with self.ledger.lock:
                    self.assertEqual(int(m["Body"]), self.ledger.fifo_next, "FIFO order broken or gap")
                    self.ledger.fifo_next += 1
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        with self.ledger.lock:
            self.assertGreater(self.ledger.fifo_next, self.ledger.fifo_acked,
                               "acknowledged FIFO send %d was lost" % self.ledger.fifo_acked)
            self.assertLessEqual(self.ledger.fifo_next, self.ledger.fifo_attempted + 1)
            # What was attempted but not delivered never can be now; renumber from here.
            self.ledger.fifo_attempted = self.ledger.fifo_next - 1

    def check_stream(self, kinesis, old_iterators):
        shards = kinesis.list_shards(StreamName="crash")["Shards"]
        found = {}
        for shard in shards:
            it = kinesis.get_shard_iterator(StreamName="crash", ShardId=shard["ShardId"],
                                            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            previous = -1
            while it:
                out = kinesis.get_records(ShardIterator=it, Limit=10000)
                for r in out["Records"]:
                    seq = int(r["SequenceNumber"])
                    self.assertGreater(seq, previous, "sequence numbers out of order")
                    previous = seq
                    found[r["SequenceNumber"]] = (shard["ShardId"], r["Data"])
                if not out["Records"]:
                    break
                it = out.get("NextShardIterator")
        with self.ledger.lock:
            for seq, value in self.ledger.records.items():
                self.assertIn(seq, found, "acknowledged put %s was lost" % seq)
                self.assertEqual(found[seq], value)
            for shard_id, data in found.values():
                self.assertIn(data, self.ledger.record_attempts)
        for shard_id, it in old_iterators.items():
            out = kinesis.get_records(ShardIterator=it)  # issued before the kill
            self.assertIn("Records", out, shard_id)
        return len(found)

    # -- the test -------------------------------------------------------------

    def test_kill_9_loses_no_acknowledged_write(self):
        print("\nshoal crash test: seed %d, %d rounds" % (SEED, ROUNDS))
        began = time.monotonic()
        server = self.start()
        sqs, kinesis = client("sqs", server.endpoint), client("kinesis", server.endpoint)
        url = sqs.create_queue(QueueName="crash")["QueueUrl"]
        fifo_url = sqs.create_queue(QueueName="crash.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        kinesis.create_stream(StreamName="crash", ShardCount=2)
        for round_number in range(ROUNDS):
            sqs, kinesis = client("sqs", server.endpoint), client("kinesis", server.endpoint)
            old_iterators = {
                s["ShardId"]: kinesis.get_shard_iterator(StreamName="crash", ShardId=s["ShardId"],
                                                         ShardIteratorType="LATEST")["ShardIterator"]
                for s in kinesis.list_shards(StreamName="crash")["Shards"]}
            stop = threading.Event()
            workers = [
                threading.Thread(target=self.sqs_sender, args=(sqs, url, stop)),
                threading.Thread(target=self.sqs_sender, args=(sqs, url, stop)),
                threading.Thread(target=self.sqs_deleter, args=(sqs, url, stop)),
                threading.Thread(target=self.fifo_sender, args=(sqs, fifo_url, stop)),
                threading.Thread(target=self.kinesis_putter, args=(kinesis, stop)),
                threading.Thread(target=self.kinesis_putter, args=(kinesis, stop)),
            ]
            for w in workers:
                w.start()
            time.sleep(self.rng.uniform(0.2, 0.8))
            server.kill()  # SIGKILL with requests in flight
            stop.set()
            for w in workers:
                w.join(15)
                self.assertFalse(w.is_alive())

            server = self.start()
            self.assertIn("recovered", server.stderr_text())
            sqs, kinesis = client("sqs", server.endpoint), client("kinesis", server.endpoint)
            messages = self.check_standard_queue(sqs, url)
            self.check_fifo_queue(sqs, fifo_url)
            records = self.check_stream(kinesis, old_iterators)
            print("round %d: %d messages, %d FIFO delivered, %d records, %d deletes" % (
                round_number, messages, self.ledger.fifo_next, records, len(self.ledger.deleted)))
        stop_checked(server)
        # A graceful stop and start recovers the same state too.
        server = self.start()
        sqs = client("sqs", server.endpoint)
        self.check_standard_queue(sqs, url)
        stop_checked(server)
        print("crash test took %.1fs" % (time.monotonic() - began))


if __name__ == "__main__":
    unittest.main()
