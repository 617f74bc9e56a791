#!/usr/bin/env node
// Serves the built app (dist/) on http://127.0.0.1:<port> with no dependencies.
//   node scripts/serve-dist.mjs [--port 4173] [--host 127.0.0.1] [--dir dist] [--quiet]
// --port 0 picks a random free port. Build first with `npm run build` (or `npx vite build`).
import { existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { port: 4173, host: '127.0.0.1', dir: resolve(repo, 'dist'), quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/serve-dist.mjs [--port 4173] [--host 127.0.0.1] [--dir dist] [--quiet]');
      process.exit(0);
    } else if (a.startsWith('--port')) opts.port = Number(value());
    else if (a.startsWith('--host')) opts.host = value();
    else if (a.startsWith('--dir')) opts.dir = resolve(value());
    else if (a === '--quiet' || a === '-q') opts.quiet = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`bad --port: ${opts.port}`);
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`serve-dist: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
}
if (!existsSync(resolve(opts.dir, 'index.html'))) {
  console.error(`serve-dist: ${resolve(opts.dir, 'index.html')} is missing; run \`npm run build\` first.`);
  process.exit(1);
}

const server = await startStaticServer({
  root: opts.dir,
  host: opts.host,
  port: opts.port,
  log: opts.quiet ? undefined : (line) => console.log(line),
}).catch((e) => {
  console.error(`serve-dist: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
console.log(`KubeSim: serving ${opts.dir} at ${server.url}/  (Ctrl+C to stop)`);

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    void server.close().then(() => process.exit(0));
  });
}
