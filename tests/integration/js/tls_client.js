// Run by http2.test.js in a child process whose NODE_EXTRA_CA_CERTS names the
// certificate shoal generated (Node reads that variable at start-up only):
// everything a user does against https://localhost:TLS_PORT with default
// settings. Exits 0 when every check passed.
'use strict';

const assert = require('node:assert/strict');
const http2 = require('node:http2');
const https = require('node:https');
const { KinesisClient } = require('@aws-sdk/client-kinesis');
const { SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand } = require('@aws-sdk/client-sqs');
const { NodeHttp2Handler } = require('@smithy/node-http-handler');
const { runKinesisDataPlane } = require('./kinesis_data_plane');
const { runSubscribe } = require('./kinesis_subscribe');

const endpoint = process.env.SHOAL_TLS_ENDPOINT;
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };

// ALPN: which protocol a client offering `protocols` gets.
function alpn(protocols) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(endpoint, { ALPNProtocols: protocols });
    session.on('error', reject);
    session.socket.on('secureConnect', () => { resolve(session.alpnProtocol); session.close(); });
  });
}

function request(method, path) {
  return new Promise((resolve, reject) => {
    https.request(`${endpoint}${path}`, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, version: res.httpVersion, body }));
    }).on('error', reject).end();
  });
}

async function main() {
  assert.equal(await alpn(['h2', 'http/1.1']), 'h2');
  const health = await request('GET', '/_shoal/health');  // https offers http/1.1 only
  assert.equal(health.status, 200);
  assert.equal(health.version, '1.1');
  assert.match(health.body, /"status"/);

  const kinesis = new KinesisClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  assert.equal(kinesis.config.requestHandler.constructor.name, 'NodeHttp2Handler');
  await runKinesisDataPlane(kinesis);
  await runSubscribe(kinesis, async (seconds) => {
    const r = await request('POST', `/_shoal/clock/advance?seconds=${seconds}`);
    assert.equal(r.status, 200, r.body);
  });
  kinesis.destroy();

  const sqs = new SQSClient({
    endpoint, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: new NodeHttp2Handler(),
  });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'over-tls' }));
  assert.match(QueueUrl, /^https:\/\/[^/]+\/000000000000\/over-tls$/);  // a URL a client can use over TLS
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'secret hello' }));
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
  assert.deepEqual(got.Messages.map((m) => m.Body), ['secret hello']);
  sqs.destroy();
}

main().then(() => { console.log('tls client: ok'); }, (err) => { console.error(err); process.exitCode = 1; });
