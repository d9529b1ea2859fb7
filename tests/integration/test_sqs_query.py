"""The SQS query protocol (form parameters in, XML out) against the real
binary, driven by a real query-protocol client: Debian's python3-boto3
(botocore 1.29, whose SQS model is still `protocol: query`). Run it with
/usr/bin/python3, not a python3 whose current boto3 speaks AWS JSON; CTest
does (tests/CMakeLists.txt). Every request the client sends is recorded to
prove it really is an `Action=...` form body. Raw HTTP covers what no SDK
sends: GET with a query string, the queue URL's path without QueueUrl,
unknown actions, broken encoding. Expected wording comes from real-AWS
recordings (aws-reference/localstack-snapshots, the [sqs_query] variants).
botocore 1.29 does not check MD5s itself; the tests check them with sqs_md5.
Dead-letter queues and move tasks repeat test_sqs_dlq.py's scenarios with the
same expected results; botocore 1.29 predates the move-task actions, so those
are raw form requests.
"""

import base64
import http.client
import json
import re
import unittest
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

from shoal_server import ServerTestCase
from sqs_md5 import md5_of_attributes, md5_of_body

KEY = "AKIAIOSFODNN7EXAMPLE"  # not 12 digits: account 000000000000
REGION = "us-east-1"
NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"
FORM_CT = "application/x-www-form-urlencoded; charset=utf-8"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def query_client(endpoint, sent):
    """A boto3 SQS client that records (headers, body) of every request."""
    client = boto3.session.Session().client(
        "sqs", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=KEY, aws_secret_access_key="secret",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1},
                      connect_timeout=5, read_timeout=30))

    def record(request, **_):
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        headers = {k: v.decode("ascii") if isinstance(v, bytes) else v for k, v in request.headers.items()}
        sent.append((headers, body or ""))

    client.meta.events.register("before-send.sqs", record)
    return client


def setUpModule():
    client = boto3.session.Session().client("sqs", region_name=REGION, endpoint_url="http://127.0.0.1:1",
                                            aws_access_key_id=KEY, aws_secret_access_key="s")
    protocol = client.meta.service_model.protocol
    if protocol != "query":
        raise RuntimeError(
            "test_sqs_query needs a boto3 whose SQS model speaks the query protocol (Debian's python3-boto3 "
            "under /usr/bin/python3); this one (botocore %s at %s) speaks %r"
            % (botocore.__version__, botocore.__file__, protocol))


class SqsQueryTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sent = []
        cls.sqs = query_client(cls.server.endpoint, cls.sent)

    def new_queue(self, prefix="query", **attributes):
        name = "%s-%s" % (prefix, uuid.uuid4().hex[:16])
        kwargs = {"QueueName": name}
        if attributes:
            kwargs["Attributes"] = {k: str(v) for k, v in attributes.items()}
        return self.sqs.create_queue(**kwargs)["QueueUrl"]

    def last_form(self):
        headers, body = self.sent[-1]
        return headers, urllib.parse.parse_qs(body, keep_blank_values=True)

    def assert_error(self, cm, code, message=None, status=400):
        err = cm.exception.response["Error"]
        self.assertEqual(err.get("Code"), code, cm.exception.response)
        if message is not None:
            self.assertEqual(err.get("Message"), message)
        self.assertEqual(err.get("Type"), "Sender")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)

    def raw(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            hdrs = {"Host": "%s:%d" % (self.server.host, self.server.port)}
            hdrs.update(headers or {})
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode("utf-8")
        finally:
            conn.close()

    def post_form(self, params, path="/"):
        return self.raw("POST", path, urllib.parse.urlencode(params), {"Content-Type": FORM_CT})


class ClientSpeaksQueryTest(SqsQueryTestCase):
    def test_requests_are_form_bodies_with_action_and_version(self):
        self.new_queue()
        headers, form = self.last_form()
        self.assertTrue(headers["Content-Type"].startswith("application/x-www-form-urlencoded"), headers)
        self.assertNotIn("X-Amz-Target", headers)
        self.assertEqual(form["Action"], ["CreateQueue"])
        self.assertEqual(form["Version"], ["2012-11-05"])

    def test_answers_are_xml_in_the_sqs_namespace(self):
        status, headers, body = self.post_form({"Action": "ListQueues", "Version": "2012-11-05"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/xml")
        self.assertRegex(headers["x-amzn-requestid"], UUID_RE)
        self.assertTrue(body.startswith('<?xml version="1.0"?><ListQueuesResponse '
                                        'xmlns="http://queue.amazonaws.com/doc/2012-11-05/">'), body)
        root = ET.fromstring(body)
        self.assertEqual(root.find(NS + "ResponseMetadata/" + NS + "RequestId").text, headers["x-amzn-requestid"])


class QueueLifecycleTest(SqsQueryTestCase):
    def test_create_get_url_list_delete(self):
        name = "life-%s" % uuid.uuid4().hex[:12]
        url = self.sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "2"},
                                    tags={"team": "core"})["QueueUrl"]
        self.assertEqual(url, "%s/000000000000/%s" % (self.server.endpoint, name))
        _, form = self.last_form()
        self.assertEqual(form["Attribute.1.Name"], ["DelaySeconds"])
        self.assertEqual(form["Attribute.1.Value"], ["2"])
        self.assertEqual(form["Tag.1.Key"], ["team"])
        self.assertEqual(self.sqs.get_queue_url(QueueName=name)["QueueUrl"], url)
        other = self.sqs.create_queue(QueueName=name + "-b")["QueueUrl"]
        listed = self.sqs.list_queues(QueueNamePrefix=name)["QueueUrls"]
        self.assertEqual(sorted(listed), sorted([url, other]))
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "core"})
        self.sqs.delete_queue(QueueUrl=url)
        self.sqs.delete_queue(QueueUrl=other)
        self.assertNotIn("QueueUrls", self.sqs.list_queues(QueueNamePrefix=name))
        with self.assertRaises(ClientError) as cm:
            self.sqs.get_queue_url(QueueName=name)
        self.assert_error(cm, "AWS.SimpleQueueService.NonExistentQueue",
                          "The specified queue does not exist for this wsdl version.")

    def test_create_existing_with_other_attributes_is_queue_already_exists(self):
        name = "dup-%s" % uuid.uuid4().hex[:12]
        self.sqs.create_queue(QueueName=name)
        with self.assertRaises(ClientError) as cm:
            self.sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "1"})
        self.assert_error(cm, "QueueAlreadyExists",
                          "A queue already exists with the same name and a different value for attribute "
                          "DelaySeconds")

    def test_attributes_get_and_set(self):
        url = self.new_queue(VisibilityTimeout=45)
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "3",
                                                                "MaximumMessageSize": "2048"})
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "45")
        self.assertEqual(attrs["DelaySeconds"], "3")
        self.assertEqual(attrs["MaximumMessageSize"], "2048")
        self.assertTrue(attrs["QueueArn"].endswith(":000000000000:" + url.rsplit("/", 1)[1]))
        some = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["DelaySeconds", "QueueArn"])
        self.assertEqual(set(some["Attributes"]), {"DelaySeconds", "QueueArn"})
        _, form = self.last_form()
        self.assertEqual(form["AttributeName.1"], ["DelaySeconds"])
        self.assertEqual(form["AttributeName.2"], ["QueueArn"])

    def test_tags(self):
        url = self.new_queue()
        self.sqs.tag_queue(QueueUrl=url, Tags={"tag1": "value1", "tag2": "value2", "tag3": ""})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"tag1": "value1", "tag2": "value2", "tag3": ""})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["tag1", "tag3"])
        _, form = self.last_form()
        self.assertEqual(form["TagKey.1"], ["tag1"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"tag2": "value2"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["tag2"])
        self.assertNotIn("Tags", self.sqs.list_queue_tags(QueueUrl=url))

    def test_permissions(self):
        url = self.new_queue()
        self.sqs.add_permission(QueueUrl=url, Label="crossaccountpermission",
                                AWSAccountIds=["111111111111", "222222222222"],
                                Actions=["SendMessage", "ReceiveMessage"])
        _, form = self.last_form()
        self.assertEqual(form["AWSAccountId.2"], ["222222222222"])
        self.assertEqual(form["ActionName.1"], ["SendMessage"])
        policy = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"]
        self.assertIn('"Sid":"crossaccountpermission"', policy.replace(" ", ""))
        with self.assertRaises(ClientError) as cm:
            self.sqs.add_permission(QueueUrl=url, Label="crossaccountpermission",
                                    AWSAccountIds=["111111111111"], Actions=["SendMessage"])
        self.assert_error(cm, "InvalidParameterValue",
                          "Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.")
        self.sqs.remove_permission(QueueUrl=url, Label="crossaccountpermission")
        with self.assertRaises(ClientError) as cm:
            self.sqs.remove_permission(QueueUrl=url, Label="crossaccountpermission2")
        self.assert_error(cm, "InvalidParameterValue",
                          "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.")

    def test_purge_and_purge_in_progress(self):
        url = self.new_queue()
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        self.sqs.purge_queue(QueueUrl=url)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        with self.assertRaises(ClientError) as cm:
            self.sqs.purge_queue(QueueUrl=url)
        name = url.rsplit("/", 1)[1]
        self.assert_error(cm, "AWS.SimpleQueueService.PurgeQueueInProgress",
                          "Only one PurgeQueue operation on %s is allowed every 60 seconds." % name, status=403)

    def test_unknown_queue_is_non_existent_queue(self):
        with self.assertRaises(ClientError) as cm:
            self.sqs.send_message(QueueUrl=self.server.endpoint + "/000000000000/nope-" + uuid.uuid4().hex,
                                  MessageBody="x")
        self.assert_error(cm, "AWS.SimpleQueueService.NonExistentQueue",
                          "The specified queue does not exist for this wsdl version.")


class MessagesTest(SqsQueryTestCase):
    ATTRIBUTES = {
        "s": {"DataType": "String", "StringValue": "hello <world> & \"friends\""},
        "n": {"DataType": "Number", "StringValue": "4563442423554324324264524243.32543234"},
        "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xffbinary"},
        "c": {"DataType": "Number.float", "StringValue": "1.5"},
    }

    def test_send_receive_delete_with_string_number_binary_attributes(self):
        url = self.new_queue()
        body = "body with <xml/> & \"quotes\", CRLF\r\nand \u00e9\u20ac\U0001F600"
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=self.ATTRIBUTES)
        _, form = self.last_form()
        self.assertIn("MessageAttribute.1.Value.DataType", form)
        self.assertEqual(sent["MD5OfMessageBody"], md5_of_body(body))
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_attributes(self.ATTRIBUTES))
        self.assertRegex(sent["MessageId"], UUID_RE)

        got = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"], AttributeNames=["All"],
                                       WaitTimeSeconds=1)
        self.assertEqual(len(got["Messages"]), 1, got)
        msg = got["Messages"][0]
        self.assertEqual(msg["Body"], body)
        self.assertEqual(msg["MD5OfBody"], md5_of_body(body))
        self.assertEqual(msg["MessageId"], sent["MessageId"])
        self.assertEqual(msg["MessageAttributes"], self.ATTRIBUTES)
        self.assertEqual(msg["MD5OfMessageAttributes"], md5_of_attributes(self.ATTRIBUTES))
        self.assertEqual(msg["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertEqual(msg["Attributes"]["SenderId"], KEY)
        self.assertTrue(msg["Attributes"]["SentTimestamp"].isdigit())

        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=msg["ReceiptHandle"])
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))

    def test_receive_filters_message_attribute_names(self):
        url = self.new_queue()
        self.sqs.send_message(QueueUrl=url, MessageBody="m", MessageAttributes=self.ATTRIBUTES)
        msg = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["s", "b"])["Messages"][0]
        expected = {k: self.ATTRIBUTES[k] for k in ("s", "b")}
        self.assertEqual(msg["MessageAttributes"], expected)
        self.assertEqual(msg["MD5OfMessageAttributes"], md5_of_attributes(expected))
        self.assertNotIn("Attributes", msg)

    def test_trace_header_system_attribute(self):
        url = self.new_queue()
        trace = {"AWSTraceHeader": {"DataType": "String",
                                    "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="t", MessageSystemAttributes=trace)
        self.assertEqual(sent["MD5OfMessageSystemAttributes"], md5_of_attributes(trace))
        msg = self.sqs.receive_message(QueueUrl=url, AttributeNames=["AWSTraceHeader"])["Messages"][0]
        self.assertEqual(msg["Attributes"], {"AWSTraceHeader": trace["AWSTraceHeader"]["StringValue"]})

    def test_visibility_change(self):
        url = self.new_queue()
        self.sqs.send_message(QueueUrl=url, MessageBody="v")
        msg = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=30)["Messages"][0]
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=0)
        again = self.sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
        self.assertEqual(again["Attributes"]["ApproximateReceiveCount"], "2")
        result = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
            {"Id": "ok", "ReceiptHandle": again["ReceiptHandle"], "VisibilityTimeout": 0},
            {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 0}])
        self.assertEqual([e["Id"] for e in result["Successful"]], ["ok"])
        self.assertEqual(len(result["Failed"]), 1)
        self.assertEqual(result["Failed"][0]["Id"], "bad")
        self.assertEqual(result["Failed"][0]["Code"], "ReceiptHandleIsInvalid")
        self.assertIs(result["Failed"][0]["SenderFault"], True)

    def test_batches_with_per_entry_failures(self):
        url = self.new_queue()
        entries = [
            {"Id": "a", "MessageBody": "first", "MessageAttributes": {"k": self.ATTRIBUTES["b"]}},
            {"Id": "b", "MessageBody": "second", "DelaySeconds": 0},
            {"Id": "c", "MessageBody": "bad \x01 char"},
        ]
        result = self.sqs.send_message_batch(QueueUrl=url, Entries=entries)
        _, form = self.last_form()
        self.assertEqual(form["SendMessageBatchRequestEntry.2.Id"], ["b"])
        self.assertEqual(form["SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType"], ["Binary"])
        ok = {e["Id"]: e for e in result["Successful"]}
        self.assertEqual(set(ok), {"a", "b"})
        self.assertEqual(ok["a"]["MD5OfMessageBody"], md5_of_body("first"))
        self.assertEqual(ok["a"]["MD5OfMessageAttributes"], md5_of_attributes({"k": self.ATTRIBUTES["b"]}))
        self.assertEqual([f["Id"] for f in result["Failed"]], ["c"])
        self.assertIs(result["Failed"][0]["SenderFault"], True)
        self.assertEqual(result["Failed"][0]["Code"], "InvalidMessageContents")

        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                       MessageAttributeNames=["All"])["Messages"]
        while len(got) < 2:
            got += self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                            MessageAttributeNames=["All"]).get("Messages", [])
        deleted = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "d%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)] + [
            {"Id": "x", "ReceiptHandle": "not-a-handle"}])
        self.assertEqual(sorted(e["Id"] for e in deleted["Successful"]), ["d0", "d1"])
        self.assertEqual(deleted["Failed"][0]["Id"], "x")
        self.assertEqual(deleted["Failed"][0]["Code"], "ReceiptHandleIsInvalid")

    def test_too_many_entries_in_batch_request(self):
        url = self.new_queue()
        with self.assertRaises(ClientError) as cm:
            self.sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": "e%d" % i, "MessageBody": "m"} for i in range(20)])
        self.assert_error(cm, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                          "Maximum number of entries per request are 10. You have sent 20.")

    def test_invalid_batch_entry_id(self):
        url = self.new_queue()
        with self.assertRaises(ClientError) as cm:
            self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "invalid:id", "MessageBody": "m"}])
        self.assert_error(cm, "AWS.SimpleQueueService.InvalidBatchEntryId",
                          "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                          "It can be at most 80 letters long.")

    def test_out_of_range_receive_parameters(self):
        url = self.new_queue()
        with self.assertRaises(ClientError) as cm:
            self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11)
        self.assert_error(cm, "InvalidParameterValue",
                          "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, "
                          "if provided.")
        with self.assertRaises(ClientError) as cm:
            self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=21)
        self.assert_error(cm, "InvalidParameterValue",
                          "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, "
                          "if provided.")

    def test_empty_body_is_missing_parameter(self):
        url = self.new_queue()
        with self.assertRaises(ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="")
        self.assert_error(cm, "MissingParameter", "The request must contain the parameter MessageBody.")

    def test_long_poll_answers_in_xml(self):
        url = self.new_queue()
        resp = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
        self.assertNotIn("Messages", resp)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)


class RawQueryTest(SqsQueryTestCase):
    def test_get_with_query_string(self):
        url = self.new_queue(prefix="rawget")
        status, headers, body = self.raw("GET", "/?Action=ListQueues&Version=2012-11-05&QueueNamePrefix=rawget")
        self.assertEqual(status, 200, body)
        root = ET.fromstring(body)
        urls = [e.text for e in root.iter(NS + "QueueUrl")]
        self.assertIn(url, urls)
        self.assertIsNotNone(root.find(NS + "ListQueuesResult"))

    def test_get_to_the_queue_path_sends_a_message(self):
        url = self.new_queue()
        path = urllib.parse.urlparse(url).path
        status, _, body = self.raw("GET", path + "?" + urllib.parse.urlencode(
            {"Action": "SendMessage", "MessageBody": "via get & path"}))
        self.assertEqual(status, 200, body)
        root = ET.fromstring(body)
        self.assertEqual(root.find(NS + "SendMessageResult/" + NS + "MD5OfMessageBody").text,
                         md5_of_body("via get & path"))
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "via get & path")

    def test_post_to_the_queue_path_without_queue_url(self):
        url = self.new_queue()
        path = urllib.parse.urlparse(url).path
        status, _, body = self.post_form({"Action": "SendMessage", "Version": "2012-11-05",
                                          "MessageBody": "to the path"}, path=path)
        self.assertEqual(status, 200, body)
        status, _, body = self.post_form({"Action": "GetQueueAttributes", "AttributeName.1": "QueueArn"}, path=path)
        self.assertEqual(status, 200, body)
        root = ET.fromstring(body)
        attr = root.find(NS + "GetQueueAttributesResult/" + NS + "Attribute")
        self.assertEqual(attr.find(NS + "Name").text, "QueueArn")
        self.assertTrue(attr.find(NS + "Value").text.endswith(path.rsplit("/", 1)[1]))
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "to the path")

    def test_raw_send_and_receive_xml_shapes(self):
        url = self.new_queue()
        status, _, body = self.post_form({
            "Action": "SendMessage", "QueueUrl": url, "MessageBody": "<b>&</b>",
            "MessageAttribute.1.Name": "bin", "MessageAttribute.1.Value.DataType": "Binary",
            "MessageAttribute.1.Value.BinaryValue": base64.b64encode(b"\x00\xff").decode()})
        self.assertEqual(status, 200, body)
        status, _, body = self.post_form({"Action": "ReceiveMessage", "QueueUrl": url,
                                          "MessageAttributeName.1": "All", "AttributeName.1": "SentTimestamp"})
        self.assertEqual(status, 200, body)
        self.assertIn("<Body>&lt;b&gt;&amp;&lt;/b&gt;</Body>", body)
        self.assertIn("<MessageAttribute><Name>bin</Name><Value><BinaryValue>AP8=</BinaryValue>"
                      "<DataType>Binary</DataType></Value></MessageAttribute>", body)
        self.assertRegex(body, r"<Attribute><Name>SentTimestamp</Name><Value>\d+</Value></Attribute>")

    def assert_xml_error(self, status, body, want_status, code, message=None, type_="Sender"):
        self.assertEqual(status, want_status, body)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, NS + "ErrorResponse")
        error = root.find(NS + "Error")
        self.assertEqual(error.find(NS + "Type").text, type_)
        self.assertEqual(error.find(NS + "Code").text, code)
        if message is not None:
            self.assertEqual(error.find(NS + "Message").text, message)
        self.assertRegex(root.find(NS + "RequestId").text, UUID_RE)

    def test_unknown_action(self):
        status, _, body = self.post_form({"Action": "Frobnicate", "Version": "2012-11-05"})
        self.assert_xml_error(status, body, 400, "InvalidAction",
                              "The action Frobnicate is not valid for this web service.")
        status, _, body = self.raw("GET", "/?Action=Frobnicate")
        self.assert_xml_error(status, body, 400, "InvalidAction")

    def test_missing_action(self):
        status, _, body = self.post_form({"Version": "2012-11-05", "QueueName": "x"})
        self.assert_xml_error(status, body, 400, "MissingAction")

    def test_bad_version(self):
        status, _, body = self.post_form({"Action": "ListQueues", "Version": "2099-01-01"})
        self.assert_xml_error(status, body, 400, "NoSuchVersion",
                              "The requested version (2099-01-01) of service AmazonSQS does not exist.")
        status, _, body = self.post_form({"Action": "ListQueues", "Version": "latest"})
        self.assert_xml_error(status, body, 400, "MalformedVersion", "Version not well formed: latest.")

    def test_without_version_only_the_original_api_runs(self):
        # AWS applies the 2009-02-01 API to a request without Version: SendMessage
        # works, SendMessageBatch (2011-10-01) is unknown there.
        url = self.new_queue()
        status, _, body = self.post_form({"Action": "SendMessage", "QueueUrl": url, "MessageBody": "old"})
        self.assertEqual(status, 200, body)
        status, _, body = self.post_form({"Action": "SendMessageBatch", "QueueUrl": url,
                                          "SendMessageBatchRequestEntry.1.Id": "a",
                                          "SendMessageBatchRequestEntry.1.MessageBody": "new"})
        self.assert_xml_error(status, body, 400, "InvalidAction",
                              "The action SendMessageBatch is not valid for this endpoint.")
        status, _, body = self.post_form({"Action": "PurgeQueue", "QueueUrl": url, "Version": "2011-10-01"})
        self.assert_xml_error(status, body, 400, "InvalidAction")
        status, _, body = self.post_form({"Action": "SendMessageBatch", "QueueUrl": url, "Version": "2011-10-01",
                                          "SendMessageBatchRequestEntry.1.Id": "a",
                                          "SendMessageBatchRequestEntry.1.MessageBody": "new"})
        self.assertEqual(status, 200, body)
        bodies = sorted(m["Body"] for m in self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"])
        self.assertEqual(bodies, ["new", "old"])

    def test_gaps_in_flattened_indexes_close_up(self):
        url = self.new_queue()
        status, _, body = self.post_form({"Action": "SetQueueAttributes", "Version": "2012-11-05", "QueueUrl": url,
                                          "Attribute.1.Name": "DelaySeconds", "Attribute.1.Value": "7",
                                          "Attribute.3.Name": "VisibilityTimeout", "Attribute.3.Value": "77"})
        self.assertEqual(status, 200, body)
        status, _, body = self.post_form({"Action": "GetQueueAttributes", "Version": "2012-11-05", "QueueUrl": url,
                                          "AttributeName.1": "DelaySeconds", "AttributeName.3": "VisibilityTimeout"})
        self.assertEqual(status, 200, body)
        attrs = {a.find(NS + "Name").text: a.find(NS + "Value").text
                 for a in ET.fromstring(body).iter(NS + "Attribute")}
        self.assertEqual(attrs, {"DelaySeconds": "7", "VisibilityTimeout": "77"})

    def test_index_zero_is_malformed_input(self):
        url = self.new_queue()
        status, _, body = self.post_form({"Action": "ReceiveMessage", "Version": "2012-11-05", "QueueUrl": url,
                                          "AttributeName.0": "All"})
        self.assert_xml_error(status, body, 400, "MalformedInput", "0 is not a valid index")

    def test_broken_form_encoding(self):
        # AWS's common errors: MalformedQueryString, HTTP 404.
        for form in ("Action=ListQueues&QueueNamePrefix=%zz", "Action=ListQueues&QueueNamePrefix=50%",
                     "Action=List%4"):
            status, _, body = self.raw("POST", "/", form, {"Content-Type": FORM_CT})
            self.assert_xml_error(status, body, 404, "MalformedQueryString",
                                  "The query string contains a syntax error.")
        status, _, body = self.raw("GET", "/?Action=ListQueues&QueueNamePrefix=%G1")
        self.assert_xml_error(status, body, 404, "MalformedQueryString")

    def test_non_numeric_integer(self):
        url = self.new_queue()
        status, _, body = self.post_form({"Action": "ReceiveMessage", "QueueUrl": url, "MaxNumberOfMessages": "ten"})
        self.assert_xml_error(status, body, 400, "InvalidParameterValue",
                              "Value ten for parameter MaxNumberOfMessages is invalid. Reason: Must be an integer.")

    def test_missing_required_parameter(self):
        status, _, body = self.post_form({"Action": "CreateQueue"})
        self.assertEqual(status, 400, body)
        self.assertIn("<Type>Sender</Type>", body)

    def test_json_and_query_share_the_queues(self):
        url = self.new_queue()
        status, _, body = self.raw("POST", "/", '{"QueueUrl": "%s", "MessageBody": "from json"}' % url,
                                   {"Content-Type": "application/x-amz-json-1.0",
                                    "X-Amz-Target": "AmazonSQS.SendMessage"})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "from json")


class DeadLetterQueueTest(SqsQueryTestCase):
    """The scenarios of test_sqs_dlq.py (JSON) over the query protocol, with
    the same expected results. Botocore 1.29 predates the move-task actions,
    so those go as raw form requests."""

    ACCOUNT = "000000000000"

    def arn(self, url):
        return "arn:aws:sqs:%s:%s:%s" % (REGION, self.ACCOUNT, url.rsplit("/", 1)[1])

    def pipe(self):
        dlq_url = self.new_queue(prefix="dlq")
        src_url = self.new_queue(prefix="src", RedrivePolicy=json.dumps(
            {"deadLetterTargetArn": self.arn(dlq_url), "maxReceiveCount": 1}))
        return src_url, dlq_url

    def fill_dlq(self, src_url, count):
        for i in range(count):
            self.sqs.send_message(QueueUrl=src_url, MessageBody="m%d" % i)
        self.sqs.receive_message(QueueUrl=src_url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        self.sqs.receive_message(QueueUrl=src_url, MaxNumberOfMessages=10, VisibilityTimeout=0)

    def form(self, action, **params):
        status, _, body = self.post_form(dict(Action=action, Version="2012-11-05", **params))
        return status, body

    def test_invalid_redrive_policy(self):
        url = self.new_queue()
        text = json.dumps({"deadLetterTargetArn": self.arn(url) + "-nope", "maxReceiveCount": 3})
        with self.assertRaises(ClientError) as cm:
            self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": text})
        self.assert_error(cm, "InvalidParameterValue",
                          "Value %s for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist."
                          % text)
        text = json.dumps({"deadLetterTargetArn": self.arn(url), "maxReceiveCount": 0})
        with self.assertRaises(ClientError) as cm:
            self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": text})
        self.assert_error(cm, "InvalidParameterValue",
                          "Value %s for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: "
                          "0, valid values are from 1 to 1000 both inclusive." % text)

    def test_message_moves_with_its_id_and_source_arn(self):
        src_url, dlq_url = self.pipe()
        sent = self.sqs.send_message(QueueUrl=src_url, MessageBody="message-1", MessageAttributes={
            "MyAttribute": {"DataType": "String", "StringValue": "foobar"}})
        before = self.sqs.receive_message(QueueUrl=src_url, VisibilityTimeout=0, AttributeNames=["All"])["Messages"]
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=src_url))
        moved = self.sqs.receive_message(QueueUrl=dlq_url, AttributeNames=["All"],
                                         MessageAttributeNames=["All"])["Messages"][0]
        self.assertEqual(moved["MessageId"], sent["MessageId"])
        self.assertEqual(moved["Body"], "message-1")
        self.assertEqual(moved["MD5OfMessageAttributes"], sent["MD5OfMessageAttributes"])
        self.assertEqual(moved["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertEqual(moved["Attributes"]["SentTimestamp"], before[0]["Attributes"]["SentTimestamp"])
        self.assertEqual(moved["Attributes"]["DeadLetterQueueSourceArn"], self.arn(src_url))

    def test_list_dead_letter_source_queues(self):
        src_url, dlq_url = self.pipe()
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq_url)["queueUrls"], [src_url])
        # An empty flattened list is no element at all in XML: botocore leaves the key out.
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=src_url).get("queueUrls", []), [])
        status, body = self.form("ListDeadLetterSourceQueues", QueueUrl=dlq_url)
        self.assertEqual(status, 200, body)
        root = ET.fromstring(body)
        self.assertEqual([e.text for e in root.iter(NS + "QueueUrl")], [src_url])

    def test_move_task_workflow_and_errors(self):
        src_url, dlq_url = self.pipe()
        dest_url = self.new_queue(prefix="dest")
        self.fill_dlq(src_url, 2)
        status, body = self.form("StartMessageMoveTask", SourceArn=self.arn(src_url))
        self.assertEqual(status, 400, body)
        self.assertIn("<Code>InvalidParameterValue</Code>", body)
        self.assertIn("<Message>Source queue must be configured as a Dead Letter Queue.</Message>", body)
        status, body = self.form("StartMessageMoveTask", SourceArn=self.arn(dlq_url), DestinationArn=self.arn(dest_url))
        self.assertEqual(status, 200, body)
        handle = ET.fromstring(body).find(NS + "StartMessageMoveTaskResult/" + NS + "TaskHandle").text
        self.assertEqual(json.loads(base64.b64decode(handle))["sourceArn"], self.arn(dlq_url))
        got = self.sqs.receive_message(QueueUrl=dest_url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual(sorted(m["Body"] for m in got), ["m0", "m1"])

        status, body = self.form("ListMessageMoveTasks", SourceArn=self.arn(dlq_url))
        self.assertEqual(status, 200, body)
        entry = ET.fromstring(body).find(NS + "ListMessageMoveTasksResult/" + NS + "Results")
        fields = {child.tag[len(NS):]: child.text for child in entry}
        self.assertEqual(fields["Status"], "COMPLETED")
        self.assertEqual(fields["ApproximateNumberOfMessagesMoved"], "2")
        self.assertEqual(fields["ApproximateNumberOfMessagesToMove"], "2")
        self.assertEqual(fields["SourceArn"], self.arn(dlq_url))
        self.assertEqual(fields["DestinationArn"], self.arn(dest_url))
        self.assertNotIn("TaskHandle", fields)

        status, body = self.form("CancelMessageMoveTask", TaskHandle="foobared")
        self.assertEqual(status, 400, body)
        self.assertIn("<Message>Value for parameter TaskHandle is invalid.</Message>", body)
        status, body = self.form("CancelMessageMoveTask", TaskHandle=handle)
        self.assertEqual(status, 404, body)
        self.assertIn("<Code>ResourceNotFoundException</Code>", body)
        self.assertIn("<Message>Task does not exist.</Message>", body)
        status, body = self.form("StartMessageMoveTask", SourceArn=self.arn(dlq_url) + "-nope")
        self.assertEqual(status, 404, body)
        self.assertIn("<Message>The resource that you specified for the SourceArn parameter doesn't exist.</Message>",
                      body)

    def test_running_task_is_cancelled(self):
        src_url, dlq_url = self.pipe()
        dest_url = self.new_queue(prefix="dest")
        self.fill_dlq(src_url, 10)
        status, body = self.form("StartMessageMoveTask", SourceArn=self.arn(dlq_url), DestinationArn=self.arn(dest_url),
                                 MaxNumberOfMessagesPerSecond="1")
        self.assertEqual(status, 200, body)
        handle = ET.fromstring(body).find(NS + "StartMessageMoveTaskResult/" + NS + "TaskHandle").text
        status, body = self.form("ListMessageMoveTasks", SourceArn=self.arn(dlq_url), MaxResults="10")
        self.assertIn("<Status>RUNNING</Status>", body)
        self.assertIn("<TaskHandle>%s</TaskHandle>" % handle, body)
        self.assertIn("<MaxNumberOfMessagesPerSecond>1</MaxNumberOfMessagesPerSecond>", body)
        status, body = self.form("CancelMessageMoveTask", TaskHandle=handle)
        self.assertEqual(status, 200, body)
        moved = int(ET.fromstring(body).find(
            NS + "CancelMessageMoveTaskResult/" + NS + "ApproximateNumberOfMessagesMoved").text)
        status, body = self.form("ListMessageMoveTasks", SourceArn=self.arn(dlq_url))
        self.assertIn("<Status>CANCELLED</Status>", body)
        attrs = self.sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(int(attrs["Attributes"]["ApproximateNumberOfMessages"]), 10 - moved)


if __name__ == "__main__":
    unittest.main()
