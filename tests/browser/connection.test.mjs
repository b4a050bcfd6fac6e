// Connection state machine in node with a fake WebSocket and mocked timers: reconnect backoff
// 1 s doubling to 32 s, reset on login; operator password login; requests and subscriptions
// routed by src; pending requests rejected on loss; KeepAlive and dead-link detection.
import { test, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

const sha = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
const { Connection } = await import(new URL('../../web/app/connection.js', import.meta.url));

class FakeWebSocket {
  static all = [];
  constructor(url) { this.url = url; this.sent = []; this.readyState = 0; FakeWebSocket.all.push(this); }
  send(s) { this.sent.push(JSON.parse(s)); }
  close() { this.readyState = 3; }
  // test side
  open() { this.readyState = 1; this.onopen && this.onopen(); }
  recv(o) { this.onmessage && this.onmessage({ data: typeof o === 'string' ? o : JSON.stringify(o) }); }
  recvBinary(buf) { this.onmessage && this.onmessage({ data: buf }); }
  drop() { this.readyState = 3; this.onclose && this.onclose({ code: 1006 }); }
  last() { return this.sent[this.sent.length - 1]; }
}

const flush = async () => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };

beforeEach(() => {
  FakeWebSocket.all = [];
  globalThis.WebSocket = FakeWebSocket;
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
});
afterEach(() => { mock.timers.reset(); delete globalThis.WebSocket; });

/** Advance until a new socket appears; returns the ms it took (in 100 ms steps). */
function waitForNewSocket(maxMs = 40000) {
  const n = FakeWebSocket.all.length;
  for (let t = 100; t <= maxMs; t += 100) {
    mock.timers.tick(100);
    if (FakeWebSocket.all.length > n) return t;
  }
  return -1;
}

async function passwordLogin(conn, ws, password = 'pw') {
  ws.open();
  assert.deepEqual(ws.last(), { mt: 'GetLoginOptions' });
  ws.recv({ mt: 'GetLoginOptionsResult', passwordLogin: true, app: 'innovaphone-myphonekeys' });
  if (conn.state.phase === 'password') conn.submitPassword('operator', password);
  assert.deepEqual(ws.last(), { mt: 'AppChallenge' });
  ws.recv({ mt: 'AppChallengeResult', challenge: '0123456789abcdef' });
  for (let i = 0; i < 50 && ws.last().mt !== 'AppLogin'; i++) await flush();
  const login = ws.last();
  assert.equal(login.mt, 'AppLogin');
  assert.equal(login.digest, sha(`operator::operator:${'0'.repeat(32)}:Admin:0123456789abcdef:${password}`));
  ws.recv({ mt: 'AppLoginResult', ok: true, domain: 'example.com' });
}

test('reconnect backoff: 1, 2, 4, 8, 16, 32, 32 s; reset after a login', async () => {
  const conn = new Connection({ url: 'ws://gw/i', inFrame: false });
  const states = [];
  conn.addEventListener('state', (e) => states.push(e.detail));
  conn.start();
  assert.equal(FakeWebSocket.all.length, 1);
  const waits = [];
  for (let i = 0; i < 7; i++) {
    FakeWebSocket.all[FakeWebSocket.all.length - 1].drop();
    waits.push(waitForNewSocket());
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 32000, 32000]);
  assert.ok(states.some((s) => s.phase === 'reconnecting' && s.retryIn === 32 && s.error === 'REMOTE_CLOSE'));

  const ws = FakeWebSocket.all[FakeWebSocket.all.length - 1];
  await passwordLogin(conn, ws);
  assert.equal(conn.connected, true);
  assert.equal(conn.state.phase, 'connected');
  ws.drop();
  assert.equal(conn.state.phase, 'reconnecting');
  assert.equal(waitForNewSocket(), 1000, 'backoff reset by the login');
  // The remembered password logs in again without the form.
  const ws2 = FakeWebSocket.all[FakeWebSocket.all.length - 1];
  await passwordLogin(conn, ws2);
  assert.equal(conn.connected, true);
  conn.stop();
});

test('requests and subscriptions are routed by src; loss rejects what is pending', async () => {
  const conn = new Connection({ url: 'ws://gw/i', inFrame: false });
  const events = [];
  conn.addEventListener('connected', () => events.push('connected'));
  conn.addEventListener('disconnected', () => events.push('disconnected'));
  await assert.rejects(conn.request({ mt: 'GetSession' }), { error: 'NOT_CONNECTED' });
  conn.start();
  const ws = FakeWebSocket.all[0];
  await passwordLogin(conn, ws);
  assert.deepEqual(events, ['connected']);

  const p = conn.request({ mt: 'GetSession' });
  const req = ws.last();
  assert.equal(req.mt, 'GetSession');
  assert.match(req.src, /^src\d+$/);
  const got = [];
  const sub = conn.subscribe({ mt: 'Watch', device: 'd1' }, (m) => got.push(m.mt));
  const wsrc = ws.last().src;
  assert.notEqual(wsrc, req.src);
  ws.recv({ mt: 'GetSessionResult', src: req.src, canTrace: true });
  assert.equal((await p).canTrace, true);
  ws.recv({ mt: 'WatchResult', src: wsrc });
  ws.recv({ mt: 'PhoneState', src: wsrc, state: 'online' });
  ws.recv({ mt: 'PhoneState', src: 'other', state: 'online' });
  sub.close();
  ws.recv({ mt: 'PhoneState', src: wsrc, state: 'offline' });
  assert.deepEqual(got, ['WatchResult', 'PhoneState']);

  const binaries = [];
  conn.addEventListener('binary', (e) => binaries.push(e.detail.byteLength));
  ws.recvBinary(new ArrayBuffer(42));
  assert.deepEqual(binaries, [42]);

  // Garbage does not throw.
  ws.recv('not json');
  ws.recv({ nomt: 1 });
  ws.recv('[1,2]');

  const pending = conn.request({ mt: 'GetStatus' });
  ws.drop();
  await assert.rejects(pending, { error: 'DISCONNECTED' });
  assert.deepEqual(events, ['connected', 'disconnected']);
  assert.equal(conn.connected, false);
  conn.stop();
});

test('request timeout, KeepAlive when idle, dead link closed', async () => {
  const conn = new Connection({ url: 'ws://gw/i', inFrame: false });
  conn.start();
  const ws = FakeWebSocket.all[0];
  await passwordLogin(conn, ws);
  const p = conn.request({ mt: 'GetStatus' }, { timeoutMs: 5000 });
  mock.timers.tick(5000);
  await assert.rejects(p, { error: 'TIMEOUT' });
  ws.sent.length = 0;
  mock.timers.tick(35000);
  assert.ok(ws.sent.some((m) => m.mt === 'KeepAlive'), 'KeepAlive after 30 s of silence');
  mock.timers.tick(45000);
  assert.equal(conn.connected, false, 'no answer for 75 s: the link is dropped');
  assert.equal(conn.state.phase, 'reconnecting');
  assert.equal(conn.state.error, 'KEEPALIVE_TIMEOUT');
  conn.stop();
});

test('refused logins: wrong password asks again, other refusals retry with backoff', async () => {
  const conn = new Connection({ url: 'ws://gw/i', inFrame: false });
  conn.start();
  let ws = FakeWebSocket.all[0];
  ws.open();
  ws.recv({ mt: 'GetLoginOptionsResult', passwordLogin: true });
  assert.equal(conn.state.phase, 'password');
  conn.submitPassword('operator', 'bad');
  ws.recv({ mt: 'AppChallengeResult', challenge: 'abc' });
  for (let i = 0; i < 50 && ws.last().mt !== 'AppLogin'; i++) await flush();
  ws.recv({ mt: 'AppLoginResult', ok: false, error: 'LOGIN_FAILURE' });
  ws = FakeWebSocket.all[FakeWebSocket.all.length - 1];
  assert.equal(FakeWebSocket.all.length, 2, 'reconnected at once to ask again');
  ws.open();
  ws.recv({ mt: 'GetLoginOptionsResult', passwordLogin: true });
  assert.deepEqual([conn.state.phase, conn.state.error], ['password', 'LOGIN_FAILURE']);
  assert.equal(conn.credentials, null, 'the refused password is forgotten');

  conn.submitPassword('operator', 'pw');
  ws.recv({ mt: 'AppChallengeResult', challenge: 'abc' });
  for (let i = 0; i < 50 && ws.last().mt !== 'AppLogin'; i++) await flush();
  ws.recv({ mt: 'AppLoginResult', ok: false, error: 'NO_PBX', errorText: 'no pbx' });
  assert.deepEqual([conn.state.phase, conn.state.error, conn.state.retryIn], ['failed', 'NO_PBX', 1]);
  assert.equal(waitForNewSocket(), 1000);
  conn.stop();
});

test('no password login: waits for the user, no retries', () => {
  const conn = new Connection({ url: 'ws://gw/i', inFrame: false });
  conn.start();
  const ws = FakeWebSocket.all[0];
  ws.open();
  ws.recv({ mt: 'GetLoginOptionsResult', passwordLogin: false });
  assert.equal(conn.state.phase, 'no-login');
  ws.drop();
  assert.equal(waitForNewSocket(40000), -1);
  assert.equal(conn.state.phase, 'no-login');
  conn.stop();
});
