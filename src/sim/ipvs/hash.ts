// The hash functions IPVS's schedulers use, bit for bit as a 64-bit x86 kernel computes them.
//   hash_32      include/linux/hash.h: (val * GOLDEN_RATIO_32) >> (32 - bits), GOLDEN_RATIO_32 =
//                0x61C88647 (since Linux 4.7). sh and dh index their 256-bucket tables with it.
//   hsiphash     lib/siphash.c: on 64-bit kernels "HalfSipHash-1-3" is really SipHash-1-3 over
//                64-bit key words, truncated to 32 bits. mh (Maglev) uses it with fixed keys.
//   siphash      the general SipHash-c-d, exported so tests can check it against the reference
//                vectors of the SipHash paper (SipHash-2-4).

/** IPv4 dotted quad → unsigned 32-bit number (host order, i.e. what `ntohl(addr)` gives). */
export function ipv4(ip: string): number {
  const p = ip.split('.');
  if (p.length !== 4) return 0;
  return (((Number(p[0]) << 24) >>> 0) + (Number(p[1]) << 16) + (Number(p[2]) << 8) + Number(p[3])) >>> 0;
}

export const GOLDEN_RATIO_32 = 0x61c88647;

/** hash_32(val, bits) of include/linux/hash.h (generic __hash_32, as on x86). */
export function hash32(val: number, bits: number): number {
  return Math.imul(val >>> 0, GOLDEN_RATIO_32) >>> 0 >>> (32 - bits);
}

const M64 = (1n << 64n) - 1n;
const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M64;

function sipRound(v: bigint[]): void {
  v[0] = (v[0] + v[1]) & M64; v[1] = rotl(v[1], 13n); v[1] ^= v[0]; v[0] = rotl(v[0], 32n);
  v[2] = (v[2] + v[3]) & M64; v[3] = rotl(v[3], 16n); v[3] ^= v[2];
  v[0] = (v[0] + v[3]) & M64; v[3] = rotl(v[3], 21n); v[3] ^= v[0];
  v[2] = (v[2] + v[1]) & M64; v[1] = rotl(v[1], 17n); v[1] ^= v[2]; v[2] = rotl(v[2], 32n);
}

/**
 * SipHash-c-d of `data` under the 128-bit key (k0, k1) (64-bit words, as the kernel's
 * siphash_key_t / 64-bit hsiphash_key_t hold them). Returns the 64-bit result.
 */
export function siphash(data: Uint8Array, k0: bigint, k1: bigint, c = 2, d = 4): bigint {
  const v = [0x736f6d6570736575n ^ k0, 0x646f72616e646f6dn ^ k1, 0x6c7967656e657261n ^ k0, 0x7465646279746573n ^ k1];
  const len = data.length;
  const whole = len - (len % 8);
  for (let i = 0; i < whole; i += 8) {
    let m = 0n;
    for (let j = 7; j >= 0; j--) m = (m << 8n) | BigInt(data[i + j]);
    v[3] ^= m;
    for (let r = 0; r < c; r++) sipRound(v);
    v[0] ^= m;
  }
  let b = BigInt(len & 0xff) << 56n;
  for (let j = len - 1; j >= whole; j--) b |= BigInt(data[j]) << BigInt(8 * (j - whole));
  v[3] ^= b;
  for (let r = 0; r < c; r++) sipRound(v);
  v[0] ^= b;
  v[2] ^= 0xffn;
  for (let r = 0; r < d; r++) sipRound(v);
  return (v[0] ^ v[1] ^ v[2] ^ v[3]) & M64;
}

/**
 * hsiphash(&v, sizeof(u32), key) on a 64-bit kernel: SipHash-1-3 of the four little-endian
 * bytes of `v`, truncated to u32.
 */
export function hsiphashU32(v: number, k0: bigint, k1: bigint): number {
  const x = v >>> 0;
  const data = new Uint8Array([x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff]);
  return Number(siphash(data, k0, k1, 1, 3) & 0xffffffffn);
}

/** Greatest common divisor (linux/gcd.h). */
export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** fls(): position of the most significant set bit, 1-based; fls(0) = 0. */
export function fls(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}
