"""Bad input to the SQS JSON endpoint of the real binary: raw HTTP for what no
SDK would send (broken JSON, wrong types, unknown actions, missing headers,
wrong content type, oversized bodies, odd paths and methods), the error wire
format (__type, message, x-amzn-query-error, x-amzn-RequestId), account and
host handling, and boto3 for receipt-handle and batch errors. Expected wording
comes from real-AWS recordings (aws-reference/localstack-snapshots, [sqs]).
"""

import http.client
import json
import select
import socket
import time
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from shoal_server import ServerTestCase

KEY = "AKIAIOSFODNN7EXAMPLE"  # not 12 digits: account 000000000000
REGION = "us-east-1"
JSON_CT = "application/x-amz-json-1.0"


def auth_header(key=KEY, region=REGION):
    return ("AWS4-HMAC-SHA256 Credential=%s/20240101/%s/sqs/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=%s" % (key, region, "0" * 64))


def sqs_client(endpoint, key=KEY, region=REGION):
    return boto3.session.Session().client(
        "sqs", endpoint_url=endpoint, region_name=region,
        aws_access_key_id=key, aws_secret_access_key="secret",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1},
                      connect_timeout=5, read_timeout=30))


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)

    @property
    def error_type(self):
        """The __type short name (after '#'), or None."""
        try:
            t = self.json().get("__type")
        except ValueError:
            return None
        return t.rsplit("#", 1)[-1] if t else None


class SqsErrorTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sqs = sqs_client(cls.server.endpoint)

    def raw(self, action=None, body=b"{}", method="POST", path="/", content_type=JSON_CT,
            authorization=True, extra_headers=None, target=None):
        headers = {}
        if content_type is not None:
            headers["Content-Type"] = content_type
        if target is not None:
            headers["X-Amz-Target"] = target
        elif action is not None:
            headers["X-Amz-Target"] = "AmazonSQS." + action
        if authorization is True:
            headers["Authorization"] = auth_header()
        elif authorization:
            headers["Authorization"] = authorization
        headers.update(extra_headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return Reply(resp.status, resp.getheaders(), resp.read())
        finally:
            conn.close()

    def new_queue(self, **attributes):
        kwargs = {"QueueName": "err-%s" % uuid.uuid4().hex[:16]}
        if attributes:
            kwargs["Attributes"] = {k: str(v) for k, v in attributes.items()}
        return self.sqs.create_queue(**kwargs)["QueueUrl"]

    def assert_has_request_id(self, reply):
        self.assertTrue(reply.headers.get("x-amzn-requestid"), reply.headers)

    def assert_json_error(self, reply, status, type_name, query_error=None, message=None):
        self.assertEqual(reply.status, status, reply.body)
        self.assert_has_request_id(reply)
        self.assertEqual(reply.error_type, type_name, reply.body)
        if query_error is not None:
            self.assertEqual(reply.headers.get("x-amzn-query-error"), query_error)
        if message is not None:
            self.assertEqual(reply.json().get("message"), message)

    def assert_client_error(self, cm, code, message=None, status=400, query_code=None):
        err = cm.exception.response["Error"]
        self.assertEqual(err.get("Code"), code, cm.exception.response)
        if message is not None:
            self.assertEqual(err.get("Message"), message)
        if query_code is not None:
            self.assertEqual(err.get("QueryErrorCode"), query_code)
        self.assertEqual(err.get("Type"), "Sender")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)


class WireFormatTest(SqsErrorTestCase):
    def test_success_is_json_with_request_id(self):
        reply = self.raw("ListQueues", {})
        self.assertEqual(reply.status, 200, reply.body)
        self.assert_has_request_id(reply)
        self.assertTrue(reply.headers.get("content-type", "").startswith(JSON_CT))
        self.assertIsInstance(reply.json(), dict)

    def test_request_ids_are_unique(self):
        ids = {self.raw("ListQueues", {}).headers.get("x-amzn-requestid") for _ in range(5)}
        self.assertEqual(len(ids), 5)

    def test_missing_queue_error_shape(self):
        url = "http://%s:%d/000000000000/%s" % (self.server.host, self.server.port, uuid.uuid4().hex)
        reply = self.raw("GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["All"]})
        self.assert_json_error(reply, 400, "QueueDoesNotExist",
                               query_error="AWS.SimpleQueueService.NonExistentQueue;Sender",
                               message="The specified queue does not exist.")
        self.assertIn(reply.json()["__type"], ("com.amazonaws.sqs#QueueDoesNotExist", "QueueDoesNotExist"))
        self.assertNotIn("x-amzn-errortype", reply.headers)  # AWS's SQS sends x-amzn-query-error only
        self.assertTrue(reply.headers.get("content-type", "").startswith(JSON_CT))

    def test_boto3_sees_legacy_code_and_modeled_exception(self):
        url = "%s/000000000000/%s" % (self.server.endpoint, uuid.uuid4().hex)
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist) as cm:
            self.sqs.get_queue_attributes(QueueUrl=url)
        self.assertEqual(cm.exception.response["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")
        self.assertEqual(cm.exception.response["Error"]["QueryErrorCode"], "QueueDoesNotExist")
        self.assertEqual(cm.exception.response["Error"]["Type"], "Sender")
        self.assertTrue(cm.exception.response["ResponseMetadata"]["RequestId"])


class ProtocolErrorsTest(SqsErrorTestCase):
    def test_unknown_operation(self):
        reply = self.raw("FooBar", {})
        self.assertEqual(reply.status, 400, reply.body)
        self.assert_has_request_id(reply)
        self.assertEqual(reply.error_type, "UnknownOperationException", reply.body)

    def test_unknown_target_service(self):
        reply = self.raw(target="AmazonSNS.Publish", body={})
        self.assertTrue(400 <= reply.status < 500, reply.status)
        self.assert_has_request_id(reply)

    def test_missing_target_header(self):
        reply = self.raw(None, {"QueueName": "x"})
        self.assertTrue(400 <= reply.status < 500, reply.status)
        self.assert_has_request_id(reply)

    def test_broken_json(self):
        for body in ('{"QueueName": ', "not json at all", "{'single': 'quotes'}", "\xff\xfe"):
            with self.subTest(body=body):
                reply = self.raw("CreateQueue", body.encode("latin-1"))
                self.assert_json_error(reply, 400, "SerializationException")

    def test_json_that_is_not_an_object(self):
        for body in ("[]", '"string"', "42", "null"):
            with self.subTest(body=body):
                reply = self.raw("CreateQueue", body)
                self.assert_json_error(reply, 400, "SerializationException")

    def test_wrong_member_types(self):
        url = self.new_queue()
        cases = [
            ("CreateQueue", {"QueueName": 123}),
            ("CreateQueue", {"QueueName": ["a"]}),
            ("CreateQueue", {"QueueName": "x-" + uuid.uuid4().hex[:8], "Attributes": ["DelaySeconds"]}),
            ("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": "ten"}),
            ("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": {"n": 1}}),
            ("SendMessage", {"QueueUrl": url, "MessageBody": {"nested": True}}),
            ("SendMessageBatch", {"QueueUrl": url, "Entries": {"Id": "1"}}),
        ]
        for action, body in cases:
            with self.subTest(action=action, body=body):
                reply = self.raw(action, body)
                self.assert_json_error(reply, 400, "SerializationException")
        # nothing was created or sent by the rejected requests
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessages"], "0")

    def test_missing_required_parameter(self):
        reply = self.raw("CreateQueue", {})
        self.assertEqual(reply.status, 400, reply.body)
        self.assert_has_request_id(reply)
        self.assertEqual(reply.headers.get("x-amzn-query-error"), "MissingParameter;Sender")
        self.assertEqual(reply.json().get("message"), "The request must contain the parameter QueueName.")
        url = self.new_queue()
        reply = self.raw("SendMessage", {"QueueUrl": url})
        self.assertEqual(reply.headers.get("x-amzn-query-error"), "MissingParameter;Sender")
        self.assertEqual(reply.json().get("message"), "The request must contain the parameter MessageBody.")

    def test_unknown_members_are_ignored(self):
        # AWS JSON services ignore members they do not know (forward compatibility).
        reply = self.raw("ListQueues", {"SomethingNew": 1})
        self.assertEqual(reply.status, 200, reply.body)

    def test_wrong_content_type(self):
        reply = self.raw("ListQueues", b"{}", content_type="text/plain")
        self.assertTrue(400 <= reply.status < 500, reply.status)
        self.assert_has_request_id(reply)

    def test_empty_body_does_not_break_the_server(self):
        reply = self.raw("ListQueues", b"")
        self.assertLess(reply.status, 500, reply.body)
        self.assert_has_request_id(reply)
        self.assertEqual(self.raw("ListQueues", {}).status, 200)

    def test_unknown_paths_and_methods_answer_promptly(self):
        for method, path in (("GET", "/"), ("GET", "/no/such/path"), ("DELETE", "/"), ("PUT", "/x"),
                             ("PATCH", "/"), ("OPTIONS", "/")):
            with self.subTest(method=method, path=path):
                start = time.monotonic()
                reply = self.raw(None, b"", method=method, path=path, content_type=None)
                self.assertLess(time.monotonic() - start, 5)
                self.assertTrue(400 <= reply.status < 500, (method, path, reply.status))
                self.assert_has_request_id(reply)
        self.assertEqual(self.raw("ListQueues", {}).status, 200)

    def test_oversized_body_is_413(self):
        declared = 64 * 1024 * 1024
        sock = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            head = ("POST / HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: %s\r\nX-Amz-Target: AmazonSQS.ListQueues\r\n"
                    "Content-Length: %d\r\n\r\n" % (self.server.host, self.server.port, JSON_CT, declared))
            sock.sendall(head.encode())
            # A server that checks the declared length answers before any body byte; one that
            # reads first gets the body streamed until it answers.
            ready, _, _ = select.select([sock], [], [], 2.0)
            sent, chunk = 0, b" " * 65536
            while not ready and sent < declared:
                try:
                    sock.sendall(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += len(chunk)
                ready, _, _ = select.select([sock], [], [], 0)
            data = b""
            sock.settimeout(5)
            try:
                while b"\r\n\r\n" not in data:
                    part = sock.recv(65536)
                    if not part:
                        break
                    data += part
            except ConnectionResetError:
                pass
        finally:
            sock.close()
        status_line = data.split(b"\r\n", 1)[0]
        self.assertRegex(status_line, rb"^HTTP/1\.1 413 ", data[:300])
        self.assertIn(b"x-amzn-requestid:", data.lower())
        # and the server is still fine
        self.assertEqual(self.raw("ListQueues", {}).status, 200)


class AccountAndHostTest(SqsErrorTestCase):
    def test_unsigned_request_is_accepted_as_default_account(self):
        name = "unsigned-%s" % uuid.uuid4().hex[:8]
        reply = self.raw("CreateQueue", {"QueueName": name}, authorization=None)
        self.assertEqual(reply.status, 200, reply.body)
        self.assertTrue(reply.json()["QueueUrl"].endswith("/000000000000/%s" % name))

    def test_account_and_region_from_authorization_header(self):
        name = "acct-%s" % uuid.uuid4().hex[:8]
        reply = self.raw("CreateQueue", {"QueueName": name},
                         authorization=auth_header(key="123456789012", region="ap-south-1"))
        self.assertEqual(reply.status, 200, reply.body)
        url = reply.json()["QueueUrl"]
        self.assertTrue(url.endswith("/123456789012/%s" % name), url)
        arn = sqs_client(self.server.endpoint, key="123456789012", region="ap-south-1").get_queue_attributes(
            QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.assertEqual(arn, "arn:aws:sqs:ap-south-1:123456789012:%s" % name)

    def test_queue_url_uses_the_host_header(self):
        name = "host-%s" % uuid.uuid4().hex[:8]
        reply = self.raw("CreateQueue", {"QueueName": name},
                         extra_headers={"Host": "my-host.example:1234"})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json()["QueueUrl"], "http://my-host.example:1234/000000000000/%s" % name)


class ReceiptHandleErrorsTest(SqsErrorTestCase):
    def test_delete_with_garbage_handle(self):
        url = self.new_queue()
        with self.assertRaises(ClientError) as cm:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage")
        self.assert_client_error(cm, "ReceiptHandleIsInvalid",
                                 'The input receipt handle "garbage" is not a valid receipt handle.',
                                 query_code="ReceiptHandleIsInvalid")
        with self.assertRaises(self.sqs.exceptions.ReceiptHandleIsInvalid):
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage")

    def test_change_visibility_with_garbage_handle(self):
        url = self.new_queue()
        with self.assertRaises(ClientError) as cm:
            self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle="INVALID", VisibilityTimeout=60)
        self.assert_client_error(cm, "ReceiptHandleIsInvalid")

    def test_tampered_real_handle(self):
        url = self.new_queue()
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        handle = self.sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
        tampered = handle[: len(handle) // 2]
        with self.assertRaises(ClientError) as cm:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle=tampered)
        self.assertEqual(cm.exception.response["Error"]["Code"], "ReceiptHandleIsInvalid")
        # the message is still there, in flight
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessagesNotVisible"], "1")

    def test_empty_handle(self):
        url = self.new_queue()
        with self.assertRaises(ClientError) as cm:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle="")
        self.assertIn(cm.exception.response["Error"]["Code"], ("ReceiptHandleIsInvalid", "MissingParameter"))
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)


class BatchErrorsTest(SqsErrorTestCase):
    def batch_calls(self, url, entries_for):
        return {
            "SendMessageBatch": lambda n: self.sqs.send_message_batch(
                QueueUrl=url, Entries=[dict(Id=i, MessageBody="b") for i in entries_for(n)]),
            "DeleteMessageBatch": lambda n: self.sqs.delete_message_batch(
                QueueUrl=url, Entries=[dict(Id=i, ReceiptHandle="h") for i in entries_for(n)]),
            "ChangeMessageVisibilityBatch": lambda n: self.sqs.change_message_visibility_batch(
                QueueUrl=url, Entries=[dict(Id=i, ReceiptHandle="h", VisibilityTimeout=1) for i in entries_for(n)]),
        }

    def test_empty_batch(self):
        url = self.new_queue()
        for action, call in self.batch_calls(url, lambda n: [str(i) for i in range(n)]).items():
            with self.subTest(action):
                with self.assertRaises(ClientError) as cm:
                    call(0)
                self.assert_client_error(cm, "AWS.SimpleQueueService.EmptyBatchRequest",
                                         query_code="EmptyBatchRequest")

    def test_too_many_entries(self):
        url = self.new_queue()
        for action, call in self.batch_calls(url, lambda n: ["message-%d" % i for i in range(n)]).items():
            with self.subTest(action):
                with self.assertRaises(ClientError) as cm:
                    call(20)
                self.assert_client_error(cm, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                                         "Maximum number of entries per request are 10. You have sent 20.",
                                         query_code="TooManyEntriesInBatchRequest")
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessages"], "0")

    def test_ids_not_distinct(self):
        url = self.new_queue()
        for action, call in self.batch_calls(url, lambda n: ["same"] * n).items():
            with self.subTest(action):
                with self.assertRaises(ClientError) as cm:
                    call(2)
                self.assert_client_error(cm, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                                         query_code="BatchEntryIdsNotDistinct")

    def test_invalid_entry_ids(self):
        url = self.new_queue()
        message = ("A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                   "It can be at most 80 letters long.")
        for bad in ("message:abc", "", "testLongId" * 10, "sp ace"):
            for action, call in self.batch_calls(url, lambda n, bad=bad: [bad]).items():
                with self.subTest(action=action, id=bad):
                    with self.assertRaises(ClientError) as cm:
                        call(1)
                    self.assert_client_error(cm, "AWS.SimpleQueueService.InvalidBatchEntryId", message,
                                             query_code="InvalidBatchEntryId")
        # 80 characters of the allowed set are fine
        ok = self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a-_9" * 20, "MessageBody": "x"}])
        self.assertEqual(ok["Successful"][0]["Id"], "a-_9" * 20)

    def test_batch_request_too_long(self):
        url = self.new_queue()
        attrs = {"k": {"DataType": "String", "StringValue": "x"}}  # 8 bytes
        with self.assertRaises(ClientError) as cm:
            self.sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": "1", "MessageBody": "a" * (1048576 - 8), "MessageAttributes": attrs},
                {"Id": "2", "MessageBody": "a"}])
        self.assert_client_error(cm, "AWS.SimpleQueueService.BatchRequestTooLong",
                                 "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
                                 query_code="BatchRequestTooLong")
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessages"], "0")

    def test_batch_on_missing_queue(self):
        url = "%s/000000000000/%s" % (self.server.endpoint, uuid.uuid4().hex)
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist):
            self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "x"}])


if __name__ == "__main__":
    unittest.main()
