// Function-key labels and LEDs end to end (the real product with the simulator, whose IP112 speaks
// the second functionKeys candidate): what the phone reports is drawn live; a label an operator
// sets in the app is drawn where the phone reports none, for every administrator watching that
// phone, again after a reload, and removed for everyone when cleared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, openAppShell, findRow } from './product.mjs';
import { launchBrowser } from './browser.mjs';

const WAIT = { timeout: 30000 };

let demo; let browser;

before(async () => {
  demo = await startDemo(['--sim.tenants=1', '--sim.devices=40', '--sim.live-phones=28', '--phone.min-interval-ms=100']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await demo?.product.stop();
});

/** The shell as admin1, with the phone `dev` chosen and drawn. */
async function watchPhone(dev) {
  const shell = await openAppShell(browser, demo);
  const { app } = shell;
  await app.click(await findRow(app, demo, dev));
  await app.waitForFunction((p) => document.querySelector('.phone')?.dataset.product === p, dev.product, WAIT);
  await app.waitForFunction(() => !document.querySelector('#admin-ui').disabled, null, WAIT);
  return shell;
}

const labelOf = (app, id) => app.evaluate((k) => document.querySelector(`.phone [data-key="${k}"] .fn-label`)?.textContent ?? null, id);

test('labels and LEDs the phone reports are drawn live; a label set in the app stands in where the phone has none, for every administrator, also after a reload', async () => {
  const dev = demo.livePhone('IP112');
  assert.ok(dev, 'a live IP112 in tenant1');
  const a = await watchPhone(dev);
  const b = await watchPhone(dev);
  try {
    // The phone's own labels (the simulated phone names keys 1-8) are on the keys.
    for (const { app } of [a, b]) {
      await app.waitForFunction(() => document.querySelector('.phone [data-key="F1"] .fn-label')?.textContent === 'Partner', null, WAIT);
      assert.equal(await labelOf(app, 'F2'), 'Pickup');
      assert.equal(await app.getAttribute('.phone [data-key="F1"] .led', 'data-led'), 'off');
    }
    // A press of F1 lights its LED on the phone: both administrators see it lit, then dark again.
    await a.app.click('.phone [data-key="F1"]');
    for (const { app } of [a, b]) {
      await app.waitForFunction(() => document.querySelector('.phone [data-key="F1"] .led')?.dataset.led === 'on', null, WAIT);
      assert.equal(await app.getAttribute('.phone [data-key="F1"] .led', 'data-colour'), 'green');
    }
    assert.match(await b.app.textContent('#fkeys .fkey-row[data-key="F1"] .fkey-shown'), /on the phone: “Partner” · LED on/);
    await b.app.click('.phone [data-key="F1"]');
    await a.app.waitForFunction(() => document.querySelector('.phone [data-key="F1"] .led')?.dataset.led === 'off', null, WAIT);

    // Labels set in the app: shown where the phone reports none (F9, F10), the phone's wins on F2.
    await a.app.fill('#fkey-F9', 'Reception');
    await a.app.fill('#fkey-F10', 'Zoë Müller');
    await a.app.fill('#fkey-F2', 'Not shown');
    await a.app.click('#fkeys-panel button.primary');
    await a.app.waitForFunction(() => /saved/.test(document.querySelector('#fkeys-panel .result')?.textContent || ''), null, WAIT);
    for (const { app } of [a, b]) {
      await app.waitForFunction(() => document.querySelector('.phone [data-key="F10"] .fn-label')?.textContent === 'Zoë Müller', null, WAIT);
      assert.equal(await labelOf(app, 'F9'), 'Reception');
      assert.equal(await labelOf(app, 'F2'), 'Pickup');
      assert.equal(await app.getAttribute('.phone [data-key="F9"]', 'aria-label'), 'Function key 9: Reception');
    }
    // The other administrator's panel shows the labels on record.
    assert.equal(await b.app.inputValue('#fkey-F9'), 'Reception');
    assert.equal(await b.app.inputValue('#fkey-F2'), 'Not shown');

    // The longest label (40 characters) is kept whole; the key shows what fits.
    await a.app.fill('#fkey-F11', 'x'.repeat(41));
    assert.equal((await a.app.inputValue('#fkey-F11')).length, 40, 'the field takes 40 characters');
    await a.app.click('#fkeys-panel button.primary');
    await b.app.waitForFunction(() => document.querySelector('.phone [data-key="F11"] .fn-label')?.textContent === 'x'.repeat(40), null, WAIT);

    // A reload (a new watch, a new page) shows them again.
    await a.context.close();
    const c = await watchPhone(dev);
    try {
      await c.app.waitForFunction(() => document.querySelector('.phone [data-key="F9"] .fn-label')?.textContent === 'Reception', null, WAIT);
      // Clearing removes it for everyone.
      await c.app.fill('#fkey-F9', '');
      await c.app.click('#fkeys-panel button.primary');
      await b.app.waitForFunction(() => document.querySelector('.phone [data-key="F9"] .fn-label')?.textContent === '', null, WAIT);
      assert.equal(await labelOf(b.app, 'F10'), 'Zoë Müller');
      assert.deepEqual(c.errors, []);
    } finally { await c.context.close(); }
    assert.deepEqual(b.errors, []);
  } finally {
    await a.context.close().catch(() => {});
    await b.context.close();
  }
});
