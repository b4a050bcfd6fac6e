// Preview mode (`?render=<product>`): every supported model is drawn from its JSON — every key
// as a button with data-key at its place, the LCD canvas at the model's native screen size —
// and one screenshot per family lands in tests/browser/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';
import { readModelJson, keysOf } from './model-data.mjs';
import { launchBrowser } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(here, 'artifacts');
const index = readModelJson('index.json');

/** What a model must show, worked out from the JSON (independently of the app's code). */
function expectedFor(familyJson, product) {
  const m = familyJson.models[product];
  return { keys: keysOf(familyJson, product), screen: m.screen, body: { ...familyJson.body, ...(m.body || {}) }, touch: !!m.touch };
}

let server, browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startStaticServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPreview(product, { lang = 'en', viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, locale: lang === 'de' ? 'de-DE' : 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}innovaphone-myphonekeys.htm?render=${encodeURIComponent(product)}&lang=${lang}`);
  await page.waitForSelector('html[data-state]', { timeout: 15000 });
  return { page, context, errors };
}

for (const [family, products] of Object.entries(index.families)) {
  const familyJson = readModelJson(`${family}.json`);
  products.forEach((product, i) => {
    test(`preview draws ${product} (${family}) completely`, async () => {
      const exp = expectedFor(familyJson, product);
      const { page, context, errors } = await openPreview(product);
      try {
        assert.equal(await page.getAttribute('html', 'data-state'), 'ready');

        // Every key of the model is a button with data-key, and only those.
        const ids = await page.$$eval('.phone button[data-key]', (els) => els.map((e) => e.dataset.key));
        assert.equal(ids.length, exp.keys.length, `number of keys of ${product}`);
        assert.deepEqual([...ids].sort(), exp.keys.map((k) => k.id).sort());

        // The canvas has the model's native screen size.
        const canvas = await page.$eval('.phone canvas.lcd', (c) => ({ w: c.width, h: c.height }));
        assert.deepEqual(canvas, { w: exp.screen.width, h: exp.screen.height });

        // Each key sits at its x/y/w/h (in drawing units, relative to the face).
        const geo = await page.$$eval('.phone button[data-key]', (els) => {
          const face = document.querySelector('.phone');
          const fr = face.getBoundingClientRect();
          const s = fr.width / face.offsetWidth;
          return els.map((e) => {
            const r = e.getBoundingClientRect();
            return { id: e.dataset.key, x: (r.left - fr.left) / s, y: (r.top - fr.top) / s, w: r.width / s, h: r.height / s, label: e.getAttribute('aria-label') };
          });
        });
        for (const k of exp.keys) {
          const g = geo.find((x) => x.id === k.id);
          for (const f of ['x', 'y', 'w', 'h']) assert.ok(Math.abs(g[f] - k[f]) < 1.5, `${product} ${k.id}.${f}: ${g[f]} vs ${k[f]}`);
          assert.ok(g.label && g.label.length > 0, `${product} ${k.id} has an aria-label`);
        }

        // The face keeps the body's proportions and fits the pane.
        const face = await page.$eval('.phone', (f) => ({ w: f.offsetWidth, h: f.offsetHeight, rw: f.getBoundingClientRect().width, pane: document.getElementById('phone-stage').clientWidth }));
        assert.deepEqual({ w: face.w, h: face.h }, { w: exp.body.width, h: exp.body.height });
        assert.ok(face.rw <= face.pane + 1, 'phone fits its pane');

        // The screen shows the test picture (not blank).
        const lit = await page.$eval('.phone canvas.lcd', (c) => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
          return n / (c.width * c.height);
        });
        assert.ok(lit > 0.99, 'test picture covers the screen');

        if (i === 0) await page.screenshot({ path: path.join(ARTIFACTS, `${family}-${product}.png`) });
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}

test('preview refuses an unknown model with a message', async () => {
  const { page, context } = await openPreview('IP999');
  try {
    assert.equal(await page.getAttribute('html', 'data-state'), 'error');
    assert.match(await page.textContent('#phone-message'), /IP999/);
    assert.equal(await page.$$eval('[data-key]', (e) => e.length), 0);
  } finally { await context.close(); }
});

test('preview refuses an unsupported model with its reason', async () => {
  const { page, context } = await openPreview('IP150');
  try {
    assert.equal(await page.getAttribute('html', 'data-state'), 'error');
    assert.match(await page.textContent('#phone-message'), new RegExp(index.unsupported.IP150));
  } finally { await context.close(); }
});

test('short press and long press of a key', async () => {
  const { page, context } = await openPreview('IP222');
  try {
    const box = await page.locator('[data-key="D5"]').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.up();
    // A key under the pointer keeps its own face (only brighter), never the page's button colour.
    for (const id of ['D5', 'HOOK', 'F1', 'MENU']) {
      await page.hover(`[data-key="${id}"]`);
      const bg = await page.$eval(`[data-key="${id}"]`, (e) => [getComputedStyle(e).backgroundImage, getComputedStyle(e).backgroundColor]);
      assert.ok(bg[0] !== 'none' || bg[1] === 'rgba(0, 0, 0, 0)', `${id} while hovered: ${bg.join(' ')}`);
    }
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    let last = JSON.parse(await page.getAttribute('#preview-log', 'data-last'));
    assert.equal(last.mt, 'Key');
    assert.equal(last.key, 'D5');
    assert.equal(last.holdMs, undefined, 'a short press has no hold time');

    await page.mouse.down();
    await page.waitForTimeout(750);
    assert.ok(await page.$eval('[data-key="D5"]', (e) => e.classList.contains('long')), 'long press is shown while held');
    await page.mouse.up();
    last = JSON.parse(await page.getAttribute('#preview-log', 'data-last'));
    assert.equal(last.key, 'D5');
    assert.ok(last.holdMs >= 600 && last.holdMs <= 10000, `holdMs ${last.holdMs}`);

    // Keyboard: Enter on a focused key is a short press of that key.
    await page.focus('[data-key="F1"]');
    await page.keyboard.press('Enter');
    last = JSON.parse(await page.getAttribute('#preview-log', 'data-last'));
    assert.deepEqual([last.key, last.holdMs], ['F1', undefined]);
  } finally { await context.close(); }
});

test('touch on a touch model reports native screen pixels', async () => {
  const { page, context } = await openPreview('IP232');
  try {
    const c = await page.$eval('.phone canvas.lcd', (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height, cw: e.width, ch: e.height }; });
    // The centre of native pixel (100, 50).
    const px = c.x + ((100 + 0.5) / c.cw) * c.w, py = c.y + ((50 + 0.5) / c.ch) * c.h;
    await page.mouse.click(px, py);
    const last = JSON.parse(await page.getAttribute('#preview-log', 'data-last'));
    assert.deepEqual(last, { mt: 'Touch', x: 100, y: 50 });
  } finally { await context.close(); }

  // A non-touch model ignores clicks on its screen.
  const p2 = await openPreview('IP222');
  try {
    const c = await p2.page.$eval('.phone canvas.lcd', (e) => { const r = e.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; });
    await p2.page.mouse.click(c.x, c.y);
    assert.equal(await p2.page.getAttribute('#preview-log', 'data-last'), null);
  } finally { await p2.context.close(); }
});

test('typing while the phone has focus sends key codes with the layout', async () => {
  const { page, context } = await openPreview('IP241');
  try {
    await page.selectOption('#kbd-layout', 'qwertz');
    await page.focus('.phone');
    await page.keyboard.press('KeyZ');
    await page.keyboard.press('Shift+KeyA');
    await page.waitForFunction(() => (document.getElementById('preview-log').dataset.last || '').includes('TypeKeys'));
    const last = JSON.parse(await page.getAttribute('#preview-log', 'data-last'));
    assert.equal(last.layout, 'qwertz');
    assert.deepEqual(last.keys, [{ code: 'KeyZ' }, { code: 'KeyA', shift: true }]);

    // Arrow keys press the navigation keys of the phone.
    await page.focus('.phone');
    await page.keyboard.press('ArrowDown');
    const nav = JSON.parse(await page.getAttribute('#preview-log', 'data-last'));
    assert.deepEqual(nav, { mt: 'Key', key: 'DOWN' });

    // The on-screen keyboard shows the QWERTZ layout (Y and Z swapped).
    assert.equal(await page.textContent('.osk [data-code="KeyY"]'), 'z');
  } finally { await context.close(); }
});

test('German interface', async () => {
  const { page, context } = await openPreview('IP112', { lang: 'de' });
  try {
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.match(await page.textContent('#phone-title'), /Vorschau von IP112/);
    assert.equal(await page.getAttribute('[data-key="F3"]', 'aria-label'), 'Funktionstaste 3');
    // Switch to English from the menu.
    await page.click('#menu-button');
    await page.click('[data-lang="en"]');
    assert.match(await page.textContent('#phone-title'), /Preview of IP112/);
    assert.equal(await page.getAttribute('[data-key="F3"]', 'aria-label'), 'Function key 3');
  } finally { await context.close(); }
});

test('function-key labels set in the panel are drawn on the keys and named to screen readers', async () => {
  const { page, context, errors } = await openPreview('IP112');
  try {
    assert.equal(await page.isVisible('#fkeys-panel'), true);
    assert.equal(await page.$$eval('#fkeys input[data-key]', (e) => e.length), 16);
    await page.fill('#fkey-F1', 'Alice Miller');
    await page.fill('#fkey-F12', '  Sales  ');
    await page.press('#fkey-F12', 'Enter');
    const last = JSON.parse(await page.getAttribute('#preview-log', 'data-last'));
    assert.deepEqual(last, { mt: 'SetKeyLabels', labels: { F1: 'Alice Miller', F12: 'Sales' } });
    assert.equal(await page.textContent('.phone [data-key="F1"] .fn-label'), 'Alice Miller');
    assert.equal(await page.textContent('.phone [data-key="F12"] .fn-label'), 'Sales');
    assert.equal(await page.textContent('.phone [data-key="F2"] .fn-label'), '');
    assert.equal(await page.getAttribute('.phone [data-key="F1"]', 'aria-label'), 'Function key 1: Alice Miller');
    // Clearing a field removes the label again; unchanged fields are not sent.
    await page.fill('#fkey-F1', '');
    await page.click('#fkeys-panel button.primary');
    assert.deepEqual(JSON.parse(await page.getAttribute('#preview-log', 'data-last')).labels, { F1: '' });
    assert.equal(await page.textContent('.phone [data-key="F1"] .fn-label'), '');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }

  // A phone without function keys has no such panel.
  const p2 = await openPreview('IP101');
  try {
    assert.equal(await p2.page.isVisible('#fkeys-panel'), false);
  } finally { await p2.context.close(); }
});
