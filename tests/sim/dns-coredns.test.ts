// CoreDNS as configured by the Corefile of ConfigMap kube-system/coredns (server blocks, hosts,
// rewrite, cache on the simulated clock, loadbalance, forward to the node's upstream), the
// node's resolv.conf (annotation kubesim.io/resolv-conf, or written in the node's shell),
// nslookup -type and friends. Goldens in tests/golden/dns; conformance cases after CoreDNS's
// plugin tests (plugin/{cache,loadbalance,hosts,rewrite}/*_test.go at 4b26cced).
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { course, load, GOLDEN, yamlFile, transcriptAt } from './helpers';
import type { Simulation, Where } from '../../src/sim/index';
import type { SourceFile } from '../../src/sim/yaml/load';
import { buildCorefile, parseCorefile } from '../../src/sim/dns/corefile';
import { cachePlugin, roundRobin, sendQuery, type Result } from '../../src/sim/dns/coredns';
import { ephemeralRuntime, createDnsState, type DnsRuntime } from '../../src/sim/dns/state';
import type { DnsReply, RR } from '../../src/sim/dns/records';
import { createRng } from '../../src/sim/rng';
import { DEFAULT_COREFILE } from '../../src/sim/cluster/default-cluster';

const transcript = transcriptAt;

const pod = (namespace: string, name: string): Where => ({ kind: 'pod', namespace, pod: name });
const node = (n: string): Where => ({ kind: 'node', node: n });

/** ConfigMap kube-system/coredns with this Corefile (and more keys, mounted next to it). */
function corefileMap(corefile: string, extra: Record<string, string> = {}, name = 'coredns.yaml'): SourceFile {
  const block = (text: string) => text.replace(/\n$/, '').split('\n').map((l) => (l ? `    ${l}` : '')).join('\n');
  const keys = Object.entries(extra).map(([k, v]) => `  ${k}: |\n${block(v)}\n`).join('');
  return yamlFile(name, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: |\n${block(corefile)}\n${keys}`);
}

/** kubeadm's Corefile (what the built-in cluster's ConfigMap holds), to write variants of. */
const KUBEADM = DEFAULT_COREFILE;

const TOOLS = yamlFile('tools.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: tools
spec:
  containers:
  - name: tools
    image: registry.cn-hangzhou.aliyuncs.com/mokeyking/k8s-oldxu:tools-latest
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
---
apiVersion: v1
kind: Pod
metadata:
  name: busybox
spec:
  containers:
  - name: busybox
    image: busybox:1.28
    command: ["sleep", "1000000"]
`);

const corednsIPs = (sim: Simulation) => sim.snapshot().pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns').map((p) => p.status!.podIP!).sort();

describe('the Corefile from ConfigMap kube-system/coredns (goldens)', () => {
  it('a hosts entry, a zone block of its own, a rewrite: all answered; cluster names still work', async () => {
    const corefile = KUBEADM.replace('    ready\n', `    ready
    hosts {
       10.0.0.5 db.mycompany.cn
       fallthrough
    }
    rewrite name api.internal kubernetes.default.svc.cluster.local
`) + `example.com:53 {
    errors
    hosts /etc/coredns/example.hosts {
       ttl 60
    }
    cache 30
}
`;
    const sim = load([TOOLS, corefileMap(corefile, { 'example.hosts': '192.168.1.10 www.example.com\n192.168.1.11 mail.example.com\n' })]);
    expect(sim.diagnostics.filter((d) => d.code.startsWith('corefile'))).toEqual([]);
    const out = transcript(sim, [
      ['kubectl get configmap -n kube-system'],
      ['nslookup db.mycompany.cn', pod('default', 'tools')],
      ['nslookup db.mycompany.cn', pod('default', 'bbnew')],
      ['dig @10.96.0.10 -x 10.0.0.5 +short'],
      ['dig @10.96.0.10 www.example.com'],
      ['dig @10.96.0.10 mail.example.com +short'],
      ['dig @10.96.0.10 -x 192.168.1.11 +short'],
      ['dig @10.96.0.10 nosuch.example.com'],
      ['nslookup api.internal 10.96.0.10'],
      ['nslookup kubernetes', pod('default', 'busybox')],
      ['nslookup www.baidu.com', pod('default', 'bbnew')],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'corefile-configmap.txt'));
    expect(out).toContain('Name:\tdb.mycompany.cn\nAddress: 10.0.0.5\n');
    expect(out).toContain('[master]$ dig @10.96.0.10 -x 10.0.0.5 +short\ndb.mycompany.cn.\n');
    // hosts says 60; the block's cache 30 caps it.
    expect(out).toMatch(/www\.example\.com\.\s+30\s+IN\s+A\s+192\.168\.1\.10\n/);
    expect(out).toContain('[master]$ dig @10.96.0.10 mail.example.com +short\n192.168.1.11\n');
    // A reverse name is not under example.com: the . block answers it, and it knows nothing of 192.168.1.11.
    expect(out).toContain('[master]$ dig @10.96.0.10 -x 192.168.1.11 +short\n\n');
    // example.com's block has no forward and hosts has no fallthrough: a name it lacks is SERVFAIL.
    expect(out).toContain('status: SERVFAIL');
    // The exact rewrite answers under the name asked.
    expect(out).toContain('Name:\tapi.internal\nAddress: 10.96.0.1\n');
    expect(out).toContain('Name:      kubernetes\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n');
  });

  it('a Corefile CoreDNS would refuse is reported at its YAML line, in both languages, and the default answers', () => {
    const corefile = `.:53 {
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods secure
       ttl 5000
    }
    proxy . /etc/resolv.conf
    cache 0
    template IN A example.org {
       answer "{{ .Name }} 60 IN A 1.2.3.4"
    }
`;
    const sim = load([TOOLS, corefileMap(corefile)]);
    const diags = sim.diagnostics.filter((d) => d.code.startsWith('corefile'));
    const at = (code: string, msg: string) => diags.find((d) => d.code === code && d.message.en.includes(msg));
    // The Corefile starts on line 8 of coredns.yaml, indented 4.
    expect(at('corefile.kubernetes', 'pods must be one of')).toMatchObject({ severity: 'error', file: 'coredns.yaml', line: 11, column: 17, field: 'data.Corefile' });
    expect(at('corefile.kubernetes', 'pods must be one of')!.message.zh).toContain('pods 只能是');
    expect(at('corefile.kubernetes', 'ttl must be in range [0, 3600]: 5000')).toMatchObject({ line: 12, column: 16 });
    expect(at('corefile.unknown-directive', "'proxy'")).toMatchObject({ line: 14, column: 9, raw: "Corefile:7 - Error during parsing: Unknown directive 'proxy'" });
    expect(at('corefile.unknown-directive', "'proxy'")!.hint!.en).toContain('forward . /etc/resolv.conf');
    expect(at('corefile.cache', 'zero or negative')).toMatchObject({ line: 15, raw: 'plugin/cache: cache TTL can not be zero or negative: 0' });
    expect(at('corefile.syntax', 'never closed')).toMatchObject({ severity: 'error' });
    expect(diags.find((d) => d.code === 'corefile.not-simulated' && d.message.en.includes('template'))).toMatchObject({ severity: 'info', line: 16 });
    expect(diags.find((d) => d.code === 'corefile.fallback')).toMatchObject({ severity: 'info', line: 1 });
    // Meanwhile the kubeadm Corefile answers.
    expect(sim.exec('dig @10.96.0.10 kubernetes.default.svc.cluster.local +short').stdout).toBe('10.96.0.1\n');
  });
});

describe('cache: TTLs count down on the simulated clock (goldens)', () => {
  it('two digs 10 s apart at one CoreDNS pod; negative caching; a Service created under a cached NXDOMAIN', async () => {
    const sim = load([TOOLS]);
    const [dns1] = corednsIPs(sim);
    let out = transcript(sim, [
      [`dig @${dns1} kubernetes.default.svc.cluster.local`],
      ['kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide'],
      [`dig @${dns1} kubernetes.default.svc.cluster.local`],
      [`dig @${dns1} www.baidu.com`],
      [`dig @${dns1} www.baidu.com`],
      [`dig @${dns1} late.default.svc.cluster.local`],
    ]);
    // The Service appears now; the NXDOMAIN stays in that pod's cache until its 30 s run out (kubernetes#92559).
    sim.apply([yamlFile('late.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: late\nspec:\n  clusterIP: 10.96.100.100\n  ports:\n  - port: 80\n')]);
    out += `\n${transcript(sim, [
      [`dig @${dns1} late.default.svc.cluster.local +short`],
      ['kubectl get svc late'],
      [`dig @${dns1} late.default.svc.cluster.local +short`],
      [`dig @${dns1} late.default.svc.cluster.local +short`],
      [`dig @${dns1} late.default.svc.cluster.local +short`],
      [`dig @${dns1} late.default.svc.cluster.local +short`],
      [`dig @${dns1} late.default.svc.cluster.local +short`],
    ])}`;
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'cache-ttl.txt'));
    const ttls = [...out.matchAll(/^kubernetes\.default\.svc\.cluster\.local\. (\d+)\s+IN\s+A\s+10\.96\.0\.1$/gm)].map((m) => Number(m[1]));
    expect(ttls).toEqual([30, 20]);
    // The first answer from upstream is not authoritative; the cached one is (aa forced on), and counts down.
    expect(out).toMatch(/flags: qr rd ra;[^]*www\.a\.shifen\.com\.\s+30\s+IN\s+A[^]*flags: qr aa rd ra;[^]*www\.a\.shifen\.com\.\s+25\s+IN\s+A/);
    expect(out).toMatch(/status: NXDOMAIN[^]*cluster\.local\.\s+30\s+IN\s+SOA/);
  });

  it('through the kube-dns Service each query reaches one of the two CoreDNS pods, each with its own cache', () => {
    const sim = load([TOOLS]);
    const ttls: number[] = [];
    for (let i = 0; i < 12; i++) {
      const out = sim.exec('dig @10.96.0.10 kubernetes.default.svc.cluster.local').stdout;
      ttls.push(Number(/^kubernetes\.default\.svc\.cluster\.local\. (\d+)/m.exec(out)![1]));
    }
    // Every answer is fresh (30) or counts down from an earlier one of the same pod, 5 s per command.
    expect(ttls[0]).toBe(30);
    expect(new Set(ttls).size).toBeGreaterThan(2);
    for (const t of ttls) expect(t % 5).toBe(0);
  });

  it("kubeadm ≥1.32's `disable success/denial cluster.local` keeps cluster answers out of the cache, not forwarded ones", () => {
    const corefile = KUBEADM.replace('    cache 30\n', '    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n');
    const sim = load([corefileMap(corefile)]);
    const [dns1] = corednsIPs(sim);
    const ttl = (name: string) => Number(new RegExp(`^${name.replace(/\./g, '\\.')}\\.\\s+(\\d+)`, 'm').exec(sim.exec(`dig @${dns1} ${name}`).stdout)![1]);
    expect([ttl('kubernetes.default.svc.cluster.local'), ttl('kubernetes.default.svc.cluster.local')]).toEqual([30, 30]);
    expect([ttl('www.baidu.com'), ttl('www.baidu.com')]).toEqual([30, 25]);
  });
});

describe('loadbalance (golden)', () => {
  it("a headless Service's A records come back in a different order on repeated digs", async () => {
    const sim = load([course('30'), course('34'), course('33')]);
    const out = transcript(sim, Array.from({ length: 5 }, () => ['dig @10.96.0.10 headless-svc.default.svc.cluster.local +short'] as [string]));
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'loadbalance.txt'));
    const orders = out.split('\n\n').map((b) => b.split('\n').slice(1).filter(Boolean).join(','));
    expect(new Set(orders.map((o) => o.split(',').sort().join(','))).size).toBe(1);
    expect(new Set(orders).size).toBeGreaterThan(1);
    // Without loadbalance the order is the plugin's, every time.
    const plain = load([course('30'), course('34'), course('33'), corefileMap(KUBEADM.replace('    loadbalance\n', ''))]);
    const runs = Array.from({ length: 5 }, () => plain.exec('dig @10.96.0.10 headless-svc.default.svc.cluster.local +short').stdout);
    expect(new Set(runs).size).toBe(1);
  });
});

describe("per-node upstream resolvers (B6's node set-up)", () => {
  const NODES = yamlFile('nodes.yaml', [['master', '', true], ['node1', '233.5.5.5'], ['node2', '233.6.6.6'], ['node3', '114.114.114.114']].map(([n, ns, cp]) => `apiVersion: v1
kind: Node
metadata:
  name: ${n}
${cp ? '  labels:\n    node-role.kubernetes.io/control-plane: ""\n' : ''}${ns ? `  annotations:\n    kubesim.io/resolv-conf: "nameserver ${ns}"\n` : ''}`).join('---\n'));

  it('Default and hostNetwork pods get their node\'s nameserver; the node\'s tools use it too', async () => {
    const sim = load([NODES, course('20'), course('17'), course('19'), course('15')]);
    const demo = sim.snapshot().pods.filter((p) => p.metadata.name.startsWith('demoapp')).sort((a, b) => (a.spec!.nodeName! < b.spec!.nodeName! ? -1 : 1));
    const out = transcript(sim, [
      ['cat /etc/resolv.conf', pod('default', 'pod-example-3')],
      ['cat /etc/resolv.conf', pod('default', 'pod-example-2')],
      ...demo.map((p) => ['cat /etc/resolv.conf', pod('default', p.metadata.name)] as [string, Where]),
      ['cat /etc/resolv.conf', pod('default', 'pod-example-1')],
      ['cat /etc/resolv.conf', node('node1')],
      ['nslookup www.baidu.com', node('node1')],
      ['nslookup kubernetes', pod('default', 'pod-example-3')],
      ['nslookup www.baidu.com', pod('default', 'pod-example-3')],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'node-upstream.txt'));
    expect(out).toContain('[default/pod-example-3]$ cat /etc/resolv.conf\nnameserver 114.114.114.114\n');
    expect(out).toContain('[default/pod-example-2]$ cat /etc/resolv.conf\nnameserver 233.6.6.6\n');
    for (const p of demo) {
      const want = { node1: '233.5.5.5', node2: '233.6.6.6', node3: '114.114.114.114' }[p.spec!.nodeName as 'node1'];
      expect(sim.exec('cat /etc/resolv.conf', pod('default', p.metadata.name)).stdout).toBe(`nameserver ${want}\n`);
    }
    expect(out).toContain('[node1]$ nslookup www.baidu.com\nServer:\t\t233.5.5.5\nAddress:\t233.5.5.5#53\n\nNon-authoritative answer:\n');
    expect(out).toContain("Server:\t\t114.114.114.114\nAddress:\t114.114.114.114#53\n\n** server can't find kubernetes: NXDOMAIN\n");
  });

  it('written in the node\'s shell: pods that start afterwards get it, running pods keep theirs; CoreDNS forwards through it', async () => {
    const sim = load([course('20')]);
    let out = transcript(sim, [
      ['cat /etc/resolv.conf', pod('default', 'pod-example-3')],
      ['echo nameserver 114.114.114.114 > /etc/resolv.conf', node('node3')],
      ['cat /etc/resolv.conf', node('node3')],
      ['cat /etc/resolv.conf', pod('default', 'pod-example-3')],
    ]);
    sim.apply([yamlFile('later.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: pod-example-3b
spec:
  dnsPolicy: Default
  nodeName: node3
  containers:
  - name: tools
    image: registry.cn-hangzhou.aliyuncs.com/mokeyking/k8s-oldxu:tools-latest
`)]);
    out += `\n${transcript(sim, [
      ['cat /etc/resolv.conf', pod('default', 'pod-example-3b')],
      ['echo nameserver 233.6.6.6 >> /etc/resolv.conf', node('node3')],
      ['cat /etc/resolv.conf', node('node3')],
      ['nslookup www.baidu.com', node('node3')],
    ])}`;
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'node-upstream-shell.txt'));
    expect(out).toContain('[default/pod-example-3]$ cat /etc/resolv.conf\nnameserver 192.168.122.1\n\n[node3]$ echo');
    expect(out).toContain('[default/pod-example-3b]$ cat /etc/resolv.conf\nnameserver 114.114.114.114\n');
    expect(out).toContain('[node3]$ cat /etc/resolv.conf\nnameserver 114.114.114.114\nnameserver 233.6.6.6\n');
    // CoreDNS (dnsPolicy Default, on the control plane) forwards to master's upstream: a stub on
    // 127.0.0.53 there is the loop CoreDNS refuses, and external names stop resolving.
    const loop = load([yamlFile('master.yaml', 'apiVersion: v1\nkind: Node\nmetadata:\n  name: master\n  labels:\n    node-role.kubernetes.io/control-plane: ""\n  annotations:\n    kubesim.io/resolv-conf: "nameserver 127.0.0.53"\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node1\n  annotations:\n    kubesim.io/resolv-conf: "nameserver 127.0.0.53"\n')]);
    expect(loop.exec('dig @10.96.0.10 www.baidu.com').stdout).toContain('status: SERVFAIL');
    expect(loop.exec('dig @10.96.0.10 kubernetes.default.svc.cluster.local +short').stdout).toBe('10.96.0.1\n');
  });
});

describe('nslookup -type, server arguments, reverse lookups, dig -x (golden)', () => {
  it('bind and busybox syntaxes, and what each prints', async () => {
    const sim = load([course('35'), course('36'), course('24'), TOOLS]);
    const out = transcript(sim, [
      ['nslookup -type=srv nginx-service', pod('default', 'tools')],
      ['nslookup -query=SRV _nginx-port._tcp.nginx-service.default.svc.cluster.local', pod('default', 'tools')],
      ['nslookup -q=ns cluster.local.', pod('default', 'tools')],
      ['nslookup -type=soa cluster.local. 10.96.0.10', pod('default', 'tools')],
      ['nslookup -type=txt dns-version.cluster.local. 10.96.0.10', pod('default', 'tools')],
      ['nslookup -type=cname nginx-service.default.svc.cluster.local 10.96.0.10'],
      ['nslookup -type=a www.baidu.com 10.96.0.10'],
      ['nslookup -type=srv nginx-service', pod('default', 'bbnew')],
      ['nslookup -type=srv nginx-service.default.svc.cluster.local', pod('default', 'bbnew')],
      ['nslookup -type=soa cluster.local', pod('default', 'bbnew')],
      ['nslookup -query=srv nginx-service', pod('default', 'bbnew')],
      ['nslookup -type=srv nginx-service', pod('default', 'busybox')],
      ['nslookup nginx-service kube-dns.kube-system.svc.cluster.local', pod('default', 'tools')],
      ['nslookup nginx-service.default.svc.cluster.local kube-dns.kube-system.svc.cluster.local', pod('default', 'bbnew')],
      ['nslookup kubernetes kube-dns.kube-system.svc.cluster.local'],
      ['nslookup 10.96.0.10'],
      ['nslookup 10.96.0.10 10.96.0.10'],
      ['nslookup 10.96.0.10', pod('default', 'tools')],
      ['nslookup 10.244.9.9 10.96.0.10'],
      ['dig -x 10.96.0.10 @10.96.0.10'],
      ['dig @10.96.0.10 -t SRV nginx-service.default.svc.cluster.local +short'],
      ['dig +search nginx-service', pod('default', 'tools')],
      ['host -t srv nginx-service', pod('default', 'tools')],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'dns', 'nslookup-types.txt'));
    // bind 9.18: SRV through the search list; the resolv.conf server lacks RA, so each reply is remarked on.
    expect(out).toContain('[default/tools]$ nslookup -type=srv nginx-service\n;; Got recursion not available from 10.96.0.10\nServer:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nnginx-service.default.svc.cluster.local\tservice = 0 100 80 nginx-service.default.svc.cluster.local.\n\n');
    expect(out).toContain('cluster.local\n\torigin = ns.dns.cluster.local\n\tmail addr = hostmaster.cluster.local\n\tserial = ');
    expect(out).toContain('dns-version.cluster.local\ttext = "1.1.0"\n');
    // busybox: -type= yes, -query= no; a given server means no search list.
    expect(out).toContain('nginx-service.default.svc.cluster.local\tservice = 0 100 80 nginx-service.default.svc.cluster.local\n');
    expect(out).toMatch(/\[default\/bbnew\]\$ nslookup -query=srv nginx-service\n\[stderr\]\nBusyBox v1\.36\.1 .*\n\nUsage: nslookup \[-type=QUERY_TYPE\]/);
    expect(out).toMatch(/\[default\/busybox\]\$ nslookup -type=srv nginx-service\n\[stderr\]\nBusyBox v1\.28\.4 .*\n\nUsage: nslookup \[HOST\] \[SERVER\]/);
    // A server named, not numbered: its name on the Server line, its address below.
    expect(out).toContain('Server:\t\tkube-dns.kube-system.svc.cluster.local\nAddress:\t10.96.0.10#53\n');
    expect(out).toContain('Server:\t\tkube-dns.kube-system.svc.cluster.local\nAddress:\t10.96.0.10:53\n');
    expect(out).toContain("[master]$ nslookup kubernetes kube-dns.kube-system.svc.cluster.local\n[stderr]\nnslookup: couldn't get address for 'kube-dns.kube-system.svc.cluster.local': not found\n");
    // Reverse lookups: no Server header (default lookups print it only for A).
    expect(out).toContain('[master]$ nslookup 10.96.0.10 10.96.0.10\n10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local.\n\n');
    expect(out).toContain("[master]$ nslookup 10.244.9.9 10.96.0.10\n** server can't find 9.9.244.10.in-addr.arpa: NXDOMAIN\n\n");
    expect(out).toMatch(/;10\.0\.96\.10\.in-addr\.arpa\.\t+IN\tPTR\n\n;; ANSWER SECTION:\n10\.0\.96\.10\.in-addr\.arpa\.\s\d+\s+IN\s+PTR\s+kube-dns\.kube-system\.svc\.cluster\.local\.\n/);
  });
});

// --- Conformance: CoreDNS plugin tests ---------------------------------------------------

describe('loadbalance conformance (plugin/loadbalance/loadbalance_test.go TestLoadBalanceRandom)', () => {
  const rr = (text: string): RR => { const [name, ttl, , type, ...data] = text.split(/\s+/); return { name, ttl: Number(ttl), type, data: data.join(' ') }; };
  const count = (rrs: RR[]) => {
    const order = rrs.map((x) => (x.type === 'CNAME' ? 0 : x.type === 'A' || x.type === 'AAAA' ? 2 : x.type === 'MX' ? 3 : 1));
    return { cname: order.filter((o) => o === 0).length, address: order.filter((o) => o === 2).length, mx: order.filter((o) => o === 3).length, sorted: order.every((o, i) => i === 0 || order[i - 1] <= o) };
  };
  const CASES = [
    { answer: ['cname1.region2.skydns.test. 300 IN CNAME cname2.region2.skydns.test.', 'cname2.region2.skydns.test. 300 IN CNAME cname3.region2.skydns.test.', 'cname5.region2.skydns.test. 300 IN CNAME cname6.region2.skydns.test.', 'cname6.region2.skydns.test. 300 IN CNAME endpoint.region2.skydns.test.', 'endpoint.region2.skydns.test. 300 IN A 10.240.0.1', 'mx.region2.skydns.test. 300 IN MX 1 mx1.region2.skydns.test.', 'mx.region2.skydns.test. 300 IN MX 2 mx2.region2.skydns.test.', 'mx.region2.skydns.test. 300 IN MX 3 mx3.region2.skydns.test.'], extra: [], want: [4, 1, 3], wantExtra: [0, 0, 0] },
    { answer: ['endpoint.region2.skydns.test. 300 IN A 10.240.0.1', 'mx.region2.skydns.test. 300 IN MX 1 mx1.region2.skydns.test.', 'cname.region2.skydns.test. 300 IN CNAME endpoint.region2.skydns.test.'], extra: [], want: [1, 1, 1], wantExtra: [0, 0, 0] },
    {
      answer: ['mx.region2.skydns.test. 300 IN MX 1 mx1.region2.skydns.test.', 'endpoint.region2.skydns.test. 300 IN A 10.240.0.1', 'endpoint.region2.skydns.test. 300 IN A 10.240.0.2', 'mx.region2.skydns.test. 300 IN MX 1 mx2.region2.skydns.test.', 'cname2.region2.skydns.test. 300 IN CNAME cname3.region2.skydns.test.', 'endpoint.region2.skydns.test. 300 IN A 10.240.0.3', 'mx.region2.skydns.test. 300 IN MX 1 mx3.region2.skydns.test.'],
      extra: ['endpoint.region2.skydns.test. 300 IN A 10.240.0.1', 'endpoint.region2.skydns.test. 300 IN AAAA ::1', 'mx.region2.skydns.test. 300 IN MX 1 mx1.region2.skydns.test.', 'cname2.region2.skydns.test. 300 IN CNAME cname3.region2.skydns.test.', 'mx.region2.skydns.test. 300 IN MX 1 mx2.region2.skydns.test.', 'endpoint.region2.skydns.test. 300 IN A 10.240.0.3', 'endpoint.region2.skydns.test. 300 IN AAAA ::2', 'mx.region2.skydns.test. 300 IN MX 1 mx3.region2.skydns.test.'],
      want: [1, 3, 3], wantExtra: [1, 4, 3],
    },
  ];
  CASES.forEach((c, i) => {
    it(`case ${i}: CNAMEs first, then the rest, then shuffled addresses, then shuffled MX`, () => {
      for (let seed = 0; seed < 20; seed++) {
        const rng = createRng(`lb/${seed}`);
        const id = () => rng.int(65536);
        for (const [section, want] of [[c.answer, c.want], [c.extra, c.wantExtra]] as const) {
          const got = count(roundRobin(section.map(rr), id));
          expect(got).toEqual({ cname: want[0], address: want[1], mx: want[2], sorted: true });
        }
      }
    });
  });
  it('two records swap on an even id; three or more go through every ordering', () => {
    const a = ['10.0.0.1', '10.0.0.2'].map((ip) => rr(`x. 5 IN A ${ip}`));
    expect(roundRobin(a, () => 2).map((x) => x.data)).toEqual(['10.0.0.2', '10.0.0.1']);
    expect(roundRobin(a, () => 1).map((x) => x.data)).toEqual(['10.0.0.1', '10.0.0.2']);
    const three = ['1', '2', '3'].map((n) => rr(`x. 5 IN A 10.0.0.${n}`));
    const rng = createRng('lb/three');
    const seen = new Set(Array.from({ length: 200 }, () => roundRobin(three, () => rng.int(65536)).map((x) => x.data).join()));
    expect(seen.size).toBe(6);
    // SRV records (not A/AAAA/MX) keep their order.
    const srv = ['0 50 80 a.x.', '0 50 80 b.x.'].map((d) => rr(`x. 5 IN SRV ${d}`));
    expect(roundRobin(srv, () => 0)).toEqual(srv);
  });
});

describe('cache conformance (plugin/cache/cache_test.go)', () => {
  const rt = (): DnsRuntime => ({ state: createDnsState(), now: Date.parse('2025-06-01T08:00:00Z') });
  const cfg = (over: Partial<Parameters<typeof cachePlugin>[0]> = {}) => ({ zones: ['.'], successTTL: 3600, successMin: 5, denialTTL: 1800, denialMin: 5, servfailTTL: 5, disableSuccess: [], disableDenial: [], keepTTL: false, ...over });
  const reply = (over: Partial<DnsReply>): DnsReply => ({ rcode: 'NOERROR', aa: false, ra: true, answer: [], authority: [], additional: [], ...over });
  const SOA: RR = { name: 'example.org.', ttl: 3600, type: 'SOA', data: 'sns.dns.icann.org. noc.dns.icann.org. 2016082540 7200 3600 1209600 3600' };
  const MX = (ttl: number): RR[] => [{ name: 'miek.nl.', ttl, type: 'MX', data: '1 aspmx.l.google.com.' }, { name: 'miek.nl.', ttl, type: 'MX', data: '10 aspmx2.googlemail.com.' }];
  /** Sends q through the cache twice (`after` ms apart); the backend answers `backend` and counts its calls. */
  function twice(c: ReturnType<typeof cfg>, q: { name: string; type: string }, backend: DnsReply, after = 0, q2 = q) {
    const r = rt();
    let calls = 0;
    const next = (): Result => { calls++; return { reply: backend, written: true }; };
    const h = cachePlugin(c, r);
    const first = h(q, next).reply;
    r.now += after;
    const second = h(q2, next).reply;
    return { first, second, calls };
  }

  it('case-insensitive keys; the TTL capped to the cache maximum; a hit is authoritative and keeps ra', () => {
    const { first, second, calls } = twice(cfg(), { name: 'mIEK.nL.', type: 'MX' }, reply({ answer: MX(3601) }), 0, { name: 'miek.nl.', type: 'MX' });
    expect(calls).toBe(1);
    expect(first.answer.map((x) => x.ttl)).toEqual([3600, 3600]);
    expect(second).toMatchObject({ aa: true, ra: true });
    expect(second.answer.map((x) => x.ttl)).toEqual([3600, 3600]);
  });
  it('NXDOMAIN with an SOA is cached; without one it is not', () => {
    expect(twice(cfg(), { name: 'example.org.', type: 'A' }, reply({ rcode: 'NXDOMAIN', authority: [SOA] })).calls).toBe(1);
    expect(twice(cfg(), { name: '1.1.168.192.in-addr.arpa.', type: 'PTR' }, reply({ rcode: 'NXDOMAIN' })).calls).toBe(2);
  });
  it('SERVFAIL is cached for the servfail duration (5 s)', () => {
    expect(twice(cfg(), { name: 'example.org.', type: 'A' }, reply({ rcode: 'SERVFAIL' }), 4000).calls).toBe(1);
    expect(twice(cfg(), { name: 'example.org.', type: 'A' }, reply({ rcode: 'SERVFAIL' }), 5000).calls).toBe(2);
  });
  it('TestCacheZeroTTL: with a minimum of 0, a 0-TTL answer is not cached', () => {
    const a: RR = { name: 'example.org.', ttl: 0, type: 'A', data: '127.0.0.53' };
    expect(twice(cfg({ successMin: 0, denialMin: 0 }), { name: 'example.org.', type: 'A' }, reply({ answer: [a] })).calls).toBe(2);
  });
  it('TestComputeTTL: the TTL is clamped between the minimum and the maximum', () => {
    const a = (ttl: number): DnsReply => reply({ answer: [{ name: 'example.org.', ttl, type: 'A', data: '10.0.0.1' }] });
    const ttlOf = (c: ReturnType<typeof cfg>, ttl: number) => twice(c, { name: 'example.org.', type: 'A' }, a(ttl)).first.answer[0].ttl;
    expect(ttlOf(cfg({ successMin: 300 }), 1800)).toBe(1800);
    expect(ttlOf(cfg({ successMin: 300 }), 299)).toBe(300);
    expect(ttlOf(cfg({ successMin: 0 }), 299)).toBe(299);
    expect(ttlOf(cfg({ successMin: 300 }), 3601)).toBe(3600);
  });
  it('exception zones (disable success / denial) are not stored, yet get the capped TTL', () => {
    const a: RR = { name: 'pos-disabled.example.org.', ttl: 3601, type: 'A', data: '10.0.0.1' };
    const pos = twice(cfg({ disableSuccess: ['pos-disabled.example.org.'] }), { name: 'pos-disabled.example.org.', type: 'A' }, reply({ answer: [a] }));
    expect(pos.calls).toBe(2);
    expect(pos.first.answer[0].ttl).toBe(3600);
    expect(twice(cfg({ disableDenial: ['neg-disabled.example.org.'] }), { name: 'neg-disabled.example.org.', type: 'A' }, reply({ rcode: 'NXDOMAIN', authority: [SOA] })).calls).toBe(2);
  });
  it('TestCNAMEWithSOAStoredAsNODATA: a CNAME that does not reach the type, with an SOA, is a denial', () => {
    const backend = reply({ answer: [{ name: 'alias.example.org.', ttl: 300, type: 'CNAME', data: 'missing.example.net.' }], authority: [{ ...SOA, ttl: 300 }] });
    // Stored as NODATA: `disable denial` keeps it out, `disable success` does not.
    expect(twice(cfg({ disableDenial: ['.'] }), { name: 'alias.example.org.', type: 'A' }, backend).calls).toBe(2);
    expect(twice(cfg({ disableSuccess: ['.'] }), { name: 'alias.example.org.', type: 'A' }, backend).calls).toBe(1);
  });
  it('TestCacheKeepTTL: keepttl answers hits with the stored TTL', () => {
    const a = reply({ answer: [{ name: 'example.org.', ttl: 100, type: 'A', data: '10.0.0.1' }] });
    expect(twice(cfg({ keepTTL: true }), { name: 'example.org.', type: 'A' }, a, 30_000).second.answer[0].ttl).toBe(100);
    expect(twice(cfg(), { name: 'example.org.', type: 'A' }, a, 30_000).second.answer[0].ttl).toBe(70);
  });
  it('an item whose TTL ran out is fetched again', () => {
    const a = reply({ answer: [{ name: 'example.org.', ttl: 30, type: 'A', data: '10.0.0.1' }] });
    expect(twice(cfg(), { name: 'example.org.', type: 'A' }, a, 29_999).calls).toBe(1);
    expect(twice(cfg(), { name: 'example.org.', type: 'A' }, a, 30_000).calls).toBe(2);
  });
  it('replies a plugin did not write (an rcode only) pass uncached', () => {
    const r = rt();
    let calls = 0;
    const h = cachePlugin(cfg(), r);
    const next = (): Result => { calls++; return { reply: reply({ rcode: 'SERVFAIL' }), written: false }; };
    h({ name: 'x.', type: 'A' }, next);
    h({ name: 'x.', type: 'A' }, next);
    expect(calls).toBe(2);
  });
});

describe('hosts conformance (plugin/hosts/hosts_test.go)', () => {
  const HOSTS = '127.0.0.1 localhost localhost.domain\n::1 localhost localhost.domain\n10.0.0.1 example.org\n::FFFF:10.0.0.2 example.com\n10.0.0.3 fallthrough-example.org\n1.2.3.4 aa.example.com\nreload 5s\ntimeout 3600\n';
  const sim = load([corefileMap(`.:53 {
    hosts /etc/coredns/hostsfile {
       fallthrough fallthrough-example.org
    }
}
example.net:53 {
    hosts /etc/coredns/hostsfile {
       fallthrough
       fallthrough_unsupported
    }
    forward . 192.168.122.1
}
`, { hostsfile: HOSTS })]);
  const snap = sim.snapshot();
  const [dns1] = corednsIPs(sim);
  const ask = (name: string, type: string) => sendQuery(snap, dns1, { name, type }, ephemeralRuntime(snap.now));
  const fmt = (x: RR) => `${x.name} ${x.ttl} ${x.type} ${x.data}`;
  const CASES: [string, string, string[]][] = [
    ['example.org.', 'A', ['example.org. 3600 A 10.0.0.1']],
    ['example.com.', 'A', ['example.com. 3600 A 10.0.0.2']],
    ['localhost.', 'AAAA', ['localhost. 3600 AAAA ::1']],
    ['1.0.0.10.in-addr.arpa.', 'PTR', ['1.0.0.10.in-addr.arpa. 3600 PTR example.org.']],
    ['2.0.0.10.in-addr.arpa.', 'PTR', ['2.0.0.10.in-addr.arpa. 3600 PTR example.com.']],
    ['1.0.0.127.in-addr.arpa.', 'PTR', ['1.0.0.127.in-addr.arpa. 3600 PTR localhost.', '1.0.0.127.in-addr.arpa. 3600 PTR localhost.domain.']],
    ['example.org.', 'AAAA', []],
    ['example.org.', 'MX', []],
    ['fallthrough-example.org.', 'AAAA', []],
    ['aa.example.com.', 'A', ['aa.example.com. 3600 A 1.2.3.4']],
  ];
  for (const [name, type, answer] of CASES) {
    it(`${name} ${type} → ${answer.length ? answer.length : 'NODATA'}`, () => {
      const r = ask(name, type);
      expect(r).toMatchObject({ rcode: 'NOERROR', aa: true });
      expect(r.answer.map(fmt)).toEqual(answer);
      expect(r.authority).toEqual([]);
    });
  }
  it('TestFallthroughUnsupportedType: an existing name answers TXT with NODATA; fallthrough_unsupported passes it on', () => {
    expect(ask('example.org.', 'TXT')).toMatchObject({ rcode: 'NOERROR', aa: true, answer: [] });
  });
  it('a name hosts does not list: SERVFAIL without fallthrough, the next plugin with it', () => {
    expect(ask('missing.example.org.', 'A')).toMatchObject({ rcode: 'SERVFAIL', answer: [] });
    // example.net's block: fallthrough to forward (the world says NXDOMAIN).
    expect(ask('missing.example.net.', 'A')).toMatchObject({ rcode: 'NXDOMAIN', aa: false, ra: true });
  });
});

describe('server blocks and plugin order (core/dnsserver, plugin.cfg)', () => {
  it('plugins act in plugin.cfg order whatever the Corefile says: forward written first still loses to kubernetes', () => {
    const sim = load([corefileMap(`.:53 {
    forward . /etc/resolv.conf
    cache 30
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
    }
}
`)]);
    const out = sim.exec('dig @10.96.0.10 kubernetes.default.svc.cluster.local').stdout;
    expect(out).toContain('flags: qr aa rd;');
    // kubernetes' own default TTL is 5 (no ttl line), which cache keeps (minimum 5).
    expect(out).toMatch(/kubernetes\.default\.svc\.cluster\.local\. 5\s+IN A\s+10\.96\.0\.1/);
  });
  it('the longest zone wins; a name no block serves is REFUSED', () => {
    const sim = load([corefileMap(`cluster.local:53 {
    kubernetes cluster.local
}
default.svc.cluster.local:53 {
    hosts {
       10.9.9.9 kubernetes.default.svc.cluster.local
    }
}
`)]);
    expect(sim.exec('dig @10.96.0.10 kubernetes.default.svc.cluster.local +short').stdout).toBe('10.9.9.9\n');
    expect(sim.exec('dig @10.96.0.10 kube-dns.kube-system.svc.cluster.local +short').stdout).toBe('10.96.0.10\n');
    expect(sim.exec('dig @10.96.0.10 www.baidu.com').stdout).toContain('status: REFUSED');
  });
  it('rewrite name exact: the answer is named back; suffix with answer auto too', () => {
    const sim = load([corefileMap(KUBEADM.replace('    ready\n', '    ready\n    rewrite name suffix .corp.example. .svc.cluster.local. answer auto\n'))]);
    expect(sim.exec('dig @10.96.0.10 kubernetes.default.corp.example. +short').stdout).toBe('10.96.0.1\n');
    expect(sim.exec('dig @10.96.0.10 kubernetes.default.corp.example.').stdout).toMatch(/\nkubernetes\.default\.corp\.example\.\s+\d+\s+IN\s+A\s+10\.96\.0\.1\n/);
  });
  it('parser: keys with commas and schemes, blocks without braces, snippets skipped, quotes', () => {
    const p = parseCorefile('dns://example.org:1053, example.net {\n  whoami\n}\n(snip) {\n  log\n}\n');
    expect(p.blocks[0].keys.map((k) => k.text)).toEqual(['dns://example.org:1053', 'example.net']);
    expect(p.problems.map((x) => x.code)).toEqual(['corefile.snippet']);
    const c = buildCorefile('.\nhosts {\n  10.0.0.1 "a.example"\n  fallthrough\n}\nforward . 8.8.8.8:53 [2001:db8::1]:53\n');
    expect(c.problems).toEqual([]);
    expect(c.servers[0].hosts!.inline).toEqual([{ ip: '10.0.0.1', names: ['a.example.'] }]);
    expect(c.servers[0].forward!.to).toEqual(['8.8.8.8', '2001:db8::1']);
    expect(buildCorefile('.:53 {\n  cache 30\n  cache 10\n}\n').problems[0]).toMatchObject({ code: 'corefile.once', line: 3 });
    expect(buildCorefile('.:53 {\n  hosts {\n    10.0.0.1 a.example\n  }\n}\n').problems[0]).toMatchObject({ code: 'corefile.hosts-no-fallthrough', severity: 'warning' });
  });
});
