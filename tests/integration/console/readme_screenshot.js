// Makes docs/console.png, the README's picture of the console: a queue with a
// dead-letter queue under a minute and a half of varying traffic, so the
// charts have something to show. Not a test; run it by hand after changing
// the page:  SHOAL_BINARY=build/shoal node tests/integration/console/readme_screenshot.js
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../js/shoal_server');

const OUT = process.argv[2] || path.join(__dirname, '..', '..', '..', 'docs', 'console.png');
const TRAFFIC_S = Number(process.env.TRAFFIC_S || 90);

async function sqs(endpoint, action, input) {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AmazonSQS.${action}` },
    body: JSON.stringify(input),
  });
  return response.json();
}

(async () => {
  const server = await startServer();
  const e = server.endpoint;
  await sqs(e, 'CreateQueue', { QueueName: 'orders-dlq' });
  const { QueueUrl: url } = await sqs(e, 'CreateQueue', {
    QueueName: 'orders',
    Attributes: {
      VisibilityTimeout: '5',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:orders-dlq', maxReceiveCount: 3 }),
    },
  });
  await sqs(e, 'CreateQueue', { QueueName: 'payments.fifo', Attributes: { FifoQueue: 'true' } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-console-shot-'));
  const browser = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.SHOAL_CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  const page = browser.pages()[0] || await browser.newPage();
  await page.goto(`${e}/_shoal/console#/r/000000000000/us-east-1/queue/orders`);
  const began = Date.now();
  let n = 0;
  while (Date.now() - began < TRAFFIC_S * 1000) {
    // Sends and receives swell out of step, so the depth rises and falls.
    const phase = (Date.now() - began) / 1000 / 12;
    const sends = Math.max(1, Math.round(5 + 4 * Math.sin(phase)));
    const entries = Array.from({ length: sends }, (_, i) => ({
      Id: String(i), MessageBody: JSON.stringify({ order: (n += 1), item: 'widget', quantity: 1 + (n % 5) }),
    }));
    await sqs(e, 'SendMessageBatch', { QueueUrl: url, Entries: entries });
    const want = Math.max(1, Math.round(5 + 4 * Math.sin(phase - 1.2)));
    const got = await sqs(e, 'ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: want });
    const done = (got.Messages || []).filter((_, i) => i % 5 !== 4); // every fifth fails and comes back
    if (done.length) {
      await sqs(e, 'DeleteMessageBatch', {
        QueueUrl: url, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await page.locator('#peek').click();
  await page.waitForTimeout(1500);
  await page.evaluate(() => window.scrollTo(0, 0));
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT });
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
  await server.stop();
  console.log(`wrote ${OUT}`);
})().catch((err) => { console.error(err); process.exit(1); });
