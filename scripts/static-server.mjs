// A tiny static file server for the built app (dist/): node:http only, no dependencies.
// Used by `scripts/serve-dist.mjs` and by the browser smoke test (tests/e2e/browser.ts).
// It serves files under one root, maps `/` and directory paths to index.html, refuses
// anything outside the root, and sends the MIME types a module-script app needs.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/** @type {Readonly<Record<string, string>>} */
export const MIME_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
});

/** @param {string} file */
export function mimeType(file) {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Starts serving `root` on `host:port` (port 0 = a random free port).
 * @param {{ root: string, host?: string, port?: number, log?: (line: string) => void }} options
 * @returns {Promise<{ url: string, port: number, host: string, close: () => Promise<void> }>}
 */
export async function startStaticServer({ root, host = '127.0.0.1', port = 0, log }) {
  const base = resolve(root);
  const info = await stat(base).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`static-server: ${base} is not a directory`);

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const done = (/** @type {number} */ status) => log?.(`${status} ${method} ${req.url ?? ''}`);
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('405 method not allowed\n');
      done(405);
      return;
    }
    void (async () => {
      /** @type {string} */
      let path;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      } catch {
        path = '\0';
      }
      let file = resolve(join(base, path));
      if (path.includes('\0') || (file !== base && !file.startsWith(base + sep))) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('400 bad path\n');
        done(400);
        return;
      }
      let st = await stat(file).catch(() => null);
      if (st?.isDirectory()) {
        file = join(file, 'index.html');
        st = await stat(file).catch(() => null);
      }
      if (!st?.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('404 not found\n');
        done(404);
        return;
      }
      res.writeHead(200, {
        'content-type': mimeType(file),
        'content-length': String(st.size),
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      if (method === 'HEAD') {
        res.end();
        done(200);
        return;
      }
      const stream = createReadStream(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      done(200);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('500 internal error\n');
      done(500);
    });
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok(undefined);
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostInUrl}:${actualPort}`,
    port: actualPort,
    host,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok(undefined));
      }),
  };
}
