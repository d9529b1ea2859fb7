"""The Debian package: `cpack -G DEB` in the test tree (what scripts/package.sh
runs after building) gives shoal_<version>_amd64.deb; installed into a scratch
root with dpkg-deb -x, its binary serves, and it carries a man page, an
example config, /etc/default/shoal (a conffile) and a systemd unit that
nothing enables.
"""

import glob
import os
import re
import subprocess
import tempfile
import unittest

import boto3

from shoal_server import ShoalServer, binary_path


class DebianPackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tree = os.path.dirname(os.path.abspath(binary_path()))
        for old in glob.glob(os.path.join(cls.tree, "shoal_*.deb")):
            os.remove(old)
        subprocess.run(["cpack", "-G", "DEB"], cwd=cls.tree, check=True, stdout=subprocess.DEVNULL)
        debs = glob.glob(os.path.join(cls.tree, "shoal_*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]
        cls.root = tempfile.TemporaryDirectory()
        subprocess.run(["dpkg-deb", "-x", cls.deb, cls.root.name], check=True)

    @classmethod
    def tearDownClass(cls):
        cls.root.cleanup()

    def field(self, name):
        return subprocess.run(["dpkg-deb", "-f", self.deb, name], capture_output=True, text=True,
                              check=True).stdout.strip()

    def test_named_and_described_as_debian_expects(self):
        self.assertRegex(os.path.basename(self.deb), r"^shoal_\d+\.\d+\.\d+_amd64\.deb$")
        self.assertEqual(self.field("Package"), "shoal")
        self.assertEqual(self.field("Architecture"), "amd64")
        self.assertRegex(self.field("Depends"), r"^libc6 \(>= [\d.]+\)$")  # everything else is linked in

    def test_installed_binary_serves(self):
        binary = os.path.join(self.root.name, "usr", "bin", "shoal")
        with ShoalServer(binary=binary) as server:
            sqs = boto3.session.Session().client("sqs", endpoint_url=server.endpoint, region_name="us-east-1",
                                                 aws_access_key_id="test", aws_secret_access_key="test")
            url = sqs.create_queue(QueueName="from-the-package")["QueueUrl"]
            self.assertTrue(url.endswith("/000000000000/from-the-package"))

    def test_man_page_is_the_help_text(self):
        with open(os.path.join(self.root.name, "usr", "share", "man", "man1", "shoal.1")) as f:
            page = f.read()
        self.assertTrue(page.startswith(".TH SHOAL 1"))
        for flag in ("--port", "--data-dir", "--config"):
            self.assertIn(flag, page)

    def test_config_example_and_service_unit_installed_but_not_enabled(self):
        root = self.root.name
        self.assertTrue(os.path.exists(os.path.join(root, "usr/share/doc/shoal/examples/shoal-config.yaml")))
        with open(os.path.join(root, "usr/lib/systemd/system/shoal.service")) as f:
            unit = f.read()
        self.assertIn("ExecStart=/usr/bin/shoal", unit)
        self.assertIn("EnvironmentFile=-/etc/default/shoal", unit)
        # Nothing links it into a target, and no maintainer script enables it.
        self.assertEqual(glob.glob(os.path.join(root, "etc/systemd/system/*.wants/*")), [])
        scripts = subprocess.run(["dpkg-deb", "-I", self.deb], capture_output=True, text=True, check=True).stdout
        self.assertNotRegex(scripts, r"\bpostinst\b")
        with tempfile.TemporaryDirectory() as control:
            subprocess.run(["dpkg-deb", "-e", self.deb, control], check=True)
            with open(os.path.join(control, "conffiles")) as f:
                self.assertEqual(f.read().split(), ["/etc/default/shoal"])
        with open(os.path.join(root, "etc/default/shoal")) as f:
            self.assertRegex(f.read(), re.compile(r"^#SHOAL_DATA_DIR=", re.M))


if __name__ == "__main__":
    unittest.main()
