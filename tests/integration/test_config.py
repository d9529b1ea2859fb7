"""Start-up configuration against the real binary: queues and streams from a
--config file (YAML and JSON, the documented example included), from
SQS_QUEUES / KINESIS_STREAMS, idempotent application, and bad files that must
stop the process with one message naming file, line and problem. AWS-side
errors in a config must carry the same wording a client gets for the same
request, so those are compared with a live client's answer.
"""

import json
import os
import re
import subprocess
import tempfile
import textwrap
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from shoal_server import ShoalServer, binary_path, stop_checked

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "docker", "shoal-config.yaml")
DEFAULT_ACCOUNT = "000000000000"
KEY = "AKIAIOSFODNN7EXAMPLE"  # not 12 digits: account 000000000000


def client(service, endpoint, key=KEY, region="us-east-1"):
    return boto3.session.Session().client(
        service, endpoint_url=endpoint, region_name=region, aws_access_key_id=key,
        aws_secret_access_key="secret",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=30))


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SHOAL_") and k not in ("SQS_QUEUES", "KINESIS_STREAMS")}
    env.update(extra or {})
    return env


class TempFiles:
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)

    def write(self, name, text):
        path = os.path.join(self._tmp.name, name)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
        return path

    def run_bad(self, *args, env=None):
        """Runs shoal expecting it to refuse to start; returns its stderr."""
        proc = subprocess.run([binary_path(), "--port", "0", *args], env=clean_env(env),
                              capture_output=True, text=True, timeout=30)
        self.assertNotEqual(proc.returncode, 0, "shoal started despite a bad config:\n" + proc.stderr)
        self.assertNotIn("listening on", proc.stderr)
        lines = proc.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, "expected one clear message, got:\n" + proc.stderr)
        return lines[0]


class ExampleConfigTest(unittest.TestCase):
    """docker/shoal-config.yaml, the README's example, applied as documented."""

    @classmethod
    def setUpClass(cls):
        cls.server = ShoalServer("--config", EXAMPLE)
        cls.server.start()
        cls.sqs = client("sqs", cls.server.endpoint)
        cls.kinesis = client("kinesis", cls.server.endpoint)

    @classmethod
    def tearDownClass(cls):
        stop_checked(cls.server)

    def attributes(self, name, sqs=None):
        sqs = sqs or self.sqs
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]

    def test_start_up_line_counts_what_was_created(self):
        self.assertIn("start-up config: 4 queues, 2 streams ready", self.server.stderr_text())

    def test_queue_attributes_and_tags(self):
        url, attrs = self.attributes("orders")
        self.assertEqual(attrs["VisibilityTimeout"], "45")
        self.assertEqual(attrs["ReceiveMessageWaitTimeSeconds"], "20")
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "shop"})
        _, dlq = self.attributes("orders-dlq")
        self.assertEqual(dlq["MessageRetentionPeriod"], "1209600")

    def test_dead_letter_queue_listed_after_its_source(self):
        _, attrs = self.attributes("orders")
        policy = json.loads(attrs["RedrivePolicy"])
        self.assertEqual(policy["deadLetterTargetArn"], "arn:aws:sqs:us-east-1:%s:orders-dlq" % DEFAULT_ACCOUNT)
        self.assertEqual(int(policy["maxReceiveCount"]), 3)

    def test_fifo_queue_from_its_name(self):
        url, attrs = self.attributes("payments.fifo")
        self.assertEqual(attrs["FifoQueue"], "true")
        self.assertEqual(attrs["ContentBasedDeduplication"], "true")
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
        self.assertIn("SequenceNumber", sent)

    def test_streams(self):
        clicks = self.kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]
        self.assertEqual(clicks["StreamStatus"], "ACTIVE")
        self.assertEqual(clicks["OpenShardCount"], 2)
        self.assertEqual(clicks["RetentionPeriodHours"], 48)
        self.assertEqual(clicks["StreamModeDetails"]["StreamMode"], "PROVISIONED")
        tags = self.kinesis.list_tags_for_stream(StreamName="clicks")["Tags"]
        self.assertEqual(tags, [{"Key": "team", "Value": "analytics"}])
        consumers = self.kinesis.list_stream_consumers(StreamARN=clicks["StreamARN"])["Consumers"]
        self.assertEqual([c["ConsumerName"] for c in consumers], ["dashboard"])
        audit = self.kinesis.describe_stream_summary(StreamName="audit")["StreamDescriptionSummary"]
        self.assertEqual(audit["StreamModeDetails"]["StreamMode"], "ON_DEMAND")

    def test_other_account_and_region(self):
        other = client("sqs", self.server.endpoint, key="111111111111", region="eu-west-1")
        url, attrs = self.attributes("reports", sqs=other)
        self.assertEqual(attrs["QueueArn"], "arn:aws:sqs:eu-west-1:111111111111:reports")
        # and nowhere else
        with self.assertRaises(ClientError):
            self.sqs.get_queue_url(QueueName="reports")


class JsonAndEnvironmentTest(TempFiles, unittest.TestCase):
    def test_json_file_with_tabs(self):
        path = self.write("shoal.json", """\
            {
            \t"queues": [{"name": "jobs", "attributes": {"DelaySeconds": 5}, "tags": {"env": "dev"}}],
            \t"streams": [{"name": "events", "shards": 3, "tags": {"env": "dev"}}]
            }
            """)
        with ShoalServer("--config", path) as server:
            sqs = client("sqs", server.endpoint)
            url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
            self.assertEqual(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["DelaySeconds"])
                             ["Attributes"]["DelaySeconds"], "5")
            kinesis = client("kinesis", server.endpoint)
            shards = kinesis.list_shards(StreamName="events")["Shards"]
            self.assertEqual(len(shards), 3)
            stop_checked(server)

    def test_environment_lists(self):
        env = {"SQS_QUEUES": "alpha, beta.fifo", "KINESIS_STREAMS": "s1:4,s2"}
        with ShoalServer(env=env) as server:
            sqs = client("sqs", server.endpoint)
            urls = sorted(sqs.list_queues()["QueueUrls"])
            self.assertEqual([u.rsplit("/", 2)[1:] for u in urls],
                             [[DEFAULT_ACCOUNT, "alpha"], [DEFAULT_ACCOUNT, "beta.fifo"]])
            fifo = sqs.get_queue_attributes(QueueUrl=urls[1], AttributeNames=["FifoQueue"])["Attributes"]
            self.assertEqual(fifo["FifoQueue"], "true")
            kinesis = client("kinesis", server.endpoint)
            self.assertEqual(len(kinesis.list_shards(StreamName="s1")["Shards"]), 4)
            self.assertEqual(len(kinesis.list_shards(StreamName="s2")["Shards"]), 1)
            stop_checked(server)

    def test_flags_match_variables(self):
        with ShoalServer("--sqs-queues", "gamma", "--kinesis-streams", "s3:2") as server:
            sqs = client("sqs", server.endpoint)
            self.assertTrue(sqs.get_queue_url(QueueName="gamma")["QueueUrl"].endswith("/gamma"))
            kinesis = client("kinesis", server.endpoint)
            self.assertEqual(len(kinesis.list_shards(StreamName="s3")["Shards"]), 2)
            stop_checked(server)

    def test_applying_twice_neither_duplicates_nor_fails(self):
        # The same queue and stream from the file and from the variables, and a
        # queue listed twice with a changed attribute: the later entry wins.
        path = self.write("twice.yaml", """\
            queues:
              - {name: jobs, attributes: {VisibilityTimeout: 10}, tags: {a: "1"}}
              - {name: jobs, attributes: {VisibilityTimeout: 20}, tags: {b: "2"}}
            streams:
              - {name: events, shards: 2, consumers: [c1, c1]}
            """)
        env = {"SQS_QUEUES": "jobs", "KINESIS_STREAMS": "events:2"}
        with ShoalServer("--config", path, env=env) as server:
            sqs = client("sqs", server.endpoint)
            self.assertEqual(len(sqs.list_queues()["QueueUrls"]), 1)
            url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
            attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"]
            self.assertEqual(attrs["VisibilityTimeout"], "20")
            self.assertEqual(sqs.list_queue_tags(QueueUrl=url)["Tags"], {"a": "1", "b": "2"})
            kinesis = client("kinesis", server.endpoint)
            self.assertEqual(kinesis.list_streams()["StreamNames"], ["events"])
            arn = kinesis.describe_stream_summary(StreamName="events")["StreamDescriptionSummary"]["StreamARN"]
            self.assertEqual(len(kinesis.list_stream_consumers(StreamARN=arn)["Consumers"]), 1)
            stop_checked(server)

    @unittest.skipUnless("--data-dir" in subprocess.run([binary_path(), "--help"], capture_output=True,
                                                          text=True, timeout=10).stdout,
                         "this build has no durable storage yet")
    def test_restart_with_a_data_directory(self):
        data = tempfile.TemporaryDirectory()
        self.addCleanup(data.cleanup)
        args = ("--config", EXAMPLE, "--data-dir", data.name)
        with ShoalServer(*args) as server:
            sqs = client("sqs", server.endpoint)
            url = sqs.get_queue_url(QueueName="orders")["QueueUrl"]
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "7"})
            stop_checked(server)
        with ShoalServer(*args) as server:
            sqs = client("sqs", server.endpoint)
            self.assertEqual(len(sqs.list_queues()["QueueUrls"]), 3)
            url = sqs.get_queue_url(QueueName="orders")["QueueUrl"]
            attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"]
            self.assertEqual(attrs["VisibilityTimeout"], "45")  # the file wins again
            kinesis = client("kinesis", server.endpoint)
            self.assertEqual(sorted(kinesis.list_streams()["StreamNames"]), ["audit", "clicks"])
            self.assertEqual(len(kinesis.list_shards(StreamName="clicks")["Shards"]), 2)
            stop_checked(server)

    def test_help_lists_every_flag_with_its_variable_and_default(self):
        out = subprocess.run([binary_path(), "--help"], capture_output=True, text=True, timeout=10, env=clean_env())
        self.assertEqual(out.returncode, 0)
        flags = re.findall(r"^  (--[a-z-]+) [A-Z]", out.stdout, re.M)
        described = re.findall(r"^      env ([A-Z_]+), default .+$", out.stdout, re.M)
        self.assertEqual(len(flags), len(described), out.stdout)
        for needed in ("--config", "--sqs-queues", "--kinesis-streams", "SHOAL_CONFIG", "SQS_QUEUES",
                       "KINESIS_STREAMS", "--healthcheck"):
            self.assertIn(needed, out.stdout)

    def test_config_file_from_variable(self):
        path = self.write("v.yaml", "queues: [{name: from-variable}]\n")
        with ShoalServer(env={"SHOAL_CONFIG": path}) as server:
            sqs = client("sqs", server.endpoint)
            self.assertTrue(sqs.get_queue_url(QueueName="from-variable")["QueueUrl"].endswith("/from-variable"))
            stop_checked(server)


class BadConfigTest(TempFiles, unittest.TestCase):
    def test_yaml_syntax_error_names_file_and_line(self):
        path = self.write("broken.yaml", """\
            queues:
              - name: jobs
                attributes: {VisibilityTimeout: 30
            streams: []
            """)
        message = self.run_bad("--config", path)
        self.assertRegex(message, r"^shoal: %s:\d+:\d+: not valid YAML or JSON: " % re.escape(path))

    def test_broken_json_names_file_and_line(self):
        path = self.write("broken.json", '{\n  "queues": [\n    {"name": "a" "b": 1}\n  ]\n}\n')
        message = self.run_bad("--config", path)
        self.assertRegex(message, r"^shoal: %s:3:\d+: not valid YAML or JSON" % re.escape(path))

    def test_unknown_key_is_named_with_its_line(self):
        path = self.write("typo.yaml", """\
            streams:
              - name: events
                shard: 4
            """)
        message = self.run_bad("--config", path)
        self.assertEqual(message, "shoal: %s:3: stream: unknown key 'shard' (expected name, shards, mode, "
                                  "retention_hours, tags, consumers)" % path)

    def test_wrong_type_and_missing_name(self):
        path = self.write("types.yaml", "queues:\n  - {name: a}\n  - attributes: {DelaySeconds: 1}\n")
        self.assertEqual(self.run_bad("--config", path), "shoal: %s:3: queue: 'name' is missing" % path)
        path = self.write("shards.yaml", "streams:\n  - name: s\n    shards: four\n")
        self.assertEqual(self.run_bad("--config", path),
                         "shoal: %s:3: stream 's' shards: expected a whole number >= 1, found 'four'" % path)
        path = self.write("list.yaml", "- a\n- b\n")
        self.assertIn("%s:1: expected a mapping with queues, streams or accounts, found a list" % path,
                      self.run_bad("--config", path))

    def test_bad_account_id(self):
        path = self.write("acct.yaml", "accounts:\n  123: {us-east-1: {queues: [{name: q}]}}\n")
        self.assertIn("%s:2: accounts: '123' is not a 12-digit account id" % path, self.run_bad("--config", path))

    def test_missing_file(self):
        message = self.run_bad("--config", "/nonexistent/shoal.yaml")
        self.assertEqual(message, "shoal: /nonexistent/shoal.yaml: cannot open the config file")

    def aws_message(self, action, **kwargs):
        """What a client is told for the same request."""
        with ShoalServer() as server:
            with self.assertRaises(ClientError) as cm:
                getattr(client(action[0], server.endpoint), action[1])(**kwargs)
            stop_checked(server)
        err = cm.exception.response["Error"]
        return err["Code"], err["Message"]

    def test_invalid_attribute_gets_the_clients_wording_with_file_and_line(self):
        path = self.write("attr.yaml", """\
            queues:
              - name: ok
              - name: slow
                attributes: {VisibilityTimeout: 99999}
            """)
        message = self.run_bad("--config", path)
        code, aws = self.aws_message(("sqs", "create_queue"), QueueName="slow",
                                     Attributes={"VisibilityTimeout": "99999"})
        self.assertEqual(message, "shoal: %s:3: queue 'slow': CreateQueue failed: %s: %s" % (path, code, aws))

    def test_unknown_attribute_name(self):
        path = self.write("name.yaml", "queues:\n  - name: q\n    attributes: {VisibiltyTimeout: 3}\n")
        message = self.run_bad("--config", path)
        code, aws = self.aws_message(("sqs", "create_queue"), QueueName="q", Attributes={"VisibiltyTimeout": "3"})
        self.assertEqual(message, "shoal: %s:2: queue 'q': CreateQueue failed: %s: %s" % (path, code, aws))

    def test_invalid_stream_name(self):
        path = self.write("stream.yaml", "streams:\n  - name: 'bad name!'\n")
        message = self.run_bad("--config", path)
        code, aws = self.aws_message(("kinesis", "create_stream"), StreamName="bad name!", ShardCount=1)
        self.assertEqual(message, "shoal: %s:2: stream 'bad name!': CreateStream failed: %s: %s" % (path, code, aws))

    def test_shard_limit_applies(self):
        message = self.run_bad("--kinesis-shard-limit", "3", env={"KINESIS_STREAMS": "a:2,b:2"})
        self.assertRegex(message, r"^shoal: KINESIS_STREAMS: stream 'b': CreateStream failed: LimitExceededException")

    def test_bad_environment_list(self):
        self.assertEqual(self.run_bad(env={"KINESIS_STREAMS": "s1:x"}),
                         "shoal: KINESIS_STREAMS: 's1:x': expected NAME or NAME:SHARDS with SHARDS >= 1")
        self.assertEqual(self.run_bad(env={"SQS_QUEUES": " , "}),
                         "shoal: SQS_QUEUES: expected queue names separated by commas")


if __name__ == "__main__":
    unittest.main()
