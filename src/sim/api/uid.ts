// Deterministic UIDs (RFC 4122 v4 layout) from the seed and the object's identity.
import { Hash128 } from '../rng';

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 45;
/** Reused scratch space for the 36 character codes of one uid. */
const codes: number[] = new Array(36).fill(0);

/** Writes the 8 hex digits of `w` into `codes` from `at`, skipping the dash positions. */
function putHex32(w: number, at: number): number {
  for (let shift = 28; shift >= 0; shift -= 4) {
    if (at === 8 || at === 13 || at === 18 || at === 23) codes[at++] = DASH;
    codes[at++] = HEX_CODES[(w >>> shift) & 15];
  }
  return at;
}

const INITIAL = new Hash128();
/** Reused for every uid (each is hashed and finished in one go). */
const hasher = new Hash128();

/** The uid of `identity` (given whole, or in pieces that are hashed as if joined). */
export function uidFor(seed: number, ...identity: string[]): string {
  const h = hasher.copy(INITIAL).update(String(seed)).update('\u0000uid/');
  for (const piece of identity) h.update(piece);
  h.finish();
  // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, y in 8..b
  const b2 = ((h.w1 & 0xffff0fff) | 0x4000) >>> 0;
  const c2 = ((h.w2 & 0x3fffffff) | 0x80000000) >>> 0;
  // Built in one piece: a uid joined from parts is a rope of a dozen strings, and every
  // object keeps its uid (several hundred bytes each across a 20,000-pod cluster).
  putHex32(h.w3, putHex32(c2, putHex32(b2, putHex32(h.w0, 0))));
  return String.fromCharCode.apply(null, codes);
}
