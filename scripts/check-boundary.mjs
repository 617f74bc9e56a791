// Enforces the architecture's one-way flow: the simulation core (src/sim) stays pure — no
// React, d3, Monaco, DOM-only libraries or app/worker/cli code — so the same code runs in
// the worker, the CLI and the tests. Fails with the offending import's file and line.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const FORBIDDEN = [/^react(-dom)?(\/|$)/, /^d3(-|\/|$)/, /^monaco-/, /^@monaco-editor\//, /^zustand(\/|$)/, /^comlink$/, /^node:/, /(^|\/)app\//, /(^|\/)worker\//, /(^|\/)cli\//];
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts)$/.test(name)) yield p;
  }
}

const problems = [];
for (const file of files(path.join(root, 'src/sim'))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const resolved = spec.startsWith('.') ? path.relative(path.join(root, 'src'), path.resolve(path.dirname(file), spec)) : spec;
    if (FORBIDDEN.some((re) => re.test(spec.startsWith('.') ? resolved : spec))) {
      const line = text.slice(0, m.index).split('\n').length;
      problems.push(`${path.relative(root, file)}:${line}: src/sim must not import "${spec}"`);
    }
  }
  if (/\b(document|window|localStorage)\./.test(text.replace(/\/\/.*$/gm, ''))) problems.push(`${path.relative(root, file)}: src/sim must not touch the DOM`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('boundary ok: src/sim imports nothing from the UI, worker, CLI, DOM or Node');
