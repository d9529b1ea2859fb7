"""What open web consoles cost the hot path: SQS SendMessage c16 (wrk, as in
the SQS single-request rows) with no console open, then with N pollers doing
what an open console does, alternated (and which goes first, too) so drift
hits both sides alike.

A poller requests what the console's page requests once a second while a
queue's view is open: GET /_shoal/overview for its account and region (the
peek runs only when the view opens or on a click). Each round runs both sides;
the row of each side is its median round by ops/s. Shoal only.
"""
import os
import statistics
import threading
import time
import urllib.request

from workloads import create_queue, row, wrk

W_CONSOLES = "SQS SendMessage 256 B c16, {} consoles open"
POLL_S = 1.0


def _poller(port, stop, latencies):
    url = f"http://127.0.0.1:{port}/_shoal/overview?account=000000000000&region=us-east-1"
    while not stop.is_set():
        began = time.monotonic()
        with urllib.request.urlopen(url, timeout=10) as r:
            r.read()
        took = time.monotonic() - began
        latencies.append(took * 1000)
        stop.wait(max(0.0, POLL_S - took))


def _cpu_ms(pid):
    """User + system CPU time of a process so far, in ms."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _overview_cpu_us(server, polls=500):
    """Server CPU per overview poll, measured alone: a figure the machine's noise cannot swamp."""
    url = f"http://127.0.0.1:{server.port}/_shoal/overview?account=000000000000&region=us-east-1"
    before = _cpu_ms(server.proc.pid)
    for _ in range(polls):
        with urllib.request.urlopen(url, timeout=10) as r:
            r.read()
    return (_cpu_ms(server.proc.pid) - before) * 1000 / polls


def console_polling(server, settings, report, consoles=3, rounds=5):
    with server:
        url = create_queue(server, "bench")
        cpu_us = _overview_cpu_us(server)
        runs = {0: [], consoles: []}
        latencies = []
        for i in range(rounds):
            # Which side goes first alternates too: a run is not slowed or sped by its place in a round.
            for n in ((0, consoles) if i % 2 == 0 else (consoles, 0)):
                stop = threading.Event()
                threads = [threading.Thread(target=_poller, args=(server.port, stop, latencies), daemon=True)
                           for _ in range(n)]
                for t in threads:
                    t.start()
                try:
                    runs[n].append(wrk(settings, server.port, "sqs_send_message.lua", 16, {"QUEUE_URL": url}))
                finally:
                    stop.set()
                    for t in threads:
                        t.join(timeout=15)
        base = statistics.median(r["ops"] for r in runs[0])
        for n in (0, consoles):
            median = sorted(runs[n], key=lambda r: r["ops"])[len(runs[n]) // 2]
            note = f"median of {rounds} alternated runs"
            if n:
                p50 = statistics.median(latencies) if latencies else 0.0
                note += (f"; {median['ops'] / base * 100:.1f}% of the rate with none; "
                         f"{len(latencies)} overview polls, p50 {p50:.2f} ms, "
                         f"{cpu_us:.0f} us of server CPU each")
            report.add_row(row(W_CONSOLES.format(n), server, median, note=note, seconds=settings.seconds))
