// Each family drawn as its layout data says, in the preview (`?render=<product>`):
//  - one reference image per family (the product with the most keys, drawn at scale 0.5),
//    compared pixel by pixel with tests/browser/references/<family>.png;
//  - for every product: no two keys (nor a key and the screen) overlap, every key and the screen
//    lie inside the body outline, and every key of the family's layout is drawn and clickable
//    (a real mouse click on a visible point of the key is reported as that key).
//
// Tolerance of the image comparison: a pixel differs when one of its channels differs by more
// than CHANNEL_TOLERANCE (of 255); the drawing matches when at most MAX_DIFF_SHARE of its pixels
// differ and the size is the same. That absorbs anti-aliasing and font hinting between
// machines, not a moved, missing or recoloured key.
//
// The references change only on purpose: `npm run update-references` (in tests/browser) rewrites
// them from the current drawing; review the new PNGs before committing them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';
import { readModelJson, keysOf } from './model-data.mjs';
import { launchBrowser } from './browser.mjs';
import { decodePng, encodePng } from './png.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(here, 'artifacts');
const REFERENCES = path.join(here, 'references');
const UPDATE = process.env.MPK_UPDATE_REFERENCES === '1';
const CHANNEL_TOLERANCE = 40;
const MAX_DIFF_SHARE = 0.001;
const REFERENCE_SCALE = 0.5;

const index = readModelJson('index.json');

let server; let browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startStaticServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPreview(product, query = '', viewport = { width: 1280, height: 1100 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}innovaphone-myphonekeys.htm?render=${encodeURIComponent(product)}&lang=en${query}`);
  await page.waitForSelector('html[data-state]', { timeout: 30000 });
  assert.equal(await page.getAttribute('html', 'data-state'), 'ready', `preview of ${product}`);
  return { page, context, errors };
}

/** Count the pixels that differ beyond the tolerance; also returns a diff picture. */
function comparePictures(a, b) {
  if (a.width !== b.width || a.height !== b.height) return { sameSize: false, share: 1 };
  const diff = new Uint8Array(a.rgba.length);
  let n = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    const d = Math.max(Math.abs(a.rgba[i] - b.rgba[i]), Math.abs(a.rgba[i + 1] - b.rgba[i + 1]),
      Math.abs(a.rgba[i + 2] - b.rgba[i + 2]), Math.abs(a.rgba[i + 3] - b.rgba[i + 3]));
    const bad = d > CHANNEL_TOLERANCE;
    if (bad) n++;
    diff[i] = bad ? 255 : a.rgba[i] >> 2; diff[i + 1] = bad ? 0 : a.rgba[i + 1] >> 2; diff[i + 2] = bad ? 0 : a.rgba[i + 2] >> 2; diff[i + 3] = 255;
  }
  return { sameSize: true, share: n / (a.width * a.height), count: n, diff };
}

for (const [family, products] of Object.entries(index.families)) {
  const familyJson = readModelJson(`${family}.json`);
  // The product that shows the most of the family's keys stands for the family's picture.
  const refProduct = products.reduce((best, p) => (keysOf(familyJson, p).length > keysOf(familyJson, best).length ? p : best), products[0]);

  test(`${family} looks like its reference picture (${refProduct}, scale ${REFERENCE_SCALE})`, async () => {
    const { page, context, errors } = await openPreview(refProduct, `&scale=${REFERENCE_SCALE}`);
    try {
      const shot = await page.locator('.phone-sizer').screenshot({ animations: 'disabled', caret: 'hide' });
      const file = path.join(REFERENCES, `${family}.png`);
      if (UPDATE) {
        mkdirSync(REFERENCES, { recursive: true });
        writeFileSync(file, shot);
        return;
      }
      assert.ok(existsSync(file), `no reference picture ${path.relative(here, file)}: run \`npm run update-references\` and review it`);
      const want = decodePng(readFileSync(file));
      const got = decodePng(shot);
      const c = comparePictures(got, want);
      if (!c.sameSize || c.share > MAX_DIFF_SHARE) {
        writeFileSync(path.join(ARTIFACTS, `${family}-actual.png`), shot);
        if (c.diff) writeFileSync(path.join(ARTIFACTS, `${family}-diff.png`), encodePng(got.width, got.height, c.diff));
      }
      assert.ok(c.sameSize, `${family}: size ${got.width}×${got.height}, reference ${want.width}×${want.height}`);
      assert.ok(c.share <= MAX_DIFF_SHARE,
        `${family}: ${(c.share * 100).toFixed(2)} % of the pixels differ (allowed ${MAX_DIFF_SHARE * 100} %); see artifacts/${family}-diff.png`);
      assert.deepEqual(errors, []);
    } finally { await context.close(); }
  });

  const drawnInFamily = new Set();
  for (const product of products) {
    test(`${product} (${family}): keys apart, inside the body, each one drawn and clickable`, async () => {
      const want = keysOf(familyJson, product);
      const { page, context, errors } = await openPreview(product);
      try {
        const geo = await page.evaluate(() => {
          const face = document.querySelector('.phone');
          const fr = face.getBoundingClientRect();
          const s = fr.width / face.offsetWidth;
          const shell = face.querySelector('.body-shell');
          const toUnits = (r) => ({ x: (r.left - fr.left) / s, y: (r.top - fr.top) / s, w: r.width / s, h: r.height / s });
          const inside = (b) => [[b.x, b.y], [b.x + b.w, b.y], [b.x, b.y + b.h], [b.x + b.w, b.y + b.h]]
            .every(([x, y]) => shell.isPointInFill(new DOMPoint(x + (x === b.x ? 0.5 : -0.5), y + (y === b.y ? 0.5 : -0.5))));
          const screenBox = toUnits(face.querySelector('.screen-box').getBoundingClientRect());
          const keys = [...face.querySelectorAll('button[data-key]')].map((b) => {
            const r = b.getBoundingClientRect();
            // A point of the key that a click reaches: the centre first, else a grid over the box.
            let hit = null;
            const tries = [[0.5, 0.5]];
            for (let fy = 0.1; fy < 1; fy += 0.1) for (let fx = 0.1; fx < 1; fx += 0.1) tries.push([fx, fy]);
            for (const [fx, fy] of tries) {
              const x = r.left + r.width * fx; const y = r.top + r.height * fy;
              const el = document.elementFromPoint(x, y);
              if (el && el.closest('button[data-key]') === b) { hit = { x, y }; break; }
            }
            const cs = getComputedStyle(b);
            return { id: b.dataset.key, box: toUnits(r), inside: inside(toUnits(r)), hit, shown: cs.visibility === 'visible' && cs.display !== 'none' && r.width > 0 && r.height > 0 };
          });
          return { keys, screen: { box: screenBox, inside: inside(screenBox) } };
        });

        // Drawn: exactly the keys of the layout for this product.
        assert.deepEqual(geo.keys.map((k) => k.id).sort(), want.map((k) => k.id).sort(), `${product}: keys drawn`);

        // Apart: no two boxes (keys and the screen) share area.
        const boxes = [...geo.keys.map((k) => [k.id, k.box]), ['screen', geo.screen.box]];
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, A] = boxes[i]; const [b, B] = boxes[j];
            const ox = Math.min(A.x + A.w, B.x + B.w) - Math.max(A.x, B.x);
            const oy = Math.min(A.y + A.h, B.y + B.h) - Math.max(A.y, B.y);
            assert.ok(!(ox > 0.5 && oy > 0.5), `${product}: ${a} and ${b} overlap by ${ox.toFixed(1)}×${oy.toFixed(1)} units`);
          }
        }

        // Inside: every corner of every key and of the screen lies in the body outline.
        assert.ok(geo.screen.inside, `${product}: the screen leaves the body`);
        for (const k of geo.keys) {
          assert.ok(k.shown, `${product}: ${k.id} is not shown`);
          assert.ok(k.inside, `${product}: ${k.id} leaves the body (${JSON.stringify(k.box)})`);
          assert.ok(k.hit, `${product}: no visible point of ${k.id} takes a click`);
        }

        // Clickable: a real mouse click on that point is reported as the key.
        for (const k of geo.keys) {
          await page.mouse.click(k.hit.x, k.hit.y);
          const last = JSON.parse(await page.getAttribute('#preview-log', 'data-last') || 'null');
          assert.equal(last && last.key, k.id, `${product}: a click on ${k.id} at (${k.hit.x.toFixed(0)}, ${k.hit.y.toFixed(0)})`);
          drawnInFamily.add(k.id);
        }
        assert.deepEqual(errors, []);
      } finally { await context.close(); }
    });
  }

  test(`${family}: every key of the layout is drawn for at least one product`, () => {
    const never = familyJson.keys.map((k) => k.id).filter((id) => !drawnInFamily.has(id));
    assert.deepEqual(never, [], `${family}: keys no product draws`);
  });
}
