"""Start the built shoal binary on a free port for integration tests.

    with ShoalServer() as server:            # --port 0: the server picks a free port
        client = boto3.client("sqs", endpoint_url=server.endpoint, ...)
        ...
    # leaving the block sends SIGTERM and waits; the process never outlives the test

The binary comes from $SHOAL_BINARY (CTest sets it), else build/shoal of this checkout.
The real port is read from the server's start-up line on stderr
("shoal 0.1.0 listening on 127.0.0.1:PORT (...)"), so there is no bind race.
Stdlib only.
"""

import atexit
import os
import re
import signal
import socket
import subprocess
import threading
import time
import unittest

DEFAULT_BINARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "shoal")
_LISTENING = re.compile(r"listening on (\S+):(\d+)")

# Every process started here, so a crashed test run still kills them on exit.
_live = set()


def _kill_strays():
    for proc in list(_live):
        if proc.poll() is None:
            proc.kill()
            proc.wait()


atexit.register(_kill_strays)


def binary_path():
    return os.environ.get("SHOAL_BINARY", DEFAULT_BINARY)


def free_port():
    """A port that was free a moment ago (for tests that must choose one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ShoalServer:
    """One shoal process. Usable as a context manager.

    extra_args: more command-line flags (e.g. "--threads", "1").
    env: variables added to the inherited environment (SHOAL_* from the
        caller's environment are dropped first so tests are deterministic).
    port: pass --port PORT; default: --port 0 unless extra_args or env set one.
    """

    def __init__(self, *extra_args, env=None, port=None, binary=None, startup_timeout=10.0):
        self.binary = binary or binary_path()
        self.extra_args = [str(a) for a in extra_args]
        self.env_overrides = dict(env or {})
        self.requested_port = port
        self.startup_timeout = startup_timeout
        self.proc = None
        self.host = None
        self.port = None
        self._stderr_lines = []
        self._stderr_lock = threading.Lock()
        self._reader = None

    # -- lifecycle ---------------------------------------------------------

    def start(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOAL_")}
        env.update(self.env_overrides)
        args = [self.binary] + self.extra_args
        if self.requested_port is not None:
            args += ["--port", str(self.requested_port)]
        elif "--port" not in self.extra_args and "SHOAL_PORT" not in env:
            args += ["--port", "0"]
        self.proc = subprocess.Popen(
            args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, errors="replace")
        _live.add(self.proc)
        started = threading.Event()
        self._reader = threading.Thread(target=self._read_stderr, args=(started,), daemon=True)
        self._reader.start()
        try:
            if not started.wait(self.startup_timeout) or self.port is None:
                raise RuntimeError("shoal did not report a listening port within %.1fs; "
                                   "exit=%s stderr:\n%s" % (self.startup_timeout, self.proc.poll(),
                                                            self.stderr_text()))
            self._wait_until_answering()
        except BaseException:
            self.kill()
            raise
        return self

    def stop(self, timeout=10.0):
        """SIGTERM, wait, return the exit code. Kills and raises if it hangs."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise TimeoutError("shoal did not exit within %.1fs of SIGTERM; stderr:\n%s"
                                   % (timeout, self.stderr_text()))
        self._finish()
        return self.proc.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._finish()

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        try:
            self.stop()
        finally:
            self.kill()  # no-op unless stop() failed
        return False

    # -- accessors ---------------------------------------------------------

    @property
    def endpoint(self):
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "http://%s:%d" % (host, self.port)

    def advance_clock(self, seconds):
        """Moves the emulator's clock forward (POST /_shoal/clock/advance):
        visibility timeouts, delays and expiries run out without a real wait."""
        import urllib.request
        req = urllib.request.Request("%s/_shoal/clock/advance?milliseconds=%d" % (self.endpoint, round(seconds * 1000)),
                                     data=b"", method="POST")
        with urllib.request.urlopen(req, timeout=10) as resp:
            if resp.status != 200:
                raise AssertionError("clock advance answered %d" % resp.status)

    def wait_parked(self, count, timeout=10.0):
        """Waits until at least `count` long polls are parked (/_shoal/health)."""
        import json
        import urllib.request
        deadline = time.monotonic() + timeout
        while True:
            with urllib.request.urlopen(self.endpoint + "/_shoal/health", timeout=10) as resp:
                if json.loads(resp.read())["parked_long_polls"] >= count:
                    return
            if time.monotonic() > deadline:
                raise AssertionError("fewer than %d long polls parked after %.0f s" % (count, timeout))
            time.sleep(0.01)

    def stderr_text(self):
        with self._stderr_lock:
            return "".join(self._stderr_lines)

    def connect(self, timeout=5.0):
        """A raw TCP socket to the server (caller closes it)."""
        return socket.create_connection((self.host, self.port), timeout=timeout)

    # -- internals ---------------------------------------------------------

    def _read_stderr(self, started):
        for line in self.proc.stderr:
            with self._stderr_lock:
                self._stderr_lines.append(line)
            if not started.is_set():
                m = _LISTENING.search(line)
                if m:
                    self.host, self.port = m.group(1), int(m.group(2))
                    started.set()
        started.set()  # EOF: the process is gone; start() reports it

    def _wait_until_answering(self):
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("shoal exited with %s during start-up; stderr:\n%s"
                                   % (self.proc.returncode, self.stderr_text()))
            try:
                socket.create_connection((self.host, self.port), timeout=1.0).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _finish(self):
        if self.proc is not None:
            _live.discard(self.proc)
            if self._reader is not None:
                self._reader.join(2.0)
            if self.proc.stderr is not None and not self.proc.stderr.closed:
                try:
                    self.proc.stderr.close()
                except OSError:
                    pass


def stop_checked(server):
    """Stops the server and fails loudly unless it exited 0 (a graceful shutdown)."""
    code = server.stop()
    if code != 0:
        raise AssertionError("shoal exited with %s; stderr:\n%s" % (code, server.stderr_text()))


class ServerTestCase(unittest.TestCase):
    """One server per test class, started before its first test; the class
    fails if the server does not shut down cleanly afterwards. server_args:
    flags for that server."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = ShoalServer(*cls.server_args)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        stop_checked(cls.server)
