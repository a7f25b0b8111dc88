// Serves playground/dist (static files only: the page computes everything itself)
// on 127.0.0.1 and prints the address.
//
//   node playground/serve.mjs [--port 8077] [--host 127.0.0.1]    (--port 0: any free port)
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const explicit = process.argv.includes('--port') || process.env.PORT !== undefined;
const port = Number(arg('--port', process.env.PORT ?? '8077'));
const host = arg('--host', '127.0.0.1');

if (!existsSync(join(root, 'index.html'))) {
  console.error('playground/dist is empty: build it first with `npm run playground:build`');
  process.exit(1);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
});

server.on('error', (err) => {
  // The default port is taken (another playground?): any free one will do, the address is printed.
  if (err.code === 'EADDRINUSE' && !explicit && server.listening === false) {
    server.listen(0, host);
    return;
  }
  console.error(`playground server: ${err.message}`);
  process.exit(1);
});
server.on('listening', () => {
  const a = server.address();
  const shown = typeof a === 'object' && a !== null ? `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/` : String(a);
  console.log(`tcpwire playground: ${shown}`);
});
server.listen(port, host);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
