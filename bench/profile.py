#!/usr/bin/env python3
"""Instructions per request: runs build/shoal under callgrind with one I/O
thread, drives one hot workload over one keep-alive connection, and prints
the instructions the server spent per request (and per record) between a
counter reset after the warm-up and a dump after the measured requests. The
client is a separate process, so only the server is counted. Instruction
counts barely move on a noisy machine, unlike rates: the figure to compare
before and after a change.

    python3 bench/profile.py send              # SendMessage 256 B
    python3 bench/profile.py put-records       # PutRecords 500 x 1 KiB
    python3 bench/profile.py get-records       # GetRecords(10000) draining 1 KiB records
    python3 bench/profile.py send --annotate   # also callgrind_annotate's top functions

The callgrind output stays in --out (default /tmp/shoal-profile) for
callgrind_annotate --inclusive=yes.
"""
import argparse
import base64
import glob
import json
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "..", "build")


class Client:
    """One keep-alive HTTP/1.1 connection sending boto3-shaped AWS JSON calls."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def request_bytes(self, service, action, body):
        if service == "sqs":
            ctype, target, extra = "application/x-amz-json-1.0", "AmazonSQS." + action, "x-amzn-query-mode: true\r\n"
        else:
            ctype, target, extra = "application/x-amz-json-1.1", "Kinesis_20131202." + action, ""
        date = "20261201T000000Z"
        body = body.encode() if isinstance(body, str) else body
        head = (
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {ctype}\r\nX-Amz-Target: {target}\r\n{extra}"
            "User-Agent: Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux md/arch#x86_64 lang/python#3.11.7 "
            "md/pyimpl#CPython m/ shoal-profile\r\n"
            f"X-Amz-Date: {date}\r\n"
            f"Authorization: AWS4-HMAC-SHA256 Credential=test/{date[:8]}/us-east-1/{service}/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64 + "\r\n"
            "amz-sdk-invocation-id: 00000000-0000-4000-8000-000000000000\r\namz-sdk-request: attempt=1\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    def call_raw(self, raw):
        self.sock.sendall(raw)
        return self.read_response()

    def call(self, service, action, body):
        status, payload = self.call_raw(self.request_bytes(service, action, json.dumps(body)))
        if status != 200:
            sys.exit(f"profile: {action} answered {status}: {payload[:300]!r}")
        return json.loads(payload)

    def read_response(self):
        while b"\r\n\r\n" not in self.buf:
            self.recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = int(head.split(b" ", 2)[1])
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        while len(self.buf) < length:
            self.recv()
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, body

    def recv(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            sys.exit("profile: the server closed the connection")
        self.buf += chunk


def start(binary, out):
    for old in glob.glob(out + "*"):
        os.remove(old)
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--compress-strings=no", "--compress-pos=no", f"--callgrind-out-file={out}", binary, "--port", "0", "--threads", "1"],
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"listening on [^:]+:(\d+)", line)
        if m:
            return proc, int(m.group(1))
    proc.kill()
    sys.exit("profile: shoal did not start under valgrind")


def callgrind_control(pid, flag):
    subprocess.run(["callgrind_control", flag, str(pid)], check=True, stdout=subprocess.DEVNULL)


def workload_send(client, count):
    url = client.call("sqs", "CreateQueue", {"QueueName": "profile"})["QueueUrl"]
    raw = client.request_bytes("sqs", "SendMessage", json.dumps({"QueueUrl": url, "MessageBody": "x" * 256}))
    return (lambda: client.call_raw(raw)), count, 1


def put_records_body(stream, base):
    data = base64.b64encode(b"\x00" * 1032).decode()  # 1 KiB-ish records, as bench/lua
    return {"StreamName": stream,
            "Records": [{"Data": data, "PartitionKey": f"k{base + i}"} for i in range(500)]}


def workload_put_records(client, count):
    client.call("kinesis", "CreateStream", {"StreamName": "profile", "ShardCount": 1})
    raw = client.request_bytes("kinesis", "PutRecords", json.dumps(put_records_body("profile", 0)))
    return (lambda: client.call_raw(raw)), count, 500


def workload_get_records(client, count):
    client.call("kinesis", "CreateStream", {"StreamName": "profile", "ShardCount": 1})
    raw = client.request_bytes("kinesis", "PutRecords", json.dumps(put_records_body("profile", 0)))
    batches = (count + warmups(count)) * 10000 // 500
    for _ in range(batches):
        client.call_raw(raw)
    shard = client.call("kinesis", "ListShards", {"StreamName": "profile"})["Shards"][0]["ShardId"]
    it = client.call("kinesis", "GetShardIterator", {"StreamName": "profile", "ShardId": shard,
                                                       "ShardIteratorType": "TRIM_HORIZON"})["ShardIterator"]
    state = {"it": it}

    def one():
        status, payload = client.call_raw(client.request_bytes(
            "kinesis", "GetRecords", json.dumps({"ShardIterator": state["it"], "Limit": 10000})))
        answer = json.loads(payload)
        state["it"] = answer["NextShardIterator"]
        if len(answer["Records"]) != 10000:
            sys.exit(f"profile: GetRecords returned {len(answer['Records'])} records, expected 10000")
        return status, payload

    return one, count, 10000


def warmups(count):
    return max(count // 10, 2)


WORKLOADS = {"send": (workload_send, 3000), "put-records": (workload_put_records, 40),
             "get-records": (workload_get_records, 6)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workload", choices=sorted(WORKLOADS))
    ap.add_argument("--count", type=int, help="measured requests (default per workload)")
    ap.add_argument("--binary", default=os.path.join(BUILD, "shoal"))
    ap.add_argument("--out", default="/tmp/shoal-profile/callgrind.out")
    ap.add_argument("--annotate", action="store_true", help="print callgrind_annotate's top functions")
    args = ap.parse_args()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)

    proc, port = start(args.binary, args.out)
    try:
        client = Client(port)
        setup, default_count = WORKLOADS[args.workload]
        one, count, items = setup(client, args.count or default_count)
        for _ in range(warmups(count)):  # warm-up: first-touch allocations, lazy statics
            one()
        callgrind_control(proc.pid, "-z")
        for _ in range(count):
            one()
        callgrind_control(proc.pid, "-d")
    finally:
        proc.terminate()
        proc.wait(timeout=120)
    dumps = sorted(p for p in glob.glob(args.out + ".*") if re.search(r"\.\d+$", p))
    dump = dumps[0]
    total = None
    with open(dump) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
    print(f"{args.workload}: {count} requests, {total:,} instructions: {total // count:,} per request"
          + (f", {total // (count * items):,} per record" if items > 1 else "") + f"  ({dump})")
    if args.annotate:
        subprocess.run(["callgrind_annotate", "--inclusive=no", dump], check=False)


if __name__ == "__main__":
    main()
