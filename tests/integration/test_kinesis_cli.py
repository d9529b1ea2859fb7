"""Kinesis through the AWS CLI (v1) against the real binary: `aws --endpoint-url
... kinesis ...` (CLI v1 ignores AWS_ENDPOINT_URL). Checked as a user reads
it: the JSON the CLI prints, its exit code and its error line. Few
invocations, since each costs about a second; boto3 only waits for ACTIVE.
"""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from kinesis_helpers import (ACCOUNT, KEY, REGION, kinesis_client, shard_id, start_server, stop_server, stream_arn,
                             unique_name, wait_active, wait_gone)

AWS = shutil.which("aws")


@unittest.skipIf(AWS is None, "the aws CLI is not installed")
class KinesisCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = start_server()
        cls.kinesis = kinesis_client(cls.server.endpoint)
        cls.home = tempfile.mkdtemp(prefix="shoal-kcli-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("SHOAL_")}
        env.update({
            "HOME": cls.home,
            "AWS_ACCESS_KEY_ID": KEY,
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": os.path.join(cls.home, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(cls.home, "credentials"),
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_PAGER": "",
        })
        cls.env = env

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)
        stop_server(cls.server)

    def aws(self, *args, expect_ok=True):
        cmd = [AWS, "--endpoint-url", self.server.endpoint, "--output", "json", "kinesis"] + list(args)
        proc = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=60)
        if expect_ok:
            self.assertEqual(proc.returncode, 0, "%s\nstdout: %s\nstderr: %s" % (args, proc.stdout, proc.stderr))
            return json.loads(proc.stdout) if proc.stdout.strip() else {}
        return proc

    def test_stream_lifecycle_and_records(self):
        name = unique_name("cli")
        self.assertEqual(self.aws("create-stream", "--stream-name", name, "--shard-count", "2"), {})
        wait_active(self.kinesis, name)

        summary = self.aws("describe-stream-summary", "--stream-name", name)["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamName"], name)
        self.assertEqual(summary["StreamARN"], stream_arn(name))
        self.assertEqual(summary["StreamStatus"], "ACTIVE")
        self.assertEqual(summary["OpenShardCount"], 2)
        self.assertIsInstance(summary["StreamCreationTimestamp"], (str, int, float))

        listed = self.aws("list-streams")
        self.assertIn(name, listed["StreamNames"])

        # CLI v1 sends --data as the text's bytes (base64 on the wire).
        put = self.aws("put-record", "--stream-name", name, "--partition-key", "user-1",
                       "--data", "hello from the cli", "--explicit-hash-key", "0")
        self.assertEqual(put["ShardId"], shard_id(0))
        self.assertRegex(put["SequenceNumber"], r"^\d+$")

        it = self.aws("get-shard-iterator", "--stream-name", name, "--shard-id", shard_id(0),
                      "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
        got = self.aws("get-records", "--shard-iterator", it)
        self.assertEqual(len(got["Records"]), 1)
        record = got["Records"][0]
        self.assertEqual(base64.b64decode(record["Data"]), b"hello from the cli")
        self.assertEqual(record["PartitionKey"], "user-1")
        self.assertEqual(record["SequenceNumber"], put["SequenceNumber"])
        self.assertIn("NextShardIterator", got)
        self.assertEqual(got["MillisBehindLatest"], 0)

        self.assertEqual(self.aws("delete-stream", "--stream-name", name), {})
        wait_gone(self.kinesis, name)

    def test_missing_stream_error_line(self):
        name = unique_name("clinone")
        proc = self.aws("describe-stream-summary", "--stream-name", name, expect_ok=False)
        self.assertEqual(proc.returncode, 255, proc.stderr)
        self.assertIn("An error occurred (ResourceNotFoundException) when calling the DescribeStreamSummary "
                      "operation: Stream %s under account %s not found." % (name, ACCOUNT), proc.stderr)


if __name__ == "__main__":
    unittest.main()
