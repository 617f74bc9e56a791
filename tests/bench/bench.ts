// `npm run bench`: one JSON object per line, {"bench", "value", "unit", "target"}. Runs the
// same simulation core as the app, bundled for Node (see vite.cli.config.ts).
import { Simulation } from '../../src/sim/index';
import { deploymentsAndServices, servicesWithEndpoints } from './scenarios';
import { kubeProxyIptables } from '../../src/sim/kube-proxy/iptables/index';
import { printIptablesSave } from '../../src/sim/netfilter/save';

interface Result { bench: string; value: number; unit: 'ms'; target: number; [extra: string]: unknown }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(runs: number, f: () => void): number {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  return Math.round(median(ts) * 10) / 10;
}

export function runBenches(print: (r: Result) => void, only = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.BENCH_ONLY): void {
  const wanted = (name: string) => !only || name.includes(only);
  if (wanted('load-reconcile')) {
    const text = deploymentsAndServices(5000, 4);
    let pods = 0;
    const value = time(3, () => {
      const sim = Simulation.load([{ name: 'scale.yaml', text }]);
      pods = sim.snapshot().pods.length;
    });
    print({ bench: 'load-reconcile-5k-services-20k-pods', value, unit: 'ms', target: 1000, yamlBytes: text.length, pods });
  }
  if (wanted('load-7mb')) {
    const text = servicesWithEndpoints(20000, 8);
    let services = 0;
    const value = time(3, () => { services = Simulation.load([{ name: 'dump.yaml', text }]).snapshot().services.length; });
    print({ bench: 'load-7mb-20k-services-with-endpoints', value, unit: 'ms', target: 2000, yamlBytes: text.length, services });
  }
}

export function runIptablesBenches(print: (r: Result) => void, only = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.BENCH_ONLY): void {
  const wanted = (name: string) => !only || name.includes(only);
  if (!wanted('iptables-save-20k-services-x8') && !wanted('trace-one-packet-20k-services')) return;
  const sim = Simulation.load([{ name: 'dump.yaml', text: servicesWithEndpoints(20000, 8) }]);
  const snap = sim.snapshot();
  if (wanted('iptables-save')) {
    let rules = 0;
    let bytes = 0;
    const gen: number[] = [];
    const value = time(3, () => {
      const t0 = performance.now();
      const t = kubeProxyIptables(snap, 'node1')!;
      gen.push(performance.now() - t0);
      const text = printIptablesSave(t.ruleset, { version: 'v1.8.9', date: 'x', tableOrder: ['mangle', 'filter', 'nat'] });
      bytes = text.length;
      rules = t.ruleset.tables.reduce((n, tb) => n + tb.chains.reduce((m, c) => m + c.rules.length, 0), 0);
    });
    // generateMs: the part spent building the ruleset (the rest is printing).
    print({ bench: 'iptables-save-20k-services-x8', value, unit: 'ms', target: 750, rules, bytes, generateMs: Math.round(median(gen)) });
  }
  if (wanted('trace')) {
    const ip = snap.services.find((s) => s.metadata.name === 'svc-19999')!.spec!.clusterIP!;
    sim.trace({ from: 'node/node1', to: `${ip}:80` }); // warm the ruleset cache
    const n = 200;
    const value = time(3, () => { for (let i = 0; i < n; i++) sim.trace({ from: 'node/node1', to: `${ip}:80`, seed: i }); }) / n;
    print({ bench: 'trace-one-packet-20k-services', value: Math.round(value * 1000) / 1000, unit: 'ms', target: 5 });
  }
}

runIptablesBenches((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
runBenches((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
