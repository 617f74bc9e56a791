// The big-paste slicer: joined, the slices are the text; each is big enough for Monaco to
// give it buffers of its own (> 64 K), and ends at a line end when one is near.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { slices } from '../../src/app/editor/slices';

describe('slices', () => {
  it('cuts a YAML dump after line ends, each slice but the last between 70 K and 80 K', () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `  - name: item-${i}\n`).join('');
    const parts = slices(text, 80 * 1024);
    expect(parts.join('')).toBe(text);
    for (const p of parts.slice(0, -1)) {
      expect(p.length).toBeGreaterThan(70 * 1024);
      expect(p.length).toBeLessThanOrEqual(80 * 1024);
      expect(p.endsWith('\n')).toBe(true);
    }
  });

  it('cuts at the size when there is no line end nearby', () => {
    expect(slices('x'.repeat(250), 100).map((p) => p.length)).toEqual([100, 100, 50]);
    expect(slices('', 100)).toEqual([]);
  });

  it('always joins back to the text', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '\n', 'é', '𝔸'), maxLength: 2000 }), fc.integer({ min: 8, max: 300 }), (text, size) => {
      const parts = slices(text, size);
      expect(parts.join('')).toBe(text);
      expect(parts.every((p) => p.length > 0 && p.length <= size)).toBe(true);
      expect(parts.some((p) => /[\uD800-\uDBFF]$/.test(p))).toBe(false);
    }));
  });
});
