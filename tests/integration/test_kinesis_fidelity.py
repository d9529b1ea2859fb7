"""Kinesis answers that other projects' AWS-verified tests expect (issue 15),
with boto3 over JSON, the CBOR helper and raw HTTP against the real binary:
UpdateShardCount's shard totals and layouts, refusals for ON_DEMAND streams
and closed shards, DeleteStream of a DELETING stream, the order in which
unknown streams and shards are reported, the casing of error messages,
CBOR error bodies, empty bodies for operations without output, the answers
to requests that cannot be routed, and consumer tags and resource policies.

Where the expectations come from: moto's test_update_shard_count (totals
"verified against AWS") and its SplitShard / ON_DEMAND wording; kinesalite's
test suite, recorded against AWS (connection tests, Message casing,
"Could not find shard", empty bodies); LocalStack's AWS-validated snapshot of
a CBOR error. No code was copied.
"""

import json
import shutil
import tempfile
import unittest

from botocore.exceptions import ClientError

from control_client import ok
from kinesis_cbor import decode, encode
from kinesis_helpers import (ACCOUNT, CBOR_CT, JSON_CT, MAX_HASH, create_stream, error_of, expected_ranges, has_flag,
                             is_open, kinesis_client, list_all_shards, raw_request, shard_id, shard_range, start_server,
                             stop_server, stream_arn, unique_name, wait_active, wait_gone)
from shoal_server import ShoalServer, stop_checked

server = None
kinesis = None


def setUpModule():
    global server, kinesis
    server = start_server()
    kinesis = kinesis_client(server.endpoint)


def tearDownModule():
    stop_server(server)


class KinesisTestCase(unittest.TestCase):
    def assert_error(self, cm, code, message=None, status=400):
        got_code, got_message, got_status = error_of(cm)
        self.assertEqual(got_code, code, cm.exception.response)
        if message is not None:
            self.assertEqual(got_message, message)
        self.assertEqual(got_status, status)


def open_ranges(name):
    return sorted(shard_range(s) for s in list_all_shards(kinesis, name) if is_open(s))


class UpdateShardCountTest(KinesisTestCase):
    def test_shard_totals_are_those_aws_reaches(self):
        # moto's test_update_shard_count, "verified against AWS": (initial, target, shards in all).
        for initial, target, total in [(2, 4, 6), (4, 5, 15), (10, 13, 37), (4, 2, 6), (5, 3, 7)]:
            with self.subTest(initial=initial, target=target):
                name = create_stream(kinesis, shards=initial)
                out = kinesis.update_shard_count(StreamName=name, TargetShardCount=target,
                                                 ScalingType="UNIFORM_SCALING")
                self.assertEqual((out["StreamName"], out["CurrentShardCount"], out["TargetShardCount"]),
                                 (name, initial, target))
                self.assertEqual(wait_active(kinesis, name)["OpenShardCount"], target)
                shards = kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
                self.assertEqual(len(shards), total)
                self.assertEqual(sum(1 for s in shards if is_open(s)), target)

    def test_four_to_five_ends_with_even_fifths_through_short_lived_shards(self):
        name = create_stream(kinesis, shards=4)
        kinesis.update_shard_count(StreamName=name, TargetShardCount=5, ScalingType="UNIFORM_SCALING")
        wait_active(kinesis, name)
        self.assertEqual(open_ranges(name), expected_ranges(5))
        shards = {s["ShardId"]: s for s in list_all_shards(kinesis, name)}
        self.assertEqual(sorted(shards), [shard_id(i) for i in range(15)])
        # Each original splits in two (4..11), then the halves meeting at an old
        # boundary merge (12..14): those halves lived only to be merged.
        for i in range(4):
            for half in (4 + 2 * i, 5 + 2 * i):
                self.assertEqual(shards[shard_id(half)]["ParentShardId"], shard_id(i))
        for k, (left, right) in enumerate([(5, 6), (7, 8), (9, 10)]):
            merged = shards[shard_id(12 + k)]
            self.assertEqual((merged["ParentShardId"], merged["AdjacentParentShardId"]),
                             (shard_id(left), shard_id(right)))
            for piece in (left, right):
                self.assertFalse(is_open(shards[shard_id(piece)]))
        # Records written after the update land in the fifths.
        put = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="k", ExplicitHashKey=str(MAX_HASH))
        self.assertEqual(put["ShardId"], shard_id(11))

    def test_ten_to_twenty_halves_every_shard_and_twenty_to_ten_merges_pairs(self):
        name = create_stream(kinesis, shards=10)
        kinesis.update_shard_count(StreamName=name, TargetShardCount=20, ScalingType="UNIFORM_SCALING")
        wait_active(kinesis, name)
        self.assertEqual(len(list_all_shards(kinesis, name)), 30)
        kinesis.update_shard_count(StreamName=name, TargetShardCount=10, ScalingType="UNIFORM_SCALING")
        wait_active(kinesis, name)
        self.assertEqual(len(list_all_shards(kinesis, name)), 40)
        self.assertEqual(len(open_ranges(name)), 10)
        merged = {s["ShardId"]: s for s in list_all_shards(kinesis, name)}[shard_id(30)]
        self.assertEqual((merged["ParentShardId"], merged["AdjacentParentShardId"]), (shard_id(10), shard_id(11)))
        self.assertEqual(shard_range(merged), expected_ranges(10)[0])

    def test_on_demand_stream_is_refused(self):
        name = unique_name()
        kinesis.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
        wait_active(kinesis, name)
        with self.assertRaises(ClientError) as cm:
            kinesis.update_shard_count(StreamName=name, TargetShardCount=3, ScalingType="UNIFORM_SCALING")
        self.assert_error(cm, "ValidationException",
                          "Request is invalid. Stream %s under account %s is in On-Demand mode." % (name, ACCOUNT))
        self.assertEqual(len(list_all_shards(kinesis, name)), 4)


class ClosedShardTest(KinesisTestCase):
    def test_split_or_merge_of_a_closed_shard_is_invalid_argument(self):
        name = create_stream(kinesis, shards=2)
        kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(1), NewStartingHashKey=str(3 * 2 ** 126))
        wait_active(kinesis, name)
        message = ("Shard shardId-000000000001 in stream %s under account %s has already been merged or split, "
                   "and thus is not eligible for merging or splitting." % (name, ACCOUNT))
        with self.assertRaises(ClientError) as cm:
            kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(1), NewStartingHashKey=str(3 * 2 ** 126 + 5))
        self.assert_error(cm, "InvalidArgumentException", message)
        with self.assertRaises(ClientError) as cm:
            kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(1))
        self.assert_error(cm, "InvalidArgumentException", message)


class UnknownStreamOrShardTest(KinesisTestCase):
    """kinesalite's recordings: an id that names no shard is refused before
    the stream is looked up; a readable one after it, in its normal form."""

    def test_split_and_merge(self):
        missing = unique_name("missing")
        for call in (lambda shard: kinesis.split_shard(StreamName=missing, ShardToSplit=shard, NewStartingHashKey="5"),
                     lambda shard: kinesis.merge_shards(StreamName=missing, ShardToMerge="shardId-0",
                                                        AdjacentShardToMerge=shard)):
            with self.assertRaises(ClientError) as cm:
                call("ABKLFD8")
            self.assert_error(cm, "ResourceNotFoundException",
                              "Could not find shard ABKLFD8 in stream %s under account %s." % (missing, ACCOUNT))
            with self.assertRaises(ClientError) as cm:
                call("shardId-002147483648")
            self.assert_error(cm, "ResourceNotFoundException",
                              "Could not find shard shardId-002147483648 in stream %s under account %s."
                              % (missing, ACCOUNT))
            with self.assertRaises(ClientError) as cm:
                call("2147483647")
            self.assert_error(cm, "ResourceNotFoundException",
                              "Stream %s under account %s not found." % (missing, ACCOUNT))
        name = create_stream(kinesis, shards=2)
        with self.assertRaises(ClientError) as cm:
            kinesis.merge_shards(StreamName=name, ShardToMerge="shardId-5", AdjacentShardToMerge="x-0")
        self.assert_error(cm, "ResourceNotFoundException",
                          "Could not find shard shardId-000000000005 in stream %s under account %s." % (name, ACCOUNT))

    def test_get_shard_iterator(self):
        missing = unique_name("missing")
        with self.assertRaises(ClientError) as cm:
            kinesis.get_shard_iterator(StreamName=missing, ShardId="2.14E4", ShardIteratorType="LATEST")
        self.assert_error(cm, "ResourceNotFoundException",
                          "Could not find shard 2.14E4 in stream %s under account %s." % (missing, ACCOUNT))
        with self.assertRaises(ClientError) as cm:
            kinesis.get_shard_iterator(StreamName=missing, ShardId="a-00002147483647", ShardIteratorType="LATEST")
        self.assert_error(cm, "ResourceNotFoundException",
                          "Shard shardId-002147483647 in stream %s under account %s does not exist" % (missing, ACCOUNT))


class ErrorBodyTest(KinesisTestCase):
    def test_serialization_exception_says_message_with_a_capital_m(self):
        reply = raw_request(server, "DescribeStream", {"StreamName": True})
        self.assertEqual(reply.status, 400)
        body = reply.json()
        self.assertEqual(body["__type"], "SerializationException")
        self.assertIn("Message", body)
        self.assertNotIn("message", body)
        # Every other error keeps "message".
        reply = raw_request(server, "DescribeStream", {"StreamName": unique_name()})
        body = reply.json()
        self.assertEqual(body["__type"], "ResourceNotFoundException")
        self.assertIn("message", body)
        self.assertNotIn("Message", body)
        # And boto3 reads both.
        with self.assertRaises(ClientError):
            kinesis.describe_stream(StreamName=unique_name())

    def test_cbor_errors_are_cbor_with_the_same_casing(self):
        reply = raw_request(server, "DescribeStream", encode({"StreamName": 5}), content_type=CBOR_CT)
        self.assertEqual(reply.status, 400)
        self.assertTrue(reply.headers["content-type"].startswith(CBOR_CT))
        body = decode(reply.body)
        self.assertEqual(body["__type"], "SerializationException")
        self.assertIn("Message", body)
        # LocalStack's AWS-validated snapshot (test_cbor_exceptions).
        missing = unique_name()
        body = decode(raw_request(server, "DescribeStream", encode({"StreamName": missing}),
                                  content_type=CBOR_CT).body)
        self.assertEqual(body, {"__type": "ResourceNotFoundException",
                                "message": "Stream %s under account %s not found." % (missing, ACCOUNT)})

    def test_cbor_request_without_a_target_gets_a_cbor_answer(self):
        reply = raw_request(server, None, encode({}), content_type=CBOR_CT)
        self.assertEqual(reply.status, 400)
        self.assertTrue(reply.headers["content-type"].startswith(CBOR_CT))
        self.assertEqual(decode(reply.body), {"__type": "UnknownOperationException"})

    def test_cbor_request_over_the_body_limit_gets_a_cbor_answer(self):
        small = start_server("--max-body-bytes", "1024")
        try:
            reply = raw_request(small, "PutRecord",
                                encode({"StreamName": "s", "PartitionKey": "k", "Data": b"x" * 4096}),
                                content_type=CBOR_CT)
            self.assertEqual(reply.status, 413)
            self.assertTrue(reply.headers["content-type"].startswith(CBOR_CT), reply.headers)
            self.assertEqual(decode(reply.body)["__type"], "RequestEntityTooLarge")
        finally:
            stop_server(small)


class NoOutputTest(KinesisTestCase):
    """Operations without output answer 200 with an empty body (kinesalite's
    recordings of DeleteStream and MergeShards: `res.body.should.equal('')`)."""

    def test_empty_bodies_over_json_and_cbor(self):
        name = create_stream(kinesis, shards=2)
        arn = stream_arn(name)
        cases = [
            ("AddTagsToStream", {"StreamName": name, "Tags": {"a": "b"}}),
            ("RemoveTagsFromStream", {"StreamName": name, "TagKeys": ["a"]}),
            ("TagResource", {"ResourceARN": arn, "Tags": {"c": "d"}}),
            ("UntagResource", {"ResourceARN": arn, "TagKeys": ["c"]}),
            ("PutResourcePolicy", {"ResourceARN": arn, "Policy": json.dumps({"Version": "2012-10-17",
                                                                              "Statement": []})}),
            ("DeleteResourcePolicy", {"ResourceARN": arn}),
            ("IncreaseStreamRetentionPeriod", {"StreamName": name, "RetentionPeriodHours": 48}),
        ]
        for action, body in cases:
            with self.subTest(action=action):
                reply = raw_request(server, action, body)
                self.assertEqual(reply.status, 200, reply)
                self.assertEqual(reply.body, b"")
                self.assertEqual(reply.headers.get("content-length"), "0")
                self.assertEqual(reply.headers.get("content-type"), JSON_CT)
                self.assertTrue(reply.headers.get("x-amzn-requestid"))
        reply = raw_request(server, "AddTagsToStream", encode({"StreamName": name, "Tags": {"e": "f"}}),
                            content_type=CBOR_CT)
        self.assertEqual((reply.status, reply.body), (200, b""))
        reply = raw_request(server, "MergeShards", {"StreamName": name, "ShardToMerge": shard_id(0),
                                                    "AdjacentShardToMerge": shard_id(1)})
        self.assertEqual((reply.status, reply.body), (200, b""))
        wait_active(kinesis, name)
        reply = raw_request(server, "DeleteStream", {"StreamName": name})
        self.assertEqual((reply.status, reply.body), (200, b""))
        # Operations with output still answer a JSON object, and boto3 is content either way.
        self.assertIn("StreamNames", raw_request(server, "ListStreams", {}).json())
        other = create_stream(kinesis)
        self.assertEqual(kinesis.add_tags_to_stream(StreamName=other, Tags={"k": "v"})["ResponseMetadata"]
                         ["HTTPStatusCode"], 200)


class UnroutableRequestTest(KinesisTestCase):
    """kinesalite's connection tests, recorded against Kinesis."""

    ACCESS_DENIED = (b"<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be "
                     b"authorized</Message>\n</AccessDeniedException>\n")
    MISSING_TOKEN = (b"<MissingAuthenticationTokenException>\n  <Message>Missing Authentication Token</Message>\n"
                     b"</MissingAuthenticationTokenException>\n")

    def assert_xml(self, reply, status, body):
        self.assertEqual(reply.status, status, reply)
        self.assertEqual(reply.body, body)
        self.assertNotIn("content-type", reply.headers)
        self.assertTrue(reply.headers.get("x-amzn-requestid"))

    def test_methods_other_than_post(self):
        for method in ("GET", "PUT", "DELETE", "PATCH"):
            with self.subTest(method=method):
                self.assert_xml(raw_request(server, None, b"", content_type=None, method=method), 403,
                                self.ACCESS_DENIED)
                self.assert_xml(raw_request(server, "ListStreams", b"", method=method), 403, self.ACCESS_DENIED)
        self.assert_xml(raw_request(server, None, b"", content_type=None, method="GET", authorization=False), 403,
                        self.MISSING_TOKEN)
        self.assert_xml(raw_request(server, None, b"", content_type=None, method="GET", path="/no/such/path"), 403,
                        self.ACCESS_DENIED)

    def test_posts_that_name_no_operation(self):
        self.assert_xml(raw_request(server, None, b"{}", content_type=None), 403, self.ACCESS_DENIED)
        self.assert_xml(raw_request(server, None, b"{}", content_type="application/x-amz-json-1.0"), 403,
                        self.ACCESS_DENIED)
        reply = raw_request(server, None, b"{}")
        self.assertEqual((reply.status, reply.json()), (400, {"__type": "UnknownOperationException"}))
        self.assertEqual(reply.headers["content-type"], JSON_CT)
        reply = raw_request(server, None, b"{}", target="Kinesis_20131202.ListStream")
        self.assertEqual((reply.status, reply.json()), (400, {"__type": "UnknownOperationException"}))

    def test_content_types_kinesis_does_not_speak(self):
        self.assert_xml(raw_request(server, "ListStreams", b"{}", content_type=None), 404,
                        b"<UnknownOperationException/>\n")
        self.assert_xml(raw_request(server, "ListStreams", b"{}", content_type="text/plain"), 404,
                        b"<UnknownOperationException/>\n")
        for target in (None, "ListStreams"):
            reply = raw_request(server, target, b"{}", content_type="application/json")
            self.assertEqual(reply.status, 200)
            self.assertEqual(reply.json(), {"Output": {"__type": "com.amazon.coral.service#UnknownOperationException",
                                                       "message": None}, "Version": "1.0"})
        reply = raw_request(server, "ListStreams", b"hello", content_type="application/json")
        self.assertEqual(reply.json(), {"Output": {"__type": "com.amazon.coral.service#SerializationException",
                                                   "Message": None}, "Version": "1.0"})

    def test_sqs_and_control_paths_still_route(self):
        reply = raw_request(server, None, b"", content_type=None, method="GET",
                            path="/?Action=ListQueues&Version=2012-11-05")
        self.assertEqual(reply.status, 200, reply)
        self.assertEqual(ok(server, "GET", "/_shoal/health")["status"], "running")


class ConsumerTagsTest(KinesisTestCase):
    def register(self, name, **kwargs):
        return kinesis.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName="reader",
                                                **kwargs)["Consumer"]["ConsumerARN"]

    def test_tag_untag_list_on_a_consumer(self):
        name = create_stream(kinesis)
        arn = self.register(name, Tags={"team": "data"})
        kinesis.tag_resource(ResourceARN=arn, Tags={"env": "test", "tier": "1"})
        kinesis.untag_resource(ResourceARN=arn, TagKeys=["tier"])
        self.assertEqual(kinesis.list_tags_for_resource(ResourceARN=arn)["Tags"],
                         [{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "data"}])
        # The stream's own tags are another set.
        self.assertEqual(kinesis.list_tags_for_resource(ResourceARN=stream_arn(name))["Tags"], [])
        with self.assertRaises(ClientError) as cm:
            kinesis.tag_resource(ResourceARN=arn, Tags={"k%d" % i: "v" for i in range(50)})
        self.assert_error(cm, "InvalidArgumentException")
        # Deregistered and registered again: a new consumer, without the old tags.
        kinesis.deregister_stream_consumer(ConsumerARN=arn)
        again = self.register(name)
        self.assertEqual(kinesis.list_tags_for_resource(ResourceARN=again)["Tags"], [])

    @unittest.skipUnless(has_flag("--data-dir"), "binary has no --data-dir")
    def test_consumer_tags_survive_a_restart(self):
        data_dir = tempfile.mkdtemp(prefix="shoal-kfid-")
        try:
            first = ShoalServer("--data-dir", data_dir, "--kinesis-consumer-delay-ms", "0")
            first.start()
            try:
                client = kinesis_client(first.endpoint)
                name = create_stream(client)
                arn = client.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName="c",
                                                      Tags={"team": "data"})["Consumer"]["ConsumerARN"]
                client.tag_resource(ResourceARN=arn, Tags={"env": "prod"})
                client.untag_resource(ResourceARN=arn, TagKeys=["team"])
            finally:
                stop_checked(first)
            second = ShoalServer("--data-dir", data_dir)
            second.start()
            try:
                client = kinesis_client(second.endpoint)
                self.assertEqual(client.list_tags_for_resource(ResourceARN=arn)["Tags"],
                                 [{"Key": "env", "Value": "prod"}])
            finally:
                stop_checked(second)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


class ResourcePolicyTest(KinesisTestCase):
    def test_policies_go_with_their_stream_and_consumer(self):
        name = create_stream(kinesis)
        arn = stream_arn(name)
        policy = json.dumps({"Version": "2012-10-17", "Statement": []})
        consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="c")["Consumer"]["ConsumerARN"]
        kinesis.put_resource_policy(ResourceARN=arn, Policy=policy)
        kinesis.put_resource_policy(ResourceARN=consumer, Policy=policy)
        kinesis.deregister_stream_consumer(ConsumerARN=consumer)
        kinesis.delete_stream(StreamName=name)
        wait_gone(kinesis, name)
        create_stream(kinesis, name=name)
        self.assertEqual(kinesis.get_resource_policy(ResourceARN=arn)["Policy"], "{}")
        consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="c")["Consumer"]["ConsumerARN"]
        self.assertEqual(kinesis.get_resource_policy(ResourceARN=consumer)["Policy"], "{}")


@unittest.skipUnless(has_flag("--kinesis-delete-delay-ms"), "binary has no --kinesis-delete-delay-ms")
class DeleteStreamTest(KinesisTestCase):
    def test_deleting_a_deleting_stream_succeeds_as_describe_stream_shows_it(self):
        slow = start_server("--kinesis-delete-delay-ms", "60000")
        try:
            client = kinesis_client(slow.endpoint)
            name = create_stream(client)
            client.delete_stream(StreamName=name)
            self.assertEqual(client.describe_stream(StreamName=name)["StreamDescription"]["StreamStatus"], "DELETING")
            client.delete_stream(StreamName=name)  # no ResourceNotFoundException while DescribeStream shows it
            self.assertEqual(client.describe_stream(StreamName=name)["StreamDescription"]["StreamStatus"], "DELETING")
            ok(slow, "POST", "/_shoal/clock/advance?seconds=60")
            with self.assertRaises(client.exceptions.ResourceNotFoundException):
                client.delete_stream(StreamName=name)
        finally:
            stop_server(slow)


if __name__ == "__main__":
    unittest.main()
