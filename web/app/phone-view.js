/// Draws the phone of one model from its resolved model data (models.js): the body, the screen
/// box with a canvas of the LCD's native size, and every key at its x/y/w/h with label, icon and
/// LED. The whole face is laid out in drawing units and scaled to fit its pane.

import { h, clear, svg } from './dom.js';
import { t, onLanguageChange } from './i18n.js';
import { icon, hasIcon } from './icons.js';
import { attachPress } from './press.js';
import { bodySvg, paletteOf } from './phone-body.js';

const NUM = /^(?:F|LSK|SK)(\d+)$/;
const LED_STATES = new Set(['off', 'on', 'blink', 'flash']);
const LED_COLOURS = new Set(['green', 'red', 'amber']);

/** The accessible name of a key (translated), from its id and kind. */
export function keyName(key) {
  const id = key.id;
  const m = NUM.exec(id);
  if (m && key.kind === 'function') return t('key.fn', { n: m[1] });
  if (m && key.kind === 'line') return t('key.line', { n: m[1] });
  if (m && key.kind === 'soft') return t('key.soft', { n: m[1] });
  if (/^D\d$/.test(id)) return t('key.digit', { d: id.slice(1) }) + (key.sub ? ` ${key.sub}` : '');
  if (/^ALPHA_[A-Z]$/.test(id)) return t('key.alpha', { l: id.slice(6) });
  const k = `key.${id}`;
  const s = t(k);
  if (s !== k) return s;
  return key.label || id;
}

/** A key's own outline inside its box (`shape`: rect, round, pill, or path with `path`). */
export function keyShape(key) {
  if (key.shape === 'path' && typeof key.path === 'string' && PATH_RE.test(key.path)) return 'path';
  return key.shape === 'round' || key.shape === 'pill' ? key.shape : 'rect';
}
const PATH_RE = /^[MmLlHhVvCcSsQqTtAaZz0-9.,\s-]+$/;

function shapeStyle(key) {
  switch (keyShape(key)) {
    case 'round': return { borderRadius: '50%' };
    case 'pill': return { borderRadius: `${Math.min(key.w, key.h) / 2}px` };
    case 'path': return { clipPath: `path('${key.path}')` };
    default: return typeof key.radius === 'number' ? { borderRadius: `${key.radius}px` } : {};
  }
}

function keyContent(key, look) {
  const face = keyShape(key) === 'path'
    ? svg('svg', { class: 'key-face', viewBox: `0 0 ${key.w} ${key.h}`, width: key.w, height: key.h, 'aria-hidden': 'true', focusable: 'false' },
      svg('path', { d: key.path }))
    : null;
  const ic = key.icon && hasIcon(key.icon) ? icon(key.icon) : null;
  switch (key.kind) {
    case 'keypad':
      return [h('span', { class: 'kp-digit', text: key.label || '' }), key.sub ? h('span', { class: 'kp-sub', text: key.sub }) : null];
    case 'function': {
      const n = (NUM.exec(key.id) || [])[1] || '';
      // Without a label strip the cap carries the key's name (IP110: "F1" … "F4").
      const capText = look.labels === 'none' ? h('span', { class: 'fn-cap-text', text: key.label || key.id }) : null;
      const cap = h('span', { class: 'fn-cap' }, key.led ? h('span', { class: 'led', attrs: { 'data-led': 'off' } }) : null, capText);
      const label = look.labels === 'none' ? null
        : h('span', { class: `fn-label labels-${look.labels}`, text: key.label || '', attrs: { 'data-placeholder': n } });
      return [cap, label];
    }
    case 'hook':
      return [h('span', { class: 'handset' }, icon('handset', 'icon handset-icon'))];
    case 'soft':
    case 'line':
      // Their meaning is shown by the phone on its screen; the key itself is blank.
      return [face, key.label ? h('span', { class: 'key-label', text: key.label }) : null];
    default: {
      const text = key.label || (ic ? '' : key.id);
      const showText = !ic || key.caption === true;
      return [face, ic, showText && text ? h('span', { class: 'key-label', text }) : null];
    }
  }
}

export class PhoneView {
  /**
   * @param {HTMLElement} host   the element the phone is drawn into (emptied)
   * @param {object} cb
   * @param {(id:string, holdMs?:number) => void} cb.onKey
   * @param {(x:number, y:number, holdMs?:number) => void} cb.onTouch
   * @param {(e:KeyboardEvent) => void} [cb.onKeyDown]  keys typed while the phone has focus
   * @param {{fitHeight?: number, scale?: number}} [opts]  fraction of the window height the phone
   *   may use; or a fixed scale (drawings for references and docs)
   */
  constructor(host, cb, opts = {}) {
    this.host = host;
    this.cb = cb;
    this.opts = opts;
    this.model = null;
    this.detach = [];
    this.scale = 1;
    this.ro = typeof ResizeObserver === 'function' ? new ResizeObserver(() => this.fit()) : null;
    this.offLang = onLanguageChange(() => this.relabel());
    this._onWinResize = () => this.fit();
    window.addEventListener('resize', this._onWinResize);
  }

  /** Draw a model; returns the LCD canvas. */
  render(model) {
    this._teardown();
    this.model = model;
    const { body, screenBox, screen } = model;

    this.canvas = h('canvas', { class: `lcd${Math.min(screenBox.width / screen.width, screenBox.height / screen.height) >= 1 ? ' upscaled' : ''}`, width: screen.width, height: screen.height, attrs: { role: 'img', 'data-touch': model.touch ? 'true' : 'false' } });
    this.overlay = h('div', { class: 'screen-overlay', hidden: true, attrs: { role: 'status', 'aria-live': 'polite' } });
    const k = Math.min(screenBox.width / screen.width, screenBox.height / screen.height);
    const cw = screen.width * k, ch = screen.height * k;
    Object.assign(this.canvas.style, { width: `${cw}px`, height: `${ch}px`, left: `${(screenBox.width - cw) / 2}px`, top: `${(screenBox.height - ch) / 2}px` });
    this.screenEl = h('div', {
      class: `screen-box ${screen.color ? 'colour' : 'mono'}`,
      style: { left: `${screenBox.x}px`, top: `${screenBox.y}px`, width: `${screenBox.width}px`, height: `${screenBox.height}px` },
    }, this.canvas, this.overlay);

    this.keyEls = new Map();
    const keys = model.keys.map((key) => {
      const b = h('button', {
        type: 'button',
        class: `key key-${key.kind || 'other'} shape-${keyShape(key)}`,
        attrs: { 'data-key': key.id, 'data-kind': key.kind || '', 'data-label-side': key.kind === 'function' ? (key.labelSide === 'left' ? 'left' : 'right') : null },
        style: { left: `${key.x}px`, top: `${key.y}px`, width: `${key.w}px`, height: `${key.h}px`, ...shapeStyle(key) },
      }, keyContent(key, model.look));
      this.detach.push(attachPress(b, ({ holdMs }) => this.cb.onKey && this.cb.onKey(key.id, holdMs)));
      this.keyEls.set(key.id, b);
      return b;
    });

    const pal = paletteOf(model);
    const vars = {};
    for (const [role, value] of Object.entries(pal)) vars[`--ph-${role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = value;
    this.face = h('div', {
      class: `phone style-${body.style || 'desk'} labels-${model.look.labels}`,
      tabIndex: 0,
      attrs: { role: 'group', 'data-product': model.product, 'data-family': model.family },
      style: { width: `${body.width}px`, height: `${body.height}px`, ...vars },
      on: { keydown: (e) => this._keydown(e) },
    }, bodySvg(model), this.screenEl, keys);
    this.labels = {};

    if (model.touch) {
      this.canvas.classList.add('touch');
      this.detach.push(attachPress(this.canvas, ({ holdMs, clientX, clientY, keyboard }) => {
        if (keyboard) return;
        const p = this.toScreen(clientX, clientY);
        if (p && this.cb.onTouch) this.cb.onTouch(p.x, p.y, holdMs);
      }));
    }

    this.sizer = h('div', { class: 'phone-sizer' }, this.face);
    clear(this.host).appendChild(this.sizer);
    this.relabel();
    if (this.ro) this.ro.observe(this.host);
    this.fit();
    return this.canvas;
  }

  /** Native screen pixel under a client (viewport) point, or null outside the screen. */
  toScreen(clientX, clientY) {
    const r = this.canvas.getBoundingClientRect();
    if (!r.width || !r.height) return null;
    const x = Math.floor(((clientX - r.left) / r.width) * this.canvas.width);
    const y = Math.floor(((clientY - r.top) / r.height) * this.canvas.height);
    if (x < 0 || y < 0 || x >= this.canvas.width || y >= this.canvas.height) return null;
    return { x, y };
  }

  /** Scale the face to the pane's width (and a share of the window height). */
  fit() {
    if (!this.model || !this.face) return;
    const { width: W, height: H } = this.model.body;
    const fixed = this.opts.scale;
    if (typeof fixed === 'number' && fixed > 0 && fixed <= 4) { this._applyScale(fixed, W, H); return; }
    const avail = this.host.clientWidth || W;
    const hShare = this.opts.fitHeight ?? 0.72;
    const maxH = Math.max(200, window.innerHeight * hShare);
    this._applyScale(Math.max(0.2, Math.min(avail / W, maxH / H, 1.25)), W, H);
  }

  _applyScale(s, W, H) {
    this.scale = s;
    this.face.style.transform = `scale(${s})`;
    this.sizer.style.width = `${W * s}px`;
    this.sizer.style.height = `${H * s}px`;
  }

  /** (Re)write every translated label: aria-labels and titles of the keys, the face, the screen. */
  relabel() {
    if (!this.model) return;
    const m = this.model;
    this.face.setAttribute('aria-label', t('phone.faceLabel', { product: m.product }));
    this.canvas.setAttribute('aria-label', t(m.touch ? 'phone.screenTouchLabel' : 'phone.screenLabel', { w: this.canvas.width, h: this.canvas.height }));
    for (const key of m.keys) {
      const b = this.keyEls.get(key.id);
      const label = key.kind === 'function' ? this.labelOf(key) : '';
      const name = label ? `${keyName(key)}: ${label}` : keyName(key);
      b.setAttribute('aria-label', name);
      b.title = name;
    }
  }

  /** A message over the screen (phone state), or null to hide it. */
  setOverlay(text, kind = 'info') {
    if (!this.overlay) return;
    this.overlay.hidden = !text;
    this.overlay.textContent = text || '';
    this.overlay.dataset.kind = kind;
  }

  /**
   * Set an LED: state 'off' | 'on' | 'blink' (slow) | 'flash' (fast), with an optional colour
   * ('green', 'red', 'amber'); unknown values show as off.
   */
  setLed(id, state, colour) {
    const b = this.keyEls && this.keyEls.get(id);
    const led = b && b.querySelector('.led');
    if (!led) return;
    led.dataset.led = LED_STATES.has(state) ? state : 'off';
    if (LED_COLOURS.has(colour)) led.dataset.colour = colour; else delete led.dataset.colour;
  }

  /**
   * The text on the function keys' labels, by key id ({F1: 'Alice', …}); keys not named keep
   * the label of the model data. Names longer than a label holds are cut with an ellipsis by CSS.
   */
  setLabels(labels) {
    this.labels = labels && typeof labels === 'object' ? { ...labels } : {};
    if (!this.model) return;
    for (const key of this.model.keys) {
      if (key.kind !== 'function') continue;
      const el = this.keyEls.get(key.id).querySelector('.fn-label');
      if (el) el.textContent = this.labelOf(key);
    }
    this.relabel();
  }

  /**
   * Labels and LEDs from a KeyStates notification, normalised ({F1: {label, led, colour}}):
   * keys without a label there keep the model's; LEDs not named are off.
   */
  setKeyStates(states) {
    const labels = {};
    for (const [id, st] of Object.entries(states || {})) if (typeof st.label === 'string') labels[id] = st.label;
    this.setLabels(labels);
    if (!this.model) return;
    for (const key of this.model.keys) {
      if (!key.led) continue;
      const st = (states || {})[key.id] || {};
      this.setLed(key.id, st.led || 'off', st.colour);
    }
  }

  /** The label a key shows now (set by setLabels, else the model's). */
  labelOf(key) {
    const v = this.labels && this.labels[key.id];
    return typeof v === 'string' ? v : (key.label || '');
  }

  _keydown(e) {
    const onKeyButton = e.target && e.target.matches && e.target.matches('button[data-key]');
    // Enter/Space on a focused key button press that key (native button activation).
    if (onKeyButton && (e.key === 'Enter' || e.key === ' ')) return;
    if (this.cb.onKeyDown) this.cb.onKeyDown(e);
  }

  _teardown() {
    for (const d of this.detach) d();
    this.detach = [];
    if (this.ro) this.ro.disconnect();
    this.model = null;
  }

  destroy() {
    this._teardown();
    this.offLang();
    window.removeEventListener('resize', this._onWinResize);
    clear(this.host);
  }
}
