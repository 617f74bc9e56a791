// Comparing the kernel's rule sequences with the simulator's enumerated paths, and the
// chi-square test of the kernel's path frequencies against the simulator's probabilities.
import type { TracePath } from '../../src/sim/index';
import type { Step } from './xtrace';

/** The simulator's netfilter hops of one node, request direction, as comparable steps. */
export function simSteps(path: TracePath, node: string): Step[] {
  const out: Step[] = [];
  for (const h of path.hops) {
    if (h.kind !== 'netfilter' || h.node !== node || h.direction !== 'request' || h.table === 'raw') continue;
    out.push({ table: h.table, chain: h.chain, rule: h.rule, verdict: h.verdict });
  }
  return out;
}

/** The node the connection's first packet enters (the first netfilter hop of any path). */
export function entryNode(paths: TracePath[]): string | undefined {
  for (const p of paths) for (const h of p.hops) if (h.kind === 'netfilter') return h.node;
  return undefined;
}

export function sameStep(a: Step, b: Step): boolean {
  return a.table === b.table && a.chain === b.chain && a.rule === b.rule && a.verdict === b.verdict;
}

export function sameSteps(a: Step[], b: Step[]): boolean {
  return a.length === b.length && a.every((s, i) => sameStep(s, b[i]));
}

export function showStep(s: Step | undefined): string {
  if (!s) return '(nothing: the path ends here)';
  return `${s.table}:${s.chain} ${s.verdict.padEnd(14)} ${s.rule ?? '(policy)'}`;
}

function commonPrefix(a: Step[], b: Step[]): number {
  let i = 0;
  while (i < a.length && i < b.length && sameStep(a[i], b[i])) i++;
  return i;
}

export interface Candidate {
  steps: Step[];
  probability: number;
  label: string;
}

/** Index of the candidate equal to `kernel`, or -1. */
export function findMatch(kernel: Step[], candidates: Candidate[]): number {
  return candidates.findIndex((c) => sameSteps(kernel, c.steps));
}

/** A readable account of why `kernel` matches none of the candidates, against the closest one. */
export function explainMismatch(title: string, kernel: Step[], candidates: Candidate[]): string {
  if (candidates.length === 0) return `${title}\n  the simulator produced no path at all; kernel sequence:\n${kernel.map((s, i) => `    ${String(i + 1).padStart(2)} ${showStep(s)}`).join('\n')}`;
  let best = 0, bestScore = -Infinity;
  candidates.forEach((c, i) => {
    const score = commonPrefix(kernel, c.steps) * 1000 - Math.abs(kernel.length - c.steps.length);
    if (score > bestScore) { best = i; bestScore = score; }
  });
  const c = candidates[best];
  const at = commonPrefix(kernel, c.steps);
  const last = kernel[kernel.length - 1];
  const lines = [
    title,
    `  the kernel's packet ends with ${last ? `${last.verdict} in ${last.table}:${last.chain}` : 'no rule'}; the simulator's closest path ends "${c.label}"`,
    `  kernel sequence matches none of the simulator's ${candidates.length} path(s); closest is ${c.label} (p=${c.probability.toFixed(6)}), first difference at step ${at + 1}:`,
    `    kernel:    ${showStep(kernel[at])}`,
    `    simulator: ${showStep(c.steps[at])}`,
    '  kernel sequence:',
    ...kernel.map((s, i) => `    ${i === at ? '>' : ' '}${String(i + 1).padStart(2)} ${showStep(s)}`),
    `  simulator ${c.label}:`,
    ...c.steps.map((s, i) => `    ${i === at ? '>' : ' '}${String(i + 1).padStart(2)} ${showStep(s)}`),
  ];
  return lines.join('\n');
}

// --- chi-square -----------------------------------------------------------------------

function lnGamma(x: number): number {
  // Lanczos approximation (g=7, n=9).
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(a, x) (Numerical Recipes gammq). */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) {
    let sum = 1 / a, del = sum, ap = a;
    for (let n = 0; n < 1000; n++) { ap += 1; del *= x / ap; sum += del; if (Math.abs(del) < Math.abs(sum) * 1e-15) break; }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
  }
  let b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

export interface ChiSquare {
  statistic: number;
  df: number;
  p: number;
  rows: { label: string; observed: number; expected: number }[];
}

/** Pearson's chi-square of observed counts against probabilities (which should sum to 1). */
export function chiSquare(observed: number[], probabilities: number[], labels: string[]): ChiSquare {
  const n = observed.reduce((a, b) => a + b, 0);
  let statistic = 0;
  const rows = observed.map((o, i) => {
    const e = probabilities[i] * n;
    statistic += e > 0 ? ((o - e) ** 2) / e : (o > 0 ? Infinity : 0);
    return { label: labels[i], observed: o, expected: e };
  });
  const df = observed.length - 1;
  return { statistic, df, p: df > 0 ? gammaQ(df / 2, statistic / 2) : 1, rows };
}
