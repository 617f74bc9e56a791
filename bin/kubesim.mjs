#!/usr/bin/env node
// Entry point of the `kubesim` CLI. The TypeScript source (src/cli) is bundled into
// dist-cli/kubesim.mjs by `npm run build:cli`, which `npm install` runs via `prepare`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist-cli/kubesim.mjs', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('kubesim: the CLI is not built yet; run `npm run build:cli` (npm install does it for you).\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(built).href);
process.exitCode = await main(process.argv.slice(2));
