"""The servers the benchmark measures: Shoal, and the peers present on this machine.

Each Server starts a fresh process on a free port (start() returns once the port
answers, timing it), reports its RSS, and stops it (SIGTERM, then SIGKILL). A
peer that is missing or fails to start is skipped with the reason printed.
kinesalite and kinesis-local are installed by npm into bench/.peers/ on first use.
"""
import importlib.metadata
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS_DIR = os.path.join(HERE, ".peers")
NODE_MODULES = os.path.join(PEERS_DIR, "node_modules")
NPM_PACKAGES = ["kinesalite@3.3.3", "kinesis-local@0.6.2"]


class Unavailable(Exception):
    """This server cannot be measured here; the message says why."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise Unavailable(f"exited with status {proc.returncode} before its port opened")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.002)
    raise Unavailable(f"port {port} did not open within {timeout:.0f} s")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """One kind of server. Subclasses say how to launch it and what it serves."""
    kind = "?"
    services = ()          # "sqs", "kinesis", "ceiling"
    startup_timeout = 30.0

    def __init__(self):
        self.proc = None
        self.port = None
        self.startup_s = None
        self.label = self.kind

    def command(self, port):
        raise NotImplementedError

    def environment(self, port):
        return dict(os.environ)

    def cwd(self):
        return None

    def start(self):
        self.port = free_port()
        begin = time.monotonic()
        self.proc = subprocess.Popen(self.command(self.port), cwd=self.cwd(), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env=self.environment(self.port))
        try:
            wait_port(self.port, self.proc, self.startup_timeout)
        except Unavailable:
            self.stop()
            raise
        self.startup_s = time.monotonic() - begin
        return self

    def rss_mib(self):
        return rss_mib(self.proc.pid)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class Shoal(Server):
    kind = "shoal"
    services = ("sqs", "kinesis")

    def __init__(self, binary, extra_args=(), label="shoal"):
        super().__init__()
        if not os.access(binary, os.X_OK):
            raise Unavailable(f"{binary} is missing: build it first (cmake --build build --target shoal)")
        self.binary = binary
        self.extra_args = list(extra_args)
        self.label = label

    def command(self, port):
        return [self.binary, "--port", str(port), *self.extra_args]

    def environment(self, port):
        return {k: v for k, v in os.environ.items() if not k.startswith("SHOAL_")}  # flags only

    def accepts(self, flag):
        out = subprocess.run([self.binary, "--help"], capture_output=True, text=True, timeout=10)
        return flag in out.stdout + out.stderr


class Moto(Server):
    kind = "moto"
    services = ("sqs", "kinesis")

    def __init__(self):
        super().__init__()
        if not shutil.which("moto_server"):
            raise Unavailable("moto_server is not on PATH (pip install 'moto[server]')")
        try:
            self.label = f"moto {importlib.metadata.version('moto')}"
        except importlib.metadata.PackageNotFoundError:
            self.label = "moto"

    def command(self, port):
        return ["moto_server", "-p", str(port)]


def install_node_peers(log):
    """npm-installs kinesalite and kinesis-local into bench/.peers once."""
    wanted = [p.rsplit("@", 1)[0] for p in NPM_PACKAGES]
    if all(os.path.isdir(os.path.join(NODE_MODULES, p)) for p in wanted):
        return
    if not shutil.which("npm") or not shutil.which("node"):
        log("kinesalite, kinesis-local: skipped, node and npm are missing (apt-get install nodejs npm)")
        return
    os.makedirs(PEERS_DIR, exist_ok=True)
    log(f"installing {' '.join(NPM_PACKAGES)} into {PEERS_DIR} ...")
    try:
        res = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", PEERS_DIR, *NPM_PACKAGES],
                             capture_output=True, text=True, timeout=300)
        if res.returncode != 0:
            log(f"npm install failed: {res.stderr.strip()[-500:]}")
    except subprocess.TimeoutExpired:
        log("npm install did not finish within 300 s")


def _node_package(name):
    path = os.path.join(NODE_MODULES, name)
    if not os.path.isdir(path) or not shutil.which("node"):
        raise Unavailable(f"not installed in {NODE_MODULES} (npm install failed or node is missing)")
    with open(os.path.join(path, "package.json")) as f:
        return path, json.load(f)["version"]


class Kinesalite(Server):
    kind = "kinesalite"
    services = ("kinesis",)

    def __init__(self):
        super().__init__()
        self.path, version = _node_package("kinesalite")
        self.label = f"kinesalite {version}"

    def command(self, port):
        # In memory; streams ACTIVE at once like shoal's default.
        return ["node", os.path.join(self.path, "cli.js"), "--port", str(port), "--createStreamMs", "0",
                "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "1000"]


class KinesisLocal(Server):
    """kinesis-mock's Node build, published on npm as kinesis-local."""
    kind = "kinesis-local"
    services = ("kinesis",)

    def __init__(self):
        super().__init__()
        self.path, version = _node_package("kinesis-local")
        self.label = f"kinesis-local {version}"

    def command(self, port):
        return ["node", os.path.join(self.path, "main.js")]

    def cwd(self):
        return self.path  # it reads its TLS certificate, server.json, from the working directory

    def environment(self, port):
        return {**os.environ, "KINESIS_MOCK_PLAIN_PORT": str(port), "KINESIS_MOCK_TLS_PORT": str(free_port()),
                "CREATE_STREAM_DURATION": "0ms", "LOG_LEVEL": "ERROR", "SHARD_LIMIT": "1000"}


class Nginx(Server):
    """The ceiling: nginx answering a fixed 200 to the same POSTs."""
    kind = "nginx"
    services = ("ceiling",)

    def __init__(self):
        super().__init__()
        self.binary = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
        if not self.binary:
            raise Unavailable("nginx is not installed (apt-get install nginx-light)")
        self.label = "nginx (fixed 200)"
        self.prefix = None

    def command(self, port):
        self.prefix = tempfile.mkdtemp(prefix="shoal-bench-nginx-")
        with open(os.path.join(HERE, "nginx.conf")) as f:
            conf = f.read().replace("__PORT__", str(port)).replace("__PREFIX__", self.prefix)
        path = os.path.join(self.prefix, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        return [self.binary, "-p", self.prefix, "-c", path]

    def stop(self):
        super().stop()
        if self.prefix:
            shutil.rmtree(self.prefix, ignore_errors=True)
