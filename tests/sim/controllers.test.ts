// Controllers: the cluster a real control plane would build from the same YAML.
import { describe, expect, it } from 'vitest';
import { course, load, yamlFile } from './helpers';

describe('workload controllers', () => {
  it('names Deployment pods <deploy>-<pod-template-hash>-<5 chars> and ReplicaSets <deploy>-<hash>', () => {
    const snap = load([course('01')]).snapshot();
    const rs = snap.replicaSets.filter((r) => r.metadata.namespace === 'default');
    expect(rs).toHaveLength(1);
    const hash = rs[0].metadata.labels!['pod-template-hash'];
    expect(hash).toMatch(/^[456789bcdf]{6,10}$/);
    expect(rs[0].metadata.name).toBe(`deploy-nginx-${hash}`);
    const pods = snap.pods.filter((p) => p.metadata.namespace === 'default');
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^deploy-nginx-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.status!.podIP).toMatch(/^10\.244\.[1-3]\.\d+$/);
    }
    // Spread over different workers, never on the tainted control plane.
    expect(new Set(pods.map((p) => p.spec!.nodeName)).size).toBe(2);
    expect(pods.some((p) => p.spec!.nodeName === 'master')).toBe(false);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const names = (seed: number) => load([course('12')], { seed }).snapshot().pods.map((p) => `${p.metadata.name}@${p.status!.podIP}`).join(' ');
    expect(names(7)).toBe(names(7));
    expect(names(7)).not.toBe(names(8));
  });

  it('gives StatefulSet pods ordinal names, hostnames and the headless subdomain', () => {
    const snap = load([course('24')]).snapshot();
    const pods = snap.pods.filter((p) => p.metadata.labels?.app === 'nginx');
    expect(pods.map((p) => p.metadata.name)).toEqual(['web-0', 'web-1']);
    expect(pods.map((p) => [p.spec!.hostname, p.spec!.subdomain])).toEqual([['web-0', 'myapp'], ['web-1', 'myapp']]);
    const ep = snap.endpoints.find((e) => e.metadata.name === 'myapp')!;
    expect(ep.subsets![0].addresses!.map((a) => a.hostname).sort()).toEqual(['web-0', 'web-1']);
    expect(ep.metadata.labels!['service.kubernetes.io/headless']).toBe('');
  });

  it('runs one DaemonSet pod per schedulable worker', () => {
    const snap = load([course('27')]).snapshot();
    const pods = snap.pods.filter((p) => p.metadata.name.startsWith('nginx-linuxea-'));
    expect(pods.map((p) => p.spec!.nodeName).sort()).toEqual(['node1', 'node2', 'node3']);
  });

  it('gives hostNetwork pods their node IP and keeps one per node because of the host port', () => {
    const snap = load([course('19')]).snapshot();
    const pods = snap.pods.filter((p) => p.metadata.namespace === 'default');
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.status!.podIP).toBe(p.status!.hostIP);
    expect(new Set(pods.map((p) => p.spec!.nodeName)).size).toBe(3);
  });

  it('replaces a deleted pod with a new name and the next IP, and scales', () => {
    const sim = load([course('12')]);
    const before = sim.snapshot().pods.filter((p) => p.metadata.namespace === 'default');
    const victim = before[0];
    expect(sim.deletePod('default', victim.metadata.name).ok).toBe(true);
    const after = sim.snapshot().pods.filter((p) => p.metadata.namespace === 'default');
    expect(after).toHaveLength(3);
    expect(after.map((p) => p.metadata.name)).not.toContain(victim.metadata.name);
    const fresh = after.find((p) => !before.some((b) => b.metadata.name === p.metadata.name))!;
    expect(fresh.status!.podIP).not.toBe(victim.status!.podIP);
    sim.scale('Deployment', 'default', 'demoapp', 5);
    expect(sim.snapshot().pods.filter((p) => p.metadata.namespace === 'default')).toHaveLength(5);
    expect(sim.snapshot().endpoints.find((e) => e.metadata.name === 'demoapp-svc')!.subsets![0].addresses).toHaveLength(5);
    sim.scale('Deployment', 'default', 'demoapp', 1);
    expect(sim.snapshot().pods.filter((p) => p.metadata.namespace === 'default')).toHaveLength(1);
  });

  it('honours pod status from a real cluster dump (IPs, nodes, readiness)', () => {
    const dump = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-7d4b9c8f6d-abcde
    namespace: default
    labels: {app: web, pod-template-hash: 7d4b9c8f6d}
  spec:
    nodeName: node2
    containers: [{name: web, image: nginx}]
  status:
    phase: Running
    podIP: 10.244.2.77
    hostIP: 192.168.122.12
    conditions: [{type: Ready, status: "False"}]
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: default}
  spec:
    replicas: 1
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: web, image: nginx}]
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: default}
  spec:
    clusterIP: 10.96.200.1
    selector: {app: web}
    ports: [{port: 80}]
`;
    const snap = load([yamlFile('dump.yaml', dump)]).snapshot();
    const pods = snap.pods.filter((p) => p.metadata.namespace === 'default');
    expect(pods.map((p) => [p.metadata.name, p.status!.podIP, p.spec!.nodeName])).toEqual([['web-7d4b9c8f6d-abcde', '10.244.2.77', 'node2']]);
    expect(snap.replicaSets.find((r) => r.metadata.namespace === 'default')!.metadata.name).toBe('web-7d4b9c8f6d');
    const ep = snap.endpoints.find((e) => e.metadata.name === 'web')!;
    expect(ep.subsets![0].notReadyAddresses!.map((a) => a.ip)).toEqual(['10.244.2.77']);
  });
});

describe('endpoint controllers', () => {
  it('resolves named targetPorts through each pod\'s container ports', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: x}}
spec: {containers: [{name: c, image: i, ports: [{name: web, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: x}}
spec: {containers: [{name: c, image: i, ports: [{name: web, containerPort: 9090}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: x}
spec: {selector: {app: x}, ports: [{port: 80, targetPort: web}]}
`;
    const snap = load([yamlFile('n.yaml', yaml)]).snapshot();
    const ep = snap.endpoints.find((e) => e.metadata.name === 'x')!;
    expect(ep.subsets!.map((s) => s.ports![0].port).sort()).toEqual([8080, 9090]);
    const slices = snap.endpointSlices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'x');
    expect(slices.map((s) => s.ports![0].port).sort()).toEqual([8080, 9090]);
  });

  it('mirrors hand-written Endpoints into an EndpointSlice for Services without a selector', () => {
    const snap = load([course('41'), course('42')]).snapshot();
    const slice = snap.endpointSlices.find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'service-no-selector')!;
    expect(slice.metadata.labels!['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io');
    expect(slice.endpoints.map((e) => e.addresses[0])).toContain('110.242.68.3');
  });

  it('publishes not-ready pods only with publishNotReadyAddresses', () => {
    for (const [file, published] of [['10', false], ['11', true]] as const) {
      const sim = load([course(file)]);
      const pod = sim.snapshot().pods.find((p) => p.metadata.labels?.role === 'web-readiness')!;
      sim.setPodReady('default', pod.metadata.name, false);
      const ep = sim.snapshot().endpoints.find((e) => e.metadata.name === 'demoapp-readiness-service')!;
      const ready = ep.subsets!.flatMap((s) => s.addresses ?? []).map((a) => a.ip);
      expect(ready.includes(pod.status!.podIP!)).toBe(published);
    }
  });
});

describe('teaching insights', () => {
  it('explains a selector that matches the Deployment but not its pods', () => {
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {tier: fe}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {tier: fe}, ports: [{port: 80}]}\n';
    const i = load([yamlFile('m.yaml', yaml)]).snapshot().insights.find((x) => x.service === 'web')!;
    expect(i.code).toBe('service.selector-matches-workload-not-pods');
    expect(i.message.zh).toContain('Pod 模板');
  });

  it('spots a label typo and a namespace mismatch', () => {
    const typo = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: nginx}}\nspec: {containers: [{name: c, image: nginx}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: ngnix}, ports: [{port: 80}]}\n';
    expect(load([yamlFile('t.yaml', typo)]).snapshot().insights[0]).toMatchObject({ code: 'service.selector-label-typo' });
    const other = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team, labels: {app: nginx}}\nspec: {containers: [{name: c, image: nginx}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: nginx}, ports: [{port: 80}]}\n';
    expect(load([yamlFile('n.yaml', other)]).snapshot().insights[0]).toMatchObject({ code: 'service.pods-in-other-namespace' });
  });

  it('flags a named targetPort no container exposes', () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: a}}\nspec: {containers: [{name: c, image: nginx, ports: [{name: http, containerPort: 80}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: a}, ports: [{port: 80, targetPort: web}]}\n';
    expect(load([yamlFile('p.yaml', yaml)]).snapshot().insights[0]).toMatchObject({ code: 'service.named-target-port-missing' });
  });
});
