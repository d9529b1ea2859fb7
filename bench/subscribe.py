#!/usr/bin/env python3
"""Put-to-push latency of SubscribeToShard: the time from sending a PutRecord
to reading that record's event from a subscription, p50 and p99.

A fresh Shoal, a 1-shard stream and one consumer; one raw HTTP/1.1
subscription (chunked event stream, decoded here); puts one at a time on a
keep-alive connection, each waiting for its push before the next, so every
figure is one record's trip, with no queueing behind earlier ones.

    python3 bench/subscribe.py                       # 2,000 puts
    python3 bench/subscribe.py --count 500 --server-args "--data-dir /tmp/d"

measure(port, count) is the step bench/run.py (or an HTTP/2 variant) can call.
A measurement, not a test: it prints figures and never fails on them.
"""
import argparse
import base64
import http.client
import json
import os
import shlex
import statistics
import struct
import sys
import threading
import time

import peers
import workloads

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "..", "build")
AUTH = ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0")


def headers(action):
    return {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Kinesis_20131202." + action,
            "X-Amz-Date": "20260101T000000Z", "Authorization": AUTH}


def frames(buffer):
    """Whole event-stream messages at the front of buffer: ([(headers, payload)], rest)."""
    out = []
    while len(buffer) >= 12:
        total, headers_len = struct.unpack(">II", buffer[:8])
        if len(buffer) < total:
            break
        frame, buffer = buffer[:total], buffer[total:]
        hdrs, at = {}, 12
        while at < 12 + headers_len:
            n = frame[at]
            name = frame[at + 1:at + 1 + n].decode()
            size = struct.unpack(">H", frame[at + 2 + n:at + 4 + n])[0]
            hdrs[name] = frame[at + 4 + n:at + 4 + n + size].decode()
            at += 4 + n + size
        out.append((hdrs, frame[12 + headers_len:-4]))
    return out, buffer


class Subscriber(threading.Thread):
    """Reads the event stream; records when each record (by its data) arrived."""

    def __init__(self, port, consumer_arn):
        super().__init__(daemon=True)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = {"ConsumerARN": consumer_arn, "ShardId": "shardId-000000000000", "StartingPosition": {"Type": "LATEST"}}
        self.conn.request("POST", "/", body=json.dumps(body).encode(), headers=headers("SubscribeToShard"))
        self.resp = self.conn.getresponse()
        if self.resp.status != 200:
            raise workloads.StepFailed(f"SubscribeToShard answered {self.resp.status}: {self.resp.read()[:200]!r}")
        self.arrived = {}
        self.cv = threading.Condition()
        self.stop = False

    def run(self):
        buffer = b""
        while not self.stop:
            try:
                chunk = self.resp.read1(65536)
            except (OSError, ValueError, AttributeError, http.client.HTTPException):
                return  # closed by measure() at the end
            if not chunk:
                return
            now = time.perf_counter()
            messages, buffer = frames(buffer + chunk)
            for hdrs, payload in messages:
                if hdrs.get(":event-type") != "SubscribeToShardEvent":
                    continue
                with self.cv:
                    for r in json.loads(payload)["Records"]:
                        self.arrived[base64.b64decode(r["Data"]).decode()] = now
                    self.cv.notify_all()

    def wait_for(self, key, timeout=10.0):
        with self.cv:
            if not self.cv.wait_for(lambda: key in self.arrived, timeout):
                raise workloads.StepFailed(f"record {key} was not pushed within {timeout} s")
            return self.arrived[key]


def measure(port, count):
    """{p50_ms, p99_ms, max_ms, count} of put-to-push latency on a running server."""
    name = f"latency-{os.getpid()}-{time.monotonic_ns()}"
    workloads.aws_call(port, "kinesis", "CreateStream", {"StreamName": name, "ShardCount": 1})
    arn = workloads.aws_call(port, "kinesis", "DescribeStreamSummary", {"StreamName": name})[
        "StreamDescriptionSummary"]["StreamARN"]
    consumer = workloads.aws_call(port, "kinesis", "RegisterStreamConsumer",
                                  {"StreamARN": arn, "ConsumerName": "bench"})["Consumer"]["ConsumerARN"]
    sub = Subscriber(port, consumer)
    sub.start()
    putter = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies = []
    try:
        for i in range(count + count // 10):  # the first tenth warms up
            key = str(i)
            body = json.dumps({"StreamName": name, "PartitionKey": "k",
                               "Data": base64.b64encode(key.encode()).decode()}).encode()
            sent = time.perf_counter()
            putter.request("POST", "/", body=body, headers=headers("PutRecord"))
            reply = putter.getresponse()
            reply.read()
            if reply.status != 200:
                raise workloads.StepFailed(f"PutRecord answered {reply.status}")
            pushed = sub.wait_for(key)
            if i >= count // 10:
                latencies.append((pushed - sent) * 1000)
    finally:
        sub.stop = True
        putter.close()
        sub.conn.close()
        sub.join(timeout=5)
    latencies.sort()
    return {"count": len(latencies), "p50_ms": statistics.median(latencies),
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], "max_ms": latencies[-1]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--binary", default=os.path.join(BUILD, "shoal"))
    ap.add_argument("--server-args", default="", help="extra shoal flags, e.g. \"--threads 1\"")
    args = ap.parse_args()
    try:
        server = peers.Shoal(os.path.abspath(args.binary), shlex.split(args.server_args))
    except peers.Unavailable as e:
        sys.exit(f"bench: {e}")
    with server:
        r = measure(server.port, args.count)
    label = args.server_args or "default"
    print(f"put-to-push over HTTP/1.1 [{label}]: p50 {r['p50_ms']:.3f} ms, p99 {r['p99_ms']:.3f} ms, "
          f"max {r['max_ms']:.3f} ms ({r['count']} puts, one at a time)", flush=True)


if __name__ == "__main__":
    main()
