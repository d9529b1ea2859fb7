#!/usr/bin/env python3
"""Memory per stored item: RSS growth of a fresh Shoal over its idle figure.

The same fills as run.py's memory rows (the C++ driver: SendMessageBatch of
10 x 1 KiB bodies on 4 connections into one standard queue; PutRecords of
500 x 1 KiB into a 4-shard stream), on its own, with more detail: bytes per
item and the ratio to the payload, optionally repeated and under a given
environment (to compare malloc settings) or extra server flags.

    python3 bench/memory.py                         # 100k messages, 100k records
    python3 bench/memory.py --env MALLOC_ARENA_MAX=1 --repeat 3
    python3 bench/memory.py --only sqs --items 20000 --server-args "--threads 1"

A measurement, not a test: it prints figures and never fails on them.
"""
import argparse
import os
import shlex
import statistics
import sys
import time

import peers
import workloads

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "..", "build")
KIB = workloads.KIB


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def settle(server):
    """RSS once it stopped moving (at most 2 s): freed pages may be returned late."""
    last = rss_kib(server.proc.pid)
    for _ in range(20):
        time.sleep(0.1)
        now = rss_kib(server.proc.pid)
        if now == last:
            break
        last = now
    return last


def measure(server, settings, service, items):
    """Bytes of RSS growth per item stored, and how many items were stored."""
    with server:
        if service == "sqs":
            url = workloads.create_queue(server, "memory")
            before = settle(server)
            r = workloads.driver(settings, server.port, "sqs-fill", queue_url=url, count=items, size_bytes=KIB,
                                 connections=4)
        else:
            workloads.create_stream(server, "memory")
            before = settle(server)
            r = workloads.driver(settings, server.port, "kinesis-fill", stream="memory", count=items,
                                 size_bytes=KIB, connections=4)
        after = settle(server)
        stored = int(r.get("items", 0))
        if stored == 0:
            raise workloads.StepFailed(f"{service}: nothing stored")
        return (after - before) * 1024 / stored, stored, before, after


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=1, help="fresh servers per figure; the median is reported")
    ap.add_argument("--only", choices=("sqs", "kinesis"))
    ap.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server's environment")
    ap.add_argument("--server-args", default="", help="extra shoal flags, e.g. \"--threads 1\"")
    ap.add_argument("--binary", default=os.path.join(BUILD, "shoal"))
    ap.add_argument("--driver", default=os.path.join(BUILD, "bench", "shoal_bench_driver"))
    args = ap.parse_args()
    if not os.access(args.driver, os.X_OK):
        sys.exit(f"bench: {args.driver} is missing: cmake --build build --target shoal_bench_driver")
    for kv in args.env:
        key, _, value = kv.partition("=")
        os.environ[key] = value  # Shoal's server passes every non-SHOAL_ variable on
    settings = workloads.Settings(wrk="", driver=args.driver, seconds=0, items=args.items, long_poll_rounds=0,
                                  time_limit_s=120)
    server = peers.Shoal(os.path.abspath(args.binary), shlex.split(args.server_args))
    label = " ".join(args.env + [args.server_args]).strip() or "default"
    for service in ("sqs", "kinesis"):
        if args.only and service != args.only:
            continue
        per_item = []
        for _ in range(args.repeat):
            b, stored, before, after = measure(server, settings, service, args.items)
            per_item.append(b)
            print(f"  {service}: {stored} items, RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB, "
                  f"{b:,.0f} B/item", flush=True)
        m = statistics.median(per_item)
        unit = "message" if service == "sqs" else "record"
        print(f"{service} [{label}]: {m:,.0f} bytes per 1 KiB {unit} = {m / KIB:.2f}x payload "
              f"(median of {len(per_item)})", flush=True)


if __name__ == "__main__":
    main()
