// SubscribeToShard through one KinesisClient: run over HTTP/1.1 by
// kinesis.test.js, and with the default handler (HTTP/2) over h2c by
// http2.test.js and over TLS by tls_client.js, where the subscriptions and
// the puts share one connection as a KCL-style consumer's do. Checks records
// pushed as they are put, in order and once; ContinuationSequenceNumber to
// resume; ChildShards followed across a SplitShard and a MergeShards.
// `advanceClock(seconds)` moves the emulator's clock, so the 5-minute
// subscription ends without waiting.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const {
  CreateStreamCommand, DescribeStreamConsumerCommand, RegisterStreamConsumerCommand, PutRecordCommand,
  SubscribeToShardCommand, DeleteStreamCommand, SplitShardCommand, MergeShardsCommand, ResourceInUseException,
} = require('@aws-sdk/client-kinesis');
const { waitActive } = require('./kinesis_data_plane');

const text = (r) => Buffer.from(r.Data).toString('utf8');

async function waitConsumerActive(kinesis, arn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: arn }));
    if (out.ConsumerDescription.ConsumerStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`consumer ${arn} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runSubscribe(kinesis, advanceClock) {
  const name = `sub-${crypto.randomUUID().slice(0, 12)}`;
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  const { StreamARN } = await waitActive(kinesis, name);
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'fan-out' }));
  await waitConsumerActive(kinesis, Consumer.ConsumerARN);
  const put = (data) => kinesis.send(new PutRecordCommand({
    StreamName: name, PartitionKey: 'p', Data: new TextEncoder().encode(data),
  }));
  await put('before');

  const subscribe = (position) => kinesis.send(new SubscribeToShardCommand({
    ConsumerARN: Consumer.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: position,
  }));
  const { EventStream } = await subscribe({ Type: 'TRIM_HORIZON' });
  // A second subscription of the same consumer and shard within 5 seconds is refused.
  await assert.rejects(subscribe({ Type: 'LATEST' }), (err) => err instanceof ResourceInUseException);

  // Records put while subscribed are pushed on the open stream, in order, once each.
  const seen = [];
  let continuation;
  let putsDone = false;
  let ended = false;
  for await (const event of EventStream) {
    assert.ok(event.SubscribeToShardEvent, `unexpected event ${JSON.stringify(event)}`);
    const e = event.SubscribeToShardEvent;
    seen.push(...e.Records.map(text));
    if (e.ContinuationSequenceNumber) continuation = e.ContinuationSequenceNumber;
    assert.equal(typeof e.MillisBehindLatest, 'number');
    if (!putsDone && seen.includes('before')) {
      putsDone = true;
      for (let i = 0; i < 5; i += 1) await put(`live ${i}`);
    }
    if (seen.length === 6 && !ended) {
      ended = true;
      await advanceClock(301);  // the subscription's 5 minutes are over: the stream ends
    }
  }
  assert.deepEqual(seen, ['before', 'live 0', 'live 1', 'live 2', 'live 3', 'live 4']);
  assert.ok(continuation, 'events carry a ContinuationSequenceNumber');

  // Resuming from the continuation sees only what came after.
  const after = await put('after');
  const resumed = await subscribe({ Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: continuation });
  const more = [];
  for await (const event of resumed.EventStream) {
    more.push(...event.SubscribeToShardEvent.Records.map(text));
    if (more.length) break;  // leaving the loop closes the subscription's stream
  }
  assert.deepEqual(more, ['after']);

  // Split, then merge the children; a reader following ChildShards from
  // shard 0 reads every record once and in order, each from its shard.
  await put('pre-split');
  await kinesis.send(new SplitShardCommand({
    StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString(),
  }));
  await waitActive(kinesis, name);
  const putAt = (data, hashKey) => kinesis.send(new PutRecordCommand({
    StreamName: name, PartitionKey: 'p', ExplicitHashKey: hashKey, Data: new TextEncoder().encode(data),
  }));
  assert.equal((await putAt('left', '0')).ShardId, 'shardId-000000000001');
  assert.equal((await putAt('right', (2n ** 127n).toString())).ShardId, 'shardId-000000000002');
  await kinesis.send(new MergeShardsCommand({
    StreamName: name, ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002',
  }));
  await waitActive(kinesis, name);
  assert.equal((await put('merged')).ShardId, 'shardId-000000000003');

  // One shard's subscription: its records, and the children named when a
  // closed shard ends (its stream then ends); an open shard's is left once
  // `want` records came.
  const follow = async (shardId, position, want) => {
    const { EventStream: events } = await kinesis.send(new SubscribeToShardCommand({
      ConsumerARN: Consumer.ConsumerARN, ShardId: shardId, StartingPosition: position,
    }));
    const got = { records: [], children: [] };
    for await (const event of events) {
      const e = event.SubscribeToShardEvent;
      got.records.push(...e.Records.map(text));
      if (e.ChildShards && e.ChildShards.length) {
        assert.equal(e.ContinuationSequenceNumber, undefined, 'a shard\'s end has no continuation');
        got.children = e.ChildShards.map((c) => c.ShardId);
      }
      if (want !== undefined && got.records.length >= want) break;
    }
    return got;
  };
  const parent = await follow('shardId-000000000000',
    { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after.SequenceNumber });
  assert.deepEqual(parent, { records: ['pre-split'], children: ['shardId-000000000001', 'shardId-000000000002'] });
  const left = await follow('shardId-000000000001', { Type: 'TRIM_HORIZON' });
  assert.deepEqual(left, { records: ['left'], children: ['shardId-000000000003'] });
  const right = await follow('shardId-000000000002', { Type: 'TRIM_HORIZON' });
  assert.deepEqual(right, { records: ['right'], children: ['shardId-000000000003'] });
  const merged = await follow('shardId-000000000003', { Type: 'TRIM_HORIZON' }, 1);
  assert.deepEqual(merged.records, ['merged']);
  await kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
}

module.exports = { runSubscribe };
