"""A small h2c client for the benchmark: one connection by prior knowledge,
many streams, over tests/integration/h2_frames.py (raw frames, HPACK literals;
the server's HPACK is never decoded). A reader thread acknowledges SETTINGS
and PING, keeps both flow-control windows open (a WINDOW_UPDATE for the
connection and the stream as each DATA frame arrives, as an SDK consuming the
bytes does) and hands every frame to its stream. request() may be called from
any thread; each Stream is filled by the reader thread only.
"""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import h2_frames as h2  # noqa: E402

# HPACK's static table index 8 is ":status: 200"; nghttp2 always sends it indexed
# (one byte 0x88), so the first byte of an answer's header block tells 200 apart
# without decoding HPACK.
STATUS_200 = 0x88


class Stream:
    """One request's answer: its header block, its DATA (unless on_data takes
    it), whether it ended or was reset."""

    def __init__(self, stream_id, on_data=None):
        self.id = stream_id
        self.on_data = on_data  # on_data(payload, perf_counter) in the reader thread
        self.header_block = b""
        self.body = bytearray()
        self.reset = None       # RST_STREAM error code
        self.ended = threading.Event()

    @property
    def status_ok(self):
        return self.header_block[:1] == bytes([STATUS_200])


class Connection:
    def __init__(self, port, host="127.0.0.1"):
        self.conn = h2.RawConnection(host, port, timeout=10)
        self.conn.sock.settimeout(None)  # the reader waits as long as a subscription stays quiet
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.authority = f"{host}:{port}"
        self.lock = threading.Lock()  # frames leave whole and in stream-id order
        self.next_id = 1
        self.streams = {}
        self.closed = threading.Event()
        self.goaway = None
        self.conn.start()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def request(self, headers, body, on_data=None):
        """POST / with these extra (name, value) headers; returns its Stream."""
        pairs = [(":method", "POST"), (":scheme", "http"), (":path", "/"), (":authority", self.authority),
                 ("content-length", str(len(body)))] + list(headers)
        with self.lock:
            stream = Stream(self.next_id, on_data)
            self.next_id += 2
            self.streams[stream.id] = stream
            self.conn.send(h2.request_frames(stream.id, pairs, body))
        return stream

    def _send(self, data):
        try:
            with self.lock:
                self.conn.send(data)
        except OSError:
            pass  # closing: the reader sees EOF next

    def _read(self):
        try:
            while True:
                f = self.conn.read_frame()
                if f is None:
                    break
                now = time.perf_counter()
                kind, flags, stream_id, payload = f
                if kind == h2.SETTINGS and not flags & h2.ACK:
                    self._send(h2.frame(h2.SETTINGS, h2.ACK, 0))
                elif kind == h2.PING and not flags & h2.ACK:
                    self._send(h2.frame(h2.PING, h2.ACK, 0, payload))
                elif kind == h2.GOAWAY:
                    self.goaway = h2.goaway_error(payload)
                elif stream_id in self.streams:
                    self._stream_frame(self.streams[stream_id], kind, flags, payload, now)
        except OSError:
            pass  # close() shut the socket down
        finally:
            self.closed.set()
            for stream in list(self.streams.values()):
                stream.ended.set()

    def _stream_frame(self, stream, kind, flags, payload, now):
        if kind in (h2.HEADERS, h2.CONTINUATION) and not stream.body:
            stream.header_block += payload
        elif kind == h2.DATA and payload:
            # Give the window back before handing the bytes on: the server may
            # send the next event while this one is decoded.
            update = h2.window_update(0, len(payload))
            if not flags & h2.END_STREAM:
                update += h2.window_update(stream.id, len(payload))
            self._send(update)
            if stream.on_data:
                stream.on_data(payload, now)
            else:
                stream.body += payload
        elif kind == h2.RST_STREAM:
            stream.reset = int.from_bytes(payload[:4], "big")
            flags |= h2.END_STREAM
        if flags & h2.END_STREAM and kind in (h2.HEADERS, h2.DATA, h2.RST_STREAM):
            stream.ended.set()
            with self.lock:
                self.streams.pop(stream.id, None)

    def close(self):
        try:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.reader.join(timeout=5)
        self.conn.close()
