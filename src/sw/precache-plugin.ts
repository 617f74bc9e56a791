// A small Vite plugin: after the build has written dist/, it lists every file there (the
// hashed assets, the workers, the lessons' chunks, index.html, what public/ copied) and writes
// dist/sw.js — the service worker of src/sw/sw.template.js with that list and the build's
// hash filled in. The paths are relative, so the app can be hosted in any sub-folder.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

export const SW_FILE = 'sw.js';

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Which built files the service worker keeps: all but itself, source maps and OS litter. */
export function precacheable(file: string): boolean {
  return file !== SW_FILE && !file.endsWith('.map') && !/(^|\/)(\.DS_Store|Thumbs\.db)$/.test(file);
}

/** The service worker's source for `files` of a build whose contents hash to `build`. */
export function serviceWorkerSource(template: string, files: string[], build: string): string {
  if (!template.includes('self.__KUBESIM_FILES__') || !template.includes('self.__KUBESIM_BUILD__')) throw new Error('sw.template.js lost its placeholders');
  return template
    .replace('self.__KUBESIM_BUILD__', JSON.stringify(build))
    .replace('self.__KUBESIM_FILES__', JSON.stringify(files, null, 0));
}

export function precachePlugin(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'kubesim-precache',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    closeBundle() {
      if (config.build.ssr || config.build.lib || config.build.write === false) return;
      const out = resolve(config.root, config.build.outDir);
      const files = listFiles(out).filter(precacheable);
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update('\0').update(readFileSync(join(out, f))).update('\0');
      const template = readFileSync(resolve(config.root, 'src/sw/sw.template.js'), 'utf8');
      writeFileSync(join(out, SW_FILE), serviceWorkerSource(template, files, hash.digest('hex').slice(0, 20)));
    },
  };
}
