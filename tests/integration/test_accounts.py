"""Accounts are isolated: with account A's queue URL or stream ARN, account B
(access key 222222222222) is refused every action with AWS's access-denied
error, unless A granted it: AddPermission or the queue's Policy attribute for
SQS, a resource policy (PutResourcePolicy) for Kinesis; and then only the
actions granted. A shard iterator reads only for the account it was issued to.

SQS runs over whatever protocol this boto3 speaks: AWS JSON under the current
boto3 (CTest's integration_test_accounts), the query protocol under Debian's
python3-boto3 at /usr/bin/python3 (integration_accounts_query_debian_boto3,
which sets SHOAL_EXPECT_SQS_PROTOCOL=query so it cannot silently run JSON).
Both answer AccessDenied, HTTP 403, with the same message; the Kinesis tests
run in the JSON run only (botocore 1.29 predates resource policies).

AWS's wording: "User: arn:aws:iam::B:root is not authorized to perform:
sqs:sendmessage on resource: arn:aws:sqs:...:A:q because no resource-based
policy allows the sqs:sendmessage action" (SQS writes the action in lower
case; Kinesis keeps its case, and answers AccessDeniedException with 400).
Owner-only SQS actions are those the service model documents with
"Cross-account permissions don't apply to this action."
"""

import base64
import json
import os
import unittest
import uuid

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

from shoal_server import ServerTestCase

A = "111111111111"
B = "222222222222"
UNSIGNED_ACCOUNT = "000000000000"
REGION = "us-east-1"
CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=30)
DELAY_FLAGS = ("--kinesis-create-delay-ms", "0", "--kinesis-delete-delay-ms", "0",
               "--kinesis-update-delay-ms", "0", "--kinesis-consumer-delay-ms", "0")


def client(service, endpoint, key, config=CONFIG):
    return boto3.session.Session().client(
        service, endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=key, aws_secret_access_key="secret", config=config)


def sqs_protocol():
    return client("sqs", "http://127.0.0.1:1", "x").meta.service_model.protocol


SQS_PROTOCOL = sqs_protocol()
JSON_RUN = SQS_PROTOCOL != "query"


def setUpModule():
    expected = os.environ.get("SHOAL_EXPECT_SQS_PROTOCOL")
    if expected and expected != SQS_PROTOCOL:
        raise RuntimeError("expected a boto3 speaking %r to SQS; botocore %s at %s speaks %r"
                           % (expected, botocore.__version__, botocore.__file__, SQS_PROTOCOL))


def unique(prefix="acct"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


def denied_message(caller, action, arn, explicit=False):
    head = "User: arn:aws:iam::%s:root is not authorized to perform: %s on resource: %s" % (caller, action, arn)
    if explicit:
        return head + " with an explicit deny in a resource-based policy"
    return head + " because no resource-based policy allows the %s action" % action


class AccountsTestCase(ServerTestCase):
    server_args = DELAY_FLAGS

    def assert_sqs_denied(self, call, action, arn, caller=B, explicit=False):
        with self.assertRaises(ClientError) as cm:
            call()
        err = cm.exception.response["Error"]
        self.assertEqual(err.get("Code"), "AccessDenied", cm.exception.response)
        self.assertEqual(err.get("Type"), "Sender")
        self.assertEqual(err.get("Message"), denied_message(caller, "sqs:" + action.lower(), arn, explicit))
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def assert_kinesis_denied(self, call, action, arn, caller=B, explicit=False):
        with self.assertRaises(ClientError) as cm:
            call()
        err = cm.exception.response["Error"]
        self.assertEqual(err.get("Code"), "AccessDeniedException", cm.exception.response)
        self.assertEqual(err.get("Message"), denied_message(caller, "kinesis:" + action, arn, explicit))
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)


class SqsIsolationTest(AccountsTestCase):
    """Every action on A's queue, called by B with A's queue URL, is refused and changes nothing."""

    def setUp(self):
        self.a = client("sqs", self.server.endpoint, A)
        self.b = client("sqs", self.server.endpoint, B)
        self.name = unique()
        self.url = self.a.create_queue(QueueName=self.name, Attributes={"VisibilityTimeout": "0"})["QueueUrl"]
        self.arn = "arn:aws:sqs:%s:%s:%s" % (REGION, A, self.name)
        self.a.tag_queue(QueueUrl=self.url, Tags={"team": "a"})
        self.a.send_message(QueueUrl=self.url, MessageBody="a's")
        self.handle = self.a.receive_message(QueueUrl=self.url)["Messages"][0]["ReceiptHandle"]

    def calls(self, sqs):
        url, handle = self.url, self.handle
        entry = [{"Id": "1", "MessageBody": "b's"}]
        yield "DeleteQueue", lambda: sqs.delete_queue(QueueUrl=url)
        yield "GetQueueAttributes", lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
        yield "SetQueueAttributes", lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "5"})
        yield "SendMessage", lambda: sqs.send_message(QueueUrl=url, MessageBody="b's")
        yield "SendMessage", lambda: sqs.send_message_batch(QueueUrl=url, Entries=entry)
        yield "ReceiveMessage", lambda: sqs.receive_message(QueueUrl=url)
        yield "DeleteMessage", lambda: sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
        yield "DeleteMessage", lambda: sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": "1", "ReceiptHandle": handle}])
        yield "ChangeMessageVisibility", lambda: sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=60)
        yield "ChangeMessageVisibility", lambda: sqs.change_message_visibility_batch(
            QueueUrl=url, Entries=[{"Id": "1", "ReceiptHandle": handle, "VisibilityTimeout": 60}])
        yield "PurgeQueue", lambda: sqs.purge_queue(QueueUrl=url)
        yield "TagQueue", lambda: sqs.tag_queue(QueueUrl=url, Tags={"team": "b"})
        yield "UntagQueue", lambda: sqs.untag_queue(QueueUrl=url, TagKeys=["team"])
        yield "ListQueueTags", lambda: sqs.list_queue_tags(QueueUrl=url)
        yield "AddPermission", lambda: sqs.add_permission(
            QueueUrl=url, Label="mine", AWSAccountIds=[B], Actions=["*"])
        yield "RemovePermission", lambda: sqs.remove_permission(QueueUrl=url, Label="mine")
        yield "GetQueueUrl", lambda: sqs.get_queue_url(QueueName=self.name, QueueOwnerAWSAccountId=A)
        yield "ListDeadLetterSourceQueues", lambda: sqs.list_dead_letter_source_queues(QueueUrl=url)
        if hasattr(sqs, "list_message_move_tasks"):  # botocore 1.29 predates move tasks
            yield "ListMessageMoveTasks", lambda: sqs.list_message_move_tasks(SourceArn=self.arn)
            yield "StartMessageMoveTask", lambda: sqs.start_message_move_task(SourceArn=self.arn)
            # The handle names A's queue (its format as in test_sqs_dlq.py).
            handle_of_a = base64.b64encode(json.dumps(
                {"taskId": str(uuid.uuid4()), "sourceArn": self.arn}).encode()).decode()
            yield "CancelMessageMoveTask", lambda: sqs.cancel_message_move_task(TaskHandle=handle_of_a)

    def assert_untouched(self):
        attrs = self.a.get_queue_attributes(QueueUrl=self.url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "1")
        self.assertEqual(attrs["DelaySeconds"], "0")
        self.assertNotIn("Policy", attrs)
        self.assertEqual(self.a.list_queue_tags(QueueUrl=self.url)["Tags"], {"team": "a"})
        self.assertEqual(self.a.receive_message(QueueUrl=self.url)["Messages"][0]["Body"], "a's")

    def test_every_action_is_refused_with_aws_access_denied(self):
        for action, call in self.calls(self.b):
            with self.subTest(action=action):
                self.assert_sqs_denied(call, action, self.arn)
        self.assert_untouched()

    def test_an_unsigned_request_is_the_default_account_and_is_refused_too(self):
        unsigned = client("sqs", self.server.endpoint, "x",
                          config=CONFIG.merge(Config(signature_version=botocore.UNSIGNED)))
        for action, call in self.calls(unsigned):
            with self.subTest(action=action):
                self.assert_sqs_denied(call, action, self.arn, caller=UNSIGNED_ACCOUNT)
        self.assert_untouched()

    def test_a_missing_queue_of_another_account_is_refused_alike(self):
        missing = "%s/%s/%s" % (self.server.endpoint, A, unique("none"))
        arn = "arn:aws:sqs:%s:%s:%s" % (REGION, A, missing.rsplit("/", 1)[1])
        self.assert_sqs_denied(lambda: self.b.send_message(QueueUrl=missing, MessageBody="x"), "SendMessage", arn)
        self.assert_sqs_denied(
            lambda: self.b.get_queue_url(QueueName=missing.rsplit("/", 1)[1], QueueOwnerAWSAccountId=A),
            "GetQueueUrl", arn)

    def test_lists_and_names_show_only_the_callers_own_queues(self):
        self.assertNotIn(self.url, self.b.list_queues(QueueNamePrefix=self.name).get("QueueUrls", []))
        self.assertEqual(self.a.list_queues(QueueNamePrefix=self.name)["QueueUrls"], [self.url])
        with self.assertRaises(ClientError) as cm:
            self.b.get_queue_url(QueueName=self.name)
        self.assertEqual(cm.exception.response["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")


class SqsGrantsTest(AccountsTestCase):
    """AddPermission and the Policy attribute let B do the actions named, and nothing more."""

    def setUp(self):
        self.a = client("sqs", self.server.endpoint, A)
        self.b = client("sqs", self.server.endpoint, B)
        self.name = unique()
        self.url = self.a.create_queue(QueueName=self.name)["QueueUrl"]
        self.arn = "arn:aws:sqs:%s:%s:%s" % (REGION, A, self.name)

    def set_policy(self, *statements):
        self.a.set_queue_attributes(QueueUrl=self.url, Attributes={"Policy": json.dumps(
            {"Version": "2012-10-17", "Statement": list(statements)})})

    def test_add_permission_for_send_lets_b_send_but_not_purge(self):
        self.a.add_permission(QueueUrl=self.url, Label="b-sends", AWSAccountIds=[B], Actions=["SendMessage"])
        self.b.send_message(QueueUrl=self.url, MessageBody="from b")
        result = self.b.send_message_batch(QueueUrl=self.url, Entries=[{"Id": "1", "MessageBody": "batch"}])
        self.assertEqual(len(result["Successful"]), 1)
        self.assert_sqs_denied(lambda: self.b.purge_queue(QueueUrl=self.url), "PurgeQueue", self.arn)
        self.assert_sqs_denied(lambda: self.b.receive_message(QueueUrl=self.url), "ReceiveMessage", self.arn)
        self.assert_sqs_denied(lambda: self.b.delete_queue(QueueUrl=self.url), "DeleteQueue", self.arn)
        bodies = sorted(m["Body"] for m in self.a.receive_message(
            QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"])
        self.assertEqual(bodies, ["batch", "from b"])
        # Another account is not covered by B's grant.
        other = client("sqs", self.server.endpoint, "333333333333")
        self.assert_sqs_denied(lambda: other.send_message(QueueUrl=self.url, MessageBody="x"), "SendMessage",
                               self.arn, caller="333333333333")
        # Removing the permission takes it back.
        self.a.remove_permission(QueueUrl=self.url, Label="b-sends")
        self.assert_sqs_denied(lambda: self.b.send_message(QueueUrl=self.url, MessageBody="x"), "SendMessage",
                               self.arn)

    def test_add_permission_names_only_actions_aws_shares(self):
        owner_only = "Only the queue owner is allowed to invoke this action."
        unknown = "Please refer to the appropriate WSDL for a list of valid actions."
        for action, reason in (("DeleteQueue", owner_only), ("SetQueueAttributes", owner_only),
                               ("SendMessageBatch", unknown)):
            with self.subTest(action=action):
                with self.assertRaises(ClientError) as cm:
                    self.a.add_permission(QueueUrl=self.url, Label="x", AWSAccountIds=[B], Actions=[action])
                err = cm.exception.response["Error"]
                self.assertEqual(err["Code"], "InvalidParameterValue")
                self.assertEqual(err["Message"], "Value SQS:%s for parameter ActionName is invalid. Reason: %s"
                                 % (action, reason))
        self.assertNotIn("Policy", self.a.get_queue_attributes(
            QueueUrl=self.url, AttributeNames=["Policy"]).get("Attributes", {}))

    def test_a_policy_naming_b_grants_its_actions_and_an_explicit_deny_wins(self):
        self.a.send_message(QueueUrl=self.url, MessageBody="for b")
        self.set_policy(
            {"Effect": "Allow", "Principal": {"AWS": B},
             "Action": ["sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"],
             "Resource": self.arn},
            {"Effect": "Deny", "Principal": "*", "Action": "sqs:ChangeMessageVisibility", "Resource": "*"})
        self.assertEqual(self.b.get_queue_url(QueueName=self.name, QueueOwnerAWSAccountId=A)["QueueUrl"], self.url)
        message = self.b.receive_message(QueueUrl=self.url, WaitTimeSeconds=1)["Messages"][0]
        self.assertEqual(message["Body"], "for b")
        self.assert_sqs_denied(lambda: self.b.change_message_visibility(
            QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0),
            "ChangeMessageVisibility", self.arn, explicit=True)
        self.b.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        self.assert_sqs_denied(lambda: self.b.send_message(QueueUrl=self.url, MessageBody="x"), "SendMessage",
                               self.arn)
        self.assertEqual(self.a.get_queue_attributes(QueueUrl=self.url, AttributeNames=["ApproximateNumberOfMessages"])
                         ["Attributes"]["ApproximateNumberOfMessages"], "0")
        # The owner is not bound by its own queue's policy.
        self.a.send_message(QueueUrl=self.url, MessageBody="x")

    def test_even_sqs_star_for_everyone_leaves_owner_only_actions_to_the_owner(self):
        self.set_policy({"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"})
        self.b.send_message(QueueUrl=self.url, MessageBody="x")
        self.b.purge_queue(QueueUrl=self.url)
        for action, call in (
                ("DeleteQueue", lambda: self.b.delete_queue(QueueUrl=self.url)),
                ("SetQueueAttributes", lambda: self.b.set_queue_attributes(
                    QueueUrl=self.url, Attributes={"Policy": ""})),
                ("AddPermission", lambda: self.b.add_permission(
                    QueueUrl=self.url, Label="b", AWSAccountIds=[B], Actions=["*"])),
                ("TagQueue", lambda: self.b.tag_queue(QueueUrl=self.url, Tags={"k": "v"})),
                ("ListQueueTags", lambda: self.b.list_queue_tags(QueueUrl=self.url))):
            with self.subTest(action=action):
                self.assert_sqs_denied(call, action, self.arn)
        self.assertEqual(self.a.get_queue_url(QueueName=self.name)["QueueUrl"], self.url)

    def test_a_conditioned_grant_is_not_met_by_a_plain_call(self):
        self.set_policy({"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
                         "Resource": self.arn,
                         "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:%s:topic" % A}}})
        self.assert_sqs_denied(lambda: self.b.send_message(QueueUrl=self.url, MessageBody="x"), "SendMessage",
                               self.arn)


@unittest.skipUnless(JSON_RUN, "Kinesis runs in the JSON run only: botocore 1.29 predates resource policies")
class KinesisIsolationTest(AccountsTestCase):
    """Every action on A's stream, called by B with the stream's ARN, is refused and changes nothing."""

    def setUp(self):
        self.a = client("kinesis", self.server.endpoint, A)
        self.b = client("kinesis", self.server.endpoint, B)
        self.name = unique("s")
        self.a.create_stream(StreamName=self.name, ShardCount=2)
        self.arn = "arn:aws:kinesis:%s:%s:stream/%s" % (REGION, A, self.name)
        self.a.put_record(StreamName=self.name, Data=b"a's", PartitionKey="k")
        self.consumer = self.a.register_stream_consumer(StreamARN=self.arn, ConsumerName="c")["Consumer"]

    def calls(self):
        b, arn, name, consumer = self.b, self.arn, self.name, self.consumer["ConsumerARN"]
        shard = "shardId-000000000000"
        yield "DescribeStream", arn, lambda: b.describe_stream(StreamARN=arn)
        yield "DescribeStreamSummary", arn, lambda: b.describe_stream_summary(StreamARN=arn)
        yield "ListShards", arn, lambda: b.list_shards(StreamARN=arn)
        yield "PutRecord", arn, lambda: b.put_record(StreamARN=arn, Data=b"b's", PartitionKey="k")
        yield "PutRecords", arn, lambda: b.put_records(StreamARN=arn, Records=[{"Data": b"b", "PartitionKey": "k"}])
        yield "GetShardIterator", arn, lambda: b.get_shard_iterator(
            StreamARN=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        yield "DeleteStream", arn, lambda: b.delete_stream(StreamARN=arn)
        yield "AddTagsToStream", arn, lambda: b.add_tags_to_stream(StreamARN=arn, Tags={"k": "v"})
        yield "ListTagsForStream", arn, lambda: b.list_tags_for_stream(StreamARN=arn)
        yield "IncreaseStreamRetentionPeriod", arn, lambda: b.increase_stream_retention_period(
            StreamARN=arn, RetentionPeriodHours=48)
        yield "UpdateShardCount", arn, lambda: b.update_shard_count(
            StreamARN=arn, TargetShardCount=4, ScalingType="UNIFORM_SCALING")
        yield "MergeShards", arn, lambda: b.merge_shards(
            StreamARN=arn, ShardToMerge=shard, AdjacentShardToMerge="shardId-000000000001")
        yield "EnableEnhancedMonitoring", arn, lambda: b.enable_enhanced_monitoring(
            StreamARN=arn, ShardLevelMetrics=["ALL"])
        yield "StartStreamEncryption", arn, lambda: b.start_stream_encryption(
            StreamARN=arn, EncryptionType="KMS", KeyId="alias/aws/kinesis")
        yield "RegisterStreamConsumer", arn, lambda: b.register_stream_consumer(StreamARN=arn, ConsumerName="b")
        yield "ListStreamConsumers", arn, lambda: b.list_stream_consumers(StreamARN=arn)
        yield "DescribeStreamConsumer", consumer, lambda: b.describe_stream_consumer(ConsumerARN=consumer)
        yield "DeregisterStreamConsumer", consumer, lambda: b.deregister_stream_consumer(ConsumerARN=consumer)
        yield "PutResourcePolicy", arn, lambda: b.put_resource_policy(ResourceARN=arn, Policy="{}")
        yield "GetResourcePolicy", arn, lambda: b.get_resource_policy(ResourceARN=arn)
        yield "TagResource", arn, lambda: b.tag_resource(ResourceARN=arn, Tags={"k": "v"})
        yield "ListTagsForResource", arn, lambda: b.list_tags_for_resource(ResourceARN=arn)

    def test_every_action_is_refused_with_aws_access_denied(self):
        for action, arn, call in self.calls():
            with self.subTest(action=action):
                self.assert_kinesis_denied(call, action, arn)
        summary = self.a.describe_stream_summary(StreamName=self.name)["StreamDescriptionSummary"]
        self.assertEqual((summary["StreamStatus"], summary["OpenShardCount"], summary["RetentionPeriodHours"]),
                         ("ACTIVE", 2, 24))
        self.assertEqual(self.a.list_tags_for_stream(StreamName=self.name)["Tags"], [])
        self.assertEqual([c["ConsumerName"] for c in self.a.list_stream_consumers(StreamARN=self.arn)["Consumers"]],
                         ["c"])
        self.assertEqual(self.a.get_resource_policy(ResourceARN=self.arn)["Policy"], "{}")

    def test_a_missing_stream_of_another_account_is_refused_alike(self):
        arn = "arn:aws:kinesis:%s:%s:stream/%s" % (REGION, A, unique("none"))
        self.assert_kinesis_denied(lambda: self.b.describe_stream_summary(StreamARN=arn), "DescribeStreamSummary", arn)

    def test_lists_and_names_show_only_the_callers_own_streams(self):
        self.assertNotIn(self.name, self.b.list_streams()["StreamNames"])
        self.assertIn(self.name, self.a.list_streams()["StreamNames"])
        with self.assertRaises(self.b.exceptions.ResourceNotFoundException):
            self.b.describe_stream_summary(StreamName=self.name)

    def test_an_iterator_of_a_is_refused_to_b_and_b_s_to_a(self):
        iterator = self.a.get_shard_iterator(StreamName=self.name, ShardId="shardId-000000000001",
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assert_kinesis_denied(lambda: self.b.get_records(ShardIterator=iterator), "GetRecords", self.arn)
        b_name = unique("b")
        self.b.create_stream(StreamName=b_name, ShardCount=1)
        self.b.put_record(StreamName=b_name, Data=b"b's", PartitionKey="k")
        b_iterator = self.b.get_shard_iterator(StreamName=b_name, ShardId="shardId-000000000000",
                                               ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        b_arn = "arn:aws:kinesis:%s:%s:stream/%s" % (REGION, B, b_name)
        self.assert_kinesis_denied(lambda: self.a.get_records(ShardIterator=b_iterator), "GetRecords", b_arn,
                                   caller=A)
        self.assertEqual([r["Data"] for r in self.b.get_records(ShardIterator=b_iterator)["Records"]], [b"b's"])


@unittest.skipUnless(JSON_RUN, "Kinesis runs in the JSON run only: botocore 1.29 predates resource policies")
class KinesisGrantsTest(AccountsTestCase):
    """A resource policy lets B do the actions it names on the stream or consumer, and nothing more."""

    def setUp(self):
        self.a = client("kinesis", self.server.endpoint, A)
        self.b = client("kinesis", self.server.endpoint, B)
        self.name = unique("s")
        self.a.create_stream(StreamName=self.name, ShardCount=1)
        self.arn = "arn:aws:kinesis:%s:%s:stream/%s" % (REGION, A, self.name)

    def allow(self, resource, *actions):
        self.a.put_resource_policy(ResourceARN=resource, Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % B},
                           "Action": ["kinesis:" + a for a in actions], "Resource": resource}]}))

    def test_a_policy_allowing_put_record_lets_b_put_but_not_delete(self):
        self.allow(self.arn, "PutRecord", "DescribeStreamSummary")
        self.b.put_record(StreamARN=self.arn, Data=b"from b", PartitionKey="k")
        self.assertEqual(self.b.describe_stream_summary(StreamARN=self.arn)
                         ["StreamDescriptionSummary"]["StreamName"], self.name)
        self.assert_kinesis_denied(lambda: self.b.delete_stream(StreamARN=self.arn), "DeleteStream", self.arn)
        self.assert_kinesis_denied(lambda: self.b.put_records(
            StreamARN=self.arn, Records=[{"Data": b"x", "PartitionKey": "k"}]), "PutRecords", self.arn)
        self.assert_kinesis_denied(lambda: self.b.get_shard_iterator(
            StreamARN=self.arn, ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"),
            "GetShardIterator", self.arn)
        iterator = self.a.get_shard_iterator(StreamName=self.name, ShardId="shardId-000000000000",
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual([r["Data"] for r in self.a.get_records(ShardIterator=iterator)["Records"]], [b"from b"])
        # Deleting the policy takes the grant back.
        self.a.delete_resource_policy(ResourceARN=self.arn)
        self.assert_kinesis_denied(lambda: self.b.put_record(StreamARN=self.arn, Data=b"x", PartitionKey="k"),
                                   "PutRecord", self.arn)

    def test_a_granted_reader_reads_with_its_own_iterators_only(self):
        self.a.put_record(StreamName=self.name, Data=b"a's", PartitionKey="k")
        self.allow(self.arn, "GetShardIterator", "GetRecords")
        mine = self.b.get_shard_iterator(StreamARN=self.arn, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        read = self.b.get_records(ShardIterator=mine, StreamARN=self.arn)
        self.assertEqual([r["Data"] for r in read["Records"]], [b"a's"])
        self.b.get_records(ShardIterator=read["NextShardIterator"])
        owners = self.a.get_shard_iterator(StreamName=self.name, ShardId="shardId-000000000000",
                                           ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for who, iterator in ((self.b, owners), (self.a, mine), (self.a, read["NextShardIterator"])):
            with self.assertRaises(ClientError) as cm:
                who.get_records(ShardIterator=iterator)
            self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidArgumentException")
            self.assertEqual(cm.exception.response["Error"]["Message"], "Invalid ShardIterator.")

    def test_a_consumer_policy_shares_the_consumer_not_its_stream(self):
        consumer = self.a.register_stream_consumer(StreamARN=self.arn, ConsumerName="shared")["Consumer"]
        self.allow(consumer["ConsumerARN"], "DescribeStreamConsumer")
        described = self.b.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
        self.assertEqual(described["ConsumerDescription"]["ConsumerName"], "shared")
        self.assert_kinesis_denied(lambda: self.b.deregister_stream_consumer(ConsumerARN=consumer["ConsumerARN"]),
                                   "DeregisterStreamConsumer", consumer["ConsumerARN"])
        self.assert_kinesis_denied(lambda: self.b.describe_stream_summary(StreamARN=self.arn),
                                   "DescribeStreamSummary", self.arn)

    def test_an_explicit_deny_wins(self):
        self.a.put_resource_policy(ResourceARN=self.arn, Policy=json.dumps({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": B}, "Action": "kinesis:*", "Resource": self.arn},
            {"Effect": "Deny", "Principal": "*", "Action": "kinesis:PutRecords", "Resource": "*"}]}))
        self.b.put_record(StreamARN=self.arn, Data=b"x", PartitionKey="k")
        self.assert_kinesis_denied(lambda: self.b.put_records(
            StreamARN=self.arn, Records=[{"Data": b"x", "PartitionKey": "k"}]), "PutRecords", self.arn,
            explicit=True)
        # kinesis:* still leaves owner-only actions to the owner.
        self.assert_kinesis_denied(lambda: self.b.delete_stream(StreamARN=self.arn), "DeleteStream", self.arn)


if __name__ == "__main__":
    unittest.main()
