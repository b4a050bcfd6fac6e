// The split deployment as real processes on 127.0.0.1 (the topology of deploy/run-local.sh):
// mpk-registry, mpk-phone-session, mpk-gateway and mpk-sim, each a child process that a test
// can kill -9 and start again on the same port.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDir } from './product.mjs';

const APP_PASSWORD = 'split-app-secret';
export const OPERATOR_PASSWORD = 'split-operator-secret';

function binary(...rel) {
  const p = path.join(buildDir(), ...rel);
  if (!existsSync(p)) throw new Error(`${p} not found: build the split binaries first`);
  return p;
}

/** A port nobody listens on right now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** A child process with its output kept; `waitFor(re)` resolves with the first match in it. */
function child(bin, args, env = {}) {
  const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const c = { p, out: '', gone: false };
  c.exited = new Promise((resolve) => p.once('exit', () => { c.gone = true; resolve(); }));
  for (const s of [p.stdout, p.stderr]) { s.setEncoding('utf8'); s.on('data', (d) => { c.out += d; }); }
  c.waitFor = async (re, ms = 20000) => {
    const end = Date.now() + ms;
    for (;;) {
      const m = re.exec(c.out);
      if (m) return m;
      if (c.gone || Date.now() > end) throw new Error(`${path.basename(bin)}: no ${re} in:\n${c.out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  c.kill = async (signal = 'SIGTERM') => { if (!c.gone) { p.kill(signal); await c.exited; } };
  return c;
}

/**
 * Starts the four processes; returns the gateway and simulator URLs, `restart(name)` / `kill(name)`
 * for 'registry' and 'phones', and `stop()`.
 */
export async function startSplit() {
  const work = mkdtempSync(path.join(tmpdir(), 'mpk-split-'));
  const registryPort = await freePort();
  const phonesPort = await freePort();
  const procs = {};
  const start = {
    registry: () => child(binary('services', 'registry-main', 'mpk-registry'), [`--node.port=${registryPort}`]),
    phones: () => child(binary('services', 'phone-session-main', 'mpk-phone-session'), [
      `--node.port=${phonesPort}`, `--node.registry=127.0.0.1:${registryPort}`,
      `--phone.audit-path=${path.join(work, 'audit.jsonl')}`, `--phone.key-labels-path=${path.join(work, 'labels.json')}`]),
  };
  const stop = async () => {
    for (const c of Object.values(procs)) await c.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  };
  try {
    procs.registry = start.registry();
    procs.phones = start.phones();
    procs.gateway = child(binary('services', 'gateway-main', 'mpk-gateway'), [
      '--gateway.port=0', `--node.registry=127.0.0.1:${registryPort}`, `--node.phones=127.0.0.1:${phonesPort}`],
    { MPK_GATEWAY_PASSWORD: APP_PASSWORD, MPK_GATEWAY_OPERATOR_PASSWORD: OPERATOR_PASSWORD });
    const gatewayUrl = (await procs.gateway.waitFor(/myPhoneKeys gateway on (http:\/\/127\.0\.0\.1:\d+)\//))[1];
    const ws = gatewayUrl.replace('http', 'ws');
    procs.sim = child(binary('sim', 'app', 'mpk-sim'), ['--port=0', '--tenants=1', '--devices=60', '--domains=2',
      '--live-phones=4', `--product-url=${ws}/{system}/myphonekeys`,
      `--app-url=${gatewayUrl}/{system}/myphonekeys/innovaphone-myphonekeys`], { MPK_APP_PASSWORD: APP_PASSWORD });
    const simUrl = (await procs.sim.waitFor(/(http:\/\/127\.0\.0\.1:\d+)\/shell\//))[1];
    await procs.gateway.waitFor(/devices-api|ServicesInfo/);
    return {
      gatewayUrl,
      simUrl,
      output: (name) => procs[name].out,
      kill: async (name) => { await procs[name].kill('SIGKILL'); },
      restart: (name) => { procs[name] = start[name](); },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
