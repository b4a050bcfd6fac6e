/// Connection state, always visible in the top bar: connecting / logging in / connected /
/// reconnecting in N s / login failed: reason. Also the operator login form (standalone mode).

import { h, clear } from './dom.js';
import { t, onLanguageChange, errorText } from './i18n.js';

/** Text and colour class for a connection state (see Connection.state). */
export function describeState(s, user) {
  switch (s.phase) {
    case 'connecting':
      return { text: s.retried ? t('conn.reconnectingNow') : t('conn.connecting'), kind: 'busy' };
    case 'login': return { text: t('conn.login'), kind: 'busy' };
    case 'waiting-login': return { text: t('conn.waitingLogin'), kind: 'busy' };
    case 'connected': return { text: user ? t('conn.connectedAs', { user }) : t('conn.connected'), kind: 'ok' };
    case 'reconnecting': return { text: t('conn.reconnecting', { reason: errorText(s.error), s: s.retryIn ?? 0 }), kind: 'warn', retry: true };
    case 'failed':
      return s.retryIn !== undefined
        ? { text: t('conn.loginFailedRetry', { reason: errorText(s.error, s.errorText), s: s.retryIn }), kind: 'error', retry: true }
        : { text: t('conn.loginFailed', { reason: errorText(s.error, s.errorText) }), kind: 'error' };
    case 'password': return { text: t('conn.password'), kind: 'warn' };
    case 'no-login': return { text: t('conn.noLogin'), kind: 'error' };
    case 'preview': return { text: t('conn.preview'), kind: 'info' };
    default: return { text: t('conn.idle'), kind: 'warn' };
  }
}

export class ConnStatus {
  /**
   * @param {HTMLElement} host     the status element in the top bar (role=status)
   * @param {HTMLElement} loginHost where the operator login form goes
   * @param {import('./connection.js').Connection|null} conn
   */
  constructor(host, loginHost, conn) {
    this.host = host;
    this.loginHost = loginHost;
    this.conn = conn;
    this.user = '';
    this.state = conn ? conn.state : { phase: 'preview' };
    this.lastPhase = null;
    if (conn) conn.addEventListener('state', (e) => { this.state = e.detail; this.render(); });
    onLanguageChange(() => { this.render(true); });
    this.render();
  }

  setUser(user) { this.user = user || ''; this.render(); }

  render(force = false) {
    const d = describeState(this.state, this.user);
    clear(this.host);
    this.host.dataset.kind = d.kind;
    this.host.dataset.phase = this.state.phase;
    document.body.dataset.conn = this.state.phase;
    this.host.append(h('span', { class: 'conn-dot', attrs: { 'aria-hidden': 'true' } }), h('span', { class: 'conn-text', text: d.text }));
    if (d.retry && this.conn) {
      this.host.append(h('button', { type: 'button', class: 'link-btn', text: t('conn.retryNow'), on: { click: () => this.conn.retryNow() } }));
    }
    this._renderLogin(force);
  }

  _renderLogin(force) {
    const phase = this.state.phase;
    if (phase !== 'password') {
      if (this.lastPhase === 'password' || force) { clear(this.loginHost); this.loginHost.hidden = true; }
      this.lastPhase = phase;
      return;
    }
    if (this.lastPhase === 'password' && !force) return;     // keep what the user is typing
    this.lastPhase = phase;
    const name = h('input', { id: 'login-name', type: 'text', autocomplete: 'username', required: true, spellcheck: false });
    const pw = h('input', { id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
    const err = this.state.error ? h('p', { class: 'error', attrs: { role: 'alert' }, text: t('conn.loginFailed', { reason: errorText(this.state.error) }) }) : null;
    const form = h('form', {
      class: 'login-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          const n = name.value.trim();
          if (!n || !pw.value) return;
          const p = pw.value;
          pw.value = '';                       // the password lives on only inside the connection
          this.conn.submitPassword(n, p);
        },
      },
    },
    h('h2', { text: t('login.title') }),
    h('p', { class: 'hint', text: t('login.hint') }),
    err,
    h('label', { attrs: { for: 'login-name' }, text: t('login.name') }), name,
    h('label', { attrs: { for: 'login-password' }, text: t('login.password') }), pw,
    h('button', { type: 'submit', class: 'primary', text: t('login.submit') }));
    clear(this.loginHost).append(form);
    this.loginHost.hidden = false;
    name.focus();
  }
}
