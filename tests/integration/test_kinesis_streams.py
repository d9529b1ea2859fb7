"""Kinesis streams, shards and the stateful control-plane actions, driven with
boto3 against the real binary: create/describe/list/delete, AWS's hash-key
split and shard ids, StreamARN addressing, retention, tags, consumers,
encryption, enhanced monitoring, limits, stream mode, resource policies,
account settings, max record size and warm throughput, and AWS's errors.

Expected values come from AWS's API reference and recordings of real AWS
(kinesalite's test suite, LocalStack snapshots in shared/aws-reference).
"""

import datetime
import json
import re
import unittest

from botocore.exceptions import ClientError

from kinesis_helpers import (ACCOUNT, MAX_HASH, REGION, create_stream, error_of, expected_ranges,
                             has_flag, kinesis_client, not_found_message, pass_second_boundary, raw_request, shard_id, shard_range,
                             start_server, stop_server, stream_arn, unique_name, wait_active, wait_for, wait_gone)

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


class KinesisTestCase(unittest.TestCase):
    def assert_error(self, cm, code, message=None, status=400):
        got_code, got_message, got_status = error_of(cm)
        self.assertEqual(got_code, code, cm.exception.response)
        if message is not None:
            self.assertEqual(got_message, message)
        self.assertEqual(got_status, status, cm.exception.response)

    def assert_ranges(self, shards, n):
        self.assertEqual([shard_range(s) for s in shards], expected_ranges(n))
        self.assertEqual([s["ShardId"] for s in shards], [shard_id(i) for i in range(n)])


class CreateStreamTest(KinesisTestCase):
    def test_three_shards_split_the_hash_space_as_aws_does(self):
        name = create_stream(kinesis, shards=3)
        desc = kinesis.describe_stream(StreamName=name)["StreamDescription"]
        self.assertEqual(desc["StreamStatus"], "ACTIVE")
        self.assertEqual(desc["StreamName"], name)
        self.assertEqual(desc["StreamARN"], stream_arn(name))
        self.assertFalse(desc["HasMoreShards"])
        self.assertEqual(desc["RetentionPeriodHours"], 24)
        self.assertEqual(desc["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
        self.assertEqual(desc.get("EncryptionType", "NONE"), "NONE")
        shards = desc["Shards"]
        self.assertEqual([s["ShardId"] for s in shards],
                         ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"])
        self.assertEqual([(s["HashKeyRange"]["StartingHashKey"], s["HashKeyRange"]["EndingHashKey"]) for s in shards], [
            ("0", "113427455640312821154458202477256070484"),
            ("113427455640312821154458202477256070485", "226854911280625642308916404954512140969"),
            ("226854911280625642308916404954512140970", "340282366920938463463374607431768211455"),
        ])
        for s in shards:
            seq = s["SequenceNumberRange"]
            self.assertRegex(seq["StartingSequenceNumber"], r"^\d{56}$")  # AWS's 56-digit form
            self.assertNotIn("EndingSequenceNumber", seq)
            self.assertNotIn("ParentShardId", s)
            self.assertNotIn("AdjacentParentShardId", s)
        created = desc["StreamCreationTimestamp"]
        self.assertIsInstance(created, datetime.datetime)
        self.assertLess(abs((utcnow() - created).total_seconds()), 60)

    def test_two_shards_meet_at_two_to_the_127(self):
        name = create_stream(kinesis, shards=2)
        shards = kinesis.list_shards(StreamName=name)["Shards"]
        self.assertEqual([(s["HashKeyRange"]["StartingHashKey"], s["HashKeyRange"]["EndingHashKey"]) for s in shards], [
            ("0", "170141183460469231731687303715884105727"),
            ("170141183460469231731687303715884105728", "340282366920938463463374607431768211455"),
        ])

    def test_uneven_shard_counts_cover_the_space_without_gaps(self):
        for n in (5, 7):
            with self.subTest(shards=n):
                name = create_stream(kinesis, shards=n)
                shards = kinesis.list_shards(StreamName=name)["Shards"]
                self.assert_ranges(shards, n)
                self.assertEqual(shard_range(shards[-1])[1], MAX_HASH)

    def test_on_demand_starts_with_four_shards(self):
        name = unique_name("od")
        kinesis.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
        summary = wait_active(kinesis, name)
        self.assertEqual(summary["StreamModeDetails"], {"StreamMode": "ON_DEMAND"})
        self.assertEqual(summary["OpenShardCount"], 4)
        self.assert_ranges(kinesis.list_shards(StreamName=name)["Shards"], 4)

    def test_no_shard_count_gives_four_shards(self):
        # Recorded from real AWS (LocalStack snapshot test_create_stream_without_shard_count).
        name = unique_name("noshards")
        kinesis.create_stream(StreamName=name)
        wait_active(kinesis, name)
        self.assert_ranges(kinesis.list_shards(StreamName=name)["Shards"], 4)

    def test_tags_given_at_creation_are_listed(self):
        name = create_stream(kinesis, Tags={"team": "data", "env": "test"})
        tags = kinesis.list_tags_for_stream(StreamName=name)["Tags"]
        self.assertEqual({t["Key"]: t["Value"] for t in tags}, {"team": "data", "env": "test"})

    def test_creating_an_existing_stream_is_resource_in_use(self):
        name = create_stream(kinesis)
        with self.assertRaises(kinesis.exceptions.ResourceInUseException) as cm:
            kinesis.create_stream(StreamName=name, ShardCount=2)
        self.assert_error(cm, "ResourceInUseException",
                          "Stream %s under account %s already exists." % (name, ACCOUNT))
        self.assertEqual(kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["OpenShardCount"], 1)

    def test_invalid_name_is_a_validation_error_in_aws_wording(self):
        with self.assertRaises(ClientError) as cm:
            kinesis.create_stream(StreamName="a b", ShardCount=1)
        self.assert_error(cm, "ValidationException",
                          "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy constraint: "
                          "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")

    def test_too_long_name_and_zero_shards(self):
        name = "a" * 129
        with self.assertRaises(ClientError) as cm:
            kinesis.create_stream(StreamName=name, ShardCount=1)
        self.assert_error(cm, "ValidationException",
                          "1 validation error detected: Value '%s' at 'streamName' failed to satisfy constraint: "
                          "Member must have length less than or equal to 128" % name)
        # boto3 refuses ShardCount 0 itself; raw JSON reaches the server.
        reply = raw_request(server, "CreateStream", {"StreamName": unique_name(), "ShardCount": 0})
        self.assertEqual((reply.status, reply.error_type), (400, "ValidationException"), reply)
        self.assertEqual(reply.json()["message"],
                         "1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint: "
                         "Member must have value greater than or equal to 1")

    def test_shard_count_over_the_account_limit_is_limit_exceeded(self):
        name = unique_name("huge")
        with self.assertRaises(kinesis.exceptions.LimitExceededException) as cm:
            kinesis.create_stream(StreamName=name, ShardCount=100000)
        code, message, status = error_of(cm)
        self.assertEqual((code, status), ("LimitExceededException", 400))
        self.assertTrue(message.startswith("This request would exceed the shard limit for the account %s in %s. "
                                           % (ACCOUNT, REGION)), message)
        self.assertIn("Number of additional shards that would have resulted from this request: 100000.", message)
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException):
            kinesis.describe_stream_summary(StreamName=name)


@unittest.skipUnless(has_flag("--kinesis-create-delay-ms"), "binary has no --kinesis-*-delay-ms flags")
class StatusTransitionTest(KinesisTestCase):
    """With a real delay, the intermediate states are visible, then settle."""

    def test_creating_updating_deleting_then_settled(self):
        slow = start_server("--kinesis-create-delay-ms", "400", "--kinesis-update-delay-ms", "400",
                            "--kinesis-delete-delay-ms", "400", "--kinesis-consumer-delay-ms", "400")
        try:
            client = kinesis_client(slow.endpoint)
            name = unique_name("slow")
            client.create_stream(StreamName=name, ShardCount=1)
            first = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
            self.assertEqual(first["StreamStatus"], "CREATING")
            wait_active(client, name, timeout=5)
            client.update_shard_count(StreamName=name, TargetShardCount=2, ScalingType="UNIFORM_SCALING")
            self.assertEqual(client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"],
                             "UPDATING")
            with self.assertRaises(client.exceptions.ResourceInUseException):
                client.update_shard_count(StreamName=name, TargetShardCount=4, ScalingType="UNIFORM_SCALING")
            summary = wait_active(client, name, timeout=5)
            self.assertEqual(summary["OpenShardCount"], 2)
            consumer = client.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName="slow")["Consumer"]
            self.assertEqual(consumer["ConsumerStatus"], "CREATING")
            self.assertEqual(client.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
                             ["ConsumerDescription"]["ConsumerStatus"], "CREATING")
            wait_for(lambda: client.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
                     ["ConsumerDescription"]["ConsumerStatus"] == "ACTIVE", timeout=5, what="consumer ACTIVE")
            client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
            self.assertEqual(client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"],
                             "DELETING")
            wait_gone(client, name, timeout=5)
        finally:
            stop_server(slow)


@unittest.skipUnless(has_flag("--kinesis-shard-limit"), "binary has no --kinesis-shard-limit flag")
class ConfiguredShardLimitTest(KinesisTestCase):
    def test_account_shard_limit_applies_to_create_split_and_update(self):
        small = start_server("--kinesis-shard-limit", "5")
        try:
            client = kinesis_client(small.endpoint)
            self.assertEqual(client.describe_limits()["ShardLimit"], 5)
            name = create_stream(client, shards=3)
            with self.assertRaises(client.exceptions.LimitExceededException) as cm:
                client.create_stream(StreamName=unique_name(), ShardCount=3)
            self.assert_error(cm, "LimitExceededException",
                              "This request would exceed the shard limit for the account %s in %s. Current shard "
                              "count for the account: 3. Limit: 5. Number of additional shards that would have "
                              "resulted from this request: 3. Refer to the AWS Service Limits page "
                              "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current "
                              "limits and how to request higher limits." % (ACCOUNT, REGION))
            client.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 100))
            wait_active(client, name)
            self.assertEqual(client.describe_limits()["OpenShardCount"], 4)
            client.split_shard(StreamName=name, ShardToSplit=shard_id(1), NewStartingHashKey=str(2 ** 127))
            wait_active(client, name)
            with self.assertRaises(client.exceptions.LimitExceededException):
                client.split_shard(StreamName=name, ShardToSplit=shard_id(2), NewStartingHashKey=str(3 * 2 ** 126))
            with self.assertRaises(client.exceptions.LimitExceededException):
                client.update_shard_count(StreamName=name, TargetShardCount=6, ScalingType="UNIFORM_SCALING")
            self.assertEqual(client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
                             ["OpenShardCount"], 5)
        finally:
            stop_server(small)


class DescribeStreamTest(KinesisTestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = create_stream(kinesis, shards=5)

    def test_limit_and_exclusive_start_shard_id_page_through_shards(self):
        page = kinesis.describe_stream(StreamName=self.name, Limit=2)["StreamDescription"]
        self.assertEqual([s["ShardId"] for s in page["Shards"]], [shard_id(0), shard_id(1)])
        self.assertTrue(page["HasMoreShards"])
        page = kinesis.describe_stream(StreamName=self.name, Limit=2,
                                       ExclusiveStartShardId=shard_id(1))["StreamDescription"]
        self.assertEqual([s["ShardId"] for s in page["Shards"]], [shard_id(2), shard_id(3)])
        self.assertTrue(page["HasMoreShards"])
        page = kinesis.describe_stream(StreamName=self.name, Limit=2,
                                       ExclusiveStartShardId=shard_id(3))["StreamDescription"]
        self.assertEqual([s["ShardId"] for s in page["Shards"]], [shard_id(4)])
        self.assertFalse(page["HasMoreShards"])
        everything = kinesis.describe_stream(StreamName=self.name)["StreamDescription"]
        self.assertEqual(len(everything["Shards"]), 5)
        self.assertFalse(everything["HasMoreShards"])

    def test_summary(self):
        s = kinesis.describe_stream_summary(StreamName=self.name)["StreamDescriptionSummary"]
        self.assertEqual(s["StreamName"], self.name)
        self.assertEqual(s["StreamARN"], stream_arn(self.name))
        self.assertEqual(s["StreamStatus"], "ACTIVE")
        self.assertEqual(s["OpenShardCount"], 5)
        self.assertEqual(s.get("ConsumerCount", 0), 0)
        self.assertEqual(s["RetentionPeriodHours"], 24)
        self.assertEqual(s["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
        self.assertEqual(s.get("EncryptionType", "NONE"), "NONE")
        self.assertEqual(s["EnhancedMonitoring"], [{"ShardLevelMetrics": []}])
        self.assertIsInstance(s["StreamCreationTimestamp"], datetime.datetime)

    def test_unknown_stream_names_stream_and_account(self):
        name = unique_name("missing")
        for call in (lambda: kinesis.describe_stream(StreamName=name),
                     lambda: kinesis.describe_stream_summary(StreamName=name),
                     lambda: kinesis.list_shards(StreamName=name),
                     lambda: kinesis.delete_stream(StreamName=name),
                     lambda: kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="k")):
            with self.subTest(call=call):
                with self.assertRaises(kinesis.exceptions.ResourceNotFoundException) as cm:
                    call()
                self.assert_error(cm, "ResourceNotFoundException", not_found_message(name))

    def test_key_with_12_digit_access_key_is_that_account(self):
        other = kinesis_client(server.endpoint, key="111111111111")
        name = unique_name("acct")
        with self.assertRaises(other.exceptions.ResourceNotFoundException) as cm:
            other.describe_stream_summary(StreamName=name)
        self.assert_error(cm, "ResourceNotFoundException", not_found_message(name, "111111111111"))
        # Streams are per account: the default account's stream is invisible there.
        with self.assertRaises(other.exceptions.ResourceNotFoundException):
            other.describe_stream_summary(StreamName=self.name)


class ListStreamsTest(KinesisTestCase):
    def test_pagination_with_limit_and_next_token_sees_every_stream_once_in_order(self):
        prefix = unique_name("ls")
        names = [create_stream(kinesis, "%s-%d" % (prefix, i)) for i in range(3)]
        seen, kwargs, pages = [], {"Limit": 1}, 0
        while True:
            page = kinesis.list_streams(**kwargs)
            pages += 1
            self.assertLessEqual(len(page["StreamNames"]), 1)
            seen += page["StreamNames"]
            if not page["HasMoreStreams"]:
                self.assertNotIn("NextToken", page)
                break
            self.assertTrue(page.get("NextToken"), page)
            kwargs = {"Limit": 1, "NextToken": page["NextToken"]}
            self.assertLess(pages, 200)
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(seen, sorted(seen))
        for name in names:
            self.assertIn(name, seen)

    def test_exclusive_start_stream_name_and_summaries(self):
        prefix = unique_name("lx")
        names = [create_stream(kinesis, "%s-%d" % (prefix, i)) for i in range(3)]
        page = kinesis.list_streams(ExclusiveStartStreamName=names[0], Limit=2)
        self.assertEqual(page["StreamNames"], names[1:3])
        summaries = {s["StreamName"]: s for s in page["StreamSummaries"]}
        self.assertEqual(sorted(summaries), names[1:3])
        for name in names[1:3]:
            s = summaries[name]
            self.assertEqual(s["StreamARN"], stream_arn(name))
            self.assertEqual(s["StreamStatus"], "ACTIVE")
            self.assertEqual(s["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
            self.assertIsInstance(s["StreamCreationTimestamp"], datetime.datetime)

    def test_deleted_stream_leaves_the_list(self):
        name = create_stream(kinesis)
        kinesis.delete_stream(StreamName=name)
        wait_gone(kinesis, name)
        paginator = kinesis.get_paginator("list_streams")
        names = [n for p in paginator.paginate() for n in p["StreamNames"]]
        self.assertNotIn(name, names)


class ListShardsTest(KinesisTestCase):
    @classmethod
    def setUpClass(cls):
        # boto3 sends whole seconds, so the instants are second boundaries.
        cls.name = create_stream(kinesis, shards=2)
        cls.before_split = pass_second_boundary()
        # Split shard 0 in half: children shardId-000000000002 and -000000000003.
        kinesis.split_shard(StreamName=cls.name, ShardToSplit=shard_id(0),
                            NewStartingHashKey=str(2 ** 126))
        wait_active(kinesis, cls.name)
        cls.after_split = pass_second_boundary()

    def ids(self, **kwargs):
        return [s["ShardId"] for s in kinesis.list_shards(StreamName=self.name, **kwargs)["Shards"]]

    def test_no_filter_lists_every_shard_with_lineage(self):
        shards = kinesis.list_shards(StreamName=self.name)["Shards"]
        self.assertEqual([s["ShardId"] for s in shards], [shard_id(i) for i in range(4)])
        by_id = {s["ShardId"]: s for s in shards}
        self.assertIn("EndingSequenceNumber", by_id[shard_id(0)]["SequenceNumberRange"])
        self.assertEqual(by_id[shard_id(2)]["ParentShardId"], shard_id(0))
        self.assertEqual(by_id[shard_id(3)]["ParentShardId"], shard_id(0))
        self.assertEqual(shard_range(by_id[shard_id(2)]), (0, 2 ** 126 - 1))
        self.assertEqual(shard_range(by_id[shard_id(3)]), (2 ** 126, 2 ** 127 - 1))

    def test_max_results_and_next_token(self):
        page = kinesis.list_shards(StreamName=self.name, MaxResults=3)
        self.assertEqual([s["ShardId"] for s in page["Shards"]], [shard_id(0), shard_id(1), shard_id(2)])
        self.assertTrue(page.get("NextToken"))
        page = kinesis.list_shards(NextToken=page["NextToken"], MaxResults=3)
        self.assertEqual([s["ShardId"] for s in page["Shards"]], [shard_id(3)])
        self.assertFalse(page.get("NextToken"))

    def test_next_token_with_stream_name_is_invalid_argument(self):
        token = kinesis.list_shards(StreamName=self.name, MaxResults=1)["NextToken"]
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException):
            kinesis.list_shards(StreamName=self.name, NextToken=token)

    def test_garbage_next_token_is_invalid_argument(self):
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException):
            kinesis.list_shards(NextToken="AAAAAAAAAAGJy3Q0cw8Kz2PvL3fAbbbbbbbb")

    def test_exclusive_start_shard_id(self):
        self.assertEqual(self.ids(ExclusiveStartShardId=shard_id(1)), [shard_id(2), shard_id(3)])

    def test_filter_after_shard_id(self):
        self.assertEqual(self.ids(ShardFilter={"Type": "AFTER_SHARD_ID", "ShardId": shard_id(1)}),
                         [shard_id(2), shard_id(3)])

    def test_filter_at_latest_is_open_shards(self):
        self.assertEqual(self.ids(ShardFilter={"Type": "AT_LATEST"}), [shard_id(1), shard_id(2), shard_id(3)])

    def test_filter_at_trim_horizon_is_oldest_shards(self):
        self.assertEqual(self.ids(ShardFilter={"Type": "AT_TRIM_HORIZON"}), [shard_id(0), shard_id(1)])

    def test_filter_from_trim_horizon_is_every_shard(self):
        self.assertEqual(self.ids(ShardFilter={"Type": "FROM_TRIM_HORIZON"}), [shard_id(i) for i in range(4)])

    def test_filter_at_timestamp(self):
        self.assertEqual(self.ids(ShardFilter={"Type": "AT_TIMESTAMP", "Timestamp": self.before_split}),
                         [shard_id(0), shard_id(1)])
        self.assertEqual(self.ids(ShardFilter={"Type": "AT_TIMESTAMP", "Timestamp": self.after_split}),
                         [shard_id(1), shard_id(2), shard_id(3)])

    def test_filter_from_timestamp(self):
        self.assertEqual(self.ids(ShardFilter={"Type": "FROM_TIMESTAMP", "Timestamp": self.before_split}),
                         [shard_id(i) for i in range(4)])
        self.assertEqual(self.ids(ShardFilter={"Type": "FROM_TIMESTAMP", "Timestamp": self.after_split}),
                         [shard_id(1), shard_id(2), shard_id(3)])

    def test_filter_requiring_a_member_without_it_is_rejected(self):
        with self.assertRaises(ClientError) as cm:
            kinesis.list_shards(StreamName=self.name, ShardFilter={"Type": "AFTER_SHARD_ID"})
        self.assertIn(error_of(cm)[0], ("InvalidArgumentException", "ValidationException"))
        with self.assertRaises(ClientError) as cm:
            kinesis.list_shards(StreamName=self.name, ShardFilter={"Type": "AT_TIMESTAMP"})
        self.assertIn(error_of(cm)[0], ("InvalidArgumentException", "ValidationException"))


class DeleteStreamTest(KinesisTestCase):
    def test_delete_makes_the_stream_unknown_and_the_name_reusable(self):
        name = create_stream(kinesis, shards=2)
        kinesis.put_record(StreamName=name, Data=b"old", PartitionKey="k")
        kinesis.delete_stream(StreamName=name)
        wait_gone(kinesis, name)
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException) as cm:
            kinesis.describe_stream(StreamName=name)
        self.assert_error(cm, "ResourceNotFoundException", not_found_message(name))
        create_stream(kinesis, name, shards=1)
        shards = kinesis.list_shards(StreamName=name)["Shards"]
        self.assertEqual(len(shards), 1)
        it = kinesis.get_shard_iterator(StreamName=name, ShardId=shards[0]["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual(kinesis.get_records(ShardIterator=it)["Records"], [])

    def test_delete_by_arn(self):
        name = create_stream(kinesis)
        kinesis.delete_stream(StreamARN=stream_arn(name))
        wait_gone(kinesis, name)

    def test_registered_consumers_block_delete_unless_enforced(self):
        name = create_stream(kinesis)
        kinesis.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName="c1")
        with self.assertRaises(kinesis.exceptions.ResourceInUseException):
            kinesis.delete_stream(StreamName=name)
        self.assertEqual(kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"],
                         "ACTIVE")
        kinesis.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
        wait_gone(kinesis, name)


class StreamArnTest(KinesisTestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = create_stream(kinesis, shards=1)
        cls.other = create_stream(kinesis, shards=1)

    def test_arn_instead_of_name(self):
        arn = stream_arn(self.name)
        s = kinesis.describe_stream_summary(StreamARN=arn)["StreamDescriptionSummary"]
        self.assertEqual(s["StreamName"], self.name)
        self.assertEqual(kinesis.describe_stream(StreamARN=arn)["StreamDescription"]["StreamName"], self.name)
        self.assertEqual(len(kinesis.list_shards(StreamARN=arn)["Shards"]), 1)
        put = kinesis.put_record(StreamARN=arn, Data=b"by-arn", PartitionKey="k")
        it = kinesis.get_shard_iterator(StreamARN=arn, ShardId=put["ShardId"],
                                        ShardIteratorType="AT_SEQUENCE_NUMBER",
                                        StartingSequenceNumber=put["SequenceNumber"])["ShardIterator"]
        self.assertEqual(kinesis.get_records(ShardIterator=it, StreamARN=arn)["Records"][0]["Data"], b"by-arn")

    def test_name_and_matching_arn_together(self):
        s = kinesis.describe_stream_summary(StreamName=self.name, StreamARN=stream_arn(self.name))
        self.assertEqual(s["StreamDescriptionSummary"]["StreamName"], self.name)

    def test_name_and_mismatching_arn_is_rejected_and_writes_nothing(self):
        with self.assertRaises(ClientError) as cm:
            kinesis.put_record(StreamName=self.name, StreamARN=stream_arn(self.other), Data=b"x", PartitionKey="k")
        code, _, status = error_of(cm)
        self.assertEqual(status, 400)
        self.assertIn(code, ("InvalidArgumentException", "ValidationException", "ResourceNotFoundException"))
        for name in (self.name, self.other):
            it = kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            data = [r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]]
            self.assertNotIn(b"x", data)

    def test_unknown_arn_is_not_found(self):
        name = unique_name("noarn")
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException) as cm:
            kinesis.describe_stream_summary(StreamARN=stream_arn(name))
        self.assert_error(cm, "ResourceNotFoundException", not_found_message(name))

    def test_malformed_arn_is_a_validation_error(self):
        with self.assertRaises(ClientError) as cm:
            kinesis.describe_stream_summary(StreamARN="arn:aws:sqs:us-east-1:000000000000:queue")
        code, message, status = error_of(cm)
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertIn("at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern",
                      message)


class RetentionTest(KinesisTestCase):
    def test_increase_then_decrease(self):
        name = create_stream(kinesis)
        kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=48)
        self.assertEqual(wait_active(kinesis, name)["RetentionPeriodHours"], 48)
        kinesis.decrease_stream_retention_period(StreamARN=stream_arn(name), RetentionPeriodHours=25)
        self.assertEqual(wait_active(kinesis, name)["RetentionPeriodHours"], 25)
        self.assertEqual(kinesis.describe_stream(StreamName=name)["StreamDescription"]["RetentionPeriodHours"], 25)

    def test_bounds_and_direction(self):
        name = create_stream(kinesis)
        cases = [
            (kinesis.increase_stream_retention_period, 23,
             "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short."),
            (kinesis.decrease_stream_retention_period, 23,
             "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short."),
            (kinesis.increase_stream_retention_period, 8761,
             "Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long."),
            (kinesis.decrease_stream_retention_period, 48,
             "Requested retention period (48 hours) for stream %s can not be longer than existing retention period "
             "(24 hours). Use IncreaseRetentionPeriod API." % name),
        ]
        for call, hours, message in cases:
            with self.subTest(call=call.__name__, hours=hours):
                with self.assertRaises(kinesis.exceptions.InvalidArgumentException) as cm:
                    call(StreamName=name, RetentionPeriodHours=hours)
                self.assert_error(cm, "InvalidArgumentException", message)
        kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=8760)
        self.assertEqual(wait_active(kinesis, name)["RetentionPeriodHours"], 8760)
        with self.assertRaises(kinesis.exceptions.InvalidArgumentException) as cm:
            kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=100)
        self.assert_error(cm, "InvalidArgumentException",
                          "Requested retention period (100 hours) for stream %s can not be shorter than existing "
                          "retention period (8760 hours). Use DecreaseRetentionPeriod API." % name)


class TagsTest(KinesisTestCase):
    def test_add_list_remove_on_stream(self):
        name = create_stream(kinesis)
        kinesis.add_tags_to_stream(StreamName=name, Tags={"b": "2", "a": "1", "c": ""})
        kinesis.add_tags_to_stream(StreamName=name, Tags={"a": "changed"})
        tags = kinesis.list_tags_for_stream(StreamName=name)
        self.assertEqual({t["Key"]: t.get("Value", "") for t in tags["Tags"]}, {"a": "changed", "b": "2", "c": ""})
        self.assertFalse(tags["HasMoreTags"])
        page = kinesis.list_tags_for_stream(StreamName=name, Limit=1)
        self.assertEqual(len(page["Tags"]), 1)
        self.assertTrue(page["HasMoreTags"])
        rest = kinesis.list_tags_for_stream(StreamName=name, ExclusiveStartTagKey=page["Tags"][0]["Key"])
        self.assertEqual(len(rest["Tags"]), 2)
        self.assertNotIn(page["Tags"][0]["Key"], [t["Key"] for t in rest["Tags"]])
        kinesis.remove_tags_from_stream(StreamName=name, TagKeys=["a", "missing"])
        tags = kinesis.list_tags_for_stream(StreamName=name)["Tags"]
        self.assertEqual(sorted(t["Key"] for t in tags), ["b", "c"])

    def test_tag_resource_family_on_stream_arn(self):
        name = create_stream(kinesis)
        arn = stream_arn(name)
        kinesis.tag_resource(ResourceARN=arn, Tags={"x": "1", "y": "2"})
        tags = kinesis.list_tags_for_resource(ResourceARN=arn)["Tags"]
        self.assertEqual({t["Key"]: t["Value"] for t in tags}, {"x": "1", "y": "2"})
        # The two APIs see the same tags.
        by_stream = kinesis.list_tags_for_stream(StreamName=name)["Tags"]
        self.assertEqual({t["Key"]: t["Value"] for t in by_stream}, {"x": "1", "y": "2"})
        kinesis.untag_resource(ResourceARN=arn, TagKeys=["x"])
        self.assertEqual(kinesis.list_tags_for_resource(ResourceARN=arn)["Tags"], [{"Key": "y", "Value": "2"}])

    def test_tags_on_unknown_stream(self):
        name = unique_name("notags")
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException) as cm:
            kinesis.add_tags_to_stream(StreamName=name, Tags={"a": "b"})
        self.assert_error(cm, "ResourceNotFoundException", not_found_message(name))
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException):
            kinesis.list_tags_for_resource(ResourceARN=stream_arn(name))

    def test_more_than_fifty_tags_is_rejected(self):
        name = create_stream(kinesis)
        kinesis.add_tags_to_stream(StreamName=name, Tags={"k%02d" % i: "v" for i in range(40)})
        with self.assertRaises(ClientError) as cm:
            kinesis.add_tags_to_stream(StreamName=name, Tags={"n%02d" % i: "v" for i in range(11)})
        self.assertIn(error_of(cm)[0], ("InvalidArgumentException", "LimitExceededException"))
        self.assertEqual(len(kinesis.list_tags_for_stream(StreamName=name)["Tags"]), 40)


class ConsumersTest(KinesisTestCase):
    def test_register_describe_list_deregister(self):
        name = create_stream(kinesis)
        arn = stream_arn(name)
        consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="reader")["Consumer"]
        self.assertEqual(consumer["ConsumerName"], "reader")
        self.assertEqual(consumer["ConsumerStatus"], "CREATING")
        self.assertRegex(consumer["ConsumerARN"], r"^%s/consumer/reader:\d+$" % re.escape(arn))
        self.assertIsInstance(consumer["ConsumerCreationTimestamp"], datetime.datetime)

        def active():
            d = kinesis.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])["ConsumerDescription"]
            return d if d["ConsumerStatus"] == "ACTIVE" else None
        desc = wait_for(active, what="consumer ACTIVE")
        self.assertEqual(desc["StreamARN"], arn)
        self.assertEqual(desc["ConsumerName"], "reader")
        by_name = kinesis.describe_stream_consumer(StreamARN=arn, ConsumerName="reader")["ConsumerDescription"]
        self.assertEqual(by_name["ConsumerARN"], consumer["ConsumerARN"])

        listed = kinesis.list_stream_consumers(StreamARN=arn)["Consumers"]
        self.assertEqual([(c["ConsumerName"], c["ConsumerARN"], c["ConsumerStatus"]) for c in listed],
                         [("reader", consumer["ConsumerARN"], "ACTIVE")])
        self.assertEqual(kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["ConsumerCount"], 1)

        with self.assertRaises(kinesis.exceptions.ResourceInUseException):
            kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="reader")

        kinesis.deregister_stream_consumer(ConsumerARN=consumer["ConsumerARN"])

        def gone():
            try:
                kinesis.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
                return False
            except kinesis.exceptions.ResourceNotFoundException:
                return True
        wait_for(gone, what="consumer deregistered")
        self.assertEqual(kinesis.list_stream_consumers(StreamARN=arn)["Consumers"], [])

    def test_list_pagination_and_deregister_by_name(self):
        name = create_stream(kinesis)
        arn = stream_arn(name)
        for c in ("c1", "c2", "c3"):
            kinesis.register_stream_consumer(StreamARN=arn, ConsumerName=c)
        page = kinesis.list_stream_consumers(StreamARN=arn, MaxResults=2)
        self.assertEqual(len(page["Consumers"]), 2)
        self.assertTrue(page.get("NextToken"))
        rest = kinesis.list_stream_consumers(StreamARN=arn, NextToken=page["NextToken"])
        names = sorted(c["ConsumerName"] for c in page["Consumers"] + rest["Consumers"])
        self.assertEqual(names, ["c1", "c2", "c3"])
        kinesis.deregister_stream_consumer(StreamARN=arn, ConsumerName="c2")
        wait_for(lambda: sorted(c["ConsumerName"] for c in kinesis.list_stream_consumers(StreamARN=arn)["Consumers"])
                 == ["c1", "c3"], what="c2 gone")

    def test_unknown_consumer(self):
        name = create_stream(kinesis)
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException):
            kinesis.describe_stream_consumer(StreamARN=stream_arn(name), ConsumerName="nobody")


class EncryptionAndMonitoringTest(KinesisTestCase):
    def test_start_and_stop_encryption(self):
        name = create_stream(kinesis)
        kinesis.start_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId="alias/aws/kinesis")
        desc = wait_active(kinesis, name)
        self.assertEqual(desc["EncryptionType"], "KMS")
        self.assertEqual(desc["KeyId"], "alias/aws/kinesis")
        full = kinesis.describe_stream(StreamName=name)["StreamDescription"]
        self.assertEqual((full["EncryptionType"], full["KeyId"]), ("KMS", "alias/aws/kinesis"))
        self.assertEqual(kinesis.put_record(StreamName=name, Data=b"e", PartitionKey="k")["EncryptionType"], "KMS")
        kinesis.stop_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId="alias/aws/kinesis")
        desc = wait_active(kinesis, name)
        self.assertEqual(desc["EncryptionType"], "NONE")
        self.assertNotIn("KeyId", desc)
        self.assertEqual(kinesis.put_record(StreamName=name, Data=b"e", PartitionKey="k").get("EncryptionType", "NONE"),
                         "NONE")

    def test_enhanced_monitoring(self):
        name = create_stream(kinesis)
        out = kinesis.enable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["IncomingBytes", "OutgoingRecords"])
        self.assertEqual(out["StreamName"], name)
        self.assertEqual(out["CurrentShardLevelMetrics"], [])
        self.assertEqual(sorted(out["DesiredShardLevelMetrics"]), ["IncomingBytes", "OutgoingRecords"])
        desc = wait_active(kinesis, name)
        self.assertEqual(sorted(desc["EnhancedMonitoring"][0]["ShardLevelMetrics"]), ["IncomingBytes", "OutgoingRecords"])
        out = kinesis.enable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"])
        all_metrics = ["IncomingBytes", "IncomingRecords", "IteratorAgeMilliseconds", "OutgoingBytes",
                       "OutgoingRecords", "ReadProvisionedThroughputExceeded", "WriteProvisionedThroughputExceeded"]
        self.assertEqual(sorted(out["DesiredShardLevelMetrics"]), all_metrics)
        wait_active(kinesis, name)
        out = kinesis.disable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["IncomingBytes"])
        self.assertEqual(sorted(out["DesiredShardLevelMetrics"]), [m for m in all_metrics if m != "IncomingBytes"])
        wait_active(kinesis, name)
        kinesis.disable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"])
        desc = wait_active(kinesis, name)
        self.assertEqual(desc["EnhancedMonitoring"], [{"ShardLevelMetrics": []}])


class AccountLevelTest(KinesisTestCase):
    def test_describe_limits_counts_open_shards(self):
        before = kinesis.describe_limits()
        self.assertGreater(before["ShardLimit"], 0)
        self.assertGreaterEqual(before["OnDemandStreamCountLimit"], 1)
        create_stream(kinesis, shards=3)
        after = kinesis.describe_limits()
        self.assertEqual(after["OpenShardCount"], before["OpenShardCount"] + 3)
        self.assertEqual(after["ShardLimit"], before["ShardLimit"])
        name = unique_name("odl")
        kinesis.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
        wait_active(kinesis, name)
        self.assertEqual(kinesis.describe_limits()["OnDemandStreamCount"], after["OnDemandStreamCount"] + 1)

    def test_account_settings_round_trip(self):
        initial = kinesis.describe_account_settings()
        status = initial.get("MinimumThroughputBillingCommitment", {}).get("Status", "DISABLED")
        self.assertIn(status, ("DISABLED", "ENABLED", "ENABLED_UNTIL_EARLIEST_ALLOWED_END"))
        out = kinesis.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
        self.assertEqual(out["MinimumThroughputBillingCommitment"]["Status"], "ENABLED")
        got = kinesis.describe_account_settings()["MinimumThroughputBillingCommitment"]
        self.assertEqual(got["Status"], "ENABLED")
        self.assertIsInstance(got.get("StartedAt"), datetime.datetime)


class StreamSettingsTest(KinesisTestCase):
    def test_update_stream_mode(self):
        name = create_stream(kinesis, shards=1)
        kinesis.update_stream_mode(StreamARN=stream_arn(name), StreamModeDetails={"StreamMode": "ON_DEMAND"})
        self.assertEqual(wait_active(kinesis, name)["StreamModeDetails"], {"StreamMode": "ON_DEMAND"})
        kinesis.update_stream_mode(StreamARN=stream_arn(name), StreamModeDetails={"StreamMode": "PROVISIONED"})
        self.assertEqual(wait_active(kinesis, name)["StreamModeDetails"], {"StreamMode": "PROVISIONED"})

    def test_resource_policy_crud(self):
        # Shape of the answers recorded from real AWS (LocalStack snapshot test_resource_policy_crud).
        name = create_stream(kinesis)
        arn = stream_arn(name)
        self.assertEqual(json.loads(kinesis.get_resource_policy(ResourceARN=arn)["Policy"]), {})
        policy = {"Version": "2012-10-17", "Statement": [{
            "Sid": "AllowCrossAccountWrite", "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
            "Action": "kinesis:PutRecord", "Resource": arn}]}
        kinesis.put_resource_policy(ResourceARN=arn, Policy=json.dumps(policy))
        self.assertEqual(json.loads(kinesis.get_resource_policy(ResourceARN=arn)["Policy"]), policy)
        policy["Statement"][0]["Action"] = ["kinesis:PutRecord", "kinesis:GetRecords"]
        kinesis.put_resource_policy(ResourceARN=arn, Policy=json.dumps(policy))
        self.assertEqual(json.loads(kinesis.get_resource_policy(ResourceARN=arn)["Policy"]), policy)
        kinesis.delete_resource_policy(ResourceARN=arn)
        self.assertEqual(json.loads(kinesis.get_resource_policy(ResourceARN=arn)["Policy"]), {})

    def test_resource_policy_on_unknown_stream(self):
        with self.assertRaises(kinesis.exceptions.ResourceNotFoundException):
            kinesis.get_resource_policy(ResourceARN=stream_arn(unique_name("nopol")))

    def test_update_max_record_size(self):
        name = create_stream(kinesis)
        big = b"m" * (1024 * 1024 + 1)
        with self.assertRaises(ClientError):
            kinesis.put_record(StreamName=name, Data=big, PartitionKey="k")
        kinesis.update_max_record_size(StreamARN=stream_arn(name), MaxRecordSizeInKiB=2048)
        summary = wait_active(kinesis, name)
        self.assertEqual(summary.get("MaxRecordSizeInKiB"), 2048)
        put = kinesis.put_record(StreamName=name, Data=big, PartitionKey="k")
        it = kinesis.get_shard_iterator(StreamName=name, ShardId=put["ShardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
                                        StartingSequenceNumber=put["SequenceNumber"])["ShardIterator"]
        self.assertEqual(kinesis.get_records(ShardIterator=it, Limit=1)["Records"][0]["Data"], big)

    def test_update_max_record_size_bounds(self):
        name = create_stream(kinesis)
        with self.assertRaises(ClientError) as cm:
            kinesis.update_max_record_size(StreamARN=stream_arn(name), MaxRecordSizeInKiB=10241)
        code, message, _ = error_of(cm)
        self.assertEqual(code, "ValidationException")
        self.assertIn("Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: "
                      "Member must have value less than or equal to 10240", message)

    def test_update_stream_warm_throughput(self):
        name = unique_name("warm")
        kinesis.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
        wait_active(kinesis, name)
        out = kinesis.update_stream_warm_throughput(StreamName=name, WarmThroughputMiBps=100)
        self.assertEqual(out["StreamName"], name)
        self.assertEqual(out["StreamARN"], stream_arn(name))
        self.assertEqual(out["WarmThroughput"]["TargetMiBps"], 100)
        summary = wait_active(kinesis, name)
        self.assertEqual(summary["WarmThroughput"]["TargetMiBps"], 100)


if __name__ == "__main__":
    unittest.main()
