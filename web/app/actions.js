/// Actions menu (the names WatchResult offers) and the raw command field, each showing its
/// result. Actions that need an argument (dial, hangup) get an input; disruptive ones ask first.

import { h, clear } from './dom.js';
import { t, onLanguageChange, resultError } from './i18n.js';
import { confirmDialog } from './dialog.js';

/** Actions whose wire form carries `{arg}` (docs/models.md). */
export const ARG_ACTIONS = new Set(['dial', 'hangup']);
/** Actions that interrupt the phone: confirm first. */
export const CONFIRM_ACTIONS = new Set(['reboot', 'reboot-idle', 'config-activate']);

/** Translated name of an action (falls back to the raw name for actions we do not know). */
export function actionName(a) {
  const k = `action.${a}`;
  const s = t(k);
  return s === k ? a : s;
}

function resultView(r) {
  if (!r) return [];
  if (r.pending) return [h('p', { class: 'result pending', text: t('actions.running') })];
  const ok = r.ok === true && !r.error;
  const head = [ok ? t('result.ok') : r.error ? t('result.error', { reason: resultError(r) }) : t('result.failed')];
  if (r.status !== undefined && r.status !== null && r.status !== '') head.push(t('result.status', { status: r.status }));
  return [
    h('p', { class: `result ${ok ? 'ok' : 'bad'}`, text: head.join(' · ') }),
    r.output ? h('pre', { class: 'output', text: String(r.output) }) : null,
  ];
}

export class ActionsPanel {
  /**
   * @param {HTMLElement} host
   * @param {{request:(msg:object)=>Promise<object>, device:string, deviceName:string, actions:string[]}} o
   */
  constructor(host, { request, device, deviceName, actions }) {
    this.host = host;
    this.request = request;
    this.device = device;
    this.deviceName = deviceName || device;
    this.actions = Array.isArray(actions) ? actions.filter((a) => typeof a === 'string' && a) : [];
    this.chosen = '';
    this.actionResult = null;
    this.commandResult = null;
    this.busy = false;
    this.offLang = onLanguageChange(() => this.render());
    this.render();
  }

  render() {
    const host = clear(this.host);
    // Actions
    if (!this.actions.length) {
      host.append(h('p', { class: 'empty', text: t('actions.none') }));
    } else {
      const needsArg = ARG_ACTIONS.has(this.chosen);
      const sel = h('select', {
        id: 'action-select',
        on: { change: (e) => { this.chosen = e.target.value; this.actionResult = null; this.render(); this.host.querySelector('#action-select')?.focus(); } },
      }, h('option', { value: '', text: t('actions.choose') }), this.actions.map((a) => h('option', { value: a, text: actionName(a), selected: a === this.chosen })));
      this.argInput = needsArg ? h('input', { id: 'action-arg', type: 'text', autocomplete: 'off', maxLength: 256 }) : null;
      const form = h('form', {
        class: 'row-form',
        on: { submit: (e) => { e.preventDefault(); this._runAction(); } },
      },
      h('label', { attrs: { for: 'action-select' }, class: 'sr-only', text: t('actions.action') }), sel,
      needsArg ? h('label', { attrs: { for: 'action-arg' }, class: 'sr-only', text: t(`actions.arg.${this.chosen}`) }) : null,
      needsArg ? Object.assign(this.argInput, { placeholder: t(`actions.arg.${this.chosen}`) }) : null,
      h('button', { type: 'submit', text: t('actions.run'), disabled: !this.chosen || this.busy }));
      host.append(form, h('div', { class: 'action-result', attrs: { 'aria-live': 'polite' } }, resultView(this.actionResult)));
    }
    // Command
    this.cmdInput = h('input', { id: 'command-input', type: 'text', autocomplete: 'off', maxLength: 512, placeholder: t('command.placeholder'), value: this.cmdValue || '' });
    this.cmdInput.addEventListener('input', () => { this.cmdValue = this.cmdInput.value; });
    host.append(
      h('h3', { text: t('command.title') }),
      h('form', { class: 'row-form', on: { submit: (e) => { e.preventDefault(); this._runCommand(); } } },
        h('label', { attrs: { for: 'command-input' }, class: 'sr-only', text: t('command.label') }),
        this.cmdInput,
        h('button', { type: 'submit', text: t('command.send'), disabled: this.busy })),
      h('div', { class: 'command-result', attrs: { 'aria-live': 'polite' } }, resultView(this.commandResult)),
    );
  }

  async _runAction() {
    const action = this.chosen;
    if (!action || this.busy) return;
    const msg = { mt: 'Action', device: this.device, action };
    if (ARG_ACTIONS.has(action)) {
      const arg = (this.argInput && this.argInput.value.trim()) || '';
      if (!arg) { this.argInput && this.argInput.focus(); return; }
      msg.arg = arg;
    }
    if (CONFIRM_ACTIONS.has(action)) {
      const ok = await confirmDialog(actionName(action), t('actions.confirm', { action: actionName(action), device: this.deviceName }));
      if (!ok) return;
    }
    this.busy = true;
    this.actionResult = { pending: true };
    this.render();
    try { this.actionResult = await this.request(msg); } catch (e) { this.actionResult = e; }
    this.busy = false;
    this.render();
  }

  async _runCommand() {
    const command = (this.cmdInput.value || '').trim();
    if (!command || this.busy) return;
    this.busy = true;
    this.commandResult = { pending: true };
    this.render();
    try { this.commandResult = await this.request({ mt: 'Command', device: this.device, command }); } catch (e) { this.commandResult = e; }
    this.busy = false;
    this.render();
    this.host.querySelector('#command-input')?.focus();
  }

  destroy() { this.offLang(); clear(this.host); }
}
