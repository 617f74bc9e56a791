// The API server's refusals and defaults, in its own words, located in the learner's YAML.
import { describe, expect, it } from 'vitest';
import { load, yamlFile } from './helpers';

const svc = (spec: string, name = 'my-service') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;

function errorsOf(text: string) {
  return load([yamlFile('x.yaml', text)]).diagnostics.filter((d) => d.severity === 'error');
}

describe('Service validation and allocation', () => {
  it('refuses a nodePort outside the range with the real message, at the nodePort line', () => {
    const [e] = errorsOf(svc('type: NodePort\nselector: {app: a}\nports:\n- port: 80\n  nodePort: 40000'));
    // kubectl rebuilds a single Invalid error from its cause: no "error when creating" prefix.
    expect(e.raw).toBe('The Service "my-service" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767');
    expect(e).toMatchObject({ file: 'x.yaml', line: 10, column: 5, field: 'spec.ports[0].nodePort' });
    expect(e.message.zh).toContain('30000-32767');
  });

  it('refuses a nodePort that another Service holds', () => {
    const [e] = errorsOf(svc('type: NodePort\nports:\n- port: 80\n  nodePort: 30080', 'a') + '---\n' + svc('type: NodePort\nports:\n- port: 81\n  nodePort: 30080', 'b'));
    expect(e.raw).toContain('The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  });

  it('refuses a clusterIP outside the service range, pointing at clusterIP', () => {
    const [e] = errorsOf(svc('clusterIP: 10.2.11.22\nports:\n- port: 80'));
    expect(e.raw).toContain('spec.clusterIPs: Invalid value: []string{"10.2.11.22"}: failed to allocate IP 10.2.11.22: the provided IP (10.2.11.22) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    expect(e.line).toBe(6);
  });

  it('refuses a clusterIP that is taken (kube-dns holds 10.96.0.10)', () => {
    const [e] = errorsOf(svc('clusterIP: 10.96.0.10\nports:\n- port: 80'));
    expect(e.raw).toContain('failed to allocate IP 10.96.0.10: provided IP is already allocated');
  });

  it('lists several errors the way apierrors aggregates them', () => {
    const [e] = errorsOf(svc('type: nodePort\nports:\n- port: 80'));
    expect(e.raw).toContain('spec.type: Unsupported value: "nodePort": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"');
    const errs = errorsOf(svc('ports:\n- port: 80\n- port: 0'));
    expect(errs[0].raw).toBe('The Service "my-service" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value\n* spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive');
    // Allocation runs before validation and stops at its first error, hiding the rest.
    const hidden = errorsOf(svc('type: NodePort\nports:\n- port: 0\n  nodePort: 1'));
    expect(hidden[0].raw).toBe('The Service "my-service" is invalid: spec.ports[0].nodePort: Invalid value: 1: provided port is not in the valid range. The range of valid ports is 30000-32767');
  });

  it('applies the API server defaults', () => {
    const sim = load([yamlFile('x.yaml', svc('type: NodePort\nselector: {app: a}\nsessionAffinity: ClientIP\nports:\n- port: 80'))]);
    const s = sim.snapshot().services.find((x) => x.metadata.name === 'my-service')!;
    expect(s.spec).toMatchObject({
      type: 'NodePort', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(s.spec!.clusterIPs).toEqual([s.spec!.clusterIP]);
    expect(s.spec!.ports![0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(s.spec!.ports![0].nodePort).toBeLessThanOrEqual(32767);
  });

  it('gives a type error for a quoted port, as the decoder does', () => {
    const [e] = errorsOf(svc('ports:\n- port: "80"'));
    expect(e.raw).toBe('Error from server (BadRequest): error when creating "x.yaml": Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32');
    expect(e.line).toBe(7);
  });

  it('warns about unknown fields and drops them', () => {
    const sim = load([yamlFile('x.yaml', svc('ports:\n- port: 80\nselectr: {app: a}'))]);
    const w = sim.diagnostics.find((d) => d.code === 'api.unknown-field')!;
    expect(w).toMatchObject({ severity: 'warning', line: 8, raw: 'Error from server (BadRequest): error when creating "x.yaml": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.selectr"' });
    expect(sim.ok).toBe(true);
  });

  it('treats a second definition of the same object as an update', () => {
    const sim = load([yamlFile('x.yaml', svc('ports:\n- port: 80') + '---\n' + svc('ports:\n- port: 81'))]);
    expect(sim.snapshot().services.find((s) => s.metadata.name === 'my-service')!.spec!.ports![0].port).toBe(81);
  });

  it('refuses a missing kind and an unknown kind differently', () => {
    expect(errorsOf('apiVersion: v1\nmetadata:\n  name: x\n')[0].raw).toContain('error validating data: [kind not set]');
    const sim = load([yamlFile('x.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n')]);
    expect(sim.ok).toBe(true);
    expect(sim.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'api.unknown-kind' });
  });
});

describe('workload validation', () => {
  it('refuses a Deployment whose selector does not match its template', () => {
    const [e] = errorsOf('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: c\n        image: nginx\n');
    expect(e.raw).toContain('The Deployment "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`');
    expect(e.line).toBe(11);
  });

  it('reports a missing selector twice, as apps validation does', () => {
    const [e] = errorsOf('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: nginx\n');
    expect(e.raw).toBe('The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`');
  });

  it('refuses dnsPolicy None without dnsConfig', () => {
    const [e] = errorsOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  dnsPolicy: None\n  containers:\n  - name: c\n    image: busybox\n');
    expect(e.raw).toContain('spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None');
  });
});
