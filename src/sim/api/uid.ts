// Deterministic UIDs (RFC 4122 v4 layout) from the seed and the object's identity.
import { hash128 } from '../rng';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(w: number): string {
  return HEX[(w >>> 24) & 255] + HEX[(w >>> 16) & 255] + HEX[(w >>> 8) & 255] + HEX[w & 255];
}

export function uidFor(seed: number, identity: string): string {
  const [a, b, c, d] = hash128(`${seed}\u0000uid/${identity}`);
  // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, y in 8..b
  const b2 = ((b & 0xffff0fff) | 0x4000) >>> 0;
  const c2 = ((c & 0x3fffffff) | 0x80000000) >>> 0;
  const hb = hex32(b2), hc = hex32(c2);
  return `${hex32(a)}-${hb.slice(0, 4)}-${hb.slice(4)}-${hc.slice(0, 4)}-${hc.slice(4)}${hex32(d)}`;
}
