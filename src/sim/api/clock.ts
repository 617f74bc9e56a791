// The simulated clock. Time only moves when the learner does something, so every run of
// the same scenario prints the same AGE column.

/** The moment the built-in cluster "now" is: fixed, so outputs are reproducible. */
export const EPOCH = Date.parse('2025-06-01T08:00:00Z');

export class Clock {
  private cachedAt = NaN;
  private cachedIso = '';
  constructor(public now: number = EPOCH) {}
  iso(offsetMs = 0): string {
    const t = this.now + offsetMs;
    if (t !== this.cachedAt) {
      this.cachedAt = t;
      this.cachedIso = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    return this.cachedIso;
  }
  advance(ms: number): void {
    this.now += ms;
  }
}
