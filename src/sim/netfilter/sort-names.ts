// Chains in strcmp order of their names, fast enough for kube-proxy's 180,000-chain tables:
// a comparator sort spends a quarter of a second there. Names are compared five ASCII
// characters at a time: each five-character digit (35 bits) and the item's position (18
// bits) are packed into one double, sorted natively, and runs that share the digit are
// refined on the next five characters (most-significant-digit radix sort).

const INDEX_BITS = 2 ** 18;
const DIGIT_CHARS = 5;

/** Sorts items by `name` in strcmp order (for ASCII names; others fall back to a plain sort). */
export function sortByName<T extends { name: string }>(items: T[]): T[] {
  const cmp = (a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (items.length < 1024 || items.length >= INDEX_BITS || !items.every((c) => /^[\x01-\x7f]*$/.test(c.name))) return items.sort(cmp);
  const names = items.map((c) => c.name);
  const order = new Int32Array(items.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  refine(names, order, 0, order.length, 0);
  const out = new Array<T>(items.length);
  for (let i = 0; i < order.length; i++) out[i] = items[order[i]];
  return out;
}

function digit(name: string, from: number): number {
  let d = 0;
  for (let k = 0; k < DIGIT_CHARS; k++) d = d * 128 + (from + k < name.length ? name.charCodeAt(from + k) : 0);
  return d;
}

/** Sorts order[lo, hi) by the names' characters from `depth` on (the ones before are equal). */
function refine(names: string[], order: Int32Array, lo: number, hi: number, depth: number): void {
  const n = hi - lo;
  if (n < 24) { // small runs: insertion sort on the rest of the name
    for (let i = lo + 1; i < hi; i++) {
      const v = order[i];
      let j = i - 1;
      while (j >= lo && names[order[j]] > names[v]) { order[j + 1] = order[j]; j--; }
      order[j + 1] = v;
    }
    return;
  }
  const keys = new Float64Array(n);
  let longest = 0;
  for (let i = 0; i < n; i++) {
    const name = names[order[lo + i]];
    if (name.length > longest) longest = name.length;
    keys[i] = digit(name, depth) * INDEX_BITS + i;
  }
  keys.sort();
  const was = order.slice(lo, hi);
  for (let i = 0; i < n; i++) order[lo + i] = was[keys[i] % INDEX_BITS];
  if (depth + DIGIT_CHARS >= longest) return; // the digits covered every character
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && Math.floor(keys[i] / INDEX_BITS) === Math.floor(keys[start] / INDEX_BITS)) continue;
    if (i - start > 1) refine(names, order, lo + start, lo + i, depth + DIGIT_CHARS);
    start = i;
  }
}
