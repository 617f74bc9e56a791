// Go's text/tabwriter (and its fork github.com/liggitt/tabwriter, which adds RememberWidths),
// re-implemented for strings. kubectl aligns every table with it, so its rules ARE the output
// format: cells are tab-TERMINATED (the text after a line's last tab is not a column cell and
// is never padded), a column is a run of consecutive lines that have a cell in it, and each
// column's width is the widest cell + padding (at least minwidth).
//
// Not ported: the Escape character and FilterHTML/StripEscape handling. Escape is byte 0xff,
// which never occurs in valid UTF-8 text, and kubectl never sets the HTML flags.

export const TabFlags = {
  AlignRight: 1 << 2,
  DiscardEmptyColumns: 1 << 3,
  TabIndent: 1 << 4,
  Debug: 1 << 5,
  RememberWidths: 1 << 6,
} as const;

export interface TabWriterConfig {
  minWidth: number;
  tabWidth: number;
  padding: number;
  padChar: string;
  flags: number;
}

/** cli-runtime printers.GetNewTabWriter: what `kubectl get` uses. */
export const KUBECTL_TABLE: TabWriterConfig = { minWidth: 6, tabWidth: 4, padding: 3, padChar: ' ', flags: TabFlags.RememberWidths };

/** kubectl describe's tabbedString: text/tabwriter Init(buf, 0, 8, 2, ' ', 0). */
export const KUBECTL_DESCRIBE: TabWriterConfig = { minWidth: 0, tabWidth: 8, padding: 2, padChar: ' ', flags: 0 };

interface Cell {
  text: string;
  width: number; // in code points, as Go counts runes
  htab: boolean; // terminated by '\t' (hard) rather than '\v' (soft)
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export class TabWriter {
  private lines: Cell[][] = [[]];
  private cell = '';
  private widths: number[] = [];
  private maxWidths: number[] = [];
  private out: string[] = [];

  /** `sink` receives formatted text as Go's writer would pass it to the underlying io.Writer. */
  constructor(private readonly cfg: TabWriterConfig, private readonly sink?: (chunk: string) => void) {}

  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const ncells = this.terminateCell(ch === '\t');
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        // A one-cell line cannot influence later alignment, so Go flushes right there
        // (with RememberWidths the widths seen so far survive the flush).
        if (ch === '\f' || ncells === 1) {
          this.flush();
          if (ch === '\f' && this.cfg.flags & TabFlags.Debug) this.emit('---\n');
        }
      }
    }
    this.cell += text.slice(start);
  }

  flush(): void {
    if (this.cell.length > 0) this.terminateCell(false);
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.cell = '';
    this.widths = [];
  }

  /** Everything written out so far (when no sink was given). */
  output(): string {
    return this.out.join('');
  }

  rememberedWidths(): number[] {
    return [...this.maxWidths];
  }

  setRememberedWidths(widths: number[] | null): void {
    this.maxWidths = widths ? [...widths] : [];
  }

  private emit(s: string): void {
    if (s.length === 0) return;
    if (this.sink) this.sink(s);
    else this.out.push(s);
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1];
    line.push({ text: this.cell, width: runeCount(this.cell), htab });
    this.cell = '';
    return line.length;
  }

  private padding(textw: number, cellw: number, useTabs: boolean): string {
    if (this.cfg.padChar === '\t' || useTabs) {
      const tw = this.cfg.tabWidth;
      if (tw === 0) return '';
      const cw = Math.ceil(cellw / tw) * tw;
      const n = cw - textw;
      return '\t'.repeat(Math.ceil(n / tw));
    }
    return this.cfg.padChar.repeat(Math.max(0, cellw - textw));
  }

  private writeLines(line0: number, line1: number): void {
    const alignRight = (this.cfg.flags & TabFlags.AlignRight) !== 0;
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i];
      let useTabs = (this.cfg.flags & TabFlags.TabIndent) !== 0;
      let s = '';
      line.forEach((c, j) => {
        if (j > 0 && this.cfg.flags & TabFlags.Debug) s += '|';
        const hasWidth = j < this.widths.length;
        if (c.text.length === 0) {
          if (hasWidth) s += this.padding(c.width, this.widths[j], useTabs);
        } else {
          useTabs = false;
          if (!alignRight) {
            s += c.text;
            if (hasWidth) s += this.padding(c.width, this.widths[j], false);
          } else {
            if (hasWidth) s += this.padding(c.width, this.widths[j], false);
            s += c.text;
          }
        }
      });
      // The last buffered line has no newline yet (it is the line still being written).
      if (i + 1 !== this.lines.length) s += '\n';
      this.emit(s);
    }
  }

  // Elastic tabstops: find the block of consecutive lines having a cell in the current
  // column, size it, then recurse into the columns to its right for that block.
  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= this.lines[cur].length - 1) continue;
      this.writeLines(line0, cur);
      line0 = cur;

      let width = this.cfg.minWidth;
      let discardable = true;
      for (; cur < line1; cur++) {
        const line = this.lines[cur];
        if (column >= line.length - 1) break;
        const c = line[column];
        width = Math.max(width, c.width + this.cfg.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.cfg.flags & TabFlags.DiscardEmptyColumns) width = 0;

      if (this.cfg.flags & TabFlags.RememberWidths) {
        if (this.maxWidths.length < this.widths.length) this.maxWidths.push(...this.widths.slice(this.maxWidths.length));
        const k = this.widths.length;
        if (this.maxWidths.length === k) this.maxWidths.push(width);
        else if (this.maxWidths[k] > width) width = this.maxWidths[k];
        else if (this.maxWidths[k] < width) this.maxWidths[k] = width;
      }

      this.widths.push(width);
      this.format(line0, cur);
      this.widths.pop();
      line0 = cur;
      // Like Go, the loop increment now skips the line that ended the block; that line has
      // no cell in this column, so it would have been skipped anyway.
    }
    this.writeLines(line0, line1);
  }
}

/** Run `text` through a fresh tab writer and return the aligned result. */
export function tabulate(text: string, cfg: TabWriterConfig = KUBECTL_TABLE): string {
  const w = new TabWriter(cfg);
  w.write(text);
  w.flush();
  return w.output();
}
