// Service discovery through environment variables (course B5): the variables kubelet injects
// when a container starts (pkg/kubelet/envvars), `env`/`printenv` inside pods and on nodes,
// and `$VAR` expansion in the shell. The B5 session is a golden in tests/golden/discovery.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import fc from 'fast-check';
import { course, load, GOLDEN, yamlFile, transcriptAt } from './helpers';
import type { Simulation, Where } from '../../src/sim/index';
import type { Service } from '../../src/sim/api/objects';
import { envVarName, expandReferences, serviceEnvVars } from '../../src/sim/controllers/service-env';
import { parseList } from '../../src/sim/shell/argv';

const TOOLS_IMAGE = 'registry.cn-hangzhou.aliyuncs.com/mokeyking/k8s-oldxu:tools-latest';
const pod = (name: string, namespace = 'default'): Where => ({ kind: 'pod', namespace, pod: name });

const transcript = transcriptAt;

const clusterIP = (sim: Simulation, name: string, ns = 'default') => sim.snapshot().services.find((s) => s.metadata.namespace === ns && s.metadata.name === name)!.spec!.clusterIP!;
const lines = (s: string) => s.split('\n').filter(Boolean);

describe('B5: Service environment variables', () => {
  it('the course session: tools sees demoapp-svc, not the later env-svc; a new pod sees both (golden)', async () => {
    // B4 switched the cluster to IPVS, so the ClusterIP answers ping.
    const sim = load([course('12')], { proxyMode: 'ipvs', kubeProxyVersion: '1.23' });
    const out1 = transcript(sim, [
      [`kubectl run tools --image=${TOOLS_IMAGE}`],
      ['env | grep -i demoapp_svc', pod('tools')],
      ['ping ${DEMOAPP_SVC_SERVICE_HOST}', pod('tools')],
    ]);
    sim.apply([course('14')]); // kubectl apply -f env-svc.yaml, after tools started
    const out2 = transcript(sim, [
      ['kubectl get svc'],
      ['env | grep -i env_svc', pod('tools')],
      [`kubectl run tools2 --image=${TOOLS_IMAGE}`],
      ['kubectl exec tools2 -- env'],
    ]);
    const out = `${out1}\n# kubectl apply -f env-svc.yaml\n\n${out2}`;
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'discovery', 'b5-env.txt'));

    // `env | grep -i demoapp_svc`: kubelet's seven variables for a Service with one unnamed
    // TCP port (SERVICE_HOST, SERVICE_PORT and the five Docker-link ones).
    const ip = clusterIP(sim, 'demoapp-svc');
    expect(lines(sim.exec('env | grep -i demoapp_svc', pod('tools')).stdout)).toEqual([
      `DEMOAPP_SVC_PORT=tcp://${ip}:80`,
      `DEMOAPP_SVC_PORT_80_TCP=tcp://${ip}:80`,
      `DEMOAPP_SVC_PORT_80_TCP_ADDR=${ip}`,
      'DEMOAPP_SVC_PORT_80_TCP_PORT=80',
      'DEMOAPP_SVC_PORT_80_TCP_PROTO=tcp',
      `DEMOAPP_SVC_SERVICE_HOST=${ip}`,
      'DEMOAPP_SVC_SERVICE_PORT=80',
    ]);
    const tools = sim.exec('kubectl exec tools -- env').stdout;
    expect(tools).not.toContain('ENV_SVC_');
    expect(tools.startsWith('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=tools\n')).toBe(true);
    expect(tools.endsWith('\nHOME=/root\n')).toBe(true);
    const fresh = sim.exec('kubectl exec tools2 -- env').stdout;
    expect(fresh).toContain(`ENV_SVC_SERVICE_HOST=${clusterIP(sim, 'env-svc')}\n`);
    expect(fresh).toContain(`DEMOAPP_SVC_SERVICE_HOST=${ip}\n`);
    expect(sim.exec('kubectl exec tools2 -- env | grep -c SVC_').stdout).toBe('14\n');
  });

  it('in one load, the order of the documents decides (a Pod written before the Service lacks it)', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 8080\n';
    const bare = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, "3600"]\n`;
    const sim = load([yamlFile('a.yaml', `${bare('early')}---\n${svc}---\n${bare('late')}`)]);
    expect(sim.exec('printenv WEB_SERVICE_HOST', pod('early'))).toEqual({ stdout: '', stderr: '', exitCode: 1 });
    expect(sim.exec('printenv WEB_SERVICE_HOST WEB_SERVICE_PORT', pod('late')).stdout).toBe(`${clusterIP(sim, 'web')}\n8080\n`);
    // Deployment pods are created by the controllers after every document is in.
    const withDeploy = load([course('12')]);
    const demo = withDeploy.snapshot().pods.find((p) => p.metadata.name.startsWith('demoapp-'))!.metadata.name;
    expect(withDeploy.exec('printenv DEMOAPP_SVC_SERVICE_HOST', pod(demo)).stdout).toBe(`${clusterIP(withDeploy, 'demoapp-svc')}\n`);
  });

  it('enableServiceLinks: false leaves only the kubernetes Service; other namespaces never count', () => {
    const sim = load([course('12'), yamlFile('p.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: nolinks
spec:
  enableServiceLinks: false
  containers:
  - name: c
    image: busybox
---
apiVersion: v1
kind: Namespace
metadata:
  name: other
---
apiVersion: v1
kind: Pod
metadata:
  name: elsewhere
  namespace: other
spec:
  containers:
  - name: c
    image: busybox
`)]);
    const only = lines(sim.exec('env | grep SERVICE_HOST', pod('nolinks')).stdout);
    expect(only).toEqual(['KUBERNETES_SERVICE_HOST=10.96.0.1']);
    expect(sim.exec('env | grep -c KUBERNETES_', pod('nolinks')).stdout).toBe('8\n');
    expect(lines(sim.exec('env | grep SERVICE_HOST', pod('elsewhere', 'other')).stdout)).toEqual(['KUBERNETES_SERVICE_HOST=10.96.0.1']);
    // kube-system pods see kube-dns's variables, as on a real cluster.
    const dns = sim.snapshot().pods.find((p) => p.metadata.name.startsWith('coredns-'))!.metadata.name;
    expect(sim.exec('printenv KUBE_DNS_SERVICE_PORT_DNS_TCP KUBE_DNS_PORT_53_UDP', pod(dns, 'kube-system')).stdout).toBe(`53\nudp://${clusterIP(sim, 'kube-dns', 'kube-system')}:53\n`);
  });

  it('named and UDP ports, headless and ExternalName Services, the container env, $(VAR) and the downward API', () => {
    const sim = load([yamlFile('x.yaml', `apiVersion: v1
kind: Service
metadata:
  name: my-dns
spec:
  clusterIP: 10.96.7.7
  selector: {app: x}
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
  - {name: metrics, port: 9153}
---
apiVersion: v1
kind: Service
metadata:
  name: headless
spec:
  clusterIP: None
  selector: {app: x}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: outside
spec:
  type: ExternalName
  externalName: www.example.com
---
apiVersion: v1
kind: Pod
metadata:
  name: app
  labels: {tier: front}
spec:
  containers:
  - name: c
    image: busybox
    env:
    - {name: GREETING, value: hello}
    - {name: DNS_URL, value: "udp://$(MY_DNS_SERVICE_HOST):$(MY_DNS_SERVICE_PORT)"}
    - {name: MSG, value: "$(GREETING) $(UNDEFINED) $$(GREETING) $$HOME"}
    - {name: MY_DNS_SERVICE_PORT, value: "5353"}
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: POD_NS
      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    - name: POD_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - name: NODE
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
    - name: TIER
      valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}
`)]);
    const env = sim.exec('env', pod('app')).stdout;
    const p = sim.snapshot().pods.find((x) => x.metadata.name === 'app')!;
    expect(env).toContain([
      'GREETING=hello',
      'DNS_URL=udp://10.96.7.7:53', // expanded before MY_DNS_SERVICE_PORT is declared: the Service's value
      'MSG=hello $(UNDEFINED) $(GREETING) $HOME',
      'MY_DNS_SERVICE_PORT=5353',
      'POD_NAME=app', 'POD_NS=default', `POD_IP=${p.status!.podIP}`, `NODE=${p.spec!.nodeName}`, 'TIER=front',
    ].join('\n'));
    expect(lines(env).filter((l) => l.startsWith('MY_DNS_'))).toEqual([
      'MY_DNS_SERVICE_PORT=5353', // the container's own value wins over the Service's
      'MY_DNS_PORT=udp://10.96.7.7:53',
      'MY_DNS_PORT_53_TCP=tcp://10.96.7.7:53',
      'MY_DNS_PORT_53_TCP_ADDR=10.96.7.7',
      'MY_DNS_PORT_53_TCP_PORT=53',
      'MY_DNS_PORT_53_TCP_PROTO=tcp',
      'MY_DNS_PORT_53_UDP=udp://10.96.7.7:53',
      'MY_DNS_PORT_53_UDP_ADDR=10.96.7.7',
      'MY_DNS_PORT_53_UDP_PORT=53',
      'MY_DNS_PORT_53_UDP_PROTO=udp',
      'MY_DNS_PORT_9153_TCP=tcp://10.96.7.7:9153',
      'MY_DNS_PORT_9153_TCP_ADDR=10.96.7.7',
      'MY_DNS_PORT_9153_TCP_PORT=9153',
      'MY_DNS_PORT_9153_TCP_PROTO=tcp',
      'MY_DNS_SERVICE_HOST=10.96.7.7',
      'MY_DNS_SERVICE_PORT_DNS=53',
      'MY_DNS_SERVICE_PORT_DNS_TCP=53',
      'MY_DNS_SERVICE_PORT_METRICS=9153',
    ]);
    expect(env).not.toMatch(/HEADLESS_|OUTSIDE_/);
    // kubelet's generation order for one Service.
    const svc = sim.snapshot().services.find((s) => s.metadata.name === 'my-dns')!;
    expect(serviceEnvVars(svc).map((v) => v.name).slice(0, 6)).toEqual(['MY_DNS_SERVICE_HOST', 'MY_DNS_SERVICE_PORT', 'MY_DNS_SERVICE_PORT_DNS', 'MY_DNS_SERVICE_PORT_DNS_TCP', 'MY_DNS_SERVICE_PORT_METRICS', 'MY_DNS_PORT']);
    expect(expandReferences('$(A)-$(B)-$$(A)-$(A', (n) => (n === 'A' ? 'x' : undefined))).toBe('x-$(B)-$(A)-$(A');
  });

  it('a running container keeps the variables of a Service deleted and recreated later', () => {
    const sim = load([course('12')]);
    sim.exec(`kubectl run tools --image=${TOOLS_IMAGE}`);
    const old = clusterIP(sim, 'demoapp-svc');
    expect(sim.exec('kubectl delete svc demoapp-svc').stdout).toBe('service "demoapp-svc" deleted\n');
    sim.exec('kubectl expose deployment demoapp --name=demoapp-svc --port=80 --cluster-ip=10.96.100.100');
    expect(sim.exec('kubectl exec tools -- printenv DEMOAPP_SVC_SERVICE_HOST').stdout).toBe(`${old}\n`);
    expect(old).not.toBe('10.96.100.100');
    sim.exec(`kubectl run tools2 --image=${TOOLS_IMAGE}`);
    expect(sim.exec('kubectl exec tools2 -- printenv DEMOAPP_SVC_SERVICE_HOST').stdout).toBe('10.96.100.100\n');
    // /proc/1/environ shows the same, NUL-separated.
    expect(sim.exec('kubectl exec tools -- cat /proc/1/environ').stdout).toContain(`\0DEMOAPP_SVC_SERVICE_HOST=${old}\0`);
  });

  it('kubectl run --env, and env/printenv on a node', () => {
    const sim = load([]);
    sim.exec('kubectl run c --image=busybox --env=A=1 --env="B=x y" -- sleep 3600');
    expect(sim.exec('kubectl exec c -- env').stdout).toMatch(/^PATH=[^\n]+\nHOSTNAME=c\nA=1\nB=x y\nKUBERNETES_PORT=/);
    expect(sim.exec('env').stdout).toBe([
      'SHELL=/bin/bash', 'PWD=/root', 'LOGNAME=root', 'HOME=/root', 'LANG=C.UTF-8', 'TERM=xterm-256color', 'USER=root', 'SHLVL=1',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games:/snap/bin', '_=/usr/bin/env', '',
    ].join('\n'));
    expect(sim.exec('cd /tmp; printenv PWD HOME')).toEqual({ stdout: '/tmp\n/root\n', stderr: '', exitCode: 0 });
    expect(sim.exec('printenv NOPE').exitCode).toBe(1);
    expect(sim.exec('env | grep -c KUBERNETES').stdout).toBe('0\n');
  });
});

describe('$VAR expansion', () => {
  const vars: Record<string, string> = { HOME: '/root', TWO: 'a  b', EMPTY: '', '?': '0' };
  const words = (line: string) => {
    const r = parseList(line, (n) => vars[n]);
    if ('error' in r) throw new Error(r.error);
    return r.flatMap((it) => it.commands.map((c) => c.words));
  };

  it('follows POSIX quoting: double quotes expand, single quotes and \\$ do not, unquoted values split', () => {
    expect(words('echo $HOME ${HOME}/x "$HOME" \'$HOME\' \\$HOME "\\$HOME"')).toEqual([['echo', '/root', '/root/x', '/root', '$HOME', '$HOME', '$HOME']]);
    expect(words('echo $TWO "$TWO" x$TWO')).toEqual([['echo', 'a', 'b', 'a  b', 'xa', 'b']]);
    expect(words('echo $UNSET $EMPTY "" "$UNSET" end')).toEqual([['echo', '', '', 'end']]);
    expect(words('echo $? $1 ${HOME:-x} $(hostname) $ a$')).toEqual([['echo', '0', '$1', '${HOME:-x}', '$(hostname)', '$', 'a$']]);
    expect(words('echo $HOME|grep root > $HOME/out')).toEqual([['echo', '/root'], ['grep', 'root']]);
    // Without variables the words stay as typed (callers that only split).
    expect(parseList('echo $HOME')).toEqual([{ op: ';', commands: [{ words: ['echo', '$HOME'], redirects: [] }] }]);
  });

  it('in the shell: a node has root\'s variables, a pod its container\'s; for loops still substitute', () => {
    const sim = load([course('12')]);
    sim.exec(`kubectl run tools --image=${TOOLS_IMAGE}`);
    const ip = clusterIP(sim, 'demoapp-svc');
    expect(sim.exec('echo $HOME $HOSTNAME "$USER" \'$HOME\' $NOPE.').stdout).toBe('/root master root $HOME .\n');
    expect(sim.exec('echo $HOSTNAME ${DEMOAPP_SVC_SERVICE_HOST}:$DEMOAPP_SVC_SERVICE_PORT', pod('tools')).stdout).toBe(`tools ${ip}:80\n`);
    // Quoted for the node's shell, the pod's shell expands it; unquoted, the node's does.
    expect(sim.exec("kubectl exec tools -- sh -c 'echo $HOSTNAME'").stdout).toBe('tools\n');
    expect(sim.exec('kubectl exec tools -- echo $HOSTNAME').stdout).toBe('master\n');
    expect(sim.exec('for i in 1 2; do echo $i "$i" $HOME; done').stdout).toBe('1 1 /root\n2 2 /root\n');
    expect(sim.exec('echo $?; false; echo "$?"; true && echo $? | cat; printenv NOPE || echo $?').stdout).toBe('0\n1\n0\n1\n');
  });
});

describe('properties', () => {
  it('any Service name gives valid environment variable names', () => {
    const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    const portName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/).filter((s) => /[a-z]/.test(s) && !s.includes('--'));
    fc.assert(fc.property(label, fc.array(fc.record({ name: portName, port: fc.integer({ min: 1, max: 65535 }), udp: fc.boolean() }), { minLength: 1, maxLength: 4 }), (name, ports) => {
      expect(envVarName(name)).toMatch(/^[A-Z_][A-Z0-9_]*$/);
      const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { clusterIP: '10.96.0.10', ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.udp ? 'UDP' : 'TCP' })) } } as Service;
      for (const v of serviceEnvVars(svc)) expect(v.name).toMatch(/^[A-Z_][A-Z0-9_]*$/);
    }));
  });
});
