import { describe, expect, it } from 'vitest';
import { kubeProxyProbability, goFixed10 } from '../../src/sim/netfilter/probability';

describe('statistic probabilities as iptables-save prints them', () => {
  it('matches the values the reference recomputed and real dumps show', () => {
    const want: Record<number, string> = {
      2: '0.50000000000', 3: '0.33333333349', 4: '0.25000000000', 5: '0.20000000019', 6: '0.16666666651', 7: '0.14285714272',
      8: '0.12500000000', 9: '0.11111111101', 10: '0.10000000009', 11: '0.09090909082', 12: '0.08333333349', 16: '0.06250000000',
      20: '0.04999999981', 100: '0.00999999978',
    };
    for (const [n, s] of Object.entries(want)) expect(kubeProxyProbability(Number(n))).toBe(s);
    expect(goFixed10(1 / 3)).toBe('0.3333333333');
    expect(goFixed10(1 / 6)).toBe('0.1666666667');
  });
});
