"""The README's examples, run as printed. Each shell block the README marks
with `<!-- readme-test: NAME [after=A,B] -->` is taken from README.md itself
(so the two cannot drift) and run with bash -e against a fresh server, in one
shell after the blocks it names, as a reader pastes them; the only change is
the port (127.0.0.1:4566 becomes the test server's). curl fails on an HTTP
error status, as a reader would notice one.

Clients: the current ones on PATH (boto3 >= 1.28, AWS CLI), and Debian 12's
own (python3-boto3 1.26 under /usr/bin/python3, awscli 2.9 as /usr/bin/aws),
which ignore AWS_ENDPOINT_URL: blocks that rely on it run with current
clients only.
"""

import os
import re
import subprocess
import tempfile
import time
import unittest

from shoal_server import ShoalServer

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MARKER = re.compile(r"^<!-- readme-test: (\S+)((?: \w+=\S+)*) -->\n```sh\n(.*?)^```$", re.M | re.S)
# Blocks that need a client reading AWS_ENDPOINT_URL.
CURRENT_CLIENTS_ONLY = {"use-env"}
DEBIAN_PYTHON = "/usr/bin/python3"
DEBIAN_AWS = "/usr/bin/aws"
PRELUDE = "curl() { command curl --fail-with-body -sS \"$@\"; }\n"


def readme_blocks():
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    blocks = {}
    for name, options, body in MARKER.findall(text):
        opts = dict(o.split("=", 1) for o in options.split())
        after = [a for a in opts.get("after", "").split(",") if a]
        blocks[name] = (after, body)
    return blocks


def debian_bin():
    """A directory whose python3 and aws are Debian's packaged clients."""
    d = tempfile.TemporaryDirectory()
    os.symlink(DEBIAN_PYTHON, os.path.join(d.name, "python3"))
    os.symlink(DEBIAN_AWS, os.path.join(d.name, "aws"))
    return d


class ReadmeExamplesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.blocks = readme_blocks()

    def run_block(self, name, path_prefix=None):
        after, _ = self.blocks[name]
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env["HOME"] = tempfile.mkdtemp()  # no ~/.aws of the machine's
        if path_prefix:
            env["PATH"] = path_prefix + os.pathsep + env["PATH"]
        with ShoalServer() as server:
            script = "".join(self.blocks[step][1] for step in after + [name])
            script = script.replace("127.0.0.1:4566", "127.0.0.1:%d" % server.port)
            run = subprocess.run(["bash", "-e", "-c", PRELUDE + script], env=env, capture_output=True, text=True,
                                 timeout=120)
            self.assertEqual(run.returncode, 0, "README blocks %r failed:\n%s\n%s" % (after + [name], run.stdout,
                                                                                     run.stderr))
            return run.stdout

    def test_every_marked_block_runs_with_current_clients(self):
        self.assertGreaterEqual(set(self.blocks), {"use", "use-env", "control", "clock", "peek", "faults"})
        for name in self.blocks:
            with self.subTest(block=name):
                out = self.run_block(name)
                if name == "use":
                    self.assertRegex(out, r"http://127\.0\.0\.1:\d+/000000000000/jobs")
                if name == "peek":
                    self.assertIn('"Counts"', out)

    @unittest.skipUnless(os.path.exists(DEBIAN_PYTHON) and os.path.exists(DEBIAN_AWS),
                         "Debian's python3-boto3 and awscli are not installed (scripts/install-deps.sh installs them)")
    def test_blocks_run_with_debian_clients(self):
        bin_dir = debian_bin()
        self.addCleanup(bin_dir.cleanup)
        for name in self.blocks:
            if name in CURRENT_CLIENTS_ONLY:
                continue
            with self.subTest(block=name):
                out = self.run_block(name, path_prefix=bin_dir.name)
                if name == "use":
                    self.assertRegex(out, r"http://127\.0\.0\.1:\d+/000000000000/jobs")

    def test_startup_prints_a_line_to_paste(self):
        with ShoalServer() as server:
            deadline = time.monotonic() + 5
            line = []
            while not line and time.monotonic() < deadline:  # stderr is read by a thread
                line = [l for l in server.stderr_text().splitlines() if "export AWS_ENDPOINT_URL" in l]
                time.sleep(0.01)
            self.assertEqual(line, ["shoal: export AWS_ENDPOINT_URL=http://127.0.0.1:%d AWS_ACCESS_KEY_ID=test "
                                    "AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1" % server.port])


if __name__ == "__main__":
    unittest.main()
