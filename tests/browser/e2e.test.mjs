// End to end: headless Chromium → the simulator's myApps shell → the real product
// (`mpk-demo`: gateway, registry, phone sessions beside the simulator) → the simulated Devices App and
// live phones. One product process for the whole file; the tests run in order and the devices-api
// restart comes last because it changes the population.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProduct } from './product.mjs';
import { launchBrowser } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(here, 'artifacts');
const TENANT = 'tenant1.example.com';
const WAIT = { timeout: 30000 };   // the build machine is shared: generous, never wall-clock assertions
const OPERATOR_PASSWORD = 'op-e2e-secret';
const APP_PASSWORD = 'app-e2e-secret';   // the App object password of the simulated PBXs
const GUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const FAMILIES = JSON.parse(readFileSync(path.join(here, '../../common/models/data/index.json'), 'utf8')).families;
const REG_RGB = {   // web/app/registrations.js REG_COLOURS as computed CSS colours
  registered: 'rgb(46, 158, 68)', 'not-configured': 'rgb(74, 74, 74)', disabled: 'rgb(240, 140, 0)', failed: 'rgb(214, 45, 32)',
};

let product;
let browser;
let tenantDomainId;     // the simulator's domain id of tenant1
let tenant2DomainId;
let devices;            // the simulator's device list (ordered by id)
let livePhones;         // hwIds of the connected live phones

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  product = await startProduct(['--sim.tenants=2', '--sim.devices=200', '--sim.live-phones=28', '--phone.min-interval-ms=100',
    `--gateway.operator-password=${OPERATOR_PASSWORD}`, `--gateway.password=${APP_PASSWORD}`]);
  browser = await launchBrowser();
  const domains = await product.control('GET', '/control/domains');
  tenantDomainId = domains.find((d) => d.name === TENANT).id;
  tenant2DomainId = domains.find((d) => d.name === 'tenant2.example.com').id;
  const st = await product.control('GET', '/control/state');
  livePhones = new Set(st.livePhones.phones.filter((p) => p.connected).map((p) => p.hwId));
  devices = await product.control('GET', '/control/devices');
});

after(async () => {
  await browser?.close();
  await product?.stop();
});

/** Rows of tenant1 as the simulator has them (what admin1 may see). */
const tenantDevices = () => devices.filter((d) => d.domainId === tenantDomainId);
/** The app's id of a simulator device (registry id = `<pbx>/devices-api:<id>`). */
const appId = (d) => `${TENANT}/devices-api:${d.id}`;
const livePhone = (product_) => tenantDevices().find((d) => d.product === product_ && livePhones.has(d.hwId));

/**
 * A fresh browser context on the shell as `user`, recording every URL loaded and every
 * websocket frame received (CDP), and page errors.
 */
async function openShell(user = 'admin1') {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  const rec = { urls: [], wsText: [], wsBinary: 0, errors: [], badResponses: [] };
  context.on('request', (r) => rec.urls.push(r.url()));
  context.on('response', (r) => { if (r.status() >= 400) rec.badResponses.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', (e) => rec.errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketCreated', (e) => rec.urls.push(e.url));
  cdp.on('Network.webSocketFrameReceived', (e) => {
    if (e.response.opcode === 1) rec.wsText.push(e.response.payloadData); else rec.wsBinary++;
  });
  await page.goto(product.shellUrl(TENANT, user));
  const handle = await page.waitForSelector('#app');
  const app = await handle.contentFrame();
  return { context, page, app, rec };
}

/** What the app shows, for failure messages. */
const appText = (app) => app.evaluate(() => ['#conn-state', '.dl-status', '.dl-range', 'dialog[open]', '#phone-message', '#toast']
  .map((q) => { const e = document.querySelector(q); return e ? `${q}: ${e.textContent.trim().slice(0, 400)}` : null; })
  .filter(Boolean).join(' | '));

/** Wait for `p`; on failure say what the app showed. */
async function orShow(app, p, what) {
  try { return await p; } catch (e) { assert.fail(`${what}: ${e.message.split('\n')[0]} — app shows ${await appText(app).catch(() => '?')}`); }
}

async function loggedIn(app) {
  await orShow(app, app.waitForSelector('#conn-state[data-phase="connected"]', WAIT), 'login');
  await orShow(app, app.waitForSelector('button.device', WAIT), 'device list');
}

/** The device ids the list shows now. */
const shownIds = (app) => app.$$eval('button.device', (bs) => bs.map((b) => b.dataset.device));
const rangeText = (app) => app.textContent('.dl-range');

/** Wait until the list shows exactly `want` (ids), after the debounce and the query. */
async function expectList(app, want, what) {
  const sorted = [...want].sort();
  try {
    await app.waitForFunction((w) => {
      const ids = [...document.querySelectorAll('button.device')].map((b) => b.dataset.device).sort();
      const r = document.querySelector('.dl-range').textContent;
      return ids.length === w.length && ids.every((x, i) => x === w[i]) && new RegExp(`of ${w.length}$`).test(r.trim());
    }, sorted, WAIT);
  } catch (e) {
    assert.deepEqual((await shownIds(app)).sort(), sorted, `${what}: list (${await rangeText(app)})`);
    throw e;
  }
}

async function search(app, text) {
  await app.fill('#dl-search', text);
}

/** Select a device in the list (searching for its MAC so it is on the page) and wait for its LCD. */
async function selectPhone(app, dev) {
  await search(app, dev.hwId);
  const row = `button.device[data-device="${appId(dev)}"]`;
  await orShow(app, app.waitForSelector(row, WAIT), `row of ${dev.hwId}`);
  await app.click(row);
  await orShow(app, app.waitForFunction((p) => document.querySelector('.phone')?.dataset.product === p, dev.product, WAIT), `phone ${dev.product} drawn`);
  await orShow(app, app.waitForFunction(() => !document.querySelector('#admin-ui').disabled, null, WAIT), `watch of ${dev.hwId}`);
  await orShow(app, waitLcdDrawn(app), `LCD of ${dev.hwId}`);
}

/** Canvas facts: a hash of the pixels (rows from `fromRow`), and how many distinct colours. */
function lcdFacts(app, fromRow = 0) {
  return app.evaluate((from) => {
    const c = document.querySelector('#phone-stage canvas');
    if (!c || !c.width || !c.height) return null;
    const y0 = Math.min(c.height - 1, Math.floor(c.height * from));
    const d = c.getContext('2d').getImageData(0, y0, c.width, c.height - y0).data;
    let h = 2166136261 >>> 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i] << 24 | d[i + 1] << 16 | d[i + 2] << 8 | d[i + 3]) >>> 0;
      colours.add(v);
      h = Math.imul(h ^ v, 16777619) >>> 0;
    }
    return { hash: h, colours: colours.size, width: c.width, height: c.height };
  }, fromRow);
}

/** The LCD shows an image: more than two colours (the idle fill is one colour). */
async function waitLcdDrawn(app) {
  await app.waitForFunction(() => {
    const c = document.querySelector('#phone-stage canvas');
    if (!c || !c.width) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length && seen.size < 3; i += 4) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
    return seen.size >= 2;
  }, null, WAIT);
}

/** The overlay text of the phone view ('' when none is shown). */
const overlayText = (app) => app.evaluate(() => {
  const o = [...document.querySelectorAll('#phone-stage [class*="overlay"]')].find((e) => !e.hidden && e.offsetParent !== null && e.textContent.trim());
  return o ? o.textContent.trim() : '';
});

const counters = (hwId) => product.control('GET', `/control/counters?hwId=${hwId}`);
const pollUntil = async (fn, what, ms = 15000) => {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

// ---- tests ---------------------------------------------------------------------------------------

test('shell login as admin1: connected, device list of tenant1 only, domain filter lists tenant1', async () => {
  const { context, app, page, rec } = await openShell('admin1');
  try {
    await loggedIn(app);
    assert.match(await app.textContent('#conn-state'), /Connected as Admin 1 \(tenant1\.example\.com\)/);
    await page.waitForFunction(() => /logged in as admin1/.test(document.getElementById('status').textContent), null, WAIT);
    const mine = tenantDevices();
    assert.ok(mine.length > 5 && mine.length <= 50, `tenant1 has ${mine.length} devices`);
    await expectList(app, mine.map(appId), 'all devices');
    // Names as the simulator has them; nothing of tenant2.
    const names = await app.$$eval('button.device .dev-name', (e) => e.map((x) => x.textContent));
    assert.deepEqual(names.sort(), mine.map((d) => d.name || d.hwId).sort());
    const domainOptions = await app.$$eval('#dl-domain option', (o) => o.map((x) => x.textContent));
    assert.equal(domainOptions.length, 2, domainOptions.join(' | '));
    assert.match(domainOptions[1], new RegExp(`^${TENANT.replace(/\./g, '\\.')} \\(${mine.filter((d) => d.online).length}/${mine.length} online\\)`));
    assert.deepEqual(rec.errors, []);
  } finally { await context.close(); }
});

test('device list: domain and online/offline filters, search by name, type, IP, MAC, firmware (any case)', async () => {
  const { context, app } = await openShell('admin1');
  try {
    await loggedIn(app);
    const mine = tenantDevices();
    // Domain: the tenant's domain, then all again.
    const domainValue = await app.$eval('#dl-domain option:nth-child(2)', (o) => o.value);
    await app.selectOption('#dl-domain', domainValue);
    await expectList(app, mine.map(appId), 'domain filter');
    await app.selectOption('#dl-domain', '');
    // Online / offline.
    await app.selectOption('#dl-online', 'online');
    await expectList(app, mine.filter((d) => d.online).map(appId), 'online');
    await app.selectOption('#dl-online', 'offline');
    await expectList(app, mine.filter((d) => !d.online).map(appId), 'offline');
    assert.ok(mine.some((d) => !d.online) && mine.some((d) => d.online), 'both kinds present');
    await app.selectOption('#dl-online', 'all');
    await expectList(app, mine.map(appId), 'all again');

    const probe = livePhone('IP241') || livePhone('IP240A') || mine.find((d) => d.online);
    const ip = probe.ethIfs[0].ipv4;
    const cases = [
      ['name', probe.name.toUpperCase(), (d) => (d.name || '').toLowerCase().includes(probe.name.toLowerCase())],
      ['device type', probe.product.toLowerCase(), (d) => d.product.toLowerCase().includes(probe.product.toLowerCase())],
      ['IP', ip, (d) => (d.ethIfs?.[0]?.ipv4 || '').includes(ip)],
      ['MAC', probe.hwId.toUpperCase(), (d) => d.hwId.toLowerCase().includes(probe.hwId.toLowerCase())],
      ['MAC with colons', probe.hwId.toUpperCase().match(/../g).join(':'), (d) => d.hwId === probe.hwId],
      ['firmware', probe.version.split(' [')[0].toUpperCase(), (d) => d.version.toLowerCase().includes(probe.version.split(' [')[0].toLowerCase())],
    ];
    for (const [what, text, match] of cases) {
      await search(app, text);
      const want = mine.filter(match).map(appId);
      assert.ok(want.includes(appId(probe)), `${what}: the probe matches`);
      await expectList(app, want, `search ${what} "${text}"`);
    }
    // Search within a filter, and a search that matches nothing.
    await app.selectOption('#dl-online', 'offline');
    await search(app, probe.product);
    await expectList(app, mine.filter((d) => !d.online && d.product.toLowerCase().includes(probe.product.toLowerCase())).map(appId), 'offline + type');
    await app.selectOption('#dl-online', 'all');
    await search(app, 'no-such-device-xyz');
    await app.waitForFunction(() => /^0–0 of 0$/.test(document.querySelector('.dl-range').textContent.trim()), null, WAIT);
    assert.match(await app.textContent('.dl-status'), /\S/);
  } finally { await context.close(); }
});

test('select a phone: LCD drawn, no "connecting" overlay, key click changes the LCD and reaches the phone', async () => {
  const { context, app, rec } = await openShell('admin1');
  try {
    await loggedIn(app);
    const dev = livePhone('IP101');
    await selectPhone(app, dev);
    assert.match(await app.textContent('#phone-title'), new RegExp(dev.product));
    const drawn = await lcdFacts(app);
    assert.ok(drawn.colours >= 2, `LCD not blank (${drawn.colours} colours)`);
    // Frames are drawn: the overlay must not say "connecting" any more.
    await app.waitForFunction(() => ![...document.querySelectorAll('#phone-stage [class*="overlay"]')]
      .some((e) => !e.hidden && e.offsetParent !== null && /Connecting/.test(e.textContent)), null, WAIT)
      .catch(async () => assert.fail(`overlay still shown: "${await overlayText(app)}"`));

    // Click digit 5: the phone counts it and its screen changes (the clock row is left out).
    const before5 = await counters(dev.hwId);
    const lcdBefore = await lcdFacts(app, 0.2);
    await app.click('.phone button[data-key="D5"]');
    const after5 = await pollUntil(async () => {
      const c = await counters(dev.hwId);
      return Object.values(c.keyPresses).reduce((a, b) => a + b, 0) > Object.values(before5.keyPresses).reduce((a, b) => a + b, 0) ? c : null;
    }, 'key press counted by the phone');
    const codes = Object.keys(after5.keyPresses).filter((k) => after5.keyPresses[k] !== (before5.keyPresses[k] || 0));
    assert.equal(codes.length, 1, `one key code pressed: ${JSON.stringify(after5.keyPresses)}`);
    await app.waitForFunction(([h, from]) => {
      const c = document.querySelector('#phone-stage canvas');
      const y0 = Math.floor(c.height * from);
      const d = c.getContext('2d').getImageData(0, y0, c.width, c.height - y0).data;
      let x = 2166136261 >>> 0;
      for (let i = 0; i < d.length; i += 4) x = Math.imul(x ^ ((d[i] << 24 | d[i + 1] << 16 | d[i + 2] << 8 | d[i + 3]) >>> 0), 16777619) >>> 0;
      return x !== h;
    }, [lcdBefore.hash, 0.2], WAIT);
    assert.ok(rec.wsBinary > 0, 'binary LCD frames received');
    assert.deepEqual(rec.errors, []);
  } finally { await context.close(); }
});

test('typed text reaches the phone with the Qwerty, Qwertz and Azerty layouts', async () => {
  const { context, app } = await openShell('admin1');
  try {
    await loggedIn(app);
    const dev = livePhone('IP111');
    await selectPhone(app, dev);
    const codes = ['KeyQ', 'KeyW', 'KeyA', 'KeyY', 'KeyZ', 'Digit1'];
    const expected = { qwerty: 'qwayz1', qwertz: 'qwazy1', azerty: 'azqyw' };
    for (const layout of ['qwerty', 'qwertz', 'azerty']) {
      await app.selectOption('#kbd-layout', layout);
      const before = (await counters(dev.hwId)).texts.length;
      await app.focus('.phone');
      for (const c of codes) await app.press('.phone', c);
      // Azerty types "&" on Digit1 unshifted: only letters are compared for it.
      const want = layout === 'azerty' ? expected.azerty + '&' : expected[layout];
      const got = await pollUntil(async () => {
        const c = await counters(dev.hwId);
        const s = c.texts.slice(before).join('');
        return s.length >= want.length ? s : null;
      }, `${layout}: text at the phone`);
      assert.equal(got, want, `${layout}: the phone got "${got}"`);
      // The panel shows what the last TypeKeys typed (typing is sent in batches).
      await orShow(app, app.waitForFunction((w) => document.querySelector('.kbd-sent')?.textContent.includes(w.slice(-1)), want, WAIT), `${layout}: sent text shown`);
    }
  } finally { await context.close(); }
});

test('registration keys: colours follow the four simulated states', async () => {
  const { context, app } = await openShell('admin1');
  try {
    await loggedIn(app);
    const dev = livePhone('IP222');
    // A permutation other than the simulator's start (slot n = state n).
    const want = { 0: 'failed', 1: 'registered', 2: 'not-configured', 3: 'disabled' };
    const wire = { registered: 'up', 'not-configured': 'not-configured', disabled: 'disabled', failed: 'failed' };
    for (const [slot, st] of Object.entries(want)) {
      await product.control('POST', `/control/registration?hwId=${dev.hwId}&slot=${slot}&state=${wire[st]}`);
    }
    await selectPhone(app, dev);
    await app.waitForFunction((w) => Object.entries(w).every(([slot, st]) =>
      document.querySelector(`.reg-key[data-reg="${slot}"]`)?.dataset.state === st), want, WAIT)
      .catch(async () => assert.fail(`registration keys: ${await app.innerHTML('#regs')}`));
    for (const [slot, st] of Object.entries(want)) {
      const colours = await app.$eval(`.reg-key[data-reg="${slot}"]`, (k) => [getComputedStyle(k.querySelector('.reg-dot')).backgroundColor, getComputedStyle(k).borderLeftColor]);
      assert.deepEqual(colours, [REG_RGB[st], REG_RGB[st]], `slot ${slot} (${st})`);
    }
    // A change at the phone shows up without any click.
    await product.control('POST', `/control/registration?hwId=${dev.hwId}&slot=0&state=up`);
    await app.waitForSelector('.reg-key[data-reg="0"][data-state="registered"]', WAIT);
    assert.equal(await app.$eval('.reg-key[data-reg="0"] .reg-dot', (d) => getComputedStyle(d).backgroundColor), REG_RGB.registered);
  } finally { await context.close(); }
});

test('every websocket text frame of a watch is valid JSON (PhoneState, Registrations included)', async () => {
  const { context, app, rec } = await openShell('admin1');
  try {
    await loggedIn(app);
    const dev = livePhone('IP222');
    await selectPhone(app, dev);
    await product.control('POST', `/control/registration?hwId=${dev.hwId}&slot=1&state=failed`);
    await pollUntil(async () => rec.wsText.some((f) => /"mt":"Registrations"/.test(f) && /"state":"failed"/.test(f)), 'Registrations after a change');
    assert.ok(rec.wsText.some((f) => /"mt":"PhoneState"/.test(f)), 'PhoneState received');
    const bad = rec.wsText.filter((f) => { try { JSON.parse(f); return false; } catch (_) { return true; } });
    assert.deepEqual(bad.map((f) => f.slice(0, 160)), [], 'text frames that are not JSON');
  } finally { await context.close(); }
});

test('an action and a command run at the phone and show their result', async () => {
  const { context, app } = await openShell('admin1');
  try {
    await loggedIn(app);
    const dev = livePhone('IP101');
    await selectPhone(app, dev);
    await app.selectOption('#action-select', 'dial');
    await app.fill('#action-arg', '4711');
    await app.click('#actions form button[type="submit"]');
    await app.waitForFunction(() => /\S/.test(document.querySelector('.action-result')?.textContent || '') &&
      !document.querySelector('.action-result .pending'), null, WAIT);
    assert.match(await app.textContent('.action-result'), /^OK/i);
    const c = await counters(dev.hwId);
    assert.equal(c.lastDialled, '4711');
    assert.equal(c.actions.dial, 1, JSON.stringify(c.actions));

    await app.fill('#command-input', 'config show');
    await app.press('#command-input', 'Enter');
    await app.waitForFunction(() => /config add PHONE USER/.test(document.querySelector('.command-result')?.textContent || ''), null, WAIT);
    assert.match(await app.textContent('.command-result pre'), new RegExp(`/name ${dev.name.replace(/[()]/g, '\\$&')}`));
    const c2 = await counters(dev.hwId);
    assert.ok(c2.commands.some((x) => /config show/.test(x)), JSON.stringify(c2.commands));
  } finally { await context.close(); }
});

test('menu: the audit log lists the action and the command of this user; service status shows the PBX links', async () => {
  const { context, app } = await openShell('admin1');
  try {
    await loggedIn(app);
    // A user reads the log of one phone: without a watched phone the dialog asks for one.
    await app.click('#menu-button');
    await app.click('[data-item="menu.audit"]');
    await orShow(app, app.waitForFunction(() => /Select a phone/.test(document.querySelector('dialog[open]')?.textContent || ''), null, WAIT), 'audit without a phone');
    await app.click('dialog[open] .icon-btn');
    const dev = livePhone('IP101');
    await selectPhone(app, dev);
    await app.click('#menu-button');
    await app.click('[data-item="menu.audit"]');
    await orShow(app, app.waitForFunction(() => /dial/.test(document.querySelector('dialog[open] table')?.textContent || ''), null, WAIT), 'audit log');
    const rows = await app.$$eval('dialog[open] table tr', (tr) => tr.map((r) => r.textContent));
    assert.ok(rows.some((r) => /dial/.test(r) && r.includes('admin1') && r.includes(appId(dev))), rows.join('\n'));
    assert.ok(rows.some((r) => /config show/.test(r)), rows.join('\n'));
    await app.click('dialog[open] .icon-btn');
    await app.click('#menu-button');
    await app.click('[data-item="menu.status"]');
    await orShow(app, app.waitForFunction(() => /tenant1\.example\.com/.test(document.querySelector('dialog[open]')?.textContent || ''), null, WAIT), 'status dialog');
    // The PBX's licence facts per link: Service licences (info.lics) and test mode.
    const pbxRow = await app.$$eval('dialog[open] table', (ts) => [...ts[0].querySelectorAll('tr')].map((r) => r.textContent));
    assert.ok(pbxRow[0].includes('Service licences') && pbxRow[0].includes('Licence test mode'), pbxRow[0]);
    assert.ok(pbxRow.slice(1).some((r) => r.includes('tenant1.example.com') && r.includes('25')), pbxRow.join('\n'));
  } finally { await context.close(); }
});

/** A page opened directly (no myApps around it), recording the text frames it sends. */
async function openStandalone(tenant) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  const sent = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameSent', (e) => { if (e.response.opcode === 1) sent.push(e.response.payloadData); });
  await page.goto(`${product.gatewayUrl}/${tenant}/myphonekeys/innovaphone-myphonekeys.htm`);
  return { context, page, sent };
}

async function submitLogin(page, name, password) {
  await page.waitForSelector('#login-name', WAIT);
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('.login-form button[type="submit"]');
}

/** The AppLogin frames a page sent, parsed. */
const appLogins = (sent) => sent.map((f) => JSON.parse(f)).filter((m) => m.mt === 'AppLogin');

test('standalone page: operator password login (a wrong one asks again) sees every tenant', async () => {
  const { context, page, sent } = await openStandalone(TENANT);
  try {
    await submitLogin(page, 'admin', 'wrong');
    await page.waitForSelector('.login-form [role="alert"]', WAIT);
    await submitLogin(page, 'admin', OPERATOR_PASSWORD);
    await page.waitForSelector('#conn-state[data-phase="connected"]', WAIT);
    assert.match(await page.textContent('#conn-state'), /Operator/);
    await page.waitForSelector('button.device', WAIT);
    const domains = await page.$$eval('#dl-domain option', (o) => o.map((x) => x.textContent));
    assert.ok(domains.some((d) => d.startsWith('tenant1.example.com')) && domains.some((d) => d.startsWith('tenant2.example.com')), domains.join(' | '));
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    assert.ok(!stored.includes(OPERATOR_PASSWORD), 'the password is not stored');
    // Both logins went out in the SDK's password form (docs/spec/appwebsocket.md §5.3): pbxObj = the name, no info.
    const logins = appLogins(sent);
    assert.equal(logins.length, 2, sent.join('\n'));
    for (const l of logins) {
      assert.deepEqual(Object.keys(l).sort(), ['app', 'digest', 'dn', 'domain', 'guid', 'mt', 'pbxObj', 'sip']);
      assert.equal(l.app, 'admin');
      assert.equal(l.sip, 'admin');
      assert.equal(l.pbxObj, 'admin');
      assert.equal(l.dn, 'Admin');
      assert.equal(l.domain, '');
      assert.equal(l.guid, '0'.repeat(32));
      assert.match(l.digest, /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(l).includes(OPERATOR_PASSWORD));
    }
  } finally { await context.close(); }
});

test('standalone page at tenant2\'s URL: its App object password shows tenant2\'s phones only', async () => {
  const { context, page } = await openStandalone('tenant2.example.com');
  try {
    await submitLogin(page, 'pbx-admin', APP_PASSWORD);
    await page.waitForSelector('#conn-state[data-phase="connected"]', WAIT);
    assert.match(await page.textContent('#conn-state'), /administrator of tenant2\.example\.com/);
    await page.waitForSelector('button.device', WAIT);
    const domains = await page.$$eval('#dl-domain option', (o) => o.slice(1).map((x) => x.textContent));
    assert.ok(domains.length > 0 && domains.every((d) => d.startsWith('tenant2.example.com')), domains.join(' | '));
    const t2 = devices.filter((d) => d.domainId === tenant2DomainId);
    await page.waitForFunction((n) => new RegExp(`of ${n}$`).test(document.querySelector('.dl-range').textContent.trim()),
      t2.length, WAIT);
  } finally { await context.close(); }
});

test('admin UI shortcut: new page with the phone\'s admin page; no passthrough key in any URL or frame', async () => {
  const { context, app, rec } = await openShell('admin1');
  try {
    await loggedIn(app);
    const dev = livePhone('IP150A');
    await selectPhone(app, dev);
    const [popup] = await Promise.all([context.waitForEvent('page', WAIT), app.click('#admin-ui')]);
    await popup.waitForURL((u) => u.protocol === 'http:', WAIT);
    await popup.waitForSelector('h1', WAIT);
    assert.equal((await popup.textContent('h1')).trim(), `innovaphone ${dev.product}`);
    assert.match(await popup.textContent('table'), new RegExp(dev.hwId));
    assert.match(await popup.textContent('table'), new RegExp(dev.ethIfs[0].ipv4.replace(/\./g, '\\.')));
    const urls = [...rec.urls, popup.url()];
    assert.ok(urls.some((u) => u.startsWith(product.gatewayUrl)), 'the admin page came through the gateway');
    for (const u of urls) {
      assert.ok(!GUID_RE.test(u), `GUID-like key in a loaded URL: ${u}`);
      assert.ok(!/passthrough/i.test(u), `"passthrough" in a loaded URL: ${u}`);
    }
    assert.ok(rec.wsText.length > 5, 'websocket frames were recorded');
    for (const f of rec.wsText) {
      assert.ok(!GUID_RE.test(f), `GUID-like key in a websocket frame: ${f.slice(0, 300)}`);
      assert.ok(!/passthrough/i.test(f), `"passthrough" in a websocket frame: ${f.slice(0, 300)}`);
    }
  } finally { await context.close(); }
});

test('unlicensed user guest1 sees the refusal', async () => {
  const { context, app } = await openShell('guest1');
  try {
    await app.waitForFunction(() => /licen/i.test(document.getElementById('conn-state').textContent), null, WAIT);
    assert.match(await app.textContent('#conn-state'), /no licence/i);
    assert.match(await app.textContent('#conn-state'), /innovaphone-myphonekeys/);
    assert.notEqual(await app.getAttribute('#conn-state', 'data-phase'), 'connected');
    assert.equal(await app.$$eval('button.device', (b) => b.length), 0);
  } finally { await context.close(); }
});

test('screenshots of one live phone of each family', async () => {
  const { context, app, rec } = await openShell('admin1');
  try {
    await loggedIn(app);
    for (const family of Object.keys(FAMILIES)) {
      let dev = FAMILIES[family].map((p) => livePhone(p)).find(Boolean);
      if (!dev) {
        // Live phones alternate between the tenants: move one of this family to tenant1.
        const other = devices.find((d) => FAMILIES[family].includes(d.product) && livePhones.has(d.hwId));
        assert.ok(other, `a live phone of ${family}`);
        await product.control('POST', '/control/device', { hwId: other.hwId, domainId: tenantDomainId });
        other.domainId = tenantDomainId;
        dev = other;
      }
      await selectPhone(app, dev);
      await app.waitForFunction(() => ![...document.querySelectorAll('#phone-stage [class*="overlay"]')]
        .some((e) => !e.hidden && e.offsetParent !== null && e.textContent.trim()), null, WAIT);
      assert.equal(await app.$eval('.phone', (p) => p.dataset.family), family);
      const el = await app.$('#phone-stage');
      await el.screenshot({ path: path.join(ARTIFACTS, `live-${family}-${dev.product}.png`) });
    }
    assert.deepEqual(rec.errors, []);
  } finally { await context.close(); }
});

test('devices-api restart: the list goes stale then fresh, the watched phone resumes by itself', async () => {
  const { context, app, rec } = await openShell('admin1');
  try {
    await loggedIn(app);
    // A phone no other test pressed keys on: its idle screen shows the state of registration 1.
    const dev = livePhone('IP232') || livePhone('IP112');
    await selectPhone(app, dev);
    await search(app, '');
    await app.waitForFunction(() => document.querySelectorAll('button.device').length > 5, null, WAIT);
    assert.equal(await app.$$eval('button.device.stale', (b) => b.length), 0);

    await product.control('POST', '/control/devices/restart?instance=devices&down_ms=2000&change=5');
    await app.waitForSelector('button.device.stale', WAIT);
    assert.match(await app.$eval('button.device.stale', (b) => b.textContent), /stale/i);
    // Fresh again: no stale row, and the list is the simulator's new population.
    await app.waitForFunction(() => document.querySelectorAll('button.device').length > 0 &&
      document.querySelectorAll('button.device.stale').length === 0, null, { timeout: 30000 });
    devices = await product.control('GET', '/control/devices');
    await expectList(app, tenantDevices().map(appId), 'after the restart');

    // The watched phone: new frames arrive without any click (its screen changes with its registration).
    const frames = rec.wsBinary;
    const lcd = await lcdFacts(app, 0.2);
    await product.control('POST', `/control/registration?hwId=${dev.hwId}&slot=0&state=failed`);
    await pollUntil(async () => rec.wsBinary > frames, 'LCD frames after the restart', 30000);
    await app.waitForFunction(([h, from]) => {
      const c = document.querySelector('#phone-stage canvas');
      const y0 = Math.floor(c.height * from);
      const d = c.getContext('2d').getImageData(0, y0, c.width, c.height - y0).data;
      let x = 2166136261 >>> 0;
      for (let i = 0; i < d.length; i += 4) x = Math.imul(x ^ ((d[i] << 24 | d[i + 1] << 16 | d[i + 2] << 8 | d[i + 3]) >>> 0), 16777619) >>> 0;
      return x !== h;
    }, [lcd.hash, 0.2], WAIT);
    assert.equal(await overlayText(app), '');
    assert.deepEqual(rec.errors, []);
  } finally { await context.close(); }
});
