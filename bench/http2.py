"""HTTP/2 rows, each beside HTTP/1.1 in the same run and on the same server
process: SendMessage and PutRecord throughput through h2load (nghttp2's load
generator, Debian nghttp2-client), which speaks both (--h1), so the client's
own cost is the same on both sides; and the RSS that 1,000 idle connections
cost in each protocol. A benchmark, not a test: it never fails on a number.

    python3 bench/run.py --servers shoal --steps http2
"""
import base64
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

import workloads
from report import Figure, Row

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"  # + empty SETTINGS
IDLE_CONNECTIONS = 1000

W_SEND = "SendMessage 256 B, {}"
W_PUT = "PutRecord 100 B, {}"
F_IDLE = "RSS per idle connection ({})"


def h2load_available():
    return shutil.which("h2load") is not None


def sdk_headers(service, action):
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    json_version = "1.0" if service == "sqs" else "1.1"
    target = ("AmazonSQS." if service == "sqs" else "Kinesis_20131202.") + action
    return [f"content-type: application/x-amz-json-{json_version}", f"x-amz-target: {target}",
            f"x-amz-date: {amz_date}",
            f"authorization: AWS4-HMAC-SHA256 Credential=test/{amz_date[:8]}/us-east-1/{service}/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64]


def h2load(seconds, port, headers, body, connections, streams, http1):
    """ops/s, p50 and p99 ms, errors of one h2load run (per-request log)."""
    with tempfile.TemporaryDirectory(prefix="shoal-h2load-") as tmp:
        body_file = os.path.join(tmp, "body")
        log_file = os.path.join(tmp, "log")
        with open(body_file, "wb") as f:
            f.write(body)
        cmd = ["h2load", "-D", str(seconds), "-c", str(connections), "-m", str(streams), "-t", "1",
               "-d", body_file, "--log-file", log_file]
        if http1:
            cmd.append("--h1")
        for h in headers:
            cmd += ["-H", h]
        cmd.append(f"http://127.0.0.1:{port}/")
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
        if res.returncode != 0:
            raise workloads.StepFailed(f"h2load failed: {(res.stdout + res.stderr).strip()[-300:]}")
        durations = []
        errors = 0
        with open(log_file) as f:
            for line in f:
                parts = line.split()
                if len(parts) < 3:
                    continue
                if not parts[1].startswith("2"):
                    errors += 1
                durations.append(int(parts[2]) / 1000.0)
    if not durations:
        raise workloads.StepFailed(f"h2load logged no request: {res.stdout.strip()[-300:]}")
    durations.sort()
    return {"ops": len(durations) / seconds, "p50_ms": statistics.median(durations),
            "p99_ms": durations[min(len(durations) - 1, int(len(durations) * 0.99))], "errors": errors}


def requests(queue_url, stream):
    """(headers, body, workload) of the two measured calls."""
    send = (sdk_headers("sqs", "SendMessage"),
            f'{{"QueueUrl": "{queue_url}", "MessageBody": "{"x" * 256}"}}'.encode(), W_SEND)
    put = (sdk_headers("kinesis", "PutRecord"),
           f'{{"StreamName": "{stream}", "PartitionKey": "k", "Data": "{base64.b64encode(b"x" * 100).decode()}"}}'
           .encode(), W_PUT)
    return [send, put]


def throughput(server, settings, report):
    """SendMessage and PutRecord over HTTP/1.1 and h2c, 16 requests in flight
    each way: 16 connections, or 1 connection with 16 streams."""
    with server:
        queue_url = workloads.create_queue(server, "bench")
        workloads.create_stream(server, "bench", shards=4)
        for headers, body, workload in requests(queue_url, "bench"):
            for label, connections, streams, http1 in (("HTTP/1.1, 16 connections", 16, 1, True),
                                                       ("h2c, 16 connections", 16, 1, False),
                                                       ("h2c, 1 connection x 16 streams", 1, 16, False)):
                r = h2load(settings.seconds, server.port, headers, body, connections, streams, http1)
                report.add_row(Row(workload.format(label), server.label, r["ops"], r["p50_ms"], r["p99_ms"],
                                   r["errors"], note="h2load"))


def _open_idle(port, count, http2):
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        if http2:
            s.sendall(PREFACE)
            s.recv(4096)  # the server's SETTINGS: its session exists
        socks.append(s)
    return socks


def idle_connections(server, settings, report):
    """RSS growth for 1,000 idle connections of each protocol. An HTTP/1.1
    connection sends one byte ("G") so it is past telling protocols apart
    and waiting for the rest of its request, as a keep-alive client between
    requests is."""
    with server:
        workloads.create_queue(server, "bench")
        for label, http2 in (("HTTP/1.1", False), ("h2c", True)):
            time.sleep(0.2)
            before = server.rss_mib()
            socks = _open_idle(server.port, IDLE_CONNECTIONS, http2)
            try:
                if not http2:
                    for s in socks:
                        s.sendall(b"G")
                time.sleep(0.5)  # a moment for the server to take them all
                after = server.rss_mib()
            finally:
                for s in socks:
                    s.close()
            report.add_figure(Figure(F_IDLE.format(label), server.label, (after - before) * 1024 / IDLE_CONNECTIONS,
                                     "KiB", f"{IDLE_CONNECTIONS} connections: +{after - before:,.1f} MiB"))
