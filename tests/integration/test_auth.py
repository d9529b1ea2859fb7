"""Strict SigV4 authentication (--auth strict): what real clients sign passes,
what AWS refuses is refused with AWS's error in each protocol's shape.

- boto3 (SQS over whatever protocol it speaks, Kinesis over JSON) and the AWS
  CLI with the right secret work; a wrong secret, an unknown key, no
  signature are refused.
- Raw requests signed by botocore's own signer and then tampered with (body,
  a signed header) get SignatureDoesNotMatch in SQS JSON (403, the legacy code
  in x-amzn-query-error), SQS query XML (ErrorResponse, Type Sender), and
  InvalidSignatureException in Kinesis JSON and CBOR (400).
- The clock-skew window is AWS's (SQS "... - 15 min.", Kinesis "... - 5
  min.") on the emulator's clock, moved with /_shoal/clock/advance.
- Presigned URLs (botocore's SigV4QueryAuth) work until X-Amz-Expires.
- Permissive mode (the default) still takes any signature; /_shoal/ needs none.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import boto3
import botocore
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

import kinesis_cbor
from control_client import ok
from shoal_server import ServerTestCase, ShoalServer, binary_path

REGION = "us-east-1"
KEY, SECRET = "AKIDSTRICTEXAMPLE", "strict-secret"
ACCOUNT_KEY, ACCOUNT_SECRET = "111111111111", "secret-of-a"  # a 12-digit key is its account
MAPPED_KEY, MAPPED_SECRET, MAPPED_ACCOUNT = "AKIDMAPPED", "mapped-secret", "222222222222"
STRICT_ARGS = ("--auth", "strict", "--auth-keys",
               f"{KEY}:{SECRET},{ACCOUNT_KEY}:{ACCOUNT_SECRET},{MAPPED_KEY}:{MAPPED_SECRET}:{MAPPED_ACCOUNT}")
CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=30)
MISMATCH = "The request signature we calculated does not match the signature you provided."


def client(service, endpoint, key=KEY, secret=SECRET, config=CONFIG):
    return boto3.session.Session().client(service, endpoint_url=endpoint, region_name=REGION,
                                          aws_access_key_id=key, aws_secret_access_key=secret, config=config)


def sign(endpoint, service, headers, body, key=KEY, secret=SECRET, method="POST", path="/"):
    """An AWSRequest signed by botocore's SigV4 signer (header form)."""
    req = AWSRequest(method=method, url=endpoint + path, data=body, headers=headers)
    SigV4Auth(Credentials(key, secret), service, REGION).add_auth(req)
    return req


def send(method, url, headers, body):
    """(status, headers, raw body) of one HTTP request, errors included."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data if data else None, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def send_signed(req, body=None, headers=None):
    h = dict(req.headers.items())
    h.update(headers or {})
    return send(req.method, req.url, h, req.body if body is None else body)


def sqs_json(endpoint, action, payload, **kw):
    return sign(endpoint, "sqs", {"Content-Type": "application/x-amz-json-1.0",
                                  "X-Amz-Target": "AmazonSQS." + action}, json.dumps(payload), **kw)


def sqs_query(endpoint, form, **kw):
    return sign(endpoint, "sqs", {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, form, **kw)


def kinesis_json(endpoint, action, payload, **kw):
    return sign(endpoint, "kinesis", {"Content-Type": "application/x-amz-json-1.1",
                                      "X-Amz-Target": "Kinesis_20131202." + action}, json.dumps(payload), **kw)


def kinesis_cbor_request(endpoint, action, payload, **kw):
    return sign(endpoint, "kinesis", {"Content-Type": "application/x-amz-cbor-1.1",
                                      "X-Amz-Target": "Kinesis_20131202." + action}, kinesis_cbor.encode(payload), **kw)


def xml_error(raw):
    ns = {"q": "http://queue.amazonaws.com/doc/2012-11-05/"}
    root = ET.fromstring(raw)
    error = root.find("q:Error", ns)
    return error.find("q:Type", ns).text, error.find("q:Code", ns).text, error.find("q:Message", ns).text


class ShapesMixin:
    """Assertions for AWS's error in each protocol's shape."""

    def assert_sqs_json_error(self, result, status, code, message_start=""):
        got_status, headers, raw = result
        self.assertEqual(got_status, status, raw)
        body = json.loads(raw)
        self.assertTrue(body["__type"].endswith("#" + code), body)
        self.assertEqual(headers.get("x-amzn-query-error"), code + ";Sender")
        self.assertTrue(body.get("message", "").startswith(message_start), body)
        self.assertTrue(headers.get("x-amzn-RequestId"))

    def assert_sqs_query_error(self, result, status, code, message_start=""):
        got_status, headers, raw = result
        self.assertEqual(got_status, status, raw)
        kind, got_code, message = xml_error(raw)
        self.assertEqual((kind, got_code), ("Sender", code))
        self.assertTrue((message or "").startswith(message_start), message)

    def assert_kinesis_json_error(self, result, code, message_start=""):
        got_status, headers, raw = result
        self.assertEqual(got_status, 400, raw)
        body = json.loads(raw)
        self.assertEqual(body["__type"], code)
        self.assertEqual(headers.get("x-amzn-ErrorType"), code)
        self.assertTrue(body.get("message", "").startswith(message_start), body)

    def assert_kinesis_cbor_error(self, result, code, message_start=""):
        got_status, headers, raw = result
        self.assertEqual(got_status, 400, raw)
        self.assertEqual(headers.get("Content-Type"), "application/x-amz-cbor-1.1")
        body = kinesis_cbor.decode(raw)
        self.assertEqual(body["__type"], code)
        self.assertTrue(body.get("message", "").startswith(message_start), body)


class StrictSdkTest(ServerTestCase):
    """boto3 signing correctly passes; a wrong secret or key is refused."""

    server_args = STRICT_ARGS

    def test_boto3_sqs_signed_correctly_works(self):
        sqs = client("sqs", self.server.endpoint)
        url = sqs.create_queue(QueueName="strict-sdk")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="hello")
        messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)["Messages"]
        self.assertEqual(messages[0]["Body"], "hello")
        self.assertIn(url, sqs.list_queues()["QueueUrls"])

    def test_boto3_kinesis_signed_correctly_works(self):
        kinesis = client("kinesis", self.server.endpoint)
        kinesis.create_stream(StreamName="strict-sdk", ShardCount=1)
        put = kinesis.put_record(StreamName="strict-sdk", Data=b"x", PartitionKey="k")
        self.assertTrue(put["SequenceNumber"])
        self.assertIn("strict-sdk", kinesis.list_streams()["StreamNames"])

    def test_a_key_acts_as_its_account(self):
        mine = client("sqs", self.server.endpoint, ACCOUNT_KEY, ACCOUNT_SECRET)
        self.assertIn("/111111111111/", mine.create_queue(QueueName="acct-a")["QueueUrl"])
        mapped = client("sqs", self.server.endpoint, MAPPED_KEY, MAPPED_SECRET)
        self.assertIn("/222222222222/", mapped.create_queue(QueueName="acct-b")["QueueUrl"])

    def test_wrong_secret(self):
        with self.assertRaises(ClientError) as sqs_error:
            client("sqs", self.server.endpoint, secret="wrong").list_queues()
        self.assertEqual(sqs_error.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        self.assertEqual(sqs_error.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertTrue(sqs_error.exception.response["Error"]["Message"].startswith(MISMATCH))
        with self.assertRaises(ClientError) as kinesis_error:
            client("kinesis", self.server.endpoint, secret="wrong").list_streams()
        self.assertEqual(kinesis_error.exception.response["Error"]["Code"], "InvalidSignatureException")
        self.assertEqual(kinesis_error.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_unknown_key(self):
        with self.assertRaises(ClientError) as sqs_error:
            client("sqs", self.server.endpoint, key="AKIDNOBODY").list_queues()
        self.assertEqual(sqs_error.exception.response["Error"]["Code"], "InvalidClientTokenId")
        self.assertEqual(sqs_error.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertEqual(sqs_error.exception.response["Error"]["Message"],
                         "The security token included in the request is invalid.")
        with self.assertRaises(ClientError) as kinesis_error:
            client("kinesis", self.server.endpoint, key="AKIDNOBODY").list_streams()
        self.assertEqual(kinesis_error.exception.response["Error"]["Code"], "UnrecognizedClientException")

    def test_unsigned_sdk_requests_are_missing_a_token(self):
        unsigned = Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1})
        with self.assertRaises(ClientError) as sqs_error:
            client("sqs", self.server.endpoint, config=unsigned).list_queues()
        self.assertEqual(sqs_error.exception.response["Error"]["Code"], "MissingAuthenticationToken")
        self.assertEqual(sqs_error.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        with self.assertRaises(ClientError) as kinesis_error:
            client("kinesis", self.server.endpoint, config=unsigned).list_streams()
        self.assertEqual(kinesis_error.exception.response["Error"]["Code"], "MissingAuthenticationTokenException")
        self.assertEqual(kinesis_error.exception.response["Error"]["Message"], "Missing Authentication Token")

    def test_control_endpoints_need_no_signature(self):
        ok(self.server, "GET", "/_shoal/health")


class StrictProtocolShapesTest(ShapesMixin, ServerTestCase):
    """Raw requests signed by botocore's signer, as sent and tampered with, in
    all four protocol shapes."""

    server_args = STRICT_ARGS

    def test_sqs_json(self):
        ep = self.server.endpoint
        good = sqs_json(ep, "ListQueues", {})
        self.assertEqual(send_signed(good)[0], 200)
        self.assertEqual(send_signed(sqs_json(ep, "CreateQueue", {"QueueName": "shape-json"}))[0], 200)
        tampered_body = sqs_json(ep, "CreateQueue", {"QueueName": "shape-a"})
        self.assert_sqs_json_error(send_signed(tampered_body, body=json.dumps({"QueueName": "shape-b"})),
                                   403, "SignatureDoesNotMatch", MISMATCH)
        tampered_header = sqs_json(ep, "ListQueues", {})
        self.assert_sqs_json_error(send_signed(tampered_header, headers={"X-Amz-Target": "AmazonSQS.PurgeQueue"}),
                                   403, "SignatureDoesNotMatch", MISMATCH)
        self.assert_sqs_json_error(send_signed(sqs_json(ep, "ListQueues", {}, key="AKIDNOBODY")),
                                   403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        self.assert_sqs_json_error(
            send("POST", ep + "/", {"Content-Type": "application/x-amz-json-1.0",
                                    "X-Amz-Target": "AmazonSQS.ListQueues"}, "{}"),
            403, "MissingAuthenticationToken")
        partial = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues",
                   "Authorization": "AWS4-HMAC-SHA256 Credential=" + KEY + "/20260101/us-east-1/sqs/aws4_request"}
        self.assert_sqs_json_error(send("POST", ep + "/", partial, "{}"), 400, "IncompleteSignature",
                                   "Authorization header requires 'Signature' parameter.")

    def test_sqs_query(self):
        ep = self.server.endpoint
        form = "Action=ListQueues&Version=2012-11-05"
        status, _, raw = send_signed(sqs_query(ep, form))
        self.assertEqual(status, 200, raw)
        self.assertIn(b"ListQueuesResponse", raw)
        self.assert_sqs_query_error(send_signed(sqs_query(ep, form), body="Action=PurgeQueue&Version=2012-11-05"),
                                    403, "SignatureDoesNotMatch", MISMATCH)
        self.assert_sqs_query_error(send_signed(sqs_query(ep, form, secret="wrong")), 403, "SignatureDoesNotMatch")
        self.assert_sqs_query_error(send_signed(sqs_query(ep, form, key="AKIDNOBODY")), 403, "InvalidClientTokenId")
        self.assert_sqs_query_error(
            send("POST", ep + "/", {"Content-Type": "application/x-www-form-urlencoded"}, form),
            403, "MissingAuthenticationToken", "Request is missing Authentication Token")
        # A GET with the form in the query string, signed in the header.
        get = sign(ep, "sqs", {}, "", method="GET", path="/?" + form)
        self.assertEqual(send_signed(get)[0], 200)
        self.assert_sqs_query_error(send("GET", get.url.replace("ListQueues", "PurgeQueue"), dict(get.headers), None),
                                    403, "SignatureDoesNotMatch")

    def test_kinesis_json(self):
        ep = self.server.endpoint
        self.assertEqual(send_signed(kinesis_json(ep, "ListStreams", {}))[0], 200)
        self.assert_kinesis_json_error(
            send_signed(kinesis_json(ep, "ListStreams", {}), body=json.dumps({"Limit": 1})),
            "InvalidSignatureException", MISMATCH)
        self.assert_kinesis_json_error(
            send_signed(kinesis_json(ep, "ListStreams", {}), headers={"X-Amz-Target": "Kinesis_20131202.DeleteStream"}),
            "InvalidSignatureException", MISMATCH)
        self.assert_kinesis_json_error(send_signed(kinesis_json(ep, "ListStreams", {}, key="AKIDNOBODY")),
                                       "UnrecognizedClientException",
                                       "The security token included in the request is invalid.")
        self.assert_kinesis_json_error(
            send("POST", ep + "/", {"Content-Type": "application/x-amz-json-1.1",
                                    "X-Amz-Target": "Kinesis_20131202.ListStreams"}, "{}"),
            "MissingAuthenticationTokenException", "Missing Authentication Token")
        # Signed for SQS, sent to Kinesis.
        self.assert_kinesis_json_error(
            send_signed(sign(ep, "sqs", {"Content-Type": "application/x-amz-json-1.1",
                                         "X-Amz-Target": "Kinesis_20131202.ListStreams"}, "{}")),
            "InvalidSignatureException", "Credential should be scoped to correct service: 'kinesis'.")

    def test_kinesis_cbor(self):
        ep = self.server.endpoint
        status, headers, raw = send_signed(kinesis_cbor_request(ep, "ListStreams", {}))
        self.assertEqual(status, 200, raw)
        self.assert_kinesis_cbor_error(
            send_signed(kinesis_cbor_request(ep, "ListStreams", {}), body=kinesis_cbor.encode({"Limit": 1})),
            "InvalidSignatureException", MISMATCH)
        self.assert_kinesis_cbor_error(send_signed(kinesis_cbor_request(ep, "ListStreams", {}, secret="wrong")),
                                       "InvalidSignatureException", MISMATCH)
        self.assert_kinesis_cbor_error(send_signed(kinesis_cbor_request(ep, "ListStreams", {}, key="AKIDNOBODY")),
                                       "UnrecognizedClientException")


class SqsClockSkewTest(ShapesMixin, ServerTestCase):
    """SQS accepts a signature up to 15 minutes old, on the emulator's clock."""

    server_args = STRICT_ARGS

    def test_fifteen_minutes(self):
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=840")  # 14 min: the request looks 14 min old
        self.assertEqual(send_signed(sqs_json(self.server.endpoint, "ListQueues", {}))[0], 200)
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=120")  # 16 min
        self.assert_sqs_json_error(send_signed(sqs_json(self.server.endpoint, "ListQueues", {})), 403,
                                   "SignatureDoesNotMatch", "Signature expired: ")
        _, _, raw = send_signed(sqs_json(self.server.endpoint, "ListQueues", {}))
        self.assertRegex(json.loads(raw)["message"],
                         r"^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z "
                         r"\(\d{8}T\d{6}Z - 15 min\.\)$")
        self.assert_sqs_query_error(send_signed(sqs_query(self.server.endpoint, "Action=ListQueues&Version=2012-11-05")),
                                    403, "SignatureDoesNotMatch", "Signature expired: ")


class KinesisClockSkewTest(ShapesMixin, ServerTestCase):
    """Kinesis accepts a signature up to 5 minutes old."""

    server_args = STRICT_ARGS

    def test_five_minutes(self):
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=240")
        self.assertEqual(send_signed(kinesis_json(self.server.endpoint, "ListStreams", {}))[0], 200)
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=120")
        self.assert_kinesis_json_error(send_signed(kinesis_json(self.server.endpoint, "ListStreams", {})),
                                       "InvalidSignatureException", "Signature expired: ")
        with self.assertRaises(ClientError) as e:
            client("kinesis", self.server.endpoint).list_streams()
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidSignatureException")


class PresignedUrlTest(ShapesMixin, ServerTestCase):
    """A presigned query-protocol GET (botocore's SigV4QueryAuth) works until
    X-Amz-Date + X-Amz-Expires; changed, it is refused."""

    server_args = STRICT_ARGS

    def presign(self, params, expires, secret=SECRET):
        url = self.server.endpoint + "/?" + "&".join(f"{k}={v}" for k, v in params.items())
        req = AWSRequest(method="GET", url=url)
        SigV4QueryAuth(Credentials(KEY, secret), "sqs", REGION, expires=expires).add_auth(req)
        return req.url

    def test_presigned_list_queues_then_expiry(self):
        url = self.presign({"Action": "ListQueues", "Version": "2012-11-05"}, 60)
        self.assertIn("X-Amz-Signature=", url)
        status, _, raw = send("GET", url, {}, None)
        self.assertEqual(status, 200, raw)
        self.assert_sqs_query_error(send("GET", url.replace("ListQueues", "PurgeQueue"), {}, None),
                                    403, "SignatureDoesNotMatch")
        self.assert_sqs_query_error(
            send("GET", self.presign({"Action": "ListQueues", "Version": "2012-11-05"}, 60, secret="wrong"), {}, None),
            403, "SignatureDoesNotMatch")
        ok(self.server, "POST", "/_shoal/clock/advance?seconds=61")
        self.assert_sqs_query_error(send("GET", url, {}, None), 400, "RequestExpired", "Request has expired.")

    def test_presigned_and_header_signed_at_once_is_refused(self):
        url = self.presign({"Action": "ListQueues", "Version": "2012-11-05"}, 300)
        self.assert_sqs_query_error(send("GET", url, {"Authorization": "AWS4-HMAC-SHA256 Credential=x"}, None),
                                    403, "SignatureDoesNotMatch", "Found both 'X-Amz-Algorithm'")


class PermissiveTest(ServerTestCase):
    """The default: nothing is checked, as before strict mode existed."""

    def test_a_bad_signature_still_passes(self):
        self.assertEqual(client("sqs", self.server.endpoint, secret="wrong").list_queues()["ResponseMetadata"]
                         ["HTTPStatusCode"], 200)
        req = sqs_json(self.server.endpoint, "ListQueues", {})
        status, _, raw = send_signed(req, headers={"X-Amz-Target": "AmazonSQS.ListQueues",
                                                    "Authorization": req.headers["Authorization"][:-8] + "00000000"})
        self.assertEqual(status, 200, raw)
        self.assertEqual(send("POST", self.server.endpoint + "/", {"Content-Type": "application/x-amz-json-1.0",
                                                                  "X-Amz-Target": "AmazonSQS.ListQueues"}, "{}")[0],
                         200)
        kinesis = client("kinesis", self.server.endpoint, key="AKIDNOBODY", secret="wrong")
        self.assertIn("StreamNames", kinesis.list_streams())


class StartupTest(unittest.TestCase):
    """Where the mode and keys come from: flags, SHOAL_* variables, the config file."""

    def clean_env(self, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOAL_")}
        env.update(extra or {})
        return env

    def refused(self, *args, env=None):
        proc = subprocess.run([binary_path(), "--port", "0", *args], env=self.clean_env(env),
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertNotIn("listening on", proc.stderr)
        return proc.stderr

    def test_strict_without_keys_or_with_bad_keys_does_not_start(self):
        self.assertIn("--auth strict needs access keys", self.refused("--auth", "strict"))
        self.assertIn("expected permissive or strict", self.refused("--auth", "maybe"))
        bad = self.refused("--auth", "strict", "--auth-keys", "AKID:secret:12345")
        self.assertIn("12-digit account", bad)
        self.assertNotIn("secret", bad.replace("AKID:SECRET", ""))  # the secret stays out of the message

    def test_a_bad_auth_section_names_its_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bad.yaml")
            with open(path, "w") as f:
                f.write("auth:\n  mode: maybe\n")
            self.assertIn("bad.yaml:2: auth mode: expected permissive or strict, found 'maybe'",
                          self.refused("--config", path))
            with open(path, "w") as f:
                f.write("auth:\n  keys:\n    - {access_key_id: AKID}\n")
            self.assertIn("bad.yaml:3: auth key: 'secret_access_key' is missing", self.refused("--config", path))

    def test_variables(self):
        server = ShoalServer(env={"SHOAL_AUTH": "strict", "SHOAL_AUTH_KEYS": f"{KEY}:{SECRET}"})
        with server:
            self.assertIn("strict SigV4 authentication: 1 access key", server.stderr_text())
            client("sqs", server.endpoint).list_queues()
            with self.assertRaises(ClientError):
                client("sqs", server.endpoint, secret="wrong").list_queues()

    def test_config_file_mode_and_keys_and_a_flag_wins(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "auth.yaml")
            with open(path, "w") as f:
                f.write("auth:\n  mode: strict\n  keys:\n"
                        f"    - {{access_key_id: {KEY}, secret_access_key: {SECRET}, account: \"333333333333\"}}\n"
                        "    - {access_key_id: AKIDDEFAULT, secret_access_key: other}\n"
                        "queues:\n  - name: from-config\n")
            with ShoalServer("--config", path) as server:
                sqs = client("sqs", server.endpoint)
                self.assertIn("/333333333333/", sqs.create_queue(QueueName="cfg")["QueueUrl"])
                with self.assertRaises(ClientError):
                    client("sqs", server.endpoint, secret="wrong").list_queues()
                # The start-up queue was made although nothing signed for it.
                default = client("sqs", server.endpoint, key="AKIDDEFAULT", secret="other")
                self.assertTrue(any(u.endswith("/000000000000/from-config")
                                    for u in default.list_queues()["QueueUrls"]))
            with ShoalServer("--config", path, "--auth", "permissive") as server:
                self.assertIn("QueueUrls", client("sqs", server.endpoint, secret="wrong").list_queues())


@unittest.skipUnless(shutil.which("aws"), "the AWS CLI is not installed")
class StrictCliTest(ServerTestCase):
    """The AWS CLI signs correctly; with the wrong secret it reports AWS's code."""

    server_args = STRICT_ARGS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.home = tempfile.mkdtemp()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)
        super().tearDownClass()

    def aws(self, secret, *args):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("SHOAL_")}
        env.update({"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": REGION,
                    "AWS_CONFIG_FILE": os.path.join(self.home, "config"),
                    "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home, "credentials"),
                    "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "", "HOME": self.home})
        return subprocess.run(["aws", "--endpoint-url", self.server.endpoint] + list(args), env=env,
                              capture_output=True, text=True, timeout=60)

    def test_cli(self):
        made = self.aws(SECRET, "sqs", "create-queue", "--queue-name", "cli-strict")
        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertIn("cli-strict", json.loads(made.stdout)["QueueUrl"])
        streams = self.aws(SECRET, "kinesis", "list-streams")
        self.assertEqual(streams.returncode, 0, streams.stderr)
        refused = self.aws("wrong", "sqs", "list-queues")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", refused.stderr)
        refused = self.aws("wrong", "kinesis", "list-streams")
        self.assertIn("InvalidSignatureException", refused.stderr)


if __name__ == "__main__":
    unittest.main()
