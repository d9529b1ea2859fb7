"""A full disk under --data-dir, with the real binary on a small tmpfs (issue 13, item 5).

What a user would notice:
  - the server stays up: changes get AWS's 503 ServiceUnavailable in each
    protocol's shape (SQS JSON, SQS query XML, Kinesis JSON), reads keep
    answering, and /_shoal/health says why the data log cannot be written;
  - once space returns it takes changes again by itself, without a restart;
  - after kill -9 and a restart the queues hold exactly what they held before:
    every acknowledged send, and the one send that raced the full disk (it got
    503, but the engine had applied it, so the log got it too: all or nothing);
  - a start on a full disk comes up read-only and catches up when space returns.

The disk is a 8 MiB tmpfs mounted for the test, which needs root (CI runs as
root); elsewhere the test is skipped, saying why.

Run it alone:  python3 -m unittest -v test_durability_full_disk
"""

import errno
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

import botocore.exceptions

from control_client import call, client, ok, wait_until
from shoal_server import ShoalServer, stop_checked

BIG = "b" * 100_000  # needs fresh pages on the tmpfs: a write that cannot fit


def mount_tmpfs(path, size):
    if os.geteuid() != 0:
        return "not root: cannot mount a tmpfs"
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s" % size, "tmpfs", path],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return None if proc.returncode == 0 else "mount -t tmpfs failed: " + proc.stdout.strip()


class FullDiskTest(unittest.TestCase):
    def setUp(self):
        self.mount = tempfile.mkdtemp(prefix="shoal-fulldisk-")
        why = mount_tmpfs(self.mount, "8m")
        if why:
            os.rmdir(self.mount)
            self.skipTest(why)
        self.dir = os.path.join(self.mount, "data")
        self.filler = os.path.join(self.mount, "filler")
        self.server = None

    def tearDown(self):
        if self.server is not None:
            self.server.kill()
        subprocess.run(["umount", self.mount], check=False)
        shutil.rmtree(self.mount, ignore_errors=True)

    def start(self):
        self.server = ShoalServer("--data-dir", self.dir)
        self.server.start()
        self.sqs = client("sqs", self.server.endpoint)
        self.kinesis = client("kinesis", self.server.endpoint)
        return self.server

    def fill_disk(self):
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            chunk = b"\0" * 65536
            while True:
                try:
                    os.write(fd, chunk)
                except OSError as e:
                    if e.errno != errno.ENOSPC:
                        raise
                    if len(chunk) == 1:
                        break
                    chunk = chunk[: len(chunk) // 2]
        finally:
            os.close(fd)

    def free_disk(self):
        os.remove(self.filler)

    def log_writable(self):
        return ok(self.server, "GET", "/_shoal/health")["data_log"]["writable"]

    def assert_unavailable(self, fn, **kwargs):
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            fn(**kwargs)
        err = caught.exception.response
        self.assertEqual(err["Error"]["Code"], "ServiceUnavailable")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 503)

    def bodies(self, url):
        query = urllib.parse.urlencode({"QueueUrl": url})
        return sorted(m["Body"] for m in ok(self.server, "GET", "/_shoal/sqs/messages?" + query)["Messages"])

    def query_send(self, url):
        """SendMessage in the query protocol: (status, XML body)."""
        data = urllib.parse.urlencode({"Action": "SendMessage", "QueueUrl": url, "MessageBody": "q",
                                       "Version": "2012-11-05"}).encode()
        req = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def test_a_full_disk_refuses_changes_with_503_keeps_reads_and_recovers_by_itself(self):
        self.start()
        url = self.sqs.create_queue(QueueName="jobs")["QueueUrl"]
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="acked %d" % i)
        self.kinesis.create_stream(StreamName="events", ShardCount=1)
        self.kinesis.put_record(StreamName="events", Data=b"one", PartitionKey="k")
        self.fill_disk()

        # The first change cannot be written: not acknowledged, but applied (kept for the log).
        self.assert_unavailable(self.sqs.send_message, QueueUrl=url, MessageBody=BIG)
        wait_until(lambda: not self.log_writable())
        # Later changes are refused before they are made, in every protocol.
        self.assert_unavailable(self.sqs.send_message, QueueUrl=url, MessageBody="refused")
        self.assert_unavailable(self.sqs.create_queue, QueueName="refused")
        self.assert_unavailable(self.kinesis.put_record, StreamName="events", Data=b"two", PartitionKey="k")
        status, xml = self.query_send(url)
        self.assertEqual(status, 503)
        self.assertIn("<Code>ServiceUnavailable</Code>", xml)
        self.assertIn("<Type>Receiver</Type>", xml)

        # Reads go on, and the process is still there.
        self.assertEqual(self.sqs.list_queues()["QueueUrls"], [url])
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(attributes["Attributes"]["ApproximateNumberOfMessages"], "4")
        shard = self.kinesis.list_shards(StreamName="events")["Shards"][0]["ShardId"]
        iterator = self.kinesis.get_shard_iterator(StreamName="events", ShardId=shard,
                                                   ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual([r["Data"] for r in self.kinesis.get_records(ShardIterator=iterator)["Records"]], [b"one"])
        health = ok(self.server, "GET", "/_shoal/health")
        self.assertIn("No space left on device", health["data_log"]["failure"])
        self.assertIsNone(self.server.proc.poll())
        self.assertEqual(self.server.stderr_text().count("the data log cannot be written"), 1)

        self.free_disk()
        wait_until(self.log_writable, timeout=10)
        self.sqs.send_message(QueueUrl=url, MessageBody="after")
        self.kinesis.put_record(StreamName="events", Data=b"three", PartitionKey="k")
        self.assertIn("the data log can be written again", self.server.stderr_text())
        before = self.bodies(url)
        self.assertEqual(before, sorted(["acked 0", "acked 1", "acked 2", BIG, "after"]))

        self.server.kill()  # kill -9
        self.start()
        self.assertEqual(self.bodies(url), before, "the engine and the log disagree after the full disk")
        iterator = self.kinesis.get_shard_iterator(StreamName="events", ShardId=shard,
                                                   ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        got = [r["Data"] for r in self.kinesis.get_records(ShardIterator=iterator)["Records"]]
        self.assertEqual(got, [b"one", b"three"])
        stop_checked(self.server)
        self.server = None

    def test_a_start_on_a_full_disk_comes_up_read_only_and_catches_up(self):
        self.start()
        url = self.sqs.create_queue(QueueName="jobs")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="before")
        stop_checked(self.server)
        self.fill_disk()

        server = self.start()
        wait_until(lambda: "the data log cannot be written" in server.stderr_text())  # the writer says it
        self.assertFalse(self.log_writable())
        self.assertEqual(self.bodies(url), ["before"])
        self.assert_unavailable(self.sqs.send_message, QueueUrl=url, MessageBody="refused")

        self.free_disk()
        wait_until(self.log_writable, timeout=10)
        self.sqs.send_message(QueueUrl=url, MessageBody="after")
        self.server.kill()
        self.start()
        self.assertEqual(self.bodies(url), ["after", "before"])
        stop_checked(self.server)
        self.server = None


if __name__ == "__main__":
    unittest.main()
