import { describe, expect, it } from 'vitest';
import { complete } from '../../src/app/terminal/complete';
import { EXAMPLES, Simulation } from '../../src/sim/index';

const snap = Simulation.load(EXAMPLES[0].files).snapshot();

describe('terminal completion', () => {
  it('completes commands, kubectl verbs, resource types and names', () => {
    expect(complete('kub', snap).line).toBe('kubectl ');
    expect(complete('kubectl desc', snap).line).toBe('kubectl describe ');
    expect(complete('kubectl get ser', snap).line).toBe('kubectl get services ');
    expect(complete('kubectl describe svc demo', snap).line).toBe('kubectl describe svc demoapp-svc ');
    expect(complete('iptables -t n', snap).line).toBe('iptables -t nat ');
    expect(complete('kubectl get svc -n kube-system kube-', snap).line).toBe('kubectl get svc -n kube-system kube-dns ');
    const pods = complete('kubectl exec demoapp', snap);
    expect(pods.options.length).toBe(3);
    expect(pods.line).toBe('kubectl exec demoapp-568cc9fdc5-');
    expect(complete('nothing-here xyz', snap).options).toEqual([]);
  });
});
