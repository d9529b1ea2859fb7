"""SQS standard queues against the real binary, driven by boto3: create, get
URL, list (prefix, pagination), delete, attributes (defaults, ranges, counts),
tags, permissions (the Policy attribute), purge, and isolation by account,
region and host. Expected wording comes from real-AWS recordings
(aws-reference/localstack-snapshots, the [sqs] JSON variants).
"""

import json
import time
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from shoal_server import ServerTestCase

KEY = "AKIAIOSFODNN7EXAMPLE"  # not 12 digits: account 000000000000
REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"


def sqs_client(endpoint, key=KEY, region=REGION):
    return boto3.session.Session().client(
        "sqs", endpoint_url=endpoint, region_name=region,
        aws_access_key_id=key, aws_secret_access_key="secret",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1},
                      connect_timeout=5, read_timeout=30))


def unique(prefix="q"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:16])


class SqsServerTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sqs = sqs_client(cls.server.endpoint)

    def client(self, key=KEY, region=REGION, endpoint=None):
        return sqs_client(endpoint or self.server.endpoint, key=key, region=region)

    def new_queue(self, name=None, client=None, **attributes):
        kwargs = {"QueueName": name or unique()}
        if attributes:
            kwargs["Attributes"] = {k: str(v) for k, v in attributes.items()}
        return (client or self.sqs).create_queue(**kwargs)["QueueUrl"]

    def attributes(self, url, *names, client=None):
        return (client or self.sqs).get_queue_attributes(
            QueueUrl=url, AttributeNames=list(names) or ["All"]).get("Attributes", {})

    def assert_client_error(self, cm, code, message=None, status=400, query_code=None):
        err = cm.exception.response["Error"]
        self.assertEqual(err.get("Code"), code, cm.exception.response)
        if message is not None:
            self.assertEqual(err.get("Message"), message)
        if query_code is not None:
            self.assertEqual(err.get("QueryErrorCode"), query_code)
        self.assertEqual(err.get("Type"), "Sender")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)

    def assert_no_such_queue(self, cm):
        self.assert_client_error(cm, "AWS.SimpleQueueService.NonExistentQueue",
                                 "The specified queue does not exist.", query_code="QueueDoesNotExist")


class CreateQueueTest(SqsServerTestCase):
    def test_url_uses_client_host_default_account_and_name(self):
        name = unique()
        url = self.new_queue(name)
        self.assertEqual(url, "%s/%s/%s" % (self.server.endpoint, DEFAULT_ACCOUNT, name))

    def test_twelve_digit_access_key_is_the_account(self):
        client = self.client(key="111122223333")
        name = unique()
        url = self.new_queue(name, client=client)
        self.assertEqual(url, "%s/111122223333/%s" % (self.server.endpoint, name))
        self.assertEqual(self.attributes(url, "QueueArn", client=client)["QueueArn"],
                         "arn:aws:sqs:us-east-1:111122223333:%s" % name)

    def test_same_name_same_attributes_returns_same_url(self):
        name = unique()
        url = self.new_queue(name)
        self.assertEqual(self.new_queue(name), url)
        name2 = unique()
        url2 = self.new_queue(name2, VisibilityTimeout=69)
        self.assertEqual(self.new_queue(name2, VisibilityTimeout=69), url2)
        # no attributes always matches
        self.assertEqual(self.new_queue(name2), url2)

    def test_same_name_different_attributes_is_queue_already_exists(self):
        name = unique()
        url = self.new_queue(name, ReceiveMessageWaitTimeSeconds=1, DelaySeconds=1)
        self.assertEqual(self.new_queue(name), url)
        self.assertEqual(self.new_queue(name, DelaySeconds=1), url)
        expected = "A queue already exists with the same name and a different value for attribute DelaySeconds"
        with self.assertRaises(ClientError) as cm:
            self.new_queue(name, ReceiveMessageWaitTimeSeconds=1, DelaySeconds=2)
        self.assert_client_error(cm, "QueueAlreadyExists", expected, query_code="QueueNameExists")
        # boto3's modeled exception still catches it
        with self.assertRaises(self.sqs.exceptions.QueueNameExists):
            self.new_queue(name, DelaySeconds=2)
        # after changing the attribute, the new value matches and the old does not
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "2"})
        self.assertEqual(self.new_queue(name, ReceiveMessageWaitTimeSeconds=1, DelaySeconds=2), url)
        with self.assertRaises(ClientError) as cm:
            self.new_queue(name, ReceiveMessageWaitTimeSeconds=1, DelaySeconds=1)
        self.assert_client_error(cm, "QueueAlreadyExists", expected, query_code="QueueNameExists")

    def test_create_after_sending_messages_is_still_idempotent(self):
        name = unique()
        url = self.new_queue(name)
        self.sqs.send_message(QueueUrl=url, MessageBody="a")
        self.sqs.send_message(QueueUrl=url, MessageBody="b", DelaySeconds=1)
        self.assertEqual(self.new_queue(name), url)

    def test_queue_name_rules(self):
        ok = "a" * 80
        self.assertTrue(self.new_queue(ok).endswith("/" + ok))
        self.assertTrue(self.new_queue("Az09-_%s" % uuid.uuid4().hex[:8]))
        for bad in ("a" * 81, "", "has space", "slash/name", "dot.name", "star*", "\u00fcml"):
            with self.subTest(name=bad):
                with self.assertRaises(ClientError) as cm:
                    self.sqs.create_queue(QueueName=bad)
                self.assert_client_error(cm, "InvalidParameterValue")

    def test_fifo_suffix_needs_fifo_attribute(self):
        with self.assertRaises(ClientError) as cm:
            self.sqs.create_queue(QueueName=unique() + ".fifo")
        self.assert_client_error(cm, "InvalidParameterValue")

    def test_fifo_only_attributes_on_standard_queue(self):
        cases = {
            "FifoQueue": ("false", "Unknown Attribute FifoQueue."),
            "ContentBasedDeduplication": ("true", "Unknown Attribute ContentBasedDeduplication."),
            "DeduplicationScope": ("messageGroup",
                                   "You can specify the DeduplicationScope only when FifoQueue is set to true."),
            "FifoThroughputLimit": ("perMessageGroupId",
                                    "You can specify the FifoThroughputLimit only when FifoQueue is set to true."),
        }
        for attr, (value, message) in cases.items():
            with self.subTest(attr):
                with self.assertRaises(ClientError) as cm:
                    self.sqs.create_queue(QueueName=unique(), Attributes={attr: value})
                self.assert_client_error(cm, "InvalidAttributeName", message,
                                         query_code="InvalidAttributeName")

    def test_create_with_tags(self):
        tags = {"tag1": "value1", "tag2": "value2"}
        url = self.sqs.create_queue(QueueName=unique(), tags=tags)["QueueUrl"]
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], tags)

    def test_attribute_ranges_on_create(self):
        bounds = {
            "VisibilityTimeout": (0, 43200),
            "DelaySeconds": (0, 900),
            "MessageRetentionPeriod": (60, 1209600),
            "MaximumMessageSize": (1024, 1048576),
            "ReceiveMessageWaitTimeSeconds": (0, 20),
        }
        for attr, (low, high) in bounds.items():
            for good in (low, high):
                url = self.new_queue(**{attr: good})
                self.assertEqual(self.attributes(url, attr)[attr], str(good))
            for bad in (low - 1, high + 1, "abc"):
                with self.subTest(attr=attr, value=bad):
                    with self.assertRaises(ClientError) as cm:
                        self.new_queue(**{attr: bad})
                    self.assert_client_error(cm, "InvalidAttributeValue")


class GetQueueUrlTest(SqsServerTestCase):
    def test_get_queue_url(self):
        name = unique()
        url = self.new_queue(name)
        self.assertEqual(self.sqs.get_queue_url(QueueName=name)["QueueUrl"], url)

    def test_missing_queue(self):
        with self.assertRaises(ClientError) as cm:
            self.sqs.get_queue_url(QueueName=unique("missing"))
        self.assert_no_such_queue(cm)
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist):
            self.sqs.get_queue_url(QueueName=unique("missing"))

    def test_queue_owner_account_id(self):
        owner = self.client(key="111111111111")
        other = self.client(key="222222222222")
        name = unique()
        url = self.new_queue(name, client=owner)
        with self.assertRaises(ClientError) as cm:
            other.get_queue_url(QueueName=name)
        self.assert_no_such_queue(cm)
        # Another account's queue needs the owner's grant (test_accounts.py covers the rest).
        with self.assertRaises(ClientError) as cm:
            other.get_queue_url(QueueName=name, QueueOwnerAWSAccountId="111111111111")
        self.assert_client_error(cm, "AccessDenied", status=403)
        owner.add_permission(QueueUrl=url, Label="url", AWSAccountIds=["222222222222"], Actions=["GetQueueUrl"])
        self.assertEqual(other.get_queue_url(QueueName=name, QueueOwnerAWSAccountId="111111111111")["QueueUrl"],
                         url)

    def test_url_follows_the_host_the_client_used(self):
        name = unique()
        self.new_queue(name)
        via_localhost = self.client(endpoint="http://localhost:%d" % self.server.port)
        self.assertEqual(via_localhost.get_queue_url(QueueName=name)["QueueUrl"],
                         "http://localhost:%d/%s/%s" % (self.server.port, DEFAULT_ACCOUNT, name))

    def test_any_host_in_a_queue_url_is_accepted(self):
        name = unique()
        self.new_queue(name)
        foreign = "http://sqs.us-east-1.amazonaws.com/%s/%s" % (DEFAULT_ACCOUNT, name)
        self.sqs.send_message(QueueUrl=foreign, MessageBody="via foreign host")
        msg = self.sqs.receive_message(QueueUrl=foreign)["Messages"][0]
        self.assertEqual(msg["Body"], "via foreign host")


class ListQueuesTest(SqsServerTestCase):
    def test_prefix_filter(self):
        tag = uuid.uuid4().hex[:10]
        a = [self.new_queue("a-%s-%d" % (tag, i)) for i in range(2)]
        b = [self.new_queue("b-%s" % tag)]
        self.assertEqual(sorted(self.sqs.list_queues(QueueNamePrefix="a-%s" % tag)["QueueUrls"]), sorted(a))
        self.assertEqual(self.sqs.list_queues(QueueNamePrefix="b-%s" % tag)["QueueUrls"], b)
        everything = self.sqs.list_queues()["QueueUrls"]
        for url in a + b:
            self.assertIn(url, everything)

    def test_no_match_has_no_urls(self):
        resp = self.sqs.list_queues(QueueNamePrefix=unique("nothing"))
        self.assertEqual(resp.get("QueueUrls", []), [])
        self.assertNotIn("NextToken", resp)

    def test_pagination(self):
        prefix = unique("page")
        urls = sorted(self.new_queue("%s-%d" % (prefix, i)) for i in range(5))
        self.assertNotIn("NextToken", self.sqs.list_queues(QueueNamePrefix=prefix))
        first = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
        self.assertEqual(len(first["QueueUrls"]), 2)
        self.assertTrue(first["NextToken"])
        seen = list(first["QueueUrls"])
        token = first["NextToken"]
        for _ in range(5):
            page = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=token)
            self.assertLessEqual(len(page["QueueUrls"]), 2)
            seen += page["QueueUrls"]
            token = page.get("NextToken")
            if not token:
                break
        self.assertIsNone(token)
        self.assertEqual(sorted(seen), urls)  # every queue once, none twice

    def test_paginator(self):
        prefix = unique("pgr")
        urls = sorted(self.new_queue("%s-%d" % (prefix, i)) for i in range(3))
        pages = list(self.sqs.get_paginator("list_queues").paginate(
            QueueNamePrefix=prefix, PaginationConfig={"PageSize": 1}))
        self.assertEqual(len(pages), 3)
        self.assertEqual(sorted(u for p in pages for u in p["QueueUrls"]), urls)

    def test_max_results_out_of_range(self):
        for bad in (0, 1001):
            with self.subTest(max_results=bad):
                with self.assertRaises(ClientError) as cm:
                    self.sqs.list_queues(MaxResults=bad)
                self.assert_client_error(cm, "InvalidParameterValue")

    def test_accounts_are_isolated(self):
        c1, c2 = self.client(key="333333333333"), self.client(key="444444444444")
        name = unique()
        u1 = self.new_queue(name, client=c1, DelaySeconds=1)
        u2 = self.new_queue(name, client=c2, DelaySeconds=2)  # no QueueAlreadyExists
        self.assertNotEqual(u1, u2)
        self.assertEqual(c1.list_queues(QueueNamePrefix=name)["QueueUrls"], [u1])
        self.assertEqual(c2.list_queues(QueueNamePrefix=name)["QueueUrls"], [u2])

    def test_regions_are_isolated(self):
        east, west = self.client(region="us-east-1"), self.client(region="eu-west-1")
        name = unique()
        u_east = self.new_queue(name, client=east, DelaySeconds=0)
        u_west = self.new_queue(name, client=west, DelaySeconds=5)
        self.assertEqual(self.attributes(u_east, "QueueArn", client=east)["QueueArn"],
                         "arn:aws:sqs:us-east-1:%s:%s" % (DEFAULT_ACCOUNT, name))
        self.assertEqual(self.attributes(u_west, "QueueArn", client=west)["QueueArn"],
                         "arn:aws:sqs:eu-west-1:%s:%s" % (DEFAULT_ACCOUNT, name))
        self.assertEqual(self.attributes(u_west, "DelaySeconds", client=west)["DelaySeconds"], "5")
        east.send_message(QueueUrl=u_east, MessageBody="east only")
        self.assertNotIn("Messages", west.receive_message(QueueUrl=u_west))
        self.assertEqual(east.receive_message(QueueUrl=u_east)["Messages"][0]["Body"], "east only")
        only_east = unique()
        self.new_queue(only_east, client=east)
        self.assertEqual(west.list_queues(QueueNamePrefix=only_east).get("QueueUrls", []), [])
        with self.assertRaises(ClientError) as cm:
            west.get_queue_url(QueueName=only_east)
        self.assert_no_such_queue(cm)


class DeleteQueueTest(SqsServerTestCase):
    def test_delete_queue(self):
        name = unique()
        url = self.new_queue(name)
        self.sqs.send_message(QueueUrl=url, MessageBody="gone soon")
        self.sqs.delete_queue(QueueUrl=url)
        for call in (lambda: self.sqs.get_queue_url(QueueName=name),
                     lambda: self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]),
                     lambda: self.sqs.receive_message(QueueUrl=url),
                     lambda: self.sqs.delete_queue(QueueUrl=url)):
            with self.assertRaises(ClientError) as cm:
                call()
            self.assert_no_such_queue(cm)
        self.assertEqual(self.sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", []), [])

    def test_malformed_queue_url(self):
        with self.assertRaises(ClientError) as cm:
            self.sqs.get_queue_attributes(QueueUrl="not-a-url", AttributeNames=["All"])
        self.assertIn(cm.exception.response["Error"]["Code"],
                      ("AWS.SimpleQueueService.NonExistentQueue", "InvalidAddress"))
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)


class QueueAttributesTest(SqsServerTestCase):
    DEFAULTS = {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "DelaySeconds": "0",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "ReceiveMessageWaitTimeSeconds": "0",
        "SqsManagedSseEnabled": "true",
        "VisibilityTimeout": "30",
    }

    def test_defaults_of_a_new_queue(self):
        name = unique()
        before = int(time.time())
        url = self.new_queue(name)
        attrs = self.attributes(url)
        expected = dict(self.DEFAULTS, QueueArn="arn:aws:sqs:us-east-1:%s:%s" % (DEFAULT_ACCOUNT, name))
        self.assertEqual(set(attrs), set(expected) | {"CreatedTimestamp", "LastModifiedTimestamp"})
        for key, value in expected.items():
            self.assertEqual(attrs[key], value, key)
        for key in ("CreatedTimestamp", "LastModifiedTimestamp"):
            self.assertRegex(attrs[key], r"^\d{10}$")  # epoch seconds
            self.assertLessEqual(abs(int(attrs[key]) - before), 60)

    def test_each_name_returns_only_that_attribute(self):
        url = self.new_queue()
        for name in list(self.DEFAULTS) + ["QueueArn", "CreatedTimestamp", "LastModifiedTimestamp"]:
            with self.subTest(name):
                self.assertEqual(set(self.attributes(url, name)), {name})
        self.assertEqual(set(self.attributes(url, "VisibilityTimeout", "DelaySeconds")),
                         {"VisibilityTimeout", "DelaySeconds"})

    def test_unknown_attribute_name(self):
        url = self.new_queue()
        with self.assertRaises(ClientError) as cm:
            self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Foobar"])
        self.assert_client_error(cm, "InvalidAttributeName", "Unknown Attribute Foobar.")

    def test_policy_only_when_set(self):
        url = self.new_queue()
        self.assertNotIn("Policy", self.attributes(url))
        self.assertEqual(self.attributes(url, "Policy"), {})

    def test_create_then_update(self):
        url = self.new_queue(MessageRetentionPeriod=604800, ReceiveMessageWaitTimeSeconds=10,
                             VisibilityTimeout=20)
        attrs = self.attributes(url)
        self.assertEqual((attrs["MessageRetentionPeriod"], attrs["ReceiveMessageWaitTimeSeconds"],
                          attrs["VisibilityTimeout"]), ("604800", "10", "20"))
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={
            "MaximumMessageSize": "2048", "VisibilityTimeout": "69", "DelaySeconds": "420"})
        after = self.attributes(url)
        self.assertEqual(after["MaximumMessageSize"], "2048")
        self.assertEqual(after["VisibilityTimeout"], "69")
        self.assertEqual(after["DelaySeconds"], "420")
        self.assertEqual(after["MessageRetentionPeriod"], "604800")
        self.assertEqual(after["CreatedTimestamp"], attrs["CreatedTimestamp"])
        self.assertGreaterEqual(int(after["LastModifiedTimestamp"]), int(attrs["LastModifiedTimestamp"]))

    def test_set_attribute_ranges(self):
        url = self.new_queue()
        bounds = {
            "VisibilityTimeout": (0, 43200),
            "DelaySeconds": (0, 900),
            "MessageRetentionPeriod": (60, 1209600),
            "MaximumMessageSize": (1024, 1048576),
            "ReceiveMessageWaitTimeSeconds": (0, 20),
        }
        for attr, (low, high) in bounds.items():
            for good in (low, high):
                self.sqs.set_queue_attributes(QueueUrl=url, Attributes={attr: str(good)})
                self.assertEqual(self.attributes(url, attr)[attr], str(good))
            for bad in (low - 1, high + 1, "1.5", ""):
                with self.subTest(attr=attr, value=bad):
                    with self.assertRaises(ClientError) as cm:
                        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={attr: str(bad)})
                    self.assert_client_error(cm, "InvalidAttributeValue")
            # a rejected value leaves the queue unchanged
            self.assertEqual(self.attributes(url, attr)[attr], str(high))

    def test_set_unknown_or_read_only_attribute(self):
        url = self.new_queue()
        with self.assertRaises(ClientError) as cm:
            self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})
        self.assert_client_error(cm, "InvalidAttributeName", "Unknown Attribute FifoQueue.",
                                 query_code="InvalidAttributeName")
        for name in ("QueueArn", "ApproximateNumberOfMessages", "CreatedTimestamp", "Bogus"):
            with self.subTest(name):
                with self.assertRaises(ClientError) as cm:
                    self.sqs.set_queue_attributes(QueueUrl=url, Attributes={name: "1"})
                self.assert_client_error(cm, "InvalidAttributeName")

    def test_policy_set_and_cleared(self):
        url = self.new_queue()
        arn = self.attributes(url, "QueueArn")["QueueArn"]
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage", "Resource": arn}]}
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
        self.assertEqual(json.loads(self.attributes(url, "Policy")["Policy"]), policy)
        self.assertEqual(json.loads(self.attributes(url)["Policy"]), policy)
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
        self.assertNotIn("Policy", self.attributes(url))

    def test_sse_attributes(self):
        url = self.new_queue()
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={
            "KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000",
            "SqsManagedSseEnabled": "false"})
        self.assertEqual(self.attributes(url, "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
                                         "SqsManagedSseEnabled"),
                         {"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000",
                          "SqsManagedSseEnabled": "false"})
        url2 = self.new_queue()
        self.sqs.set_queue_attributes(QueueUrl=url2, Attributes={"SqsManagedSseEnabled": "true"})
        self.assertEqual(self.attributes(url2, "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
                                         "SqsManagedSseEnabled"),
                         {"SqsManagedSseEnabled": "true"})

    def test_approximate_counts(self):
        url = self.new_queue()
        for body in ("a", "b", "c"):
            self.sqs.send_message(QueueUrl=url, MessageBody=body)
        self.sqs.send_message(QueueUrl=url, MessageBody="d", DelaySeconds=60)
        self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)
        attrs = self.attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                                "ApproximateNumberOfMessagesDelayed")
        self.assertEqual(attrs, {"ApproximateNumberOfMessages": "2",
                                 "ApproximateNumberOfMessagesNotVisible": "1",
                                 "ApproximateNumberOfMessagesDelayed": "1"})


class TagsTest(SqsServerTestCase):
    def test_tag_list_untag(self):
        url = self.new_queue()
        tags = {"tag1": "value1", "tag2": "value2", "tag3": ""}
        self.sqs.tag_queue(QueueUrl=url, Tags=tags)
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], tags)
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["tag1", "tag3"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"tag2": "value2"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["tag2"])
        self.assertNotIn("Tags", self.sqs.list_queue_tags(QueueUrl=url))

    def test_untagged_queue_has_no_tags_member(self):
        self.assertNotIn("Tags", self.sqs.list_queue_tags(QueueUrl=self.new_queue()))

    def test_overwrite_case_sensitivity_and_missing_keys(self):
        url = self.new_queue()
        self.sqs.tag_queue(QueueUrl=url, Tags={"tag1": "value1", "tag2": "value2", "MyTag": "a"})
        self.sqs.tag_queue(QueueUrl=url, Tags={"tag1": "VALUE1", "tag3": "value3", "mytag": "b"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["tag2", "does-not-exist"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"tag1": "VALUE1", "tag3": "value3", "MyTag": "a", "mytag": "b"})

    def test_tags_on_missing_queue(self):
        url = "%s/%s/%s" % (self.server.endpoint, DEFAULT_ACCOUNT, unique("missing"))
        for call in (lambda: self.sqs.tag_queue(QueueUrl=url, Tags={"a": "b"}),
                     lambda: self.sqs.untag_queue(QueueUrl=url, TagKeys=["a"]),
                     lambda: self.sqs.list_queue_tags(QueueUrl=url)):
            with self.assertRaises(ClientError) as cm:
                call()
            self.assert_no_such_queue(cm)


class PermissionsTest(SqsServerTestCase):
    def policy(self, url):
        attrs = self.attributes(url, "Policy")
        return json.loads(attrs["Policy"]) if "Policy" in attrs else None

    def test_permission_lifecycle(self):
        account = "111111111111"
        client = self.client(key=account)
        name = unique()
        url = self.new_queue(name, client=client)
        arn = "arn:aws:sqs:us-east-1:%s:%s" % (account, name)

        resp = client.add_permission(QueueUrl=url, AWSAccountIds=[account, "668614515564"],
                                     Actions=["ReceiveMessage"], Label="crossaccountpermission")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        policy = json.loads(self.attributes(url, "Policy", client=client)["Policy"])
        self.assertEqual(policy["Version"], "2008-10-17")
        self.assertTrue(policy["Id"].startswith(arn + "/"), policy["Id"])
        self.assertEqual(len(policy["Statement"]), 1)
        st = policy["Statement"][0]
        self.assertEqual((st["Sid"], st["Effect"], st["Action"], st["Resource"]),
                         ("crossaccountpermission", "Allow", "SQS:ReceiveMessage", arn))
        self.assertEqual(sorted(st["Principal"]["AWS"]),
                         ["arn:aws:iam::111111111111:root", "arn:aws:iam::668614515564:root"])

        client.remove_permission(QueueUrl=url, Label="crossaccountpermission")
        self.assertNotIn("Policy", self.attributes(url, "Policy", client=client))

        client.add_permission(QueueUrl=url, AWSAccountIds=[account], Actions=["ReceiveMessage"],
                              Label="crossaccountpermission")
        st = json.loads(self.attributes(url, "Policy", client=client)["Policy"])["Statement"]
        self.assertEqual(st[0]["Principal"], {"AWS": "arn:aws:iam::111111111111:root"})

        with self.assertRaises(ClientError) as cm:
            client.add_permission(QueueUrl=url, AWSAccountIds=["668614515564"],
                                  Actions=["ReceiveMessage"], Label="crossaccountpermission")
        self.assert_client_error(
            cm, "InvalidParameterValue",
            "Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.",
            query_code="InvalidParameterValueException")

        client.add_permission(QueueUrl=url, AWSAccountIds=[account], Actions=["ReceiveMessage"],
                              Label="crossaccountpermission2")
        st = json.loads(self.attributes(url, "Policy", client=client)["Policy"])["Statement"]
        self.assertEqual([s["Sid"] for s in st], ["crossaccountpermission", "crossaccountpermission2"])

        client.remove_permission(QueueUrl=url, Label="crossaccountpermission")
        st = json.loads(self.attributes(url, "Policy", client=client)["Policy"])["Statement"]
        self.assertEqual([s["Sid"] for s in st], ["crossaccountpermission2"])

        client.remove_permission(QueueUrl=url, Label="crossaccountpermission2")
        self.assertNotIn("Policy", self.attributes(url, "Policy", client=client))
        with self.assertRaises(ClientError) as cm:
            client.remove_permission(QueueUrl=url, Label="crossaccountpermission2")
        self.assert_client_error(
            cm, "InvalidParameterValue",
            "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
            query_code="InvalidParameterValueException")

    def test_multiple_actions_and_all_actions(self):
        url = self.new_queue()
        self.sqs.add_permission(QueueUrl=url, AWSAccountIds=["123456789012"],
                                Actions=["SendMessage", "DeleteMessage"], Label="two")
        self.sqs.add_permission(QueueUrl=url, AWSAccountIds=["123456789012"], Actions=["*"], Label="all")
        statements = {s["Sid"]: s for s in self.policy(url)["Statement"]}
        self.assertEqual(sorted(statements["two"]["Action"]), ["SQS:DeleteMessage", "SQS:SendMessage"])
        self.assertEqual(statements["all"]["Action"], "SQS:*")

    def test_permission_on_missing_queue(self):
        url = "%s/%s/%s" % (self.server.endpoint, DEFAULT_ACCOUNT, unique("missing"))
        with self.assertRaises(ClientError) as cm:
            self.sqs.add_permission(QueueUrl=url, AWSAccountIds=["123456789012"],
                                    Actions=["SendMessage"], Label="x")
        self.assert_no_such_queue(cm)


class PurgeQueueTest(SqsServerTestCase):
    def test_purge_removes_visible_in_flight_and_delayed_messages(self):
        name = unique()
        url = self.new_queue(name, VisibilityTimeout=1)
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="visible-%d" % i)
        self.sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=1)
        self.sqs.receive_message(QueueUrl=url)  # one in flight
        self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(self.attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                                         "ApproximateNumberOfMessagesDelayed"),
                         {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0",
                          "ApproximateNumberOfMessagesDelayed": "0"})
        # nothing comes back once the visibility timeout and the delay have run out
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2))
        # the queue keeps working after a purge
        self.sqs.send_message(QueueUrl=url, MessageBody="after")
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "after")

    def test_second_purge_within_60_seconds(self):
        name = unique()
        url = self.new_queue(name)
        self.sqs.purge_queue(QueueUrl=url)
        with self.assertRaises(ClientError) as cm:
            self.sqs.purge_queue(QueueUrl=url)
        self.assert_client_error(
            cm, "AWS.SimpleQueueService.PurgeQueueInProgress",
            "Only one PurgeQueue operation on %s is allowed every 60 seconds." % name,
            status=403, query_code="PurgeQueueInProgress")
        with self.assertRaises(self.sqs.exceptions.PurgeQueueInProgress):
            self.sqs.purge_queue(QueueUrl=url)

    def test_purge_missing_queue(self):
        with self.assertRaises(ClientError) as cm:
            self.sqs.purge_queue(QueueUrl="%s/%s/%s" % (self.server.endpoint, DEFAULT_ACCOUNT,
                                                       unique("missing")))
        self.assert_no_such_queue(cm)


if __name__ == "__main__":
    unittest.main()
