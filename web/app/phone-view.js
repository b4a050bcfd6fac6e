/// Draws the phone of one model from its resolved model data (models.js): the body, the screen
/// box with a canvas of the LCD's native size, and every key at its x/y/w/h with label, icon and
/// LED. The whole face is laid out in drawing units and scaled to fit its pane.

import { h, clear } from './dom.js';
import { t, onLanguageChange } from './i18n.js';
import { icon, hasIcon } from './icons.js';
import { attachPress } from './press.js';

const NUM = /^(?:F|LSK|SK)(\d+)$/;

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

function keyContent(key) {
  switch (key.kind) {
    case 'keypad':
      return [h('span', { class: 'kp-digit', text: key.label || '' }), key.sub ? h('span', { class: 'kp-sub', text: key.sub }) : null];
    case 'function':
      return [key.led ? h('span', { class: 'led', attrs: { 'data-led': 'off' } }) : null,
        h('span', { class: 'fn-label', text: key.label || key.id })];
    case 'hook':
      return [h('span', { class: 'handset' }, icon('handset', 'icon handset-icon'))];
    case 'soft':
      // Soft key labels are shown by the phone on its screen; the key itself is blank.
      return [key.label ? h('span', { class: 'key-label', text: key.label }) : null];
    default: {
      const ic = key.icon && hasIcon(key.icon) ? icon(key.icon) : null;
      const wide = key.w >= 90;
      if (ic && !wide) return [ic];
      return [ic, h('span', { class: 'key-label', text: key.label || (ic ? '' : key.id) })];
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
   * @param {{fitHeight?: number}} [opts]  fraction of the window height the phone may use
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
        class: `key key-${key.kind || 'other'}`,
        attrs: { 'data-key': key.id, 'data-kind': key.kind || '' },
        style: { left: `${key.x}px`, top: `${key.y}px`, width: `${key.w}px`, height: `${key.h}px` },
      }, keyContent(key));
      this.detach.push(attachPress(b, ({ holdMs }) => this.cb.onKey && this.cb.onKey(key.id, holdMs)));
      this.keyEls.set(key.id, b);
      return b;
    });

    this.face = h('div', {
      class: `phone style-${body.style || 'desk'}`,
      tabIndex: 0,
      attrs: { role: 'group', 'data-product': model.product, 'data-family': model.family },
      style: { width: `${body.width}px`, height: `${body.height}px`, backgroundColor: body.color || '#2b2d31' },
      on: { keydown: (e) => this._keydown(e) },
    }, this.screenEl, keys);

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
    const avail = this.host.clientWidth || W;
    const hShare = this.opts.fitHeight ?? 0.72;
    const maxH = Math.max(200, window.innerHeight * hShare);
    const s = Math.max(0.2, Math.min(avail / W, maxH / H, 1.25));
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
      const name = keyName(key);
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

  /** Set an LED: 'off' | 'on' | 'blink' (no message carries LED state yet; kept for the data). */
  setLed(id, state) {
    const b = this.keyEls && this.keyEls.get(id);
    const led = b && b.querySelector('.led');
    if (led) led.dataset.led = state;
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
