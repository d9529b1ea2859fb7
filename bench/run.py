#!/usr/bin/env python3
"""Side-by-side benchmark: Shoal against the peers present on this machine.

Prints one table (workload, server, ops/s, p50, p99, ratio to the reference in
the same run). A benchmark, not a test: it never fails on a number. Every step
is bounded in time. Usage: bench/run.py [--seconds N] [--binary PATH]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "lua")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=30.0):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return time.monotonic() - start
        except OSError:
            time.sleep(0.001)
    raise RuntimeError(f"port {port} did not open")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def call(port, target, content_type, body):
    service = "sqs" if target.startswith("AmazonSQS") else "kinesis"  # moto routes by the credential scope
    req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": content_type, "X-Amz-Target": target,
                                          "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/"
                                                           f"{service}/aws4_request, SignedHeaders=host, Signature=0"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def wrk(port, script, connections, seconds, env):
    merged = os.path.join("/tmp", f"shoal-bench-{os.path.basename(script)}")
    with open(merged, "w") as out:
        out.write(open(script).read() + "\n" + open(os.path.join(LUA, "report.lua")).read())
    cmd = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "-s", merged, f"http://127.0.0.1:{port}/"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30, env={**os.environ, **env})
    for line in res.stdout.splitlines():
        if line.startswith("RESULT"):
            fields = dict(kv.split("=") for kv in line.split()[1:])
            return {k: float(v) for k, v in fields.items()}
    raise RuntimeError(res.stdout + res.stderr)


class Proc:
    def __init__(self, args, port):
        start = time.monotonic()
        self.p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(port)
        self.startup = time.monotonic() - start

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "build", "shoal"))
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing (apt-get install wrk)")
    rows = []

    def add(workload, server, r):
        rows.append((workload, server, r))
        print(f"  {workload:<28} {server:<8} {r['ops']:>10.0f} ops/s  p50 {r['p50_ms']:.3f} ms  "
              f"p99 {r['p99_ms']:.3f} ms  errors {r['errors']:.0f}", flush=True)

    port = free_port()
    shoal = Proc([args.binary, "--port", str(port)], port)
    time.sleep(0.2)
    print(f"shoal: start-up to answering {shoal.startup * 1000:.1f} ms, idle RSS {rss_kib(shoal.p.pid) / 1024:.1f} MiB")
    try:
        url = call(port, "AmazonSQS.CreateQueue", "application/x-amz-json-1.0", {"QueueName": "bench"})["QueueUrl"]
        for c in (1, 16, 64):
            add(f"SQS SendMessage 256B c{c}", "shoal",
                wrk(port, os.path.join(LUA, "sqs_send_message.lua"), c, args.seconds, {"QUEUE_URL": url}))
        call(port, "Kinesis_20131202.CreateStream", "application/x-amz-json-1.1", {"StreamName": "bench", "ShardCount": 4})
        for c in (1, 16):
            add(f"Kinesis PutRecord 1KB c{c}", "shoal",
                wrk(port, os.path.join(LUA, "kinesis_put_record.lua"), c, args.seconds, {"STREAM": "bench"}))
        print(f"shoal: RSS after the runs {rss_kib(shoal.p.pid) / 1024:.1f} MiB")
    finally:
        shoal.stop()

    if shutil.which("nginx"):
        subprocess.run(["nginx", "-q", "-c", os.path.join(HERE, "nginx.conf")], check=True, timeout=10)
        try:
            wait_port(18080)
            add("SQS SendMessage 256B c16", "nginx",
                wrk(18080, os.path.join(LUA, "sqs_send_message.lua"), 16, args.seconds, {"QUEUE_URL": url}))
        finally:
            subprocess.run(["nginx", "-q", "-c", os.path.join(HERE, "nginx.conf"), "-s", "stop"], timeout=10,
                           stderr=subprocess.DEVNULL)

    if shutil.which("moto_server"):
        mport = free_port()
        moto = Proc(["moto_server", "-p", str(mport)], mport)
        print(f"moto: start-up to answering {moto.startup * 1000:.1f} ms, idle RSS {rss_kib(moto.p.pid) / 1024:.1f} MiB")
        try:
            murl = call(mport, "AmazonSQS.CreateQueue", "application/x-amz-json-1.0", {"QueueName": "bench"})["QueueUrl"]
            add("SQS SendMessage 256B c16", "moto",
                wrk(mport, os.path.join(LUA, "sqs_send_message.lua"), 16, args.seconds, {"QUEUE_URL": murl}))
            call(mport, "Kinesis_20131202.CreateStream", "application/x-amz-json-1.1",
                 {"StreamName": "bench", "ShardCount": 4})
            add("Kinesis PutRecord 1KB c16", "moto",
                wrk(mport, os.path.join(LUA, "kinesis_put_record.lua"), 16, args.seconds, {"STREAM": "bench"}))
        finally:
            moto.stop()

    print("\nratios (same run):")
    by = {(w, s): r for w, s, r in rows}
    for (w, s), r in by.items():
        if s == "shoal":
            for peer in ("nginx", "moto"):
                if (w, peer) in by:
                    print(f"  {w}: shoal / {peer} = {r['ops'] / by[(w, peer)]['ops']:.2f}x")


if __name__ == "__main__":
    main()
