// A tiny static file server for the browser tests: serves the web app and the model data under
// an instance path, the way the gateway lays them out:
//   <prefix>innovaphone-myphonekeys.htm|png|svg  ← web/
//   <prefix>app/<file>                           ← web/app/
//   <prefix>models/<file>.json                   ← common/models/data/
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export const WEB = path.join(REPO, 'web');
export const MODELS = path.join(REPO, 'common', 'models', 'data');

const TYPES = {
  '.htm': 'text/html; charset=utf-8', '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** Resolve `rel` inside `root`, or null if it would leave it. */
function inside(root, rel) {
  const p = path.resolve(root, '.' + path.sep + rel);
  return p === root || p.startsWith(root + path.sep) ? p : null;
}

/**
 * Start the server on 127.0.0.1 (random port). Returns {url, origin, prefix, server, close()}
 * where `url` is the instance URL ending in `/`. `handle(req, res, url)` may answer extra
 * routes first (return true when it did).
 */
export async function startStaticServer({ prefix = '/example.com/myphonekeys/', handle } = {}) {
  const server = http.createServer(async (req, res) => {
    try {
      const u = new URL(req.url, 'http://x');
      if (handle && await handle(req, res, u)) return;
      let p = decodeURIComponent(u.pathname);
      if (!p.startsWith(prefix)) { res.writeHead(404).end('not found'); return; }
      p = p.slice(prefix.length);
      let file = null;
      if (p.startsWith('app/')) file = inside(path.join(WEB, 'app'), p.slice(4));
      else if (p.startsWith('models/')) file = inside(MODELS, p.slice(7));
      else if (/^innovaphone-myphonekeys\.(htm|png|svg)$/.test(p)) file = path.join(WEB, p);
      if (!file) { res.writeHead(404).end('not found'); return; }
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch (_) {
      if (!res.headersSent) res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    origin: `http://127.0.0.1:${port}`,
    prefix,
    server,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}
