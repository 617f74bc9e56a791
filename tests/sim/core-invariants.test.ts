// Invariants the simulation core's fast paths rely on: each one is a shortcut for a plainer
// computation, and must give exactly what the plain one gives.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJSON, safeEncodeString, templateHash } from '../../src/sim/controllers/names';
import { Hash128, fnv32a, hash128 } from '../../src/sim/rng';
import { uidFor } from '../../src/sim/api/uid';
import { parseFastDocument } from '../../src/sim/yaml/fast';
import { deploymentsAndServices, servicesWithEndpoints } from '../bench/scenarios';

/** Node count of a parsed document, as load.ts measures documents. */
function treeSize(v: unknown): number {
  if (v === null || typeof v !== 'object') return 1;
  let n = 1;
  if (Array.isArray(v)) for (const x of v) n += treeSize(x);
  else for (const k in v as Record<string, unknown>) n += 1 + treeSize((v as Record<string, unknown>)[k]);
  return n;
}

describe('core invariants', () => {
  it('templateHash is FNV-32a over the canonical JSON, hashed as written', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 3 }), (v, s, collisions) => {
      const template = { v, [s]: [s, { b: s, a: v }] };
      const plain = safeEncodeString(String(fnv32a(canonicalJSON(template) + (collisions ? `#${collisions}` : ''))));
      expect(templateHash(template, collisions)).toBe(plain);
    }), { numRuns: 2000 });
  });

  it('hashing in pieces is hashing the joined string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
      const h = new Hash128().copy(new Hash128().update(a)).update(b).finish();
      expect([h.w0, h.w1, h.w2, h.w3]).toEqual(hash128(a + b));
      expect(uidFor(7, a, '/', b)).toBe(uidFor(7, `${a}/${b}`));
    }), { numRuns: 2000 });
  });

  it('the YAML fast path counts the nodes it makes', () => {
    const docs = [deploymentsAndServices(20, 2), servicesWithEndpoints(20, 3)].flatMap((t) => t.split(/^---\n/m));
    for (const doc of docs) {
      const stats = { nodes: -1 };
      const v = parseFastDocument(doc, 0, doc.length, stats);
      expect(v).toBeTypeOf('object');
      expect(stats.nodes).toBe(treeSize(v));
    }
  });
});
