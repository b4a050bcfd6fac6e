/// Text entry from the PC: KeyboardEvent.code + Shift/AltGr → TypeKeys (the gateway resolves the
/// codes with the chosen layout), a few named keys → Key, and an on-screen keyboard drawn in the
/// selected layout from keyboards.json `rows`.

import { h, clear } from './dom.js';
import { t, onLanguageChange } from './i18n.js';

/** PC keys that press a phone key instead of typing (only if the model has that key). */
export const SPECIAL_KEYS = {
  ArrowUp: 'UP', ArrowDown: 'DOWN', ArrowLeft: 'LEFT', ArrowRight: 'RIGHT',
  Enter: 'OK', NumpadEnter: 'OK', Escape: 'CANCEL', Backspace: 'CANCEL',
  Numpad0: 'D0', Numpad1: 'D1', Numpad2: 'D2', Numpad3: 'D3', Numpad4: 'D4',
  Numpad5: 'D5', Numpad6: 'D6', Numpad7: 'D7', Numpad8: 'D8', Numpad9: 'D9',
  NumpadMultiply: 'STAR',
};

/** Layout names offered, in this order. */
export const LAYOUT_ORDER = ['qwerty', 'qwertz', 'azerty'];

/** Default layout for a language tag: German → qwertz, French → azerty, else qwerty. */
export function defaultLayout(langTag) {
  const l = String(langTag || '').toLowerCase();
  if (l.startsWith('de')) return 'qwertz';
  if (l.startsWith('fr')) return 'azerty';
  return 'qwerty';
}

/** True if AltGr is held (AltGraph modifier, or Ctrl+Alt as Windows reports it). */
function altGr(ev) {
  if (typeof ev.getModifierState === 'function' && ev.getModifierState('AltGraph')) return true;
  return !!(ev.altGraph || (ev.ctrlKey && ev.altKey));
}

/**
 * What a key event means for the phone.
 * @param {{code:string, shiftKey?:boolean, ctrlKey?:boolean, altKey?:boolean, metaKey?:boolean}} ev
 * @param {Record<string,string[]>} layoutKeys  keyboards.json layouts.<name>.keys
 * @param {Set<string>} modelKeyIds  the key ids of the watched model
 * @returns {{type:'key', id:string}|{type:'type', entry:{code:string, shift?:true, altgr?:true}, char:string}|null}
 */
export function mapKeyEvent(ev, layoutKeys, modelKeyIds) {
  if (!ev || typeof ev.code !== 'string') return null;
  const ag = altGr(ev);
  if (ev.metaKey || ((ev.ctrlKey || ev.altKey) && !ag)) return null;   // browser / OS shortcuts
  const special = SPECIAL_KEYS[ev.code];
  if (special && !ag) return modelKeyIds && modelKeyIds.has(special) ? { type: 'key', id: special } : null;
  const chars = layoutKeys && layoutKeys[ev.code];
  if (!Array.isArray(chars)) return null;
  const shift = !!ev.shiftKey;
  const ch = ag ? chars[2] : shift ? chars[1] : chars[0];
  if (!ch) return null;
  const entry = { code: ev.code };
  if (shift) entry.shift = true;
  if (ag) entry.altgr = true;
  return { type: 'type', entry, char: ch };
}

/**
 * Collects typed keys and sends them in small batches (one TypeKeys per ~100 ms of typing),
 * so fast typing does not become one request per character.
 */
export class TypingBuffer {
  /** @param {(keys:object[]) => void} flushFn */
  constructor(flushFn, { delayMs = 100, maxKeys = 32 } = {}) {
    this.flushFn = flushFn;
    this.delayMs = delayMs;
    this.maxKeys = maxKeys;
    this.keys = [];
    this.timer = null;
  }
  push(entry) {
    this.keys.push(entry);
    if (this.keys.length >= this.maxKeys) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.delayMs);
  }
  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.keys.length) return;
    const keys = this.keys;
    this.keys = [];
    this.flushFn(keys);
  }
  clear() { clearTimeout(this.timer); this.timer = null; this.keys = []; }
}

/**
 * The keyboard panel: layout switch, Shift/AltGr toggles and the on-screen keyboard.
 * `send(keys)` is called with TypeKeys entries; `pressKey(id)` with phone key ids.
 */
export class KeyboardPanel {
  constructor(host, { keyboards, layouts, initialLayout, send, pressKey, onLayout }) {
    this.host = host;
    this.keyboards = keyboards;
    const have = Object.keys(keyboards.layouts || {});
    const allowed = Array.isArray(layouts) && layouts.length ? layouts.filter((l) => have.includes(l)) : have;
    this.layouts = LAYOUT_ORDER.filter((l) => allowed.includes(l)).concat(allowed.filter((l) => !LAYOUT_ORDER.includes(l)));
    this.layout = this.layouts.includes(initialLayout) ? initialLayout : this.layouts[0];
    this.shift = false;
    this.altgr = false;
    this.send = send;
    this.pressKey = pressKey;
    this.onLayout = onLayout || (() => {});
    this.modelKeyIds = new Set();
    this.buffer = new TypingBuffer((keys) => this.send(keys, this.layout));
    this.offLang = onLanguageChange(() => this.render());
    this.render();
  }

  /** The characters table of the current layout. */
  get layoutKeys() { return (this.keyboards.layouts[this.layout] || {}).keys || {}; }

  setModelKeys(ids) { this.modelKeyIds = new Set(ids); }

  setLayout(name) {
    if (!this.layouts.includes(name) || name === this.layout) return;
    this.buffer.flush();
    this.layout = name;
    this.onLayout(name);
    this.render();
  }

  /** A keydown while the phone has focus. */
  handleKeyDown(e) {
    if (e.isComposing || e.code === 'Tab') return;
    const m = mapKeyEvent(e, this.layoutKeys, this.modelKeyIds);
    if (!m) return;
    e.preventDefault();
    if (m.type === 'key') { this.buffer.flush(); this.pressKey(m.id); }
    else this.buffer.push(m.entry);
  }

  /** Show what the gateway typed. */
  showSent(text) {
    if (this.sentEl) this.sentEl.textContent = text ? t('kbd.sent', { text }) : '';
  }

  render() {
    const host = clear(this.host);
    const select = h('select', {
      id: 'kbd-layout',
      on: { change: (e) => this.setLayout(e.target.value) },
    }, this.layouts.map((l) => h('option', { value: l, text: t(`kbd.layout.${l}`) !== `kbd.layout.${l}` ? t(`kbd.layout.${l}`) : (this.keyboards.layouts[l].name || l), selected: l === this.layout })));
    const toggle = (which, label) => h('button', {
      type: 'button',
      class: 'osk-mod',
      text: label,
      attrs: { 'aria-pressed': String(this[which]) },
      on: { click: () => { this[which] = !this[which]; this.render(); this.host.querySelector(`.osk-mod[data-mod="${which}"]`)?.focus(); } },
    });
    const shiftBtn = toggle('shift', t('kbd.shift'));
    shiftBtn.dataset.mod = 'shift';
    const altBtn = toggle('altgr', t('kbd.altgr'));
    altBtn.dataset.mod = 'altgr';
    const idx = this.altgr ? 2 : this.shift ? 1 : 0;
    const rows = (this.keyboards.rows || []).map((row) => h('div', { class: 'osk-row' }, row.map((code) => {
      const chars = this.layoutKeys[code] || [];
      const ch = chars[idx] || '';
      const label = code === 'Space' ? t('kbd.space') : ch;
      return h('button', {
        type: 'button',
        class: `osk-key${code === 'Space' ? ' osk-space' : ''}`,
        disabled: !ch,
        text: label || '\u00a0',
        attrs: { 'data-code': code, 'aria-label': code === 'Space' ? t('kbd.space') : t('kbd.key', { char: ch }) },
        on: { click: () => this._osk(code) },
      });
    })));
    this.sentEl = h('p', { class: 'kbd-sent', attrs: { 'aria-live': 'polite' } });
    host.append(
      h('div', { class: 'kbd-controls' },
        h('label', { attrs: { for: 'kbd-layout' }, text: t('kbd.layout') }), select, shiftBtn, altBtn),
      h('p', { class: 'hint', text: t('kbd.hint') }),
      h('div', { class: 'osk', attrs: { role: 'group', 'aria-label': t('kbd.title') } }, rows),
      this.sentEl,
    );
  }

  _osk(code) {
    const entry = { code };
    if (this.shift) entry.shift = true;
    if (this.altgr) entry.altgr = true;
    this.buffer.push(entry);
    if (this.shift) { this.shift = false; this.render(); this.host.querySelector(`[data-code="${code}"]`)?.focus(); }
  }

  destroy() { this.buffer.clear(); this.offLang(); clear(this.host); }
}
