// Serves the built playground (www/dist/) on 127.0.0.1 with the MIME types a module page and
// streaming wasm compilation need, a strict Content-Security-Policy, and compression for clients
// that ask: the build's brotli or gzip copies (FILE.br, FILE.gz), else gzip made here once per
// file version (the wasm is most of the transfer). Run: node scripts/serve-www.mjs [--port N]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.arch': 'text/plain; charset=utf-8',
  '.barter': 'text/plain; charset=utf-8',
  '.zip': 'application/zip',
  '.whl': 'application/zip',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// No inline scripts or eval: 'wasm-unsafe-eval' lets the engine compile its wasm, blob: lets a
// Worker import the strategy module the editor wrote (never eval'd). Styles only from files
// (lightweight-charts sets styles through the CSSOM, which style-src does not restrict).
export const CSP = [
  "default-src 'self'",
  "script-src 'self' blob: 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Starts the server; resolves to the node:http server once it listens. `csp: null` leaves the
 * Content-Security-Policy out (the JupyterLite site's test serves a site built by others).
 */
export function serveWww({ root = fileURLToPath(new URL('../www/dist/', import.meta.url)), port = 8765, host = '127.0.0.1', csp = CSP } = {}) {
  const gzipped = new Map(); // path -> gzip bytes, computed once per file version (mtime)
  const server = createServer(async (req, res) => {
    const headers = {
      ...(csp ? { 'content-security-policy': csp } : {}),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-cache',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    let path;
    try {
      path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = join(root, path);
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) {
      res.writeHead(403, headers).end();
      return;
    }
    try {
      const info = await stat(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      let body = await readFile(file);
      headers['content-type'] = type;
      const accepts = req.headers['accept-encoding'] ?? '';
      const copy = async (ext) => {
        try {
          return (await stat(file + ext)).mtimeMs >= info.mtimeMs ? await readFile(file + ext) : null;
        } catch {
          return null;
        }
      };
      const br = /\bbr\b/.test(accepts) ? await copy('.br') : null;
      const gz = !br && /\bgzip\b/.test(accepts) ? await copy('.gz') : null;
      if (br) {
        body = br;
        headers['content-encoding'] = 'br';
      } else if (gz) {
        body = gz;
        headers['content-encoding'] = 'gzip';
      } else if (/\bgzip\b/.test(accepts) && body.length > 1024 && !/^(image\/png|application\/zip)/.test(type)) {
        const key = `${file}:${info.mtimeMs}`;
        if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
        body = gzipped.get(key);
        headers['content-encoding'] = 'gzip';
      }
      headers.vary = 'accept-encoding';
      headers['content-length'] = body.length;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      headers['content-type'] = 'text/plain; charset=utf-8';
      res.writeHead(404, headers).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(arg('--port') ?? process.env.PORT ?? 8765);
  // --root DIR serves another built site (e.g. jupyterlite/dist/); --no-csp leaves the CSP out.
  const options = { ...(arg('--root') ? { root: resolve(arg('--root')) + sep } : {}), ...(process.argv.includes('--no-csp') ? { csp: null } : {}) };
  let server;
  try {
    server = await serveWww({ port, ...options });
  } catch (e) {
    // The usual port may be taken (a second run): any free port is as good.
    if (e.code !== 'EADDRINUSE') throw e;
    server = await serveWww({ port: 0, ...options });
  }
  const { port: p } = server.address();
  console.log(`${options.root ? options.root : 'Tidemark playground'}: http://127.0.0.1:${p}/  (Ctrl-C stops it)`);
  process.on('SIGINT', () => server.close(() => process.exit(0)));
}
