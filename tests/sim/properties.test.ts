// Invariants that must hold for any input, checked with fast-check.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { Simulation } from '../../src/sim/index';
import { parseCidr, parseIPv4, cidrContains } from '../../src/sim/api/ipnet';

const label = fc.constantFrom('web', 'api', 'db', 'cache');
const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

const deployment = fc.record({ name, app: label, replicas: fc.integer({ min: 0, max: 4 }), port: fc.integer({ min: 1, max: 65535 }) });
const service = fc.record({
  name, app: label, port: fc.integer({ min: 1, max: 65535 }),
  type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ClusterIP'),
  headless: fc.boolean(), publish: fc.boolean(),
});

function manifests(deps: { name: string; app: string; replicas: number; port: number }[], svcs: { name: string; app: string; port: number; type: string; headless: boolean; publish: boolean }[]): string {
  const docs: unknown[] = [];
  for (const d of deps) docs.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d-${d.name}` }, spec: { replicas: d.replicas, selector: { matchLabels: { app: d.app } }, template: { metadata: { labels: { app: d.app } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: d.port }] }] } } } });
  for (const s of svcs) docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s-${s.name}` }, spec: { type: s.headless ? 'ClusterIP' : s.type, ...(s.headless ? { clusterIP: 'None' } : {}), publishNotReadyAddresses: s.publish, selector: { app: s.app }, ports: [{ port: s.port }] } });
  return docs.map((d) => yaml.dump(d)).join('---\n');
}

describe('properties', () => {
  it('random valid manifests never crash the loader; ClusterIPs are unique and in range', () => {
    fc.assert(fc.property(fc.array(deployment, { maxLength: 5 }), fc.array(service, { maxLength: 8 }), fc.integer(), (deps, svcs, seed) => {
      const sim = Simulation.load([{ name: 'r.yaml', text: manifests(deps, svcs) }], { seed });
      const snap = sim.snapshot();
      const range = parseCidr(snap.config.serviceSubnet)!;
      const ips = snap.services.map((s) => s.spec?.clusterIP).filter((ip): ip is string => !!ip && ip !== 'None');
      expect(new Set(ips).size).toBe(ips.length);
      for (const ip of ips) expect(cidrContains(range, parseIPv4(ip)!)).toBe(true);
      const nodePorts = snap.services.flatMap((s) => (s.spec?.ports ?? []).map((p) => p.nodePort).filter(Boolean));
      expect(new Set(nodePorts).size).toBe(nodePorts.length);
    }), { numRuns: 60 });
  });

  it('endpoints are exactly the ready pods matching the selector', () => {
    fc.assert(fc.property(fc.array(deployment, { minLength: 1, maxLength: 4 }), fc.array(service, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 3 }), (deps, svcs, notReady) => {
      const sim = Simulation.load([{ name: 'r.yaml', text: manifests(deps, svcs) }], { seed: 3 });
      const userPods = sim.snapshot().pods.filter((p) => p.metadata.namespace === 'default');
      for (const n of notReady) if (userPods.length) sim.setPodReady('default', userPods[n % userPods.length].metadata.name, false);
      const snap = sim.snapshot();
      for (const svc of snap.services.filter((s) => s.metadata.name.startsWith('s-'))) {
        const ep = snap.endpoints.find((e) => e.metadata.name === svc.metadata.name)!;
        const got = (ep.subsets ?? []).flatMap((s) => s.addresses ?? []).map((a) => a.ip).sort();
        const want = snap.pods
          .filter((p) => p.metadata.namespace === 'default' && p.metadata.labels?.app === svc.spec!.selector!.app)
          .filter((p) => svc.spec!.publishNotReadyAddresses || p.status!.conditions!.some((c) => c.type === 'Ready' && c.status === 'True'))
          .map((p) => p.status!.podIP!).sort();
        expect(got).toEqual(want);
      }
    }), { numRuns: 40 });
  });

  it('no input crashes the loader (arbitrary YAML-ish text and arbitrary objects)', () => {
    const fragments = fc.constantFrom('apiVersion: v1\n', 'kind: Service\n', 'kind: Deployment\n', 'metadata:\n', '  name: x\n', 'spec:\n', '  ports:\n', '  - port: 80\n', '    nodePort: 99999\n', '  selector: {app: a}\n', '---\n', '  clusterIP: None\n', '  type: NodePort\n', ': :\n', '- [\n', '"\n', '&a *a\n', '\t\n', '  replicas: -1\n', '  template: {}\n');
    fc.assert(fc.property(fc.array(fragments, { maxLength: 30 }), (parts) => {
      const sim = Simulation.load([{ name: 'f.yaml', text: parts.join('') }]);
      sim.snapshot();
      for (const d of sim.diagnostics) if (d.severity === 'error') expect(d.file).toBe('f.yaml');
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom('Service', 'Deployment', 'Pod', 'Endpoints', 'EndpointSlice', 'StatefulSet', 'DaemonSet', 'Node', 'ConfigMap'), (spec, kind) => {
      const apiVersion = ['Deployment', 'StatefulSet', 'DaemonSet'].includes(kind) ? 'apps/v1' : kind === 'EndpointSlice' ? 'discovery.k8s.io/v1' : 'v1';
      const doc = { apiVersion, kind, metadata: { name: 'x' }, spec, subsets: spec, data: spec, endpoints: spec };
      const sim = Simulation.load([{ name: 'j.yaml', text: JSON.stringify(doc) }]);
      sim.snapshot();
      sim.exec('kubectl get all -A');
    }), { numRuns: 300 });
  });
});
