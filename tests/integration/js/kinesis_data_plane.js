// Every Kinesis data-plane call (and the control-plane calls around them)
// through one KinesisClient, with checks: used over h2c by http2.test.js and
// over TLS by tls_client.js, each with the client's default request handler.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const {
  CreateStreamCommand, DescribeStreamSummaryCommand, DescribeStreamCommand, ListStreamsCommand, ListShardsCommand,
  PutRecordCommand, PutRecordsCommand, GetShardIteratorCommand, GetRecordsCommand, RegisterStreamConsumerCommand,
  DescribeStreamConsumerCommand, ListStreamConsumersCommand, SplitShardCommand, MergeShardsCommand,
  AddTagsToStreamCommand, ListTagsForStreamCommand, DeleteStreamCommand, ResourceNotFoundException,
} = require('@aws-sdk/client-kinesis');

async function waitActive(kinesis, name, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (out.StreamDescriptionSummary.StreamStatus === 'ACTIVE') return out.StreamDescriptionSummary;
    if (Date.now() > deadline) throw new Error(`stream ${name} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readShard(kinesis, iterator) {
  const records = [];
  for (let i = 0; i < 100 && iterator; i += 1) {
    const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    records.push(...out.Records);
    if (out.Records.length === 0) break;
    iterator = out.NextShardIterator;
  }
  return records;
}

const text = (r) => Buffer.from(r.Data).toString('utf8');

// Returns the stream name (deleted at the end).
async function runKinesisDataPlane(kinesis) {
  const name = `h2-${crypto.randomUUID().slice(0, 12)}`;
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  const summary = await waitActive(kinesis, name);
  assert.equal(summary.OpenShardCount, 1);
  assert.ok((await kinesis.send(new ListStreamsCommand({}))).StreamNames.includes(name));
  await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { via: 'http2' } }));
  assert.deepEqual((await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags,
    [{ Key: 'via', Value: 'http2' }]);

  const shardId = (await kinesis.send(new ListShardsCommand({ StreamName: name }))).Shards[0].ShardId;
  const start = new Date(Date.now() - 1000);
  const first = await kinesis.send(new PutRecordCommand({
    StreamName: name, PartitionKey: 'p', Data: new TextEncoder().encode('record 0'),
  }));
  assert.equal(first.ShardId, shardId);
  const batch = await kinesis.send(new PutRecordsCommand({
    StreamName: name,
    Records: Array.from({ length: 49 }, (_, i) => ({
      PartitionKey: `k${i}`, Data: new TextEncoder().encode(`record ${i + 1}`),
    })),
  }));
  assert.equal(batch.FailedRecordCount, 0);
  // A 1 MB record: bigger than any HTTP/2 flow-control window at its start.
  const big = crypto.randomBytes(1024 * 1024 - 1);
  const bigPut = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'b', Data: big }));

  const iterator = async (type, extra = {}) => (await kinesis.send(new GetShardIteratorCommand({
    StreamName: name, ShardId: shardId, ShardIteratorType: type, ...extra,
  }))).ShardIterator;

  const all = await readShard(kinesis, await iterator('TRIM_HORIZON'));
  assert.equal(all.length, 51);
  assert.deepEqual(all.slice(0, 50).map(text), Array.from({ length: 50 }, (_, i) => `record ${i}`));
  assert.ok(Buffer.from(all[50].Data).equals(big), 'the 1 MB record comes back intact');
  assert.equal(all[50].SequenceNumber, bigPut.SequenceNumber);
  const sequences = all.map((r) => BigInt(r.SequenceNumber));
  for (let i = 1; i < sequences.length; i += 1) assert.ok(sequences[i] > sequences[i - 1]);

  const at = await readShard(kinesis, await iterator('AT_SEQUENCE_NUMBER',
    { StartingSequenceNumber: all[10].SequenceNumber }));
  assert.equal(text(at[0]), 'record 10');
  const after = await readShard(kinesis, await iterator('AFTER_SEQUENCE_NUMBER',
    { StartingSequenceNumber: all[10].SequenceNumber }));
  assert.equal(text(after[0]), 'record 11');
  const byTime = await readShard(kinesis, await iterator('AT_TIMESTAMP', { Timestamp: start }));
  assert.equal(byTime.length, 51);
  const latest = await iterator('LATEST');
  await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: new TextEncoder().encode('late') }));
  assert.deepEqual((await readShard(kinesis, latest)).map(text), ['late']);

  const description = (await kinesis.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription;
  const consumer = (await kinesis.send(new RegisterStreamConsumerCommand({
    StreamARN: description.StreamARN, ConsumerName: 'reader',
  }))).Consumer;
  const described = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN }));
  assert.equal(described.ConsumerDescription.ConsumerName, 'reader');
  const consumers = await kinesis.send(new ListStreamConsumersCommand({ StreamARN: description.StreamARN }));
  assert.deepEqual(consumers.Consumers.map((c) => c.ConsumerName), ['reader']);

  await kinesis.send(new SplitShardCommand({
    StreamName: name, ShardToSplit: shardId, NewStartingHashKey: (2n ** 127n).toString(),
  }));
  await waitActive(kinesis, name);
  const children = (await kinesis.send(new ListShardsCommand({ StreamName: name }))).Shards
    .filter((s) => s.ParentShardId === shardId).map((s) => s.ShardId);
  assert.equal(children.length, 2);
  await kinesis.send(new MergeShardsCommand({
    StreamName: name, ShardToMerge: children[0], AdjacentShardToMerge: children[1],
  }));
  await waitActive(kinesis, name);
  assert.equal((await kinesis.send(new ListShardsCommand({ StreamName: name }))).Shards.length, 4);

  await assert.rejects(kinesis.send(new DescribeStreamSummaryCommand({ StreamName: `${name}-missing` })),
    (err) => err instanceof ResourceNotFoundException);
  await kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
  return name;
}

module.exports = { runKinesisDataPlane, waitActive };
