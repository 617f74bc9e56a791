// Every word of every rule kube-proxy writes in nftables mode (the course's demoapp, NodePort
// and ClusterIP) has an explanation in both languages.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index';
import { explainNftRule } from '../../src/app/inspector/nft-glossary';
import { course } from '../sim/helpers';

describe('explainNftRule', () => {
  it('knows every word of kube-proxy\'s nftables rules', () => {
    const sim = Simulation.load([course('13')], { proxyMode: 'nftables' });
    const unknown = new Set<string>();
    for (const node of ['master', 'node1']) {
      for (const c of sim.nftables(node)!.chains) for (const r of c.rules) for (const t of explainNftRule(r.text)) if (!t.known) unknown.add(t.text);
    }
    expect([...unknown]).toEqual([]);
  });

  it('explains a numgen fork and its verdict map, chain names and addresses', () => {
    const toks = explainNftRule('numgen random mod 3 vmap { 0 : goto endpoint-A, 1 : goto endpoint-B, 2 : goto endpoint-C }');
    expect(toks.find((t) => t.text === 'numgen')!.en).toContain('1/N');
    expect(toks.find((t) => t.text === '3')!.zh).toBe('3 个后端。');
    expect(toks.find((t) => t.text === 'endpoint-A,')!.role).toBe('chain');
    expect(explainNftRule('ip daddr 10.96.0.10 dnat to 10.244.1.2:80').every((t) => t.known)).toBe(true);
  });
});
