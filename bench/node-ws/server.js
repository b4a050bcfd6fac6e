// The reference an app-service author would otherwise write: a minimal broadcaster on the npm
// `ws` package, one send per client and message. Prints `ready port=<n>` (port 0 = any free
// port) and exits when its stdin closes (the benchmark driver's pipe).
//
//   node server.js <port>
//       Every message POSTed to /event is sent to every client as it is (no source path: the
//       lower bound of a broadcaster).
//   node server.js <port> --devices-api=<ws url> --domain=<instance domain> --password=<pw>
//       The same fan-out as the product's: it logs in to the Devices instance as an App Service
//       (AppChallenge, AppLogin with the instance password's digest), asks for the devices with
//       recvUpdates, and sends every pushed device to every client as one DevicesChanged.
//       `ready` comes once the initial list is through.
'use strict';
const crypto = require('crypto');
const http = require('http');
const { WebSocket, WebSocketServer } = require('ws');

const option = (name) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : '';
};

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/event') {
    res.writeHead(404);
    res.end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    broadcast(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (ws) => ws.on('error', () => {}));

function broadcast(msg) {
  for (const client of wss.clients) if (client.readyState === 1) client.send(msg);
}

function listen() {
  server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
    process.stdout.write(`ready port=${server.address().port}\n`);
  });
}

// The App Service login of the AppWebsocket protocol (docs/spec/appwebsocket.md): the digest is
// SHA-256 over app:domain:sip:guid:dn:challenge:password (no info).
function subscribeToDevices(url, domain, password) {
  const login = { app: 'devices-api', domain, sip: 'nodebench', guid: '3b7e5a2c-0000-4000-8000-00000000b0de', dn: 'Node bench' };
  const api = new WebSocket(url, { perMessageDeflate: false });
  let listening = false;
  api.on('open', () => api.send(JSON.stringify({ mt: 'AppChallenge', src: 'c' })));
  api.on('message', (data) => {
    const m = JSON.parse(data.toString('utf8'));
    if (m.mt === 'AppChallengeResult') {
      const text = [login.app, login.domain, login.sip, login.guid, login.dn, m.challenge, password].join(':');
      const digest = crypto.createHash('sha256').update(text).digest('hex');
      api.send(JSON.stringify({ mt: 'AppLogin', ...login, digest, src: 'l' }));
    } else if (m.mt === 'AppLoginResult') {
      if (!m.ok) fail(`login refused: ${m.errorText || m.error}`);
      api.send(JSON.stringify({ mt: 'GetDevices', recvUpdates: true, src: 'd' }));
    } else if (m.mt === 'GetDevicesResult') {
      if (m.error) fail(`GetDevices: ${m.error}`);
      if (m.last && !listening) {
        listening = true;
        listen();
      }
    } else if (m.mt === 'DeviceUpdate' || m.mt === 'DeviceAdded') {
      broadcast(JSON.stringify({ mt: 'DevicesChanged', src: 'list', added: [], changed: [m.device], removed: [] }));
    }
  });
  api.on('error', (e) => fail(`devices-api: ${e.message}`));
  api.on('close', () => fail('devices-api closed'));
}

function fail(why) {
  process.stderr.write(`${why}\n`);
  process.exit(1);
}

const devicesApi = option('devices-api');
if (devicesApi) subscribeToDevices(devicesApi, option('domain'), option('password'));
else listen();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
