// Starts the real product with the simulator beside it (`mpk-demo`: gateway, registry, phone
// sessions and the simulator in one process) on free ports as a child process, and talks to the simulator's
// control interface. One process per test file; `stop()` ends it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The build folder: MPK_BUILD_DIR, else the repository's build/. */
export function buildDir() {
  return path.resolve(here, process.env.MPK_BUILD_DIR ?? '../../build');
}

/** Path of the demo binary (the product with the simulator); throws a clear error when it was not built. */
export function productBinary() {
  const bin = path.join(buildDir(), 'sim', 'demo', 'mpk-demo');
  if (!existsSync(bin)) {
    throw new Error(`mpk-demo not found at ${bin}: build the target mpk-demo first and set ` +
      'MPK_BUILD_DIR to the build folder (the end-to-end browser tests need the real product)');
  }
  return bin;
}

/**
 * Start `mpk-demo` with both ports chosen by the system.
 * @param {string[]} extraArgs more `--name=value` options
 * @param {{linksUp?:boolean}} opts linksUp=false: ready without a devices-api link up (an untrusted one)
 * @returns {Promise<{gatewayUrl:string, simUrl:string, caFile:string|null, work:string, shellUrl:(pbx:string,user:string)=>string,
 *   control:(method:string, pathAndQuery:string, body?:object)=>Promise<any>, output:()=>string,
 *   stop:()=>Promise<void>}>}
 */
export async function startProduct(extraArgs = [], { linksUp = true } = {}) {
  const bin = productBinary();
  const work = mkdtempSync(path.join(tmpdir(), 'mpk-e2e-'));
  const args = ['--gateway.port=0', '--sim.port=0', '--gateway.host=127.0.0.1', '--sim.host=127.0.0.1',
    `--phone.audit-path=${path.join(work, 'audit.jsonl')}`, ...extraArgs];
  const child = spawn(bin, args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, sig })));
  let gone = false;
  exited.then(() => { gone = true; });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });

  const stop = async () => {
    if (!gone) {
      child.kill('SIGTERM');
      const t = setTimeout(() => { if (!gone) child.kill('SIGKILL'); }, 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(work, { recursive: true, force: true });
  };

  // The demo prints the shell URL (simulator port) and the app URL (gateway port).
  const deadline = Date.now() + 20000;
  let sim = null; let gw = null;
  while (Date.now() < deadline && !gone) {
    sim = /Open (https?:\/\/127\.0\.0\.1:\d+)\/shell\//.exec(out);
    gw = /(https?:\/\/127\.0\.0\.1:\d+)\/tenant1\.example\.com\/myphonekeys\//.exec(out);
    if (sim && gw) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!sim || !gw) {
    await stop();
    throw new Error(`mpk-demo did not print its URLs:\n${out.slice(-3000)}`);
  }
  const simUrl = sim[1];
  const gatewayUrl = gw[1];
  // With --sim.tls=true the demo names its CA; the control interface stays plain http on the same port.
  const caFile = /from the demo CA (\S+)\. /.exec(out)?.[1] ?? null;
  const controlUrl = simUrl.replace(/^https:/, 'http:');

  const control = async (method, pathAndQuery, body) => {
    const r = await fetch(controlUrl + pathAndQuery, {
      method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    let json;
    try { json = JSON.parse(text); } catch (_) { throw new Error(`control ${pathAndQuery}: ${r.status} ${text}`); }
    if (!r.ok) throw new Error(`control ${pathAndQuery}: ${r.status} ${text}`);
    return json;
  };

  // Wait until every PBX is linked and the live phones are connected.
  const ready = Date.now() + 20000;
  for (;;) {
    const st = await control('GET', '/control/state');
    const pbxUp = Array.isArray(st.links) && st.links.length > 0 && st.links.every((l) => l.state === 'logged-in');
    const phonesUp = !st.livePhones || st.livePhones.connected === st.livePhones.total;
    if (pbxUp && phonesUp && (!linksUp || /devices_link .*: up/.test(out))) break;
    if (Date.now() > ready || gone) {
      await stop();
      throw new Error(`the demo did not become ready:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    gatewayUrl,
    simUrl,
    caFile,
    work,
    shellUrl: (pbx, user) => `${simUrl}/shell/?${new URLSearchParams({ pbx, user })}`,
    control,
    output: () => out,
    stop,
  };
}

/**
 * The product (startProduct) with the simulator's view of one tenant: `domainId`, `devices` (the
 * simulator's list), `livePhones` (hwIds of the connected live phones); `livePhone(model)` is a live
 * phone of that model in the tenant, `appId(dev)` the app's id of a simulator device,
 * `counters(hwId)` what the simulated phone counted.
 */
export async function startDemo(extraArgs = [], tenant = 'tenant1.example.com') {
  const product = await startProduct(extraArgs);
  const domains = await product.control('GET', '/control/domains');
  const domainId = domains.find((d) => d.name === tenant).id;
  const st = await product.control('GET', '/control/state');
  const livePhones = new Set(st.livePhones.phones.filter((p) => p.connected).map((p) => p.hwId));
  const devices = await product.control('GET', '/control/devices');
  return {
    product, tenant, domainId, devices, livePhones,
    livePhone: (model) => devices.find((d) => d.domainId === domainId && d.product === model && livePhones.has(d.hwId)),
    appId: (d) => `${tenant}/devices-api:${d.id}`,
    counters: (hwId) => product.control('GET', `/control/counters?hwId=${hwId}`),
  };
}

/** The standalone page of `tenant` at `gatewayUrl`, logged in with the operator's password; resolves once connected. */
export async function loginAsOperator(page, gatewayUrl, password, { tenant = 'tenant1.example.com', timeout = 30000 } = {}) {
  await page.goto(`${gatewayUrl}/${tenant}/myphonekeys/innovaphone-myphonekeys.htm`);
  await page.waitForSelector('#login-name', { timeout });
  await page.fill('#login-name', 'admin');
  await page.fill('#login-password', password);
  await page.click('.login-form button[type="submit"]');
  await page.waitForSelector('#conn-state[data-phase="connected"]', { timeout });
}

/** Calls `fn` every 100 ms until it returns something truthy (that is returned); fails after `ms`. */
export async function pollUntil(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const WAIT = { timeout: 30000 };

/**
 * A browser context on the simulator's myApps shell as `user`, the app logged in and its device
 * list shown: {context, page, app (the app's frame), errors (page errors)}.
 */
export async function openAppShell(browser, demo, { viewport = { width: 1400, height: 1000 }, hasTouch = false, user = 'admin1' } = {}) {
  const context = await browser.newContext({ viewport, hasTouch, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(demo.product.shellUrl(demo.tenant, user));
  const app = await (await page.waitForSelector('#app')).contentFrame();
  await app.waitForSelector('#conn-state[data-phase="connected"]', WAIT);
  await app.waitForSelector('button.device', WAIT);
  return { context, page, app, errors };
}

/** Searches the list for `dev` (by MAC) until it is the only row; returns the row's selector. */
export async function findRow(app, demo, dev) {
  await app.fill('#dl-search', dev.hwId);
  await app.waitForFunction((id) => {
    const rows = [...document.querySelectorAll('button.device')];
    return rows.length === 1 && rows[0].dataset.device === id;
  }, demo.appId(dev), WAIT);
  return `button.device[data-device="${demo.appId(dev)}"]`;
}
