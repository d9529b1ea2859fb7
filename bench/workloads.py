"""The workloads of issue 5, each run against a fresh server so one workload's
leftovers (memory, queued items) never slow the next.

Single requests go through wrk (lua/*.lua, prefixed by lua/sdk_headers.lua and
followed by lua/report.lua); multi-step workloads through shoal_bench_driver.
Both print a RESULT line; every step has a time limit.
"""
import dataclasses
import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from report import Figure, Row

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "lua")
KIB = 1024


@dataclass
class Settings:
    wrk: str
    driver: str
    seconds: int           # each wrk run
    items: int             # messages / records for drains and memory figures, for shoal
    long_poll_rounds: int
    time_limit_s: float    # each driver step


class StepFailed(Exception):
    pass


# -- talking to a server --------------------------------------------------------

def aws_call(port, service, action, body, timeout=30):
    sqs = service == "sqs"
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/x-amz-json-1.0" if sqs else "application/x-amz-json-1.1",
                 "X-Amz-Target": ("AmazonSQS." if sqs else "Kinesis_20131202.") + action,
                 "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
                 # moto routes by the service in the credential scope
                 "Authorization": f"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, "
                                  "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        raise StepFailed(f"{action} answered {e.code}: {e.read()[:200]!r}") from None


def create_queue(server, name, fifo=False):
    attributes = {"FifoQueue": "true"} if fifo else {}
    return aws_call(server.port, "sqs", "CreateQueue", {"QueueName": name, "Attributes": attributes})["QueueUrl"]


def create_stream(server, name, shards=4):
    """Creates the stream and waits (at most 30 s) until it is ACTIVE, as kinesalite needs."""
    aws_call(server.port, "kinesis", "CreateStream", {"StreamName": name, "ShardCount": shards})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        summary = aws_call(server.port, "kinesis", "DescribeStreamSummary", {"StreamName": name})
        if summary["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE":
            return
        time.sleep(0.05)
    raise StepFailed(f"stream {name} did not become ACTIVE within 30 s")


def parse_result(text):
    for line in text.splitlines():
        if line.startswith("RESULT"):
            return {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    return None


def wrk(settings, port, script, connections, env):
    merged = os.path.join(tempfile.gettempdir(), f"shoal-bench-{os.getpid()}-{script}")
    with open(merged, "w") as out:
        for part in ("sdk_headers.lua", script, "report.lua"):
            with open(os.path.join(LUA, part)) as f:
                out.write(f.read() + "\n")
    try:
        cmd = [settings.wrk, "-t", "1", "-c", str(connections), "-d", f"{settings.seconds}s", "--timeout", "10s",
               "-s", merged, f"http://127.0.0.1:{port}/"]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=settings.seconds + 30,
                             env={**os.environ, **env})
    finally:
        os.unlink(merged)
    result = parse_result(res.stdout)
    if result is None:
        raise StepFailed(f"wrk printed no RESULT: {(res.stdout + res.stderr).strip()[-300:]}")
    return result


def driver(settings, port, workload, **flags):
    cmd = [settings.driver, workload, "--port", str(port), "--time-limit-s", str(settings.time_limit_s)]
    for key, value in flags.items():
        cmd += ["--" + key.replace("_", "-"), str(value)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=settings.time_limit_s + 60)
    result = parse_result(res.stdout)
    if result is None:
        raise StepFailed(f"driver {workload} printed no RESULT: {res.stderr.strip()[-300:]}")
    if res.stderr.strip():
        print(f"    ({workload}: {res.stderr.strip().splitlines()[0][:200]})")
    return result


def row(workload, server, r, items_per_call=None, note="", latency_row=False, seconds=None):
    items_s = r.get("items_s")
    if items_s is None and items_per_call:
        items_s = r["ops"] * items_per_call
    if r["ops"] == 0 and seconds:
        note = f"no answer within the {seconds} s run" + ("; " + note if note else "")
    return Row(workload, server.label, r["ops"], r["p50_ms"], r["p99_ms"], int(r["errors"]), items_s,
               latency_row, note)


def moved_note(r, expected, unit):
    moved = int(r.get("items", 0))
    size = f"{expected // 1000}k" if expected >= 1000 else str(expected)
    if moved < expected:
        return f"{size} {unit}; moved only {moved:,}"
    return f"{size} {unit}"


# -- the workloads, one fresh server each -----------------------------------------

W_SEND = "SQS SendMessage 256 B c{}"
W_SEND_BATCH = "SQS SendMessageBatch 10x256 B c16"
W_DRAIN = "SQS drain: Receive(10)+DeleteBatch c8"
W_FIFO_SEND = "SQS FIFO SendMessageBatch, 10 groups"
W_FIFO_DRAIN = "SQS FIFO drain, 10 groups, c16"
W_LONG_POLL = "SQS long-poll wake-up (send -> answer)"
W_PUT = "Kinesis PutRecord 1 KiB c{}"
W_PUTS = "Kinesis PutRecords 500x1 KiB c4"
W_GET_DRAIN = "Kinesis GetRecords drain, 4 shards"
F_STARTUP = "start-up until the port answers"
F_IDLE = "idle RSS"
F_SQS_RSS = "RSS with {} x 1 KiB messages queued"
F_KINESIS_RSS = "RSS with {} x 1 KiB records stored"
F_SQS_PER_ITEM = "RSS growth per 1 KiB message queued"
F_KINESIS_PER_ITEM = "RSS growth per 1 KiB record stored"
F_RECOVERY = "recovery of a large log until the port answers"
F_DISK_SQS = "disk per 256 B message stored (--data-dir)"
F_DISK_KINESIS = "disk per 1 KiB record stored (--data-dir)"
RECOVERY_MESSAGES = 1_000_000
RECOVERY_FILL_S = 60


def startup(server, report, tries):
    """Median start-up of a few fresh starts; idle RSS half a second after the last."""
    times = []
    for i in range(tries):
        with server:
            times.append(server.startup_s * 1000)
            if i == tries - 1:
                time.sleep(0.5)
                idle = server.rss_mib()
    report.add_figure(Figure(F_STARTUP, server.label, statistics.median(times), "ms", f"median of {tries}"))
    report.add_figure(Figure(F_IDLE, server.label, idle, "MiB"))


def sqs_requests(server, settings, report, ceiling=False):
    with server:
        url = "http://127.0.0.1/000000000000/bench" if ceiling else create_queue(server, "bench")
        for c in (1, 16, 64):
            report.add_row(row(W_SEND.format(c), server,
                               wrk(settings, server.port, "sqs_send_message.lua", c, {"QUEUE_URL": url}),
                               seconds=settings.seconds))
        report.add_row(row(W_SEND_BATCH, server,
                           wrk(settings, server.port, "sqs_send_message_batch.lua", 16, {"QUEUE_URL": url}),
                           items_per_call=10, note="items: messages", seconds=settings.seconds))


def sqs_drains(server, settings, report, items, long_poll_rounds):
    with server:
        url = create_queue(server, "drain")
        driver(settings, server.port, "sqs-fill", queue_url=url, count=items, size_bytes=256, connections=4)
        r = driver(settings, server.port, "sqs-drain", queue_url=url, count=items, connections=8)
        report.add_row(row(W_DRAIN, server, r, note=moved_note(r, items, "messages pre-filled")))

        url = create_queue(server, "drain.fifo", fifo=True)
        r = driver(settings, server.port, "sqs-fill", queue_url=url, count=items, size_bytes=256, groups=10)
        report.add_row(row(W_FIFO_SEND, server, r, note=moved_note(r, items, "messages")))
        r = driver(settings, server.port, "sqs-drain", queue_url=url, count=items, connections=16, groups=10)
        note = moved_note(r, items, "messages") + f"; out of group order: {int(r.get('out_of_order', 0))}"
        report.add_row(row(W_FIFO_DRAIN, server, r, note=note))

        url = create_queue(server, "poll")
        r = driver(settings, server.port, "sqs-long-poll", queue_url=url, rounds=long_poll_rounds, pause_ms=20)
        report.add_row(row(W_LONG_POLL, server, r, latency_row=True,
                           note=f"{int(r['calls'])} wake-ups timed; ops/s: rounds"))


def sqs_memory(server, settings, report, items):
    with server:
        url = create_queue(server, "memory")
        before = server.rss_mib()
        r = driver(settings, server.port, "sqs-fill", queue_url=url, count=items, size_bytes=KIB, connections=4)
        time.sleep(0.5)
        for figure in memory_figures(F_SQS_RSS, F_SQS_PER_ITEM, server, items, before, r):
            report.add_figure(figure)


def memory_figures(name, per_item_name, server, items, before, r):
    """RSS after the fill, and RSS growth per item, which compares across counts."""
    after = server.rss_mib()
    stored = int(r.get("items", 0))
    payload_mib = stored * KIB / (1 << 20)
    ratio = f"{after / payload_mib:.2f}x payload" if payload_mib else "nothing stored"
    count = f"{items // 1000}k" if items >= 1000 else str(items)
    figures = [Figure(name.format(count), server.label, after, "MiB",
                      f"{ratio}; +{after - before:,.1f} MiB over idle; fill {r.get('items_s', 0):,.0f} items/s")]
    if stored:
        figures.append(Figure(per_item_name, server.label, (after - before) * 1024 / stored, "KiB",
                              f"over {count} items"))
    return figures


def kinesis_requests(server, settings, report, ceiling=False):
    with server:
        if not ceiling:
            create_stream(server, "bench")
        for c in (1, 16):
            report.add_row(row(W_PUT.format(c), server,
                               wrk(settings, server.port, "kinesis_put_record.lua", c, {"STREAM": "bench"}),
                               seconds=settings.seconds))
        report.add_row(row(W_PUTS, server, wrk(settings, server.port, "kinesis_put_records.lua", 4, {"STREAM": "bench"}),
                           items_per_call=500, note="items: records", seconds=settings.seconds))


def kinesis_drain(server, settings, report, items):
    """Fills a 4-shard stream (the RSS figure) then drains it with GetRecords."""
    with server:
        create_stream(server, "drain")
        before = server.rss_mib()
        fill = driver(settings, server.port, "kinesis-fill", stream="drain", count=items, size_bytes=KIB,
                      connections=4)
        time.sleep(0.5)
        for figure in memory_figures(F_KINESIS_RSS, F_KINESIS_PER_ITEM, server, items, before, fill):
            report.add_figure(figure)
        r = driver(settings, server.port, "kinesis-drain", stream="drain", count=int(fill.get("items", items)))
        report.add_row(row(W_GET_DRAIN, server, r, note=moved_note(r, items, "records of 1 KiB")))


def durable(server, settings, report):
    """The write workloads with --data-dir and --fsync always, compared with in-memory shoal."""
    with server:
        url = create_queue(server, "bench")
        report.add_row(row(W_SEND.format(16), server,
                           wrk(settings, server.port, "sqs_send_message.lua", 16, {"QUEUE_URL": url}),
                           note="vs in-memory shoal", seconds=settings.seconds))
        create_stream(server, "bench")
        report.add_row(row(W_PUTS, server, wrk(settings, server.port, "kinesis_put_records.lua", 4, {"STREAM": "bench"}),
                           items_per_call=500, note="items: records; vs in-memory shoal", seconds=settings.seconds))


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def queue_depth(server, url):
    attrs = aws_call(server.port, "sqs", "GetQueueAttributes",
                     {"QueueUrl": url, "AttributeNames": ["ApproximateNumberOfMessages"]})
    return int(attrs["Attributes"]["ApproximateNumberOfMessages"])


def recovery(make_server, settings, report, messages=RECOVERY_MESSAGES, fill_s=RECOVERY_FILL_S):
    """Prefills a --data-dir server with up to `messages` 256 B messages (at most
    fill_s seconds of SendMessageBatch from the driver), stops it, and times a
    fresh start until its port answers, then checks every message is back.
    Also the data dir's bytes per message stored, and per 1 KiB Kinesis record.
    make_server(data_dir) returns a server using that data dir."""
    with tempfile.TemporaryDirectory(prefix="shoal-bench-recovery-") as data_dir:
        server = make_server(data_dir)
        with server:
            url = create_queue(server, "recovery")
            fill = driver(dataclasses.replace(settings, time_limit_s=fill_s), server.port, "sqs-fill",
                          queue_url=url, count=messages, size_bytes=256, connections=8)
            stored = queue_depth(server, url)
        log_bytes = dir_bytes(data_dir)
        count = f"{stored / 1e6:.2f}M" if stored >= 1_000_000 else f"{stored // 1000}k"
        with server:  # a fresh process on the same data dir: replays it before it listens
            recovered = queue_depth(server, url)
            ms = server.startup_s * 1000
        note = (f"{count} x 256 B messages, {log_bytes / (1 << 20):,.0f} MiB on disk; "
                f"fill {fill.get('items_s', 0):,.0f} msg/s")
        if stored < messages:
            note += f" (fill capped at {fill_s} s)"
        if recovered != stored:
            note += f"; only {recovered:,} of {stored:,} back"
        report.add_figure(Figure(F_RECOVERY, server.label, ms, "ms", note))
        if stored:
            report.add_figure(Figure(F_DISK_SQS, server.label, log_bytes / stored, "B",
                                     f"{log_bytes:,} B / {stored:,} messages"))

    with tempfile.TemporaryDirectory(prefix="shoal-bench-disk-") as data_dir:
        server = make_server(data_dir)
        records = min(settings.items, 200_000)
        with server:
            create_stream(server, "disk")
            fill = driver(dataclasses.replace(settings, time_limit_s=30), server.port, "kinesis-fill",
                          stream="disk", count=records, size_bytes=KIB, connections=4)
        stored = int(fill.get("items", 0))
        log_bytes = dir_bytes(data_dir)
        if stored:
            report.add_figure(Figure(F_DISK_KINESIS, server.label, log_bytes / stored, "B",
                                     f"{log_bytes:,} B / {stored:,} records"))
