#!/usr/bin/env python3
"""Writes the seed corpora under tests/fuzz/corpus/<target>/ from requests the
tests send (a handful each). Rerun after changing a target's input layout;
the journal seeds are copied from a data directory (see --journal).

    python3 tests/fuzz/make_corpus.py [--journal DATA_DIR]
"""

import argparse
import json
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))


def model_ops(name):
    with open(os.path.join(ROOT, "api", "model", "data", name)) as f:
        return sorted(json.load(f)["operations"])


# fuzz_operations.h: Kinesis operations by name, then SQS's.
OPERATIONS = model_ops("kinesis-2013-12-02.json") + model_ops("sqs-2012-11-05.json")
QUERY_OPERATIONS = model_ops("sqs-query-2012-11-05.json")

QUEUE = "http://localhost:4566/000000000000/jobs"
REQUESTS = [
    ("PutRecords", {"StreamName": "s", "Records": [{"Data": "aGk=", "PartitionKey": "p"},
                                                   {"Data": "", "PartitionKey": "q", "ExplicitHashKey": "1"}]}),
    ("CreateStream", {"StreamName": "s", "ShardCount": 2, "Tags": {"team": "a"}}),
    ("GetShardIterator", {"StreamName": "s", "ShardId": "shardId-000000000000", "ShardIteratorType": "AT_TIMESTAMP",
                          "Timestamp": 1700000000.5}),
    ("ListShards", {"StreamName": "s", "MaxResults": 100, "ShardFilter": {"Type": "AT_LATEST"}}),
    ("SendMessage", {"QueueUrl": QUEUE, "MessageBody": "hello \u00e9", "DelaySeconds": 1,
                     "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "1.5"},
                                           "b": {"DataType": "Binary", "BinaryValue": "aGk="}}}),
    ("SendMessageBatch", {"QueueUrl": QUEUE, "Entries": [{"Id": "a", "MessageBody": "x"},
                                                         {"Id": "b", "MessageBody": "y", "DelaySeconds": 0}]}),
    ("ReceiveMessage", {"QueueUrl": QUEUE, "MaxNumberOfMessages": 10, "AttributeNames": ["All"],
                        "MessageAttributeNames": ["n.*"], "WaitTimeSeconds": 0}),
    ("CreateQueue", {"QueueName": "q.fifo", "Attributes": {"FifoQueue": "true"}, "tags": {"k": "v"}}),
]
FORMS = [
    ("SendMessage", "Action=SendMessage&QueueUrl=" + QUEUE + "&MessageBody=hi%20there&MessageAttribute.1.Name=n"
     "&MessageAttribute.1.Value.DataType=Number&MessageAttribute.1.Value.StringValue=3"),
    ("SendMessageBatch", "Action=SendMessageBatch&QueueUrl=q&SendMessageBatchRequestEntry.1.Id=a"
     "&SendMessageBatchRequestEntry.1.MessageBody=x&SendMessageBatchRequestEntry.2.Id=b"
     "&SendMessageBatchRequestEntry.2.MessageBody=y"),
    ("ReceiveMessage", "Action=ReceiveMessage&QueueUrl=q&AttributeName.1=All&MaxNumberOfMessages=10&Version=2012-11-05"),
    ("SetQueueAttributes", "Action=SetQueueAttributes&QueueUrl=q&Attribute.1.Name=VisibilityTimeout"
     "&Attribute.1.Value=60"),
    ("TagQueue", "Action=TagQueue&QueueUrl=q&Tag.1.Key=k&Tag.1.Value=v"),
]
HTTP = [
    b"POST / HTTP/1.1\r\nHost: localhost:4566\r\nContent-Type: application/x-amz-json-1.0\r\n"
    b"X-Amz-Target: AmazonSQS.ListQueues\r\nContent-Length: 2\r\n\r\n{}",
    b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    b"GET /_shoal/health HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello",
    b"GET /000000000000/q?Action=ReceiveMessage HTTP/1.0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
]


def cbor(value):
    import kinesis_cbor
    return kinesis_cbor.encode(value)


def write(target, name, data):
    directory = os.path.join(HERE, "corpus", target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def event_message(headers, payload):
    """One event-stream frame (api/protocol/event_stream.h): headers are
    (name, type tag, value bytes) triples."""
    head = b"".join(bytes([len(n)]) + n.encode() + bytes([t]) + v for n, t, v in headers)
    prelude = struct.pack(">II", 16 + len(head) + len(payload), len(head))
    body = prelude + struct.pack(">I", zlib.crc32(prelude)) + head + payload
    return body + struct.pack(">I", zlib.crc32(body))


def string_header(name, value):
    return (name, 7, struct.pack(">H", len(value)) + value.encode())


EVENTS = [
    ("initial", event_message([string_header(":event-type", "initial-response"),
                               string_header(":message-type", "event")], b"{}")),
    ("records", event_message([string_header(":event-type", "SubscribeToShardEvent"),
                               string_header(":content-type", "application/json"),
                               string_header(":message-type", "event")],
                              b'{"Records":[],"ContinuationSequenceNumber":"1","MillisBehindLatest":0}')),
    ("every-type", event_message([("t", 0, b""), ("f", 1, b""), ("b", 2, b"\x7f"), ("s", 3, b"\x00\x01"),
                                  ("i", 4, b"\x00\x00\x00\x02"), ("l", 5, b"\x00" * 7 + b"\x03"),
                                  ("y", 6, b"\x00\x02hi"), ("ts", 8, b"\x00" * 8), ("u", 9, b"\x01" * 16)],
                                 b"payload")),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--journal", help="a shoal --data-dir to take segment files from")
    args = parser.parse_args()
    for action, body in REQUESTS:
        op = bytes([OPERATIONS.index(action)])
        write("fuzz_json_reader", action, op + json.dumps(body).encode())
        if action in ("PutRecords", "CreateStream", "GetShardIterator", "ListShards"):
            as_cbor = dict(body)
            if action == "PutRecords":
                as_cbor["Records"] = [{"Data": b"hi", "PartitionKey": "p"}]
            write("fuzz_cbor_reader", action, op + cbor(as_cbor))
    for action, form in FORMS:
        write("fuzz_query_form", action, bytes([QUERY_OPERATIONS.index(action)]) + form.encode())
    for i, request in enumerate(HTTP):
        write("fuzz_http_request_parser", "request%d" % i, bytes([len(request) // 2]) + request)
    for name, frame in EVENTS:
        write("fuzz_event_stream", name, frame)
    write("fuzz_event_stream", "two-frames", EVENTS[0][1] + EVENTS[1][1])
    write("fuzz_receipt_handle", "base64url", b"AQEjRWeJq83vAAAAAAAAAAEAAAAAAAAAAqqqqqqqqqqq")
    write("fuzz_shard_iterator", "base64", b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    if args.journal:
        segments = sorted(n for n in os.listdir(args.journal) if n.endswith(".log"))
        for name in segments[:4]:
            with open(os.path.join(args.journal, name), "rb") as f:
                image = f.read()
            write("fuzz_journal_reader", name, image)
            # The same records for the replay target: a 2-byte length before each.
            records = b""
            at = 8
            while at + 8 <= len(image):
                (length,) = struct.unpack_from("<I", image, at)
                record = image[at + 8:at + 8 + length]
                if len(record) != length or length > 0xffff:
                    break
                records += struct.pack("<H", length) + record
                at += 8 + length
            write("fuzz_change_replay", name, records)


if __name__ == "__main__":
    main()
