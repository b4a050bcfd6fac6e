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
import { startDemo, pollUntil, openAppShell, findRow } from './product.mjs';
import { launchBrowser } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(here, 'artifacts');
const WAIT = { timeout: 30000 };

let demo; let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  demo = await startDemo(['--sim.tenants=2', '--sim.devices=120', '--sim.live-phones=28', '--phone.min-interval-ms=100']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await demo?.product.stop();
});

const sum = (o) => Object.values(o || {}).reduce((a, b) => a + b, 0);

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
    const { context, page, app, errors } = await openAppShell(browser, demo, { viewport, hasTouch: true });
    try {
      // The list comes first, as a drawer over the phone pane.
      assert.equal(await app.getAttribute('#drawer-button', 'aria-expanded'), 'true');
      assert.ok(await app.isVisible('#drawer-button'), 'the list button is shown');
      // The drawer slides in (a 0.2 s transform transition): wait until it has arrived, then
      // check where it stands.
      await app.waitForFunction(() => document.querySelector('#device-pane').getBoundingClientRect().left >= -1, null, WAIT)
        .catch(() => {});
      let pane = await frameBox(app, '#device-pane');
      assert.ok(pane.box.x >= -1 && pane.box.w > 200 && pane.box.w < pane.vw, `the drawer is open (${JSON.stringify(pane.box)})`);
      assert.ok(await app.isVisible('#drawer-backdrop'), 'a backdrop covers the phone pane');

      // Choose an IP232 (a touch model): the drawer closes.
      const dev = demo.livePhone('IP232');
      assert.ok(dev, 'a live IP232 in tenant1');
      const row = await findRow(app, demo, dev);
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
      const before = await demo.counters(dev.hwId);
      await app.evaluate(() => document.querySelector('.phone [data-key="D5"]').scrollIntoView({ block: 'center' }));
      await tap(page, app, '.phone [data-key="D5"]');
      const after = await pollUntil(async () => {
        const c = await demo.counters(dev.hwId);
        return sum(c.keyPresses) > sum(before.keyPresses) ? c : null;
      }, 'the tapped key at the phone');
      const pressed = Object.keys(after.keyPresses).filter((k) => after.keyPresses[k] !== (before.keyPresses[k] || 0));
      assert.deepEqual(pressed, ['5'], `the phone got key code 5: ${JSON.stringify(after.keyPresses)}`);

      // A tap on the touch screen arrives as one touch.
      await app.evaluate(() => document.querySelector('.phone canvas.lcd').scrollIntoView({ block: 'center' }));
      await tap(page, app, '.phone canvas.lcd');
      await pollUntil(async () => (await demo.counters(dev.hwId)).touches > (before.touches || 0), 'the tap on the screen at the phone');

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
  const { context, app, errors } = await openAppShell(browser, demo, { viewport: { width: 1400, height: 900 } });
  try {
    assert.equal(await app.isVisible('#drawer-button'), false);
    const pane = await frameBox(app, '#device-pane');
    const stage = await frameBox(app, '#phone-pane');
    assert.ok(pane.box.x >= 0 && pane.box.x + pane.box.w <= stage.box.x + 1, 'list left of the phone pane');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});
