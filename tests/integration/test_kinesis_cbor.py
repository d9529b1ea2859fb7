"""Kinesis over application/x-amz-cbor-1.1, the encoding the Java SDK and KCL
use: raw HTTP requests encoded with cbor2 (see kinesis_cbor.py), answers
decoded with cbor2. Blobs travel as byte strings; timestamps as CBOR tag 1
holding epoch MILLISECONDS, which is what AWS sends the Java SDK (see
aws-sdk-java-v2 issue 4661); errors come back as CBOR maps with __type.
"""

import datetime
import time
import unittest

from kinesis_cbor import CBORTag, decode, encode, epoch_tag_ms
from kinesis_helpers import (ACCOUNT, CBOR_CT, kinesis_client, raw_request, shard_id, start_server, stop_server,
                             unique_name, wait_active)

server = None
kinesis = None


def setUpModule():
    global server, kinesis
    server = start_server()
    kinesis = kinesis_client(server.endpoint)


def tearDownModule():
    stop_server(server)


def now_ms():
    return int(time.time() * 1000)


class CborTestCase(unittest.TestCase):
    def call(self, action, body, status=200):
        reply = raw_request(server, action, encode(body), content_type=CBOR_CT)
        self.assertEqual(reply.status, status, reply)
        self.assertTrue(reply.headers.get("x-amzn-requestid"), reply.headers)
        if reply.body:
            self.assertTrue(reply.headers.get("content-type", "").startswith(CBOR_CT), reply.headers)
            return decode(reply.body)
        return {}

    def assert_cbor_error(self, reply, status, type_name, message=None):
        self.assertEqual(reply.status, status, reply)
        self.assertTrue(reply.headers.get("x-amzn-requestid"), reply.headers)
        self.assertTrue(reply.headers.get("content-type", "").startswith(CBOR_CT), reply.headers)
        body = decode(reply.body)
        self.assertIsInstance(body, dict)
        self.assertEqual(body.get("__type", "").rsplit("#", 1)[-1], type_name, body)
        if message is not None:
            self.assertEqual(body.get("message"), message)
        return body

    def assert_ms_near_now(self, value, slack_ms=60000):
        self.assertIsInstance(value, CBORTag)
        self.assertEqual(value.tag, 1)
        self.assertIsInstance(value.value, (int, float))
        # Milliseconds since the epoch are ~1.7e12; seconds would be ~1.7e9.
        self.assertLess(abs(value.value - now_ms()), slack_ms,
                        "tag 1 value %r is not epoch milliseconds near now (%d)" % (value.value, now_ms()))


class CborRecordsTest(CborTestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = unique_name("cbor")
        reply = raw_request(server, "CreateStream", encode({"StreamName": cls.name, "ShardCount": 1}),
                            content_type=CBOR_CT)
        assert reply.status == 200, reply
        wait_active(kinesis, cls.name)

    def test_put_and_get_with_byte_strings_and_millisecond_timestamps(self):
        payload = bytes(range(256)) + b"\x00end"
        before = now_ms()
        put = self.call("PutRecord", {"StreamName": self.name, "Data": payload, "PartitionKey": "k"})
        after = now_ms()
        self.assertEqual(put["ShardId"], shard_id(0))
        self.assertIsInstance(put["SequenceNumber"], str)
        self.assertRegex(put["SequenceNumber"], r"^\d+$")
        it = self.call("GetShardIterator", {"StreamName": self.name, "ShardId": shard_id(0),
                                            "ShardIteratorType": "AT_SEQUENCE_NUMBER",
                                            "StartingSequenceNumber": put["SequenceNumber"]})["ShardIterator"]
        self.assertIsInstance(it, str)
        got = self.call("GetRecords", {"ShardIterator": it, "Limit": 1})
        record = got["Records"][0]
        self.assertIsInstance(record["Data"], bytes, "Data must be a CBOR byte string, not base64 text")
        self.assertEqual(record["Data"], payload)
        self.assertEqual(record["PartitionKey"], "k")
        self.assertEqual(record["SequenceNumber"], put["SequenceNumber"])
        ts = record["ApproximateArrivalTimestamp"]
        self.assert_ms_near_now(ts)
        self.assertGreaterEqual(ts.value, before - 1000)
        self.assertLessEqual(ts.value, after + 1000)
        self.assertIsInstance(got["MillisBehindLatest"], int)
        self.assertIsInstance(got["NextShardIterator"], str)

    def test_cbor_and_json_agree_on_the_same_record(self):
        put = self.call("PutRecord", {"StreamName": self.name, "Data": b"both", "PartitionKey": "k"})
        it = kinesis.get_shard_iterator(StreamName=self.name, ShardId=shard_id(0),
                                        ShardIteratorType="AT_SEQUENCE_NUMBER",
                                        StartingSequenceNumber=put["SequenceNumber"])["ShardIterator"]
        via_json = kinesis.get_records(ShardIterator=it, Limit=1)["Records"][0]
        self.assertEqual(via_json["Data"], b"both")
        via_cbor = self.call("GetRecords", {"ShardIterator": it, "Limit": 1})["Records"][0]
        json_ms = via_json["ApproximateArrivalTimestamp"].timestamp() * 1000
        self.assertLess(abs(via_cbor["ApproximateArrivalTimestamp"].value - json_ms), 1.5)

    def test_put_records_batch(self):
        entries = [{"Data": b"b%d" % i, "PartitionKey": "p%d" % i} for i in range(10)]
        out = self.call("PutRecords", {"StreamName": self.name, "Records": entries})
        self.assertEqual(out.get("FailedRecordCount", 0), 0)
        self.assertEqual(len(out["Records"]), 10)
        seqs = [int(r["SequenceNumber"]) for r in out["Records"]]
        self.assertEqual(seqs, sorted(set(seqs)))

    def test_at_timestamp_iterator_with_a_millisecond_tag(self):
        name = unique_name("cborts")
        self.call("CreateStream", {"StreamName": name, "ShardCount": 1})
        wait_active(kinesis, name)
        self.call("PutRecord", {"StreamName": name, "Data": b"early", "PartitionKey": "k"})
        time.sleep(0.15)
        between = datetime.datetime.now(datetime.timezone.utc)
        time.sleep(0.15)
        self.call("PutRecord", {"StreamName": name, "Data": b"late", "PartitionKey": "k"})
        it = self.call("GetShardIterator", {"StreamName": name, "ShardId": shard_id(0),
                                            "ShardIteratorType": "AT_TIMESTAMP",
                                            "Timestamp": epoch_tag_ms(between)})["ShardIterator"]
        got = self.call("GetRecords", {"ShardIterator": it})
        self.assertEqual([r["Data"] for r in got["Records"]], [b"late"])

    def test_describe_stream_summary_timestamp_in_milliseconds(self):
        summary = self.call("DescribeStreamSummary", {"StreamName": self.name})["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamName"], self.name)
        self.assertEqual(summary["OpenShardCount"], 1)
        self.assert_ms_near_now(summary["StreamCreationTimestamp"], slack_ms=120000)


class CborErrorsTest(CborTestCase):
    def test_not_found_is_a_cbor_map_with_type_and_message(self):
        # Recorded from real AWS: LocalStack snapshot test_cbor_exceptions.
        reply = raw_request(server, "DescribeStream", encode({"StreamName": "wrong-stream-name"}),
                            content_type=CBOR_CT)
        self.assert_cbor_error(reply, 400, "ResourceNotFoundException",
                               "Stream wrong-stream-name under account %s not found." % ACCOUNT)

    def test_validation_error_in_cbor(self):
        reply = raw_request(server, "CreateStream", encode({"StreamName": "a b", "ShardCount": 1}),
                            content_type=CBOR_CT)
        self.assert_cbor_error(reply, 400, "ValidationException",
                               "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy "
                               "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")

    def test_garbage_iterator_in_cbor(self):
        reply = raw_request(server, "GetRecords", encode({"ShardIterator": "garbage-iterator"}),
                            content_type=CBOR_CT)
        self.assert_cbor_error(reply, 400, "InvalidArgumentException")

    def test_broken_cbor_is_serialization_exception(self):
        for body in (b"\xbf\x61", b"\xa1\x61\x41", b"\xff\xff\xff", b"\x1c", b"{\"StreamName\": \"x\"}"):
            with self.subTest(body=body):
                reply = raw_request(server, "DescribeStream", body, content_type=CBOR_CT)
                self.assert_cbor_error(reply, 400, "SerializationException")

    def test_wrong_types_are_serialization_exception(self):
        cases = [
            ("CreateStream", {"StreamName": unique_name(), "ShardCount": "two"}),
            ("PutRecord", {"StreamName": "x", "PartitionKey": "k", "Data": 17}),
            ("DescribeStream", {"StreamName": ["x"]}),
        ]
        for action, body in cases:
            with self.subTest(action=action, body=body):
                self.assert_cbor_error(raw_request(server, action, encode(body), content_type=CBOR_CT),
                                       400, "SerializationException")

    def test_unknown_operation_in_cbor(self):
        reply = raw_request(server, "NoSuchAction", encode({}), content_type=CBOR_CT)
        self.assertEqual(reply.status, 400, reply)
        self.assertEqual(decode(reply.body).get("__type", "").rsplit("#", 1)[-1], "UnknownOperationException")


if __name__ == "__main__":
    unittest.main()
