/// Per-model phone data (docs/models.md): find the family of a product, resolve the family JSON
/// into what one model has (keys, screen, geometry). Pure functions plus two small loaders.

const FKEY = /^F(\d+)$/;

function isNum(v) { return typeof v === 'number' && Number.isFinite(v); }
function isRect(r, wk = 'w', hk = 'h') { return r && isNum(r.x) && isNum(r.y) && isNum(r[wk]) && isNum(r[hk]) && r[wk] > 0 && r[hk] > 0; }

/**
 * Which family holds `product` (case-insensitive) according to index.json.
 * @returns {{family:string, product:string}|{unsupported:string, product:string}|null}
 */
export function findFamily(index, product) {
  if (!index || typeof product !== 'string' || !product) return null;
  const want = product.toUpperCase();
  for (const [family, products] of Object.entries(index.families || {})) {
    if (!Array.isArray(products)) continue;
    const hit = products.find((p) => typeof p === 'string' && p.toUpperCase() === want);
    if (hit) return { family, product: hit };
  }
  for (const [p, reason] of Object.entries(index.unsupported || {})) {
    if (p.toUpperCase() === want) return { unsupported: String(reason), product: p };
  }
  return null;
}

/** Every supported product of the index, in index order. */
export function allProducts(index) {
  const out = [];
  for (const [family, products] of Object.entries((index && index.families) || {})) {
    if (Array.isArray(products)) for (const p of products) out.push({ family, product: p });
  }
  return out;
}

/**
 * The drawing style of a model: the family's `look` with the model's on top (palette merged
 * role by role, decor and the rest replaced). Bad entries are dropped, never fatal.
 */
export function lookOf(family, model, product = '') {
  const f = family && typeof family === 'object' ? family : {};
  const m = model && typeof model === 'object' ? model : {};
  const palette = { ...(f.palette && typeof f.palette === 'object' ? f.palette : {}), ...(m.palette && typeof m.palette === 'object' ? m.palette : {}) };
  const decor = Array.isArray(m.decor) ? m.decor : Array.isArray(f.decor) ? f.decor : [];
  const labels = ['paper', 'display', 'none'].includes(m.labels) ? m.labels : ['paper', 'display', 'none'].includes(f.labels) ? f.labels : 'paper';
  // A decor item with `only` belongs to the listed products of the family alone.
  const mine = (d) => !Array.isArray(d.only) || d.only.some((p) => String(p).toUpperCase() === String(product).toUpperCase());
  return { palette, decor: decor.filter((d) => d && typeof d === 'object' && mine(d)), labels };
}

/**
 * Resolve the family JSON for one product: per-model screen/touch/ui, geometry overrides,
 * keys without omitted kinds and without F<n> beyond the model's functionKeys.
 * @returns {{ok:true, model:object}|{ok:false, error:string}}
 */
export function resolveModel(familyJson, product) {
  if (!familyJson || typeof familyJson !== 'object') return { ok: false, error: 'no model data' };
  const models = familyJson.models || {};
  const name = Object.keys(models).find((m) => m.toUpperCase() === String(product || '').toUpperCase());
  if (!name) return { ok: false, error: `unknown model ${product}` };
  const m = models[name] || {};
  const screen = m.screen || {};
  if (!isNum(screen.width) || !isNum(screen.height) || screen.width <= 0 || screen.height <= 0 || screen.width > 4096 || screen.height > 4096) {
    return { ok: false, error: `model ${name}: bad screen size` };
  }
  const body = { ...(familyJson.body || {}), ...(m.body || {}) };
  if (!isNum(body.width) || !isNum(body.height) || body.width <= 0 || body.height <= 0) return { ok: false, error: `model ${name}: bad body size` };
  const screenBox = { ...(familyJson.screenBox || {}), ...(m.screenBox || {}) };
  const look = lookOf(familyJson.look, m.look, name);
  if (!isRect(screenBox, 'width', 'height')) return { ok: false, error: `model ${name}: bad screen box` };
  const omit = new Set(Array.isArray(m.omitKinds) ? m.omitKinds : []);
  const fMax = isNum(m.functionKeys) ? m.functionKeys : Infinity;
  const keys = [];
  for (const k of Array.isArray(familyJson.keys) ? familyJson.keys : []) {
    if (!k || typeof k.id !== 'string' || !isRect(k)) continue;   // unusable entry: not drawable
    if (omit.has(k.kind)) continue;
    const f = FKEY.exec(k.id);
    if (f && Number(f[1]) > fMax) continue;
    keys.push(k);
  }
  return {
    ok: true,
    model: {
      product: name,
      family: familyJson.family || '',
      screen: { width: screen.width, height: screen.height, bpp: screen.bpp, color: !!screen.color },
      ui: m.ui === 'old' ? 'old' : 'new',
      touch: !!m.touch,
      functionKeys: isNum(m.functionKeys) ? m.functionKeys : null,
      body,
      screenBox,
      look,
      facts: familyJson.facts && typeof familyJson.facts === 'object' ? familyJson.facts : {},
      keys,
    },
  };
}

async function fetchJson(url) {
  const r = await fetch(url, { credentials: 'same-origin', cache: 'no-cache' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

/** models/<file>.json relative to the app page (served by the gateway from the model data dir). */
export function modelUrl(file) { return new URL(`models/${file}`, document.baseURI).href; }

/** Load index.json, cached for the page's life. */
let indexPromise = null;
export function loadIndex() {
  if (!indexPromise) indexPromise = fetchJson(modelUrl('index.json')).catch((e) => { indexPromise = null; throw e; });
  return indexPromise;
}

/** Load a family file by its name, cached. */
const familyCache = new Map();
export function loadFamily(family) {
  if (!/^[A-Za-z0-9_-]+$/.test(family)) return Promise.reject(new Error(`bad family name ${family}`));
  if (!familyCache.has(family)) {
    familyCache.set(family, fetchJson(modelUrl(`${family}.json`)).catch((e) => { familyCache.delete(family); throw e; }));
  }
  return familyCache.get(family);
}

/** Load keyboards.json, cached. */
let kbdPromise = null;
export function loadKeyboards() {
  if (!kbdPromise) kbdPromise = fetchJson(modelUrl('keyboards.json')).catch((e) => { kbdPromise = null; throw e; });
  return kbdPromise;
}
