"""HTTP/2 protocol abuse against the real binary, over a raw socket
(h2_frames.py): a broken client preface, an oversized frame, a header list
past the limit, and a client that sends requests but stops reading. Each gets
what RFC 9113 asks (GOAWAY with the right code, or an answer on the stream)
and the server keeps serving everyone else. The well-behaved side of HTTP/2
(SDKs, many streams, GOAWAY on SIGTERM) is in js/http2.test.js."""

import base64
import json
import re
import time
import unittest

import h2_frames as h2
from control_client import client, ok
from shoal_server import ServerTestCase


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS for pid %d" % pid)


class Http2ProtocolTest(ServerTestCase):

    def raw(self):
        conn = h2.RawConnection(self.server.host, self.server.port)
        self.addCleanup(conn.close)
        return conn

    def assert_still_serving(self):
        self.assertIn("status", ok(self.server, "GET", "/_shoal/health"))

    def request(self, stream_id, method, path, body=b"", extra=()):
        pairs = [(":method", method), (":scheme", "http"), (":path", path),
                 (":authority", "%s:%d" % (self.server.host, self.server.port))] + list(extra)
        if body:
            pairs.append(("content-length", str(len(body))))
        return h2.request_frames(stream_id, pairs, body)

    def test_broken_preface_gets_goaway_protocol_error(self):
        conn = self.raw()
        conn.send(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n" + h2.settings())
        frames = conn.frames_until(lambda f: f[0] == h2.GOAWAY)
        goaways = [f for f in frames if f[0] == h2.GOAWAY]
        self.assertEqual(len(goaways), 1, frames)
        self.assertEqual(h2.goaway_error(goaways[0][3]), h2.PROTOCOL_ERROR)
        self.assertIsNone(conn.read_frame(), "the connection is closed after GOAWAY")
        self.assert_still_serving()

    def test_frame_over_max_frame_size_gets_goaway_frame_size_error(self):
        conn = self.raw()
        conn.start()
        conn.send(h2.frame(h2.DATA, 0, 1, b"x" * 20000))  # SETTINGS_MAX_FRAME_SIZE is 16384
        frames = conn.frames_until(lambda f: f[0] == h2.GOAWAY)
        self.assertEqual(frames[-1][0], h2.GOAWAY, frames)
        self.assertEqual(h2.goaway_error(frames[-1][3]), h2.FRAME_SIZE_ERROR)
        self.assert_still_serving()

    def test_header_list_past_the_limit_gets_431_and_the_connection_goes_on(self):
        conn = self.raw()
        conn.start()
        big = [("x-big-%d" % i, "v" * 4000) for i in range(20)]  # 80 KB > 64 KiB
        conn.send(self.request(1, "GET", "/_shoal/health", extra=big))
        conn.send(self.request(3, "GET", "/_shoal/health"))
        data = {1: b"", 3: b""}
        ended = set()

        def done(f):
            if f[0] == h2.DATA:
                data[f[2]] += f[3]
            if f[0] in (h2.DATA, h2.HEADERS) and f[1] & h2.END_STREAM:
                ended.add(f[2])
            return ended == {1, 3}

        frames = conn.frames_until(done)
        self.assertEqual(ended, {1, 3}, frames)
        self.assertIn(b"RequestHeaderFieldsTooLarge", data[1])
        self.assertIn(b"Request headers are larger than the limit of 65536 bytes", data[1])
        self.assertIn(b'"status"', data[3])

    def test_client_that_stops_reading_is_not_buffered_without_bound(self):
        kinesis = client("kinesis", self.server.endpoint)
        kinesis.create_stream(StreamName="unread", ShardCount=1)
        for i in range(8):
            kinesis.put_record(StreamName="unread", PartitionKey="p", Data=bytes([i]) * (1024 * 1024 - 16))
        iterator = kinesis.get_shard_iterator(StreamName="unread", ShardId="shardId-000000000000",
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        body = json.dumps({"ShardIterator": iterator}).encode()
        # Every answer is ~11 MB of JSON: 100 of them would be 1.1 GB if the
        # server rendered them all for a client that reads nothing.
        baseline = rss_bytes(self.server.proc.pid)
        conn = self.raw()
        conn.start(initial_window_size=2**31 - 1)
        conn.send(h2.window_update(0, 2**31 - 1 - 65535))
        target = [("content-type", "application/x-amz-json-1.1"),
                  ("x-amz-target", "Kinesis_20131202.GetRecords")]
        for i in range(100):
            conn.send(self.request(2 * i + 1, "POST", "/", body, target))

        served = 0
        peak = baseline
        # Watch for 3 s while others are served: the server answers a few
        # GetRecords (its socket buffer and one answer's worth), then takes no
        # more. Without the bound it renders all 100 in about that time.
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline and served < 20:
            text = ok(self.server, "GET", "/_shoal/metrics")
            served = sum(int(n) for n in re.findall(
                r'shoal_requests_total\{service="kinesis",action="GetRecords"[^}]*\} (\d+)', text))
            peak = max(peak, rss_bytes(self.server.proc.pid))
        print("unread connection: %d GetRecords answered, RSS +%.1f MiB" % (served, (peak - baseline) / 2**20))
        self.assertLess(served, 20, "requests the unread connection got answered")
        self.assertLess(peak - baseline, 250 * 1024 * 1024, "RSS growth for a client that stops reading")
        conn.close()
        self.assert_still_serving()


if __name__ == "__main__":
    unittest.main()
