"""Helpers for the control-endpoint integration tests: a tiny JSON client for
/_shoal/... (stdlib only) and boto3 clients pointed at a ShoalServer."""

import json
import time
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

KEY = "AKIAIOSFODNN7EXAMPLE"  # not 12 digits: account 000000000000
REGION = "us-east-1"


def client(service, endpoint, attempts=1, key=KEY, read_timeout=30):
    return boto3.session.Session().client(
        service, endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=key, aws_secret_access_key="secret",
        config=Config(retries={"mode": "standard", "total_max_attempts": attempts},
                      connect_timeout=5, read_timeout=read_timeout))


def call(server, method, path, body=None, headers=None):
    """(status, parsed JSON or text, headers) of one control request."""
    data = None
    hdrs = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    req = urllib.request.Request(server.endpoint + path, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, raw, got = resp.status, resp.read().decode(), resp.headers
    except urllib.error.HTTPError as e:
        status, raw, got = e.code, e.read().decode(), e.headers
    content_type = got.get("Content-Type", "")
    return status, (json.loads(raw) if "json" in content_type else raw), got


def ok(server, method, path, body=None, headers=None):
    status, parsed, _ = call(server, method, path, body, headers)
    if status != 200:
        raise AssertionError("%s %s answered %s: %s" % (method, path, status, parsed))
    return parsed


def wait_until(condition, timeout=5.0):
    """Polls a condition the server reaches on its own (not a timeout wait)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached within %.1fs" % timeout)
        time.sleep(0.01)
