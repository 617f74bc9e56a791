// Names the controllers generate, in Kubernetes' own shapes: `<rs>-<5 chars>` pods,
// `<deploy>-<pod-template-hash>` ReplicaSets, `<svc>-<5 chars>` EndpointSlices.
import { Hash128, deriveRng } from '../rng';
import type { ObjectStore } from '../api/store';

/** utilrand's alphabet: no vowels (no accidental words), no confusable 0/1/3. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(seed: number, purpose: string, length = 5): string {
  if (length > 6) {
    const rng = deriveRng(seed, purpose);
    let s = '';
    for (let i = 0; i < length; i++) s += ALPHANUMS[rng.int(ALPHANUMS.length)];
    return s;
  }
  return shortSuffix(new Hash128().update(`${seed}\u0000${purpose}`).finish(), length);
}

function shortSuffix(h: Hash128, length: number): string {
  const codes: number[] = new Array(length);
  writeSuffix(h, codes, 0, length);
  return String.fromCharCode.apply(null, codes);
}

const ALPHANUM_CODES = Array.from(ALPHANUMS, (c) => c.charCodeAt(0));

/** Writes a suffix of up to six characters drawn from a finished hash into `codes` from `at`:
 * one 128-bit hash gives enough independent bits (a hot path for 20,000 pods). */
function writeSuffix(h: Hash128, codes: number[], at: number, length: number): void {
  for (let i = 0; i < length; i++) {
    const word = i % 4 === 0 ? h.w0 : i % 4 === 1 ? h.w1 : i % 4 === 2 ? h.w2 : h.w3;
    codes[at + i] = ALPHANUM_CODES[(word >>> (i < 4 ? 0 : 16)) % ALPHANUM_CODES.length];
  }
}

/** rand.SafeEncodeString: maps every byte onto the alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** pod-template-hash / controller-revision-hash: FNV-32a over the template's canonical JSON,
 * encoded like Kubernetes does (`6c9764bb69`). Kubernetes hashes Go's printed form of the
 * struct, which cannot be reproduced outside Go; the shape and stability are what matter here.
 * The JSON is hashed as it is written, never built; templates are never mutated after
 * admission, so the hash is kept per template object. */
export function templateHash(template: object, collisionCount = 0): string {
  let hash = collisionCount ? undefined : hashCache.get(template);
  if (hash === undefined) {
    const fnv = new Fnv32aSink();
    writeCanonicalJSON(template, fnv);
    if (collisionCount) fnv.text(`#${collisionCount}`);
    hash = safeEncodeString(String(fnv.hash()));
    if (!collisionCount) hashCache.set(template, hash);
  }
  return hash;
}

const hashCache = new WeakMap<object, string>();

/** generateName: base + 5 random characters, drawn until the name is free. */
export function generateName(store: ObjectStore, seed: number, kind: string, namespace: string, base: string): string {
  return nameGenerator(store, seed, kind, namespace, base)();
}

/** generateName for many objects of one base (a ReplicaSet's pods), with its counter's key
 * spelled out and its hash prefix hashed once: draw n gives randomSuffix(seed, `<kind>/<namespace>/<base>#<n>`). */
export function nameGenerator(store: ObjectStore, seed: number, kind: string, namespace: string, base: string): () => string {
  const counter = `generateName/${kind}/${namespace}/${base}`;
  const prefix = new Hash128().update(`${seed}\u0000${kind}/${namespace}/${base}#`);
  const h = new Hash128();
  // The name's characters: the base's, then the suffix's. Names are made in one piece (not as
  // base + suffix, which V8 keeps as a two-part string that every hash lookup must copy out).
  const codes: number[] = [];
  for (let i = 0; i < base.length; i++) codes.push(base.charCodeAt(i));
  return () => {
    for (;;) {
      writeSuffix(h.copy(prefix).update(String(store.bump(counter))).finish(), codes, base.length, 5);
      const name = String.fromCharCode.apply(null, codes);
      if (!store.get(kind, namespace, name)) return name;
    }
  };
}

const canonicalCache = new WeakMap<object, string>();

/** canonicalJSON of an object that is never mutated after admission (pod templates), cached. */
export function canonicalJSONOfFrozen(v: object): string {
  let s = canonicalCache.get(v);
  if (s === undefined) { s = canonicalJSON(v); canonicalCache.set(v, s); }
  return s;
}

/** JSON with object keys sorted: equal content, equal text. */
export function canonicalJSON(v: unknown): string {
  const out = new StringSink();
  writeCanonicalJSON(v, out);
  return out.s;
}

/** Where canonical JSON text goes: into a string, or straight into a hash. */
interface TextSink {
  text(s: string): void;
  /** One ASCII character. */
  char(code: number): void;
  /** A string as JSON.stringify writes it. */
  quoted(s: string): void;
}

/** Strings JSON.stringify would write as they are, between quotes. */
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

class StringSink implements TextSink {
  s = '';
  text(s: string): void { this.s += s; }
  char(code: number): void { this.s += String.fromCharCode(code); }
  quoted(s: string): void { this.s += PLAIN_STRING.test(s) ? `"${s}"` : JSON.stringify(s); }
}

/** FNV-1a, 32 bit, over the text written to it: the same as fnv32a of that text. */
class Fnv32aSink implements TextSink {
  private h = 0x811c9dc5;
  text(s: string): void {
    let h = this.h;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ (s.charCodeAt(i) & 0xff), 0x01000193);
    this.h = h;
  }
  char(code: number): void { this.h = Math.imul(this.h ^ code, 0x01000193); }
  /** Hashes `"s"` in the same pass that checks it needs no escaping (else hashes JSON.stringify's text). */
  quoted(s: string): void {
    let h = Math.imul(this.h ^ 34, 0x01000193);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) { this.text(JSON.stringify(s)); return; }
      h = Math.imul(h ^ (c & 0xff), 0x01000193);
    }
    this.h = Math.imul(h ^ 34, 0x01000193);
  }
  hash(): number { return this.h >>> 0; }
}

/** Object keys in sorted order (insertion sort: objects have few keys, and Array#sort allocates). */
function sortedKeys(x: object): string[] {
  const keys = Object.keys(x);
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > k; j--) keys[j + 1] = keys[j];
    keys[j + 1] = k;
  }
  return keys;
}

function writeCanonicalJSON(x: unknown, out: TextSink): void {
  if (typeof x === 'string') { out.quoted(x); return; }
  if (x === null || typeof x !== 'object') { out.text(JSON.stringify(x) ?? 'null'); return; }
  if (Array.isArray(x)) {
    out.char(91); // [
    for (let i = 0; i < x.length; i++) { if (i) out.char(44); writeCanonicalJSON(x[i], out); }
    out.char(93); // ]
    return;
  }
  out.char(123); // {
  let first = true;
  for (const k of sortedKeys(x)) {
    const val = (x as Record<string, unknown>)[k];
    if (val === undefined) continue;
    if (!first) out.char(44); // ,
    first = false;
    out.quoted(k);
    out.char(58); // :
    writeCanonicalJSON(val, out);
  }
  out.char(125); // }
}
