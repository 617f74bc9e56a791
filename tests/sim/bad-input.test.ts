// Bad input never crashes or hangs: each case gives a located diagnostic quickly, and large
// valid input (the scale lessons' 20,000-Service dumps) is not treated as bad.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index';
import { servicesWithEndpoints } from '../bench/scenarios';

function loadTimed(text: string, name = 'bad.yaml') {
  const t = performance.now();
  const sim = Simulation.load([{ name, text }]);
  sim.snapshot();
  return { sim, ms: performance.now() - t };
}

const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: a}\n  ports:\n  - port: 80\n';

describe('bad input', () => {
  const cases: [string, string, string, 'error' | 'warning'][] = [
    ['malformed YAML', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [s\n', 'yaml.syntax', 'error'],
    ['a tab in the indentation', 'apiVersion: v1\nkind: Service\nmetadata:\n\tname: s\n', 'yaml.syntax', 'error'],
    ['a wrong type', svc.replace('port: 80', 'port: eighty'), 'api.wrong-type', 'error'],
    ['a number as a label value', svc.replace('name: s', 'name: s\n  labels:\n    version: 1.0'), 'api.wrong-type', 'error'],
    ['an unknown field', svc.replace('selector:', 'selectorr:'), 'api.unknown-field', 'warning'],
    ['a duplicate key', svc.replace('  name: s\n', '  name: s\n  name: t\n'), 'yaml.syntax', 'error'],
    ['a document that is a list', '- a\n- b\n', 'yaml.not-an-object', 'error'],
    ['a missing kind', 'apiVersion: v1\nmetadata:\n  name: s\n', 'api.missing-kind', 'error'],
    ['an unknown kind', 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n', 'api.unknown-kind', 'warning'],
    ['a wrong apiVersion', svc.replace('apiVersion: v1', 'apiVersion: apps/v1'), 'api.wrong-version', 'error'],
  ];
  for (const [what, text, code, severity] of cases) {
    it(`${what}: ${severity} ${code}, located, fast`, () => {
      const { sim, ms } = loadTimed(text);
      const d = sim.diagnostics.find((x) => x.code === code);
      expect(d, JSON.stringify(sim.diagnostics)).toBeDefined();
      expect(d!.severity).toBe(severity);
      expect(d!.file).toBe('bad.yaml');
      expect(d!.line).toBeGreaterThan(0);
      expect(d!.message.en.length).toBeGreaterThan(5);
      expect(d!.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(ms).toBeLessThan(2000);
    });
  }

  it('duplicate objects: the later one wins with a clear outcome, the earlier stays addressable', () => {
    const { sim } = loadTimed(`${svc}---\n${svc.replace('port: 80', 'port: 81')}`);
    expect(sim.ok).toBe(true);
    expect(sim.snapshot().services.filter((s) => s.metadata.name === 's')).toHaveLength(1);
  });

  it('an alias bomb is refused in well under 2 s', () => {
    let bomb = 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i < 10; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]\n`;
    const { sim, ms } = loadTimed(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${bomb.replace(/^/gm, '  ')}`);
    expect(sim.diagnostics[0].code).toBe('yaml.excessive-aliasing');
    expect(ms).toBeLessThan(2000);
  });

  it('a 100 MB paste is refused at once, keeping the built-in cluster usable', () => {
    const { sim, ms } = loadTimed(`# ${'x'.repeat(100 * 1024 * 1024)}`);
    expect(sim.diagnostics[0]).toMatchObject({ code: 'yaml.too-large', line: 1, column: 1 });
    expect(ms).toBeLessThan(2000);
    expect(sim.exec('kubectl get svc kubernetes').exitCode).toBe(0);
  });

  it('a 7+ MB dump of 20,000 Services with Endpoints loads without a problem', () => {
    const text = servicesWithEndpoints(20000, 8);
    expect(text.length).toBeGreaterThan(7 * 1024 * 1024);
    const { sim } = loadTimed(text, 'dump.yaml');
    expect(sim.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const snap = sim.snapshot();
    expect(snap.services).toHaveLength(20002);
    expect(snap.endpointSlices.filter((s) => s.metadata.name.startsWith('svc-'))).toHaveLength(20000);
    expect(sim.exec('kubectl get ep svc-19999').stdout).toContain('+ 5 more...');
  });
});
