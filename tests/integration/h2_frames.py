"""A raw HTTP/2 client side for protocol tests: frames written byte by byte
(RFC 9113 section 4), header blocks as HPACK literals without indexing (RFC
7541 6.2.2), so a test can send what no well-behaved client library would (a
broken preface, an oversized frame, a huge header list) and stop reading when
it likes. It never decodes the server's HPACK: tests look at frame types,
error codes and DATA. Stdlib only."""

import socket
import struct

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0, 1, 3, 4, 6, 7, 8, 9
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4
NO_ERROR, PROTOCOL_ERROR, FRAME_SIZE_ERROR = 0, 1, 6
SETTINGS_INITIAL_WINDOW_SIZE = 4


def frame(kind, flags, stream_id, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream_id) + payload


def settings(**values):
    ids = {"initial_window_size": SETTINGS_INITIAL_WINDOW_SIZE}
    return frame(SETTINGS, 0, 0, b"".join(struct.pack(">HI", ids[k], v) for k, v in values.items()))


def window_update(stream_id, increment):
    return frame(WINDOW_UPDATE, 0, stream_id, struct.pack(">I", increment))


def _integer(value, prefix_bits, first=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first | value])
    out = bytearray([first | limit])
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _string(text):
    raw = text.encode() if isinstance(text, str) else text
    return _integer(len(raw), 7) + raw


def header_block(pairs):
    """HPACK: each (name, value) a literal without indexing, new name."""
    return b"".join(b"\x00" + _string(name) + _string(value) for name, value in pairs)


def request_frames(stream_id, pairs, body=b"", max_frame=16384):
    """HEADERS (+ CONTINUATION) and DATA frames of one request."""
    block = header_block(pairs)
    chunks = [block[i:i + max_frame] for i in range(0, len(block), max_frame)] or [b""]
    out = []
    for i, chunk in enumerate(chunks):
        flags = END_HEADERS if i == len(chunks) - 1 else 0
        if i == 0 and not body:
            flags |= END_STREAM
        out.append(frame(HEADERS if i == 0 else CONTINUATION, flags, stream_id, chunk))
    for i in range(0, len(body), max_frame):
        last = i + max_frame >= len(body)
        out.append(frame(DATA, END_STREAM if last else 0, stream_id, body[i:i + max_frame]))
    return b"".join(out)


class RawConnection:
    """One TCP connection; read_frame() returns (type, flags, stream, payload),
    or None at EOF."""

    def __init__(self, host, port, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buffer = b""

    def send(self, data):
        self.sock.sendall(data)

    def start(self, **setting_values):
        self.send(PREFACE + settings(**setting_values))

    def _fill(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                return False
            self.buffer += chunk
        return True

    def read_frame(self):
        if not self._fill(9):
            return None
        length = int.from_bytes(self.buffer[:3], "big")
        if not self._fill(9 + length):
            return None
        kind, flags = self.buffer[3], self.buffer[4]
        stream_id = int.from_bytes(self.buffer[5:9], "big") & 0x7FFFFFFF
        payload = self.buffer[9:9 + length]
        self.buffer = self.buffer[9 + length:]
        return kind, flags, stream_id, payload

    def frames_until(self, predicate):
        """Reads frames (acknowledging SETTINGS) until predicate(frame) or EOF;
        returns them all."""
        seen = []
        while True:
            f = self.read_frame()
            if f is None:
                return seen
            seen.append(f)
            if f[0] == SETTINGS and not f[1] & ACK:
                try:
                    self.send(frame(SETTINGS, ACK, 0))
                except OSError:
                    pass  # the server may have closed already (after a GOAWAY still unread)
            if predicate(f):
                return seen

    def close(self):
        self.sock.close()


def goaway_error(payload):
    return struct.unpack(">II", payload[:8])[1]
