import { it, expect } from 'vitest';
import { EXAMPLES, Simulation } from '../../src/sim/index';
it('every example loads cleanly', () => {
  for (const e of EXAMPLES) {
    const sim = Simulation.load(e.files);
    expect(sim.diagnostics.filter((d) => d.severity === 'error').map((d) => `${e.id}: ${d.message.en}`)).toEqual([]);
  }
});

it('the scenario examples show what they are named after', () => {
  const ex = (id: string) => Simulation.load(EXAMPLES.find((e) => e.id === id)!.files);
  const local = ex('etp-local');
  const ipOf = (sim: Simulation, node: string) => sim.snapshot().nodes.find((n) => n.metadata.name === node)!.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
  const noPod = local.snapshot().nodes.map((n) => n.metadata.name).find((n) => !local.snapshot().pods.some((p) => p.spec?.nodeName === n && p.metadata.name.startsWith('demoapp')))!;
  const dropped = local.trace({ from: 'external/203.0.113.10', to: `${ipOf(local, noPod)}:32000`, allPaths: true });
  expect('paths' in dropped && dropped.paths.every((p) => p.final.result === 'dropped')).toBe(true);
  const sticky = ex('session-affinity');
  const r = sticky.trace({ from: 'external/203.0.113.10', to: `${ipOf(sticky, 'node1')}:31180`, count: 200 });
  expect('tally' in r && Object.keys(r.tally ?? {})).toHaveLength(1);
});
