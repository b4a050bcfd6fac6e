// Every screen size, end to end (the real product with the simulator, as e2e.test.mjs): on a
// phone (390×844) and a tablet (768×1024), both touch devices, the device list is a drawer that
// opens first and closes when a phone is chosen, the phone then fits the width, a tapped key
// reaches the simulated phone, and on a touch model a tap on the screen arrives as a touch in
// native pixels. On a wide window the list stays a column next to the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProduct } from './product.mjs';
import { launchBrowser } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(here, 'artifacts');
const TENANT = 'tenant1.example.com';
const WAIT = { timeout: 30000 };

let product; let browser; let devices; let livePhones; let tenantDomainId;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  product = await startProduct(['--sim.tenants=2', '--sim.devices=120', '--sim.live-phones=28', '--phone.min-interval-ms=100']);
  browser = await launchBrowser();
  const domains = await product.control('GET', '/control/domains');
  tenantDomainId = domains.find((d) => d.name === TENANT).id;
  const st = await product.control('GET', '/control/state');
  livePhones = new Set(st.livePhones.phones.filter((p) => p.connected).map((p) => p.hwId));
  devices = await product.control('GET', '/control/devices');
});

after(async () => {
  await browser?.close();
  await product?.stop();
});

const appId = (d) => `${TENANT}/devices-api:${d.id}`;
const livePhone = (p) => devices.find((d) => d.domainId === tenantDomainId && d.product === p && livePhones.has(d.hwId));
const counters = (hwId) => product.control('GET', `/control/counters?hwId=${hwId}`);
const sum = (o) => Object.values(o || {}).reduce((a, b) => a + b, 0);

async function pollUntil(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The shell on a touch device of the given size; `app` is the app's frame. */
async function openShell(viewport, { touch = true } = {}) {
  const context = await browser.newContext({ viewport, hasTouch: touch, isMobile: false, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(product.shellUrl(TENANT, 'admin1'));
  const app = await (await page.waitForSelector('#app')).contentFrame();
  await app.waitForSelector('#conn-state[data-phase="connected"]', WAIT);
  await app.waitForSelector('button.device', WAIT);
  return { context, page, app, errors };
}

/** Where an element is, in the app frame's own coordinates, and the frame's size. */
const frameBox = (app, selector) => app.evaluate((sel) => {
  const e = document.querySelector(sel);
  const r = e ? e.getBoundingClientRect() : null;
  return { box: r && { x: r.left, y: r.top, w: r.width, h: r.height }, vw: document.documentElement.clientWidth, vh: window.innerHeight };
}, selector);

/** Tap the centre of an element of the app frame with the touch screen. */
async function tap(page, app, selector) {
  const frame = await (await page.$('#app')).boundingBox();
  const { box } = await frameBox(app, selector);
  await page.touchscreen.tap(frame.x + box.x + box.w / 2, frame.y + box.y + box.h / 2);
}

for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['tablet', { width: 768, height: 1024 }]]) {
  test(`${name} ${viewport.width}×${viewport.height}: list in a drawer, the phone fits, a tapped key and a touch reach the phone`, async () => {
    const { context, page, app, errors } = await openShell(viewport);
    try {
      // The list comes first, as a drawer over the phone pane.
      assert.equal(await app.getAttribute('#drawer-button', 'aria-expanded'), 'true');
      assert.ok(await app.isVisible('#drawer-button'), 'the list button is shown');
      let pane = await frameBox(app, '#device-pane');
      assert.ok(pane.box.x >= -1 && pane.box.w > 200 && pane.box.w < pane.vw, `the drawer is open (${JSON.stringify(pane.box)})`);
      assert.ok(await app.isVisible('#drawer-backdrop'), 'a backdrop covers the phone pane');

      // Choose an IP232 (a touch model): the drawer closes.
      const dev = livePhone('IP232');
      assert.ok(dev, 'a live IP232 in tenant1');
      await app.fill('#dl-search', dev.hwId);
      const row = `button.device[data-device="${appId(dev)}"]`;
      await app.waitForFunction((id) => {
        const rows = [...document.querySelectorAll('button.device')];
        return rows.length === 1 && rows[0].dataset.device === id;
      }, appId(dev), WAIT);
      await tap(page, app, row);
      await app.waitForFunction(() => document.querySelector('.phone')?.dataset.product === 'IP232', null, WAIT);
      await app.waitForFunction(() => !document.querySelector('#admin-ui').disabled, null, WAIT);
      assert.equal(await app.getAttribute('#drawer-button', 'aria-expanded'), 'false');
      await app.waitForFunction(() => document.querySelector('#device-pane').getBoundingClientRect().right <= 0, null, WAIT);
      assert.equal(await app.isVisible('#drawer-backdrop'), false);

      // The phone fits the width: no wider than the frame, and it uses most of it.
      const face = await frameBox(app, '.phone');
      assert.ok(face.box.x >= 0 && face.box.x + face.box.w <= face.vw + 0.5, `phone inside the width (${JSON.stringify(face)})`);
      assert.ok(face.box.w >= face.vw * 0.85, `phone fills the width: ${face.box.w.toFixed(0)} of ${face.vw}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `screens-${name}.png`) });

      // A tapped key reaches the phone.
      const before = await counters(dev.hwId);
      await app.evaluate(() => document.querySelector('.phone [data-key="D5"]').scrollIntoView({ block: 'center' }));
      await tap(page, app, '.phone [data-key="D5"]');
      const after = await pollUntil(async () => {
        const c = await counters(dev.hwId);
        return sum(c.keyPresses) > sum(before.keyPresses) ? c : null;
      }, 'the tapped key at the phone');
      const pressed = Object.keys(after.keyPresses).filter((k) => after.keyPresses[k] !== (before.keyPresses[k] || 0));
      assert.deepEqual(pressed, ['5'], `the phone got key code 5: ${JSON.stringify(after.keyPresses)}`);

      // A tap on the touch screen arrives as one touch.
      await app.evaluate(() => document.querySelector('.phone canvas.lcd').scrollIntoView({ block: 'center' }));
      await tap(page, app, '.phone canvas.lcd');
      await pollUntil(async () => (await counters(dev.hwId)).touches > (before.touches || 0), 'the tap on the screen at the phone');

      // The list button opens the drawer again; Escape closes it.
      await tap(page, app, '#drawer-button');
      await app.waitForFunction(() => document.querySelector('#device-pane').getBoundingClientRect().left >= -1, null, WAIT);
      assert.equal(await app.getAttribute('#drawer-button', 'aria-expanded'), 'true');
      await app.press('body', 'Escape');
      await app.waitForFunction(() => document.querySelector('#device-pane').getBoundingClientRect().right <= 0, null, WAIT);
      pane = await frameBox(app, '#device-pane');
      assert.ok(pane.box.x + pane.box.w <= 0, 'closed again');
      assert.deepEqual(errors, []);
    } finally { await context.close(); }
  });
}

test('wide window (1400×900): the list stays a column beside the phone, no list button', async () => {
  const { context, app, errors } = await openShell({ width: 1400, height: 900 }, { touch: false });
  try {
    assert.equal(await app.isVisible('#drawer-button'), false);
    const pane = await frameBox(app, '#device-pane');
    const stage = await frameBox(app, '#phone-pane');
    assert.ok(pane.box.x >= 0 && pane.box.x + pane.box.w <= stage.box.x + 1, 'list left of the phone pane');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});
