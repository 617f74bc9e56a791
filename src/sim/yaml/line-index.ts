// Offsets → 1-based line/column, computed lazily once per file.

export class LineIndex {
  private starts: number[] | null = null;
  /** Where positionAfterLast() got to: a line number and the offset that line starts at. */
  private line = 1;
  private lineStart = 0;
  constructor(private readonly text: string) {}

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      const t = this.text;
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts();
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }

  /** position() for offsets asked in increasing order (each document's first line, while
   * loading): counts the lines in between instead of indexing the whole text. */
  positionAfterLast(offset: number): { line: number; column: number } {
    if (offset < this.lineStart) return this.position(offset);
    const t = this.text;
    for (let nl = t.indexOf('\n', this.lineStart); nl !== -1 && nl < offset; nl = t.indexOf('\n', nl + 1)) {
      this.line++;
      this.lineStart = nl + 1;
    }
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}
