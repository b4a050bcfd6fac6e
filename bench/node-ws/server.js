// The reference an app-service author would otherwise write: a minimal broadcaster on the npm
// `ws` package. Every message POSTed to /event is sent to every connected websocket client as it
// is, one send per client. Prints `ready port=<n>` (port 0 = any free port) and exits when its
// stdin closes (the benchmark driver's pipe).
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/event') {
    res.writeHead(404);
    res.end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const msg = Buffer.concat(chunks).toString('utf8');
    for (const client of wss.clients) if (client.readyState === 1) client.send(msg);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (ws) => ws.on('error', () => {}));
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  process.stdout.write(`ready port=${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
