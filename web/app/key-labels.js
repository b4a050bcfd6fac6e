/// Function keys panel: the label each function key shows and where it comes from (the phone, or
/// an operator of this app), the LED state, and a field per key to set the operator's label.
/// Labels the phone reports win over the operator's (the phone is what the user sees on the desk);
/// the operator's stand in where the phone reports none.

import { h, clear } from './dom.js';
import { t, onLanguageChange, resultError } from './i18n.js';

export const MAX_LABEL = 40;   // characters; the gateway refuses longer labels too
const FKEY = /^F(\d+)$/;

/**
 * Normalise a KeyStates key list: {F1: {label, from, led, colour}} for the ids given (others
 * dropped), labels cut to MAX_LABEL, unknown LED states off.
 */
export function keyStatesById(keys, ids) {
  const want = new Set(ids);
  const out = {};
  for (const k of Array.isArray(keys) ? keys : []) {
    if (!k || typeof k.id !== 'string' || !want.has(k.id)) continue;
    const e = {};
    if (typeof k.label === 'string') { e.label = k.label.slice(0, MAX_LABEL); e.from = k.from === 'phone' ? 'phone' : 'operator'; }
    if (typeof k.led === 'string') e.led = ['on', 'blink', 'flash'].includes(k.led) ? k.led : 'off';
    if (typeof k.colour === 'string') e.colour = k.colour;
    if (typeof k.operator === 'string') e.operator = k.operator.slice(0, MAX_LABEL);
    out[k.id] = e;
  }
  return out;
}

/** The label changes to send: ids whose field differs from the operator label on record. */
export function labelChanges(fields, states) {
  const out = {};
  for (const [id, value] of Object.entries(fields)) {
    const v = String(value).trim().slice(0, MAX_LABEL);
    const had = (states[id] && states[id].operator) || '';
    if (v !== had) out[id] = v;
  }
  return out;
}

export class KeyLabelsPanel {
  /**
   * @param {HTMLElement} host
   * @param {{keys:object[], save:(labels:Object<string,string>)=>Promise<object>}} o
   *   keys: the model's function keys; save: sends {F1: 'text' | ''} ('' removes), resolves
   *   to the result ({error} when refused)
   */
  constructor(host, { keys, save }) {
    this.host = host;
    this.keys = keys.filter((k) => k.kind === 'function' && FKEY.test(k.id));
    this.save = save;
    this.states = {};
    this.status = null;       // {kind, text} of the last save
    this.busy = false;
    this.offLang = onLanguageChange(() => this.render());
    this.render();
  }

  /** New key states (KeyStates notification, normalised by keyStatesById). */
  set(states) {
    this.states = states || {};
    this._refresh();
  }

  render() {
    const host = clear(this.host);
    if (!this.keys.length) { host.append(h('p', { class: 'empty', text: t('fkeys.none') })); return; }
    this.inputs = new Map();
    this.shown = new Map();
    const rows = this.keys.map((k) => {
      const n = FKEY.exec(k.id)[1];
      const input = h('input', {
        type: 'text', maxLength: MAX_LABEL, id: `fkey-${k.id}`, class: 'fkey-input',
        attrs: { 'data-key': k.id, autocomplete: 'off', spellcheck: 'false' },
        on: { keydown: (e) => { if (e.key === 'Enter') this._save(); } },
      });
      const shown = h('span', { class: 'fkey-shown' });
      this.inputs.set(k.id, input);
      this.shown.set(k.id, shown);
      return h('div', { class: 'fkey-row', attrs: { 'data-key': k.id } },
        h('label', { class: 'fkey-name', attrs: { for: input.id }, text: t('key.fn', { n }) }), input, shown);
    });
    this.saveBtn = h('button', { type: 'button', class: 'primary', text: t('fkeys.save'), on: { click: () => this._save() } });
    this.statusEl = h('p', { class: 'result', attrs: { role: 'status' } });
    host.append(h('p', { class: 'hint', text: t('fkeys.hint') }), h('div', { class: 'fkey-rows' }, rows),
      h('div', { class: 'row-form' }, this.saveBtn), this.statusEl);
    this._refresh(true);
  }

  _refresh(fillInputs = false) {
    if (!this.inputs) return;
    for (const k of this.keys) {
      const s = this.states[k.id] || {};
      const input = this.inputs.get(k.id);
      // An operator's label on record fills the field, unless someone is typing in it.
      if (fillInputs || document.activeElement !== input) input.value = s.operator || '';
      const parts = [];
      if (s.label) parts.push(t(s.from === 'phone' ? 'fkeys.fromPhone' : 'fkeys.fromOperator', { label: s.label }));
      if (s.led && s.led !== 'off') parts.push(t(`fkeys.led.${s.led}`));
      this.shown.get(k.id).textContent = parts.join(' · ');
    }
    this.saveBtn.disabled = this.busy;
    this.statusEl.className = `result ${this.status ? this.status.kind : ''}`;
    this.statusEl.textContent = this.status ? this.status.text : '';
  }

  async _save() {
    if (this.busy) return;
    const fields = {};
    for (const [id, input] of this.inputs) fields[id] = input.value;
    const changes = labelChanges(fields, this.states);
    if (!Object.keys(changes).length) { this.status = { kind: 'ok', text: t('fkeys.unchanged') }; this._refresh(); return; }
    this.busy = true;
    this.status = { kind: 'pending', text: t('fkeys.saving') };
    this._refresh();
    try {
      const r = await this.save(changes);
      this.status = r && !r.error ? { kind: 'ok', text: t('fkeys.saved') } : { kind: 'bad', text: t('result.error', { reason: resultError(r) }) };
    } catch (e) {
      this.status = { kind: 'bad', text: t('result.error', { reason: resultError(e) }) };
    }
    this.busy = false;
    this._refresh();
  }

  destroy() { this.offLang(); clear(this.host); }
}
