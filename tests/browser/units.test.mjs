// Node-only tests of the app's pure modules (no browser): LCD frame parser, SHA-256 and the
// login digest, the websocket URL rule, model resolution, keyboard mapping, device-list paging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MODELS } from './static-server.mjs';

const web = (m) => import(new URL(`../../web/app/${m}`, import.meta.url));
const { parseFrame, buildFrame } = await web('lcd.js');
const { sha256Hex, sha256HexSync } = await web('sha256.js');
const { websocketUrl, passwordLogin } = await web('connection.js');
const { findFamily, resolveModel, allProducts, lookOf } = await web('models.js');
const { mapKeyEvent, defaultLayout, TypingBuffer } = await web('keyboard.js');
const { buildQuery, applyChanges, seqAfterPage, PAGE_SIZE } = await web('device-list.js');
const { holdFor } = await web('press.js');
const { regState } = await web('registrations.js');
const { keyStatesById, labelChanges, MAX_LABEL } = await web('key-labels.js');

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const fakePng = new Uint8Array([...PNG_SIG, 1, 2, 3]);
const readJson = (f) => JSON.parse(readFileSync(path.join(MODELS, f), 'utf8'));

test('LCD frame: build and parse round trip', () => {
  const bytes = buildFrame({ codec: 2, seq: 0x01020304, screenWidth: 320, screenHeight: 240, x: 10, y: 20, w: 30, h: 40, device: 'l1:dev-ä', png: fakePng });
  const r = parseFrame(bytes.buffer);
  assert.equal(r.ok, true, r.error);
  const f = r.frame;
  assert.deepEqual({ codec: f.codec, seq: f.seq, sw: f.screenWidth, sh: f.screenHeight, x: f.x, y: f.y, w: f.w, h: f.h, device: f.device },
    { codec: 2, seq: 0x01020304, sw: 320, sh: 240, x: 10, y: 20, w: 30, h: 40, device: 'l1:dev-ä' });
  assert.deepEqual([...f.png], [...fakePng]);
  // Byte layout of the header as documented (§4).
  assert.deepEqual([...bytes.slice(0, 19)], [0x4c, 2, 1, 2, 3, 4, 1, 64, 0, 240, 0, 10, 0, 20, 0, 30, 0, 40, 9]);
});

test('LCD frame: bad input is refused, never thrown', () => {
  const good = buildFrame({ codec: 1, seq: 1, screenWidth: 4, screenHeight: 4, device: 'd', png: fakePng });
  const mut = (fn) => { const b = new Uint8Array(good); fn(b); return b; };
  const cases = {
    empty: new Uint8Array(0),
    short: good.slice(0, 18),
    type: mut((b) => { b[0] = 0x4d; }),
    codec: mut((b) => { b[1] = 3; }),
    zeroScreen: mut((b) => { b[6] = 0; b[7] = 0; }),
    rectOutside: mut((b) => { b[11] = 1; }),          // x = 1 with w = 4 on a 4-wide screen
    zeroRect: mut((b) => { b[15] = 0; }),
    idOverrun: mut((b) => { b[18] = 200; }),
    notPng: mut((b) => { b[20] = 0; }),
    badUtf8: buildFrame({ codec: 1, screenWidth: 4, screenHeight: 4, device: 'x', png: fakePng }).map((v, i) => (i === 19 ? 0xff : v)),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    const r = parseFrame(bytes);
    assert.equal(r.ok, false, name);
    assert.equal(typeof r.error, 'string', name);
  }
  assert.equal(parseFrame('text').ok, false);
  assert.equal(parseFrame(null).ok, false);
  // A view into a larger buffer parses at its own offset.
  const big = new Uint8Array(good.length + 7);
  big.set(good, 7);
  assert.equal(parseFrame(big.subarray(7)).ok, true);
});

test('SHA-256: published vectors, WebCrypto and the JS fallback agree', async () => {
  const a1 = 'pbxadminapi:::::0123456789abcdef:pwd';
  assert.equal(sha256HexSync(a1), 'a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1');
  assert.equal(await sha256Hex(a1), 'a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1');
  const a5 = 'test:test.com::::0:secret';
  assert.equal(sha256HexSync(a5), '66ee3f52256a8eed034603b98cbaf98890bab6f42adb4a34de928e1885d68293');
  for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
    const s = 'ü'.repeat(n);
    assert.equal(sha256HexSync(s), await sha256Hex(s), `length ${n}`);
  }
});

test('password login: digest and session key as in docs/spec/appwebsocket.md §2.3/§2.4/§5.3', async () => {
  const f = await passwordLogin('operator', '0123456789abcdef', 'pwd');
  assert.deepEqual({ app: f.app, sip: f.sip, domain: f.domain, guid: f.guid, dn: f.dn },
    { app: 'operator', sip: 'operator', domain: '', guid: '0'.repeat(32), dn: 'Admin' });
  assert.equal(f.digest, sha256HexSync(`operator::operator:${'0'.repeat(32)}:Admin:0123456789abcdef:pwd`));
  assert.equal(f.key, 'd58c77eae0c1c1f37a9f545e207643c926ad9ea4932016a83a4a01029de37760'); // vector C1
});

test('websocket URL: page URL cut at the last slash, http → ws', () => {
  assert.equal(websocketUrl('https://ap.example.com/example.com/myphonekeys/innovaphone-myphonekeys.htm'), 'wss://ap.example.com/example.com/myphonekeys');
  assert.equal(websocketUrl('http://127.0.0.1:8080/d/i/innovaphone-myphonekeys.htm?name=x/y&lang=de#a/b'), 'ws://127.0.0.1:8080/d/i');
});

test('models: every product of the index resolves; filters follow the data', () => {
  const index = readJson('index.json');
  assert.deepEqual(findFamily(index, 'ip232'), { family: 'IP2x2', product: 'IP232' });
  assert.equal(findFamily(index, 'IP150').unsupported, index.unsupported.IP150);
  assert.equal(findFamily(index, 'nope'), null);
  assert.equal(findFamily(index, ''), null);
  const products = allProducts(index);
  assert.ok(products.length >= 10);
  for (const { family, product } of products) {
    const fam = readJson(`${family}.json`);
    const r = resolveModel(fam, product);
    assert.equal(r.ok, true, `${product}: ${r.error}`);
    const m = fam.models[product];
    assert.deepEqual([r.model.screen.width, r.model.screen.height], [m.screen.width, m.screen.height]);
    const fmax = m.functionKeys ?? Infinity;
    for (const k of r.model.keys) {
      const n = /^F(\d+)$/.exec(k.id);
      if (n) assert.ok(Number(n[1]) <= fmax, `${product} has ${k.id}`);
      assert.ok(!(m.omitKinds || []).includes(k.kind), `${product} has omitted kind ${k.kind}`);
    }
  }
  // Bad data is refused with a message.
  assert.equal(resolveModel(null, 'X').ok, false);
  assert.equal(resolveModel({ models: {} }, 'X').ok, false);
  assert.equal(resolveModel({ body: { width: 10, height: 10 }, screenBox: { x: 0, y: 0, width: 5, height: 5 }, models: { X: { screen: { width: 0, height: 5 } } } }, 'X').ok, false);
  const tiny = { body: { width: 10, height: 10 }, screenBox: { x: 0, y: 0, width: 5, height: 5 }, keys: [{ id: 'F1', kind: 'function', x: 0, y: 0, w: 1, h: 1 }, { id: 'F2', kind: 'function', x: 0, y: 0, w: 1, h: 1 }, { id: 'L', kind: 'line', x: 0, y: 0, w: 1, h: 1 }, { id: 'bad', kind: 'fixed', x: 'a' }], models: { X: { screen: { width: 5, height: 5 }, functionKeys: 1, omitKinds: ['line'] } } };
  assert.deepEqual(resolveModel(tiny, 'x').model.keys.map((k) => k.id), ['F1']);
});

test('models: a look merges family and model, keeps only known label modes and own decor', () => {
  const fam = { palette: { body: '#111', key: '#222' }, decor: [{ type: 'disc' }, { type: 'strip', only: ['IP112'] }, 7], labels: 'display' };
  assert.deepEqual(lookOf(fam, { palette: { key: '#333' } }, 'ip112'),
    { palette: { body: '#111', key: '#333' }, decor: [{ type: 'disc' }, { type: 'strip', only: ['IP112'] }], labels: 'display' });
  assert.deepEqual(lookOf(fam, {}, 'IP111').decor, [{ type: 'disc' }]);
  assert.equal(lookOf(fam, { labels: 'bogus' }, 'IP111').labels, 'display');
  assert.deepEqual(lookOf(null, null), { palette: {}, decor: [], labels: 'paper' });
});

test('docs/models.md lists every layout fact of the data with its status and source', () => {
  const doc = readFileSync(new URL('../../docs/models.md', import.meta.url), 'utf8');
  const sources = new Set([...doc.slice(doc.indexOf('### Sources')).matchAll(/^\| ([A-Z]+:[a-z0-9]+) \|/gm)].map((m) => m[1]));
  assert.ok(sources.size >= 10, 'the sources table');
  const STATUS = new Set(['VERIFIED', 'INFERRED', 'DESIGN DEFAULT']);
  for (const family of Object.keys(readJson('index.json').families)) {
    const facts = readJson(`${family}.json`).facts;
    assert.ok(facts && Object.keys(facts).length >= 10, `${family} has its facts`);
    const start = doc.indexOf(`### ${family} layout facts`);
    assert.ok(start > 0, `docs/models.md has a section for ${family}`);
    const section = doc.slice(start, doc.indexOf('\n### ', start + 1));
    for (const [name, f] of Object.entries(facts)) {
      assert.ok(STATUS.has(f.status), `${family}.${name}: status ${f.status}`);
      assert.ok(typeof f.what === 'string' && f.what.length > 5, `${family}.${name}: what is drawn`);
      if (f.status !== 'DESIGN DEFAULT') assert.ok(f.source, `${family}.${name}: a ${f.status} fact names its source`);
      const row = section.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      assert.ok(row, `docs/models.md lists ${family}.${name}`);
      assert.ok(row.includes(` ${f.status} `) && row.includes(f.what), `${family}.${name}: the docs row says what the data says`);
      for (const src of (f.source || '').split(/\s+/).filter(Boolean)) {
        assert.ok(row.includes(src), `${family}.${name}: source ${src} in the docs row`);
        assert.ok(sources.has(src), `${family}.${name}: source ${src} is in the sources table`);
      }
    }
  }
});

test('key states: normalised per function key; label changes are what differs from the record', () => {
  const ids = ['F1', 'F2', 'F3'];
  const st = keyStatesById([
    { id: 'F1', label: 'Alice', from: 'phone', led: 'blink', colour: 'red', operator: 'Al' },
    { id: 'F2', label: 'x'.repeat(100), from: 'bogus', led: 'disco' },
    { id: 'F9', label: 'not this model' }, null, { id: 3 },
  ], ids);
  assert.deepEqual(st, {
    F1: { label: 'Alice', from: 'phone', led: 'blink', colour: 'red', operator: 'Al' },
    F2: { label: 'x'.repeat(MAX_LABEL), from: 'operator', led: 'off' },
  });
  assert.deepEqual(keyStatesById('nonsense', ids), {});
  assert.deepEqual(labelChanges({ F1: 'Al', F2: ' Bob ', F3: '' }, st), { F2: 'Bob' });
  assert.deepEqual(labelChanges({ F1: '' }, st), { F1: '' });
});

test('keyboard: codes, modifiers and named keys', () => {
  const kb = readJson('keyboards.json');
  const qwertz = kb.layouts.qwertz.keys;
  const ids = new Set(['UP', 'OK', 'CANCEL', 'D5', 'STAR']);
  assert.deepEqual(mapKeyEvent({ code: 'KeyY' }, qwertz, ids), { type: 'type', entry: { code: 'KeyY' }, char: 'z' });
  assert.deepEqual(mapKeyEvent({ code: 'KeyA', shiftKey: true }, qwertz, ids), { type: 'type', entry: { code: 'KeyA', shift: true }, char: 'A' });
  const q = mapKeyEvent({ code: 'KeyQ', ctrlKey: true, altKey: true }, qwertz, ids);
  assert.deepEqual(q, { type: 'type', entry: { code: 'KeyQ', altgr: true }, char: '@' });
  assert.equal(mapKeyEvent({ code: 'KeyC', ctrlKey: true }, qwertz, ids), null, 'Ctrl+C stays with the browser');
  assert.equal(mapKeyEvent({ code: 'KeyC', metaKey: true }, qwertz, ids), null);
  assert.deepEqual(mapKeyEvent({ code: 'ArrowUp' }, qwertz, ids), { type: 'key', id: 'UP' });
  assert.deepEqual(mapKeyEvent({ code: 'Numpad5' }, qwertz, ids), { type: 'key', id: 'D5' });
  assert.equal(mapKeyEvent({ code: 'ArrowDown' }, qwertz, ids), null, 'no DOWN key on this model');
  assert.equal(mapKeyEvent({ code: 'F5' }, qwertz, ids), null);
  assert.equal(mapKeyEvent({ code: 'KeyA', ctrlKey: true, altKey: true }, qwertz, ids), null, 'no AltGr character');
  assert.equal(defaultLayout('de-AT'), 'qwertz');
  assert.equal(defaultLayout('fr'), 'azerty');
  assert.equal(defaultLayout('en-GB'), 'qwerty');
});

test('keyboard: typed keys are sent in batches', () => {
  const sent = [];
  const b = new TypingBuffer((k) => sent.push(k), { delayMs: 1e6, maxKeys: 3 });
  b.push({ code: 'KeyA' }); b.push({ code: 'KeyB' });
  assert.equal(sent.length, 0);
  b.push({ code: 'KeyC' });
  assert.deepEqual(sent, [[{ code: 'KeyA' }, { code: 'KeyB' }, { code: 'KeyC' }]]);
  b.push({ code: 'KeyD' }); b.flush();
  assert.deepEqual(sent[1], [{ code: 'KeyD' }]);
  b.flush();
  assert.equal(sent.length, 2);
  b.clear();
});

test('device list: query and live changes', () => {
  assert.deepEqual(buildQuery({ domain: '', online: 'all', search: '  ', offset: 0 }), { mt: 'QueryDevices', offset: 0, limit: PAGE_SIZE, subscribe: true });
  assert.deepEqual(buildQuery({ domain: 'l1:d', online: 'offline', search: ' ip2 ', offset: 50 }, { resumeFrom: 17 }),
    { mt: 'QueryDevices', offset: 50, limit: PAGE_SIZE, subscribe: true, domain: 'l1:d', online: false, search: 'ip2', resumeFrom: 17 });
  assert.equal(buildQuery({ online: 'online' }).online, true);

  const page = { devices: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], total: 2, offset: 0 };
  let r = applyChanges(page, { changed: [{ id: 'b', name: 'B2' }, { id: 'zz', name: 'elsewhere' }] });
  assert.deepEqual(r.devices.map((d) => d.name), ['A', 'B2']);
  assert.equal(r.total, 2);
  assert.equal(r.structural, false);
  r = applyChanges(page, { removed: ['a'], added: [{ id: 'c' }] });
  assert.deepEqual(r.devices.map((d) => d.id), ['b', 'c']);
  assert.equal(r.total, 2);
  assert.equal(r.structural, true);
  // A full page does not grow; the total does.
  const full = { devices: Array.from({ length: PAGE_SIZE }, (_, i) => ({ id: `d${i}` })), total: 120, offset: 0 };
  r = applyChanges(full, { added: [{ id: 'new' }] });
  assert.equal(r.devices.length, PAGE_SIZE);
  assert.equal(r.total, 121);
  // Garbage is ignored.
  r = applyChanges(page, { added: 'x', removed: null, changed: [null] });
  assert.deepEqual(r.devices, page.devices);
});

test('device list: a merged DevicesChanged (seq, from) applies like the changes one by one', () => {
  const page = { devices: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }, { id: 'c', name: 'C' }], total: 3, offset: 0 };
  // Merged by the gateway: a renamed twice (changed, newest name), b removed after a rename
  // (removed), c removed and added again (changed), n added then renamed (added, newest name).
  const merged = { mt: 'DevicesChanged', seq: 9, from: 5, added: [{ id: 'n', name: 'N2' }],
    changed: [{ id: 'a', name: 'A3' }, { id: 'c', name: 'C2' }], removed: ['b'] };
  const r = applyChanges(page, merged);
  assert.deepEqual(r.devices.map((d) => `${d.id}=${d.name}`), ['a=A3', 'c=C2', 'n=N2']);
  assert.equal(r.total, 3);
  assert.equal(r.structural, true);
});

test('long press hold time and registration states', () => {
  assert.equal(holdFor(0), undefined);
  assert.equal(holdFor(599), undefined);
  assert.equal(holdFor(600), 600);
  assert.equal(holdFor(12345), 10000);
  assert.equal(holdFor(NaN), undefined);
  assert.equal(regState({ state: 'registered' }), 'registered');
  assert.equal(regState({ state: 'disabled' }), 'disabled');
  assert.equal(regState({ state: 'weird' }), 'failed');
  assert.equal(regState(null), 'failed');
});

test('device list: a resumed page keeps our seq so the missed changes that follow apply', () => {
  // We had seen seq 17; the gateway resumes at its current seq 20 and sends 18..20 after the page.
  assert.equal(seqAfterPage(17, { mt: 'QueryDevicesResult', seq: 20, resumed: true, devices: [] }, true), 17);
  // Not resumed (events lost): a fresh page, start from its seq.
  assert.equal(seqAfterPage(17, { mt: 'QueryDevicesResult', seq: 20, resumed: false, devices: [] }, true), 20);
  // A plain query (no resume) takes the page's seq; a page without seq keeps what we had.
  assert.equal(seqAfterPage(null, { mt: 'QueryDevicesResult', seq: 5 }, false), 5);
  assert.equal(seqAfterPage(9, { mt: 'QueryDevicesResult' }, false), 9);
});
