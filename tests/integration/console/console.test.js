// The web console at /_shoal/console in a real browser: Debian's headless
// Chromium driven by playwright-core, against the real binary, with queues
// and streams made by the AWS SDK for JavaScript v3. Checks what a person
// would: the lists and counts, peek, send, redrive, the record tail, a
// consumer's subscription, the clock buttons, and that hostile names render
// as text. Saves screenshots (to $SHOAL_CONSOLE_SCREENSHOTS, else
// ./screenshots) and checks they are not blank.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const {
  SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, GetQueueAttributesCommand,
} = require('@aws-sdk/client-sqs');
const {
  KinesisClient, CreateStreamCommand, PutRecordCommand, DescribeStreamSummaryCommand, RegisterStreamConsumerCommand,
  DescribeStreamConsumerCommand, SubscribeToShardCommand,
} = require('@aws-sdk/client-kinesis');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const { startServer } = require('../js/shoal_server');

const CHROMIUM = process.env.SHOAL_CHROMIUM || '/usr/bin/chromium';
// What this machine's closed network needs (no sandbox in containers, no
// background requests to Google).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = process.env.SHOAL_CONSOLE_SCREENSHOTS || path.join(__dirname, 'screenshots');
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
// A region name a browser would take for markup: any credential scope makes
// one (no '/', ',' or space, which end the scope; tabs are fine).
const XSS_REGION = '<img\tsrc=x\tonerror=window.__xss=1>';
const XSS_TEXT = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">';

let server;
let common;
let sqs;
let kinesis;
let userDataDir;
let browser;
let page;
const pageErrors = [];
const urls = {};

const handler = () => new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30000 });

async function makeQueue(name, attributes) {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  urls[name] = out.QueueUrl;
  return out.QueueUrl;
}

async function depth(name) {
  const out = await sqs.send(new GetQueueAttributesCommand({
    QueueUrl: urls[name], AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
  }));
  return [Number(out.Attributes.ApproximateNumberOfMessages), Number(out.Attributes.ApproximateNumberOfMessagesNotVisible)];
}

// An SQS JSON request by hand, for a region no SDK would accept.
async function rawSqs(action, input, region) {
  const response = await fetch(`${server.endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AmazonSQS.${action}`,
      Authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT}/20240101/${region}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(input),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

function cell(kind, name, col) {
  return page.locator(`tr[data-${kind}="${name}"] td[data-col="${col}"]`);
}

async function goto(hash) {
  await page.evaluate((h) => { window.location.hash = h; }, hash);
}

// Saves a screenshot and checks it shows something: many colours, and a fair
// share of pixels that are not the background.
async function screenshot(name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  const png = await page.screenshot({ path: file, fullPage: false });
  assert.ok(png.length > 10000, `${name}.png is only ${png.length} bytes`);
  const stats = await page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    const pixels = g.getImageData(0, 0, img.width, img.height).data;
    const colours = new Set();
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 4 * 7) {
      const [r, gr, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
      colours.add((r << 16) | (gr << 8) | b);
      if (Math.abs(r - 244) + Math.abs(gr - 246) + Math.abs(b - 249) > 30) inked += 1;
    }
    return { colours: colours.size, inked: inked / (pixels.length / (4 * 7)) };
  }, png.toString('base64'));
  assert.ok(stats.colours > 40, `${name}.png has only ${stats.colours} colours`);
  assert.ok(stats.inked > 0.05, `${name}.png is nearly blank (${(stats.inked * 100).toFixed(1)}% inked)`);
  return file;
}

test.before(async () => {
  server = await startServer();
  common = {
    endpoint: server.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: handler(),
  };
  sqs = new SQSClient(common);
  kinesis = new KinesisClient({ ...common, requestHandler: handler() });

  // jobs: 2 visible, 1 in flight for 10 minutes.
  await makeQueue('jobs');
  for (const body of ['m0', 'm1', 'm2']) await sqs.send(new SendMessageCommand({ QueueUrl: urls.jobs, MessageBody: body }));
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.jobs, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }));
  assert.equal(got.Messages.length, 1);
  await makeQueue('inbox');
  await makeQueue('orders.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  await sqs.send(new SendMessageCommand({ QueueUrl: urls['orders.fifo'], MessageBody: 'o1', MessageGroupId: 'g' }));
  // work -> work-dlq after one receive: two messages end up in the DLQ.
  await makeQueue('work-dlq');
  await makeQueue('work', {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:work-dlq`, maxReceiveCount: 1 }),
  });
  for (const body of ['w1', 'w2']) await sqs.send(new SendMessageCommand({ QueueUrl: urls.work, MessageBody: body }));
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.work, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  const moved = await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.work, MaxNumberOfMessages: 10 }));
  assert.equal((moved.Messages || []).length, 0);
  assert.deepEqual(await depth('work-dlq'), [2, 0]);

  await kinesis.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 2 }));
  await kinesis.send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'user-1', Data: Buffer.from('{"page":"/home"}') }));
  await kinesis.send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: XSS_TEXT, Data: Buffer.from(XSS_TEXT) }));

  // Hostile names: a region, a message body, a fault rule's resource.
  await rawSqs('CreateQueue', { QueueName: 'xss' }, XSS_REGION);
  const xssUrl = `${server.endpoint}/${ACCOUNT}/xss`;
  await rawSqs('SendMessage', { QueueUrl: xssUrl, MessageBody: XSS_TEXT }, XSS_REGION);
  const rule = await fetch(`${server.endpoint}/_shoal/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ service: 'sqs', action: 'NoSuchAction', resource: XSS_TEXT, error: 'ThrottlingException' }),
  });
  assert.equal(rule.status, 200);

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-console-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 860 },
  });
  page = browser.pages()[0] || await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.endpoint}/_shoal/console`);
});

test.after(async () => {
  assert.deepEqual(pageErrors, [], 'the page threw');
  if (browser) await browser.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  if (sqs) sqs.destroy();
  if (kinesis) kinesis.destroy();
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `shoal exited with ${code}:\n${server.stderr()}`);
  }
});

test('the emulator view lists every account and region with its queues and streams', async () => {
  await page.locator('#live.ok').waitFor();
  const card = page.locator(`[data-region-card="${ACCOUNT}/${REGION}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), /5 queues · 1 stream\b/);
  assert.equal(await page.locator('[data-region-card]').count(), 2);
  // Requests by action come from the server's metrics.
  await page.locator('tr[data-action="sqs/SendMessage"]').waitFor();
  // 3 to jobs, 1 to orders.fifo, 2 to work, 1 to xss.
  assert.equal(await page.locator('tr[data-action="sqs/SendMessage"] td[data-col="requests"]').textContent(), '7');
  await screenshot('emulator');
});

test('the region view shows each queue and stream with the right counts', async () => {
  await goto(`#/r/${ACCOUNT}/${REGION}`);
  await cell('queue', 'jobs', 'visible').waitFor();
  assert.equal(await cell('queue', 'jobs', 'visible').textContent(), '2');
  assert.equal(await cell('queue', 'jobs', 'in_flight').textContent(), '1');
  assert.equal(await cell('queue', 'orders.fifo', 'visible').textContent(), '1');
  assert.equal(await cell('queue', 'work-dlq', 'visible').textContent(), '2');
  assert.match(await cell('queue', 'work', 'dlq').textContent(), /work-dlq after 1/);
  assert.match(await cell('queue', 'work-dlq', 'dlq').textContent(), /DLQ of 1/);
  assert.match(await page.locator('tr[data-queue="orders.fifo"]').textContent(), /FIFO/);
  assert.equal(await page.locator('tr[data-stream="clicks"] td[data-col="records"]').textContent(), '2');
  assert.equal(await page.locator('tr[data-stream="clicks"] td[data-col="shards"]').textContent(), '2 open / 2');
  await screenshot('region');
});

test('peek shows the messages without receiving them', async () => {
  await goto(`#/r/${ACCOUNT}/${REGION}/queue/jobs`);
  const bodies = page.locator('#messages td[data-col="body"]');
  await bodies.first().waitFor();
  assert.deepEqual(await bodies.allTextContents(), ['m0', 'm1', 'm2']);
  assert.match(await page.locator('#messages tbody tr').first().textContent(), /in flight/);
  assert.deepEqual(await depth('jobs'), [2, 1]); // nothing was received
});

test('the clock advance button makes an in-flight message visible', async () => {
  await page.waitForFunction(() => document.querySelector('[data-card="in_flight"]').textContent === '1');
  await page.locator('button[data-advance="3600"]').click();
  await page.waitForFunction(() => document.querySelector('[data-card="visible"]').textContent === '3' &&
    document.querySelector('[data-card="in_flight"]').textContent === '0');
  assert.deepEqual(await depth('jobs'), [3, 0]);
  await screenshot('queue');
});

test('a message sent from the console reaches a receive', async () => {
  await goto(`#/r/${ACCOUNT}/${REGION}/queue/inbox`);
  await page.locator('[data-card="visible"]', { hasText: '0' }).waitFor();
  const body = `from the console ${crypto.randomUUID()}`;
  await page.locator('textarea[name="body"]').fill(body);
  await page.locator('#send').click();
  await page.locator('#messages td[data-col="body"]', { hasText: body }).waitFor();
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.inbox, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  assert.deepEqual((got.Messages || []).map((m) => m.Body), [body]);
});

test('redrive moves the dead-letter messages back to their source', async () => {
  await goto(`#/r/${ACCOUNT}/${REGION}/queue/work-dlq`);
  const redrive = page.locator('#redrive');
  await redrive.waitFor();
  await page.waitForFunction(() => !document.querySelector('#redrive').disabled);
  await redrive.click();
  await page.locator('[data-task-status="COMPLETED"]').waitFor();
  assert.equal(await page.locator('[data-task-moved]').getAttribute('data-task-moved'), '2');
  assert.deepEqual(await depth('work-dlq'), [0, 0]);
  assert.deepEqual(await depth('work'), [2, 0]);
  await page.waitForFunction(() => document.querySelector('[data-card="visible"]').textContent === '0');
});

test('the record tail shows a record put after the page opened, as text or hex', async () => {
  await goto(`#/r/${ACCOUNT}/${REGION}/stream/clicks`);
  const data = page.locator('#tail td[data-col="data"]');
  await data.first().waitFor();
  assert.ok((await data.allTextContents()).includes('{"page":"/home"}'));
  const fresh = `fresh record ${crypto.randomUUID()}`;
  await kinesis.send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'user-2', Data: Buffer.from(fresh) }));
  await kinesis.send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'bin', Data: Uint8Array.from([0, 1, 254, 255]) }));
  await page.locator('#tail td[data-col="data"]', { hasText: fresh }).waitFor();
  await page.locator('#tail td[data-col="data"]', { hasText: '00 01 fe ff' }).waitFor();
  assert.equal(await page.locator('[data-shard]').count(), 2);
  await page.waitForFunction(() => document.querySelector('[data-card="records_put"]').textContent === '4');
  await screenshot('stream');
});

test('a consumer\'s active SubscribeToShard subscription shows under the stream', async () => {
  await goto(`#/r/${ACCOUNT}/${REGION}/stream/clicks`);
  const { StreamDescriptionSummary: { StreamARN } } = await kinesis.send(
    new DescribeStreamSummaryCommand({ StreamName: 'clicks' }));
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'fan-out' }));
  for (let i = 0; ; i += 1) {
    const out = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN }));
    if (out.ConsumerDescription.ConsumerStatus === 'ACTIVE') break;
    assert.ok(i < 500, 'the consumer never became ACTIVE');
    await new Promise((r) => setTimeout(r, 20));
  }
  // Its own client: the subscription holds a connection open.
  const subscriber = new KinesisClient({ ...common, requestHandler: handler() });
  try {
    const { EventStream } = await subscriber.send(new SubscribeToShardCommand({
      ConsumerARN: Consumer.ConsumerARN, ShardId: 'shardId-000000000001', StartingPosition: { Type: 'LATEST' },
    }));
    const row = page.locator('tr[data-consumer="fan-out"]');
    await row.locator('[data-subscribed="shardId-000000000001"]').waitFor();
    assert.match(await page.locator('#consumers').textContent(), /subscriptions active on this server: 1/);
    await EventStream[Symbol.asyncIterator]().return();
  } finally {
    subscriber.destroy();
  }
});

test('hostile names, bodies and records render as text', async () => {
  const rendered = () => page.evaluate(() => ({
    xss: window.__xss,
    images: document.querySelectorAll('img').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
  }));
  // The tail above showed a record whose key and data are markup.
  await goto(`#/r/${ACCOUNT}/${REGION}/stream/clicks`);
  await page.locator('#tail td[data-col="key"]', { hasText: XSS_TEXT }).waitFor();
  assert.deepEqual(await rendered(), { xss: undefined, images: 0, scripts: 0 });

  const nav = page.locator(`#nav a[data-region="${ACCOUNT}/${XSS_REGION.replace(/"/g, '\\"')}"]`);
  await nav.waitFor();
  assert.ok((await nav.textContent()).includes(XSS_REGION));
  await nav.click();
  await page.locator('tr[data-queue="xss"] a').click();
  await page.locator('#messages td[data-col="body"]', { hasText: XSS_TEXT }).waitFor();
  assert.equal(await page.locator('h1').first().textContent(), 'xss');
  assert.deepEqual(await rendered(), { xss: undefined, images: 0, scripts: 0 });

  await goto('#/');
  await page.locator('#faults tr[data-rule]', { hasText: XSS_TEXT }).waitFor();
  assert.deepEqual(await rendered(), { xss: undefined, images: 0, scripts: 0 });
});
