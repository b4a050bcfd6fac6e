// The product as a real site runs it, in a real browser: `mpk-demo --sim.tls=true`
// serves the myApps shell, the app and its websocket on https/wss with certificates from the
// simulator's throw-away CA, the PBXs reach the gateway over wss, the gateway the Devices App over
// wss and its passthrough over https. Chromium trusts the CA through an NSS database (what an
// admin does with `certutil`), never through --ignore-certificate-errors.
// Then an App Platform certificate the service does not trust: the status panel names it, and the
// operator's "Trust this certificate" pins it; the link comes up without tls.insecure.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startProduct, loginAsOperator } from './product.mjs';
import { launchBrowser } from './browser.mjs';

const WAIT = { timeout: 30000 };
const TENANT = 'tenant1.example.com';
const OPERATOR_PASSWORD = 'op-tls-secret';
const cleanups = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

/** A HOME whose NSS database (the one Chromium on Linux reads) trusts `caFile` for web sites. */
function homeTrusting(caFile) {
  const home = mkdtempSync(path.join(tmpdir(), 'mpk-nss-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const db = path.join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${db}`, '-N', '--empty-password']);
  execFileSync('certutil', ['-d', `sql:${db}`, '-A', '-t', 'C,,', '-n', 'myphonekeys-demo', '-i', caFile]);
  return home;
}

async function start(extraArgs, opts) {
  const product = await startProduct(['--sim.tls=true', '--sim.tenants=1', '--sim.devices=40', '--sim.live-phones=3',
    `--gateway.operator-password=${OPERATOR_PASSWORD}`, ...extraArgs], opts);
  cleanups.push(() => product.stop());
  assert.match(product.simUrl, /^https:/);
  assert.match(product.gatewayUrl, /^https:/);
  assert.ok(product.caFile, `the demo names its CA:\n${product.output().slice(-2000)}`);
  const browser = await launchBrowser({ env: { ...process.env, HOME: homeTrusting(product.caFile) } });
  cleanups.push(() => browser.close());
  return { product, browser };
}

test('https/wss end to end: shell, app and websocket over TLS trusting the demo CA; list and LCD over wss and https', async () => {
  const { product, browser } = await start([]);
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
  try {
    const page = await context.newPage();
    const urls = [];
    const failed = [];
    context.on('request', (r) => urls.push(r.url()));
    context.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketCreated', (e) => urls.push(e.url));
    let lcdFrames = 0;
    cdp.on('Network.webSocketFrameReceived', (e) => { if (e.response.opcode === 2) lcdFrames++; });
    await page.goto(`${product.simUrl}/shell/?${new URLSearchParams({ pbx: TENANT, user: 'admin1' })}`);
    const app = await (await page.waitForSelector('#app', WAIT)).contentFrame();
    await app.waitForSelector('#conn-state[data-phase="connected"]', WAIT);
    await app.waitForSelector('button.device', WAIT);
    // A live phone: its LCD arrives as binary frames (the passthrough behind it is https).
    const st = await product.control('GET', '/control/state');
    const live = st.livePhones.phones.find((p) => p.connected);
    await app.fill('#dl-search', live.hwId);
    const row = await app.waitForSelector('button.device', WAIT);
    await row.click();
    await app.waitForFunction(() => !document.querySelector('#admin-ui').disabled, null, WAIT);
    for (let i = 0; i < 300 && lcdFrames === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(lcdFrames > 0, 'LCD frames over wss');
    const plain = urls.filter((u) => /^(http|ws):/.test(u));
    assert.deepEqual(plain, [], 'every page, script and websocket is https/wss');
    assert.ok(urls.some((u) => u.startsWith('wss://')), urls.join('\n'));
    assert.deepEqual(failed, []);
    // The service's own links: PBX over wss, devices-api over wss, trusted by the demo CA.
    const out = product.output();
    assert.match(out, /devices_link .*: up/);
    assert.doesNotMatch(out, /certificate not trusted/);
  } finally { await context.close(); }
});

test('an untrusted App Platform certificate: the status panel names it, "Trust this certificate" pins it and the link comes up', async () => {
  // The service trusts no extra CA here (an empty CA file): the simulator's certificate is unknown to it.
  const empty = mkdtempSync(path.join(tmpdir(), 'mpk-noca-'));
  cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
  writeFileSync(path.join(empty, 'none.pem'), '');
  const pinFile = path.join(empty, 'pins.conf');
  const { product, browser } = await start([`--tls.ca-file=${path.join(empty, 'none.pem')}`, `--tls.pin-file=${pinFile}`],
    { linksUp: false });
  const tls = await product.control('GET', '/control/tls');
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await loginAsOperator(page, product.gatewayUrl, OPERATOR_PASSWORD, { tenant: TENANT });
    const fp = tls.fingerprint.toUpperCase().match(/../g).join(':');
    // The status panel: the link is untrusted, named by subject and fingerprint.
    const statusText = async () => page.textContent('dialog[open]').catch(() => '');
    let text = '';
    for (let i = 0; i < 60; i++) {
      await page.click('#menu-button');
      await page.click('[data-item="menu.status"]');
      await page.waitForSelector('dialog[open] table', WAIT);
      text = await statusText();
      if (/untrusted/.test(text)) break;
      await page.click('dialog[open] .icon-btn');
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.match(text, /untrusted/);
    assert.ok(text.includes(`certificate not trusted: ${tls.subject}, SHA-256 fingerprint ${fp}`), text);
    assert.match(product.output(), /untrusted: TLS handshake with 127\.0\.0\.1: certificate not trusted/);  // the log line
    await page.click('dialog[open] button[data-pin]');
    // The question names the link and the fingerprint; OK pins it and opens the status again.
    await page.waitForFunction((f) => document.querySelector('dialog[open]')?.textContent.includes(f) &&
      !document.querySelector('dialog[open] table'), fp, WAIT);
    await page.click('dialog[open] button.primary');
    // The link comes up trusting the pin; a refresh of the panel shows it.
    for (let i = 0; i < 60; i++) {
      await page.waitForSelector('dialog[open] table', WAIT);
      text = await statusText();
      if (/pinned sha256\//.test(text)) break;
      await new Promise((r) => setTimeout(r, 500));
      await page.click('dialog[open] footer button:not(.primary)');
    }
    assert.match(text, /pinned sha256\//);
    assert.match(readFileSync(pinFile, 'utf8'), new RegExp(`${TENANT}/devices-api = sha256/${tls.fingerprint}`));
    // The device list fills: the link is up, trusting exactly the pinned certificate.
    await page.click('dialog[open] .icon-btn');
    await page.waitForSelector('button.device', WAIT);
    assert.match(product.output(), /pinned by the operator/);
  } finally { await context.close(); }
});
