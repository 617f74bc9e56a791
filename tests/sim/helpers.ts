// Test helpers: load course manifests and cluster presets the way the CLI does.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Simulation, type LoadOptions, type SourceFile } from '../../src/sim/index';
import type { Where } from '../../src/sim/shell/types';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function course(name: string): SourceFile {
  const file = readdirMatch(path.join(root, 'src/sim/examples/course'), name);
  return { name: path.basename(file), text: readFileSync(file, 'utf8') };
}

export function cluster(name: string): SourceFile {
  const file = path.join(root, 'src/sim/examples/clusters', `${name}.yaml`);
  return { name: path.basename(file), text: readFileSync(file, 'utf8') };
}

export function yamlFile(name: string, text: string): SourceFile {
  return { name, text };
}

function readdirMatch(dir: string, prefix: string): string {
  const hit = readdirSync(dir).find((f) => f.startsWith(prefix));
  if (!hit) throw new Error(`no course manifest starting with ${prefix}`);
  return path.join(dir, hit);
}

export function load(files: SourceFile[], options?: LoadOptions): Simulation {
  return Simulation.load(files, options);
}

/** Runs commands and renders a transcript: `$ cmd` then what it printed. */
export function transcript(sim: Simulation, commands: string[]): string {
  return commands.map((c) => {
    const r = sim.exec(c);
    return `$ ${c}\n${r.stdout}${r.stderr ? `[stderr]\n${r.stderr}` : ''}${r.exitCode ? `[exit ${r.exitCode}]\n` : ''}`;
  }).join('\n');
}

export const GOLDEN = path.join(root, 'tests/golden');

/** Runs commands, each where given (a node or a pod; the control plane by default), as a transcript: `[where]$ cmd` then what it printed. */
export function transcriptAt(sim: Simulation, commands: [string, Where?][]): string {
  return commands.map(([c, where]) => {
    const r = sim.exec(c, where);
    const at = where?.kind === 'pod' ? `${where.namespace}/${where.pod}` : where?.node ?? 'master';
    return `[${at}]$ ${c}\n${r.stdout}${r.stderr ? `[stderr]\n${r.stderr}` : ''}${r.exitCode ? `[exit ${r.exitCode}]\n` : ''}`;
  }).join('\n');
}
