// Cutting a big paste into pieces Monaco can take one per task (see pasteInSlices in ./monaco).

/**
 * `text` cut into consecutive slices of about `size` characters (joined, they are `text`);
 * a slice ends just after a newline when one lies in its last eighth.
 *
 * Slices should stay above 64 K (so `size` ≥ 74 K): Monaco's piece tree appends smaller inserts to one growing
 * change buffer, a string that then gets re-flattened on every later edit (a keystroke after a
 * 48 K-sliced 2.3 MB paste cost 200 ms); larger inserts get buffers of their own.
 */
export function slices(text: string, size: number): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + size);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end - 1);
      if (nl >= end - size / 8) end = nl + 1;
      else if (end - at > 1 && /[\uD800-\uDBFF]/.test(text[end - 1])) end--; // keep a surrogate pair whole
    }
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}
