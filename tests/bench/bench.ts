// `npm run bench`: one JSON object per line, {"bench", "value", "unit", "target"}. Runs the
// same simulation core as the app, bundled for Node (see vite.cli.config.ts).
import { Simulation } from '../../src/sim/index';
import { deploymentsAndServices, servicesWithEndpoints } from './scenarios';

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

runBenches((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
