// Strict SigV4 authentication with the AWS SDK for JavaScript v3: SQS (AWS
// JSON) and Kinesis clients that sign correctly pass over HTTP/1.1 and over
// h2c (where the signed host is the :authority pseudo-header); a wrong secret
// or an unknown key get AWS's typed errors.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { KinesisClient, ListStreamsCommand, CreateStreamCommand } = require('@aws-sdk/client-kinesis');
const { SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, ListQueuesCommand } =
  require('@aws-sdk/client-sqs');
const { NodeHttpHandler, NodeHttp2Handler } = require('@smithy/node-http-handler');
const { startServer } = require('./shoal_server');

const KEY = 'AKIDJSSTRICT';
const SECRET = 'js-secret';
let server;

function handler(h2) {
  return h2 ? new NodeHttp2Handler({ requestTimeout: 30000 })
    : new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30000 });
}

function clients(h2, secret = SECRET, key = KEY) {
  const common = {
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: key, secretAccessKey: secret },
    maxAttempts: 1,
  };
  return {
    sqs: new SQSClient({ ...common, requestHandler: handler(h2) }),
    kinesis: new KinesisClient({ ...common, requestHandler: handler(h2) }),
  };
}

test.before(async () => {
  server = await startServer(['--auth', 'strict', '--auth-keys', `${KEY}:${SECRET}`]);
});

test.after(async () => {
  if (server) assert.equal(await server.stop(), 0);
});

for (const h2 of [false, true]) {
  const via = h2 ? 'h2c' : 'HTTP/1.1';

  test(`signed correctly, SQS and Kinesis work over ${via}`, async () => {
    const { sqs, kinesis } = clients(h2);
    try {
      const name = `js-strict-${h2 ? 'h2' : 'h1'}`;
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hi' }));
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
      assert.equal(got.Messages[0].Body, 'hi');
      assert.ok((await sqs.send(new ListQueuesCommand({}))).QueueUrls.includes(QueueUrl));
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      assert.ok((await kinesis.send(new ListStreamsCommand({}))).StreamNames.includes(name));
    } finally {
      sqs.destroy();
      kinesis.destroy();
    }
  });

  test(`a wrong secret or an unknown key is refused over ${via}`, async () => {
    const wrong = clients(h2, 'wrong');
    const nobody = clients(h2, SECRET, 'AKIDNOBODY');
    try {
      await assert.rejects(wrong.sqs.send(new ListQueuesCommand({})), (e) => {
        assert.equal(e.name, 'SignatureDoesNotMatch');
        assert.equal(e.$metadata.httpStatusCode, 403);
        return true;
      });
      await assert.rejects(wrong.kinesis.send(new ListStreamsCommand({})), (e) => {
        assert.equal(e.name, 'InvalidSignatureException');
        assert.equal(e.$metadata.httpStatusCode, 400);
        return true;
      });
      await assert.rejects(nobody.sqs.send(new ListQueuesCommand({})), (e) => e.name === 'InvalidClientTokenId');
      await assert.rejects(nobody.kinesis.send(new ListStreamsCommand({})),
        (e) => e.name === 'UnrecognizedClientException');
    } finally {
      for (const c of [wrong, nobody]) {
        c.sqs.destroy();
        c.kinesis.destroy();
      }
    }
  });
}
