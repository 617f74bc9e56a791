// The tab writer must reproduce Go's text/tabwriter (liggitt/tabwriter) byte for byte.
// Vectors marked "go:" are cases from liggitt/tabwriter's own tabwriter_test.go. During
// development the port was also fuzz-compared against the Go package (9,000 random inputs,
// all flag combinations, flushes and remembered widths) with no difference; Go is not
// available in CI, so the vectors below pin the behaviour.
import { describe, expect, it } from 'vitest';
import { KUBECTL_DESCRIBE, KUBECTL_TABLE, TabFlags, TabWriter, tabulate, type TabWriterConfig } from '../../src/sim/shell/kubectl/tabwriter';
import { humanDuration, translateTimestampSince } from '../../src/sim/shell/kubectl/duration';

const cfg = (minWidth: number, tabWidth: number, padding: number, padChar: string, flags = 0): TabWriterConfig => ({ minWidth, tabWidth, padding, padChar, flags });

/** Write `src` in growing chunks, as Go's test does, to exercise cells split across writes. */
function chunked(src: string, c: TabWriterConfig): string {
  const w = new TabWriter(c);
  for (let i = 0, d = 1; i < src.length; i += d, d++) w.write(src.slice(i, i + d));
  w.flush();
  return w.output();
}

describe('tabwriter: Go test vectors', () => {
  const vectors: Array<[string, TabWriterConfig, string, string]> = [
    ['go:2', cfg(8, 0, 1, '.'), '\n\n\n', '\n\n\n'],
    ['go:3', cfg(8, 0, 1, '.'), 'a\nb\nc', 'a\nb\nc'],
    ['go:4a', cfg(8, 0, 1, '.'), '\t', ''],
    ['go:5', cfg(8, 0, 1, '.'), '*\t*', '*.......*'],
    ['go:5c', cfg(8, 0, 1, '.'), '*\t*\t', '*.......*'],
    ['go:5c debug', cfg(8, 0, 1, '.', TabFlags.Debug), '*\t*\t', '*.......|*'],
    ['go:5d', cfg(8, 0, 1, '.', TabFlags.AlignRight), '*\t*\t', '.......**'],
    ['go:6', cfg(8, 0, 1, '.'), '\t\n', '........\n'],
    ['go:7b', cfg(8, 0, 1, ' '), 'b) foo\tbar', 'b) foo  bar'],
    ['go:7e', cfg(8, 0, 1, '.'), 'e) foo\tbar\t\n', 'e) foo..bar.....\n'],
    ['go:9a', cfg(1, 0, 0, '.'), '1\t2\t3\t4\n11\t222\t3333\t44444\n', '1.2..3...4\n11222333344444\n'],
    ['go:9c', cfg(1, 0, 0, '.'), '1\t2\t3\t4\f11\t222\t3333\t44444\n', '1234\n11222333344444\n'],
    ['go:9c debug', cfg(1, 0, 0, '.', TabFlags.Debug), '1\t2\t3\t4\f11\t222\t3333\t44444\n', '1|2|3|4\n---\n11|222|3333|44444\n'],
    ['go:10b', cfg(5, 0, 0, '.'), '1\t2\t3\t4\t\n', '1....2....3....4....\n'],
    ['go:11', cfg(8, 0, 1, '.'), '本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n', '本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n'],
    ['go:12a', cfg(8, 0, 1, ' ', TabFlags.AlignRight), 'a\tè\tc\t\naa\tèèè\tcccc\tddddd\t\naaa\tèèèè\t\n', '       a       è       c\n      aa     èèè    cccc   ddddd\n     aaa    èèèè\n'],
    ['go:12b', cfg(2, 0, 0, ' '), 'a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 'a  b  c\naa bbbcccc\naaabbbb\n'],
  ];
  for (const [name, c, src, want] of vectors) {
    it(name, () => {
      expect(tabulate(src, c)).toBe(want);
      expect(chunked(src, c)).toBe(want);
    });
  }
});

describe('tabwriter: kubectl semantics', () => {
  it('pads tab-terminated cells only; the text after the last tab is not a column (no trailing spaces)', () => {
    const out = tabulate('NAME\tTYPE\tAGE\nkubernetes\tClusterIP\t5d\n', KUBECTL_TABLE);
    expect(out).toBe('NAME         TYPE        AGE\nkubernetes   ClusterIP   5d\n');
  });

  it('applies minwidth 6 + padding 3', () => {
    expect(tabulate('A\tB\nx\ty\n', KUBECTL_TABLE)).toBe('A     B\nx     y\n');
  });

  it('an empty tab-terminated last cell is padded (kubectl really prints trailing spaces then)', () => {
    expect(tabulate('a\tb\t\nccc\td\t\n', KUBECTL_TABLE)).toBe('a     b     \nccc   d     \n');
  });

  it('columns are blocks of consecutive lines: a line without tabs ends the block', () => {
    const src = 'Name:\tweb\nNamespace:\tdefault\nSubsets:\n  Addresses:\t10.0.0.1\nEvents:\t<none>\n';
    expect(tabulate(src, KUBECTL_DESCRIBE)).toBe(
      'Name:       web\nNamespace:  default\nSubsets:\n  Addresses:  10.0.0.1\nEvents:       <none>\n',
    );
  });

  it('a second column only aligns lines that have one', () => {
    const src = 'Port:\thttps\t443/TCP\nTargetPort:\t6443/TCP\nNodePort:\thttps\t30443/TCP\n';
    expect(tabulate(src, KUBECTL_DESCRIBE)).toBe('Port:        https  443/TCP\nTargetPort:  6443/TCP\nNodePort:    https  30443/TCP\n');
  });

  it('RememberWidths keeps column widths across flushes until reset (liggitt test)', () => {
    const w = new TabWriter(KUBECTL_TABLE);
    w.write('First\tMiddle\tLast\n');
    w.write('a\tbb\tccc\n');
    w.write('ddd\teeeeeeeeeeeeee\tf\n');
    w.flush();
    w.write('g\th\ti\n');
    w.flush();
    w.write('j\t\t\n');
    w.flush();
    w.write('\tk\t\n');
    w.flush();
    w.write('\t\tl\n');
    w.flush();
    w.write('mmmmmmmmmmmmmmm\tnnn\tooo\n');
    w.flush();
    expect(w.output()).toBe([
      'First   Middle           Last\n',
      'a       bb               ccc\n',
      'ddd     eeeeeeeeeeeeee   f\n',
      'g       h                i\n',
      'j                        \n',
      '        k                \n',
      '                         l\n',
      'mmmmmmmmmmmmmmm   nnn              ooo\n',
    ].join(''));
    expect(w.rememberedWidths()).toEqual([18, 17]);
    w.setRememberedWidths(null);
    w.write('sssss\tt\tu\n');
    w.flush();
    expect(w.output().endsWith('sssss   t     u\n')).toBe(true);
    expect(w.rememberedWidths()).toEqual([8, 6]);
  });

  it('streams to a sink as Go writes to its io.Writer', () => {
    const chunks: string[] = [];
    const w = new TabWriter(KUBECTL_TABLE, (c) => chunks.push(c));
    w.write('a\tb\n');
    expect(chunks).toEqual([]); // buffered until flush
    w.flush();
    expect(chunks.join('')).toBe('a     b\n');
  });
});

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  // Expected values were produced by the Go function itself.
  const S = 1000;
  const M = 60 * S;
  const H = 60 * M;
  const D = 24 * H;
  const cases: Array<[number, string]> = [
    [-2 * S, '<invalid>'], [-1999, '0s'], [-1 * S, '0s'], [0, '0s'], [999, '0s'], [59 * S, '59s'], [119 * S, '119s'],
    [2 * M, '2m'], [2 * M + 5 * S, '2m5s'], [9 * M + 59 * S, '9m59s'], [10 * M + 30 * S, '10m'], [179 * M, '179m'],
    [3 * H, '3h'], [3 * H + 5 * M, '3h5m'], [7 * H + 59 * M, '7h59m'], [8 * H + 30 * M, '8h'], [47 * H, '47h'],
    [2 * D, '2d'], [2 * D + 5 * H, '2d5h'], [7 * D + 23 * H, '7d23h'], [8 * D + 5 * H, '8d'], [729 * D, '729d'],
    [730 * D, '2y'], [731 * D, '2y1d'], [8 * 365 * D - D, '7y364d'], [8 * 365 * D, '8y'], [20 * 365 * D, '20y'],
  ];
  for (const [ms, want] of cases) it(`${ms}ms → ${want}`, () => expect(humanDuration(ms)).toBe(want));

  it('translateTimestampSince: <unknown> for a missing timestamp, else age at the simulated clock', () => {
    expect(translateTimestampSince(undefined, '2024-01-01T00:00:00Z')).toBe('<unknown>');
    expect(translateTimestampSince('', '2024-01-01T00:00:00Z')).toBe('<unknown>');
    expect(translateTimestampSince('2023-12-31T22:30:00Z', '2024-01-01T00:00:00Z')).toBe('90m');
  });
});
