// The wire check and the wire file in the real app: the product with the simulator (`mpk-demo`) with the
// simulator's phones speaking different wire dialects (sim/data/wire-dialects.json). An operator
// watches a phone whose forms the session found by itself, runs the wire check from the menu,
// runs a key form from its row, copies the report and saves its working forms as a wire file;
// then a phone no built-in form covers gets its forms from a wire file reloaded from the menu,
// and a bad file is refused with the entry named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProduct, loginAsOperator } from './product.mjs';
import { launchBrowser } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TENANT = 'tenant1.example.com';
const WAIT = { timeout: 30000 };
const OPERATOR_PASSWORD = 'op-wire-secret';

let product;
let browser;
let work;
let wireFile;
let devices;
let live;

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'mpk-wire-'));
  wireFile = path.join(work, 'wire.json');
  writeFileSync(wireFile, '{"about": "nothing yet"}\n');
  product = await startProduct(['--sim.live-phones=14', '--sim.devices=60', '--phone.min-interval-ms=100',
    `--sim.wire-dialects=${path.join(here, '../../sim/data/wire-dialects.json')}`,
    `--phone.wire-file=${wireFile}`, `--gateway.operator-password=${OPERATOR_PASSWORD}`]);
  browser = await launchBrowser();
  devices = await product.control('GET', '/control/devices');
  const st = await product.control('GET', '/control/state');
  live = new Set(st.livePhones.phones.filter((p) => p.connected).map((p) => p.hwId));
});

after(async () => {
  await browser?.close();
  await product?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const livePhone = (model) => devices.find((d) => d.product === model && live.has(d.hwId));

/** The operator on the standalone page, with every text frame the app received recorded. */
async function operatorPage() {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1100 }, locale: 'en-US', acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: product.gatewayUrl });
  const page = await context.newPage();
  const frames = [];
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameReceived', (e) => { if (e.response.opcode === 1) frames.push(e.response.payloadData); });
  await loginAsOperator(page, product.gatewayUrl, OPERATOR_PASSWORD, { tenant: TENANT });
  await page.waitForSelector('button.device', WAIT);
  return { context, page, frames, errors };
}

/** Select a device by its MAC and wait until it is watched. */
async function watchPhone(page, dev) {
  await page.fill('#dl-search', dev.hwId);
  const row = `button.device[data-device$=":${dev.id}"]`;
  await page.waitForSelector(row, WAIT);
  await page.click(row);
  await page.waitForFunction((p) => document.querySelector('.phone')?.dataset.product === p, dev.product, WAIT);
  await page.waitForFunction(() => !document.querySelector('#admin-ui').disabled, null, WAIT);
}

/** The LCD canvas shows a picture (two colours or more). */
const lcdDrawn = (page) => page.waitForFunction(() => {
  const c = document.querySelector('#phone-stage canvas');
  if (!c || !c.width) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < d.length && seen.size < 2; i += 4) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
  return seen.size >= 2;
}, null, WAIT);

async function menuItem(page, key) {
  await page.click('#menu-button');
  await page.click(`#main-menu [data-item="${key}"]`);
}

/** The newest WireCheckResult the app received. */
function lastReport(frames) {
  for (let i = frames.length - 1; i >= 0; --i) {
    const m = JSON.parse(frames[i]);
    if (m.mt === 'WireCheckResult') return m.report;
  }
  return null;
}

/** The cells of candidate `index` of `entry` in the dialog's table. */
const rowCells = (page, entry, index) => page.$eval(`section.wire-entry[data-entry="${entry}"] tbody tr:nth-child(${index + 1})`,
  (tr) => [...tr.children].map((td) => td.textContent.trim()));

test('wire check from the menu: the report as a table, a key form run from its row, copy and save', async () => {
  const { context, page, frames, errors } = await operatorPage();
  try {
    // IP232 speaks the 3rd LCD form, the 4th key form and the 3rd registrations form: found alone.
    const dev = livePhone('IP232');
    await watchPhone(page, dev);
    await lcdDrawn(page);

    await menuItem(page, 'menu.wireCheck');
    await page.waitForSelector('dialog.wire-check[open]', WAIT);
    await page.click('dialog.wire-check footer button.primary');
    await page.waitForSelector('section.wire-entry[data-entry="lcd"]', { timeout: 60000 });
    const r = lastReport(frames);
    assert.ok(r, 'a WireCheckResult arrived');
    assert.equal(r.product, 'IP232');
    assert.equal(r.via, 'passthrough');
    assert.equal(r.version, dev.version);
    // The session had found the same forms before: the report shows what it uses.
    assert.equal(r.remembered.lcd, 2);
    assert.equal(r.remembered.registrations, 2);
    const lcd = r.entries.find((e) => e.entry === 'lcd');
    assert.deepEqual(lcd.working, [2]);
    assert.equal(lcd.candidates[0].status, 404);
    assert.equal(lcd.candidates[2].status, 200);
    assert.equal(lcd.candidates[2].contentType, 'image/bmp');
    assert.equal(lcd.candidates[2].bytes, 14 + 40 + 12 + 480 * 272 * 2);
    assert.deepEqual(lcd.candidates[2].parsed, { width: 480, height: 272, depth: 16 });
    assert.deepEqual(r.entries.find((e) => e.entry === 'registrations').working, [2]);
    assert.deepEqual(r.entries.find((e) => e.entry === 'info').working, [1]);
    assert.ok(JSON.stringify(r).indexOf('/passthrough/') < 0, 'no passthrough URL in the report');

    // The table shows it: a row per candidate with request, status, type, bytes, result, answer.
    const row0 = await rowCells(page, 'lcd', 0);
    assert.equal(row0[1], '/lcd_dump.bmp');
    assert.equal(row0[2], '404');
    assert.equal(row0[6], 'not-this-form');
    const row2 = await rowCells(page, 'lcd', 2);
    assert.equal(row2[1], '/PHONE/APP/lcd_dump.bmp');
    assert.equal(row2[2], '200');
    assert.equal(row2[3], 'image/bmp');
    assert.equal(row2[4], '261,186');
    assert.equal(row2[6], 'works');
    assert.equal(row2[7], 'BMP 480×272×16');
    assert.match(await page.textContent('section.wire-entry[data-entry="key"] h3'), /not run: run a form from its row/);
    assert.match(await page.textContent('section.wire-entry[data-entry="lcd"] h3'), /works: #2/);

    // One key form, run from its row between two LCD dumps: the screen changed.
    const pressesBefore = (await product.control('GET', `/control/counters?hwId=${dev.hwId}`)).keyPresses?.menu ?? 0;
    await page.fill('input[data-act="key:3"]', 'menu');
    await page.click('button[data-run="key:3"]');
    await page.waitForFunction(() => {
      const tr = document.querySelector('section.wire-entry[data-entry="key"] tbody tr:nth-child(4)');
      return tr && /works/.test(tr.textContent);
    }, null, { timeout: 60000 });
    const k = lastReport(frames).entries.find((e) => e.entry === 'key').candidates[3];
    assert.equal(k.result, 'works');
    assert.equal(k.visible, true);
    assert.equal(k.request, '/!mod%20cmd%20PHONE/APP%20key%20menu');
    const keyRow = await rowCells(page, 'key', 3);
    assert.equal(keyRow[1], '/!mod%20cmd%20PHONE/APP%20key%20menu');
    assert.equal(keyRow[8], 'yes');
    const pressesAfter = (await product.control('GET', `/control/counters?hwId=${dev.hwId}`)).keyPresses?.menu ?? 0;
    assert.equal(pressesAfter, pressesBefore + 1);

    // Copy JSON: the clipboard holds the report the app received.
    await page.click('dialog.wire-check footer button:nth-child(1)');
    await page.waitForFunction(() => /copied/.test(document.getElementById('toast')?.textContent || ''), null, WAIT);
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.deepEqual(copied, lastReport(frames));

    // Save as wire file: wire-IP232.json with the forms that worked.
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.click('dialog.wire-check footer button:nth-child(2)'),
    ]);
    assert.equal(download.suggestedFilename(), 'wire-IP232.json');
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(saved.models.IP232.lcd.form, '/PHONE/APP/lcd_dump.bmp');
    assert.equal(saved.models.IP232.key.form, '/!mod cmd PHONE/APP key {code}');
    assert.equal(saved.models.IP232.registrations.format.item, 'registration');
    assert.deepEqual(saved, lastReport(frames).wireFile);
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('a phone no form covers: the reason is shown; a wire file reloaded from the menu fixes it; a bad one is refused', async () => {
  const { context, page, errors } = await operatorPage();
  try {
    const dev = livePhone('IP241');
    await watchPhone(page, dev);
    await page.waitForFunction(() => /Phone error: no lcd form answered: #0 \/lcd_dump\.bmp: answered 404/.test(document.body.innerText), null, WAIT);

    // The operator writes the forms into the wire file and reloads it from the menu.
    writeFileSync(wireFile, JSON.stringify({
      about: 'IP241 forms read from its Administration log',
      models: { IP241: {
        lcd: '/DISPLAY0/screen.bmp',
        key: { form: '/PHONE/APP/mod_cmd.xml?cmd=xml-keypress&k={code}&t={holdMs}', keyCodes: { SPEAKER: 'handsfree', MENU: 'menu-key', HOOK: 'offhook' } },
        registrations: { form: '/PHONE/USER-UI/mod_cmd.xml?cmd=xml-registrations',
          format: { root: 'registrations', item: 'user', id: 'slot', idBase: 1, state: 'status', up: 'registered', enable: 'active', off: 'false' } },
      } },
    }));
    await menuItem(page, 'menu.reloadWire');
    await page.waitForFunction(() => /wire file was read again/.test(document.getElementById('toast')?.textContent || ''), null, WAIT);
    await lcdDrawn(page);
    await page.click('.phone button[data-key="MENU"]');
    const presses = async () => (await product.control('GET', `/control/counters?hwId=${dev.hwId}`)).keyPresses?.['menu-key'] ?? 0;
    const end = Date.now() + 15000;
    while (await presses() < 1 && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
    assert.equal(await presses(), 1);

    // A bad file is refused with the entry named, and the phone stays as it is.
    writeFileSync(wireFile, '{"models": {"IP241": {"key": "/k?c={code}&x={bogus}"}}}');
    await menuItem(page, 'menu.reloadWire');
    await page.waitForFunction(() => /not taken: wire file .*models\.IP241\.key: unknown placeholder \{bogus\}/
      .test(document.getElementById('toast')?.textContent || ''), null, WAIT);
    await page.click('.phone button[data-key="MENU"]');
    const end2 = Date.now() + 15000;
    while (await presses() < 2 && Date.now() < end2) await new Promise((res) => setTimeout(res, 100));
    assert.equal(await presses(), 2);
    assert.match(product.output(), /wire file not reloaded, the last good data stays in force/);
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});
