// Cluster DNS: the CoreDNS kubernetes plugin (conformance cases after coredns
// plugin/kubernetes/handler_test.go, reference/coredns.md §5), the kubelet's resolv.conf per
// dnsPolicy, and nslookup/dig/host transcripts of the course's DNS scenarios (goldens in
// tests/golden/dns, checked against the layouts of reference/coredns.md §3.5).
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import fc from 'fast-check';
import { cluster, course, load, GOLDEN, yamlFile, transcriptAt } from './helpers';
import type { Simulation, Where } from '../../src/sim/index';
import { kubernetesPlugin, type DnsData, type PluginOptions } from '../../src/sim/dns/records';
import { resolveAddress } from '../../src/sim/dns/resolver';

const BUSYBOX = yamlFile('busybox.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: busybox
spec:
  containers:
  - name: busybox
    image: busybox:1.28
    command: ["sleep", "1000000"]
---
apiVersion: v1
kind: Pod
metadata:
  name: bbnew
spec:
  containers:
  - name: busybox
    image: busybox
    command: ["sleep", "1000000"]
`);

const transcript = transcriptAt;

const pod = (namespace: string, name: string): Where => ({ kind: 'pod', namespace, pod: name });
const node = (n: string): Where => ({ kind: 'node', node: n });
const podName = (sim: Simulation, ns: string, prefix: string) => sim.snapshot().pods.find((p) => p.metadata.namespace === ns && p.metadata.name.startsWith(prefix))!.metadata.name;

describe('course DNS scenarios (goldens)', () => {
  it('A6: a normal Service from the node (bind nslookup) and from busybox pods', async () => {
    const sim = load([cluster('part-a-kubeasz'), course('01'), course('02'), BUSYBOX]);
    const out = transcript(sim, [
      ['nslookup my-service.default.svc.cluster.local 10.2.0.2'],
      ['nslookup my-service.default.svc.cluster.local'],
      ['nslookup my-service', pod('default', 'busybox')],
      ['nslookup my-service', pod('default', 'bbnew')],
      ['nslookup kubernetes.default', pod('default', 'busybox')],
      ['dig @10.2.0.2 my-service.default.svc.cluster.local'],
      ['dig @10.2.0.2 -t SRV my-service.default.svc.cluster.local +short'],
      ['dig -x 10.2.0.2 @10.2.0.2 +short'],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'a6-normal-service.txt'));
    // §3.5 layouts
    expect(out).toContain('Server:\t\t10.2.0.2\nAddress:\t10.2.0.2#53\n\nName:\tmy-service.default.svc.cluster.local\nAddress: ');
    expect(out).toContain('Server:    10.2.0.2\nAddress 1: 10.2.0.2 kube-dns.kube-system.svc.cluster.local\n\nName:      my-service\nAddress 1: ');
    expect(out).toContain('Name:      kubernetes.default\nAddress 1: 10.2.0.1 kubernetes.default.svc.cluster.local\n');
    expect(out).toContain('Server:\t\t10.2.0.2\nAddress:\t10.2.0.2:53\n\n** server can\'t find my-service.svc.cluster.local: NXDOMAIN\n\n');
    expect(out).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n');
    expect(out).toContain(';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n');
    // The dig comes 25 s after the node's first nslookup: the answer may come from that CoreDNS pod's cache, counting down from 30.
    expect(out).toMatch(/\nmy-service\.default\.svc\.cluster\.local\. (30 |5\t)IN A\t10\.2\.11\.22\n/);
    expect(out).toContain('0 100 80 my-service.default.svc.cluster.local.\n');
    expect(out).toContain('kube-dns.kube-system.svc.cluster.local.\n');
    expect(out).toContain("Server:\t\t127.0.0.53\nAddress:\t127.0.0.53#53\n\n** server can't find my-service.default.svc.cluster.local: NXDOMAIN\n"); // the node's own resolver can't see cluster names
  });

  it('A8/D7/C7: headless Services resolve to the ready pod IPs with dashed-IP names', async () => {
    const sim = load([course('30'), course('34'), course('33'), course('27'), course('29')]);
    const out = transcript(sim, [
      ['nslookup headless-svc', pod('default', 'clientpod')],
      ['nslookup headless-svc.default.svc.cluster.local 10.96.0.10'],
      ['dig -t A none-linuxea.default.svc.cluster.local. @10.96.0.10'],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'headless.txt'));
    const ips = sim.snapshot().pods.filter((p) => p.metadata.labels?.app === 'httpd').map((p) => p.status!.podIP!);
    for (const ip of ips) expect(out).toContain(` ${ip} ${ip.replace(/\./g, '-')}.headless-svc.default.svc.cluster.local\n`);
    expect(out).toContain('ANSWER: 3,');
  });

  it('A11/A12/E6: ExternalName CNAMEs, external and in-cluster, across namespaces', async () => {
    const sim = load([course('01'), course('07'), course('08'), course('09'), course('35'), course('36'), course('43'), BUSYBOX]);
    const ns1 = podName(sim, 'ns1', 'deploy-nginx');
    const out = transcript(sim, [
      ['dig -t A my-externalname.default.svc.cluster.local. @10.96.0.10'],
      ['nslookup my-externalname.default.svc.cluster.local 10.96.0.10'],
      ['nslookup external-svc1.ns1.svc.cluster.local. 10.96.0.10'],
      ['host service-external-name.default.svc.cluster.local 10.96.0.10'],
      ['nslookup service-external-name', pod('default', 'busybox')],
      ['nslookup svc2.ns2.svc.cluster.local', pod('default', 'bbnew')],
      ['cat /etc/resolv.conf', pod('ns1', ns1)],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'externalname.txt'));
    expect(out).toContain('my-externalname.default.svc.cluster.local. 30 IN CNAME www.baidu.com.\n');
    expect(out).toContain('my-externalname.default.svc.cluster.local\tcanonical name = www.baidu.com.\n');
    expect(out).toContain('external-svc1.ns1.svc.cluster.local\tcanonical name = svc2.ns2.svc.cluster.local.\n');
    expect(out).toContain('service-external-name.default.svc.cluster.local is an alias for nginx-service.default.svc.cluster.local.\n');
    expect(out).toContain('search ns1.svc.cluster.local svc.cluster.local cluster.local\n');
  });

  it('B7: StatefulSet pods get hostname.subdomain names', async () => {
    const sim = load([course('24'), BUSYBOX]);
    const out = transcript(sim, [
      ['nslookup myapp', pod('default', 'busybox')],
      ['nslookup web-0.myapp', pod('default', 'busybox')],
      ['nslookup web-1.myapp.default.svc.cluster.local 10.96.0.10'],
      ['dig @10.96.0.10 -t SRV myapp.default.svc.cluster.local'],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'statefulset.txt'));
    const ip = (n: string) => sim.snapshot().pods.find((p) => p.metadata.name === n)!.status!.podIP!;
    expect(out).toContain(`Name:      web-0.myapp\nAddress 1: ${ip('web-0')} web-0.myapp.default.svc.cluster.local\n`);
    expect(out).toContain(`Name:\tweb-1.myapp.default.svc.cluster.local\nAddress: ${ip('web-1')}\n`);
    expect(out).toContain('0 50 80 web-0.myapp.default.svc.cluster.local.\n');
  });

  it('B6: resolv.conf for each dnsPolicy, hostNetwork, dnsConfig', async () => {
    const sim = load([course('15'), course('20'), course('23'), course('19')]);
    const hn = podName(sim, 'default', 'demoapp');
    const out = transcript(sim, [
      ['cat /etc/resolv.conf', pod('default', 'pod-example-1')],
      ['cat /etc/resolv.conf', pod('default', 'pod-example-3')],
      ['cat /etc/resolv.conf', pod('default', 'pod-example-7')],
      ['cat /etc/resolv.conf', pod('default', hn)],
      ['cat /etc/resolv.conf', node('node1')],
      ['nslookup kubernetes', pod('default', 'pod-example-1')],
      ['nslookup kubernetes', pod('default', 'pod-example-3')],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'dnspolicy.txt'));
    expect(out).toContain('[default/pod-example-1]$ cat /etc/resolv.conf\nsearch default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(out).toContain('[default/pod-example-3]$ cat /etc/resolv.conf\nnameserver 192.168.122.1\n');
    expect(out).toContain('search mydomain.com otherdomain.svc.cluster.local king.net\nnameserver 233.5.5.5\nnameserver 233.6.6.6\n');
    expect(out).toContain('nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n');
    expect(out).toContain('Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n');
    expect(out).toContain("** server can't find kubernetes: NXDOMAIN\n");
    const hostNet = load([course('18')]);
    expect(hostNet.exec('cat /etc/resolv.conf', pod('default', 'pod-example-2')).stdout).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const hostNetCF = load([course('16')]);
    expect(hostNetCF.exec('cat /etc/resolv.conf', pod('default', 'pod-example-2')).stdout).toBe('nameserver 192.168.122.1\n');
  });

  it('ndots: an external name walks the whole search list first', async () => {
    const sim = load([BUSYBOX]);
    const out = transcript(sim, [['nslookup www.baidu.com', pod('default', 'bbnew')], ['nslookup www.baidu.com', pod('default', 'busybox')]]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'ndots-external.txt'));
    expect(out).toContain('Non-authoritative answer:\nwww.baidu.com\tcanonical name = www.a.shifen.com\n');
    expect(out).toContain('Name:      www.baidu.com\nAddress 1: 110.242.68.3\nAddress 2: 110.242.68.4\n');
  });

  it('tools exist only where the image has them', () => {
    const sim = load([course('35')]);
    const p = podName(sim, 'default', 'nginx-deployment');
    expect(sim.exec('nslookup nginx-service', pod('default', p))).toEqual({ stdout: '', stderr: 'sh: nslookup: not found\n', exitCode: 127 });
    const bb = load([BUSYBOX]);
    expect(bb.exec('dig kubernetes', pod('default', 'busybox')).exitCode).toBe(127);
  });
});

// --- Conformance: coredns plugin/kubernetes/handler_test.go (reference/coredns.md §5) ---------

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), creationTimestamp: '2024-01-01T00:00:00Z' });
const svc = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name, 'testns'), spec });
const slice = (service: string, eps: { ip: string; hostname?: string }[], ports = [{ name: 'http', port: 80, protocol: 'TCP' }]) => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { ...meta(`${service}-x`, 'testns'), labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4', ports, endpoints: eps.map((e) => ({ addresses: [e.ip], conditions: { ready: true }, ...(e.hostname ? { hostname: e.hostname } : {}) })),
});
const HTTP = [{ name: 'http', port: 80, protocol: 'TCP' }];
const FIXTURE = {
  namespaces: [{ apiVersion: 'v1', kind: 'Namespace', metadata: meta('testns') }, { apiVersion: 'v1', kind: 'Namespace', metadata: meta('podns') }],
  services: [
    svc('svc1', { clusterIP: '10.0.0.1', ports: HTTP }),
    svc('svcempty', { clusterIP: '10.0.0.1', ports: HTTP }),
    svc('svc6', { clusterIP: '1234:abcd::1', ports: HTTP }),
    svc('svc-dual-stack', { clusterIP: '10.0.0.3', clusterIPs: ['10.0.0.3', '10::3'], ports: HTTP }),
    svc('hdls1', { clusterIP: 'None', ports: HTTP }),
    svc('hdlsprtls', { clusterIP: 'None' }),
    svc('external', { type: 'ExternalName', externalName: 'ext.interwebs.test' }),
    svc('external-to-service', { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local.' }),
  ],
  endpointSlices: [
    slice('svc1', [{ ip: '172.0.0.1', hostname: 'ep1a' }]),
    slice('hdls1', [{ ip: '172.0.0.2' }, { ip: '172.0.0.3' }, { ip: '172.0.0.4', hostname: 'dup-name' }, { ip: '172.0.0.5', hostname: 'dup-name' }, { ip: '5678:abcd::1' }, { ip: '5678:abcd::2' }]),
    slice('hdlsprtls', [{ ip: '172.0.0.20' }], []),
  ],
  pods: [{ apiVersion: 'v1', kind: 'Pod', metadata: meta('foo', 'podns'), status: { podIP: '10.240.0.1' } }],
} as unknown as DnsData;
const OPTS: PluginOptions = { zone: 'cluster.local', ttl: 5, pods: 'insecure' };

interface Case { q: string; t: string; rcode: string; answer?: string[]; additional?: string[]; soa?: boolean; opts?: Partial<PluginOptions> }
const CASES: Case[] = [
  { q: 'svc1.testns.svc.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['svc1.testns.svc.cluster.local. 5 A 10.0.0.1'] },
  { q: 'svc0.testns.svc.cluster.local.', t: 'A', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc0.svc-nons.svc.cluster.local.', t: 'A', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc1.testns.svc.cluster.local.', t: 'AAAA', rcode: 'NOERROR', answer: [], soa: true },
  { q: '_http._tcp.svc1.testns.svc.cluster.local.', t: 'SRV', rcode: 'NOERROR', answer: ['_http._tcp.svc1.testns.svc.cluster.local. 5 SRV 0 100 80 svc1.testns.svc.cluster.local.'], additional: ['svc1.testns.svc.cluster.local. 5 A 10.0.0.1'] },
  { q: 'svc1.testns.svc.cluster.local.', t: 'SRV', rcode: 'NOERROR', answer: ['svc1.testns.svc.cluster.local. 5 SRV 0 100 80 svc1.testns.svc.cluster.local.'] },
  { q: 'hdls1.testns.svc.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5'].map((ip) => `hdls1.testns.svc.cluster.local. 5 A ${ip}`) },
  { q: 'hdls1.testns.svc.cluster.local.', t: 'AAAA', rcode: 'NOERROR', answer: ['5678:abcd::1', '5678:abcd::2'].map((ip) => `hdls1.testns.svc.cluster.local. 5 AAAA ${ip}`) },
  { q: '_http._tcp.hdls1.testns.svc.cluster.local.', t: 'SRV', rcode: 'NOERROR', answer: ['172-0-0-2', '172-0-0-3', 'dup-name', '5678-abcd--1', '5678-abcd--2'].map((h) => `_http._tcp.hdls1.testns.svc.cluster.local. 5 SRV 0 16 80 ${h}.hdls1.testns.svc.cluster.local.`) },
  { q: 'dup-name.hdls1.testns.svc.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['dup-name.hdls1.testns.svc.cluster.local. 5 A 172.0.0.4', 'dup-name.hdls1.testns.svc.cluster.local. 5 A 172.0.0.5'] },
  { q: '172-0-0-2.hdls1.testns.svc.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['172-0-0-2.hdls1.testns.svc.cluster.local. 5 A 172.0.0.2'] },
  { q: '5678-abcd--1.hdls1.testns.svc.cluster.local.', t: 'AAAA', rcode: 'NOERROR', answer: ['5678-abcd--1.hdls1.testns.svc.cluster.local. 5 AAAA 5678:abcd::1'] },
  { q: '172-0-0-20.hdlsprtls.testns.svc.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['172-0-0-20.hdlsprtls.testns.svc.cluster.local. 5 A 172.0.0.20'] },
  { q: 'bogusendpoint.hdls1.testns.svc.cluster.local.', t: 'A', rcode: 'NXDOMAIN', soa: true },
  { q: 'ep1a.svc1.testns.svc.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['ep1a.svc1.testns.svc.cluster.local. 5 A 172.0.0.1'] },
  { q: 'external.testns.svc.cluster.local.', t: 'CNAME', rcode: 'NOERROR', answer: ['external.testns.svc.cluster.local. 5 CNAME ext.interwebs.test.'] },
  { q: 'external-to-service.testns.svc.cluster.local', t: 'A', rcode: 'NOERROR', answer: ['external-to-service.testns.svc.cluster.local. 5 CNAME svc1.testns.svc.cluster.local.', 'svc1.testns.svc.cluster.local. 5 A 10.0.0.1'] },
  { q: 'endpoint.external.testns.svc.cluster.local.', t: 'CNAME', rcode: 'NXDOMAIN', soa: true },
  { q: 'subdomain.subdomain.external.testns.svc.cluster.local.', t: 'CNAME', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc-dual-stack.testns.svc.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['svc-dual-stack.testns.svc.cluster.local. 5 A 10.0.0.3'] },
  { q: 'svc-dual-stack.testns.svc.cluster.local.', t: 'AAAA', rcode: 'NOERROR', answer: ['svc-dual-stack.testns.svc.cluster.local. 5 AAAA 10::3'] },
  { q: 'svc-dual-stack.testns.svc.cluster.local.', t: 'SRV', rcode: 'NOERROR', answer: ['svc-dual-stack.testns.svc.cluster.local. 5 SRV 0 50 80 svc-dual-stack.testns.svc.cluster.local.'], additional: ['svc-dual-stack.testns.svc.cluster.local. 5 A 10.0.0.3', 'svc-dual-stack.testns.svc.cluster.local. 5 AAAA 10::3'] },
  { q: 'dns-version.cluster.local.', t: 'TXT', rcode: 'NOERROR', answer: ['dns-version.cluster.local. 28800 TXT "1.1.0"'] },
  { q: 'svc1.testns.svc.cluster.local.', t: 'TXT', rcode: 'NOERROR', answer: [], soa: true },
  { q: 'svc0.svc-nons.svc.cluster.local.', t: 'TXT', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc.cluster.local.', t: 'A', rcode: 'NOERROR', answer: [], soa: true },
  { q: 'pod.cluster.local.', t: 'A', rcode: 'NOERROR', answer: [], soa: true },
  { q: 'testns.svc.cluster.local.', t: 'A', rcode: 'NOERROR', answer: [], soa: true },
  { q: 'foo.cluster.local.', t: 'NS', rcode: 'NXDOMAIN', soa: true },
  { q: 'foo.svc.cluster.local.', t: 'NS', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc1.testns.svc.cluster.local.', t: 'SOA', rcode: 'NOERROR', answer: [], soa: true },
  { q: 'cluster.local.', t: 'HINFO', rcode: 'NOERROR', answer: [], soa: true },
  { q: '1.0.0.10.in-addr.arpa.', t: 'PTR', rcode: 'NOERROR', answer: ['1.0.0.10.in-addr.arpa. 5 PTR svc1.testns.svc.cluster.local.'] },
  { q: '1.0.0.172.in-addr.arpa.', t: 'PTR', rcode: 'NOERROR', answer: ['1.0.0.172.in-addr.arpa. 5 PTR ep1a.svc1.testns.svc.cluster.local.'] },
  { q: '10-240-0-1.podns.pod.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['10-240-0-1.podns.pod.cluster.local. 5 A 10.240.0.1'] },
  { q: '172-0-0-2.podns.pod.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['172-0-0-2.podns.pod.cluster.local. 5 A 172.0.0.2'] },
  { q: 'blah.podns.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN', soa: true },
  { q: 'podns.pod.cluster.local.', t: 'A', rcode: 'NOERROR', answer: [], soa: true },
  { q: '172-0-0-2.podns.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN', soa: true, opts: { pods: 'verified' } },
  { q: '10-240-0-1.podns.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN', soa: true, opts: { pods: 'disabled' } },
  { q: 'SvC1.TeStNs.SvC.cLuStEr.LoCaL.', t: 'A', rcode: 'NOERROR', answer: ['SvC1.TeStNs.SvC.cLuStEr.LoCaL. 5 A 10.0.0.1'] },
  { q: '*.testns.svc.cluster.local.', t: 'A', rcode: 'NXDOMAIN', soa: true },
];

describe('kubernetes plugin conformance (coredns handler_test.go)', () => {
  const fmt = (x: { name: string; ttl: number; type: string; data: string }) => `${x.name} ${x.ttl} ${x.type} ${x.data}`;
  for (const c of CASES) {
    it(`${c.q} ${c.t}${c.opts ? ` (${JSON.stringify(c.opts)})` : ''} → ${c.rcode}`, () => {
      const r = kubernetesPlugin(FIXTURE, { name: c.q, type: c.t }, { ...OPTS, ...c.opts })!;
      expect(r.rcode).toBe(c.rcode);
      expect(r.aa).toBe(true);
      expect(r.ra).toBe(false);
      if (c.answer) expect(r.answer.map(fmt)).toEqual(c.answer);
      if (c.additional) expect(r.additional.map(fmt)).toEqual(expect.arrayContaining(c.additional));
      if (c.soa) {
        expect(r.authority).toHaveLength(1);
        expect(fmt(r.authority[0])).toMatch(/^cluster\.local\. 5 SOA ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 5$/i);
      } else expect(r.authority).toHaveLength(0);
    });
  }
  it('hdls1 SRV: six weighed items merge into five, with six additional records', () => {
    const r = kubernetesPlugin(FIXTURE, { name: '_http._tcp.hdls1.testns.svc.cluster.local.', type: 'SRV' }, OPTS)!;
    expect(r.answer).toHaveLength(5);
    expect(r.additional).toHaveLength(6);
  });
  it('case is kept in the SOA owner of a negative answer', () => {
    const r = kubernetesPlugin(FIXTURE, { name: 'not-a-service.testns.svc.ClUsTeR.lOcAl.', type: 'A' }, OPTS)!;
    expect(r.rcode).toBe('NXDOMAIN');
    expect(r.authority[0].name).toBe('ClUsTeR.lOcAl.');
  });
});

describe('properties', () => {
  const sim = load([course('01'), course('02'), course('03'), course('07'), course('08'), course('09'), course('24'), course('35'), course('36'), course('43'), BUSYBOX]);
  const snap = sim.snapshot();
  // Pods whose resolv.conf points at the cluster DNS (CoreDNS's own pods use dnsPolicy Default).
  const clients = snap.pods.filter((p) => !p.spec?.hostNetwork && (p.spec?.dnsPolicy ?? 'ClusterFirst') === 'ClusterFirst' && p.status?.podIP);
  it('every Service with a ClusterIP resolves to it by FQDN from any pod', () => {
    expect(clients.length).toBeGreaterThan(5);
    for (const s of snap.services) {
      const ip = s.spec?.clusterIP;
      if (!ip || ip === 'None') continue;
      for (const c of clients) {
        expect(resolveAddress(snap, pod(c.metadata.namespace!, c.metadata.name), `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local`)).toBe(ip);
      }
    }
  });
  it('random names and commands never throw', () => {
    const label = fc.stringMatching(/^[a-zA-Z0-9_*-]{0,12}$/);
    const name = fc.array(fc.oneof(label, fc.constantFrom('svc', 'pod', 'cluster', 'local', 'default', 'ns1', 'my-service', 'in-addr', 'arpa', '10', '96')), { minLength: 0, maxLength: 7 }).map((ls) => ls.join('.'));
    const type = fc.constantFrom('A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT', 'SOA', 'NS', 'MX', 'HINFO', 'AXFR');
    fc.assert(fc.property(name, type, fc.boolean(), (n, t, dot) => {
      const q = dot ? `${n}.` : n;
      const r = kubernetesPlugin(snap, { name: q, type: t }, { zone: 'cluster.local', ttl: 30, pods: 'insecure' });
      if (r) expect(['NOERROR', 'NXDOMAIN', 'REFUSED']).toContain(r.rcode);
      for (const where of [pod('default', 'busybox'), pod('default', 'bbnew'), node('master')]) {
        for (const cmd of [`nslookup ${q || 'x'}`, `dig @10.96.0.10 -t ${t} ${q || 'x'}`, `host ${q || 'x'}`]) {
          const out = sim.exec(cmd, where);
          expect(typeof out.stdout).toBe('string');
        }
      }
    }), { numRuns: 60 });
  });
});
