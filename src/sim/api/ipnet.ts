// IPv4 arithmetic on plain numbers: enough for service ranges, pod CIDRs and pools.

export interface Cidr {
  base: number; // network address as an unsigned 32-bit number
  bits: number;
  size: number;
}

export function parseIPv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function parseCidr(s: string): Cidr | null {
  const [ip, len] = s.trim().split('/');
  const addr = parseIPv4(ip ?? '');
  const bits = len === undefined ? 32 : Number(len);
  if (addr === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (addr & mask) >>> 0, bits, size: 2 ** (32 - bits) };
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.bits}`;
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}

/** Whether IPv4 address `ip` is inside `cidr` (`a.b.c.d` counts as /32); false for anything not IPv4. */
export function cidrHasIP(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const a = parseIPv4(ip);
  return c !== null && a !== null && cidrContains(c, a);
}

export function isIPv4(s: string): boolean {
  return parseIPv4(s) !== null;
}

/** The n-th address of a CIDR (n = 0 is the network address). */
export function nthIP(c: Cidr, n: number): string {
  return formatIPv4((c.base + n) >>> 0);
}

/** An address range as MetalLB writes it: `192.168.1.10-192.168.1.20` or a CIDR. */
export function parseAddressRange(s: string): { first: number; last: number } | null {
  if (s.includes('-')) {
    const [a, b] = s.split('-').map((x) => parseIPv4(x.trim()));
    if (a === null || b === null || a === undefined || b === undefined || b < a) return null;
    return { first: a, last: b };
  }
  const c = parseCidr(s);
  if (!c) return null;
  return { first: c.base, last: c.base + c.size - 1 };
}

/** Byte-wise comparison of the dotted strings, as Go's sort over IP strings does. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
