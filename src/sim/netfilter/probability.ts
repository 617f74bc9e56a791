// `-m statistic --probability`: kube-proxy writes 1/n with 10 decimals (Go %0.10f); the
// kernel keeps it as a 31-bit fixed-point number; iptables-save prints that back with 11
// decimals (so 1/3 reads 0.33333333349). The interpreter uses the stored value, exactly as
// the kernel compares `(random & 0x7FFFFFFF) < stored`.

const SCALE = 2 ** 31;

/** What the kernel stores for a probability given as text (libxt_statistic: lround(p * 2^31)). */
export function kernelProbability(text: string): number {
  const p = Number(text);
  return Math.min(Math.round(p * SCALE), 0x7fffffff + 1) >>> 0;
}

/** iptables-save's `%.11f` of stored / 2^31, printed exactly (the value has at most 31 binary digits). */
export function printProbability(stored: number): string {
  // stored / 2^31 = stored * 5^31 / 10^31: exact in BigInt, then round half to even to 11 digits
  // (glibc's printf rounds the exact binary value; ties cannot occur beyond 31 digits here).
  const num = BigInt(stored) * 5n ** 31n; // value * 10^31
  const scaled = num / 10n ** 20n; // value * 10^11, truncated
  const rem = num % 10n ** 20n;
  const half = 5n * 10n ** 19n;
  let digits = scaled + (rem > half || (rem === half && scaled % 2n === 1n) ? 1n : 0n);
  const intPart = digits / 10n ** 11n;
  digits %= 10n ** 11n;
  return `${intPart}.${digits.toString().padStart(11, '0')}`;
}

/** Go's %0.10f of 1/n (correctly rounded), which is what kube-proxy hands to iptables-restore. */
export function goFixed10(x: number): string {
  return x.toFixed(10); // V8's toFixed is correctly rounded on the exact binary value, like Go
}

/** The probability text iptables-save prints for kube-proxy's rule "1 of the remaining n". */
export function kubeProxyProbability(n: number): string {
  return printProbability(kernelProbability(goFixed10(1 / n)));
}

export function probabilityValue(stored: number): number {
  return stored / SCALE;
}
