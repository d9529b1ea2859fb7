// HTTP/2 against the real binary: the JS SDK v3 with its default handler
// (NodeHttp2Handler) over h2c by prior knowledge on the plain port and over
// TLS (ALPN) on --tls-port, the SQS client over HTTP/2, and Node's own http2
// module for what an SDK does not show: every /_shoal/ endpoint, the SQS
// query protocol, many streams on one connection, a long poll answered from
// another stream, a reset stream, the body limit, GOAWAY on SIGTERM.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const http2 = require('node:http2');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { KinesisClient } = require('@aws-sdk/client-kinesis');
const {
  SQSClient, CreateQueueCommand, SendMessageCommand, SendMessageBatchCommand, ReceiveMessageCommand,
  DeleteMessageCommand, GetQueueAttributesCommand,
} = require('@aws-sdk/client-sqs');
const { NodeHttp2Handler } = require('@smithy/node-http-handler');
const { startServer } = require('./shoal_server');
const { runKinesisDataPlane } = require('./kinesis_data_plane');
const { runSubscribe } = require('./kinesis_subscribe');

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };
const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, '
  + 'SignedHeaders=host, Signature=0';
let server;

test.before(async () => {
  server = await startServer(['--tls-port', '0']);
});

test.after(async () => {
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `shoal exit status ${code}; stderr:\n${server.stderr()}`);
  }
});

// One request on an http2 session; resolves to { status, headers, body }.
function h2request(session, headers, body) {
  return new Promise((resolve, reject) => {
    const req = session.request(headers);
    let data = '';
    let head;
    req.setEncoding('utf8');
    req.on('response', (h) => { head = h; });
    req.on('data', (c) => { data += c; });
    req.on('end', () => resolve({ status: head && head[':status'], headers: head, body: data }));
    req.on('error', reject);
    req.end(body);
  });
}

// The same over HTTP/1.1, for comparison.
function h1request(endpoint, method, target, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${endpoint}${target}`, { method, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function sqsJson(session, action, input) {
  return h2request(session, {
    ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `AmazonSQS.${action}`, authorization: AUTH,
  }, JSON.stringify(input)).then((r) => ({ ...r, json: r.body ? JSON.parse(r.body) : {} }));
}

async function health(session) {
  return JSON.parse((await h2request(session, { ':path': '/_shoal/health' })).body);
}

// Polls a condition over the same session: nothing here waits on a timer.
async function until(what, check, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

test('Kinesis data plane over h2c with the default request handler', async () => {
  const kinesis = new KinesisClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  assert.equal(kinesis.config.requestHandler.constructor.name, 'NodeHttp2Handler');
  try {
    await runKinesisDataPlane(kinesis);
  } finally {
    kinesis.destroy();
  }
});

test('SubscribeToShard over h2c: records pushed on the connection the puts share', async () => {
  const kinesis = new KinesisClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    await runSubscribe(kinesis, async (seconds) => {
      const r = await h1request(server.endpoint, 'POST', `/_shoal/clock/advance?seconds=${seconds}`, {}, '');
      assert.equal(r.status, 200, r.body);
    });
  } finally {
    kinesis.destroy();
  }
});

test('Kinesis and SQS over TLS trusting the generated certificate (NODE_EXTRA_CA_CERTS)', async () => {
  assert.ok(server.tlsEndpoint, `no tls line in:\n${server.stderr()}`);
  const child = spawn(process.execPath, [path.join(__dirname, 'tls_client.js')], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: server.certPath, SHOAL_TLS_ENDPOINT: server.tlsEndpoint },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, output);
  assert.match(output, /tls client: ok/);
});

test('SQS over HTTP/2 (NodeHttp2Handler): a long poll answered by a send on the same connection', async () => {
  const sqs = new SQSClient({
    endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: new NodeHttp2Handler(),
  });
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'h2-jobs' }));
    assert.match(QueueUrl, /^http:\/\/127\.0\.0\.1:\d+\/000000000000\/h2-jobs$/);
    const started = Date.now();
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
    const got = await waiting;
    assert.deepEqual(got.Messages.map((m) => m.Body), ['wake up']);
    assert.ok(Date.now() - started < 5000, 'answered by the send, not by the deadline');
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got.Messages[0].ReceiptHandle }));
    const batch = await sqs.send(new SendMessageBatchCommand({
      QueueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })),
    }));
    assert.equal(batch.Successful.length, 10);
    const attributes = await sqs.send(new GetQueueAttributesCommand({
      QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'],
    }));
    assert.equal(attributes.Attributes.ApproximateNumberOfMessages, '10');
  } finally {
    sqs.destroy();
  }
});

test('a long poll and the send that answers it on two streams of one h2c session', async () => {
  const session = http2.connect(server.endpoint);
  try {
    const queue = (await sqsJson(session, 'CreateQueue', { QueueName: 'h2-raw' })).json.QueueUrl;
    const waiting = sqsJson(session, 'ReceiveMessage', { QueueUrl: queue, WaitTimeSeconds: 20 });
    await until('the poll to park', async () => (await health(session)).parked_long_polls >= 1);
    const sent = await sqsJson(session, 'SendMessage', { QueueUrl: queue, MessageBody: 'same connection' });
    assert.equal(sent.status, 200);
    const got = await waiting;
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.Messages.map((m) => m.Body), ['same connection']);
  } finally {
    session.close();
  }
});

test('300 concurrent streams on one connection (SETTINGS_MAX_CONCURRENT_STREAMS 100)', async () => {
  const session = http2.connect(server.endpoint);
  try {
    const queue = (await sqsJson(session, 'CreateQueue', { QueueName: 'h2-many' })).json.QueueUrl;
    assert.equal(session.remoteSettings.maxConcurrentStreams, 100);
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => sqsJson(session, 'SendMessage', {
      QueueUrl: queue, MessageBody: `message ${i}`,
    })));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    assert.equal(new Set(answers.map((a) => a.json.MessageId)).size, 300);
    const attributes = await sqsJson(session, 'GetQueueAttributes', {
      QueueUrl: queue, AttributeNames: ['ApproximateNumberOfMessages'],
    });
    assert.equal(attributes.json.Attributes.ApproximateNumberOfMessages, '300');
  } finally {
    session.close();
  }
});

test('every /_shoal/ endpoint and the SQS query protocol answer over h2c as over HTTP/1.1', async () => {
  const session = http2.connect(server.endpoint);
  try {
    const queue = (await sqsJson(session, 'CreateQueue', { QueueName: 'h2-control' })).json.QueueUrl;
    await sqsJson(session, 'SendMessage', { QueueUrl: queue, MessageBody: 'peek me' });
    const form = 'Action=ListQueues&Version=2012-11-05&QueueNamePrefix=h2-control';
    const query = {
      ':method': 'POST', ':path': '/', 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH,
    };
    const listed = await h2request(session, query, form);
    assert.equal(listed.status, 200);
    assert.match(listed.headers['content-type'], /xml/);
    assert.match(listed.body, new RegExp(`<QueueUrl>${queue}</QueueUrl>`));

    const calls = [
      ['GET', '/_shoal/health'],
      ['HEAD', '/_shoal/health'],
      ['GET', '/_shoal/clock'],
      ['POST', '/_shoal/clock/advance?seconds=0'],
      ['GET', `/_shoal/sqs/messages?QueueUrl=${encodeURIComponent(queue)}`],
      ['GET', '/_aws/sqs/messages?QueueUrl=' + encodeURIComponent(queue)],
      ['GET', '/_shoal/kinesis/shards?StreamName=missing'],
      ['GET', '/_shoal/faults'],
      ['DELETE', '/_shoal/faults'],
      ['GET', '/_shoal/metrics'],
      ['GET', '/_shoal/nowhere'],
      ['PUT', '/_shoal/health'],
    ];
    for (const [method, target] of calls) {
      const h2 = await h2request(session, { ':method': method, ':path': target });
      const h1 = await h1request(server.endpoint, method, target, {}, undefined);
      assert.equal(h2.status, h1.status, `${method} ${target}`);
      assert.equal(h2.headers['content-type'], h1.headers['content-type'], `${method} ${target}`);
      assert.ok(h2.headers['x-amzn-requestid'], `${method} ${target} has a request id`);
      if (h2.headers['content-type'] === 'application/json' && h2.body) {
        // The same shape (times and uptimes differ between the two calls).
        assert.deepEqual(Object.keys(JSON.parse(h2.body)).sort(), Object.keys(JSON.parse(h1.body)).sort(),
          `${method} ${target}`);
      }
      const stable = (body) => body.replace(/<RequestId>[^<]*</g, '<RequestId><');
      if (target.includes('messages')) assert.equal(stable(h2.body), stable(h1.body), `${method} ${target}`);
    }
    // POST /_shoal/reset last: it empties everything.
    const reset = await h2request(session, { ':method': 'POST', ':path': '/_shoal/reset' });
    assert.equal(reset.status, 200);
  } finally {
    session.close();
  }
});

test('a stream reset mid-request or while parked is freed; the connection goes on', async () => {
  const session = http2.connect(server.endpoint);
  try {
    const queue = (await sqsJson(session, 'CreateQueue', { QueueName: 'h2-reset' })).json.QueueUrl;
    // Half a body, then RST_STREAM(CANCEL).
    const partial = session.request({
      ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.SendMessage', 'content-length': '1000',
    });
    partial.on('error', () => {});
    partial.write('{"QueueUrl": "');
    await new Promise((r) => setImmediate(r));
    partial.close(http2.constants.NGHTTP2_CANCEL);

    const before = (await health(session)).parked_long_polls;
    const parked = session.request({
      ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.ReceiveMessage', authorization: AUTH,
    });
    parked.on('error', () => {});
    parked.end(JSON.stringify({ QueueUrl: queue, WaitTimeSeconds: 20 }));
    await until('the poll to park', async () => (await health(session)).parked_long_polls === before + 1);
    parked.close(http2.constants.NGHTTP2_CANCEL);
    await until('the reset poll to be freed', async () => (await health(session)).parked_long_polls === before);

    // Nothing was sent by the reset request, and the session still works.
    const sent = await sqsJson(session, 'SendMessage', { QueueUrl: queue, MessageBody: 'after resets' });
    assert.equal(sent.status, 200);
    const count = await sqsJson(session, 'GetQueueAttributes', {
      QueueUrl: queue, AttributeNames: ['ApproximateNumberOfMessages'],
    });
    assert.equal(count.json.Attributes.ApproximateNumberOfMessages, '1');
  } finally {
    session.close();
  }
});

test('a body over --max-body-bytes gets 413 on its stream; the connection goes on', async () => {
  const small = await startServer(['--max-body-bytes', '1000']);
  const session = http2.connect(small.endpoint);
  try {
    const big = JSON.stringify({ QueueName: 'x'.repeat(5000) });
    const declared = await sqsJson(session, 'CreateQueue', { QueueName: 'x'.repeat(5000) });
    assert.equal(declared.status, 413);
    assert.match(declared.body, /RequestEntityTooLarge/);
    // No content-length: the limit is found while the DATA frames arrive.
    const streamed = await new Promise((resolve, reject) => {
      const req = session.request({
        ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.CreateQueue',
      });
      let status;
      let body = '';
      req.on('response', (h) => { status = h[':status']; });
      req.on('data', (c) => { body += c; });
      req.on('close', () => resolve({ status, body }));
      req.on('error', reject);
      for (let i = 0; i < big.length; i += 500) req.write(big.slice(i, i + 500));
      req.end();
    });
    assert.equal(streamed.status, 413);
    assert.match(streamed.body, /larger than the limit of 1000 bytes/);
    const ok = await sqsJson(session, 'CreateQueue', { QueueName: 'fits' });
    assert.equal(ok.status, 200);
  } finally {
    session.close();
    assert.equal(await small.stop(), 0);
  }
});

test('SIGTERM: GOAWAY, the parked long poll answered empty, the half-sent request finished', async () => {
  const own = await startServer();
  const session = http2.connect(own.endpoint);
  session.on('error', () => {});
  const goaway = new Promise((resolve) => session.once('goaway', (code) => resolve(code)));
  try {
    const queue = (await sqsJson(session, 'CreateQueue', { QueueName: 'h2-stop' })).json.QueueUrl;
    const waiting = sqsJson(session, 'ReceiveMessage', { QueueUrl: queue, WaitTimeSeconds: 20 });
    await until('the poll to park', async () => (await health(session)).parked_long_polls === 1);
    // A request whose body is still coming when the signal arrives.
    let inflightStatus;
    const inflight = session.request({
      ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.SendMessage', authorization: AUTH,
    });
    inflight.on('response', (h) => { inflightStatus = h[':status']; });
    inflight.resume();  // read the answer's body, so the stream can close
    const inflightDone = new Promise((resolve) => inflight.on('close', resolve));
    const body = JSON.stringify({ QueueUrl: queue, MessageBody: 'sent during shutdown' });
    inflight.on('error', () => {});  // a failure shows as a missing 200 below
    inflight.write(body.slice(0, 10));
    // Frames go out in order: once a later stream is answered, the server has
    // begun the in-flight one.
    await health(session);

    const started = Date.now();
    const stopped = own.stop();
    assert.equal(await goaway, http2.constants.NGHTTP2_NO_ERROR);
    const answered = await waiting;
    assert.equal(answered.status, 200);
    assert.deepEqual(answered.json.Messages || [], []);
    inflight.end(body.slice(10));
    await inflightDone;
    assert.equal(inflightStatus, 200);
    assert.equal(await stopped, 0);
    assert.ok(Date.now() - started < 5000, 'shut down without waiting for the poll deadline');
  } finally {
    session.destroy();
    await own.stop();
  }
});
