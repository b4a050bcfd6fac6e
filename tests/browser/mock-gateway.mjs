// A stand-in for the gateway, written from docs/app-protocol.md, so the live app can be tested
// in the browser before the real services exist. It serves the app like the gateway, speaks
// the AppWebsocket protocol on the instance path, and records every message the app sends.
// Also: a minimal myApps shell page (`/shell.htm`) that embeds the app and answers its getLogin
// with a login computed here (as the PBX would) — the real login path of the app.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { startStaticServer, MODELS } from './static-server.mjs';
import { solidPng } from './png.mjs';

const sha = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
const APP = 'innovaphone-myphonekeys';
const ZERO_GUID = '0'.repeat(32);

function lcdFrame({ codec, seq, sw, sh, x, y, w, h, device, png }) {
  const id = Buffer.from(device, 'utf8');
  const b = Buffer.alloc(19 + id.length + png.length);
  b[0] = 0x4c; b[1] = codec; b.writeUInt32BE(seq, 2);
  b.writeUInt16BE(sw, 6); b.writeUInt16BE(sh, 8); b.writeUInt16BE(x, 10); b.writeUInt16BE(y, 12);
  b.writeUInt16BE(w, 14); b.writeUInt16BE(h, 16); b[18] = id.length;
  id.copy(b, 19); png.copy(b, 19 + id.length);
  return b;
}

/** 120 devices over two domains; products from the model index (plus one unsupported). */
export function makeDevices(n = 120) {
  const index = JSON.parse(readFileSync(path.join(MODELS, 'index.json'), 'utf8'));
  const products = Object.values(index.families).flat();
  const out = [];
  for (let i = 0; i < n; i++) {
    const product = i === 7 ? 'IP150' : products[i % products.length];
    const dom = i % 3 === 0 ? 'l1:2' : 'l1:1';
    out.push({
      id: `l1:${1000 + i}`, hwId: `009033${(0x100000 + i).toString(16).padStart(6, '0')}`, name: `Phone ${String(i).padStart(3, '0')}`,
      product, version: i % 5 === 0 ? '13r2 sr1 [13.4250/131286/1300]' : '13r3 [13.5000/140000/1300]', type: 'PHONE',
      online: i % 4 !== 1, stale: i === 2, ip: `10.0.${Math.floor(i / 200)}.${(i % 200) + 10}`,
      domain: dom, domainName: dom === 'l1:1' ? 'example.com' : 'branch.example.com',
      supported: product !== 'IP150', reason: product === 'IP150' ? 'unsupported model IP150: no V13 firmware' : undefined,
    });
  }
  return out;
}

function matches(d, f) {
  if (f.domain && d.domain !== f.domain) return false;
  if (typeof f.online === 'boolean' && d.online !== f.online) return false;
  if (f.search) {
    const s = String(f.search).toLowerCase();
    const mac = s.replace(/[:-]/g, '');
    if (![d.name, d.product, d.ip, d.version].some((v) => String(v).toLowerCase().includes(s)) && !(mac && d.hwId.toLowerCase().includes(mac))) return false;
  }
  return true;
}

export async function startMockGateway({ passwordLogin = true, canTrace = true, framesPerWatch = 3 } = {}) {
  const gw = {
    password: 'pbx-secret', operator: { name: 'operator', password: 'op-secret' },
    devices: makeDevices(), seq: 100, received: [], conns: new Set(), frames: [], acks: [],
    passwordLogin, canTrace, framesPerWatch, trace: { app: false, appws: true }, waiters: [],
  };
  const rec = (c, m) => {
    gw.received.push({ conn: c.id, ...m });
    for (const w of gw.waiters.slice()) if (w.pred(m, c)) { gw.waiters.splice(gw.waiters.indexOf(w), 1); w.resolve(m); }
  };
  /** Resolves with the first message (already received or later) matching pred. */
  gw.waitFor = (pred, ms = 10000) => {
    const hit = gw.received.find((m) => pred(m));
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      gw.waiters.push(w);
      setTimeout(() => { const i = gw.waiters.indexOf(w); if (i >= 0) { gw.waiters.splice(i, 1); reject(new Error('waitFor timed out')); } }, ms);
    });
  };
  gw.count = (mt) => gw.received.filter((m) => m.mt === mt).length;

  /** The login the "PBX" computes for the shell (digest with the App object password). */
  const pbxLogin = (challenge, user, unlicensed) => {
    const info = { appobj: 'myphonekeys', appdn: 'myPhoneKeys', appurl: 'http://x/example.com/myphonekeys/innovaphone-myphonekeys', pbx: 'pbx1', cn: user, unlicensed: !!unlicensed, groups: [], apps: [] };
    const f = { app: APP, domain: 'example.com', sip: user, guid: 'f48b06484a8a61015853009033400109', dn: `User ${user}` };
    const digest = sha(`${f.app}:${f.domain}:${f.sip}:${f.guid}:${f.dn}:${JSON.stringify(info)}:${challenge}:${gw.password}`);
    return { mt: 'Login', ...f, pbxObj: 'myphonekeys', info, digest, salt: 'x', key: sha(`innovaphoneAppSessionKey:${challenge}:${gw.password}`) };
  };

  const http = await startStaticServer({
    handle: async (req, res, u) => {
      if (u.pathname === '/shell.htm') {
        const app = u.searchParams.get('app');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>shell</title></head><body style="margin:0">
<iframe id="app" src="${app.replace(/"/g, '&quot;')}" style="border:0;width:100vw;height:100vh"></iframe>
<script>
window.addEventListener('message', async (e) => {
  if (typeof e.data !== 'string') return;
  const o = JSON.parse(e.data);
  if (o.mt === 'getLogin') {
    window.lastGetLogin = o;
    const r = await fetch('/pbx-login?challenge=' + encodeURIComponent(o.challenge) + '&user=' + encodeURIComponent(${JSON.stringify(u.searchParams.get('user') || 'alice')}) + '&unlicensed=${u.searchParams.get('unlicensed') ? '1' : ''}');
    const login = await r.json();
    login.src = o.src;
    e.source.postMessage(JSON.stringify(login), '*');
  } else if (o.mt === 'loginResult') { window.lastLoginResult = o; }
});
</script></body></html>`);
        return true;
      }
      if (u.pathname === '/pbx-login') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(pbxLogin(u.searchParams.get('challenge'), u.searchParams.get('user'), u.searchParams.get('unlicensed') === '1')));
        return true;
      }
      if (u.pathname.startsWith('/example.com/myphonekeys/admin-ui/')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<title>phone admin</title>admin ui');
        return true;
      }
      return false;
    },
  });

  const wss = new WebSocketServer({ noServer: true });
  http.server.on('upgrade', (req, socket, head) => {
    const p = new URL(req.url, 'http://x').pathname;
    if (p !== '/example.com/myphonekeys' && p !== '/example.com/myphonekeys/') { socket.destroy(); return; }
    wss.handleUpgrade(req, socket, head, (ws) => onConn(ws));
  });
  let nextId = 1;

  function onConn(ws) {
    const c = { id: nextId++, ws, challenge: null, login: null, devSub: null, watch: null, frameSeq: 0, framesLeft: 0, inFlight: 0 };
    gw.conns.add(c);
    const send = (o) => { if (ws.readyState === 1) ws.send(JSON.stringify(o)); };
    c.send = send;
    ws.on('close', () => gw.conns.delete(c));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let m;
      try { m = JSON.parse(String(data)); } catch (_) { return; }
      rec(c, m);
      const reply = (o) => send({ ...o, src: m.src });
      switch (m.mt) {
        case 'KeepAlive': send({ mt: 'KeepAlive' }); return;
        case 'GetLoginOptions': send({ mt: 'GetLoginOptionsResult', passwordLogin: gw.passwordLogin, app: APP }); return;
        case 'AppChallenge': c.challenge = randomBytes(8).toString('hex'); send({ mt: 'AppChallengeResult', challenge: c.challenge }); return;
        case 'AppLogin': {
          let ok = false; let error = 'LOGIN_FAILURE';
          if (m.pbxObj !== undefined && m.info !== undefined) {
            ok = m.digest === sha(`${m.app}:${m.domain}:${m.sip}:${m.guid}:${m.dn}:${JSON.stringify(m.info)}:${c.challenge}:${gw.password}`);
            if (ok && m.info.unlicensed) { ok = false; error = 'UNLICENSED'; }
            if (ok) c.login = { sip: m.sip, dn: m.dn, domain: m.domain, pbx: 'pbx1', operator: false };
          } else if (gw.passwordLogin && m.guid === ZERO_GUID && m.dn === 'Admin' && m.app === m.sip) {
            ok = m.digest === sha(`${m.app}:${m.domain}:${m.sip}:${m.guid}:${m.dn}:${c.challenge}:${gw.operator.password}`) && m.app === gw.operator.name;
            if (ok) c.login = { sip: m.sip, dn: m.dn, domain: '', pbx: '', operator: true };
          }
          if (ok) send({ mt: 'AppLoginResult', ok: true, domain: 'example.com' });
          else { send({ mt: 'AppLoginResult', ok: false, error, errorText: error === 'UNLICENSED' ? 'no App(innovaphone-myphonekeys) licence' : 'bad digest' }); setTimeout(() => ws.close(), 20); }
          return;
        }
        default: break;
      }
      if (!c.login) { reply({ mt: `${m.mt}Result`, error: 'NOT_LOGGED_IN' }); return; }
      switch (m.mt) {
        case 'GetSession':
          reply({ mt: 'GetSessionResult', user: c.login, operator: c.login.operator, canTrace: gw.canTrace, layouts: ['qwerty', 'qwertz', 'azerty'], actions: ['reboot', 'config-write', 'dial'] });
          break;
        case 'GetModel': {
          const index = JSON.parse(readFileSync(path.join(MODELS, 'index.json'), 'utf8'));
          const fam = Object.entries(index.families).find(([, ps]) => ps.includes(m.product));
          if (!fam) { reply({ mt: 'GetModelResult', error: 'UNKNOWN_MODEL', errorText: `unknown model ${m.product}` }); break; }
          reply({ mt: 'GetModelResult', product: m.product, family: fam[0], model: JSON.parse(readFileSync(path.join(MODELS, `${fam[0]}.json`), 'utf8')) });
          break;
        }
        case 'GetDomains': {
          const doms = [['l1:1', 'example.com'], ['l1:2', 'branch.example.com']].map(([id, name]) => {
            const ds = gw.devices.filter((d) => d.domain === id);
            return { id, name, total: ds.length, online: ds.filter((d) => d.online).length, stale: false };
          });
          reply({ mt: 'GetDomainsResult', domains: doms });
          break;
        }
        case 'QueryDevices': {
          const f = { domain: m.domain, online: m.online, search: m.search };
          const all = gw.devices.filter((d) => matches(d, f));
          const offset = Math.max(0, m.offset | 0); const limit = Math.min(500, m.limit || 50);
          if (m.subscribe) c.devSub = { src: m.src, f };
          if (m.resumeFrom !== undefined && gw.resumable && m.resumeFrom >= gw.seq - 5) {
            reply({ mt: 'QueryDevicesResult', total: all.length, offset, devices: [], seq: gw.seq, resumed: true });
          } else {
            reply({ mt: 'QueryDevicesResult', total: all.length, offset, devices: all.slice(offset, offset + limit), seq: gw.seq, resumed: m.resumeFrom !== undefined ? false : undefined });
          }
          break;
        }
        case 'Unsubscribe': c.devSub = null; reply({ mt: 'UnsubscribeResult' }); break;
        case 'Watch': {
          const d = gw.devices.find((x) => x.id === m.device);
          if (!d) { reply({ mt: 'WatchResult', error: 'UNKNOWN_DEVICE', errorText: 'no such device' }); break; }
          if (!d.online) { reply({ mt: 'WatchResult', error: 'OFFLINE', errorText: 'phone offline' }); break; }
          const index = JSON.parse(readFileSync(path.join(MODELS, 'index.json'), 'utf8'));
          const family = Object.entries(index.families).find(([, ps]) => ps.includes(d.product))[0];
          const fam = JSON.parse(readFileSync(path.join(MODELS, `${family}.json`), 'utf8'));
          c.watch = { src: m.src, device: d.id, screen: fam.models[d.product].screen };
          reply({ mt: 'WatchResult', device: d.id, product: d.product, family, info: { name: d.name, hwId: d.hwId, ip: d.ip, version: d.version, domainName: d.domainName }, actions: ['reboot', 'config-write', 'update-check', 'dial', 'hangup'] });
          reply({ mt: 'PhoneState', device: d.id, state: 'online' });
          reply({ mt: 'Registrations', device: d.id, regs: [
            { id: 0, state: 'registered', number: '101', name: 'Alice', gatekeeper: 'pbx.example.com', protocol: 'SIP', error: '' },
            { id: 1, state: 'not-configured', number: '', name: '', gatekeeper: '', protocol: '', error: '' },
            { id: 2, state: 'disabled', number: '102', name: 'Bob', gatekeeper: 'pbx.example.com', protocol: 'H323', error: '' },
            { id: 3, state: 'failed', number: '103', name: 'Carol', gatekeeper: 'pbx.example.com', protocol: 'SIP', error: 'unauthorized' },
          ] });
          c.framesLeft = gw.framesPerWatch;
          sendFrame(c);
          break;
        }
        case 'Unwatch': if (c.watch && c.watch.device === m.device) c.watch = null; reply({ mt: 'UnwatchResult' }); break;
        case 'FrameAck':
          gw.acks.push({ conn: c.id, device: m.device, seq: m.seq });
          if (c.watch && m.seq === c.frameSeq) { c.inFlight = 0; sendFrame(c); }
          break;
        case 'Key': reply(m.key === 'NOPE' ? { mt: 'KeyResult', error: 'BAD_KEY', errorText: 'no such key' } : { mt: 'KeyResult', ok: true }); break;
        case 'Touch': reply({ mt: 'TouchResult', ok: true }); break;
        case 'TypeText': reply({ mt: 'TypeTextResult', ok: true }); break;
        case 'TypeKeys': {
          const kb = JSON.parse(readFileSync(path.join(MODELS, 'keyboards.json'), 'utf8'));
          const keys = (kb.layouts[m.layout] || {}).keys || {};
          const text = (m.keys || []).map((k) => (keys[k.code] || [])[k.altgr ? 2 : k.shift ? 1 : 0] || '').join('');
          reply({ mt: 'TypeKeysResult', ok: true, text });
          break;
        }
        case 'Action': reply({ mt: 'ActionResult', ok: true, status: 200, output: `did ${m.action}${m.arg ? ' ' + m.arg : ''}` }); break;
        case 'Command': reply({ mt: 'CommandResult', ok: true, status: 200, output: `<info>${m.command}</info>` }); break;
        case 'OpenAdminUi': reply({ mt: 'OpenAdminUiResult', url: `admin-ui/${randomBytes(6).toString('hex')}/` }); break;
        case 'GetStatus':
        case 'LogServiceConnections':
          reply({ mt: `${m.mt}Result`, pbx: [{ tenant: 'example.com', pbx: 'pbx1', state: 'up', since: 1700000000, services: ['devices-api'] }],
            devicesApi: [{ id: 'l1', tenant: 'example.com', name: 'devices-api', url: 'wss://ap/devices', state: 'up', since: 1700000000, devices: gw.devices.length, domains: 2, reconnects: 0, lastError: '' }],
            sessions: c.watch ? [{ device: c.watch.device, state: 'online', watchers: 1, frames: c.frameSeq }] : [], trace: gw.trace });
          break;
        case 'SetTrace':
          if (!gw.canTrace) { reply({ mt: 'SetTraceResult', error: 'FORBIDDEN', errorText: 'not allowed' }); break; }
          Object.assign(gw.trace, m.flags || {});
          reply({ mt: 'SetTraceResult', trace: gw.trace });
          break;
        case 'GetAudit': reply({ mt: 'GetAuditResult', entries: [{ ts: 1700000000, pbx: 'pbx1', sip: 'alice', dn: 'Alice', device: 'l1:1000', what: 'Key D5', result: 'ok' }] }); break;
        default: reply({ mt: `${m.mt}Result`, error: 'UNKNOWN_REQUEST', errorText: `unknown request ${m.mt}` });
      }
    });
  }

  const colours = [[200, 30, 30], [30, 160, 60], [30, 60, 200], [220, 200, 20]];
  function sendFrame(c) {
    if (!c.watch || c.framesLeft <= 0 || c.inFlight) return;
    c.framesLeft -= 1;
    c.frameSeq += 1;
    const { width: sw, height: sh } = c.watch.screen;
    const full = c.frameSeq === 1 || c.frameSeq % 4 === 1;
    const rect = full ? { x: 0, y: 0, w: sw, h: sh } : { x: 10, y: 10, w: 40, h: 20 };
    const colour = colours[(c.frameSeq - 1) % colours.length];
    const png = solidPng(rect.w, rect.h, colour);
    c.inFlight = 1;
    gw.frames.push({ conn: c.id, seq: c.frameSeq, ...rect, colour });
    c.ws.send(lcdFrame({ codec: full ? 1 : 2, seq: c.frameSeq, sw, sh, ...rect, device: c.watch.device, png }));
  }

  /** Push a DevicesChanged to every subscribed connection. */
  gw.devicesChanged = ({ added = [], changed = [], removed = [] }) => {
    for (const d of added) gw.devices.push(d);
    for (const d of changed) { const i = gw.devices.findIndex((x) => x.id === d.id); if (i >= 0) gw.devices[i] = d; }
    gw.devices = gw.devices.filter((d) => !removed.includes(d.id));
    gw.seq += 1;
    for (const c of gw.conns) {
      if (!c.devSub) continue;
      c.send({ mt: 'DevicesChanged', src: c.devSub.src, seq: gw.seq, added: added.filter((d) => matches(d, c.devSub.f)), changed: changed.filter((d) => matches(d, c.devSub.f)), removed });
    }
  };
  /** Drop every client connection (the app must reconnect). */
  gw.dropAll = () => { for (const c of gw.conns) c.ws.terminate(); };
  gw.setFramesLeft = (n) => { for (const c of gw.conns) { c.framesLeft = n; sendFrame(c); } };

  return {
    gw,
    url: http.url,
    origin: http.origin,
    pageUrl: `${http.url}innovaphone-myphonekeys.htm`,
    shellUrl: (query = '', { user = 'alice', unlicensed = false } = {}) => `${http.origin}/shell.htm?user=${user}${unlicensed ? '&unlicensed=1' : ''}&app=${encodeURIComponent(`${http.url}innovaphone-myphonekeys.htm?name=myphonekeys&lang=en${query}`)}`,
    close: async () => { for (const c of gw.conns) c.ws.terminate(); wss.close(); await http.close(); },
  };
}
