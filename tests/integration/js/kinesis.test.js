// Kinesis through the AWS SDK for JavaScript v3 (@aws-sdk/client-kinesis)
// against the real binary, over HTTP/1.1 (NodeHttpHandler; the Kinesis client
// would otherwise prefer HTTP/2): create a stream, put and get records, and
// check that binary data and timestamps round-trip and errors are typed;
// SubscribeToShard over HTTP/1.1 (chunked).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const {
  KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand, ListStreamsCommand, PutRecordCommand,
  PutRecordsCommand, GetShardIteratorCommand, GetRecordsCommand, DeleteStreamCommand, ListShardsCommand,
  ResourceNotFoundException,
} = require('@aws-sdk/client-kinesis');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const { startServer } = require('./shoal_server');
const { runSubscribe } = require('./kinesis_subscribe');

const ACCOUNT = '000000000000';
let server;
let kinesis;

function md5Hash(key) {
  return BigInt(`0x${crypto.createHash('md5').update(key, 'utf8').digest('hex')}`);
}

async function waitActive(name, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (out.StreamDescriptionSummary.StreamStatus === 'ACTIVE') return out.StreamDescriptionSummary;
    if (Date.now() > deadline) throw new Error(`stream ${name} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test.before(async () => {
  server = await startServer();
  kinesis = new KinesisClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30000 }),
  });
});

test.after(async () => {
  if (kinesis) kinesis.destroy();
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `shoal exit status ${code}; stderr:\n${server.stderr()}`);
  }
});

test('create, put and get records round-trip binary data', async () => {
  const name = `js-${crypto.randomUUID().slice(0, 12)}`;
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
  const summary = await waitActive(name);
  assert.equal(summary.OpenShardCount, 2);
  assert.equal(summary.StreamARN, `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`);
  assert.ok(summary.StreamCreationTimestamp instanceof Date);

  const listed = await kinesis.send(new ListStreamsCommand({}));
  assert.ok(listed.StreamNames.includes(name));

  const shards = (await kinesis.send(new ListShardsCommand({ StreamName: name }))).Shards;
  const owner = (key) => {
    const h = md5Hash(key);
    return shards.find((s) => BigInt(s.HashKeyRange.StartingHashKey) <= h
      && h <= BigInt(s.HashKeyRange.EndingHashKey)).ShardId;
  };

  const before = Date.now();
  const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
  const put = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'binary', Data: payload }));
  assert.equal(put.ShardId, owner('binary'));
  assert.match(put.SequenceNumber, /^\d+$/);

  const entries = Array.from({ length: 20 }, (_, i) => ({
    PartitionKey: `key-${i}`, Data: new TextEncoder().encode(`record ${i} ✓`),
  }));
  const batch = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: entries }));
  assert.equal(batch.FailedRecordCount ?? 0, 0);
  assert.equal(batch.Records.length, 20);
  batch.Records.forEach((r, i) => assert.equal(r.ShardId, owner(`key-${i}`)));

  const seen = new Map();
  for (const shard of shards) {
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON',
    }));
    const out = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
    assert.ok(out.NextShardIterator);
    assert.equal(typeof out.MillisBehindLatest, 'number');
    let last = -1n;
    for (const r of out.Records) {
      assert.ok(r.Data instanceof Uint8Array);
      assert.ok(r.ApproximateArrivalTimestamp instanceof Date);
      assert.ok(Math.abs(r.ApproximateArrivalTimestamp.getTime() - before) < 60000,
        `arrival ${r.ApproximateArrivalTimestamp.toISOString()} is not near now`);
      const seq = BigInt(r.SequenceNumber);
      assert.ok(seq > last, 'sequence numbers increase within a shard');
      last = seq;
      seen.set(r.PartitionKey, { data: Buffer.from(r.Data), shard: shard.ShardId });
    }
  }
  assert.deepEqual(seen.get('binary').data, Buffer.from(payload));
  entries.forEach((e, i) => {
    const got = seen.get(`key-${i}`);
    assert.ok(got, `record key-${i} was read back`);
    assert.equal(got.data.toString('utf8'), `record ${i} ✓`);
    assert.equal(got.shard, owner(`key-${i}`));
  });
  assert.equal(seen.size, 21);

  await kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
});

test('SubscribeToShard over HTTP/1.1: the event stream arrives chunked beside the puts', async () => {
  await runSubscribe(kinesis, (seconds) => new Promise((resolve, reject) => {
    http.request(`${server.endpoint}/_shoal/clock/advance?seconds=${seconds}`, { method: 'POST' }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`advance: ${res.statusCode}`))));
    }).on('error', reject).end();
  }));
});

test('a missing stream is a typed ResourceNotFoundException with AWS wording', async () => {
  const name = `js-missing-${crypto.randomUUID().slice(0, 8)}`;
  await assert.rejects(
    kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })),
    (err) => {
      assert.ok(err instanceof ResourceNotFoundException, `got ${err.name}: ${err.message}`);
      assert.equal(err.message, `Stream ${name} under account ${ACCOUNT} not found.`);
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    },
  );
});
