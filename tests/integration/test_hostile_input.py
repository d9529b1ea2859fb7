"""Hostile input against the real binary (issue 13, defects 6-9): bodies built
to amplify memory, integers past 32 bits, HTTP framing that would smuggle a
request, and bad control parameters. Each test failed before its fix.

Run: SHOAL_BINARY=/path/to/shoal python3 -m unittest -v test_hostile_input
Memory is read from /proc/<pid>/status: VmHWM (the peak resident set) and
VmRSS.
"""

import http.client
import json
import os
import threading
import time
import unittest
import urllib.error
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

import kinesis_helpers as kh
from shoal_server import ShoalServer

SQS_JSON = "application/x-amz-json-1.0"
MB = 1024 * 1024


def proc_status_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def post(server, target, body, content_type, timeout=60):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request("POST", "/", body=body, headers={"Content-Type": content_type, "X-Amz-Target": target})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    return bytes([major << 5 | 26]) + n.to_bytes(4, "big")


def cbor_text(s):
    data = s.encode()
    return cbor_head(3, len(data)) + data


class HostileBodiesTest(unittest.TestCase):
    """Defect 6: a body's decoded form is bounded by what a request can hold."""

    @classmethod
    def setUpClass(cls):
        cls.server = kh.start_server("--threads", "2")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def peak_mb_during(self, send):
        pid = self.server.proc.pid
        # VmHWM only rises; clear_refs "5" resets it to the current RSS.
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        before = proc_status_kb(pid, "VmRSS")
        started = time.monotonic()
        result = send()
        elapsed = time.monotonic() - started
        peak = proc_status_kb(pid, "VmHWM")
        return result, (peak - before) / 1024.0, elapsed

    def test_put_records_of_five_million_empty_cbor_maps(self):
        # The body: 5 MB that cost 250 MB and 1.3 s of CPU.
        body = (cbor_head(5, 2) + cbor_text("StreamName") + cbor_text("s") + cbor_text("Records")
                + cbor_head(4, 5_000_000) + b"\xa0" * 5_000_000)
        (status, headers, reply), peak_mb, elapsed = self.peak_mb_during(
            lambda: post(self.server, "Kinesis_20131202.PutRecords", body, kh.CBOR_CT))
        self.assertEqual(status, 400, reply[:300])
        self.assertEqual(headers.get("x-amzn-errortype"), "ValidationException")
        # The body itself is held twice (read buffer and request); the
        # decoded value adds at most a few MB.
        self.assertLess(peak_mb, 40, "peak RSS grew %.0f MB" % peak_mb)
        self.assertLess(elapsed, 5)

    def test_json_arrays_in_unknown_members_and_past_the_budget(self):
        empties = b"[" + b",".join([b"{}"] * 5_000_000) + b"]"  # 15 MB
        for name, body in [
                ("unknown member", b'{"StreamName":"s","Junk":' + empties + b"}"),
                ("scalar member", b'{"StreamName":' + empties + b"}"),
                ("list member", b'{"StreamName":"s","Records":' + empties + b"}")]:
            with self.subTest(name):
                (status, headers, reply), peak_mb, _ = self.peak_mb_during(
                    lambda: post(self.server, "Kinesis_20131202.PutRecords", body, kh.JSON_CT))
                self.assertEqual(status, 400, reply[:300])
                self.assertLess(peak_mb, 80, "peak RSS grew %.0f MB" % peak_mb)

    def test_send_message_batch_of_350k_entries(self):
        entries = b",".join([b'{"Id":"a","MessageBody":"b"}'] * 350_000)
        body = b'{"QueueUrl":"http://localhost/000000000000/q","Entries":[' + entries + b"]}"
        (status, headers, reply), peak_mb, _ = self.peak_mb_during(
            lambda: post(self.server, "AmazonSQS.SendMessageBatch", body, SQS_JSON))
        self.assertEqual(status, 400, reply[:300])
        self.assertIn("SerializationException", json.loads(reply)["__type"])
        self.assertLess(peak_mb, 80, "peak RSS grew %.0f MB" % peak_mb)

    def test_query_form_of_a_million_parameters(self):
        form = b"Action=SendMessageBatch&QueueUrl=q&" + b"&".join(
            b"SendMessageBatchRequestEntry.%d.Id=a" % i for i in range(1, 400_001))
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=60)
        self.addCleanup(conn.close)

        def send():
            conn.request("POST", "/", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
            resp = conn.getresponse()
            return resp.status, resp.read()

        (status, reply), peak_mb, _ = self.peak_mb_during(send)
        self.assertEqual(status, 404, reply[:300])
        self.assertIn(b"MalformedQueryString", reply)
        self.assertLess(peak_mb, 80, "peak RSS grew %.0f MB" % peak_mb)

    def test_memory_is_given_back_after_large_requests(self):
        # Large requests from four connections at once (so several allocator
        # arenas fill), with stored messages allocated in between: freed
        # memory below them stays resident unless it is given back. Before:
        # 700 MB stayed; with neither the mmap threshold nor the trim, 40 MB.
        pid = self.server.proc.pid
        baseline = proc_status_kb(pid, "VmRSS")
        url = post(self.server, "AmazonSQS.CreateQueue", b'{"QueueName":"kept"}', SQS_JSON)[2]
        url = json.loads(url)["QueueUrl"].encode()
        message = b'{"QueueUrl":"' + url + b'","MessageBody":"' + b"x" * (200 * 1024) + b'"}'
        batch = b'{"QueueUrl":"' + url + b'","Entries":[' + b",".join(
            [b'{"Id":"a","MessageBody":"b"}'] * 90_000) + b"]}"
        cbor = (cbor_head(5, 2) + cbor_text("StreamName") + cbor_text("s") + cbor_text("Records")
                + cbor_head(4, 5_000_000) + b"\xa0" * 5_000_000)

        def client():
            for _ in range(5):
                post(self.server, "AmazonSQS.SendMessageBatch", batch, SQS_JSON)
                post(self.server, "AmazonSQS.SendMessage", message, SQS_JSON)
                post(self.server, "Kinesis_20131202.PutRecords", cbor, kh.CBOR_CT)

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # The trim runs on its own thread a second after a burst: wait for it.
        deadline = time.monotonic() + 5
        while True:
            after = proc_status_kb(pid, "VmRSS")
            # 20 stored messages of 200 KB are 4 MB of it.
            if (after - baseline) / 1024.0 < 25 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertLess((after - baseline) / 1024.0, 25, "RSS %d kB -> %d kB" % (baseline, after))


class KinesisIntegerRangeTest(unittest.TestCase):
    """Defect 7: an integer past 32 bits is refused as sent, not truncated."""

    def setUp(self):
        self.server = kh.start_server()
        self.addCleanup(kh.stop_server, self.server)
        self.client = kh.kinesis_client(self.server.endpoint)

    def test_create_stream_with_shard_count_past_32_bits(self):
        name = kh.unique_name()
        with self.assertRaises(ClientError) as cm:
            self.client.create_stream(StreamName=name, ShardCount=4294967297)
        code, message, status = kh.error_of(cm)
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertEqual(message, "1 validation error detected: Value '4294967297' at 'shardCount' failed to "
                                  "satisfy constraint: Member must have value less than or equal to 2147483647")
        with self.assertRaises(ClientError) as gone:
            self.client.describe_stream_summary(StreamName=name)
        self.assertEqual(kh.error_of(gone)[0], "ResourceNotFoundException")

    def test_the_same_over_cbor(self):
        import kinesis_cbor
        body = kinesis_cbor.encode({"StreamName": kh.unique_name(), "ShardCount": 2 ** 32 + 1})
        reply = kh.raw_request(self.server, "CreateStream", body=body, content_type=kh.CBOR_CT)
        self.assertEqual(reply.status, 400)
        self.assertIn("Value '4294967297' at 'shardCount'", kinesis_cbor.decode(reply.body)["message"])
        body = kinesis_cbor.encode({"StreamName": kh.unique_name(), "ShardCount": 2 ** 64 - 1})
        reply = kh.raw_request(self.server, "CreateStream", body=body, content_type=kh.CBOR_CT)
        self.assertIn("Value '18446744073709551615' at 'shardCount'", kinesis_cbor.decode(reply.body)["message"])


class HttpFramingTest(unittest.TestCase):
    """Defect 8: RFC 9112 framing; a body is never read as the next request."""

    @classmethod
    def setUpClass(cls):
        cls.server = ShoalServer()
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def exchange(self, head, body=b""):
        """Every response on one connection until the server closes it."""
        s = self.server.connect(timeout=5)
        self.addCleanup(s.close)
        s.sendall(head + body)
        f = s.makefile("rb")
        responses = []
        while True:
            line = f.readline()
            if not line:
                return responses
            status = int(line.split()[1])
            headers = {}
            while True:
                h = f.readline().decode()
                if h in ("\r\n", ""):
                    break
                k, v = h.split(":", 1)
                headers[k.strip().lower()] = v.strip()
            responses.append((status, headers, f.read(int(headers.get("content-length", "0")))))

    # A request hidden in the body: answered only if the body were taken for
    # the next request.
    SMUGGLED = b"GET /_shoal/health HTTP/1.1\r\nHost: x\r\n\r\n"

    def request(self, transfer_encoding_lines, version=b"HTTP/1.1", host=b"Host: x\r\n"):
        return (b"POST / " + version + b"\r\n" + host + b"Content-Type: application/x-amz-json-1.0\r\n"
                b"X-Amz-Target: AmazonSQS.ListQueues\r\n" + transfer_encoding_lines + b"\r\n")

    def test_transfer_codings_other_than_one_final_chunked_get_400_and_close(self):
        for lines in [b"Transfer-Encoding: gzip\r\n",
                      b"Transfer-Encoding: chunked, chunked\r\n",
                      b"Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n",
                      b"Transfer-Encoding: chunked, gzip\r\n",
                      b"Transfer-Encoding: ,\r\n",
                      b"Transfer-Encoding: gzip\r\nContent-Length: 41\r\n"]:
            with self.subTest(lines):
                responses = self.exchange(self.request(lines), self.SMUGGLED)
                self.assertEqual(len(responses), 1, responses)
                status, headers, body = responses[0]
                self.assertEqual(status, 400, body)
                self.assertIn("transfer", json.loads(body)["message"].lower())

    def test_a_coding_before_chunked_is_not_implemented(self):
        responses = self.exchange(self.request(b"Transfer-Encoding: gzip, chunked\r\n"),
                                  b"2\r\n{}\r\n0\r\n\r\n" + self.SMUGGLED)
        self.assertEqual([r[0] for r in responses], [501])

    def test_transfer_encoding_in_http_1_0_gets_400(self):
        responses = self.exchange(self.request(b"Transfer-Encoding: chunked\r\n", version=b"HTTP/1.0"),
                                  b"2\r\n{}\r\n0\r\n\r\n")
        self.assertEqual([r[0] for r in responses], [400])

    def test_chunked_alone_still_works_in_any_case(self):
        for coding in [b"chunked", b"Chunked", b"CHUNKED "]:
            with self.subTest(coding):
                head = self.request(b"Transfer-Encoding: " + coding + b"\r\nConnection: close\r\n")
                responses = self.exchange(head, b"2\r\n{}\r\n0\r\n\r\n")
                self.assertEqual([r[0] for r in responses], [200])

    def test_http_1_1_needs_exactly_one_host(self):
        for host in [b"", b"Host: a\r\nHost: b\r\n"]:
            with self.subTest(host):
                responses = self.exchange(self.request(b"Content-Length: 2\r\n", host=host), b"{}" + self.SMUGGLED)
                self.assertEqual(len(responses), 1, responses)
                self.assertEqual(responses[0][0], 400)
                self.assertIn("host", json.loads(responses[0][2])["message"].lower())
        responses = self.exchange(self.request(b"Content-Length: 2\r\n", version=b"HTTP/1.0", host=b""), b"{}")
        self.assertEqual([r[0] for r in responses], [200])


class ControlParametersTest(unittest.TestCase):
    """Defect 9: the clock and fault rules refuse what would break them."""

    @classmethod
    def setUpClass(cls):
        cls.server = ShoalServer()
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.server.endpoint + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def test_clock_advance_refuses_nan_infinities_negatives_and_huge(self):
        before = self.control("GET", "/_shoal/clock")[1]["now_ms"]
        for value in ["NaN", "nan", "inf", "-inf", "-1", "1e300"]:
            with self.subTest(value):
                status, body = self.control("POST", "/_shoal/clock/advance?seconds=" + value)
                self.assertEqual(status, 400, body)
        after = self.control("GET", "/_shoal/clock")[1]["now_ms"]
        self.assertLess(after - before, 60_000)  # only wall time passed

    def test_fault_rule_error_and_message_are_bounded(self):
        status, body = self.control("POST", "/_shoal/faults", {"error": "E" * 100_000})
        self.assertEqual(status, 400, body)
        status, body = self.control("POST", "/_shoal/faults", {"error": "ThrottlingException",
                                                                "message": "m" * 100_000})
        self.assertEqual(status, 400, body)
        status, body = self.control("POST", "/_shoal/faults", {"error": "X\r\nX-Injected: 1"})
        self.assertEqual(status, 400, body)
        self.assertEqual(self.control("GET", "/_shoal/faults")[1]["rules"], [])


class NumberAttributeRangeTest(unittest.TestCase):
    """Defect 9: Number attributes hold 38 digits, from -10^128 to 10^126."""

    def setUp(self):
        self.server = ShoalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.sqs = boto3.session.Session().client(
            "sqs", endpoint_url=self.server.endpoint, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(retries={"total_max_attempts": 1}))
        self.url = self.sqs.create_queue(QueueName="numbers")["QueueUrl"]

    def send(self, value):
        return self.sqs.send_message(QueueUrl=self.url, MessageBody="b", MessageAttributes={
            "n": {"DataType": "Number", "StringValue": value}})

    def test_numbers_beyond_the_range_or_precision_are_refused(self):
        self.send("1" + "0" * 126)
        self.send("-1e128")
        self.send("12345678901234567890123456789012345678")
        for value, reason in [("1e127", "should be in range (-10**128..10**126)"),
                              ("-2" + "0" * 128, "should be in range (-10**128..10**126)"),
                              ("1" * 39, "should have at most 38 significant digits")]:
            with self.subTest(value):
                with self.assertRaises(ClientError) as cm:
                    self.send(value)
                error = cm.exception.response["Error"]
                self.assertEqual(error["Code"], "InvalidParameterValue")
                self.assertEqual(error["Message"], "Number attribute value %s %s" % (value, reason))
        received = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual(len(received), 3)


if __name__ == "__main__":
    unittest.main()
