"""SubscribeToShard over HTTP/1.1 with boto3 (which decodes the event stream
itself) and with a raw client that decodes the frames here, independently:
records put after subscribing arrive in order exactly once, every
StartingPosition type, ContinuationSequenceNumber resumes, ChildShards across
a SplitShard and a MergeShards, ResourceInUseException for a second
subscription and the takeover after 5 seconds, a consumer not ACTIVE, the
clock ending the stream after 5 minutes and sending keep-alives every 5
seconds, a disconnecting subscriber freed, CBOR payloads for a CBOR request.

AWS facts used here: the SubscribeToShard and SubscribeToShardEvent API
reference (5-minute subscriptions, the 5-second takeover rule), the error text
"Another active subscription exists for this consumer" seen from real AWS,
and the SDKs' reading of a missing ContinuationSequenceNumber as the shard's
end. Nothing here sleeps waiting for a timer: the clock is advanced instead.
"""

import base64
import datetime
import http.client
import json
import struct
import threading
import unittest
import zlib

from botocore.exceptions import ClientError, EventStreamError

import kinesis_cbor
from control_client import ok, wait_until
from kinesis_helpers import (ACCOUNT, CBOR_CT, JSON_CT, TARGET_PREFIX, auth_header, create_stream, error_of,
                             kinesis_client, shard_id, start_server, stop_server, unique_name)

server = None
kinesis = None   # puts and control-plane calls
reader = None    # subscriptions (each holds a connection while it lasts)


def setUpModule():
    global server, kinesis, reader
    server = start_server()
    kinesis = kinesis_client(server.endpoint)
    reader = kinesis_client(server.endpoint)


def tearDownModule():
    stop_server(server)


def subscriptions():
    return ok(server, "GET", "/_shoal/health")["kinesis_subscriptions"]


def advance(seconds):
    ok(server, "POST", "/_shoal/clock/advance?seconds=%s" % seconds)


def pass_engine_second_boundary():
    """Advances the engine clock past its next whole second; returns that second
    as a UTC datetime (records put before it arrived earlier, after it later)."""
    now_ms = ok(server, "GET", "/_shoal/clock")["now_ms"]
    boundary_s = now_ms // 1000 + 1
    ok(server, "POST", "/_shoal/clock/advance?milliseconds=%d" % (boundary_s * 1000 - now_ms + 50))
    return datetime.datetime.fromtimestamp(boundary_s, datetime.timezone.utc)


def consumer(name):
    """A new stream (1 shard) and an ACTIVE consumer on it: (stream name, consumer ARN)."""
    stream = create_stream(kinesis, unique_name(name))
    arn = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamARN"]
    consumer_arn = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]["ConsumerARN"]
    return stream, consumer_arn


class Subscription:
    """A boto3 subscription: events one at a time, closed on exit."""

    def __init__(self, consumer_arn, shard=0, **position):
        position.setdefault("Type", "LATEST")
        self.response = reader.subscribe_to_shard(ConsumerARN=consumer_arn, ShardId=shard_id(shard),
                                                  StartingPosition=position)
        self.events = iter(self.response["EventStream"])

    def next(self):
        return next(self.events)["SubscribeToShardEvent"]

    def records_until(self, count):
        """Events until `count` records came; returns (records, last event)."""
        records, event = [], None
        while len(records) < count:
            event = self.next()
            records += event["Records"]
        return records, event

    def close(self):
        self.response["EventStream"].close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def close_and_wait_freed(sub, left=0):
    sub.close()
    wait_until(lambda: subscriptions() == left)


def put(stream, data, key="k", **kwargs):
    return kinesis.put_record(StreamName=stream, Data=data, PartitionKey=key, **kwargs)["SequenceNumber"]


class RecordsPushed(unittest.TestCase):
    def test_records_put_after_subscribing_arrive_in_order_exactly_once(self):
        stream, arn = consumer("push")
        put(stream, b"before")  # LATEST: not delivered
        with Subscription(arn) as sub:
            first = sub.next()  # sent at once, caught up
            self.assertEqual(first["Records"], [])
            self.assertEqual(first["MillisBehindLatest"], 0)
            self.assertIn("ContinuationSequenceNumber", first)
            sent = []

            def produce():
                for i in range(200):
                    sent.append(put(stream, b"r%d" % i))

            producer = threading.Thread(target=produce)
            producer.start()
            records, last = sub.records_until(200)
            producer.join()
            self.assertEqual([r["Data"] for r in records], [b"r%d" % i for i in range(200)])
            self.assertEqual([r["SequenceNumber"] for r in records], sent)
            self.assertEqual(last["ContinuationSequenceNumber"], sent[-1])
            self.assertEqual(records[0]["PartitionKey"], "k")
            self.assertIn("ApproximateArrivalTimestamp", records[0])
            self.assertEqual(subscriptions(), 1)
        wait_until(lambda: subscriptions() == 0)

    def test_every_starting_position(self):
        stream, arn = consumer("positions")
        a = put(stream, b"a")
        boundary = pass_engine_second_boundary()  # boto3 sends whole seconds
        b = put(stream, b"b")
        put(stream, b"c")

        def first_datas(**position):
            sub = Subscription(arn, **position)
            event = sub.next()
            close_and_wait_freed(sub)
            return [r["Data"] for r in event["Records"]]

        self.assertEqual(first_datas(Type="TRIM_HORIZON"), [b"a", b"b", b"c"])
        self.assertEqual(first_datas(Type="LATEST"), [])
        self.assertEqual(first_datas(Type="AT_SEQUENCE_NUMBER", SequenceNumber=b), [b"b", b"c"])
        self.assertEqual(first_datas(Type="AFTER_SEQUENCE_NUMBER", SequenceNumber=a), [b"b", b"c"])
        self.assertEqual(first_datas(Type="AT_TIMESTAMP", Timestamp=boundary), [b"b", b"c"])

    def test_continuation_sequence_number_resumes(self):
        stream, arn = consumer("resume")
        put(stream, b"a")
        put(stream, b"b")
        sub = Subscription(arn, Type="TRIM_HORIZON")
        _, event = sub.records_until(2)
        continuation = event["ContinuationSequenceNumber"]
        close_and_wait_freed(sub)
        put(stream, b"c")
        again = Subscription(arn, Type="AFTER_SEQUENCE_NUMBER", SequenceNumber=continuation)
        records, _ = again.records_until(1)
        self.assertEqual([r["Data"] for r in records], [b"c"])
        # An idle event's continuation resumes too: nothing skipped or repeated.
        advance(5)
        idle = again.next()
        self.assertEqual(idle["Records"], [])
        close_and_wait_freed(again)
        put(stream, b"d")
        with Subscription(arn, Type="AFTER_SEQUENCE_NUMBER",
                          SequenceNumber=idle["ContinuationSequenceNumber"]) as last:
            records, _ = last.records_until(1)
            self.assertEqual([r["Data"] for r in records], [b"d"])

    def test_follows_child_shards_across_a_split_and_a_merge(self):
        stream, arn = consumer("reshard")
        half = 2 ** 127
        put(stream, b"a0", ExplicitHashKey=str(1))
        put(stream, b"a1", ExplicitHashKey=str(half))
        with Subscription(arn, Type="TRIM_HORIZON") as parent:
            records, _ = parent.records_until(2)
            self.assertEqual([r["Data"] for r in records], [b"a0", b"a1"])
            kinesis.split_shard(StreamName=stream, ShardToSplit=shard_id(0), NewStartingHashKey=str(half))
            end = parent.next()  # pushed when the shard closes
            self.assertEqual(end["Records"], [])
            self.assertNotIn("ContinuationSequenceNumber", end)
            children = [c["ShardId"] for c in end["ChildShards"]]
            self.assertEqual(children, [shard_id(1), shard_id(2)])
            self.assertEqual(end["ChildShards"][0]["ParentShards"], [shard_id(0)])
            with self.assertRaises(StopIteration):
                parent.next()  # the stream ended after ChildShards
        put(stream, b"b-low", ExplicitHashKey=str(1))
        put(stream, b"b-high", ExplicitHashKey=str(half))
        kinesis.merge_shards(StreamName=stream, ShardToMerge=shard_id(1), AdjacentShardToMerge=shard_id(2))
        put(stream, b"c0", ExplicitHashKey=str(1))
        put(stream, b"c1", ExplicitHashKey=str(half))

        def read_to_end(index):
            got, children = [], None
            with Subscription(arn, shard=index, Type="TRIM_HORIZON") as sub:
                while children is None:
                    event = sub.next()
                    got += [r["Data"] for r in event["Records"]]
                    if "ContinuationSequenceNumber" not in event:
                        children = [c["ShardId"] for c in event["ChildShards"]]
            return got, children

        low, low_children = read_to_end(1)
        high, high_children = read_to_end(2)
        self.assertEqual((low, low_children), ([b"b-low"], [shard_id(3)]))
        self.assertEqual((high, high_children), ([b"b-high"], [shard_id(3)]))
        with Subscription(arn, shard=3, Type="TRIM_HORIZON") as merged:
            records, event = merged.records_until(2)
            self.assertEqual([r["Data"] for r in records], [b"c0", b"c1"])
            self.assertIn("ContinuationSequenceNumber", event)  # open: the stream goes on


class SubscriptionSlots(unittest.TestCase):
    def test_second_subscription_is_refused_then_takes_over_after_5_seconds(self):
        stream, arn = consumer("slots")
        first = Subscription(arn)
        first.next()
        with self.assertRaises(ClientError) as cm:
            reader.subscribe_to_shard(ConsumerARN=arn, ShardId=shard_id(0), StartingPosition={"Type": "LATEST"})
        code, message, status = error_of(cm)
        self.assertEqual((code, status), ("ResourceInUseException", 400))
        self.assertEqual(message, "Another active subscription exists for this consumer: " + arn)
        advance(5)
        with Subscription(arn) as second:
            second.next()
            with self.assertRaises(EventStreamError) as taken:
                while True:
                    first.next()  # a keep-alive may come first (the clock moved 5 s)
            self.assertEqual(taken.exception.response["Error"]["Code"], "ResourceInUseException")
            self.assertTrue(taken.exception.response["Error"]["Message"].startswith(
                "Another active subscription exists for this consumer"))
            put(stream, b"x")
            records, _ = second.records_until(1)
            self.assertEqual(records[0]["Data"], b"x")
        first.close()
        wait_until(lambda: subscriptions() == 0)

    def test_a_disconnecting_subscriber_is_freed(self):
        _, arn = consumer("gone")
        sub = Subscription(arn)
        sub.next()
        self.assertEqual(subscriptions(), 1)
        close_and_wait_freed(sub)
        # The slot is free again at once (no 5-second wait).
        with Subscription(arn) as again:
            again.next()

    def test_consumer_not_active(self):
        slow = start_server("--kinesis-consumer-delay-ms", "60000")
        try:
            client = kinesis_client(slow.endpoint)
            name = create_stream(client, unique_name("creating"))
            arn = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
            consumer_arn = client.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]["ConsumerARN"]
            with self.assertRaises(ClientError) as cm:
                client.subscribe_to_shard(ConsumerARN=consumer_arn, ShardId=shard_id(0),
                                          StartingPosition={"Type": "LATEST"})
            self.assertEqual(error_of(cm), (
                "ResourceInUseException",
                "Consumer %s under account %s is not in ACTIVE state, instead in state CREATING." % (consumer_arn,
                                                                                                    ACCOUNT),
                400))
        finally:
            stop_server(slow)


class Lifetime(unittest.TestCase):
    def test_keep_alive_every_5_seconds_and_the_end_after_5_minutes(self):
        stream, arn = consumer("lifetime")
        sub = Subscription(arn)
        sub.next()
        advance(5)
        keep_alive = sub.next()
        self.assertEqual(keep_alive["Records"], [])
        self.assertEqual(keep_alive["MillisBehindLatest"], 0)
        advance(295)  # 5 minutes since the subscription started
        with self.assertRaises(StopIteration):
            while True:
                sub.next()
        wait_until(lambda: subscriptions() == 0)
        sub.close()
        # The consumer subscribes again at once and continues.
        with Subscription(arn, Type="AFTER_SEQUENCE_NUMBER",
                          SequenceNumber=keep_alive["ContinuationSequenceNumber"]) as again:
            put(stream, b"after")
            records, _ = again.records_until(1)
            self.assertEqual(records[0]["Data"], b"after")


class Shutdown(unittest.TestCase):
    def test_sigterm_ends_an_active_subscription_and_exits_cleanly(self):
        own = start_server()
        try:
            client = kinesis_client(own.endpoint)
            name = create_stream(client, unique_name("shutdown"))
            arn = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
            consumer_arn = client.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]["ConsumerARN"]
            events = iter(client.subscribe_to_shard(ConsumerARN=consumer_arn, ShardId=shard_id(0),
                                                    StartingPosition={"Type": "LATEST"})["EventStream"])
            next(events)
        finally:
            stop_server(own)  # fails unless the exit is graceful (0) within its timeout
        with self.assertRaises(StopIteration):
            while True:
                next(events)  # the stream ended cleanly: no error, no hang


# -- a raw client: our own event-stream decoder, independent of botocore --

def read_frames(data):
    """Messages of an event stream: [(headers dict, payload)]. Checks both CRCs."""
    out, at = [], 0
    while at < len(data):
        total, headers_len, prelude_crc = struct.unpack(">III", data[at:at + 12])
        assert zlib.crc32(data[at:at + 8]) == prelude_crc, "prelude CRC"
        frame = data[at:at + total]
        assert len(frame) == total, "truncated frame"
        assert zlib.crc32(frame[:-4]) == struct.unpack(">I", frame[-4:])[0], "message CRC"
        headers, h = {}, 12
        while h < 12 + headers_len:
            n = frame[h]
            name = frame[h + 1:h + 1 + n].decode()
            kind = frame[h + 1 + n]
            h += 2 + n
            assert kind == 7, "Kinesis sends string headers"
            size = struct.unpack(">H", frame[h:h + 2])[0]
            headers[name] = frame[h + 2:h + 2 + size].decode()
            h += 2 + size
        out.append((headers, frame[12 + headers_len:-4]))
        at += total
    return out


def read_frame_bytes(resp):
    """One whole message of an event stream, as bytes (read_frames decodes it)."""
    prelude = resp.read(4)
    assert len(prelude) == 4, "the stream ended before a message"
    rest = resp.read(struct.unpack(">I", prelude)[0] - 4)
    return prelude + rest


def raw_subscribe(consumer_arn, position, cbor):
    """Subscribes over a raw HTTP/1.1 connection, reads until the server ends
    the stream (after the clock is advanced), returns (response, frames)."""
    body = {"ConsumerARN": consumer_arn, "ShardId": shard_id(0), "StartingPosition": position}
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    conn.request("POST", "/", body=kinesis_cbor.encode(body) if cbor else json.dumps(body).encode(), headers={
        "Content-Type": CBOR_CT if cbor else JSON_CT, "X-Amz-Target": TARGET_PREFIX + "SubscribeToShard",
        "Authorization": auth_header(), "X-Amz-Date": "20240101T000000Z"})
    resp = conn.getresponse()
    return conn, resp


class RawFrames(unittest.TestCase):
    def check(self, cbor):
        stream, arn = consumer("raw")
        put(stream, b"\x00\x01binary")
        conn, resp = raw_subscribe(arn, {"Type": "TRIM_HORIZON"}, cbor)
        try:
            self.assertEqual(resp.status, 200)
            self.assertEqual(resp.getheader("Content-Type"), "application/vnd.amazon.eventstream")
            self.assertEqual(resp.getheader("Transfer-Encoding"), "chunked")
            self.assertTrue(resp.getheader("x-amzn-RequestId"))
            # The initial response and the first event, read before the clock
            # moves: an advance that reaches the server first ends the
            # subscription before its first event (seen under ThreadSanitizer).
            head = b"".join(read_frame_bytes(resp) for _ in range(2))
            advance(300)  # ends it; what came before is all there
            frames = read_frames(head + resp.read())
        finally:
            conn.close()
        content_type = CBOR_CT if cbor else JSON_CT
        self.assertEqual(frames[0][0], {":event-type": "initial-response", ":content-type": content_type,
                                        ":message-type": "event"})
        self.assertEqual(frames[0][1], b"\xa0" if cbor else b"{}")
        headers, payload = frames[1]
        self.assertEqual(headers, {":event-type": "SubscribeToShardEvent", ":content-type": content_type,
                                   ":message-type": "event"})
        event = kinesis_cbor.decode(payload) if cbor else json.loads(payload)
        record = event["Records"][0]
        if cbor:
            self.assertEqual(record["Data"], b"\x00\x01binary")  # a byte string
            stamp = record["ApproximateArrivalTimestamp"]
            self.assertEqual(stamp.tag, 1)
            self.assertGreater(stamp.value, 10 ** 12)  # epoch milliseconds, as AWS sends CBOR
        else:
            self.assertEqual(base64.b64decode(record["Data"]), b"\x00\x01binary")
            self.assertLess(record["ApproximateArrivalTimestamp"], 10 ** 11)  # epoch seconds
        self.assertEqual(event["ContinuationSequenceNumber"], record["SequenceNumber"])
        wait_until(lambda: subscriptions() == 0)

    def test_json_frames_decoded_independently(self):
        self.check(cbor=False)

    def test_cbor_request_gets_cbor_payloads(self):
        self.check(cbor=True)


if __name__ == "__main__":
    unittest.main()
