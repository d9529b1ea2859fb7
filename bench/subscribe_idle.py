"""RSS of idle SubscribeToShard subscriptions, over HTTP/1.1 (one connection
each) or h2c (up to 100 streams per connection, the server's
SETTINGS_MAX_CONCURRENT_STREAMS). A subscription is one (consumer, shard)
pair and a stream takes at most 20 consumers, so N subscriptions use N / 20
one-shard streams of 20 consumers each. Figures: RSS of the fresh server,
after that setup, with the N subscriptions open (all answered with their
initial-response and counted by /_shoal/health), after the clients
disconnect (health back to 0: a subscriber that leaves is freed), and with
them open again in later cycles (glibc keeps freed memory, so RSS does not
drop; it must not climb either).

Clients keep reading while the figures are taken (the empty keep-alive events
every 5 s), as an idle SDK does. bench/subscribe.py --idle N calls run().
"""
import json
import resource
import selectors
import socket
import threading
import time
import urllib.request

import h2c_client
import peers
import workloads
from subscribe import h2_headers, headers, subscribe_body

CONSUMERS_PER_STREAM = 20  # AWS's (and Shoal's) limit of consumers per stream
STREAMS_PER_H2_CONNECTION = 100


def raise_fd_limit(wanted):
    """Client sockets plus the server's (it inherits the limit when started after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard),
                                                    hard))


def subscriptions(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_shoal/health", timeout=10) as r:
        return json.loads(r.read())["kinesis_subscriptions"]


def wait_subscriptions(port, wanted, timeout):
    """Seconds until /_shoal/health counts `wanted` (polling a counter, not a timer)."""
    start = time.monotonic()
    while True:
        seen = subscriptions(port)
        if seen == wanted:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise workloads.StepFailed(f"kinesis_subscriptions is {seen}, not {wanted}, after {timeout} s")
        time.sleep(0.05)


def settled_rss(server):
    """RSS once the server has had a moment to finish what it was doing."""
    time.sleep(0.5)
    return peers.rss_mib(server.proc.pid)


def create_consumers(port, count):
    """count consumer ARNs, CONSUMERS_PER_STREAM per one-shard stream."""
    arns = []
    for s in range((count + CONSUMERS_PER_STREAM - 1) // CONSUMERS_PER_STREAM):
        name = f"idle-{s}"
        workloads.aws_call(port, "kinesis", "CreateStream", {"StreamName": name, "ShardCount": 1})
        stream_arn = workloads.aws_call(port, "kinesis", "DescribeStreamSummary", {"StreamName": name})[
            "StreamDescriptionSummary"]["StreamARN"]
        for c in range(min(CONSUMERS_PER_STREAM, count - len(arns))):
            arns.append(workloads.aws_call(port, "kinesis", "RegisterStreamConsumer",
                                           {"StreamARN": stream_arn, "ConsumerName": f"c{c}"})
                        ["Consumer"]["ConsumerARN"])
    return arns


class Http1Subscriptions:
    """One raw socket per subscription; one thread drains them all."""

    def __init__(self, port, arns):
        self.socks = []
        self.selector = selectors.DefaultSelector()
        for arn in arns:
            body = subscribe_body(arn)
            head = "".join(f"{k}: {v}\r\n" for k, v in headers("SubscribeToShard").items())
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{head}Content-Length: {len(body)}\r\n\r\n"
                      .encode() + body)
            got = b""
            while b"initial-response" not in got:
                chunk = s.recv(65536)
                if not chunk:
                    raise workloads.StepFailed(f"subscription {len(self.socks)} closed: {got[:200]!r}")
                got += chunk
            if not got.startswith(b"HTTP/1.1 200"):
                raise workloads.StepFailed(f"SubscribeToShard answered {got[:200]!r}")
            s.setblocking(False)
            self.selector.register(s, selectors.EVENT_READ)
            self.socks.append(s)
        self.stop = False
        self.drainer = threading.Thread(target=self._drain, daemon=True)
        self.drainer.start()

    def _drain(self):
        while not self.stop:
            for key, _ in self.selector.select(timeout=0.2):
                try:
                    key.fileobj.recv(65536)
                except OSError:
                    pass

    def close(self):
        self.stop = True
        self.drainer.join(timeout=5)
        for s in self.socks:
            self.selector.unregister(s)
            s.close()
        self.selector.close()


class H2Subscriptions:
    """STREAMS_PER_H2_CONNECTION subscriptions per h2c connection; each
    connection's reader drains them and keeps the windows open."""

    def __init__(self, port, arns):
        self.conns = []
        for at in range(0, len(arns), STREAMS_PER_H2_CONNECTION):
            conn = h2c_client.Connection(port)
            self.conns.append(conn)
            waits = []
            for arn in arns[at:at + STREAMS_PER_H2_CONNECTION]:
                first = threading.Event()
                waits.append(first)
                conn.request(h2_headers("SubscribeToShard"), subscribe_body(arn),
                             on_data=lambda payload, now, first=first: first.set())
            for n, first in enumerate(waits):
                if not first.wait(30):
                    raise workloads.StepFailed(f"h2c subscription {at + n}: no event within 30 s "
                                               f"(GOAWAY {conn.goaway}, closed {conn.closed.is_set()})")

    def close(self):
        for conn in self.conns:
            conn.close()


def open_and_close(server, arns, opener):
    """Opens every subscription, waits for the count, takes the RSS, closes
    them all and waits for the count to drop back: (rss, open s, freed s)."""
    started = time.monotonic()
    subs = opener(server.port, arns)
    try:
        open_s = time.monotonic() - started
        wait_subscriptions(server.port, len(arns), 30)
        rss = settled_rss(server)
    finally:
        subs.close()
    return rss, open_s, wait_subscriptions(server.port, 0, 30)


def run(server, count, protocol, cycles=3):
    """RSS in MiB of a fresh (not yet started) server: fresh, setup, open (with
    the subscriptions), closed (after the first disconnect), reopened (RSS
    with them open in each later cycle: level if what was freed is reused,
    rising if something leaks); per_subscription_kib, and the seconds the
    server took to open and to free them the first time."""
    raise_fd_limit(count + 1024)
    opener = Http1Subscriptions if protocol == "HTTP/1.1" else H2Subscriptions
    with server:
        out = {"fresh": settled_rss(server)}
        arns = create_consumers(server.port, count)
        out["setup"] = settled_rss(server)
        out["open"], out["open_s"], out["freed_s"] = open_and_close(server, arns, opener)
        out["closed"] = settled_rss(server)
        out["reopened"] = [open_and_close(server, arns, opener)[0] for _ in range(cycles - 1)]
    out["per_subscription_kib"] = (out["open"] - out["setup"]) * 1024 / count
    return out
