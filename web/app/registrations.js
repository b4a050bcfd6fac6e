/// Registration keys panel: one key per registration slot, coloured by state (green registered,
/// dark grey not configured, orange disabled, red failed); details on hover (title) and on
/// click (a detail panel below the keys).

import { h, clear } from './dom.js';
import { t, onLanguageChange } from './i18n.js';

export const REG_COLOURS = {
  registered: '#2e9e44',
  'not-configured': '#4a4a4a',
  disabled: '#f08c00',
  failed: '#d62d20',
};
const STATES = Object.keys(REG_COLOURS);

/** Normalised state of a reg entry (unknown values count as failed, like the model rule). */
export function regState(reg) {
  return STATES.includes(reg && reg.state) ? reg.state : 'failed';
}

function slotName(reg) {
  const n = Number(reg.id);
  return Number.isInteger(n) && n >= 0 ? t('regs.slot', { n: n + 1 }) : String(reg.id ?? '?');
}

function fields(reg) {
  return [
    ['regs.field.state', t(`regs.state.${regState(reg)}`)],
    ['regs.field.number', reg.number],
    ['regs.field.name', reg.name],
    ['regs.field.gatekeeper', reg.gatekeeper],
    ['regs.field.protocol', reg.protocol],
    ['regs.field.error', reg.error],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
}

export class RegistrationsPanel {
  constructor(host) {
    this.host = host;
    this.regs = null;
    this.selected = null;
    this.offLang = onLanguageChange(() => this.render());
    this.render();
  }

  /** New registration list (Registrations notification), or null for "no data". */
  set(regs) {
    this.regs = Array.isArray(regs) ? regs.filter((r) => r && typeof r === 'object') : null;
    if (this.selected !== null && !(this.regs || []).some((r) => String(r.id) === this.selected)) this.selected = null;
    this.render();
  }

  render() {
    const host = clear(this.host);
    if (!this.regs || !this.regs.length) {
      host.append(h('p', { class: 'empty', text: t('regs.none') }));
      return;
    }
    const keys = this.regs.map((reg) => {
      const st = regState(reg);
      const id = String(reg.id);
      const label = [slotName(reg), reg.number, reg.name].filter(Boolean).join(' · ');
      const title = [label, ...fields(reg).map(([k, v]) => `${t(k)}: ${v}`)].join('\n');
      return h('button', {
        type: 'button',
        class: `reg-key reg-${st}`,
        title,
        attrs: {
          'data-reg': id, 'data-state': st,
          'aria-expanded': String(this.selected === id), 'aria-controls': 'reg-detail',
          'aria-label': `${label}: ${t(`regs.state.${st}`)}`,
        },
        style: { '--reg-colour': REG_COLOURS[st] },
        on: { click: () => { this.selected = this.selected === id ? null : id; this.render(); this.host.querySelector(`[data-reg="${CSS.escape(id)}"]`)?.focus(); } },
      }, h('span', { class: 'reg-dot', attrs: { 'aria-hidden': 'true' } }), h('span', { class: 'reg-text', text: label }));
    });
    host.append(h('div', { class: 'reg-keys' }, keys));
    const sel = this.regs.find((r) => String(r.id) === this.selected);
    if (sel) {
      host.append(h('dl', { id: 'reg-detail', class: 'kv reg-detail' },
        h('dt', { text: slotName(sel) }), h('dd', {}),
        fields(sel).map(([k, v]) => [h('dt', { text: t(k) }), h('dd', { text: String(v) })])));
    }
    host.append(h('p', { class: 'hint', text: t('regs.legend') }));
  }

  destroy() { this.offLang(); clear(this.host); }
}
