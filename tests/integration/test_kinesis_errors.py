"""Bad input to the Kinesis JSON 1.1 endpoint of the real binary, as raw HTTP
(what no SDK would send): broken JSON, wrong member types, unknown actions,
a missing target, missing and invalid members with AWS's validation wording,
oversized batches, and the error wire format (__type, message,
x-amzn-ErrorType, x-amzn-RequestId). Wording from kinesalite's recordings of
real AWS.
"""

import base64
import unittest

from kinesis_helpers import (ACCOUNT, JSON_CT, create_stream, kinesis_client, raw_request, shard_id, start_server,
                             stop_server, unique_name)

server = None
kinesis = None


def setUpModule():
    global server, kinesis
    server = start_server()
    kinesis = kinesis_client(server.endpoint)


def tearDownModule():
    stop_server(server)


class KinesisErrorTestCase(unittest.TestCase):
    def raw(self, action, body=b"{}", **kwargs):
        return raw_request(server, action, body, **kwargs)

    def assert_json_error(self, reply, status, type_name, message=None):
        self.assertEqual(reply.status, status, reply)
        self.assertTrue(reply.headers.get("x-amzn-requestid"), reply.headers)
        self.assertEqual(reply.error_type, type_name, reply)
        self.assertTrue(reply.headers.get("content-type", "").startswith(JSON_CT), reply.headers)
        if message is not None:
            self.assertEqual(reply.json().get("message"), message)

    def assert_validation(self, reply, parts):
        """AWS lists each failed constraint; compare as a set after the count prefix."""
        self.assert_json_error(reply, 400, "ValidationException")
        message = reply.json()["message"]
        prefix = "%d validation error%s detected: " % (len(parts), "" if len(parts) == 1 else "s")
        self.assertTrue(message.startswith(prefix), message)
        self.assertEqual(sorted(message[len(prefix):].split("; ")), sorted(parts))


class WireFormatTest(KinesisErrorTestCase):
    def test_success_is_json_1_1_with_request_id(self):
        reply = self.raw("ListStreams", {})
        self.assertEqual(reply.status, 200, reply)
        self.assertTrue(reply.headers.get("x-amzn-requestid"))
        self.assertTrue(reply.headers.get("content-type", "").startswith(JSON_CT), reply.headers)
        self.assertIn("StreamNames", reply.json())

    def test_not_found_shape(self):
        name = unique_name("none")
        reply = self.raw("DescribeStream", {"StreamName": name})
        self.assert_json_error(reply, 400, "ResourceNotFoundException",
                               "Stream %s under account %s not found." % (name, ACCOUNT))
        self.assertIn("ResourceNotFoundException", reply.headers.get("x-amzn-errortype", ""))

    def test_unknown_members_are_ignored(self):
        reply = self.raw("ListStreams", {"SomethingNew": 1})
        self.assertEqual(reply.status, 200, reply)


class ProtocolErrorsTest(KinesisErrorTestCase):
    def test_broken_json(self):
        for body in (b'{"StreamName": ', b"not json at all", b"{'single': 'quotes'}", b"\xff\xfe"):
            with self.subTest(body=body):
                self.assert_json_error(self.raw("DescribeStream", body), 400, "SerializationException")

    def test_json_that_is_not_an_object(self):
        for body in ("[]", '"string"', "42"):
            with self.subTest(body=body):
                self.assert_json_error(self.raw("ListStreams", body), 400, "SerializationException")

    def test_empty_body(self):
        # AWS answers SerializationException for an empty body (kinesalite recording).
        self.assert_json_error(self.raw("ListStreams", b""), 400, "SerializationException")

    def test_wrong_member_types(self):
        name = create_stream(kinesis)
        cases = [
            ("CreateStream", {"StreamName": unique_name(), "ShardCount": "x"}),
            ("CreateStream", {"StreamName": unique_name(), "ShardCount": True}),
            ("CreateStream", {"StreamName": 123, "ShardCount": 1}),
            ("DescribeStream", {"StreamName": ["x"]}),
            ("DescribeStream", {"StreamName": name, "Limit": {"n": 1}}),
            ("PutRecord", {"StreamName": name, "PartitionKey": "k", "Data": True}),
            ("PutRecord", {"StreamName": name, "PartitionKey": "k", "Data": "23456"}),  # not base64
            ("PutRecords", {"StreamName": name, "Records": {"Data": "", "PartitionKey": "k"}}),
            ("PutRecords", {"StreamName": name, "Records": ["x"]}),
            ("AddTagsToStream", {"StreamName": name, "Tags": ["a"]}),
        ]
        for action, body in cases:
            with self.subTest(action=action, body=body):
                self.assert_json_error(self.raw(action, body), 400, "SerializationException")
        it = kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual(kinesis.get_records(ShardIterator=it)["Records"], [], "rejected puts stored nothing")

    def test_unknown_operation(self):
        reply = self.raw("FooBar", {})
        self.assert_json_error(reply, 400, "UnknownOperationException")

    def test_missing_target(self):
        reply = raw_request(server, None, b"{}")
        self.assertEqual(reply.status, 400, reply)
        self.assertTrue(reply.headers.get("x-amzn-requestid"))
        self.assertEqual(reply.error_type, "UnknownOperationException", reply)

    def test_target_of_another_service_version(self):
        reply = raw_request(server, None, b"{}", target="Kinesis_20990101.ListStreams")
        self.assertTrue(400 <= reply.status < 500, reply)
        self.assertTrue(reply.headers.get("x-amzn-requestid"))

    def test_server_survives_all_of_it(self):
        self.raw("DescribeStream", b"\x00" * 1000)
        self.raw("PutRecords", b"[" * 10000 + b"]" * 10000)
        self.assertEqual(self.raw("ListStreams", {}).status, 200)


class ValidationTest(KinesisErrorTestCase):
    def test_missing_required_members(self):
        self.assert_validation(self.raw("GetRecords", {}), [
            "Value null at 'shardIterator' failed to satisfy constraint: Member must not be null"])
        self.assert_validation(self.raw("CreateStream", {}), [
            "Value null at 'streamName' failed to satisfy constraint: Member must not be null"])

    def test_every_failed_constraint_is_listed(self):
        self.assert_validation(self.raw("DescribeStream", {"StreamName": "", "Limit": 0, "ExclusiveStartShardId": ""}), [
            "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
            "Value '' at 'exclusiveStartShardId' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
            "Value '' at 'exclusiveStartShardId' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1",
            "Value '' at 'streamName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
            "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ])

    def test_long_values(self):
        name = "a" * 129
        self.assert_validation(self.raw("DescribeStream", {"StreamName": name, "Limit": 100000,
                                                           "ExclusiveStartShardId": name}), [
            "Value '100000' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
            "Value '%s' at 'exclusiveStartShardId' failed to satisfy constraint: "
            "Member must have length less than or equal to 128" % name,
            "Value '%s' at 'streamName' failed to satisfy constraint: "
            "Member must have length less than or equal to 128" % name,
        ])

    def test_enum_values(self):
        name = create_stream(kinesis)
        reply = self.raw("GetShardIterator", {"StreamName": name, "ShardId": shard_id(0),
                                              "ShardIteratorType": "SOMETIMES"})
        self.assert_json_error(reply, 400, "ValidationException")
        message = reply.json()["message"]
        self.assertTrue(message.startswith("1 validation error detected: Value 'SOMETIMES' at 'shardIteratorType' "
                                           "failed to satisfy constraint: Member must satisfy enum value set: ["),
                        message)
        for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"):
            self.assertIn(kind, message)


class OversizedTest(KinesisErrorTestCase):
    def test_put_records_over_500_entries(self):
        name = create_stream(kinesis)
        records = [{"Data": base64.b64encode(b"x").decode(), "PartitionKey": "k"} for _ in range(501)]
        reply = self.raw("PutRecords", {"StreamName": name, "Records": records})
        self.assert_json_error(reply, 400, "ValidationException")
        self.assertIn("at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
                      reply.json()["message"])

    def test_put_records_empty(self):
        name = create_stream(kinesis)
        self.assert_validation(self.raw("PutRecords", {"StreamName": name, "Records": []}), [
            "Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1"])

    def test_record_over_one_mib(self):
        name = create_stream(kinesis)
        data = base64.b64encode(b"a" * (1024 * 1024 + 1)).decode()
        reply = self.raw("PutRecord", {"StreamName": name, "PartitionKey": "k", "Data": data})
        self.assertEqual(reply.status, 400, reply)
        self.assertIn(reply.error_type, ("ValidationException", "InvalidArgumentException"), reply)

    def test_partition_key_over_256(self):
        name = create_stream(kinesis)
        key = "k" * 257
        self.assert_validation(self.raw("PutRecord", {"StreamName": name, "PartitionKey": key, "Data": ""}), [
            "Value '%s' at 'partitionKey' failed to satisfy constraint: "
            "Member must have length less than or equal to 256" % key])


if __name__ == "__main__":
    unittest.main()
