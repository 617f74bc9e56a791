// Finds where a field path (`spec.ports[0].nodePort`) sits in a document's text, so that
// diagnostics can point at the exact line. Only needed when something is reported, so it
// works on demand over the raw text instead of recording a position for every node while
// parsing (which would slow down loading a 7 MB cluster dump). It understands the block
// style Kubernetes manifests use; for anything else (flow style) it falls back to the
// nearest ancestor it could find.

export type PathSegment = string | number;

interface Line {
  indent: number; // column of the first content character (virtual for "- " items)
  content: string; // text from `indent` on
  offset: number; // offset in the file of `content`
}

function linesOf(text: string, start: number, end: number): Line[] {
  const out: Line[] = [];
  let pos = start;
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > end) nl = end;
    const raw = text.slice(pos, nl);
    const trimmed = raw.trimStart();
    if (trimmed !== '' && !trimmed.startsWith('#') && !/^(---|\.\.\.)(\s|$)/.test(raw)) {
      const indent = raw.length - trimmed.length;
      out.push({ indent, content: trimmed.replace(/\r$/, ''), offset: pos + indent });
    }
    pos = nl + 1;
  }
  return out;
}

function keyOf(content: string): string | null {
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"][^:#]*?))\s*:(?:\s|$)/.exec(content);
  if (!m) return null;
  return m[1] ?? m[2]?.replace(/''/g, "'") ?? m[3] ?? null;
}

/** Splits a "- item" line into the item's own first line. */
function itemFirstLine(line: Line): Line {
  const m = /^-(\s+)/.exec(line.content) ?? /^-$/.exec(line.content);
  const skip = m ? m[0].length : 1;
  return { indent: line.indent + skip, content: line.content.slice(skip), offset: line.offset + skip };
}

/** Returns the offset of the deepest path segment that could be found. */
export function locatePath(text: string, start: number, end: number, path: readonly PathSegment[]): number {
  let block = linesOf(text, start, end);
  let found = block.length ? block[0].offset : start;
  for (const seg of path) {
    if (block.length === 0) break;
    const base = block[0].indent;
    if (typeof seg === 'number') {
      const items: number[] = [];
      for (let i = 0; i < block.length; i++) {
        if (block[i].indent === base && /^-(\s|$)/.test(block[i].content)) items.push(i);
      }
      const at = items[seg];
      if (at === undefined) break;
      const next = items[seg + 1] ?? blockEnd(block, at, base);
      const first = itemFirstLine(block[at]);
      found = block[at].offset;
      block = first.content === '' ? block.slice(at + 1, next) : [first, ...block.slice(at + 1, next)];
      if (first.content !== '') found = first.offset;
    } else {
      let at = -1;
      for (let i = 0; i < block.length; i++) {
        if (block[i].indent === base && keyOf(block[i].content) === seg) { at = i; break; }
      }
      if (at === -1) break;
      found = block[at].offset;
      const childEnd = blockEnd(block, at, base);
      const children = block.slice(at + 1, childEnd);
      const afterColon = block[at].content.replace(/^.*?:\s*/, '');
      if (children.length === 0 && afterColon !== '') {
        // Inline value: the value itself is where a later segment would be.
        const inlineOffset = block[at].offset + block[at].content.length - afterColon.length;
        block = [{ indent: base + 1000, content: afterColon, offset: inlineOffset }];
      } else {
        block = children;
      }
    }
  }
  return found;
}

/** Index after the lines that belong to the entry at `at` (deeper indent, or "- " at the same indent
 * when the entry is a key whose sequence is written flush with it). */
function blockEnd(block: Line[], at: number, base: number): number {
  const isKey = !/^-(\s|$)/.test(block[at].content);
  let i = at + 1;
  while (i < block.length) {
    const l = block[i];
    if (l.indent > base) { i++; continue; }
    if (isKey && l.indent === base && /^-(\s|$)/.test(l.content)) { i++; continue; }
    break;
  }
  return i;
}
