// The page's store with the simulation in-process (a fake worker client): following a
// packet, stepping, switching paths, and the trace following the cluster when YAML changes.
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../src/app/store';
import { EXAMPLES, Simulation } from '../../src/sim/index';
import type { SimClient } from '../../src/worker/client';
import type { LoadOptions, SourceFile } from '../../src/worker/protocol';

function inProcessClient(): Pick<SimClient, 'load' | 'exec' | 'examples' | 'trace' | 'chain' | 'mutate' | 'setPodReady'> {
  let current: Simulation | null = null;
  return {
    async load(files: SourceFile[], options?: LoadOptions) {
      const sim = Simulation.load(files, options);
      if (sim.ok) current = sim;
      return { ok: sim.ok, diagnostics: sim.diagnostics, snapshot: sim.snapshot() };
    },
    async exec(command, where) { return current!.exec(command, where); },
    async examples() { return EXAMPLES.map((e) => ({ id: e.id, title: e.title, files: e.files })); },
    async trace(req) { return current!.trace(req); },
    async setPodReady(ns, name, ready) { return current!.setPodReady(ns, name, ready).ok ? current!.snapshot() : null; },
    async mutate(command, where) {
      const before = current!.snapshot();
      const result = current!.exec(command, where);
      const after = current!.snapshot();
      return { result, snapshot: after.pods !== before.pods || after.services !== before.services ? after : null };
    },
    async chain(node, table, chain) {
      const t = current!.ruleset(node)?.tables.find((x) => x.name === table);
      const c = t?.chains.find((x) => x.name === chain);
      return c ? { node, table, chain, policy: c.policy ?? null, rules: c.rules.map((r) => `-A ${chain}${r.text ?? ''}`) } : null;
    },
  };
}

describe('following a packet', () => {
  it('traces every path, steps within bounds, switches paths and follows YAML edits', async () => {
    const store = createAppStore({ client: inProcessClient(), storage: null, debounceMs: 0 });
    await store.getState().init();
    expect(store.getState().phase).toBe('ready');
    const snap = store.getState().snapshot!;
    const svc = snap.services.find((s) => s.metadata.name === 'demoapp-svc')!;
    const to = `${svc.spec!.clusterIP}:80`;
    await store.getState().sendPacket({ from: 'node/node1', to });
    const { trace } = store.getState();
    expect(trace!.paths).toHaveLength(3);
    const hops = trace!.paths[0].hops.length;
    store.getState().setStep(5);
    expect(store.getState().step).toBe(5);
    store.getState().setStep(10_000);
    expect(store.getState().step).toBe(hops - 1);
    store.getState().setPath(2);
    expect(store.getState()).toMatchObject({ pathIndex: 2, step: 0 });
    store.getState().setSpeed(10);
    expect(store.getState().speed).toBe(4);
    const chain = await store.getState().loadChain('node1', 'nat', 'KUBE-SERVICES');
    expect(chain!.rules.some((r) => r.includes('demoapp-svc cluster IP'))).toBe(true);

    // Scale the Deployment down to one replica in the YAML: the followed packet now has one path.
    const file = store.getState().files[0];
    store.getState().editFile(file.name, file.text.replace(/replicas: 3/, 'replicas: 1'));
    await store.getState().flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(store.getState().trace!.paths).toHaveLength(1);
    expect(store.getState().pathIndex).toBe(0);

    // kubectl in the terminal changes the cluster too: the stage and the packet follow.
    await store.getState().runCommand('kubectl scale deployment demoapp --replicas=2');
    expect(store.getState().terminal.at(-1)!.stdout).toBe('deployment.apps/demoapp scaled\n');
    expect(store.getState().trace!.paths).toHaveLength(2);
    expect(store.getState().snapshot!.pods.filter((p) => p.metadata.name.startsWith('demoapp'))).toHaveLength(2);
  });

  it('what-if changes show the nat rules they add and remove; statistics converge', async () => {
    const store = createAppStore({ client: inProcessClient(), storage: null, debounceMs: 0 });
    await store.getState().init();
    const svc = store.getState().snapshot!.services.find((s) => s.metadata.name === 'demoapp-svc')!;
    await store.getState().sendPacket({ from: 'node/node1', to: `${svc.spec!.clusterIP}:80` });

    await store.getState().whatIf({ kind: 'command', command: 'kubectl scale deployment demoapp --replicas=4' }, 'node1');
    const d = store.getState().rulesDiff!;
    expect(d.added.filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('DNAT'))).toHaveLength(1);
    expect(d.added.some((l) => l.includes('--probability 0.25000000000'))).toBe(true);
    expect(d.removed.some((l) => l.includes('--probability 0.33333333349'))).toBe(true);

    await store.getState().whatIf({ kind: 'kubeProxyVersion', version: '1.23' }, 'node1');
    expect(store.getState().rulesDiff!.added.some((l) => l.startsWith(':KUBE-MARK-DROP'))).toBe(true);
    // A reload starts again from the YAML (3 replicas): terminal changes are live edits, not the manifest.
    expect(store.getState().trace!.paths).toHaveLength(3);

    const pod = store.getState().snapshot!.pods.find((p) => p.metadata.name.startsWith('demoapp'))!;
    await store.getState().whatIf({ kind: 'ready', namespace: 'default', name: pod.metadata.name, ready: false }, 'node1');
    expect(store.getState().trace!.paths).toHaveLength(2);
    expect(store.getState().rulesDiff!.removed.some((l) => l.includes(pod.status!.podIP!))).toBe(true);
    await store.getState().whatIf({ kind: 'ready', namespace: 'default', name: pod.metadata.name, ready: true }, 'node1');
    expect(store.getState().trace!.paths).toHaveLength(3);

    await store.getState().sampleConnections(10_000, 1);
    const st = store.getState().stats!;
    expect(st.requests).toBe(10_000);
    for (const [k, p] of Object.entries(st.expected)) expect(Math.abs((st.tally[k] ?? 0) / st.requests - p)).toBeLessThan(0.03);
    await store.getState().sampleConnections(1000, 100);
    expect(Object.values(store.getState().stats!.tally).every((n) => n % 100 === 0)).toBe(true);
  });
});

describe('serviceLine', () => {
  it('finds the metadata.name line of a Service in a multi-document file', async () => {
    const { serviceLine } = await import('../../src/app/store');
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec: {}\n';
    expect(serviceLine(text, 'shop', 'web')).toBe(9);
    expect(serviceLine('kind: Service\nmetadata:\n  name: a\n', 'default', 'a')).toBe(3);
    expect(serviceLine(text, 'default', 'web')).toBeNull();
  });
});

describe('curlTarget', () => {
  it('reads the address curl connects to', async () => {
    const { curlTarget } = await import('../../src/app/store');
    expect(curlTarget('curl 10.96.0.10')).toBe('10.96.0.10:80');
    expect(curlTarget('curl -s http://10.1.2.3:8080/x; conntrack -L')).toBe('10.1.2.3:8080');
    expect(curlTarget('kubectl get svc')).toBeNull();
  });
});

describe('settings', () => {
  it('the playback speed survives a reload', async () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) } as unknown as Storage;
    const { createAppStore: create } = await import('../../src/app/store');
    const a = create({ client: inProcessClient(), storage, debounceMs: 0 });
    a.getState().setSpeed(2);
    expect(create({ client: inProcessClient(), storage, debounceMs: 0 }).getState().speed).toBe(2);
  });
});
