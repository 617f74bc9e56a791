// The fast path must give exactly js-yaml's result, or give up.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFastDocument } from '../../src/sim/yaml/fast';
import { deploymentsAndServices, servicesWithEndpoints } from '../bench/scenarios';

const SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [(yaml as unknown as { types: { merge: yaml.Type } }).types.merge] });
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/sim/examples');

function docsOf(text: string): string[] {
  return text.split(/^---[^\n]*\n/m);
}

function agree(doc: string): 'fast' | 'fallback' {
  const fast = parseFastDocument(doc, 0, doc.length);
  if (fast === undefined) return 'fallback';
  let slow: unknown;
  try { slow = yaml.load(doc, { schema: SCHEMA }) ?? null; } catch (e) { throw new Error(`fast path accepted what js-yaml refuses:\n${doc}\n${e}`); }
  expect(fast).toEqual(slow);
  return 'fast';
}

describe('YAML fast path', () => {
  it('agrees with js-yaml on every course manifest and preset', () => {
    let fast = 0;
    for (const sub of ['course', 'clusters']) {
      for (const f of readdirSync(path.join(dir, sub))) for (const d of docsOf(readFileSync(path.join(dir, sub, f), 'utf8'))) if (agree(d) === 'fast') fast++;
    }
    expect(fast).toBeGreaterThan(40);
  });

  it('takes the scale dumps entirely', () => {
    for (const text of [deploymentsAndServices(50, 2), servicesWithEndpoints(50, 8)]) {
      for (const d of docsOf(text)) expect(agree(d)).toBe('fast');
    }
  });

  it('agrees or gives up on arbitrary input', () => {
    const pieces = fc.constantFrom('a: 1', 'b: "x: y"', "c: 'it''s'", 'd: 10.96.0.10', 'e: 08', 'f: 0x1F', 'g: 1e3', 'h: .5', 'i: ~', 'j: True', 'k: yes',
      '- x', '- y: 1', '  z: 2', 'l:', '  - m', '  n: 3', 'o: [1, 2]', 'p: {q: 1}', 'r: |', '  text', 's: &a 1', 't: *a', 'u: "tab\\there"', 'v: plain # comment',
      'w: a#b', '"x y": 1', '1: one', 'a: 2', '  deeper: 1', 'key: value: more', '- - nested', '-', ': x', 'k8s.io/name: web', 'x: -1', 'y: +2', 'z: 1_000', 'q: null');
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), pieces), { maxLength: 12 }), (lines) => {
      const doc = lines.map(([n, t]) => `${'  '.repeat(n)}${t}`).join('\n') + '\n';
      const fast = parseFastDocument(doc, 0, doc.length);
      if (fast === undefined) return;
      let slow: unknown;
      try { slow = yaml.load(doc, { schema: SCHEMA }) ?? null; } catch { throw new Error(`fast path accepted what js-yaml refuses:\n${doc}`); }
      expect(fast).toEqual(slow);
    }), { numRuns: 3000 });
  });
});
