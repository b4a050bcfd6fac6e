/// AppWebsocket client of the myPhoneKeys app (docs/app-protocol.md §1, docs/spec/appwebsocket.md §5).
/// One websocket to `<instance>`; JSON text frames routed by `src`; binary frames (LCD) handed
/// to listeners. Login: inside myApps by postMessage `getLogin`/`Login` to the parent; standalone
/// by a name and password (the operator's, or the App object password of this URL's tenant;
/// digest computed here, sent in the SDK's password-login form). Reconnect 1 s doubling to 32 s, reset on login.

import { sha256Hex } from './sha256.js';

export const APP_NAME = 'innovaphone-myphonekeys';
const TIMEOUT_MIN = 1000;
const TIMEOUT_MAX = 32000;
const KEEPALIVE_IDLE_MS = 30000;     // send KeepAlive after this long without receiving anything
const DEAD_AFTER_MS = 75000;         // nothing received for this long: the link is dead
const OPEN_TIMEOUT_MS = 15000;       // websocket handshake + first answer
const LOGIN_WAIT_MS = 30000;         // myApps answer to getLogin
const REQUEST_TIMEOUT_MS = 30000;
const ZERO_GUID = '00000000000000000000000000000000';

/**
 * The websocket URL of a page: the page URL cut at the last `/`, first `http` → `ws`
 * (so https → wss). Query and fragment are dropped first so a `/` inside them cannot confuse it.
 */
export function websocketUrl(pageHref) {
  let u = String(pageHref).split('#')[0].split('?')[0];
  u = u.slice(0, u.lastIndexOf('/'));
  return u.replace('http', 'ws');
}

/**
 * Fields of a password login (docs/spec/appwebsocket.md §2.3, §5.3): app = sip = name, domain "", guid zeros,
 * dn "Admin", no info; digest and session key are lowercase hex SHA-256.
 */
export async function passwordLogin(name, challenge, password) {
  const domain = '';
  const dn = 'Admin';
  const digest = await sha256Hex(`${name}:${domain}:${name}:${ZERO_GUID}:${dn}:${challenge}:${password}`);
  const key = await sha256Hex(`innovaphoneAppSessionKey:${challenge}:${password}`);
  return { app: name, domain, sip: name, guid: ZERO_GUID, dn, digest, key };
}

/** Parse a postMessage payload: the SDK posts JSON strings; objects are accepted too. */
function parsePosted(data) {
  if (data && typeof data === 'object') return data;
  if (typeof data !== 'string') return null;
  try { const o = JSON.parse(data); return o && typeof o === 'object' ? o : null; } catch (_) { return null; }
}

/**
 * Events (EventTarget): `state` (detail = state object, see `state`), `connected`
 * (detail = login info), `disconnected`, `binary` (detail = ArrayBuffer), `message` (unrouted JSON).
 */
export class Connection extends EventTarget {
  /**
   * @param {object} o
   * @param {string} o.url        websocket URL
   * @param {string} o.appName    start.name: the App object name used in getLogin
   * @param {boolean} o.inFrame   running inside myApps (an iframe)
   * @param {Window} [o.parentWindow]
   */
  constructor({ url, appName = APP_NAME, inFrame, parentWindow }) {
    super();
    this.url = url;
    this.appName = appName;
    this.inFrame = !!inFrame;
    this.parentWindow = parentWindow || (typeof window !== 'undefined' ? window.parent : null);
    this.ws = null;
    this.timeout = TIMEOUT_MIN;
    this.unique = 0;
    this.routes = new Map();          // src → handler(msg)
    this.pending = new Map();         // src → {reject, timer}
    this.challenge = null;
    this.loginSrc = null;
    this.timers = {};
    this.lastRecv = 0;
    this.lastSend = 0;
    this.loggedIn = false;
    this.stopped = false;
    // Secrets live only in this object (memory): the operator password for automatic
    // re-login after a reconnect, and the session key of the current login.
    this.credentials = null;
    this.sessionKey = null;
    this.loginInfo = null;
    this.state = { phase: 'idle' };
    this._onPost = (e) => this._onPostMessage(e);
    if (typeof window !== 'undefined') window.addEventListener('message', this._onPost);
  }

  /** Open the connection (and keep reopening it until stop()). */
  start() {
    this.stopped = false;
    this._connect();
  }

  /** Close for good (no reconnect). */
  stop() {
    this.stopped = true;
    this._clearTimers();
    this._drop('STOPPED', false);
    if (typeof window !== 'undefined') window.removeEventListener('message', this._onPost);
  }

  /** True after AppLoginResult ok. */
  get connected() { return this.loggedIn; }

  /** Operator form submitted (standalone mode): log in now, keep the password in memory. */
  submitPassword(name, password) {
    this.credentials = { name: String(name || ''), password: String(password || '') };
    if (this.ws && this.ws.readyState === 1 && this.state.phase === 'password') {
      this._setState({ phase: 'login' });
      this._sendRaw({ mt: 'AppChallenge' });
    } else {
      this.timeout = TIMEOUT_MIN;
      this._connect();
    }
  }

  /** Retry now (e.g. a "retry" button while waiting for the backoff). */
  retryNow() {
    if (this.stopped) return;
    this.timeout = TIMEOUT_MIN;
    this._connect();
  }

  /** Fire-and-forget message (after login only). Returns false when not sent. */
  send(msg) {
    if (!this.loggedIn) return false;
    return this._sendRaw(msg);
  }

  /**
   * Request with a fresh src; resolves with the first answer carrying that src (a `…Result`,
   * possibly with `error`). Rejects with {error:'NOT_CONNECTED'|'DISCONNECTED'|'TIMEOUT'}.
   */
  request(msg, { timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
      if (!this.loggedIn) { reject({ error: 'NOT_CONNECTED' }); return; }
      const src = this._nextSrc();
      const done = () => { clearTimeout(timer); this.routes.delete(src); this.pending.delete(src); };
      const timer = setTimeout(() => { done(); reject({ error: 'TIMEOUT' }); }, timeoutMs);
      this.routes.set(src, (m) => { done(); resolve(m); });
      this.pending.set(src, { reject, timer });
      this._sendRaw({ ...msg, src });
    });
  }

  /**
   * Subscription: every message with the returned src (its result and later notifications)
   * goes to `handler` until `close()`. Returns null when not connected.
   */
  subscribe(msg, handler) {
    if (!this.loggedIn) return null;
    const src = this._nextSrc();
    this.routes.set(src, handler);
    this._sendRaw({ ...msg, src });
    return { src, close: () => { this.routes.delete(src); } };
  }

  // ---- internals ----------------------------------------------------------------------------

  _nextSrc() { return 'src' + (this.unique++); }

  _setState(s) {
    this.state = s;
    this.dispatchEvent(new CustomEvent('state', { detail: s }));
  }

  _clearTimers() {
    for (const k of Object.keys(this.timers)) { clearTimeout(this.timers[k]); clearInterval(this.timers[k]); }
    this.timers = {};
  }

  _connect() {
    if (this.stopped) return;
    this._clearTimers();
    this._drop(null, false);
    this._setState({ phase: 'connecting' });
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this._fail('WEBSOCKET_ERROR');
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.timers.open = setTimeout(() => this._fail('CONNECT_TIMEOUT'), OPEN_TIMEOUT_MS);
    ws.onopen = () => {
      if (ws !== this.ws) return;
      this.lastRecv = Date.now();
      // Standalone: ask first whether operators may log in with a password.
      if (this.inFrame) { this._setState({ phase: 'login' }); this._sendRaw({ mt: 'AppChallenge' }); }
      else this._sendRaw({ mt: 'GetLoginOptions' });
    };
    ws.onmessage = (ev) => { if (ws === this.ws) this._onMessage(ev.data); };
    ws.onerror = () => { if (ws === this.ws) this._fail('WEBSOCKET_ERROR'); };
    ws.onclose = () => { if (ws === this.ws) this._fail('REMOTE_CLOSE'); };
  }

  _sendRaw(obj) {
    if (!this.ws || this.ws.readyState !== 1) return false;
    try { this.ws.send(JSON.stringify(obj)); } catch (_) { return false; }
    this.lastSend = Date.now();
    return true;
  }

  _onMessage(data) {
    this.lastRecv = Date.now();
    if (data instanceof ArrayBuffer) {
      if (this.loggedIn) this.dispatchEvent(new CustomEvent('binary', { detail: data }));
      return;
    }
    let obj;
    // A frame that is not JSON cannot be routed: say so in the console (a gateway bug), drop it.
    try { obj = JSON.parse(data); } catch (_) { console.warn('dropped a text frame that is not JSON:', String(data).slice(0, 200)); return; }
    if (!obj || typeof obj !== 'object' || typeof obj.mt !== 'string') return;
    switch (obj.mt) {
      case 'GetLoginOptionsResult': this._onLoginOptions(obj); return;
      case 'AppChallengeResult': this._onChallenge(obj); return;
      case 'AppLoginResult': this._onLoginResult(obj); return;
      case 'KeepAlive': return;
      default: break;
    }
    if (!this.loggedIn) return;
    const route = obj.src !== undefined ? this.routes.get(obj.src) : undefined;
    if (route) { try { route(obj); } catch (e) { console.error(e); } return; }
    this.dispatchEvent(new CustomEvent('message', { detail: obj }));
  }

  _onLoginOptions(obj) {
    clearTimeout(this.timers.open);
    if (!obj.passwordLogin) {
      // Nothing to retry: this gateway only takes PBX-issued logins (myApps).
      this._setState({ phase: 'no-login', error: 'NO_PASSWORD_LOGIN' });
      return;
    }
    if (this.credentials) { this._setState({ phase: 'login' }); this._sendRaw({ mt: 'AppChallenge' }); }
    else this._setState({ phase: 'password', error: this._pwError || null });
    this._pwError = null;
  }

  async _onChallenge(obj) {
    clearTimeout(this.timers.open);
    const challenge = typeof obj.challenge === 'string' ? obj.challenge : String(obj.challenge ?? '');
    this.challenge = challenge;
    if (!this.inFrame) {
      if (!this.credentials) { this._setState({ phase: 'password' }); return; }
      const ws = this.ws;
      const f = await passwordLogin(this.credentials.name, challenge, this.credentials.password);
      if (ws !== this.ws) return;
      this.loginInfo = { app: f.app, domain: f.domain, sip: f.sip, dn: f.dn };
      // As the SDK's Connection.js: the password login goes out through the same login() as a
      // PBX-issued one, with pbxObj = the name logged in with (docs/spec/appwebsocket.md §5.3).
      this._sendLogin(f, f.app);
      return;
    }
    // Inside myApps: ask the parent for a PBX-computed login bound to this challenge.
    this.loginSrc = String(Math.floor(Math.random() * 1e12));
    this._setState({ phase: 'waiting-login' });
    const msg = JSON.stringify({ mt: 'getLogin', app: this.appName, challenge, src: this.loginSrc });
    try { this.parentWindow.postMessage(msg, '*'); } catch (_) { /* reported by the timeout */ }
    this.timers.login = setTimeout(() => this._fail('LOGIN_TIMEOUT'), LOGIN_WAIT_MS);
  }

  _onPostMessage(e) {
    if (!this.inFrame || !this.parentWindow || e.source !== this.parentWindow) return;
    const obj = parsePosted(e.data);
    if (!obj || obj.mt !== 'Login') return;
    if (this.state.phase !== 'waiting-login' || !this.ws) return;
    // A `src` in the answer must be ours (JS14); an answer without src is accepted (JS13 shells).
    if (obj.src !== undefined && obj.src !== null && String(obj.src) !== this.loginSrc) return;
    clearTimeout(this.timers.login);
    if (obj.error || obj.errorText || !obj.digest) {
      this._loginFailed(obj.error || 'LOGIN_FAILURE', obj.errorText);
      return;
    }
    this.loginInfo = { app: obj.app, domain: obj.domain, sip: obj.sip, dn: obj.dn, info: obj.info };
    this._setState({ phase: 'login' });
    this._sendLogin(obj, obj.pbxObj || this.appName);
  }

  /**
   * The one AppLogin of both paths (SDK Connection.js `login()`): the fields of a PBX-issued
   * login or of a password login, `info` only when there is one, and `pbxObj`. The session key
   * stays here; it never goes on the wire.
   */
  _sendLogin(fields, pbxObj) {
    this.sessionKey = typeof fields.key === 'string' ? fields.key : null;
    const login = {
      mt: 'AppLogin', app: fields.app, domain: fields.domain ?? '', sip: fields.sip ?? '', guid: fields.guid ?? '',
      dn: fields.dn ?? '', digest: fields.digest, pbxObj,
    };
    if (fields.info !== undefined) login.info = fields.info;
    this._sendRaw(login);
    this.timers.loginResult = setTimeout(() => this._fail('LOGIN_TIMEOUT'), OPEN_TIMEOUT_MS);
  }

  _onLoginResult(obj) {
    clearTimeout(this.timers.loginResult);
    if (obj.ok) {
      this.loggedIn = true;
      this.timeout = TIMEOUT_MIN;                 // backoff resets on a successful login
      this._armKeepAlive();
      if (this.inFrame) {
        try { this.parentWindow.postMessage(JSON.stringify({ mt: 'loginResult', ok: true }), '*'); } catch (_) { /* optional */ }
      }
      this._setState({ phase: 'connected', domain: obj.domain });
      this.dispatchEvent(new CustomEvent('connected', { detail: { ...this.loginInfo, appDomain: obj.domain } }));
      return;
    }
    let code = obj.error;
    if (!code && this.loginInfo && this.loginInfo.info && this.loginInfo.info.unlicensed) code = 'UNLICENSED';
    this._loginFailed(code || 'LOGIN_FAILURE', obj.errorText);
  }

  _loginFailed(code, errorText) {
    if (!this.inFrame && this.credentials && code === 'LOGIN_FAILURE') {
      // A wrong operator password is not retried: forget it and ask again at once.
      this.credentials = null;
      this._pwError = 'LOGIN_FAILURE';
      this._connect();
      return;
    }
    this._fail(code, { phase: 'failed', error: code, errorText: errorText || '' });
  }

  _armKeepAlive() {
    clearInterval(this.timers.keepAlive);
    this.timers.keepAlive = setInterval(() => {
      const now = Date.now();
      if (now - this.lastRecv > DEAD_AFTER_MS) { this._fail('KEEPALIVE_TIMEOUT'); return; }
      if (now - this.lastRecv > KEEPALIVE_IDLE_MS && now - this.lastSend > KEEPALIVE_IDLE_MS / 2) this._sendRaw({ mt: 'KeepAlive' });
    }, 5000);
  }

  /** Tear the socket down; reject what is pending; tell listeners if we were logged in. */
  _drop(reason, notify = true) {
    const wasIn = this.loggedIn;
    this.loggedIn = false;
    this.challenge = null;
    this.sessionKey = null;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      try { ws.close(); } catch (_) { /* already closed */ }
    }
    for (const [, p] of this.pending) { clearTimeout(p.timer); p.reject({ error: 'DISCONNECTED' }); }
    this.pending.clear();
    this.routes.clear();
    if (wasIn && (notify || reason)) this.dispatchEvent(new CustomEvent('disconnected', { detail: { reason } }));
  }

  /** Connection or login lost: drop it and reconnect after the backoff (unless we wait for the user). */
  _fail(reason, failedState = null) {
    if (this.stopped) return;
    this._clearTimers();
    this._drop(reason || 'REMOTE_CLOSE', true);
    if (this.state.phase === 'no-login') return;           // waiting for the user, nothing to retry
    if (this.state.phase === 'password' && !this.credentials) return;
    this._scheduleReconnect(failedState || { phase: 'reconnecting', error: reason || 'REMOTE_CLOSE' });
  }

  _scheduleReconnect(base) {
    if (this.stopped || this.timers.retry) return;
    const wait = this.timeout;
    this.timeout = Math.min(this.timeout * 2, TIMEOUT_MAX);
    const until = Date.now() + wait;
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      this._setState({ ...base, retryIn: left });
    };
    tick();
    this.timers.countdown = setInterval(tick, 1000);
    this.timers.retry = setTimeout(() => { this.timers.retry = null; this._connect(); }, wait);
  }
}
