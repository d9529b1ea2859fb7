"""Every SQS standard-queue action through the AWS CLI (v1) against the real
binary: `aws --endpoint-url ... sqs ...` (CLI v1 ignores AWS_ENDPOINT_URL, so
the flag is passed explicitly). Outputs are checked as a user reads them: the
JSON the CLI prints, its exit code and its error line.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid

import boto3

from shoal_server import ShoalServer, stop_checked
from sqs_md5 import md5_of_attributes, md5_of_body

AWS = shutil.which("aws")


@unittest.skipIf(AWS is None, "the aws CLI is not installed")
class SqsCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ShoalServer()
        cls.server.start()
        cls.home = tempfile.mkdtemp(prefix="shoal-cli-")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and not k.startswith("SHOAL_")}
        env.update({
            "HOME": cls.home,
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.path.join(cls.home, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(cls.home, "credentials"),
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_PAGER": "",
        })
        cls.env = env

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)
        stop_checked(cls.server)

    def aws(self, *args, expect_ok=True):
        cmd = [AWS, "--endpoint-url", self.server.endpoint, "--output", "json", "sqs"] + list(args)
        proc = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=60)
        if expect_ok:
            self.assertEqual(proc.returncode, 0, "%s\nstdout: %s\nstderr: %s" % (args, proc.stdout, proc.stderr))
            return json.loads(proc.stdout) if proc.stdout.strip() else {}
        return proc

    def test_queue_lifecycle(self):
        name = "cli-%s" % uuid.uuid4().hex[:12]
        url = self.aws("create-queue", "--queue-name", name,
                       "--attributes", "VisibilityTimeout=45,DelaySeconds=0",
                       "--tags", "env=test,team=shoal")["QueueUrl"]
        self.assertEqual(url, "%s/000000000000/%s" % (self.server.endpoint, name))
        self.assertEqual(self.aws("get-queue-url", "--queue-name", name)["QueueUrl"], url)
        self.assertEqual(self.aws("list-queues", "--queue-name-prefix", name)["QueueUrls"], [url])

        self.aws("set-queue-attributes", "--queue-url", url,
                 "--attributes", "MaximumMessageSize=2048,ReceiveMessageWaitTimeSeconds=1")
        self.aws("add-permission", "--queue-url", url, "--label", "cli-perm",
                 "--aws-account-ids", "123456789012", "--actions", "SendMessage")
        attrs = self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "45")  # from create-queue
        self.assertEqual(attrs["MaximumMessageSize"], "2048")  # from set-queue-attributes
        self.assertEqual(attrs["ReceiveMessageWaitTimeSeconds"], "1")
        self.assertEqual(attrs["QueueArn"], "arn:aws:sqs:us-east-1:000000000000:%s" % name)
        statement = json.loads(attrs["Policy"])["Statement"][0]  # from add-permission
        self.assertEqual(statement["Sid"], "cli-perm")
        self.assertEqual(statement["Action"], "SQS:SendMessage")
        self.assertEqual(statement["Principal"], {"AWS": "arn:aws:iam::123456789012:root"})

        self.assertEqual(self.aws("list-queue-tags", "--queue-url", url)["Tags"],
                         {"env": "test", "team": "shoal"})
        self.aws("tag-queue", "--queue-url", url, "--tags", "extra=1")
        self.aws("untag-queue", "--queue-url", url, "--tag-keys", "env", "team")
        self.aws("remove-permission", "--queue-url", url, "--label", "cli-perm")
        self.assertEqual(self.aws("list-queue-tags", "--queue-url", url)["Tags"], {"extra": "1"})
        self.assertNotIn("Attributes", self.aws("get-queue-attributes", "--queue-url", url,
                                                "--attribute-names", "Policy"))

        self.aws("purge-queue", "--queue-url", url)
        self.aws("delete-queue", "--queue-url", url)
        proc = self.aws("get-queue-url", "--queue-name", name, expect_ok=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the "
                      "GetQueueUrl operation: The specified queue does not exist.", proc.stderr)

    def test_message_lifecycle(self):
        name = "cli-msg-%s" % uuid.uuid4().hex[:12]
        url = self.aws("create-queue", "--queue-name", name)["QueueUrl"]
        attributes = {"color": {"DataType": "String", "StringValue": "blue"},
                      "size": {"DataType": "Number", "StringValue": "42"}}
        sent = self.aws("send-message", "--queue-url", url, "--message-body", "hello from the cli",
                        "--message-attributes", json.dumps(attributes))
        self.assertEqual(sent["MD5OfMessageBody"], md5_of_body("hello from the cli"))
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_attributes(attributes))

        batch = self.aws("send-message-batch", "--queue-url", url, "--entries", json.dumps([
            {"Id": "one", "MessageBody": "batch-1"},
            {"Id": "two", "MessageBody": "batch-2", "DelaySeconds": 0}]))
        self.assertEqual(sorted(s["Id"] for s in batch["Successful"]), ["one", "two"])
        self.assertEqual({s["Id"]: s["MD5OfMessageBody"] for s in batch["Successful"]},
                         {"one": md5_of_body("batch-1"), "two": md5_of_body("batch-2")})

        received = []
        for _ in range(3):
            out = self.aws("receive-message", "--queue-url", url, "--max-number-of-messages", "10",
                           "--attribute-names", "All", "--message-attribute-names", "All",
                           "--wait-time-seconds", "1")
            received += out.get("Messages", [])
            if len(received) >= 3:
                break
        by_body = {m["Body"]: m for m in received}
        self.assertEqual(set(by_body), {"hello from the cli", "batch-1", "batch-2"})
        first = by_body["hello from the cli"]
        self.assertEqual(first["MessageAttributes"], attributes)
        self.assertEqual(first["MD5OfMessageAttributes"], md5_of_attributes(attributes))
        self.assertEqual(first["Attributes"]["ApproximateReceiveCount"], "1")

        # release one message, hold the others
        self.aws("change-message-visibility", "--queue-url", url,
                 "--receipt-handle", first["ReceiptHandle"], "--visibility-timeout", "0")
        changed = self.aws("change-message-visibility-batch", "--queue-url", url, "--entries", json.dumps([
            {"Id": "b1", "ReceiptHandle": by_body["batch-1"]["ReceiptHandle"], "VisibilityTimeout": 0},
            {"Id": "b2", "ReceiptHandle": by_body["batch-2"]["ReceiptHandle"], "VisibilityTimeout": 600}]))
        self.assertEqual(sorted(s["Id"] for s in changed["Successful"]), ["b1", "b2"])

        again = []
        for _ in range(3):
            out = self.aws("receive-message", "--queue-url", url, "--max-number-of-messages", "10")
            again += out.get("Messages", [])
            if len(again) >= 2:
                break
        self.assertEqual(sorted(m["Body"] for m in again), ["batch-1", "hello from the cli"])

        handles = {m["Body"]: m["ReceiptHandle"] for m in again}
        self.aws("delete-message", "--queue-url", url, "--receipt-handle", handles["hello from the cli"])
        deleted = self.aws("delete-message-batch", "--queue-url", url, "--entries", json.dumps([
            {"Id": "d1", "ReceiptHandle": handles["batch-1"]},
            {"Id": "d2", "ReceiptHandle": by_body["batch-2"]["ReceiptHandle"]}]))
        self.assertEqual(sorted(s["Id"] for s in deleted["Successful"]), ["d1", "d2"])

        counts = self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                          "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")["Attributes"]
        self.assertEqual(counts, {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"})

    def test_list_queues_follows_next_token(self):
        prefix = "cli-page-%s" % uuid.uuid4().hex[:10]
        sqs = boto3.session.Session().client(
            "sqs", endpoint_url=self.server.endpoint, region_name="us-east-1",
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="secret")
        urls = sorted(sqs.create_queue(QueueName="%s-%d" % (prefix, i))["QueueUrl"] for i in range(3))
        # the CLI pages with MaxResults=1 and follows NextToken to the end
        out = self.aws("list-queues", "--queue-name-prefix", prefix, "--page-size", "1")
        self.assertEqual(sorted(out["QueueUrls"]), urls)
        out = self.aws("list-queues", "--queue-name-prefix", prefix, "--max-items", "2")
        self.assertEqual(len(out["QueueUrls"]), 2)
        self.assertTrue(out.get("NextToken"))

    def test_service_error_exit_code_and_message(self):
        proc = self.aws("receive-message", "--queue-url", "%s/000000000000/%s" % (self.server.endpoint,
                                                                               uuid.uuid4().hex),
                        "--max-number-of-messages", "11", expect_ok=False)
        self.assertNotEqual(proc.returncode, 0, proc.stderr)  # CLI v1: 255, v2: 254
        self.assertIn("An error occurred (", proc.stderr)
        proc = self.aws("create-queue", "--queue-name", "bad name!", expect_ok=False)
        self.assertNotEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("(InvalidParameterValue)", proc.stderr)


if __name__ == "__main__":
    unittest.main()
