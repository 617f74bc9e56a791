// Packet traces: the four access scenarios of the course, NodePort policies, no endpoints,
// and the invariants every trace keeps (probabilities sum to 1, determinism).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/index';
import type { TraceResult } from '../../src/sim/network/trace';
import type { NetfilterHop } from '../../src/sim/network/trace-types';
import { course, yamlFile } from './helpers';

function trace(sim: Simulation, from: string, to: string, extra: object = {}): TraceResult {
  const r = sim.trace({ from, to, allPaths: true, ...extra });
  if ('error' in r) throw new Error(r.error);
  return r;
}

const nf = (p: TraceResult['paths'][number]) => p.hops.filter((h): h is NetfilterHop => h.kind === 'netfilter');
const svcIP = (sim: Simulation, name: string) => sim.snapshot().services.find((s) => s.metadata.name === name)!.spec!.clusterIP!;

describe.each(['1.23', '1.31'])('traces with kube-proxy %s', (version) => {
  const sim = Simulation.load([course('12')], { kubeProxyVersion: version });
  const pods = sim.snapshot().pods.filter((p) => p.metadata.labels?.app === 'web');
  const ip = svcIP(sim, 'demoapp-svc');

  it('pod → ClusterIP: one path per endpoint, 1/3 each, DNAT to the pod, reply de-NATed by conntrack', () => {
    const client = pods[0];
    const t = trace(sim, `pod/default/${client.metadata.name}`, `${ip}:80`);
    expect(t.paths).toHaveLength(3);
    expect(t.paths.reduce((s, p) => s + p.probability, 0)).toBeCloseTo(1, 9);
    expect(new Set(t.paths.map((p) => p.final.endpoint))).toEqual(new Set(pods.map((p) => `${p.status!.podIP}:80`)));
    for (const p of t.paths) {
      expect(p.probability).toBeCloseTo(1 / 3, 6);
      expect(p.final.result).toBe('delivered');
      const dnat = nf(p).find((h) => h.rule?.includes('-j DNAT'))!;
      expect(dnat.verdict).toBe('ACCEPT');
      expect(dnat.before.dst).toBe(ip);
      expect(p.hops.some((h) => h.kind === 'conntrack' && h.action === 'reply-undo-dnat')).toBe(true);
    }
  });

  it('pod → its own Service (hairpin): marked 0x4000 and masqueraded to the bridge address', () => {
    const client = pods[0];
    const t = trace(sim, `pod/default/${client.metadata.name}`, `${ip}:80`);
    const self = t.paths.find((p) => p.final.endpoint === `${client.status!.podIP}:80`)!;
    const hops = nf(self);
    expect(hops.some((h) => h.chain === 'KUBE-MARK-MASQ' && h.after.mark === '0x4000')).toBe(true);
    const masq = hops.find((h) => h.rule?.includes('-j MASQUERADE'))!;
    expect(masq.after.src).toMatch(/^10\.244\.\d+\.1$/);
    expect(self.final.packet.src).toBe(masq.after.src);
    // The other two paths keep the pod's source address.
    for (const p of t.paths.filter((x) => x !== self)) expect(p.final.packet.src).toBe(client.status!.podIP);
  });

  it('node → ClusterIP goes through OUTPUT and is masqueraded (source outside the cluster CIDR)', () => {
    const t = trace(sim, 'node/node3', `${ip}:80`);
    for (const p of t.paths) {
      const hops = nf(p);
      expect(hops[0].hook).toBe('OUTPUT');
      expect(hops.some((h) => h.rule?.includes('-j MASQUERADE'))).toBe(true);
      expect(p.final.result).toBe('delivered');
    }
  });
});

describe('NodePort from outside', () => {
  it('externalTrafficPolicy Cluster: any node forwards and masquerades', () => {
    const sim = Simulation.load([course('13')], { kubeProxyVersion: '1.31' });
    const t = trace(sim, 'external/192.168.122.1', '192.168.122.13:32000');
    expect(t.paths).toHaveLength(3);
    for (const p of t.paths) {
      expect(p.final.result).toBe('delivered');
      expect(p.final.packet.src).not.toBe('192.168.122.1');
      expect(nf(p).some((h) => h.chain === 'KUBE-NODEPORTS')).toBe(true);
    }
  });

  it('externalTrafficPolicy Local: kept client IP on a node with an endpoint, dropped on one without', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeName: node1
      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, nodePort: 30080}]}
`;
    const sim = Simulation.load([yamlFile('etp.yaml', yaml)]);
    const here = trace(sim, 'external/192.168.122.1', '192.168.122.11:30080');
    expect(here.paths.map((p) => p.final.result)).toEqual(['delivered']);
    expect(here.paths[0].final.packet.src).toBe('192.168.122.1');
    const there = trace(sim, 'external/192.168.122.1', '192.168.122.12:30080');
    expect(there.paths.map((p) => p.final.result)).toEqual(['dropped']);
  });
});

it('a Service without endpoints is rejected by the filter table', () => {
  const sim = Simulation.load([course('41')]);
  const t = trace(sim, 'node/node1', `${svcIP(sim, 'service-no-selector')}:80`);
  expect(t.paths).toHaveLength(1);
  expect(t.paths[0].final.result).toBe('rejected');
  expect(nf(t.paths[0]).at(-1)!.rule).toContain('has no endpoints');
});

it('sampling many connections converges to the split; affinity pins a client', () => {
  const sim = Simulation.load([course('12')]);
  const ip = svcIP(sim, 'demoapp-svc');
  const r = sim.trace({ from: 'node/node1', to: `${ip}:80`, count: 3000, seed: 5 }) as TraceResult;
  const counts = Object.values(r.tally!);
  expect(counts).toHaveLength(3);
  for (const c of counts) expect(Math.abs(c / 3000 - 1 / 3)).toBeLessThan(0.04);
  sim.patchService('default', 'demoapp-svc', { spec: { sessionAffinity: 'ClientIP' } });
  const sticky = sim.trace({ from: 'node/node1', to: `${ip}:80`, count: 200, seed: 5 }) as TraceResult;
  expect(Object.keys(sticky.tally!)).toHaveLength(1);
});

it('reusing known outcomes samples exactly what walking every connection does', () => {
  const sim = Simulation.load([course('12')]);
  const ip = svcIP(sim, 'demoapp-svc');
  const pod = sim.snapshot().pods.find((p) => p.metadata.name.startsWith('demoapp'))!.metadata.name;
  for (const [from, seed] of [['node/node1', 5], [`pod/default/${pod}`, 2]] as const) {
    const fast = sim.trace({ from, to: `${ip}:80`, count: 2000, seed }) as TraceResult;
    const slow = sim.trace({ from, to: `${ip}:80`, count: 2000, seed, walkEveryConnection: true }) as TraceResult;
    expect(Object.keys(fast.tally!)).toHaveLength(3);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  }
});

it('property: for any Service and endpoints the paths\' probabilities sum to 1, deterministically', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 5 }), (replicas, seed) => {
    const yaml = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec: {containers: [{name: c, image: nginx}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: {app: a}, ports: [{port: 80}]}\n`;
    const sim = Simulation.load([yamlFile('p.yaml', yaml)], { seed });
    const ip = svcIP(sim, 'a');
    const t = trace(sim, 'node/node1', `${ip}:80`);
    expect(t.paths).toHaveLength(replicas);
    expect(t.paths.reduce((s, p) => s + p.probability, 0)).toBeCloseTo(1, 9);
    expect(JSON.stringify(trace(sim, 'node/node1', `${ip}:80`))).toBe(JSON.stringify(t));
  }), { numRuns: 20 });
});
