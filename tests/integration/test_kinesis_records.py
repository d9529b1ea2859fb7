"""Kinesis records with boto3 against the real binary: PutRecord routing by the
MD5 of the partition key (computed here independently), ExplicitHashKey,
PutRecords limits and per-record results, sequence numbers, every shard
iterator type, GetRecords paging, size limits, resharding (SplitShard,
MergeShards, UpdateShardCount), and a reader that follows NextShardIterator
and ChildShards across a split and a merge reading every record exactly once.

Expected AWS wording comes from kinesalite's recordings of real AWS.
"""

import base64
import datetime
import unittest

from botocore.exceptions import ClientError

from kinesis_helpers import (ACCOUNT, MAX_HASH, create_stream, error_of, expected_ranges, is_open, kinesis_client,
                             list_all_shards, owner_shard, partition_hash, pass_second_boundary, raw_request, shard_id, shard_range, start_server,
                             stop_server, unique_name, wait_active, wait_gone)

server = None
kinesis = None


def setUpModule():
    global server, kinesis
    server = start_server()
    kinesis = kinesis_client(server.endpoint)


def tearDownModule():
    stop_server(server)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def iterator(name, shard, kind="TRIM_HORIZON", **kwargs):
    return kinesis.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType=kind,
                                      **kwargs)["ShardIterator"]


def drain(it, limit=None, max_calls=50):
    """Every record from it until a page comes back empty at the tip (or the shard ends)."""
    records = []
    for _ in range(max_calls):
        kwargs = {"ShardIterator": it}
        if limit:
            kwargs["Limit"] = limit
        page = kinesis.get_records(**kwargs)
        records += page["Records"]
        it = page.get("NextShardIterator")
        if it is None or (not page["Records"] and page.get("MillisBehindLatest", 0) == 0):
            return records
    raise AssertionError("shard did not drain in %d calls" % max_calls)


class KinesisTestCase(unittest.TestCase):
    def assert_error(self, cm, code, message=None, status=400):
        got_code, got_message, got_status = error_of(cm)
        self.assertEqual(got_code, code, cm.exception.response)
        if message is not None:
            self.assertEqual(got_message, message)
        self.assertEqual(got_status, status, cm.exception.response)


class PutRecordTest(KinesisTestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = create_stream(kinesis, shards=4)
        cls.shards = kinesis.list_shards(StreamName=cls.name)["Shards"]

    def test_partition_key_md5_picks_the_shard(self):
        keys = ["a", "b", "user-1", "user-2", "ünïcødé", "0", "x" * 256] + ["key%d" % i for i in range(40)]
        hit = set()
        for key in keys:
            with self.subTest(key=key):
                out = kinesis.put_record(StreamName=self.name, Data=b"d", PartitionKey=key)
                expected = owner_shard(self.shards, partition_hash(key))
                self.assertEqual(out["ShardId"], expected)
                hit.add(out["ShardId"])
        self.assertEqual(len(hit), 4)  # 47 keys land on every one of 4 shards

    def test_explicit_hash_key_overrides_the_partition_key(self):
        ranges = expected_ranges(4)
        cases = [(0, 0), (ranges[0][1], 0), (ranges[1][0], 1), (ranges[2][1], 2), (ranges[3][0], 3), (MAX_HASH, 3)]
        for hash_key, index in cases:
            with self.subTest(hash_key=hash_key):
                out = kinesis.put_record(StreamName=self.name, Data=b"d", PartitionKey="a",
                                         ExplicitHashKey=str(hash_key))
                self.assertEqual(out["ShardId"], shard_id(index))

    def test_explicit_hash_key_out_of_range(self):
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException) as cm:
            kinesis.put_record(StreamName=self.name, Data=b"d", PartitionKey="a", ExplicitHashKey=str(2 ** 128))
        self.assert_error(cm, "InvalidArgumentException",
                          "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
                          "Specified value was %d" % 2 ** 128)

    def test_answer_fields_and_increasing_sequence_numbers(self):
        seqs = []
        for i in range(20):
            out = kinesis.put_record(StreamName=self.name, Data=b"%d" % i, PartitionKey="same-key")
            self.assertEqual(out["ShardId"], owner_shard(self.shards, partition_hash("same-key")))
            self.assertRegex(out["SequenceNumber"], r"^[1-9]\d*$")
            self.assertEqual(out.get("EncryptionType", "NONE"), "NONE")
            seqs.append(int(out["SequenceNumber"]))
        self.assertEqual(seqs, sorted(set(seqs)), "sequence numbers must strictly increase per shard")
        start = int(next(s for s in self.shards if s["ShardId"] == out["ShardId"])
                    ["SequenceNumberRange"]["StartingSequenceNumber"])
        self.assertGreaterEqual(seqs[0], start)

    def test_sequence_number_for_ordering(self):
        first = kinesis.put_record(StreamName=self.name, Data=b"1", PartitionKey="ordered")
        second = kinesis.put_record(StreamName=self.name, Data=b"2", PartitionKey="ordered",
                                    SequenceNumberForOrdering=first["SequenceNumber"])
        self.assertGreater(int(second["SequenceNumber"]), int(first["SequenceNumber"]))
        with self.assertRaises(ClientError) as cm:
            kinesis.put_record(StreamName=self.name, Data=b"3", PartitionKey="ordered",
                               SequenceNumberForOrdering="not-a-number")
        self.assert_error(cm, "ValidationException",
                          "1 validation error detected: Value 'not-a-number' at 'sequenceNumberForOrdering' failed to "
                          "satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})")

    def test_binary_and_empty_data_round_trip(self):
        name = create_stream(kinesis)
        payloads = [bytes(range(256)), b"", "ünïcødé 统一码 💣".encode("utf-8"), b"\x00" * 10]
        for p in payloads:
            kinesis.put_record(StreamName=name, Data=p, PartitionKey="k")
        records = drain(iterator(name, shard_id(0)))
        self.assertEqual([r["Data"] for r in records], payloads)
        self.assertEqual({r["PartitionKey"] for r in records}, {"k"})

    def test_record_size_limit(self):
        name = create_stream(kinesis)
        ok = b"a" * (1024 * 1024 - 256)
        kinesis.put_record(StreamName=name, Data=ok, PartitionKey="k")
        with self.assertRaises(ClientError) as cm:
            kinesis.put_record(StreamName=name, Data=b"a" * (1024 * 1024 + 1), PartitionKey="k")
        code, _, status = error_of(cm)
        self.assertEqual(status, 400)
        self.assertIn(code, ("ValidationException", "InvalidArgumentException"))
        records = drain(iterator(name, shard_id(0)))
        self.assertEqual([len(r["Data"]) for r in records], [len(ok)])

    def test_empty_partition_key(self):
        # boto3 refuses it itself; raw JSON reaches the server.
        reply = raw_request(server, "PutRecord", {"StreamName": self.name, "Data": "", "PartitionKey": ""})
        self.assertEqual((reply.status, reply.error_type), (400, "ValidationException"), reply)
        self.assertEqual(reply.json()["message"],
                         "1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: "
                         "Member must have length greater than or equal to 1")


class PutRecordsTest(KinesisTestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = create_stream(kinesis, shards=2)
        cls.shards = kinesis.list_shards(StreamName=cls.name)["Shards"]

    def test_results_in_request_order_and_routed(self):
        entries = [{"Data": b"r%d" % i, "PartitionKey": "pk-%d" % i} for i in range(30)]
        entries.append({"Data": b"explicit", "PartitionKey": "x", "ExplicitHashKey": str(MAX_HASH)})
        out = kinesis.put_records(StreamName=self.name, Records=entries)
        self.assertEqual(out.get("FailedRecordCount", 0), 0)
        self.assertEqual(len(out["Records"]), len(entries))
        for entry, result in zip(entries[:-1], out["Records"]):
            self.assertEqual(result["ShardId"], owner_shard(self.shards, partition_hash(entry["PartitionKey"])))
            self.assertRegex(result["SequenceNumber"], r"^\d+$")
            self.assertNotIn("ErrorCode", result)
        self.assertEqual(out["Records"][-1]["ShardId"], shard_id(1))
        by_shard = {}
        for result in out["Records"]:
            by_shard.setdefault(result["ShardId"], []).append(int(result["SequenceNumber"]))
        for seqs in by_shard.values():
            self.assertEqual(seqs, sorted(set(seqs)))
        # The data reads back from the shard each result named.
        for sid, seqs in by_shard.items():
            got = [int(r["SequenceNumber"]) for r in drain(iterator(self.name, sid, "AT_SEQUENCE_NUMBER",
                                                                    StartingSequenceNumber=str(seqs[0])))]
            for s in seqs:
                self.assertIn(s, got)

    def test_five_hundred_records_accepted(self):
        name = create_stream(kinesis)
        out = kinesis.put_records(StreamName=name, Records=[{"Data": b"%d" % i, "PartitionKey": "k"}
                                                            for i in range(500)])
        self.assertEqual(out.get("FailedRecordCount", 0), 0)
        self.assertEqual(len(out["Records"]), 500)
        records = drain(iterator(name, shard_id(0)), limit=10000)
        self.assertEqual([r["Data"] for r in records], [b"%d" % i for i in range(500)])

    def test_five_hundred_and_one_records_rejected(self):
        name = create_stream(kinesis)
        with self.assertRaises(ClientError) as cm:
            kinesis.put_records(StreamName=name, Records=[{"Data": b"x", "PartitionKey": "k"} for _ in range(501)])
        code, message, status = error_of(cm)
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertTrue(message.startswith("1 validation error detected: Value '"), message)
        self.assertIn("at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
                      message)
        self.assertEqual(drain(iterator(name, shard_id(0))), [])

    def test_batch_over_five_mib_is_rejected_whole(self):
        name = create_stream(kinesis)
        chunk = b"z" * (1000 * 1024)
        with self.assertRaises(ClientError) as cm:
            kinesis.put_records(StreamName=name, Records=[{"Data": chunk, "PartitionKey": "k%d" % i}
                                                          for i in range(6)])
        code, _, status = error_of(cm)
        self.assertEqual(status, 400)
        self.assertIn(code, ("InvalidArgumentException", "ValidationException"))
        self.assertEqual(drain(iterator(name, shard_id(0))), [])

    def test_unknown_stream(self):
        name = unique_name("nope")
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException) as cm:
            kinesis.put_records(StreamName=name, Records=[{"Data": b"x", "PartitionKey": "k"}])
        self.assert_error(cm, "ResourceNotFoundException",
                          "Stream %s under account %s not found." % (name, ACCOUNT))


class ShardIteratorTest(KinesisTestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = create_stream(kinesis)
        cls.first = [kinesis.put_record(StreamName=cls.name, Data=b"early-%d" % i, PartitionKey="k")
                     for i in range(3)]
        cls.between = pass_second_boundary()  # boto3 sends whole seconds
        cls.second = [kinesis.put_record(StreamName=cls.name, Data=b"late-%d" % i, PartitionKey="k")
                      for i in range(3)]

    def data(self, it):
        return [r["Data"] for r in drain(it)]

    def test_trim_horizon(self):
        self.assertEqual(self.data(iterator(self.name, shard_id(0))),
                         [b"early-0", b"early-1", b"early-2", b"late-0", b"late-1", b"late-2"])

    def test_at_and_after_sequence_number(self):
        seq = self.first[2]["SequenceNumber"]
        self.assertEqual(self.data(iterator(self.name, shard_id(0), "AT_SEQUENCE_NUMBER", StartingSequenceNumber=seq)),
                         [b"early-2", b"late-0", b"late-1", b"late-2"])
        self.assertEqual(self.data(iterator(self.name, shard_id(0), "AFTER_SEQUENCE_NUMBER",
                                            StartingSequenceNumber=seq)),
                         [b"late-0", b"late-1", b"late-2"])

    def test_at_timestamp(self):
        self.assertEqual(self.data(iterator(self.name, shard_id(0), "AT_TIMESTAMP", Timestamp=self.between)),
                         [b"late-0", b"late-1", b"late-2"])
        past = self.between - datetime.timedelta(hours=1)
        self.assertEqual(len(self.data(iterator(self.name, shard_id(0), "AT_TIMESTAMP", Timestamp=past))), 6)
        future = utcnow() + datetime.timedelta(seconds=30)
        self.assertEqual(self.data(iterator(self.name, shard_id(0), "AT_TIMESTAMP", Timestamp=future)), [])

    def test_latest_sees_only_newer_records(self):
        name = create_stream(kinesis)
        kinesis.put_record(StreamName=name, Data=b"before", PartitionKey="k")
        it = iterator(name, shard_id(0), "LATEST")
        kinesis.put_record(StreamName=name, Data=b"after", PartitionKey="k")
        self.assertEqual(self.data(it), [b"after"])

    def test_short_shard_id_forms_are_accepted(self):
        # AWS resolves "shardId-0" and "0" to shardId-000000000000 (kinesalite recordings).
        for sid in ("shardId-0", "0"):
            with self.subTest(shard=sid):
                self.assertEqual(len(self.data(iterator(self.name, sid))), 6)

    def test_sequence_number_type_without_number(self):
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException) as cm:
            iterator(self.name, shard_id(0), "AT_SEQUENCE_NUMBER")
        self.assert_error(cm, "InvalidArgumentException",
                          "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                          "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. "
                          "Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.")
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException) as cm:
            iterator(self.name, shard_id(0), "LATEST", StartingSequenceNumber=self.first[0]["SequenceNumber"])
        self.assert_error(cm, "InvalidArgumentException",
                          "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                          "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. "
                          "Request specified LATEST and also a StartingSequenceNumber.")

    def test_at_timestamp_without_timestamp(self):
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException):
            iterator(self.name, shard_id(0), "AT_TIMESTAMP")

    def test_unknown_shard(self):
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException) as cm:
            iterator(self.name, "shardId-000000000005")
        self.assert_error(cm, "ResourceNotFoundException",
                          "Shard shardId-000000000005 in stream %s under account %s does not exist"
                          % (self.name, ACCOUNT))

    def test_sequence_number_from_another_shard_is_invalid(self):
        name = create_stream(kinesis, shards=2)
        put = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="k", ExplicitHashKey="0")
        self.assertEqual(put["ShardId"], shard_id(0))
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException):
            iterator(name, shard_id(1), "AT_SEQUENCE_NUMBER", StartingSequenceNumber=put["SequenceNumber"])


class GetRecordsTest(KinesisTestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = create_stream(kinesis)
        cls.before = utcnow()
        cls.puts = [kinesis.put_record(StreamName=cls.name, Data=b"g%d" % i, PartitionKey="p%d" % i)
                    for i in range(5)]
        cls.after = utcnow()

    def test_limit_pages_and_next_iterator(self):
        it = iterator(self.name, shard_id(0))
        seen = []
        for expected in (2, 2, 1):
            page = kinesis.get_records(ShardIterator=it, Limit=2)
            self.assertEqual(len(page["Records"]), expected)
            seen += page["Records"]
            self.assertTrue(page["NextShardIterator"])
            self.assertNotEqual(page["NextShardIterator"], it)
            it = page["NextShardIterator"]
        page = kinesis.get_records(ShardIterator=it, Limit=2)
        self.assertEqual(page["Records"], [])
        self.assertEqual(page["MillisBehindLatest"], 0)
        self.assertTrue(page["NextShardIterator"])  # open shard: the reader may keep polling
        self.assertEqual([r["Data"] for r in seen], [b"g%d" % i for i in range(5)])
        self.assertEqual([r["SequenceNumber"] for r in seen], [p["SequenceNumber"] for p in self.puts])
        self.assertEqual([r["PartitionKey"] for r in seen], ["p%d" % i for i in range(5)])

    def test_a_call_returns_at_most_10_mib(self):
        name = create_stream(kinesis)
        blob = b"t" * (1024 * 1024 - 512)
        for i in range(12):
            kinesis.put_record(StreamName=name, Data=blob, PartitionKey="k%d" % i)
        page = kinesis.get_records(ShardIterator=iterator(name, shard_id(0)))
        first = len(page["Records"])
        self.assertGreater(first, 0)
        self.assertLessEqual(sum(len(r["Data"]) + len(r["PartitionKey"]) for r in page["Records"]), 10 * 1024 * 1024)
        self.assertLess(first, 12)
        rest = drain(page["NextShardIterator"])
        self.assertEqual(first + len(rest), 12)
        self.assertEqual([r["PartitionKey"] for r in page["Records"] + rest], ["k%d" % i for i in range(12)])

    def test_record_fields(self):
        page = kinesis.get_records(ShardIterator=iterator(self.name, shard_id(0)))
        self.assertIsInstance(page["MillisBehindLatest"], int)
        self.assertGreaterEqual(page["MillisBehindLatest"], 0)
        for r in page["Records"]:
            ts = r["ApproximateArrivalTimestamp"]
            self.assertIsInstance(ts, datetime.datetime)
            self.assertGreaterEqual(ts, self.before - datetime.timedelta(seconds=1))
            self.assertLessEqual(ts, self.after + datetime.timedelta(seconds=1))
            self.assertEqual(r.get("EncryptionType", "NONE"), "NONE")

    def test_new_record_appears_on_the_same_iterator_chain(self):
        name = create_stream(kinesis)
        page = kinesis.get_records(ShardIterator=iterator(name, shard_id(0)))
        self.assertEqual(page["Records"], [])
        kinesis.put_record(StreamName=name, Data=b"later", PartitionKey="k")
        page = kinesis.get_records(ShardIterator=page["NextShardIterator"])
        self.assertEqual([r["Data"] for r in page["Records"]], [b"later"])

    def test_garbage_iterator_is_invalid_argument(self):
        for garbage in ("garbage", base64.b64encode(b"x" * 120).decode()):
            with self.subTest(iterator=garbage[:20]):
                with self.assertRaises(kinesis.exceptions.InvalidArgumentException) as cm:
                    kinesis.get_records(ShardIterator=garbage)
                self.assertEqual(error_of(cm)[2], 400)

    def test_tampered_iterator_is_rejected(self):
        it = iterator(self.name, shard_id(0))
        middle = len(it) // 2
        flipped = it[:middle] + ("A" if it[middle] != "A" else "B") + it[middle + 1:]
        with self.assertRaises(ClientError) as cm:
            kinesis.get_records(ShardIterator=flipped)
        self.assertIn(error_of(cm)[0], ("InvalidArgumentException", "ExpiredIteratorException"))

    def test_limit_bounds(self):
        it = iterator(self.name, shard_id(0))
        with self.assertRaises(ClientError) as cm:
            kinesis.get_records(ShardIterator=it, Limit=10001)
        self.assert_error(cm, "ValidationException",
                          "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: "
                          "Member must have value less than or equal to 10000")

    def test_iterator_of_deleted_stream(self):
        name = create_stream(kinesis)
        it = iterator(name, shard_id(0))
        kinesis.delete_stream(StreamName=name)
        wait_gone(kinesis, name)
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException):
            kinesis.get_records(ShardIterator=it)


class ReshardingTest(KinesisTestCase):
    def test_split_shard(self):
        name = create_stream(kinesis)
        before = kinesis.put_record(StreamName=name, Data=b"before", PartitionKey="k")
        middle = 2 ** 127
        kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(middle))
        wait_active(kinesis, name)
        shards = {s["ShardId"]: s for s in list_all_shards(kinesis, name)}
        self.assertEqual(sorted(shards), [shard_id(0), shard_id(1), shard_id(2)])
        parent = shards[shard_id(0)]
        self.assertFalse(is_open(parent))
        self.assertGreaterEqual(int(parent["SequenceNumberRange"]["EndingSequenceNumber"]),
                                int(before["SequenceNumber"]))
        self.assertEqual(shard_range(shards[shard_id(1)]), (0, middle - 1))
        self.assertEqual(shard_range(shards[shard_id(2)]), (middle, MAX_HASH))
        for child in (shard_id(1), shard_id(2)):
            self.assertEqual(shards[child]["ParentShardId"], shard_id(0))
            self.assertNotIn("AdjacentParentShardId", shards[child])
            self.assertGreater(int(shards[child]["SequenceNumberRange"]["StartingSequenceNumber"]),
                               int(before["SequenceNumber"]))
        after = kinesis.put_record(StreamName=name, Data=b"after", PartitionKey="k", ExplicitHashKey=str(middle))
        self.assertEqual(after["ShardId"], shard_id(2))
        self.assertEqual(kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["OpenShardCount"], 2)
        # The closed parent still serves its records, then ends with ChildShards.
        page = kinesis.get_records(ShardIterator=iterator(name, shard_id(0)))
        self.assertEqual([r["Data"] for r in page["Records"]], [b"before"])
        while page.get("NextShardIterator"):
            page = kinesis.get_records(ShardIterator=page["NextShardIterator"])
        children = sorted(page["ChildShards"], key=lambda c: c["ShardId"])
        self.assertEqual([c["ShardId"] for c in children], [shard_id(1), shard_id(2)])
        for c in children:
            self.assertEqual(c["ParentShards"], [shard_id(0)])
        self.assertEqual(shard_range(children[1]), (middle, MAX_HASH))

    def test_split_with_bad_hash_key(self):
        name = create_stream(kinesis, shards=3)
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException) as cm:
            kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey="1")
        self.assert_error(cm, "InvalidArgumentException",
                          "NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream %s "
                          "under account %s is not both greater than one plus the shard's StartingHashKey 0 and less "
                          "than the shard's EndingHashKey 113427455640312821154458202477256070484." % (name, ACCOUNT))
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException) as cm:
            kinesis.split_shard(StreamName=name, ShardToSplit="shardId-000000000005", NewStartingHashKey="5")
        self.assert_error(cm, "ResourceNotFoundException",
                          "Could not find shard shardId-000000000005 in stream %s under account %s." % (name, ACCOUNT))
        self.assertEqual(len(kinesis.list_shards(StreamName=name)["Shards"]), 3)

    def test_merge_adjacent_shards(self):
        name = create_stream(kinesis, shards=3)
        kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(1))
        wait_active(kinesis, name)
        shards = {s["ShardId"]: s for s in list_all_shards(kinesis, name)}
        self.assertEqual(sorted(shards), [shard_id(i) for i in range(4)])
        child = shards[shard_id(3)]
        self.assertEqual(child["ParentShardId"], shard_id(0))
        self.assertEqual(child["AdjacentParentShardId"], shard_id(1))
        ranges = expected_ranges(3)
        self.assertEqual(shard_range(child), (ranges[0][0], ranges[1][1]))
        self.assertFalse(is_open(shards[shard_id(0)]))
        self.assertFalse(is_open(shards[shard_id(1)]))
        self.assertTrue(is_open(shards[shard_id(2)]))
        self.assertEqual(kinesis.put_record(StreamName=name, Data=b"m", PartitionKey="k",
                                            ExplicitHashKey="0")["ShardId"], shard_id(3))

    def test_merge_non_adjacent_is_invalid(self):
        name = create_stream(kinesis, shards=3)
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException) as cm:
            kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(2))
        self.assert_error(cm, "InvalidArgumentException",
                          "Shards shardId-000000000000 and shardId-000000000002 in stream %s under account %s are "
                          "not an adjacent pair of shards eligible for merging" % (name, ACCOUNT))

    def test_update_shard_count_up_and_down(self):
        name = create_stream(kinesis, shards=2)
        out = kinesis.update_shard_count(StreamName=name, TargetShardCount=4, ScalingType="UNIFORM_SCALING")
        self.assertEqual((out["StreamName"], out["CurrentShardCount"], out["TargetShardCount"]), (name, 2, 4))
        self.assertEqual(wait_active(kinesis, name)["OpenShardCount"], 4)
        open_shards = sorted((s for s in list_all_shards(kinesis, name) if is_open(s)), key=lambda s: shard_range(s))
        self.assertEqual([shard_range(s) for s in open_shards], expected_ranges(4))
        kinesis.update_shard_count(StreamName=name, TargetShardCount=3, ScalingType="UNIFORM_SCALING")
        self.assertEqual(wait_active(kinesis, name)["OpenShardCount"], 3)
        open_shards = sorted((s for s in list_all_shards(kinesis, name) if is_open(s)), key=lambda s: shard_range(s))
        covered = [shard_range(s) for s in open_shards]
        self.assertEqual(covered[0][0], 0)
        self.assertEqual(covered[-1][1], MAX_HASH)
        for (_, end), (start, _) in zip(covered, covered[1:]):
            self.assertEqual(start, end + 1)
        # Routing follows the new open shards.
        for key in ("a", "b", "c", "d"):
            out = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey=key)
            self.assertEqual(out["ShardId"], owner_shard(open_shards, partition_hash(key)))

    def test_update_shard_count_limits(self):
        name = create_stream(kinesis, shards=2)
        with self.assertRaises(kinesis.exceptions.LimitExceededException) as cm:
            kinesis.update_shard_count(StreamName=name, TargetShardCount=5, ScalingType="UNIFORM_SCALING")
        self.assert_error(cm, "LimitExceededException",
                          "UpdateShardCount cannot scale up over double your current open shard count. "
                          "Current open shard count: 2, Target shard count: 5")
        name = create_stream(kinesis, shards=6)
        with self.assertRaises(kinesis.exceptions.LimitExceededException) as cm:
            kinesis.update_shard_count(StreamName=name, TargetShardCount=2, ScalingType="UNIFORM_SCALING")
        self.assert_error(cm, "LimitExceededException",
                          "UpdateShardCount cannot scale down below half your current open shard count. "
                          "Current open shard count: 6, Target shard count: 2")


class ReadAcrossReshardingTest(KinesisTestCase):
    """The issue's "done means": a reader following NextShardIterator and
    ChildShards reads every record exactly once, in order per shard."""

    def test_reader_follows_children_across_split_and_merge(self):
        name = create_stream(kinesis, shards=2)
        written = []  # (data, shard id, sequence number) in put order

        def put_batch(tag, n):
            for i in range(n):
                data = b"%s-%d" % (tag, i)
                out = kinesis.put_record(StreamName=name, Data=data, PartitionKey="key-%s-%d" % (tag.decode(), i))
                written.append((data, out["ShardId"], int(out["SequenceNumber"])))
            entries = [{"Data": b"%s-batch-%d" % (tag, i), "PartitionKey": "bk-%s-%d" % (tag.decode(), i)}
                       for i in range(n)]
            out = kinesis.put_records(StreamName=name, Records=entries)
            self.assertEqual(out.get("FailedRecordCount", 0), 0)
            for e, r in zip(entries, out["Records"]):
                written.append((e["Data"], r["ShardId"], int(r["SequenceNumber"])))

        put_batch(b"before", 15)
        kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 126))
        wait_active(kinesis, name)
        put_batch(b"split", 15)
        kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(2), AdjacentShardToMerge=shard_id(3))
        wait_active(kinesis, name)
        put_batch(b"merged", 15)
        self.assertEqual({w[1] for w in written},
                         {shard_id(0), shard_id(1), shard_id(2), shard_id(3), shard_id(4)})

        # The reader knows only the root shards; everything else comes from ChildShards.
        listed = kinesis.list_shards(StreamName=name)["Shards"]
        roots = [s["ShardId"] for s in listed if "ParentShardId" not in s]
        open_ids = {s["ShardId"] for s in listed if is_open(s)}
        self.assertEqual(roots, [shard_id(0), shard_id(1)])
        read = {}          # shard id -> [(data, seq)]
        finished = set()
        parents_of = {}
        queue = list(roots)
        while queue:
            sid = queue.pop(0)
            if sid in read:
                continue
            if any(p not in finished for p in parents_of.get(sid, [])):
                queue.append(sid)  # a merge child waits for both parents
                continue
            read[sid] = []
            it = iterator(name, sid)
            for _ in range(200):
                page = kinesis.get_records(ShardIterator=it, Limit=7)
                read[sid] += [(r["Data"], int(r["SequenceNumber"])) for r in page["Records"]]
                it = page.get("NextShardIterator")
                if it is None:
                    finished.add(sid)
                    for child in page.get("ChildShards", []):
                        parents_of[child["ShardId"]] = child["ParentShards"]
                        self.assertIn(sid, child["ParentShards"])
                        queue.append(child["ShardId"])
                    break
                if sid in open_ids and not page["Records"] and page["MillisBehindLatest"] == 0:
                    break  # open shard, at the tip
            else:
                self.fail("shard %s never ended" % sid)

        self.assertEqual(finished, {shard_id(0), shard_id(2), shard_id(3)})
        self.assertEqual(set(read), {shard_id(i) for i in range(5)})
        all_read = [d for recs in read.values() for d, _ in recs]
        self.assertEqual(len(all_read), len(written))
        self.assertEqual(sorted(all_read), sorted(w[0] for w in written))
        for sid, recs in read.items():
            expected = [(d, s) for d, shard, s in written if shard == sid]
            self.assertEqual(recs, expected, "shard %s: every record once, in put order" % sid)
            seqs = [s for _, s in recs]
            self.assertEqual(seqs, sorted(set(seqs)))


if __name__ == "__main__":
    unittest.main()
