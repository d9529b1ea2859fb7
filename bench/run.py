#!/usr/bin/env python3
"""Side-by-side benchmark: Shoal against the peers present on this machine.

One command measures every workload of issue 5 on Shoal, then on nginx (a fixed
200: the ceiling for single requests), moto, kinesalite and kinesis-local, each
on fresh processes, and prints one table with the ratios of this run. A
benchmark, not a test: it never fails on a number. Every step is bounded in time.

    python3 bench/run.py            # about 10 minutes
    python3 bench/run.py --quick    # about 2 minutes, smaller counts, 1 s per wrk run
    python3 bench/run.py --servers shoal --steps recovery   # one step (about 2 minutes)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import console_load
import http2
import peers
import workloads
from report import Report

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "..", "build")
ALL_SERVERS = ("shoal", "nginx", "moto", "kinesalite", "kinesis-local")
# recovery: shoal only, with --data-dir: restart time over a 1M-message log, disk per message and record.
# consoles: shoal only, SendMessage c16 with 0 and 3 web consoles polling (console_load.py).
ALL_STEPS = ("startup", "sqs-requests", "sqs-drains", "sqs-memory", "kinesis-requests", "kinesis-drain",
             "durable", "recovery", "http2", "consoles")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a ~2 minute smoke run with small counts")
    ap.add_argument("--seconds", type=int, help="seconds per wrk run (default 5, quick 1)")
    ap.add_argument("--items", type=int, help="messages/records for shoal's drains and memory figures (100000)")
    ap.add_argument("--binary", default=os.path.join(BUILD, "shoal"))
    ap.add_argument("--driver", default=os.path.join(BUILD, "bench", "shoal_bench_driver"))
    ap.add_argument("--servers", default=",".join(ALL_SERVERS), help="comma-separated subset of " + ",".join(ALL_SERVERS))
    ap.add_argument("--steps", default=",".join(ALL_STEPS),
                    help="comma-separated subset of " + ",".join(ALL_STEPS) + " (each server runs those it has)")
    return ap.parse_args()


# The --steps name of each step label used below.
STEP_OF = {"start-up": "startup", "SQS single requests": "sqs-requests", "SQS ceiling": "sqs-requests",
           "SQS drains": "sqs-drains", "SQS memory": "sqs-memory", "Kinesis single requests": "kinesis-requests",
           "Kinesis ceiling": "kinesis-requests", "Kinesis drain": "kinesis-drain", "durable writes": "durable",
           "recovery and disk": "recovery", "HTTP/2 throughput": "http2", "HTTP/2 idle connections": "http2",
           "open consoles": "consoles"}


def main():
    args = parse_args()
    quick = args.quick
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("bench: wrk is missing: apt-get install wrk (Debian's wrk, with LuaJIT)")
    if not os.access(args.driver, os.X_OK):
        sys.exit(f"bench: {args.driver} is missing: cmake --build build --target shoal_bench_driver")
    items = args.items or (10_000 if quick else 100_000)
    settings = workloads.Settings(wrk=wrk, driver=args.driver, seconds=args.seconds or (1 if quick else 5),
                                  items=items, long_poll_rounds=20 if quick else 200,
                                  time_limit_s=30 if quick else 90)
    # The peers are orders of magnitude slower: smaller counts (named in each row's
    # note) keep the run bounded. moto's SQS answers a few batches a second under load.
    moto_sqs_items = 100 if quick else 500
    peer_items = {"moto": 500 if quick else 2_000, "kinesalite": 2_000 if quick else 20_000,
                  "kinesis-local": 300 if quick else 2_000}
    tries = 1 if quick else 3
    wanted = set(args.servers.split(","))
    report = Report()
    began = time.monotonic()

    steps = set(args.steps.split(","))
    if steps - set(ALL_STEPS):
        sys.exit(f"bench: unknown steps {','.join(sorted(steps - set(ALL_STEPS)))}; known: {','.join(ALL_STEPS)}")

    def step(label, fn, *fn_args):
        name = STEP_OF[label]
        if name not in steps:
            return
        try:
            fn(*fn_args)
        except (peers.Unavailable, workloads.StepFailed, subprocess.TimeoutExpired, OSError, KeyError,
                ValueError) as e:
            print(f"  {label}: skipped: {type(e).__name__}: {e}", flush=True)

    def make(factory, *factory_args):
        try:
            return factory(*factory_args)
        except peers.Unavailable as e:
            print(f"  {factory.kind}: skipped: {e}", flush=True)
            return None

    if "shoal" in wanted and (shoal := make(peers.Shoal, os.path.abspath(args.binary))):
        print("shoal", flush=True)
        step("start-up", workloads.startup, shoal, report, tries)
        step("SQS single requests", workloads.sqs_requests, shoal, settings, report)
        step("SQS drains", workloads.sqs_drains, shoal, settings, report, items, settings.long_poll_rounds)
        step("SQS memory", workloads.sqs_memory, shoal, settings, report, items)
        step("Kinesis single requests", workloads.kinesis_requests, shoal, settings, report)
        step("Kinesis drain", workloads.kinesis_drain, shoal, settings, report, items)
        if "http2" in steps and not http2.h2load_available():
            print("  HTTP/2 rows: skipped, h2load is missing (apt-get install nghttp2-client)", flush=True)
        elif "http2" in steps:
            step("HTTP/2 throughput", http2.throughput, shoal, settings, report)
            step("HTTP/2 idle connections", http2.idle_connections, shoal, settings, report)
        step("open consoles", console_load.console_polling, shoal, settings, report)
        if steps & {"durable", "recovery"} and not shoal.accepts("--data-dir"):
            print("  durable rows: skipped, this build has no --data-dir", flush=True)
        elif steps & {"durable", "recovery"}:
            with tempfile.TemporaryDirectory(prefix="shoal-bench-data-") as data_dir:
                flags = ["--data-dir", data_dir] + (["--fsync", "always"] if shoal.accepts("--fsync") else [])
                durable = peers.Shoal(shoal.binary, flags, label="shoal " + " ".join(flags[2:] or ["--data-dir"]))
                step("durable writes", workloads.durable, durable, settings, report)

            def on_data_dir(data_dir):
                # fsync every 100 ms: the prefill is about volume, and recovery reads what was written either way.
                return peers.Shoal(shoal.binary, ["--data-dir", data_dir, "--fsync", "interval"],
                                   label="shoal --data-dir")
            step("recovery and disk", workloads.recovery, on_data_dir, settings, report)

    if "nginx" in wanted and (nginx := make(peers.Nginx)):
        print(nginx.label, flush=True)
        step("SQS ceiling", workloads.sqs_requests, nginx, settings, report, True)
        step("Kinesis ceiling", workloads.kinesis_requests, nginx, settings, report, True)

    if "moto" in wanted and (moto := make(peers.Moto)):
        print(moto.label, flush=True)
        step("start-up", workloads.startup, moto, report, tries)
        step("SQS single requests", workloads.sqs_requests, moto, settings, report)
        step("SQS drains", workloads.sqs_drains, moto, settings, report, moto_sqs_items, 10 if quick else 50)
        step("SQS memory", workloads.sqs_memory, moto, settings, report, moto_sqs_items)
        step("Kinesis single requests", workloads.kinesis_requests, moto, settings, report)
        step("Kinesis drain", workloads.kinesis_drain, moto, settings, report, peer_items["moto"])

    if wanted & {"kinesalite", "kinesis-local"}:
        peers.install_node_peers(lambda line: print(line, flush=True))
    for kind, factory in (("kinesalite", peers.Kinesalite), ("kinesis-local", peers.KinesisLocal)):
        if kind in wanted and (peer := make(factory)):
            print(peer.label, flush=True)
            step("start-up", workloads.startup, peer, report, tries)
            step("Kinesis single requests", workloads.kinesis_requests, peer, settings, report)
            step("Kinesis drain", workloads.kinesis_drain, peer, settings, report, peer_items[kind])

    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, `python3 bench/run.py {' '.join(sys.argv[1:])}`"
          f" ({time.monotonic() - began:.0f} s{', quick: small counts' if quick else ''}; "
          "load driver on the same machine)\n")
    print(report.markdown())


if __name__ == "__main__":
    main()
