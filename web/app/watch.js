/// The watched phone: Watch/Unwatch, the model (GetModel), the phone view, LCD frames (draw then
/// FrameAck), phone state, registrations, actions, info, key presses, touch and typed text.
/// One device at a time; after a reconnect the same device is watched again.

import { clear } from './dom.js';
import { t, onLanguageChange, resultError } from './i18n.js';
import { resolveModel, loadIndex, loadFamily, findFamily } from './models.js';
import { PhoneView, keyName } from './phone-view.js';
import { parseFrame, LcdRenderer } from './lcd.js';
import { RegistrationsPanel } from './registrations.js';
import { ActionsPanel } from './actions.js';
import { InfoPanel } from './info-panel.js';
import { KeyLabelsPanel, keyStatesById } from './key-labels.js';
import { toast } from './dialog.js';

/** Fetch the family JSON of a product: GetModel from the gateway, else the model files. */
async function modelFor(conn, product) {
  let family = null;
  try {
    const r = await conn.request({ mt: 'GetModel', product });
    if (!r.error && r.model && typeof r.model === 'object') family = r.model;
  } catch (_) { /* fall back to the files */ }
  if (!family) {
    const idx = await loadIndex();
    const f = findFamily(idx, product);
    if (!f || !f.family) throw new Error(f && f.unsupported ? f.unsupported : `unknown model ${product}`);
    family = await loadFamily(f.family);
  }
  const res = resolveModel(family, product);
  if (!res.ok) throw new Error(res.error);
  return res.model;
}

export class WatchController {
  /**
   * @param {object} o
   * @param {import('./connection.js').Connection} o.conn
   * @param {{title:HTMLElement, message:HTMLElement, stage:HTMLElement, panels:HTMLElement,
   *          regs:HTMLElement, actions:HTMLElement, info:HTMLElement, adminBtn:HTMLButtonElement,
   *          fkeys:HTMLElement, fkeysPanel:HTMLElement}} o.els
   * @param {() => (import('./keyboard.js').KeyboardPanel|null)} o.keyboard
   */
  constructor({ conn, els, keyboard }) {
    this.conn = conn;
    this.els = els;
    this.keyboard = keyboard;
    this.device = null;        // the device row being watched
    this.sub = null;
    this.watch = null;         // WatchResult
    this.model = null;
    this.view = new PhoneView(els.stage, {
      onKey: (id, holdMs) => this.pressKey(id, holdMs),
      onTouch: (x, y, holdMs) => this.touch(x, y, holdMs),
      onKeyDown: (e) => { const kb = this.keyboard(); if (kb && this.model) kb.handleKeyDown(e); },
    });
    this.renderer = null;
    this.pendingFrame = null;
    this.phoneState = null;
    this.frameErrorShown = false;
    this.regs = new RegistrationsPanel(els.regs);
    this.info = new InfoPanel(els.info);
    this.actions = null;
    this.fkeys = null;         // function keys panel of the watched model
    this.keyStates = {};
    this.rawKeyStates = null;
    els.adminBtn.addEventListener('click', () => this.openAdminUi());
    this.offLang = onLanguageChange(() => { this._renderTitle(); this._renderState(); });
    this._showMessage(t('phone.none'));
    this._setActive(false);
  }

  /** Watch a device row from the list (switching from the previous one). */
  watchDevice(dev) {
    if (this.device && dev && this.device.id === dev.id && this.sub) return;
    this._unwatch();
    this.device = dev;
    this.watch = null;
    this.model = null;
    this.phoneState = null;
    this.frameErrorShown = false;
    this._renderTitle();
    if (!dev) { this._showMessage(t('phone.none')); return; }
    if (dev.supported === false) {
      this._showMessage(t('phone.unsupported', { reason: dev.reason || t('err.UNSUPPORTED') }), 'error');
      return;
    }
    this._showMessage(t('phone.loading'));
    this._subscribe();
  }

  /** Logged in (again): watch the same device again. */
  onConnected() {
    if (this.device && this.device.supported !== false) this._subscribe();
  }

  /** Connection lost: the watch is gone with it. */
  onDisconnected() {
    if (this.sub) { this.sub.close(); this.sub = null; }
    this.pendingFrame = null;
    if (this.model) this.view.setOverlay(t('err.DISCONNECTED'), 'warn');
    this._setActive(false);
  }

  /** A binary message of the connection. */
  onBinary(buf) {
    const p = parseFrame(buf);
    if (!p.ok) { console.warn('LCD frame dropped:', p.error); return; }
    const f = p.frame;
    if (!this.device || f.device !== this.device.id) return;  // a late frame of a phone we left
    if (!this.renderer) { this.pendingFrame = f; return; }   // the phone is still being drawn
    this.renderer.push(f);
  }

  pressKey(id, holdMs) {
    if (!this._canSend()) return;
    const msg = { mt: 'Key', device: this.device.id, key: id };
    if (holdMs !== undefined) msg.holdMs = holdMs;
    const key = this.model && this.model.keys.find((k) => k.id === id);
    this.conn.request(msg).then((r) => {
      if (r.error || r.ok === false) toast(t('phone.keyFailed', { key: key ? keyName(key) : id, reason: resultError(r) }), 'error');
    }, (e) => toast(t('phone.keyFailed', { key: key ? keyName(key) : id, reason: resultError(e) }), 'error'));
  }

  touch(x, y, holdMs) {
    if (!this._canSend()) return;
    const msg = { mt: 'Touch', device: this.device.id, x, y };
    if (holdMs !== undefined) msg.holdMs = holdMs;
    this.conn.request(msg).then((r) => {
      if (r.error || r.ok === false) toast(t('phone.touchFailed', { reason: resultError(r) }), 'error');
    }, (e) => toast(t('phone.touchFailed', { reason: resultError(e) }), 'error'));
  }

  /** TypeKeys from the keyboard panel or the PC keyboard. */
  typeKeys(keys, layout) {
    if (!this._canSend() || !keys.length) return;
    const kb = this.keyboard();
    this.conn.request({ mt: 'TypeKeys', device: this.device.id, layout, keys }).then((r) => {
      if (r.error || r.ok === false) toast(t('result.error', { reason: resultError(r) }), 'error');
      else if (kb) kb.showSent(r.text || '');
    }, (e) => toast(t('result.error', { reason: resultError(e) }), 'error'));
  }

  /** "Admin UI": a one-time URL from the gateway, opened in a new window. */
  async openAdminUi() {
    if (!this._canSend()) return;
    // Open the window inside the click (pop-up blockers), point it at the URL when it arrives.
    const w = window.open('', '_blank');
    try {
      const r = await this.conn.request({ mt: 'OpenAdminUi', device: this.device.id });
      if (r.error || typeof r.url !== 'string' || !r.url) throw r;
      const u = new URL(r.url, document.baseURI);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw { error: 'BAD_URL', errorText: r.url };
      const url = u.href;
      if (w) { try { w.opener = null; } catch (_) { /* cross-origin already */ } w.location.href = url; } else {
        const w2 = window.open(url, '_blank', 'noopener');
        if (!w2) toast(t('admin.blocked'), 'error');
      }
    } catch (e) {
      if (w) w.close();
      toast(t('admin.failed', { reason: resultError(e) }), 'error');
    }
  }

  // ---- internals ------------------------------------------------------------------------------

  _canSend() { return !!(this.device && this.watch && this.conn.connected); }

  _subscribe() {
    if (this.sub) this.sub.close();
    const dev = this.device;
    const sub = this.conn.subscribe({ mt: 'Watch', device: dev.id }, (m) => this._onMessage(sub, m));
    this.sub = sub;
  }

  _unwatch() {
    if (this.sub) {
      this.sub.close();
      this.sub = null;
      if (this.device) this.conn.request({ mt: 'Unwatch', device: this.device.id }).catch(() => {});
    }
    this.renderer = null;
    this.pendingFrame = null;
    if (this.actions) { this.actions.destroy(); this.actions = null; }
    if (this.fkeys) { this.fkeys.destroy(); this.fkeys = null; }
    this.keyStates = {};
    this.rawKeyStates = null;
    this.regs.set(null);
    this.info.set(null);
    this._setActive(false);
  }

  async _onMessage(sub, m) {
    if (sub !== this.sub) return;
    switch (m.mt) {
      case 'WatchResult': await this._onWatchResult(sub, m); break;
      case 'PhoneState':
        if (m.device !== undefined && m.device !== this.device.id) return;
        this.phoneState = { state: m.state, reason: m.reason };
        this._renderState();
        break;
      case 'Registrations':
        if (m.device !== undefined && m.device !== this.device.id) return;
        this.regs.set(m.regs);
        break;
      case 'KeyStates':
        if (m.device !== undefined && m.device !== this.device.id) return;
        this._setKeyStates(m.keys);
        break;
      default: break;
    }
  }

  async _onWatchResult(sub, m) {
    if (m.error === 'SERVICE_UNAVAILABLE') {
      // A service is restarting: say so and watch again after the time the gateway gives.
      this.watch = null;
      this._showMessage(t('phone.reconnecting'), 'info');
      const device = this.device;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        if (this.sub === sub && this.device === device) this._subscribe();
      }, Math.min(Math.max(Number(m.retryAfterMs) || 1000, 250), 30000));
      return;
    }
    if (m.error) {
      this.watch = null;
      this._showMessage(t('phone.watchFailed', { reason: resultError(m) }), 'error');
      this._setActive(false);
      return;
    }
    const first = !this.watch || !this.model || this.watch.product !== m.product;
    this.watch = m;
    const product = m.product || this.device.product;
    if (first) {
      let model;
      try {
        model = await modelFor(this.conn, product);
      } catch (e) {
        if (sub !== this.sub) return;
        this._showMessage(t('phone.modelFailed', { product, reason: e && e.message ? e.message : resultError(e) }), 'error');
        return;
      }
      if (sub !== this.sub) return;
      this.model = model;
      this._hideMessage();
      const canvas = this.view.render(model);
      this._paintIdle(canvas);
      this.renderer = new LcdRenderer(canvas, {
        onDrawn: (f, err) => this._ack(f, err),
      });
      const kb = this.keyboard();
      if (kb) kb.setModelKeys(model.keys.map((k) => k.id));
      if (this.fkeys) this.fkeys.destroy();
      const device = this.device.id;
      this.fkeys = new KeyLabelsPanel(this.els.fkeys, {
        keys: model.keys,
        save: (labels) => this.conn.request({ mt: 'SetKeyLabels', device, labels }),
      });
      this.els.fkeysPanel.hidden = !this.fkeys.keys.length;
      this._setKeyStates(this.rawKeyStates);
    }
    this.info.set({ device: this.device.id, info: m.info || {}, product, family: m.family || (this.model && this.model.family), model: this.model });
    if (this.actions) this.actions.destroy();
    this.actions = new ActionsPanel(this.els.actions, {
      request: (msg) => this.conn.request(msg),
      device: this.device.id,
      deviceName: (m.info && m.info.name) || this.device.name || this.device.id,
      actions: m.actions,
    });
    this._renderTitle();
    this._setActive(true);
    if (!this.phoneState) this.phoneState = { state: 'connecting' };
    this._renderState();
    if (this.pendingFrame && this.renderer) { const f = this.pendingFrame; this.pendingFrame = null; this.renderer.push(f); }
  }

  /** Labels and LEDs of the function keys (KeyStates: the whole set each time). */
  _setKeyStates(keys) {
    this.rawKeyStates = keys;    // may come before the model is drawn: applied then
    if (!this.model) return;
    this.keyStates = keyStatesById(keys, this.model.keys.filter((k) => k.kind === 'function').map((k) => k.id));
    this.view.setKeyStates(this.keyStates);
    if (this.fkeys) this.fkeys.set(this.keyStates);
  }

  _ack(frame, err) {
    // Ack even a frame we could not draw, or the stream would stall.
    this.conn.send({ mt: 'FrameAck', device: frame.device, seq: frame.seq });
    if (err && !this.frameErrorShown) { this.frameErrorShown = true; toast(t('phone.frameError', { reason: err }), 'error'); }
    if (err) return;
    // A drawn frame proves the phone is reachable. The gateway may send the first frame before
    // PhoneState "online" (or PhoneState may have come while the model was still loading), so a
    // frame ends "connecting" by itself; "offline"/"stale"/"error" stay until a new PhoneState.
    if (!this.phoneState || this.phoneState.state === 'connecting') {
      this.phoneState = { state: 'online' };
      this._renderState();
    } else if (this.phoneState.state === 'online') this.view.setOverlay(null);
  }

  _paintIdle(canvas) {
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#101214';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }

  _renderState() {
    if (!this.model || !this.phoneState) return;
    const s = this.phoneState.state;
    let text = null; let kind = 'info';
    if (s === 'connecting') text = t('phone.state.connecting');
    else if (s === 'offline') { text = t('phone.state.offline'); kind = 'warn'; }
    else if (s === 'stale') { text = t('phone.state.stale'); kind = 'warn'; }
    else if (s === 'error') { text = t('phone.state.error', { reason: this.phoneState.reason || '?' }); kind = 'error'; }
    if (s === 'online' && this.renderer && this.renderer.frames === 0) text = t('phone.state.connecting');
    this.view.setOverlay(text, kind);
    if (this.info.data) this.info.set({ ...this.info.data, state: s ? (t(`phone.state.${s}`) !== `phone.state.${s}` ? t(`phone.state.${s}`) : s) : undefined });
  }

  _renderTitle() {
    const el = clear(this.els.title);
    if (!this.device) return;
    const name = (this.watch && this.watch.info && this.watch.info.name) || this.device.name || this.device.hwId || this.device.id;
    el.textContent = t('phone.title', { name, product: (this.watch && this.watch.product) || this.device.product || '' });
  }

  _showMessage(text, kind = 'info') {
    this.view.destroy();
    this.view = new PhoneView(this.els.stage, this.view.cb);
    this.renderer = null;
    this.els.message.hidden = false;
    this.els.message.textContent = text;
    this.els.message.dataset.kind = kind;
    this.els.panels.hidden = true;
  }

  _hideMessage() {
    this.els.message.hidden = true;
    this.els.panels.hidden = false;
  }

  _setActive(on) {
    this.els.adminBtn.disabled = !on;
  }
}
