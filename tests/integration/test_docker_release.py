"""The Docker image's recipe, exercised without a Docker engine. The image
ships docker/build-release.sh's binary, which scripts/build.sh configures
exactly like the test tree, so this checks the test tree's binary (stripped,
as the image has it) instead of building a third tree: it needs nothing but
glibc (all the distroless run stage has), it starts as the image starts it
(the Dockerfile's ENV, ENTRYPOINT and CMD; only the port is moved), in
memory unless a data directory is asked for, passes the HEALTHCHECK command,
and compose.yaml's settings give queue URLs an app container can use.
"""

import os
import re
import shlex
import subprocess
import tempfile
import time
import unittest

import boto3
from botocore.config import Config

from shoal_server import ShoalServer, binary_path, free_port, stop_checked

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DOCKER = os.path.join(ROOT, "docker")
# What the run stage (gcr.io/distroless/base-nossl-debian12) provides: glibc.
GLIBC = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "ld-linux-x86-64.so.2"}
IMAGE_BINARY = "/usr/local/bin/shoal"


def dockerfile():
    with open(os.path.join(DOCKER, "Dockerfile")) as f:
        text = f.read()
    return re.sub(r"\\\n", " ", text)  # join continued lines


def instruction(text, name, stage=-1):
    """Arguments of the last `name` instruction in the given build stage."""
    stages = re.split(r"^FROM ", text, flags=re.M)[1:]
    found = re.findall(r"^%s\s+(.*)$" % name, stages[stage], re.M)
    return found[-1].strip() if found else None


def exec_form(args):
    import json
    return json.loads(args)


def image_env(text):
    env = {}
    for line in re.findall(r"^ENV\s+(.*)$", text.split("\nFROM ")[-1], re.M):
        for item in shlex.split(line):
            key, _, value = item.partition("=")
            env[key] = value
    return env


def sqs_client(endpoint):
    return boto3.session.Session().client(
        "sqs", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))


class DockerReleaseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tree = os.path.dirname(os.path.abspath(binary_path()))
        cls.stripped = tempfile.TemporaryDirectory()
        cls.binary = os.path.join(cls.stripped.name, "shoal-release")
        subprocess.run(["strip", "--strip-all", "-o", cls.binary, binary_path()], check=True)
        cls.dockerfile = dockerfile()
        cls.env = image_env(cls.dockerfile)

    @classmethod
    def tearDownClass(cls):
        cls.stripped.cleanup()

    def start_like_the_image(self, **overrides):
        """The image's ENTRYPOINT + CMD with its ENV; the port and data
        directory moved to what this machine has free."""
        command = exec_form(instruction(self.dockerfile, "ENTRYPOINT")) + exec_form(instruction(self.dockerfile, "CMD"))
        self.assertEqual(command[0], IMAGE_BINARY)
        env = dict(self.env)
        env["SHOAL_PORT"] = str(free_port())
        env.update(overrides)
        if "SHOAL_DATA_DIR" in env:  # the container's volume, moved here
            data = tempfile.TemporaryDirectory()
            self.addCleanup(data.cleanup)
            env["SHOAL_DATA_DIR"] = data.name
        server = ShoalServer(*command[1:], binary=self.binary, env=env)
        began = time.monotonic()
        server.start()
        self.startup_ms = (time.monotonic() - began) * 1000
        self.addCleanup(server.kill)
        return server, env

    def healthcheck(self, env):
        args = exec_form(re.sub(r"^(--\S+\s+)*CMD\s+", "", instruction(self.dockerfile, "HEALTHCHECK")))
        self.assertEqual(args[0], IMAGE_BINARY)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SHOAL_")}
        full_env.update(env)
        return subprocess.run([self.binary] + args[1:], env=full_env, capture_output=True, text=True, timeout=30)

    def test_build_stage_runs_the_same_script_and_ships_its_output(self):
        run = [r for r in re.findall(r"^RUN\s+(.*)$", self.dockerfile, re.M) if "build-release.sh" in r]
        self.assertEqual(len(run), 1)
        out_dir = re.search(r"docker/build-release\.sh\s+(\S+)", run[0]).group(1)
        self.assertRegex(self.dockerfile, r"COPY --from=build %s/shoal-release %s" % (re.escape(out_dir), IMAGE_BINARY))
        # build-release.sh builds with scripts/build.sh, as the test tree is built.
        with open(os.path.join(DOCKER, "build-release.sh")) as f:
            self.assertRegex(f.read(), r'\n[^#\n]*"\$src/scripts/build\.sh" shoal\n')

    def test_tree_is_configured_as_the_image_build(self):
        with open(os.path.join(self.tree, "CMakeCache.txt")) as f:
            cache = dict(re.findall(r"^(\w+):\w+=(.*)$", f.read(), re.M))
        self.assertEqual(cache.get("CMAKE_BUILD_TYPE"), "Release")
        self.assertEqual(cache.get("SHOAL_STATIC_RELEASE"), "ON")

    def test_binary_needs_only_glibc_and_is_small(self):
        dynamic = subprocess.run(["readelf", "-d", self.binary], capture_output=True, text=True, check=True).stdout
        needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic))
        self.assertTrue(needed, dynamic)
        self.assertLessEqual(needed, GLIBC, "the distroless run stage has only glibc")
        size_mb = os.path.getsize(self.binary) / 1e6
        print("\nrelease binary %.1f MB" % size_mb)
        self.assertLess(size_mb, 30)

    def test_runs_as_the_image_does_and_passes_its_healthcheck(self):
        server, env = self.start_like_the_image()
        self.assertEqual(server.host, "0.0.0.0")  # reachable through Docker's port mapping
        self.assertIn("(in memory,", server.stderr_text())  # no volume asked for, none used
        print("\nstart-up to listening: %.0f ms" % self.startup_ms)
        self.assertLess(self.startup_ms, 2000)
        sqs = sqs_client("http://127.0.0.1:%d" % server.port)
        sqs.create_queue(QueueName="image-check")
        checked = self.healthcheck(env)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        self.assertIn("healthy", checked.stdout)
        stop_checked(server)
        checked = self.healthcheck(env)
        self.assertEqual(checked.returncode, 1, checked.stdout)
        self.assertIn("unhealthy", checked.stderr)

    def test_compose_settings_give_urls_the_app_container_can_use(self):
        import yaml
        with open(os.path.join(DOCKER, "compose.yaml")) as f:
            compose = yaml.safe_load(f)
        service = compose["services"]["shoal"]
        env = {k: str(v) for k, v in service["environment"].items()}
        mounts = dict(v.split(":")[:2][::-1] for v in service["volumes"] if v.startswith("./"))
        env["SHOAL_CONFIG"] = os.path.join(DOCKER, mounts[env["SHOAL_CONFIG"]])
        server, _ = self.start_like_the_image(**env)
        self.assertIn("SHOAL_ADVERTISED_HOST", env)
        sqs = sqs_client("http://127.0.0.1:%d" % server.port)
        app_endpoint = compose["services"]["app"]["environment"]["AWS_ENDPOINT_URL"]
        for name in ("orders", env["SQS_QUEUES"]):  # from the mounted file and the variable
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
            self.assertEqual(url, "%s/000000000000/%s" % (app_endpoint, name))
        self.assertIn("--queue-name orders", " ".join(compose["services"]["app"]["command"]))
        stop_checked(server)


if __name__ == "__main__":
    unittest.main()
