// The admin-UI shortcut in real Chromium: the app's "Admin UI" button → the one-time URL → the
// gateway's relay → the simulated Devices App's passthrough → a live phone's admin web interface.
// Tenant 2's phones ask the browser for the admin password (the phone's Digest challenge reaches
// Chromium; the context is then given the password, as an admin types it into the prompt);
// tenant 1's domain password is configured for injection, so the relay answers the phone's
// challenge itself. One product process for the file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { startProduct } from './product.mjs';
import { launchBrowser } from './browser.mjs';

const WAIT = { timeout: 30000 };
const GUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const PASSWORD = { 'tenant1.example.com': 'adm-injected-1', 'tenant2.example.com': 'adm-typed-2' };
const BACKUP_BYTES = 3 * 1024 * 1024;

let product;
let browser;
let devices;      // the simulator's devices
let domains;      // the simulator's domains
let livePhones;   // hwIds of the connected live phones

before(async () => {
  product = await startProduct(['--sim.tenants=2', '--sim.devices=40', '--sim.live-phones=8', '--phone.min-interval-ms=200',
    '--phone.admin-ui-grace-ms=500', '--phone.admin-ui-inject-credentials=true',
    `--phone.admin-password.tenant1.example.com=${PASSWORD['tenant1.example.com']}`]);
  browser = await launchBrowser();
  domains = await product.control('GET', '/control/domains');
  // Both domains deploy an admin password to their phones (sysclient 0x0003), known to the test.
  for (const [name, adminPassword] of Object.entries(PASSWORD)) {
    const d = domains.find((x) => x.name === name);
    await product.control('POST', '/control/domain', { id: d.id, deployAdminPasswords: true, adminPassword });
  }
  devices = await product.control('GET', '/control/devices');
  const st = await product.control('GET', '/control/state');
  livePhones = new Set(st.livePhones.phones.filter((p) => p.connected).map((p) => p.hwId));
});

after(async () => {
  await browser?.close();
  await product?.stop();
});

const counters = (hwId) => product.control('GET', `/control/counters?hwId=${hwId}`);

const livePhoneOf = (tenant) => {
  const id = domains.find((d) => d.name === tenant).id;
  const dev = devices.find((d) => d.domainId === id && livePhones.has(d.hwId));
  assert.ok(dev, `a live phone in ${tenant}`);
  return dev;
};

/**
 * A browser context on the shell as `user` of `tenant`, the phone selected and watched. Records
 * every response (status, headers, text body) and every request URL.
 */
async function openPhone(tenant, user, dev, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US', ...contextOptions });
  const rec = { requests: [], responses: [] };
  context.on('request', (r) => rec.requests.push(r.url()));
  context.on('response', (r) => {
    rec.responses.push((async () => {
      const headers = await r.allHeaders().catch(() => ({}));
      const type = headers['content-type'] || '';
      const body = /^text\/|html|xml|json/.test(type) ? await r.text().catch(() => '') : '';
      return { url: r.url(), status: r.status(), headers, body };
    })());
  });
  const page = await context.newPage();
  await page.goto(product.shellUrl(tenant, user));
  const app = await (await page.waitForSelector('#app')).contentFrame();
  await app.waitForSelector('#conn-state[data-phase="connected"]', WAIT);
  await app.fill('#dl-search', dev.hwId);
  // By selector, not by handle: the list may render its rows again meanwhile.
  await app.click(`button.device[data-device$=":${dev.id}"]`, WAIT);
  await app.waitForFunction(() => !document.querySelector('#admin-ui').disabled, null, WAIT);
  const [popup] = await Promise.all([context.waitForEvent('page', WAIT), app.click('#admin-ui')]);
  await popup.waitForSelector('h1', WAIT);
  return { context, page, app, popup, rec };
}

/** The relay's prefix of a page inside it: "/<domain>/<instance>/admin/<id>/". */
function prefixOf(url, tenant) {
  const path = new URL(url).pathname;
  const m = /^(\/[^/]+\/[^/]+\/admin\/[0-9a-f]{16}\/)/.exec(path);
  assert.ok(m, `a relay path: ${path}`);
  assert.ok(path.startsWith(`/${tenant}/myphonekeys/admin/`), path);
  return m[1];
}

/** Opens the app's audit log (menu) until every pattern matches one of its rows. */
async function auditShows(app, patterns) {
  const deadline = Date.now() + 10000;
  let rows = [];
  for (;;) {
    await app.click('#menu-button');
    await app.click('[data-item="menu.audit"]');
    await app.waitForSelector('dialog[open] table, dialog[open] .empty', WAIT);
    rows = await app.$$eval('dialog[open] table tr', (tr) => tr.map((r) => [...r.cells].map((c) => c.textContent).join(' | ')));
    await app.click('dialog[open] .icon-btn');
    if (patterns.every((p) => rows.some((r) => p.test(r))) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const p of patterns) assert.ok(rows.some((r) => p.test(r)), `${p} in the audit log:\n${rows.join('\n')}`);
}

/** No response of the gateway carried the passthrough key or the Devices App's passthrough URL. */
async function assertNoPassthrough(rec) {
  const all = await Promise.all(rec.responses);
  const fromGateway = all.filter((r) => r.url.startsWith(product.gatewayUrl));
  assert.ok(fromGateway.length > 5, 'responses were recorded');
  for (const r of fromGateway) {
    const text = JSON.stringify(r.headers) + r.body;
    assert.ok(!GUID_RE.test(text), `GUID-like key in ${r.url}: ${text.slice(0, 300)}`);
    assert.ok(!/passthrough/i.test(text), `"passthrough" in ${r.url}: ${text.slice(0, 300)}`);
    assert.ok(!text.includes(product.simUrl), `the Devices App's address in ${r.url}`);
  }
  for (const u of rec.requests) assert.ok(!/passthrough/i.test(u) && !GUID_RE.test(u), u);
}

test('admin UI: the phone asks for its password, links and a form stay in the relay, a multi-MB download, one browser, ended by logout', async () => {
  const tenant = 'tenant2.example.com';
  const dev = livePhoneOf(tenant);
  const { context, page, app, popup, rec } = await openPhone(tenant, 'admin2', dev);
  try {
    // The start page (the phone's open info page) inside the relay.
    const prefix = prefixOf(popup.url(), tenant);
    assert.equal((await popup.textContent('h1')).trim(), `innovaphone ${dev.product}`);
    assert.match(await popup.textContent('table'), new RegExp(dev.hwId));
    const ticketUrl = rec.requests.find((u) => /\/admin\/open\/[0-9a-f]{32}$/.test(u));
    assert.ok(ticketUrl, 'the one-time URL was opened');

    // An absolute link ("/ADMIN/settings.htm") is followed back into the relay; there the phone
    // asks for its password: its Digest challenge reaches the browser (headless Chromium shows the
    // 401 where a desktop one opens the prompt). The admin enters the password, the page loads.
    const before = (await counters(dev.hwId)).adminUi;
    const [prompt] = await Promise.all([
      popup.waitForResponse((r) => new URL(r.url()).pathname === `${prefix}ADMIN/settings.htm`, WAIT),
      popup.click('#settings-link')]);
    assert.equal(prompt.status(), 401);
    assert.match(prompt.headers()['www-authenticate'] || '', /^Digest realm="[^"]+"/);
    await context.setHTTPCredentials({ username: 'admin', password: PASSWORD[tenant] });
    await popup.reload();
    await popup.waitForSelector('#location-input', WAIT);
    const after = (await counters(dev.hwId)).adminUi;
    assert.ok(after.challenges > before.challenges, 'the phone asked for its password');
    assert.ok(after.logins > before.logins, 'the browser logged in to the phone');
    const responses = await Promise.all(rec.responses);
    assert.ok(responses.some((r) => r.status === 307 && new URL(r.url).pathname === '/ADMIN/settings.htm'),
      'the absolute link went to the gateway root and was sent back into the relay');

    // The form (absolute action): 303 to a page inside the relay that shows the change and the
    // phone's own cookie.
    await popup.fill('#location-input', 'Room 4.12');
    await Promise.all([popup.waitForURL((u) => u.search === '?saved=1', WAIT), popup.click('#save')]);
    assert.equal(new URL(popup.url()).pathname, `${prefix}ADMIN/settings.htm`);
    assert.equal(await popup.textContent('#location'), 'Room 4.12');
    assert.match(await popup.textContent('#cookie'), /^[0-9a-f]{16}$/);

    // The maintenance page through a relative link, then a download of a few MB with its name.
    await popup.click('#home-link');
    await popup.waitForSelector('#maintenance-link', WAIT);
    await Promise.all([popup.waitForURL((u) => u.pathname === `${prefix}ADMIN/maintenance.htm`, WAIT), popup.click('#maintenance-link')]);
    const [download] = await Promise.all([popup.waitForEvent('download', WAIT), popup.click('#backup-link')]);
    assert.equal(download.suggestedFilename(), `${dev.product}-${dev.hwId}-config.txt`);
    assert.equal(statSync(await download.path()).size, BACKUP_BYTES);

    // The same one-time URL in a second browser: refused, and so is the relay without its cookie.
    const other = await browser.newContext();
    try {
      const p2 = await other.newPage();
      const again = await p2.goto(ticketUrl);
      assert.equal(again.status(), 403);
      assert.match(await p2.textContent('body'), /used already/);
      assert.equal((await p2.goto(`${product.gatewayUrl}${prefix}`)).status(), 403);
    } finally { await other.close(); }

    // Another tenant's admin with a relay of their own, its cookie put on this relay's path: refused;
    // each relay still answers its own browser.
    const dev1 = livePhoneOf('tenant1.example.com');
    const t1 = await openPhone('tenant1.example.com', 'admin1', dev1);
    try {
      const [own] = (await t1.context.cookies(product.gatewayUrl + prefixOf(t1.popup.url(), 'tenant1.example.com')))
        .filter((c) => c.name === 'mpk_admin_ui');
      assert.ok(own && own.httpOnly && own.sameSite === 'Strict', JSON.stringify(own));
      await t1.context.addCookies([{ ...own, path: prefix }]);
      const p3 = await t1.context.newPage();
      const foreign = await p3.goto(`${product.gatewayUrl}${prefix}`);
      assert.equal(foreign.status(), 403);
      assert.match(await p3.textContent('body'), /belongs to another browser/);
      assert.equal((await t1.popup.reload()).status(), 200);
      assert.equal((await popup.reload()).status(), 200);
    } finally { await t1.context.close(); }

    // The app's audit log of this phone: the opening and the form post, by this user, with status.
    await auditShows(app, [/\badmin2\b.* \| open \| HTTP 303$/, /\badmin2\b.* \| POST \/ADMIN\/settings \| HTTP 303$/]);

    await assertNoPassthrough(rec);

    // Logging out of myApps closes the app: past the grace the relay is refused.
    await page.click('#logout');
    const deadline = Date.now() + 15000;
    let status = 200;
    while (status !== 403 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await popup.goto(`${product.gatewayUrl}${prefix}`)).status();
    }
    assert.equal(status, 403, 'the relay ended with the app session');
  } finally { await context.close(); }
});

test('admin UI: with injected credentials the phone\'s login never reaches the browser', async () => {
  const tenant = 'tenant1.example.com';
  const dev = livePhoneOf(tenant);
  const { context, popup, rec } = await openPhone(tenant, 'admin1', dev);  // no credentials in this browser
  try {
    const prefix = prefixOf(popup.url(), tenant);
    const before = (await counters(dev.hwId)).adminUi;
    await Promise.all([popup.waitForURL((u) => u.pathname === `${prefix}ADMIN/settings.htm`, WAIT), popup.click('#settings-link')]);
    await popup.waitForSelector('#location-input', WAIT);
    assert.ok((await counters(dev.hwId)).adminUi.challenges > before.challenges, 'the phone asked (the relay answered)');
    await popup.fill('#location-input', 'injected');
    await Promise.all([popup.waitForURL((u) => u.search === '?saved=1', WAIT), popup.click('#save')]);
    assert.equal(await popup.textContent('#location'), 'injected');
    assert.equal((await counters(dev.hwId)).adminUi.location, 'injected');
    const responses = await Promise.all(rec.responses);
    assert.ok(!responses.some((r) => r.status === 401), responses.filter((r) => r.status === 401).map((r) => r.url).join('\n'));
    await assertNoPassthrough(rec);
  } finally { await context.close(); }
});
