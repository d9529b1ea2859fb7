"""Shared pieces for the Kinesis integration tests: a server with immediate
status transitions (when the binary has the delay flags), a boto3 client,
raw JSON 1.1 requests, AWS's hash-key arithmetic computed independently, and
small waits that poll instead of sleeping.

Facts about AWS used here (hash-key split, message wording, account in the
not-found message) come from AWS's documentation and from recordings of real
AWS (kinesalite's test suite, LocalStack snapshots); no code was copied.
"""

import functools
import hashlib
import http.client
import json
import subprocess
import time
import uuid

import boto3
from botocore.config import Config

from shoal_server import ShoalServer, binary_path, stop_checked

KEY = "AKIAIOSFODNN7EXAMPLE"  # not 12 digits: account 000000000000
ACCOUNT = "000000000000"
REGION = "us-east-1"
JSON_CT = "application/x-amz-json-1.1"
CBOR_CT = "application/x-amz-cbor-1.1"
TARGET_PREFIX = "Kinesis_20131202."
HASH_SPACE = 2 ** 128
MAX_HASH = HASH_SPACE - 1

DELAY_FLAGS = ("--kinesis-create-delay-ms", "--kinesis-delete-delay-ms", "--kinesis-update-delay-ms",
               "--kinesis-consumer-delay-ms")


@functools.lru_cache(maxsize=None)
def help_text():
    try:
        out = subprocess.run([binary_path(), "--help"], capture_output=True, text=True, timeout=10)
        return out.stdout + out.stderr
    except (OSError, subprocess.TimeoutExpired):
        return ""


def has_flag(flag):
    return flag in help_text()


def fast_flags():
    """The delay flags set to 0, for those the binary knows."""
    args = []
    for flag in DELAY_FLAGS:
        if has_flag(flag):
            args += [flag, "0"]
    return args


def start_server(*extra_args, **kwargs):
    server = ShoalServer(*fast_flags(), *extra_args, **kwargs)
    server.start()
    return server


stop_server = stop_checked


def kinesis_client(endpoint, key=KEY, region=REGION):
    return boto3.session.Session().client(
        "kinesis", endpoint_url=endpoint, region_name=region,
        aws_access_key_id=key, aws_secret_access_key="secret",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1},
                      connect_timeout=5, read_timeout=30))


def unique_name(prefix="s"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


def stream_arn(name, account=ACCOUNT, region=REGION):
    return "arn:aws:kinesis:%s:%s:stream/%s" % (region, account, name)


def not_found_message(name, account=ACCOUNT):
    return "Stream %s under account %s not found." % (name, account)


# -- AWS's hash-key arithmetic, computed independently --------------------

def expected_ranges(n):
    """(start, end) per shard as AWS splits 0..2^128-1 over n new shards."""
    size = HASH_SPACE // n
    ranges = [(i * size, (i + 1) * size - 1) for i in range(n)]
    ranges[-1] = (ranges[-1][0], MAX_HASH)
    return ranges


def partition_hash(key):
    return int.from_bytes(hashlib.md5(key.encode("utf-8")).digest(), "big")


def shard_range(shard):
    r = shard["HashKeyRange"]
    return int(r["StartingHashKey"]), int(r["EndingHashKey"])


def is_open(shard):
    return "EndingSequenceNumber" not in shard["SequenceNumberRange"]


def owner_shard(shards, hash_key):
    """The open shard whose hash-key range holds hash_key."""
    owners = [s["ShardId"] for s in shards if is_open(s) and shard_range(s)[0] <= hash_key <= shard_range(s)[1]]
    assert len(owners) == 1, (hash_key, owners)
    return owners[0]


def shard_id(index):
    return "shardId-%012d" % index


# -- waiting ---------------------------------------------------------------

def wait_for(predicate, timeout=10.0, interval=0.02, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1fs waiting for %s" % (timeout, what))
        time.sleep(interval)


def pass_second_boundary(margin=0.05):
    """Sleep past the next whole second and return it as a UTC datetime.

    boto3 sends JSON timestamps as whole epoch seconds (botocore truncates),
    so a boto3 test that needs "a time between two events" uses a second
    boundary: events before this call happened before it, events after it
    happen at least margin seconds later.
    """
    import datetime
    import math
    boundary = math.ceil(time.time() + 0.001)
    while time.time() < boundary + margin:
        time.sleep(boundary + margin - time.time())
    return datetime.datetime.fromtimestamp(boundary, datetime.timezone.utc)


def wait_active(client, name, timeout=10.0):
    def active():
        d = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        return d if d["StreamStatus"] == "ACTIVE" else None
    return wait_for(active, timeout, what="stream %s ACTIVE" % name)


def wait_gone(client, name, timeout=10.0):
    def gone():
        try:
            client.describe_stream_summary(StreamName=name)
            return False
        except client.exceptions.ResourceNotFoundException:
            return True
    return wait_for(gone, timeout, what="stream %s deleted" % name)


def create_stream(client, name=None, shards=1, **kwargs):
    """Create a stream, wait until ACTIVE, return its name."""
    name = name or unique_name()
    if shards is not None and "StreamModeDetails" not in kwargs:
        kwargs["ShardCount"] = shards
    client.create_stream(StreamName=name, **kwargs)
    wait_active(client, name)
    return name


def list_all_shards(client, name):
    shards, kwargs = [], {"StreamName": name}
    while True:
        page = client.list_shards(**kwargs)
        shards += page["Shards"]
        if not page.get("NextToken"):
            return shards
        kwargs = {"NextToken": page["NextToken"]}


# -- raw HTTP ----------------------------------------------------------------

def auth_header(key=KEY, region=REGION):
    return ("AWS4-HMAC-SHA256 Credential=%s/20240101/%s/kinesis/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=%s" % (key, region, "0" * 64))


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)

    @property
    def error_type(self):
        """The __type short name (after '#'), or None."""
        try:
            t = self.json().get("__type")
        except ValueError:
            return None
        return t.rsplit("#", 1)[-1] if t else None

    def __repr__(self):
        return "Reply(%d, %r)" % (self.status, self.body[:500])


def raw_request(server, action=None, body=b"{}", content_type=JSON_CT, target=None,
                extra_headers=None, method="POST", path="/", authorization=True, timeout=30):
    headers = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if target is not None:
        headers["X-Amz-Target"] = target
    elif action is not None:
        headers["X-Amz-Target"] = TARGET_PREFIX + action
    if authorization:
        headers["Authorization"] = auth_header()
        headers["X-Amz-Date"] = "20240101T000000Z"
    headers.update(extra_headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return Reply(resp.status, resp.getheaders(), resp.read())
    finally:
        conn.close()


def error_of(cm):
    """(code, message, http status) of a botocore ClientError caught by assertRaises."""
    resp = cm.exception.response
    return resp["Error"].get("Code"), resp["Error"].get("Message"), resp["ResponseMetadata"]["HTTPStatusCode"]
