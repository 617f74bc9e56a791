// Deterministic UIDs (RFC 4122 v4 layout) from the seed and the object's identity.
import { deriveRng } from '../rng';

export function uidFor(seed: number, identity: string): string {
  const rng = deriveRng(seed, `uid/${identity}`);
  const hex = Array.from({ length: 32 }, () => rng.int(16).toString(16));
  hex[12] = '4';
  hex[16] = ((rng.int(4) + 8)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
