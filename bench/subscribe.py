#!/usr/bin/env python3
"""Put-to-push latency of SubscribeToShard: the time from sending a PutRecord
to reading that record's event from a subscription, p50 and p99, over
HTTP/1.1 and h2c on the same server, the protocols taking turns.

A 1-shard stream and one consumer per turn. HTTP/1.1: a raw subscription
(chunked event stream, decoded here) and puts on a keep-alive connection, as
boto3 does. h2c: one connection carrying the subscription on one stream and
each put on another, as the JS SDK v3 and the KCL do (h2c_client.py). Puts go
one at a time, each waiting for its push before the next, so every figure is
one record's trip, with no queueing behind earlier ones. Then the RSS of idle
subscriptions over each protocol (subscribe_idle.py).

    python3 bench/subscribe.py                       # 2,000 puts, 1,000 idle subscriptions
    python3 bench/subscribe.py --count 500 --idle 0 --server-args "--data-dir /tmp/d"

measure(port, count, protocol) is the step another runner can call.
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

import h2c_client
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


class Arrivals:
    """Decodes a subscription's event stream as its bytes come (from either
    protocol) and notes when each record, by its data, was read."""

    def __init__(self):
        self.buffer = b""
        self.arrived = {}
        self.initial = threading.Event()
        self.cv = threading.Condition()

    def feed(self, chunk, now):
        messages, self.buffer = frames(self.buffer + chunk)
        for hdrs, payload in messages:
            if hdrs.get(":event-type") == "initial-response":
                self.initial.set()
            if hdrs.get(":event-type") != "SubscribeToShardEvent":
                continue
            with self.cv:
                for r in json.loads(payload)["Records"]:
                    self.arrived[base64.b64decode(r["Data"]).decode()] = now
                self.cv.notify_all()

    def wait_initial(self, timeout=10.0):
        if not self.initial.wait(timeout):
            raise workloads.StepFailed(f"no initial-response within {timeout} s")

    def wait_for(self, key, timeout=10.0):
        with self.cv:
            if not self.cv.wait_for(lambda: key in self.arrived, timeout):
                raise workloads.StepFailed(f"record {key} was not pushed within {timeout} s")
            return self.arrived[key]


def subscribe_body(consumer_arn, shard="shardId-000000000000"):
    return json.dumps({"ConsumerARN": consumer_arn, "ShardId": shard,
                       "StartingPosition": {"Type": "LATEST"}}).encode()


class Http1Client:
    """The subscription on its own connection (a thread reads the chunked
    event stream), the puts on a keep-alive one, as boto3 does."""

    def __init__(self, port, consumer_arn):
        self.arrivals = Arrivals()
        self.sub = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.sub.request("POST", "/", body=subscribe_body(consumer_arn), headers=headers("SubscribeToShard"))
        self.resp = self.sub.getresponse()
        if self.resp.status != 200:
            raise workloads.StepFailed(f"SubscribeToShard answered {self.resp.status}: {self.resp.read()[:200]!r}")
        self.stop = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.putter = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def _read(self):
        while not self.stop:
            try:
                chunk = self.resp.read1(65536)
            except (OSError, ValueError, AttributeError, http.client.HTTPException):
                return  # closed by close() at the end
            if not chunk:
                return
            self.arrivals.feed(chunk, time.perf_counter())

    def put(self, body):
        self.putter.request("POST", "/", body=body, headers=headers("PutRecord"))
        reply = self.putter.getresponse()
        reply.read()
        if reply.status != 200:
            raise workloads.StepFailed(f"PutRecord answered {reply.status}")

    def close(self):
        self.stop = True
        self.putter.close()
        self.sub.close()
        self.reader.join(timeout=5)


def h2_headers(action):
    return [(k.lower(), v) for k, v in headers(action).items()]


class H2Client:
    """One h2c connection carrying both, as the JS SDK v3 and the KCL do: the
    subscription on one stream, each put on a new one."""

    def __init__(self, port, consumer_arn):
        self.arrivals = Arrivals()
        self.conn = h2c_client.Connection(port)
        self.sub = self.conn.request(h2_headers("SubscribeToShard"), subscribe_body(consumer_arn),
                                     on_data=self.arrivals.feed)

    def put(self, body):
        stream = self.conn.request(h2_headers("PutRecord"), body)
        if not stream.ended.wait(30):
            raise workloads.StepFailed("PutRecord over h2c: no answer within 30 s")
        if not stream.status_ok or stream.reset is not None or b"SequenceNumber" not in stream.body:
            raise workloads.StepFailed(f"PutRecord over h2c answered {bytes(stream.body)[:200]!r} "
                                       f"(reset {stream.reset}, subscription reset {self.sub.reset})")

    def close(self):
        self.conn.close()


PROTOCOLS = {"HTTP/1.1": Http1Client, "h2c": H2Client}


def measure(port, count, protocol="HTTP/1.1"):
    """{p50_ms, p99_ms, max_ms, count} of put-to-push latency on a running
    server, over one protocol (a key of PROTOCOLS)."""
    return summary(latencies(port, count, protocol))


def latencies(port, count, protocol):
    """count put-to-push latencies in ms (after count // 10 more warming up)
    on a new stream and consumer."""
    name = f"latency-{os.getpid()}-{time.monotonic_ns()}"
    workloads.aws_call(port, "kinesis", "CreateStream", {"StreamName": name, "ShardCount": 1})
    arn = workloads.aws_call(port, "kinesis", "DescribeStreamSummary", {"StreamName": name})[
        "StreamDescriptionSummary"]["StreamARN"]
    consumer = workloads.aws_call(port, "kinesis", "RegisterStreamConsumer",
                                  {"StreamARN": arn, "ConsumerName": "bench"})["Consumer"]["ConsumerARN"]
    client = PROTOCOLS[protocol](port, consumer)
    out = []
    try:
        client.arrivals.wait_initial()
        for i in range(count + count // 10):  # the first tenth warms up
            key = str(i)
            body = json.dumps({"StreamName": name, "PartitionKey": "k",
                               "Data": base64.b64encode(key.encode()).decode()}).encode()
            sent = time.perf_counter()
            client.put(body)
            pushed = client.arrivals.wait_for(key)
            if i >= count // 10:
                out.append((pushed - sent) * 1000)
    finally:
        client.close()
    return out


def summary(values):
    values = sorted(values)
    return {"count": len(values), "p50_ms": statistics.median(values),
            "p99_ms": values[min(len(values) - 1, int(len(values) * 0.99))], "max_ms": values[-1]}


def latency_rows(server, count, rounds):
    """{protocol: summary} with the protocols taking turns, count / rounds puts
    each turn, so a change in the machine's load falls on both alike."""
    per_round = max(1, count // rounds)
    samples = {p: [] for p in PROTOCOLS}
    for _ in range(rounds):
        for protocol in PROTOCOLS:
            samples[protocol] += latencies(server.port, per_round, protocol)
    return {p: summary(v) for p, v in samples.items()}


def main():
    import subscribe_idle  # it imports from here

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=2000, help="measured puts per protocol")
    ap.add_argument("--rounds", type=int, default=4, help="turns the protocols take (count / rounds puts each)")
    ap.add_argument("--idle", type=int, default=1000,
                    help="idle subscriptions whose RSS is measured per protocol (0: skip)")
    ap.add_argument("--binary", default=os.environ.get("SHOAL_BINARY", os.path.join(BUILD, "shoal")))
    ap.add_argument("--server-args", default="", help="extra shoal flags, e.g. \"--threads 1\"")
    args = ap.parse_args()

    def shoal():
        try:
            return peers.Shoal(os.path.abspath(args.binary), shlex.split(args.server_args))
        except peers.Unavailable as e:
            sys.exit(f"bench: {e}")

    label = args.server_args or "default"
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} [{label}]", flush=True)
    if args.count > 0:
        with shoal() as server:
            rows = latency_rows(server, args.count, args.rounds)
        for protocol, r in rows.items():
            print(f"put-to-push over {protocol}: p50 {r['p50_ms']:.3f} ms, p99 {r['p99_ms']:.3f} ms, "
                  f"max {r['max_ms']:.3f} ms ({r['count']} puts, one at a time)", flush=True)
        h1, h2 = rows["HTTP/1.1"], rows["h2c"]
        print(f"h2c / HTTP/1.1: p50 {h2['p50_ms'] / h1['p50_ms']:.2f}x, p99 {h2['p99_ms'] / h1['p99_ms']:.2f}x",
              flush=True)
    if args.idle > 0:
        per = {}
        for protocol in PROTOCOLS:
            r = subscribe_idle.run(shoal(), args.idle, protocol)
            per[protocol] = r["per_subscription_kib"]
            reopened = " / ".join(f"{x:.1f}" for x in r["reopened"])
            print(f"{args.idle} idle subscriptions over {protocol}: RSS fresh {r['fresh']:.1f} MiB, "
                  f"after setup {r['setup']:.1f} MiB, open {r['open']:.1f} MiB "
                  f"(+{r['open'] - r['setup']:.1f} MiB, {r['per_subscription_kib']:.1f} KiB each; "
                  f"opened in {r['open_s']:.1f} s), after disconnect {r['closed']:.1f} MiB "
                  f"(health back to 0 in {r['freed_s']:.2f} s), open again {reopened} MiB", flush=True)
        print(f"h2c / HTTP/1.1 per subscription: {per['h2c'] / per['HTTP/1.1']:.2f}x", flush=True)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
