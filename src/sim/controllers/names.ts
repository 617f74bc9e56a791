// Names the controllers generate, in Kubernetes' own shapes: `<rs>-<5 chars>` pods,
// `<deploy>-<pod-template-hash>` ReplicaSets, `<svc>-<5 chars>` EndpointSlices.
import { deriveRng, fnv32a } from '../rng';
import type { ObjectStore } from '../api/store';

/** utilrand's alphabet: no vowels (no accidental words), no confusable 0/1/3. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(seed: number, purpose: string, length = 5): string {
  const rng = deriveRng(seed, purpose);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHANUMS[rng.int(ALPHANUMS.length)];
  return s;
}

/** rand.SafeEncodeString: maps every byte onto the alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** pod-template-hash / controller-revision-hash: FNV-32a over the template, encoded like
 * Kubernetes does (`6c9764bb69`). Kubernetes hashes Go's printed form of the struct, which
 * cannot be reproduced outside Go; the shape and stability are what matter here. */
export function templateHash(template: unknown, collisionCount = 0): string {
  return safeEncodeString(String(fnv32a(canonicalJSON(template) + (collisionCount ? `#${collisionCount}` : ''))));
}

/** generateName: base + 5 random characters, drawn until the name is free. */
export function generateName(store: ObjectStore, seed: number, kind: string, namespace: string, base: string): string {
  for (;;) {
    const n = store.bump(`generateName/${kind}/${namespace}/${base}`);
    const name = `${base}${randomSuffix(seed, `${kind}/${namespace}/${base}#${n}`)}`;
    if (!store.get(kind, namespace, name)) return name;
  }
}

export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON((v as Record<string, unknown>)[k])}`).join(',')}}`;
}
