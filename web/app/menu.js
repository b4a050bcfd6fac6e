/// The burger menu (top right): service status, "Log Service Connections", trace flags (only
/// when GetSession.canTrace), audit log and the language switch. A menu button with a
/// role=menu list; arrow keys move, Escape closes.

import { h, clear } from './dom.js';
import { t, onLanguageChange, getLanguage, setLanguage, LANGUAGES, resultError, fmtTime, fmtNumber } from './i18n.js';
import { openDialog, toast, table } from './dialog.js';
import { WireCheck, reloadWire } from './wire-check.js';
import { lastErrorCell } from './cert-trust.js';

function statusView(r, errorCell = (d) => d.lastError) {
  const list = (v) => (Array.isArray(v) ? v : []);
  const join = (v) => (Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? (x.name || x.id || JSON.stringify(x)) : String(x))).join(', ') : (v ?? ''));
  const trace = r.trace && typeof r.trace === 'object' ? Object.entries(r.trace) : [];
  return [
    h('h3', { text: t('status.pbx') }),
    // Licences as the PBX reports them on its link: the App object's Service licences (`lics`)
    // and licence test mode, which lets every user in (docs/app-protocol.md §1).
    table(['col.tenant', 'col.pbx', 'col.state', 'col.since', 'col.services', 'col.lics', 'col.testMode'],
      list(r.pbx).map((p) => [p.tenant, p.pbx, p.state, fmtTime(p.since), join(p.services),
        typeof p.lics === 'number' ? fmtNumber(p.lics) : t('status.licsNotSent'), t(p.testMode ? 'yes' : 'no')])),
    h('h3', { text: t('status.devicesApi') }),
    table(['col.id', 'col.tenant', 'col.name', 'col.url', 'col.state', 'col.since', 'col.devices', 'col.domains', 'col.reconnects', 'col.lastError'],
      list(r.devicesApi).map((d) => [d.id, d.tenant, d.name, d.url, d.state, fmtTime(d.since), d.devices !== undefined ? fmtNumber(d.devices) : '', d.domains !== undefined ? fmtNumber(d.domains) : '', d.reconnects, errorCell(d)])),
    h('h3', { text: t('status.sessions') }),
    table(['col.device', 'col.state', 'col.watchers', 'col.frames'],
      list(r.sessions).map((s) => [s.device, s.state, s.watchers, s.frames !== undefined ? fmtNumber(s.frames) : ''])),
    h('h3', { text: t('status.trace') }),
    table(['col.flag', 'col.on'], trace.map(([k, v]) => [t(`trace.flag.${k}`) !== `trace.flag.${k}` ? t(`trace.flag.${k}`) : k, t(v ? 'yes' : 'no')])),
  ];
}

export class Menu {
  /**
   * @param {HTMLButtonElement} button  the burger button
   * @param {HTMLElement} list          the (hidden) menu list
   * @param {{conn:object, canTrace:()=>boolean, isOperator?:()=>boolean, watchedDevice:()=>string|null, preview?:boolean}} o
   */
  constructor(button, list, { conn, canTrace, isOperator = () => false, watchedDevice, preview = false }) {
    this.button = button;
    this.list = list;
    this.conn = conn;
    this.canTrace = canTrace;
    this.isOperator = isOperator;
    this.watchedDevice = watchedDevice;
    this.preview = preview;
    this.logBusy = false;
    button.addEventListener('click', () => (this.isOpen() ? this.close() : this.open()));
    button.addEventListener('keydown', (e) => { if (e.key === 'ArrowDown') { e.preventDefault(); this.open(); } });
    list.addEventListener('keydown', (e) => this._keys(e));
    document.addEventListener('pointerdown', (e) => { if (this.isOpen() && !list.contains(e.target) && !button.contains(e.target)) this.close(false); });
    onLanguageChange(() => this.render());
    this.render();
  }

  isOpen() { return !this.list.hidden; }

  open() {
    this.render();
    this.list.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    const first = this.list.querySelector('[role^="menuitem"]:not([disabled])');
    if (first) first.focus();
  }

  close(refocus = true) {
    this.list.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    if (refocus) this.button.focus();
  }

  render() {
    this.button.setAttribute('aria-label', t('menu.label'));
    this.button.title = t('menu.label');
    const item = (key, fn, { disabled = false } = {}) => h('li', { attrs: { role: 'none' } }, h('button', {
      type: 'button', text: t(key), disabled,
      attrs: { role: 'menuitem', 'data-item': key },
      on: { click: () => { this.close(); fn(); } },
    }));
    const online = !this.preview && this.conn && this.conn.connected;
    const items = [];
    if (!this.preview) {
      items.push(item('menu.status', () => this.showStatus(), { disabled: !online }));
      items.push(item('menu.log', () => this.logConnections(), { disabled: !online || this.logBusy }));
      if (this.canTrace()) items.push(item('menu.trace', () => this.showTrace(), { disabled: !online }));
      items.push(item('menu.audit', () => this.showAudit(), { disabled: !online }));
      if (this.canTrace()) items.push(item('menu.wireCheck', () => new WireCheck(this.conn).open(this.watchedDevice()), { disabled: !online || !this.watchedDevice() }));
      if (this.isOperator()) items.push(item('menu.reloadWire', () => reloadWire(this.conn), { disabled: !online }));
      items.push(h('li', { attrs: { role: 'separator' } }));
    }
    items.push(h('li', { attrs: { role: 'presentation' }, class: 'menu-heading', text: t('menu.language') }));
    for (const l of LANGUAGES) {
      items.push(h('li', { attrs: { role: 'none' } }, h('button', {
        type: 'button', text: t(`lang.${l}`),
        attrs: { role: 'menuitemradio', 'aria-checked': String(getLanguage() === l), lang: l, 'data-lang': l },
        on: { click: () => { this.close(); setLanguage(l, { byUser: true }); } },
      })));
    }
    clear(this.list).append(...items);
  }

  _keys(e) {
    const items = [...this.list.querySelectorAll('[role^="menuitem"]:not([disabled])')];
    const i = items.indexOf(document.activeElement);
    if (e.key === 'Escape') { e.preventDefault(); this.close(); } else if (e.key === 'ArrowDown') { e.preventDefault(); items[(i + 1) % items.length]?.focus(); } else if (e.key === 'ArrowUp') { e.preventDefault(); items[(i - 1 + items.length) % items.length]?.focus(); } else if (e.key === 'Home') { e.preventDefault(); items[0]?.focus(); } else if (e.key === 'End') { e.preventDefault(); items[items.length - 1]?.focus(); } else if (e.key === 'Tab') this.close(false);
  }

  async showStatus() {
    const dlg = openDialog({
      title: t('status.title'), wide: true, body: h('p', { text: '…' }),
      buttons: [{ label: t('status.refresh'), onClick: () => { load(); return true; } }, { label: t('dialog.close'), primary: true }],
    });
    const load = async () => {
      try {
        const r = await this.conn.request({ mt: 'GetStatus' });
        if (r.error) throw r;
        dlg.setBody(statusView(r, (d) => lastErrorCell(d, { conn: this.conn, isOperator: this.isOperator, onPinned: () => this.showStatus() })));
      } catch (e) { dlg.setBody(h('p', { class: 'error', text: t('status.failed', { reason: resultError(e) }) })); }
    };
    load();
  }

  /** "Log Service Connections": once per click; the item stays disabled while it runs. */
  async logConnections() {
    if (this.logBusy) return;
    this.logBusy = true;
    try {
      const r = await this.conn.request({ mt: 'LogServiceConnections' });
      if (r.error) throw r;
      toast(t('menu.logDone'));
      openDialog({ title: t('status.title'), wide: true, body: statusView(r) });
    } catch (e) {
      toast(t('menu.logFailed', { reason: resultError(e) }), 'error');
    } finally {
      setTimeout(() => { this.logBusy = false; }, 3000);
    }
  }

  async showTrace() {
    let flags = {};
    const body = () => [
      h('p', { class: 'hint', text: t('trace.hint') }),
      h('fieldset', { class: 'trace-flags' }, h('legend', { text: t('trace.title') }),
        Object.keys(flags).length ? Object.entries(flags).map(([k, v]) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', checked: !!v, attrs: { 'data-flag': k }, on: { change: (e) => { flags[k] = e.target.checked; } } }),
          ' ', t(`trace.flag.${k}`) !== `trace.flag.${k}` ? t(`trace.flag.${k}`) : k)) : h('p', { class: 'empty', text: t('status.empty') })),
    ];
    const dlg = openDialog({
      title: t('trace.title'), body: h('p', { text: '…' }),
      buttons: [
        { label: t('dialog.cancel') },
        {
          label: t('trace.apply'), primary: true,
          onClick: async () => {
            try {
              const r = await this.conn.request({ mt: 'SetTrace', flags });
              if (r.error) throw r;
              toast(t('trace.saved'));
              return false;
            } catch (e) { toast(t('trace.failed', { reason: resultError(e) }), 'error'); return true; }
          },
        },
      ],
    });
    try {
      const r = await this.conn.request({ mt: 'GetStatus' });
      if (r.error) throw r;
      flags = { ...(r.trace && typeof r.trace === 'object' ? r.trace : {}) };
      for (const k of Object.keys(flags)) flags[k] = !!flags[k];
      dlg.setBody(body());
    } catch (e) { dlg.setBody(h('p', { class: 'error', text: t('status.failed', { reason: resultError(e) }) })); }
  }

  async showAudit() {
    let onlyThis = !!this.watchedDevice();
    const dlg = openDialog({ title: t('audit.title'), wide: true, body: h('p', { text: '…' }) });
    const load = async () => {
      const dev = this.watchedDevice();
      // Only an operator may read the whole log; a user reads the log of one phone of their PBX
      // (the gateway refuses GetAudit without a device for users).
      const all = this.isOperator();
      if (!all && !dev) { dlg.setBody(h('p', { class: 'empty', text: t('audit.selectPhone') })); return; }
      const msg = { mt: 'GetAudit', limit: 200 };
      if ((onlyThis || !all) && dev) msg.device = dev;
      const toggle = dev && all ? h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: onlyThis, on: { change: (e) => { onlyThis = e.target.checked; load(); } } }), ' ', t('audit.onlyThis')) : null;
      try {
        const r = await this.conn.request(msg);
        if (r.error) throw r;
        const entries = Array.isArray(r.entries) ? r.entries : [];
        dlg.setBody([toggle, entries.length ? table(['col.time', 'col.pbx', 'col.user', 'col.device', 'col.what', 'col.result'],
          entries.map((x) => [fmtTime(x.ts), x.pbx, [x.dn, x.sip].filter(Boolean).join(' / '), x.device, x.what, x.result])) : h('p', { class: 'empty', text: t('audit.empty') })].filter(Boolean));
      } catch (e) { dlg.setBody([toggle, h('p', { class: 'error', text: t('audit.failed', { reason: resultError(e) }) })].filter(Boolean)); }
    };
    load();
  }
}
