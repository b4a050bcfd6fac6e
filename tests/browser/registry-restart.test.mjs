// The split deployment (real processes) under the app in Chromium: the device registry is killed
// (-9) and started again. The list says it is reconnecting, keeps its rows, and comes back by itself
// without a reload; no text of the actor system ever shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSplit, OPERATOR_PASSWORD } from './split.mjs';
import { loginAsOperator } from './product.mjs';
import { launchBrowser } from './browser.mjs';

const WAIT = { timeout: 30000 };
let split;
let browser;

before(async () => {
  split = await startSplit();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await split?.stop();
});

test('registry restart: the list shows the reconnecting state and comes back without a reload', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  const texts = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameReceived', (e) => { if (e.response.opcode === 1) texts.push(e.response.payloadData); });
  let loads = 0;
  page.on('load', () => { loads++; });
  try {
    await loginAsOperator(page, split.gatewayUrl, OPERATOR_PASSWORD);
    await page.waitForSelector('button.device', WAIT);
    const rows = await page.$$eval('button.device', (b) => b.length);

    await split.kill('registry');
    await page.waitForFunction(() => /Reconnecting to the device registry/.test(document.querySelector('.dl-status').textContent), null, WAIT);
    // The rows stay (marked) and the connection to the gateway stays up.
    assert.equal(await page.$$eval('button.device', (b) => b.length), rows);
    assert.equal(await page.getAttribute('#conn-state', 'data-phase'), 'connected');

    split.restart('registry');
    await page.waitForFunction(() => document.querySelector('.dl-status').textContent === '' &&
      !document.querySelector('.device-list').dataset.reconnecting, null, WAIT);
    await page.waitForFunction((n) => document.querySelectorAll('button.device').length === n, rows, WAIT);
    assert.equal(loads, 1, 'no reload');
    for (const t of texts) assert.ok(!/system_error|request_receiver_down|sec::|caf::/.test(t), t);
  } finally { await context.close(); }
});
