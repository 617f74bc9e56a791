// SHA-256 (FIPS 180-4) and RFC 4648 base32, pure TypeScript: kube-proxy names its chains
// KUBE-SVC-<first 16 base32 characters of sha256(servicePortName + protocol)>.

// Int32Array throughout: the values stay small integers to V8 (a Uint32Array hands back
// heap numbers above 2^31, which made every round allocate).
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// Reused between calls: kube-proxy names come by the hundred thousand, and allocating
// buffers per hash costs more than the hashing.
const W = new Int32Array(64);
const H = new Int32Array(8);
const BLOCK = new Int32Array(1024); // messages up to 4 KiB; longer ones get their own buffer
let block = BLOCK;

/** The message as big-endian 32-bit words with SHA-256 padding; returns the word count. */
function pad(text: string): number {
  let len = text.length;
  let words = ((len + 9 + 63) >> 6) << 4;
  block = words <= BLOCK.length ? BLOCK : new Int32Array(words);
  block.fill(0, 0, words);
  let i = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) break;
    block[i >> 2] |= c << (24 - (i & 3) * 8);
  }
  if (i < len) { // not ASCII: hash the UTF-8 bytes
    const bytes = new TextEncoder().encode(text);
    len = bytes.length;
    words = ((len + 9 + 63) >> 6) << 4;
    block = words <= BLOCK.length ? BLOCK : new Int32Array(words);
    block.fill(0, 0, words);
    for (let j = 0; j < len; j++) block[j >> 2] |= bytes[j] << (24 - (j & 3) * 8);
  }
  block[len >> 2] |= 0x80 << (24 - (len & 3) * 8);
  block[words - 2] = Math.floor(len / 2 ** 29); // the bit length's high word
  block[words - 1] = len * 8;
  return words;
}

/** Hashes into H (the state lives in locals while the rounds run: much faster than in the array). */
function digest(text: string): void {
  const words = pad(text);
  let h0 = 0x6a09e667 | 0, h1 = 0xbb67ae85 | 0, h2 = 0x3c6ef372 | 0, h3 = 0xa54ff53a | 0;
  let h4 = 0x510e527f | 0, h5 = 0x9b05688c | 0, h6 = 0x1f83d9ab | 0, h7 = 0x5be0cd19 | 0;
  const w = W;
  const m = block;
  for (let off = 0; off < words; off += 16) {
    for (let i = 0; i < 16; i++) w[i] = m[off + i];
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15], b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, hh = h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + hh) | 0;
  }
  H[0] = h0; H[1] = h1; H[2] = h2; H[3] = h3; H[4] = h4; H[5] = h5; H[6] = h6; H[7] = h7;
}

export function sha256(text: string): Uint8Array {
  digest(text);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = H[i >> 2] >>> (24 - (i & 3) * 8);
  return out;
}

/** The first 16 characters of base32(sha256(text)), i.e. its first 80 bits — kube-proxy's chain-name hash. */
export function sha256Base32Prefix16(text: string): string {
  digest(text);
  const hi = H[0], mid = H[1], lo = H[2] >>> 16; // 32 + 32 + 16 bits, read unsigned by the shifts
  // Eight 10-bit groups, two base32 characters each.
  const P = base32Pairs();
  return P[hi >>> 22] + P[(hi >>> 12) & 1023] + P[(hi >>> 2) & 1023] + P[((hi & 3) << 8) | (mid >>> 24)]
    + P[(mid >>> 14) & 1023] + P[(mid >>> 4) & 1023] + P[((mid & 15) << 6) | (lo >>> 10)] + P[lo & 1023];
}

let pairs: string[] | undefined;
function base32Pairs(): string[] {
  if (!pairs) {
    pairs = [];
    for (let i = 0; i < 1024; i++) pairs.push(BASE32[i >> 5] + BASE32[i & 31]);
  }
  return pairs;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (standard alphabet, with padding). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}
