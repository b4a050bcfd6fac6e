// The live app against the protocol stand-in (mock-gateway.mjs): login paths, device list
// paging and live updates, the watched phone (LCD frames with acks, keys, registrations,
// actions, commands, admin UI), the menu, and reconnect with resume.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockGateway } from './mock-gateway.mjs';
import { launchBrowser } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(here, 'artifacts');
const sha = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

let browser;
before(async () => { mkdirSync(ARTIFACTS, { recursive: true }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

/** Standalone page + operator password login. */
async function loginAsOperator(mock, page) {
  await page.goto(mock.pageUrl);
  await page.waitForSelector('#login-name');
  await page.fill('#login-name', mock.gw.operator.name);
  await page.fill('#login-password', mock.gw.operator.password);
  await page.click('.login-form button[type="submit"]');
  await page.waitForSelector('#conn-state[data-phase="connected"]');
}

test('standalone: operator password login, wrong password asks again', async () => {
  const mock = await startMockGateway();
  const { context, page, errors } = await newPage();
  try {
    await page.goto(mock.pageUrl);
    await page.waitForSelector('#login-name');
    assert.equal(await page.getAttribute('#conn-state', 'data-phase'), 'password');
    await page.fill('#login-name', 'operator');
    await page.fill('#login-password', 'wrong');
    await page.click('.login-form button[type="submit"]');
    await page.waitForSelector('.login-form [role="alert"]');
    assert.match(await page.textContent('.login-form [role="alert"]'), /not accepted/);

    await page.fill('#login-name', 'operator');
    await page.fill('#login-password', 'op-secret');
    await page.click('.login-form button[type="submit"]');
    await page.waitForSelector('#conn-state[data-phase="connected"]');
    assert.match(await page.textContent('#conn-state'), /Connected as Operator operator/);
    assert.ok(await page.isHidden('#login'));

    const logins = mock.gw.received.filter((m) => m.mt === 'AppLogin');
    const last = logins[logins.length - 1];
    assert.deepEqual({ app: last.app, sip: last.sip, domain: last.domain, guid: last.guid, dn: last.dn, info: last.info, pbxObj: last.pbxObj },
      { app: 'operator', sip: 'operator', domain: '', guid: '0'.repeat(32), dn: 'Admin', info: undefined, pbxObj: undefined });
    // Before the login only the reserved messages were sent.
    const firstLogin = mock.gw.received.indexOf(logins[0]);
    assert.deepEqual([...new Set(mock.gw.received.slice(0, firstLogin).map((m) => m.mt))].sort(), ['AppChallenge', 'GetLoginOptions']);
    // The password is not kept in the page's storage.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    assert.ok(!stored.includes('op-secret'));
    assert.deepEqual(errors, []);
  } finally { await context.close(); await mock.close(); }
});

test('standalone without password login tells to use myApps', async () => {
  const mock = await startMockGateway({ passwordLogin: false });
  const { context, page } = await newPage();
  try {
    await page.goto(mock.pageUrl);
    await page.waitForSelector('#conn-state[data-phase="no-login"]');
    assert.match(await page.textContent('#conn-state'), /myApps/);
    assert.equal(mock.gw.count('AppChallenge'), 0);
  } finally { await context.close(); await mock.close(); }
});

test('inside myApps: getLogin/Login exchange; UNLICENSED is shown readably', async () => {
  const mock = await startMockGateway();
  const { context, page } = await newPage();
  try {
    await page.goto(mock.shellUrl());
    const app = page.frameLocator('#app');
    await app.locator('#conn-state[data-phase="connected"]').waitFor();
    assert.match(await app.locator('#conn-state').textContent(), /Connected as User alice \(example\.com\)/);
    const get = await page.evaluate(() => window.lastGetLogin);
    assert.equal(get.app, 'myphonekeys', 'getLogin carries start.name (the name argument)');
    assert.match(get.challenge, /^[0-9a-f]{16}$/);
    assert.ok(get.src);
    assert.deepEqual(await page.evaluate(() => window.lastLoginResult), { mt: 'loginResult', ok: true });
    const login = mock.gw.received.find((m) => m.mt === 'AppLogin');
    assert.equal(login.pbxObj, 'myphonekeys');
    assert.equal(login.app, 'innovaphone-myphonekeys');
    assert.equal(login.sip, 'alice');
    assert.equal(typeof login.info, 'object');
    assert.equal(mock.gw.count('GetLoginOptions'), 0, 'no password options inside myApps');
  } finally { await context.close(); }

  const c2 = await newPage();
  try {
    await c2.page.goto(mock.shellUrl('', { user: 'bob', unlicensed: true }));
    const app = c2.page.frameLocator('#app');
    await app.locator('#conn-state[data-phase="failed"]').waitFor();
    const text = await app.locator('#conn-state').textContent();
    assert.match(text, /Login failed: no licence/);
    assert.match(text, /retrying in \d+ s/);
  } finally { await c2.context.close(); await mock.close(); }
});

test('device list: pages of 50, filters, debounced search, live changes, stale marker', async () => {
  const mock = await startMockGateway();
  const { context, page, errors } = await newPage();
  try {
    await loginAsOperator(mock, page);
    await page.waitForSelector('.device-list button.device');
    assert.equal(await page.locator('.device-list button.device').count(), 50);
    assert.match(await page.textContent('.dl-range'), /1–50 of 120/);
    const q0 = mock.gw.received.find((m) => m.mt === 'QueryDevices');
    assert.deepEqual({ offset: q0.offset, limit: q0.limit, subscribe: q0.subscribe }, { offset: 0, limit: 50, subscribe: true });
    assert.ok(await page.locator('[data-device="l1:1002"] .badge.stale').count() === 1, 'stale marker');
    assert.ok(await page.locator('[data-device="l1:1007"] .badge.unsupported').count() === 1, 'unsupported marker');

    await page.click('.pager button:last-child');
    await page.waitForFunction(() => /51–100 of 120/.test(document.querySelector('.dl-range').textContent));
    assert.equal((await mock.gw.waitFor((m) => m.mt === 'QueryDevices' && m.offset === 50)).limit, 50);

    // Online filter and domain filter.
    await page.selectOption('#dl-online', 'offline');
    await mock.gw.waitFor((m) => m.mt === 'QueryDevices' && m.online === false && m.offset === 0);
    await page.waitForFunction(() => /of 30$/.test(document.querySelector('.dl-range').textContent));
    await page.selectOption('#dl-online', 'all');
    await page.waitForSelector('#dl-domain option[value="l1:2"]', { state: 'attached' });
    await page.selectOption('#dl-domain', 'l1:2');
    await mock.gw.waitFor((m) => m.mt === 'QueryDevices' && m.domain === 'l1:2');
    await page.waitForFunction(() => /of 40$/.test(document.querySelector('.dl-range').textContent));
    await page.selectOption('#dl-domain', '');

    // Typing a search sends one query after the pause, not one per character.
    const before = mock.gw.count('QueryDevices');
    await page.type('#dl-search', 'phone 11', { delay: 20 });
    const q = await mock.gw.waitFor((m) => m.mt === 'QueryDevices' && m.search === 'phone 11');
    assert.equal(q.offset, 0);
    await page.waitForFunction(() => /of 10$/.test(document.querySelector('.dl-range').textContent));
    assert.ok(mock.gw.count('QueryDevices') - before <= 2, 'search is debounced');
    await page.fill('#dl-search', '');
    await page.press('#dl-search', 'Enter');
    await page.waitForFunction(() => /of 120$/.test(document.querySelector('.dl-range').textContent));

    // Live: a change updates its row, an addition the total.
    const d0 = mock.gw.devices.find((d) => d.id === 'l1:1000');
    mock.gw.devicesChanged({ changed: [{ ...d0, name: 'Renamed phone' }] });
    await page.waitForFunction(() => document.querySelector('[data-device="l1:1000"] .dev-name')?.textContent === 'Renamed phone');
    mock.gw.devicesChanged({ added: [{ ...d0, id: 'l1:9999', name: 'New phone' }] });
    await page.waitForFunction(() => /of 121$/.test(document.querySelector('.dl-range').textContent));
    assert.deepEqual(errors, []);
  } finally { await context.close(); await mock.close(); }
});

test('watched phone: frames drawn and acked one by one, keys, registrations, actions, command, admin UI', async () => {
  const mock = await startMockGateway({ framesPerWatch: 5 });
  const { context, page, errors } = await newPage();
  try {
    await loginAsOperator(mock, page);
    await page.click('[data-device="l1:1008"]');          // IP222 (index order)
    const w = await mock.gw.waitFor((m) => m.mt === 'Watch');
    assert.equal(w.device, 'l1:1008');
    await page.waitForSelector('.phone button[data-key="D5"]');
    await mock.gw.waitFor((m) => m.mt === 'FrameAck' && m.seq === 5);
    // Acks came in order, one per frame, each after its frame.
    assert.deepEqual(mock.gw.acks.map((a) => a.seq), [1, 2, 3, 4, 5]);
    assert.ok(mock.gw.acks.every((a) => a.device === 'l1:1008'));
    // Frame 5 is a full frame in yellow... (colours cycle; frame 5 = full, colour index 0 = red)
    const last = mock.gw.frames[mock.gw.frames.length - 1];
    const px = await page.$eval('canvas.lcd', (c) => Array.from(c.getContext('2d').getImageData(100, 100, 1, 1).data));
    assert.deepEqual(px.slice(0, 3), last.colour);
    const delta = mock.gw.frames[3];                        // frame 4: a rectangle at 10,10
    const dpx = await page.$eval('canvas.lcd', (c) => Array.from(c.getContext('2d').getImageData(1, 1, 1, 1).data));
    assert.deepEqual(dpx.slice(0, 3), last.colour, 'outside the delta rectangle');
    assert.ok(delta.w === 40);

    // Registrations in their colours.
    const colours = await page.$$eval('.reg-key', (els) => els.map((e) => [e.dataset.state, getComputedStyle(e.querySelector('.reg-dot')).backgroundColor]));
    assert.deepEqual(colours, [['registered', 'rgb(46, 158, 68)'], ['not-configured', 'rgb(74, 74, 74)'], ['disabled', 'rgb(240, 140, 0)'], ['failed', 'rgb(214, 45, 32)']]);
    await page.click('.reg-key[data-state="failed"]');
    assert.match(await page.textContent('#reg-detail'), /unauthorized/);
    assert.match(await page.getAttribute('.reg-key[data-state="failed"]', 'title'), /Carol/);

    // Key press and long press.
    await page.click('[data-key="D5"]');
    const k = await mock.gw.waitFor((m) => m.mt === 'Key' && m.key === 'D5');
    assert.equal(k.device, 'l1:1008');
    assert.equal(k.holdMs, undefined);
    const box = await page.locator('[data-key="HOOK"]').boundingBox();
    await page.mouse.move(box.x + 20, box.y + 20);
    await page.mouse.down();
    await page.waitForTimeout(700);
    await page.mouse.up();
    const lk = await mock.gw.waitFor((m) => m.mt === 'Key' && m.key === 'HOOK');
    assert.ok(lk.holdMs >= 600);

    // Typing with the phone focused.
    await page.focus('.phone');
    await page.keyboard.press('Shift+KeyH');
    await page.keyboard.press('KeyI');
    const tk = await mock.gw.waitFor((m) => m.mt === 'TypeKeys');
    assert.equal(tk.device, 'l1:1008');
    assert.deepEqual(tk.keys, [{ code: 'KeyH', shift: true }, { code: 'KeyI' }]);
    await page.waitForFunction(() => /Sent: Hi/.test(document.querySelector('.kbd-sent').textContent));

    // Action with argument, and a command.
    await page.selectOption('#action-select', 'dial');
    await page.fill('#action-arg', '123');
    await page.click('#actions form button[type="submit"]');
    const a = await mock.gw.waitFor((m) => m.mt === 'Action');
    assert.deepEqual([a.action, a.arg, a.device], ['dial', '123', 'l1:1008']);
    await page.waitForFunction(() => /did dial 123/.test(document.querySelector('.action-result').textContent));
    await page.fill('#command-input', 'config write');
    await page.press('#command-input', 'Enter');
    const cmd = await mock.gw.waitFor((m) => m.mt === 'Command');
    assert.equal(cmd.command, 'config write');
    await page.waitForFunction(() => /<info>config write<\/info>/.test(document.querySelector('.command-result').textContent));

    // Admin UI opens the one-time URL in a new window.
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#admin-ui')]);
    await popup.waitForURL(/\/example\.com\/myphonekeys\/admin-ui\/[0-9a-f]+\/$/);
    await popup.close();

    await page.screenshot({ path: path.join(ARTIFACTS, 'live-IP222.png') });

    // Switching to another phone unwatches the first.
    await page.click('[data-device="l1:1010"]');
    const uw = await mock.gw.waitFor((m) => m.mt === 'Unwatch');
    assert.equal(uw.device, 'l1:1008');
    await mock.gw.waitFor((m) => m.mt === 'Watch' && m.device === 'l1:1010');
    assert.deepEqual(errors, []);
  } finally { await context.close(); await mock.close(); }
});

test('watch errors are shown: offline phone, unsupported phone', async () => {
  const mock = await startMockGateway();
  const { context, page } = await newPage();
  try {
    await loginAsOperator(mock, page);
    await page.click('[data-device="l1:1001"]');            // offline
    await page.waitForFunction(() => /offline/.test(document.getElementById('phone-message').textContent));
    assert.equal(await page.getAttribute('#phone-message', 'data-kind'), 'error');
    await page.click('[data-device="l1:1007"]');            // IP150: not supported, not even watched
    await page.waitForFunction(() => /no V13 firmware/.test(document.getElementById('phone-message').textContent));
    assert.equal(mock.gw.received.filter((m) => m.mt === 'Watch' && m.device === 'l1:1007').length, 0);
  } finally { await context.close(); await mock.close(); }
});

test('menu: status, log service connections, trace flags, audit', async () => {
  const mock = await startMockGateway();
  const { context, page } = await newPage();
  try {
    await loginAsOperator(mock, page);
    await page.click('#menu-button');
    assert.equal(await page.getAttribute('#menu-button', 'aria-expanded'), 'true');
    assert.equal(await page.locator('[data-item="menu.trace"]').count(), 1, 'trace flags offered when canTrace');
    await page.keyboard.press('Escape');
    assert.ok(await page.isHidden('#main-menu'));

    await page.click('#menu-button');
    await page.click('[data-item="menu.status"]');
    await page.waitForSelector('dialog.dialog table');
    assert.match(await page.textContent('dialog.dialog'), /devices-api/);
    await page.click('dialog.dialog footer button.primary');

    await page.click('#menu-button');
    await page.click('[data-item="menu.log"]');
    await mock.gw.waitFor((m) => m.mt === 'LogServiceConnections');
    await page.waitForSelector('dialog.dialog table');
    await page.click('dialog.dialog footer button.primary');

    await page.click('#menu-button');
    await page.click('[data-item="menu.trace"]');
    await page.waitForSelector('dialog.dialog input[data-flag="app"]');
    await page.check('dialog.dialog input[data-flag="app"]');
    await page.click('dialog.dialog footer button.primary');
    const st = await mock.gw.waitFor((m) => m.mt === 'SetTrace');
    assert.deepEqual(st.flags, { app: true, appws: true });

    await page.click('#menu-button');
    await page.click('[data-item="menu.audit"]');
    await page.waitForSelector('dialog.dialog table');
    assert.match(await page.textContent('dialog.dialog'), /Key D5/);
  } finally { await context.close(); await mock.close(); }

  const mock2 = await startMockGateway({ canTrace: false });
  const p2 = await newPage();
  try {
    await loginAsOperator(mock2, p2.page);
    await mock2.gw.waitFor((m) => m.mt === 'GetSession');
    await p2.page.waitForTimeout(100);
    await p2.page.click('#menu-button');
    assert.equal(await p2.page.locator('[data-item="menu.trace"]').count(), 0, 'no trace flags without canTrace');
  } finally { await p2.context.close(); await mock2.close(); }
});

test('reconnect: backoff shown, automatic re-login, list resumed, phone watched again', async () => {
  const mock = await startMockGateway({ framesPerWatch: 1 });
  const { context, page, errors } = await newPage();
  try {
    await loginAsOperator(mock, page);
    await page.click('[data-device="l1:1008"]');
    await mock.gw.waitFor((m) => m.mt === 'FrameAck');
    const logins = mock.gw.count('AppLogin');
    mock.gw.resumable = true;
    mock.gw.dropAll();
    await page.waitForSelector('#conn-state[data-phase="reconnecting"]');
    assert.match(await page.textContent('#conn-state'), /reconnecting in [12] s/);
    await page.waitForSelector('#conn-state[data-phase="connected"]', { timeout: 10000 });
    assert.equal(mock.gw.count('AppLogin'), logins + 1, 'logged in again with the remembered operator password');
    const resumed = await mock.gw.waitFor((m) => m.mt === 'QueryDevices' && m.resumeFrom !== undefined);
    assert.equal(resumed.resumeFrom, 100);
    const w = mock.gw.received.filter((m) => m.mt === 'Watch');
    await mock.gw.waitFor((m) => m.mt === 'Watch' && w.length >= 2);
    assert.equal(w[w.length - 1].device, 'l1:1008');
    // The rows stayed (resumed: no fresh page needed).
    assert.equal(await page.locator('.device-list button.device').count(), 50);
    assert.deepEqual(errors, []);
  } finally { await context.close(); await mock.close(); }
});
