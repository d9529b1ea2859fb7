"""The HTTP layer of the real binary: keep-alive, pipelining, limits, malformed
input, flags and variables, long polls and graceful shutdown.

Run: SHOAL_BINARY=/path/to/shoal python3 -m unittest -v test_server
Tests that need SQS (long polls) skip themselves while the dispatcher cannot
create queues yet. Stdlib only, plus boto3 for the SIGTERM long-poll test.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
import unittest

from shoal_server import ShoalServer, binary_path, free_port

JSON_10 = "application/x-amz-json-1.0"


def raw_request(method="POST", path="/", target="AmazonSQS.ListQueues", body=b"{}", extra=""):
    head = ("%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: %s\r\nX-Amz-Target: %s\r\n"
            "Content-Length: %d\r\n%s\r\n" % (method, path, JSON_10, target, len(body), extra))
    return head.encode() + body


def read_response(f):
    """One HTTP/1.1 response from a binary file object; None at EOF."""
    status_line = f.readline()
    if not status_line:
        return None
    version, status, _ = status_line.decode().split(" ", 2)
    headers = {}
    while True:
        line = f.readline().decode()
        if line in ("\r\n", ""):
            break
        name, value = line.split(":", 1)
        headers[name.strip().lower()] = value.strip()
    body = f.read(int(headers.get("content-length", "0")))
    return int(status), headers, body


def sqs_call(conn, action, payload):
    conn.request("POST", "/", body=json.dumps(payload),
                 headers={"Content-Type": JSON_10, "X-Amz-Target": "AmazonSQS." + action})
    resp = conn.getresponse()
    return resp.status, resp.getheaders(), resp.read()


class ServerTestCase(unittest.TestCase):
    server_args = ()

    def setUp(self):
        self.server = ShoalServer(*self.server_args)
        self.server.start()
        self.addCleanup(self.server.kill)

    def conn(self, timeout=5):
        c = http.client.HTTPConnection(self.server.host, self.server.port, timeout=timeout)
        self.addCleanup(c.close)
        return c

    def raw(self, timeout=5):
        s = self.server.connect(timeout)
        self.addCleanup(s.close)
        return s

    def assert_still_serving(self):
        c = http.client.HTTPConnection(self.server.host, self.server.port, timeout=5)
        try:
            status, headers, _ = sqs_call(c, "ListQueues", {})
            self.assertIn(status, (200, 400))
            self.assertIn("x-amzn-requestid", {k.lower() for k, _ in headers})
        finally:
            c.close()

    def create_queue_or_skip(self, conn, name):
        status, _, body = sqs_call(conn, "CreateQueue", {"QueueName": name})
        if status != 200:
            self.skipTest("the dispatcher cannot create queues yet: %s" % body[:200])
        return json.loads(body)["QueueUrl"]


class HttpTransportTest(ServerTestCase):

    def test_keep_alive_reuses_one_connection(self):
        c = self.conn()
        sqs_call(c, "ListQueues", {})
        first_socket = c.sock
        self.assertIsNotNone(first_socket, "the server closed a keep-alive connection")
        status, headers, _ = sqs_call(c, "ListQueues", {})
        self.assertIs(c.sock, first_socket)
        self.assertIn(status, (200, 400))
        self.assertIn("x-amzn-requestid", {k.lower() for k, _ in headers})

    def test_pipelined_requests_are_answered_in_order(self):
        s = self.raw()
        # Three requests in one write; the middle one is an unknown action so
        # the order of the answers is visible.
        s.sendall(raw_request(target="AmazonSQS.ListQueues") + raw_request(target="AmazonSQS.NoSuchAction")
                  + raw_request(target="AmazonSQS.ListQueues"))
        f = s.makefile("rb")
        answers = [read_response(f) for _ in range(3)]
        self.assertTrue(all(answers), answers)
        self.assertEqual(answers[0][0], answers[2][0])
        self.assertEqual(answers[1][0], 400)
        self.assertIn(b"UnknownOperation", answers[1][2])
        ids = [a[1]["x-amzn-requestid"] for a in answers]
        self.assertEqual(len(set(ids)), 3, ids)

    def test_pipelined_request_split_across_writes(self):
        s = self.raw()
        data = raw_request() + raw_request()
        cut = len(data) // 2 + 7
        s.sendall(data[:cut])
        time.sleep(0.05)
        s.sendall(data[cut:])
        f = s.makefile("rb")
        self.assertIsNotNone(read_response(f))
        self.assertIsNotNone(read_response(f))

    def test_unknown_paths_and_methods_get_an_error_not_a_hang(self):
        for method, path in [("GET", "/"), ("GET", "/no/such/path?x=1"), ("DELETE", "/"),
                             ("PUT", "/000000000000/q"), ("OPTIONS", "*"), ("POST", "/")]:
            with self.subTest(method=method, path=path):
                c = self.conn()
                c.request(method, path, body=b"" if method == "GET" else b"{}",
                          headers={"Content-Type": JSON_10})
                resp = c.getresponse()
                resp.read()
                self.assertGreaterEqual(resp.status, 400)
                self.assertTrue(resp.getheader("x-amzn-RequestId"))

    def test_connection_close_is_honoured(self):
        s = self.raw()
        s.sendall(raw_request(extra="Connection: close\r\n"))
        f = s.makefile("rb")
        status, headers, _ = read_response(f)
        self.assertEqual(headers.get("connection", "").lower(), "close")
        self.assertEqual(f.read(), b"")

    def test_http_1_0_without_keep_alive_closes(self):
        s = self.raw()
        s.sendall(raw_request().replace(b"HTTP/1.1", b"HTTP/1.0", 1))
        f = s.makefile("rb")
        self.assertIsNotNone(read_response(f))
        self.assertEqual(f.read(), b"")

    def test_expect_100_continue(self):
        s = self.raw()
        body = b"{}"
        s.sendall(raw_request(body=body, extra="Expect: 100-continue\r\n")[:-len(body)])
        f = s.makefile("rb")
        self.assertTrue(f.readline().startswith(b"HTTP/1.1 100"))
        self.assertEqual(f.readline(), b"\r\n")
        s.sendall(body)
        self.assertIsNotNone(read_response(f))

    def test_malformed_http_is_rejected_and_the_server_survives(self):
        garbage = [
            b"GARBAGE\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
            b"POST / HTTP/1.1\r\nBad Header Line\r\n\r\n",
            b"POST / HTTP/9.9\r\n\r\n",
            b"\x00\x01\x02\x03\xff\xfe\r\n\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        ]
        for data in garbage:
            with self.subTest(data=data):
                s = self.raw()
                s.sendall(data)
                f = s.makefile("rb")
                answer = read_response(f)
                if answer is not None:
                    status, headers, body = answer
                    self.assertEqual(status, 400)
                    self.assertIn("__type", json.loads(body))
                    self.assertIn("x-amzn-requestid", headers)
                self.assertEqual(f.read(), b"", "the connection stays open after malformed input")
                s.close()
        self.assert_still_serving()

    def test_client_vanishing_mid_request_is_harmless(self):
        for data in [b"POS", raw_request()[:30], raw_request(body=b"{" * 100)[:-50]]:
            s = self.server.connect()
            s.sendall(data)
            s.close()
        self.assert_still_serving()

    def test_oversized_headers_get_431(self):
        s = self.raw()
        s.sendall(raw_request(extra="X-Big: %s\r\n" % ("a" * 70000)))
        f = s.makefile("rb")
        status, headers, body = read_response(f)
        self.assertEqual(status, 431)
        self.assertIn("__type", json.loads(body))
        self.assert_still_serving()


class BodyLimitTest(ServerTestCase):
    server_args = ("--max-body-bytes", "1024")

    def test_body_at_the_limit_is_accepted(self):
        c = self.conn()
        status, _, _ = sqs_call(c, "ListQueues", {"QueueNamePrefix": "x" * (1024 - 24)})
        self.assertNotEqual(status, 413)

    def test_body_over_the_limit_gets_413_with_an_aws_error(self):
        c = self.conn()
        c.request("POST", "/", body=b"{" + b" " * 4096 + b"}",
                  headers={"Content-Type": JSON_10, "X-Amz-Target": "AmazonSQS.ListQueues"})
        resp = c.getresponse()
        body = json.loads(resp.read())
        self.assertEqual(resp.status, 413)
        self.assertIn("__type", body)
        self.assertTrue(resp.getheader("x-amzn-RequestId"))
        self.assertEqual((resp.getheader("Connection") or "").lower(), "close")

    def test_huge_body_is_answered_not_reset(self):
        # The client is still sending megabytes when the 413 goes out; the
        # server drains them so the client sees the answer instead of a reset.
        s = self.raw(timeout=10)
        body = b"x" * (8 << 20)
        s.sendall(raw_request(body=body))
        f = s.makefile("rb")
        status, _, _ = read_response(f)
        self.assertEqual(status, 413)
        self.assert_still_serving()


class IdleTimeoutTest(ServerTestCase):
    server_args = ("--idle-timeout-seconds", "1")

    def test_idle_connection_is_closed(self):
        s = self.raw(timeout=5)
        started = time.monotonic()
        self.assertEqual(s.recv(1), b"")
        self.assertLess(time.monotonic() - started, 3.5)

    def test_stalled_request_is_closed(self):
        s = self.raw(timeout=5)
        s.sendall(raw_request()[:20])
        self.assertEqual(s.recv(1), b"")


class SingleThreadTest(ServerTestCase):
    server_args = ("--threads", "1")

    def test_serves_with_one_thread(self):
        self.assertIn("1 thread)", self.server.stderr_text())
        for _ in range(3):
            self.assert_still_serving()


class FlagsTest(unittest.TestCase):

    def run_binary(self, *args, env=None):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SHOAL_")}
        full_env.update(env or {})
        return subprocess.run([binary_path(), *args], env=full_env, capture_output=True, text=True, timeout=10)

    def test_help_lists_every_flag_and_variable(self):
        result = self.run_binary("--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        for flag, var in [("--host", "SHOAL_HOST"), ("--port", "SHOAL_PORT"), ("--threads", "SHOAL_THREADS"),
                          ("--max-body-bytes", "SHOAL_MAX_BODY_BYTES"),
                          ("--idle-timeout-seconds", "SHOAL_IDLE_TIMEOUT_SECONDS"),
                          ("--advertised-host", "SHOAL_ADVERTISED_HOST"),
                          ("--kinesis-throttle", "KINESIS_THROTTLE")]:
            self.assertIn(flag, result.stdout)
            self.assertIn(var, result.stdout)

    def test_bad_flags_and_values_exit_2_with_a_message(self):
        cases = [(["--no-such-flag"], {}), (["--port", "http"], {}), (["--port", "70000"], {}),
                 (["--threads", "0"], {}), (["--port"], {}), (["--max-body-bytes", "-1"], {}),
                 (["--host", "http://x/"], {}), ([], {"SHOAL_PORT": "nope"}),
                 ([], {"SHOAL_IDLE_TIMEOUT_SECONDS": "1.5"}), (["--kinesis-throttle", "yes"], {}),
                 ([], {"KINESIS_THROTTLE": "on"})]
        for args, env in cases:
            with self.subTest(args=args, env=env):
                result = self.run_binary(*args, env=env)
                self.assertEqual(result.returncode, 2)
                self.assertIn("shoal:", result.stderr)
                self.assertNotIn("listening", result.stderr)

    def test_port_in_use_fails_cleanly(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            result = self.run_binary("--port", str(s.getsockname()[1]))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("cannot listen", result.stderr)

    def test_shoal_port_variable_is_honoured(self):
        port = free_port()
        with ShoalServer(env={"SHOAL_PORT": str(port)}) as server:
            self.assertEqual(server.port, port)

    def test_flag_wins_over_variable(self):
        with ShoalServer("--threads", "1", "--port", "0",
                         env={"SHOAL_THREADS": "3", "SHOAL_PORT": "not-used"}) as server:
            self.assertIn("(in memory, 1 thread)", server.stderr_text())

    def test_equals_form(self):
        with ShoalServer("--threads=2", "--port=0") as server:
            self.assertIn("2 threads", server.stderr_text())


class ShutdownTest(unittest.TestCase):

    def test_sigterm_exits_zero_promptly_and_closes_idle_connections(self):
        server = ShoalServer()
        with server:
            idle = server.connect()
            c = http.client.HTTPConnection(server.host, server.port, timeout=5)
            sqs_call(c, "ListQueues", {})  # a keep-alive connection, now idle
            started = time.monotonic()
            self.assertEqual(server.stop(), 0)
            self.assertLess(time.monotonic() - started, 2)
            self.assertEqual(idle.recv(1), b"")
            idle.close()
            c.close()

    def test_sigint_exits_zero(self):
        with ShoalServer() as server:
            server.proc.send_signal(signal.SIGINT)
            self.assertEqual(server.proc.wait(5), 0)

    def test_request_in_flight_is_finished(self):
        with ShoalServer() as server:
            s = server.connect()
            data = raw_request()
            s.sendall(data[:10])  # mid-request: not idle
            time.sleep(0.1)
            server.proc.send_signal(signal.SIGTERM)
            time.sleep(0.1)
            s.sendall(data[10:])
            f = s.makefile("rb")
            status, headers, _ = read_response(f)
            self.assertEqual(headers.get("connection", "").lower(), "close")
            self.assertEqual(server.proc.wait(5), 0)
            s.close()


class LongPollTest(ServerTestCase):

    def receive_request(self, queue_url, wait_seconds=20):
        body = json.dumps({"QueueUrl": queue_url, "WaitTimeSeconds": wait_seconds}).encode()
        return raw_request(target="AmazonSQS.ReceiveMessage", body=body)

    def test_message_wakes_a_parked_receive(self):
        c = self.conn()
        url = self.create_queue_or_skip(c, "wake-me")
        s = self.raw(timeout=10)
        started = time.monotonic()
        s.sendall(self.receive_request(url))
        time.sleep(0.3)
        status, _, _ = sqs_call(c, "SendMessage", {"QueueUrl": url, "MessageBody": "hello"})
        self.assertEqual(status, 200)
        status, _, body = read_response(s.makefile("rb"))
        self.assertEqual(status, 200)
        self.assertLess(time.monotonic() - started, 3)
        self.assertEqual([m["Body"] for m in json.loads(body)["Messages"]], ["hello"])

    def test_short_wait_times_out_empty(self):
        c = self.conn()
        url = self.create_queue_or_skip(c, "empty")
        s = self.raw(timeout=10)
        started = time.monotonic()
        s.sendall(self.receive_request(url, wait_seconds=1))
        status, _, body = read_response(s.makefile("rb"))
        elapsed = time.monotonic() - started
        self.assertEqual(status, 200)
        self.assertFalse(json.loads(body).get("Messages"))
        self.assertGreater(elapsed, 0.8)
        self.assertLess(elapsed, 3)

    def test_many_parked_polls_do_not_slow_other_requests(self):
        c = self.conn()
        url = self.create_queue_or_skip(c, "crowded")
        parked = []
        for _ in range(300):
            s = self.server.connect(timeout=10)
            self.addCleanup(s.close)
            s.sendall(self.receive_request(url))
            parked.append(s)
        time.sleep(0.3)
        started = time.monotonic()
        for _ in range(20):
            sqs_call(c, "ListQueues", {})
        self.assertLess(time.monotonic() - started, 1.0)
        # Clients that leave while parked must not swallow messages.
        for s in parked[:250]:
            s.close()
        time.sleep(0.2)
        sqs_call(c, "SendMessage", {"QueueUrl": url, "MessageBody": "for a live one"})
        got = []
        for s in parked[250:]:
            s.settimeout(0.05)
            try:
                answer = read_response(s.makefile("rb"))
            except (socket.timeout, OSError):
                continue
            if answer:
                got += json.loads(answer[2]).get("Messages", [])
        self.assertEqual([m["Body"] for m in got], ["for a live one"])
        # SIGTERM answers every remaining parked poll at once.
        self.assertEqual(self.server.stop(), 0)

    def test_parked_poll_is_answered_on_sigterm(self):
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            self.skipTest("boto3 is not installed")
        client = boto3.client("sqs", endpoint_url=self.server.endpoint, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x",
                              config=Config(retries={"max_attempts": 0}, read_timeout=30))
        try:
            url = client.create_queue(QueueName="sigterm")["QueueUrl"]
        except Exception as e:  # the dispatcher may not speak SQS yet
            self.skipTest("the dispatcher cannot create queues yet: %s" % e)
        result = {}

        def receive():
            started = time.monotonic()
            result["response"] = client.receive_message(QueueUrl=url, WaitTimeSeconds=20)
            result["elapsed"] = time.monotonic() - started

        t = threading.Thread(target=receive, daemon=True)
        t.start()
        time.sleep(0.3)
        self.server.proc.send_signal(signal.SIGTERM)
        t.join(5)
        self.assertFalse(t.is_alive(), "the parked receive was not answered on SIGTERM")
        self.assertLess(result["elapsed"], 3)
        self.assertFalse(result["response"].get("Messages"))
        self.assertEqual(self.server.proc.wait(5), 0)


if __name__ == "__main__":
    unittest.main()
