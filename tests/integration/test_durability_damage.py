"""A damaged data directory with the real binary: issue 13's steps, items 2 and 3.

What a user would notice:
  - an older log segment emptied to 0 bytes is damage: the start is refused with
    the file named (it used to start with "0 queues" and no warning), and
    --drop-damaged-log starts anyway, saying on WARNING lines what it dropped;
  - a refused start deletes and rewrites nothing: with a damaged snapshot beside
    the segments it would replace, every segment is still there afterwards, and
    --drop-damaged-log replays them instead of the snapshot, losing nothing.

Run it alone:  python3 -m unittest -v test_durability_damage
"""

import os
import shutil
import subprocess
import tempfile
import unittest

from control_client import client
from shoal_server import ShoalServer, binary_path, stop_checked


def files_of(directory):
    """name -> bytes of every log file: what a refused start must leave alone."""
    out = {}
    for name in sorted(os.listdir(directory)):
        if name.startswith(("segment-", "snapshot-")):
            with open(os.path.join(directory, name), "rb") as f:
                out[name] = f.read()
    return out


def segments(directory):
    return sorted(n for n in os.listdir(directory) if n.startswith("segment-") and n.endswith(".log"))


class DamagedLogTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="shoal-damage-")
        self.server = None

    def tearDown(self):
        if self.server is not None:
            self.server.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, *extra):
        self.server = ShoalServer("--data-dir", self.dir, *extra)
        self.server.start()
        self.sqs = client("sqs", self.server.endpoint)
        return self.server

    def refused_start(self, *extra):
        """(exit code, stderr) of a start that must not come up."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOAL_")}
        proc = subprocess.run([binary_path(), "--data-dir", self.dir, "--port", "0", *extra], env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, timeout=30)
        return proc.returncode, proc.stderr

    def queue_names(self):
        return sorted(url.rsplit("/", 1)[1] for url in self.sqs.list_queues().get("QueueUrls", []))

    def test_an_emptied_older_segment_refuses_the_start_and_names_the_file(self):
        self.start()
        url = self.sqs.create_queue(QueueName="jobs")["QueueUrl"]
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="first %d" % i)
        self.server.kill()
        self.start()
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="second %d" % i)
        stop_checked(self.server)
        self.server = None
        names = segments(self.dir)
        self.assertGreaterEqual(len(names), 2, names)
        older = os.path.join(self.dir, names[0])
        os.truncate(older, 0)
        before = files_of(self.dir)

        code, stderr = self.refused_start()
        self.assertEqual(code, 1, stderr)
        self.assertIn(older + " at offset 0 (empty file", stderr)
        self.assertEqual(files_of(self.dir), before, "a refused start changed the log")

        server = self.start("--drop-damaged-log", "true")
        text = server.stderr_text()
        self.assertIn("WARNING: --drop-damaged-log: dropped damaged log in " + older, text)
        self.assertIn("WARNING: --drop-damaged-log: dropped " + os.path.join(self.dir, names[1]), text)
        self.assertEqual(self.queue_names(), [])  # everything after the damage went with it, loudly
        stop_checked(server)
        self.server = None

    def test_a_damaged_snapshot_beside_its_segments_deletes_nothing_and_drop_loses_nothing(self):
        self.start()
        url = self.sqs.create_queue(QueueName="kept")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="still here")
        self.server.kill()
        self.start()
        stop_checked(self.server)
        self.server = None
        names = segments(self.dir)
        following = int(names[-1][len("segment-"):-len(".log")]) + 1
        snapshot = os.path.join(self.dir, "snapshot-%020d.log" % following)
        with open(snapshot, "wb") as f:
            f.write(b"SHJRNL01" + b"\x05\x00\x00\x00" + b"\x00\x00\x00\x00" + b"junk!")  # a bad checksum
        before = files_of(self.dir)

        code, stderr = self.refused_start()
        self.assertEqual(code, 1, stderr)
        self.assertIn("damaged record in " + snapshot + " at offset 8 (checksum mismatch)", stderr)
        self.assertIn("--drop-damaged-log", stderr)
        self.assertEqual(files_of(self.dir), before, "a refused start deleted or rewrote log files")

        server = self.start("--drop-damaged-log", "true")
        self.assertIn("nothing lost", server.stderr_text())
        self.assertEqual(self.queue_names(), ["kept"])
        got = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["still here"])
        stop_checked(server)
        self.server = None
        self.assertTrue(os.path.exists(snapshot + ".dropped"))

        server = self.start()  # whole again: no flag needed
        self.assertEqual(self.queue_names(), ["kept"])
        stop_checked(server)
        self.server = None


if __name__ == "__main__":
    unittest.main()
