// Function-key labels and LEDs end to end (the real product with the simulator): a label an
// operator sets in the app is drawn on the key for every administrator watching that phone, and
// again after a reload, and removed for everyone when cleared.
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

test('a label set in the app is drawn for every administrator watching the phone, and after a reload', async () => {
  const dev = demo.livePhone('IP112');
  assert.ok(dev, 'a live IP112 in tenant1');
  const a = await watchPhone(dev);
  const b = await watchPhone(dev);
  try {
    assert.equal(await a.app.isVisible('#fkeys-panel'), true);
    await a.app.fill('#fkey-F2', 'Reception');
    await a.app.fill('#fkey-F9', 'Zoë Müller');
    await a.app.click('#fkeys-panel button.primary');
    await a.app.waitForFunction(() => /saved/.test(document.querySelector('#fkeys-panel .result')?.textContent || ''), null, WAIT);
    for (const { app } of [a, b]) {
      await app.waitForFunction(() => document.querySelector('.phone [data-key="F9"] .fn-label')?.textContent === 'Zoë Müller', null, WAIT);
      assert.equal(await labelOf(app, 'F2'), 'Reception');
      assert.equal(await app.getAttribute('.phone [data-key="F2"]', 'aria-label'), 'Function key 2: Reception');
    }
    // The other administrator's panel shows the label on record.
    assert.equal(await b.app.inputValue('#fkey-F2'), 'Reception');

    // The longest label (40 characters) is kept whole; the key shows what fits.
    await a.app.fill('#fkey-F3', 'x'.repeat(41));
    assert.equal((await a.app.inputValue('#fkey-F3')).length, 40, 'the field takes 40 characters');
    await a.app.click('#fkeys-panel button.primary');
    await b.app.waitForFunction(() => document.querySelector('.phone [data-key="F3"] .fn-label')?.textContent === 'x'.repeat(40), null, WAIT);

    // A reload (a new watch, a new page) shows them again.
    await a.context.close();
    const c = await watchPhone(dev);
    try {
      await c.app.waitForFunction(() => document.querySelector('.phone [data-key="F2"] .fn-label')?.textContent === 'Reception', null, WAIT);
      // Clearing removes it for everyone.
      await c.app.fill('#fkey-F2', '');
      await c.app.click('#fkeys-panel button.primary');
      await b.app.waitForFunction(() => document.querySelector('.phone [data-key="F2"] .fn-label')?.textContent === '', null, WAIT);
      assert.equal(await labelOf(b.app, 'F9'), 'Zoë Müller');
      assert.deepEqual(c.errors, []);
    } finally { await c.context.close(); }
    assert.deepEqual(b.errors, []);
  } finally {
    await a.context.close().catch(() => {});
    await b.context.close();
  }
});
