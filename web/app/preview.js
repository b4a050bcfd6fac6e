/// Preview mode (`?render=<product>`): draws one model's phone from the model files, without a
/// connection — for the docs, for checking model data after an edit, and for the browser tests.
/// Inputs are shown in a "last input" line instead of being sent.

import { h, clear } from './dom.js';
import { t, onLanguageChange, getLanguage } from './i18n.js';
import { loadIndex, loadFamily, findFamily, resolveModel, allProducts, loadKeyboards } from './models.js';
import { PhoneView, keyName } from './phone-view.js';
import { InfoPanel } from './info-panel.js';
import { KeyboardPanel, defaultLayout } from './keyboard.js';
import { KeyLabelsPanel } from './key-labels.js';

/** A test picture so the screen area and its resolution are visible. */
export function paintTestPattern(canvas, model) {
  const ctx = canvas.getContext('2d');
  const { width: w, height: hgt } = canvas;
  const bars = model.screen.color
    ? ['#ffffff', '#ffd400', '#00c8d7', '#00b050', '#c000c0', '#e00000', '#0030e0', '#000000']
    : ['#ffffff', '#dadada', '#b4b4b4', '#8e8e8e', '#686868', '#424242', '#1c1c1c', '#000000'];
  const bw = w / bars.length;
  bars.forEach((c, i) => { ctx.fillStyle = c; ctx.fillRect(Math.floor(i * bw), 0, Math.ceil(bw), hgt); });
  // A 1-pixel frame shows that the picture reaches every edge.
  ctx.strokeStyle = model.screen.color ? '#ff00ff' : '#000000';
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, w - 1, hgt - 1);
  const band = Math.max(14, Math.round(hgt / 5));
  ctx.fillStyle = 'rgba(0,0,0,0.72)';
  ctx.fillRect(0, Math.round((hgt - band) / 2), w, band);
  ctx.fillStyle = '#ffffff';
  ctx.font = `${Math.round(band * 0.6)}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(t('preview.screen', { product: model.product, w, h: hgt }), w / 2, hgt / 2, w - 8);
}

/**
 * Run the preview. `els`: {status, title, message, stage, panels, info, keyboard, side, log}.
 * Sets <html data-state="ready"|"error"> when done (the tests wait for it).
 */
export async function runPreview(product, els) {
  const root = document.documentElement;
  root.dataset.mode = 'preview';
  const fail = (text) => {
    els.message.hidden = false;
    els.message.dataset.kind = 'error';
    els.message.textContent = text;
    els.panels.hidden = true;
    root.dataset.state = 'error';
  };
  let index;
  try { index = await loadIndex(); } catch (e) { fail(t('preview.failed', { reason: e.message })); return; }

  // Every model, as links, so the preview doubles as a catalogue.
  const nav = h('nav', { class: 'model-nav', attrs: { 'aria-labelledby': 'models-title' } });
  const renderNav = () => {
    clear(nav).append(h('h2', { id: 'models-title', text: t('preview.models') }), h('ul', {}, allProducts(index).map(({ family, product: p }) => {
      const url = new URL(location.href);
      url.searchParams.set('render', p);
      return h('li', {}, h('a', { href: url.search, attrs: { 'aria-current': p.toUpperCase() === String(product).toUpperCase() ? 'page' : null } }, `${p} `, h('span', { class: 'dev-meta', text: family })));
    })));
  };
  renderNav();
  clear(els.side).append(nav);
  onLanguageChange(renderNav);

  const f = findFamily(index, product);
  if (!f) { fail(t('preview.unknown', { product })); return; }
  if (f.unsupported) { fail(t('preview.unsupported', { product: f.product, reason: f.unsupported })); return; }
  let model;
  try {
    const fam = await loadFamily(f.family);
    const r = resolveModel(fam, f.product);
    if (!r.ok) throw new Error(r.error);
    model = r.model;
  } catch (e) { fail(t('preview.failed', { reason: e.message })); return; }

  const log = (text) => { els.log.textContent = text; };
  const view = new PhoneView(els.stage, {
    onKey: (id, holdMs) => {
      const key = model.keys.find((k) => k.id === id);
      const name = key ? keyName(key) : id;
      log(holdMs ? t('preview.keyHold', { key: name, ms: holdMs }) : t('preview.key', { key: name }));
      els.log.dataset.last = JSON.stringify({ mt: 'Key', key: id, holdMs });
    },
    onTouch: (x, y, holdMs) => {
      log(holdMs ? t('preview.touchHold', { x, y, ms: holdMs }) : t('preview.touch', { x, y }));
      els.log.dataset.last = JSON.stringify({ mt: 'Touch', x, y, holdMs });
    },
    onKeyDown: (e) => kb && kb.handleKeyDown(e),
  }, { fitHeight: 0.8, scale: Number(new URLSearchParams(location.search).get('scale')) || undefined });
  const canvas = view.render(model);
  paintTestPattern(canvas, model);

  const setTitle = () => { els.title.textContent = t('preview.title', { product: model.product, family: model.family }); };
  setTitle();
  onLanguageChange(setTitle);
  els.message.hidden = false;
  els.message.dataset.kind = 'info';
  els.message.textContent = t('preview.hint');
  onLanguageChange(() => { els.message.textContent = t('preview.hint'); });
  els.panels.hidden = false;
  const info = new InfoPanel(els.info);
  info.set({ device: '', info: {}, product: model.product, family: model.family, model });

  // Labels set here are drawn at once (nothing is stored: there is no phone and no server).
  const states = {};
  const fkeys = new KeyLabelsPanel(els.fkeys, {
    keys: model.keys,
    save: async (labels) => {
      for (const [id, text] of Object.entries(labels)) states[id] = text ? { label: text, from: 'operator', operator: text } : {};
      view.setKeyStates(states);
      fkeys.set(states);
      els.log.dataset.last = JSON.stringify({ mt: 'SetKeyLabels', labels });
      log(t('preview.labels', { n: Object.keys(labels).length }));
      return { ok: true };
    },
  });
  els.fkeysPanel.hidden = !fkeys.keys.length;

  let kb = null;
  try {
    const keyboards = await loadKeyboards();
    kb = new KeyboardPanel(els.keyboard, {
      keyboards,
      initialLayout: defaultLayout(getLanguage() === 'de' ? 'de' : navigator.language),
      send: (keys, layout) => {
        log(t('preview.type', { keys: keys.map((k) => k.code + (k.shift ? '+Shift' : '') + (k.altgr ? '+AltGr' : '')).join(' ') }));
        els.log.dataset.last = JSON.stringify({ mt: 'TypeKeys', layout, keys });
      },
      pressKey: (id) => {
        log(t('preview.key', { key: id }));
        els.log.dataset.last = JSON.stringify({ mt: 'Key', key: id });
      },
    });
    kb.setModelKeys(model.keys.map((k) => k.id));
  } catch (e) { console.warn('keyboards.json:', e); }

  root.dataset.state = 'ready';
  return { model, view };
}
