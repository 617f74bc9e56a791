// Seeded randomness. Every random choice in the simulator comes from here, so the same
// seed and input always give the same cluster, the same rules and the same traces.

/** A small, fast PRNG (sfc32) returning floats in [0, 1). */
export interface Rng {
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number | string): Rng {
  return new Sfc32(new Hash128().update(typeof seed === 'number' ? `n:${seed}` : seed).finish());
}

/** sfc32 seeded with a cyrb128 hash, past its first twelve outputs. */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Hash128) {
    this.a = seed.w0; this.b = seed.w1; this.c = seed.w2; this.d = seed.w3;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    let a = this.a >>> 0, b = this.b >>> 0, c = this.c >>> 0, d = this.d >>> 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    this.a = a; this.b = b; this.c = c; this.d = d;
    return (t >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** A stream of randomness derived from the simulation seed and a stable purpose key,
 * so that adding one object does not reshuffle the random choices made for others. */
export function deriveRng(seed: number | string, purpose: string): Rng {
  return createRng(`${seed}\u0000${purpose}`);
}

/** 128 bits of hash (cyrb128) of a string, as four unsigned 32-bit words. */
export function hash128(s: string): [number, number, number, number] {
  const h = new Hash128().update(s).finish();
  return [h.w0, h.w1, h.w2, h.w3];
}

/** cyrb128 fed piece by piece: feeding "ab" gives what feeding "a" then "b" does. Hot paths
 * hash `prefix + name` this way, without building (and flattening) the joined string. */
export class Hash128 {
  // The state as int32 (every use goes through ToInt32 or >>>): 3144134277 | 0, 2773480762 | 0.
  private h1 = 1779033703;
  private h2 = -1150833019;
  private h3 = 1013904242;
  private h4 = -1521486534;
  /** The hash as four unsigned 32-bit words (hash128's result), set by finish(). */
  w0 = 0;
  w1 = 0;
  w2 = 0;
  w3 = 0;

  /** Continues from where `other` got to (a hashed prefix). */
  copy(other: Hash128): this {
    this.h1 = other.h1; this.h2 = other.h2; this.h3 = other.h3; this.h4 = other.h4;
    return this;
  }

  update(s: string): this {
    let h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
    for (let i = 0; i < s.length; i++) {
      const k = s.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    this.h1 = h1; this.h2 = h2; this.h3 = h3; this.h4 = h4;
    return this;
  }

  finish(): this {
    const h1 = Math.imul(this.h3 ^ (this.h1 >>> 18), 597399067);
    const h2 = Math.imul(this.h4 ^ (this.h2 >>> 22), 2869860233);
    const h3 = Math.imul(h1 ^ (this.h3 >>> 17), 951274213);
    const h4 = Math.imul(h2 ^ (this.h4 >>> 19), 2716044179);
    this.w0 = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
    this.w1 = (h2 ^ h1) >>> 0;
    this.w2 = (h3 ^ h1) >>> 0;
    this.w3 = (h4 ^ h1) >>> 0;
    return this;
  }
}

/** FNV-1a, 32 bit: the hash Kubernetes uses for pod-template-hash and controller-revision names. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
