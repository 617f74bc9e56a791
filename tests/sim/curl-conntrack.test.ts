// curl, conntrack -L and the rule counters: course-like sessions typed at a node's shell,
// with the exact layouts of curl 7.81/7.88, conntrack-tools 1.4.6/1.4.7 and iptables -L -v.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index';
import { parseList } from '../../src/sim/shell/argv';
import { formatEntry, type CtEntry } from '../../src/sim/dataplane/state';
import { cluster, course, yamlFile } from './helpers';

const svc = (sim: Simulation, name: string) => sim.snapshot().services.find((s) => s.metadata.name === name)!;
const podsOf = (sim: Simulation, app: string) => sim.snapshot().pods.filter((p) => p.metadata.labels?.app === app);
const nodeIP = (sim: Simulation, node: string) => sim.snapshot().nodes.find((n) => n.metadata.name === node)!.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;

/** The course's A3: two nginx pods behind a ClusterIP, their pages edited to web1 and web2. */
function webCluster(seed = 1): { sim: Simulation; ip: string } {
  const sim = Simulation.load([course('01')], { seed });
  sim.exec('kubectl expose deployment deploy-nginx --port=80 --target-port=80 --protocol=TCP');
  const [a, b] = podsOf(sim, 'nginx').map((p) => p.metadata.name);
  expect(sim.exec(`kubectl exec ${a} -- sh -c 'echo web1 > /usr/share/nginx/html/index.html'`).exitCode).toBe(0);
  expect(sim.exec(`kubectl exec ${b} -- sh -c 'cd /usr/share/nginx/html && echo web2 > index.html'`).exitCode).toBe(0);
  return { sim, ip: svc(sim, 'deploy-nginx').spec!.clusterIP! };
}

describe('curl', () => {
  it('a ClusterIP answers with the chosen pod page: web1 and web2 both come, by seed, reproducibly', () => {
    const run = (seed: number) => {
      const { sim, ip } = webCluster(seed);
      return sim.exec(Array(8).fill(`curl ${ip}`).join('; ')).stdout;
    };
    const out = run(1);
    expect(out.split('\n').filter(Boolean).every((l) => l === 'web1' || l === 'web2')).toBe(true);
    expect(out).toContain('web1\n');
    expect(out).toContain('web2\n');
    expect(run(1)).toBe(out);
    expect([2, 3, 4].map(run).some((o) => o !== out)).toBe(true);
  });

  it('sessionAffinity: ClientIP pins the node to one page; None balances again', () => {
    const { sim, ip } = webCluster();
    sim.exec(`kubectl patch svc deploy-nginx -p '{"spec":{"sessionAffinity":"ClientIP"}}'`);
    const pinned = sim.exec(Array(10).fill(`curl -s ${ip}`).join(';')).stdout.split('\n').filter(Boolean);
    expect(pinned).toHaveLength(10);
    expect(new Set(pinned).size).toBe(1);
    sim.exec(`kubectl patch svc deploy-nginx -p '{"spec":{"sessionAffinity":"None"}}'`);
    const balanced = sim.exec(Array(12).fill(`curl -s ${ip}`).join(';')).stdout.split('\n').filter(Boolean);
    expect(new Set(balanced)).toEqual(new Set(['web1', 'web2']));
  });

  it('an untouched nginx serves its stock welcome page; a missing file is nginx 404', () => {
    const sim = Simulation.load([course('01')]);
    sim.exec('kubectl expose deployment deploy-nginx --port=80');
    const ip = svc(sim, 'deploy-nginx').spec!.clusterIP!;
    const page = sim.exec(`curl http://${ip}/`).stdout;
    // nginx:1.15-alpine ships the pre-1.20 page.
    expect(page.startsWith('<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n    body {\n')).toBe(true);
    expect(page.endsWith('<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n')).toBe(true);
    expect(sim.exec(`curl -s ${ip}/linuxea.html`).stdout).toBe(
      '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.15.12</center>\r\n</body>\r\n</html>\r\n');
  });

  it('httpd says It works!; a kubesim.io/http-body annotation wins over the image', () => {
    const sim = Simulation.load([course('30'), course('31')]);
    const ip = svc(sim, 'httpd-svc').spec!.clusterIP!;
    const port = svc(sim, 'httpd-svc').spec!.ports![0].port;
    expect(sim.exec(`curl ${ip}:${port}`)).toEqual({ stdout: '<html><body><h1>It works!</h1></body></html>\n', stderr: '', exitCode: 0 });
    const pod = sim.snapshot().pods.find((p) => p.spec?.containers?.[0]?.image?.startsWith('httpd'))!;
    const annotated = Simulation.load([yamlFile('p.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: hello
  annotations:
    kubesim.io/http-body: hello from the annotation
spec:
  containers:
  - name: web
    image: example/hello:1
    ports:
    - containerPort: 8080
`)]);
    const hip = annotated.snapshot().pods[0].status!.podIP!;
    expect(annotated.exec(`curl ${hip}:8080`).stdout).toBe('hello from the annotation\n');
    expect(pod).toBeDefined();
  });

  it('demoapp reports the client address it sees, its name and its IP (from a node: masqueraded)', () => {
    const sim = Simulation.load([course('12')]);
    const ip = svc(sim, 'demoapp-svc').spec!.clusterIP!;
    const out = sim.exec(`curl -s ${ip}`).stdout;
    const pod = podsOf(sim, 'web').find((p) => out.includes(p.metadata.name))!;
    const node = sim.snapshot().nodes.find((n) => n.metadata.name === pod.spec!.nodeName)!;
    // Masqueraded to the sending node's flannel.1 address (<podCIDR>.0) for a remote pod.
    const masq = sim.snapshot().nodes.find((n) => n.metadata.name === sim.defaultNode())!.spec!.podCIDR!.replace(/\.0\/24$/, '.0');
    expect(node).toBeDefined();
    // (A pod on the sending node itself would see the cni0 address instead.)
    expect(out).toBe(`iKubernetes demoapp v1.0 !! ClientIP: ${pod.spec!.nodeName === sim.defaultNode() ? out.split('ClientIP: ')[1].split(',')[0] : masq}, ServerName: ${pod.metadata.name}, ServerIP: ${pod.status!.podIP}!\n`);
  });

  it('inside a pod: curl localhost and Service names; busybox has no curl', () => {
    const { sim } = webCluster();
    const [a] = podsOf(sim, 'nginx').map((p) => p.metadata.name);
    expect(sim.exec(`kubectl exec ${a} -- curl -s localhost`).stdout).toBe('web1\n');
    expect(['web1\n', 'web2\n']).toContain(sim.exec(`kubectl exec ${a} -- curl -s deploy-nginx`).stdout);
    expect(['web1\n', 'web2\n']).toContain(sim.exec(`kubectl exec ${a} -- curl -s http://deploy-nginx.default.svc.cluster.local./`).stdout);
    expect(sim.exec(`kubectl exec ${a} -- cat /usr/share/nginx/html/index.html`).stdout).toBe('web1\n');
    expect(sim.exec('curl deploy-nginx')).toEqual({ stdout: '', stderr: 'curl: (6) Could not resolve host: deploy-nginx\n', exitCode: 6 });
    const bb = Simulation.load([yamlFile('bb.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: busybox\nspec:\n  containers:\n  - name: busybox\n    image: busybox:1.28.3\n')]);
    expect(bb.exec('kubectl exec busybox -- curl 10.96.0.1')).toEqual({ stdout: '', stderr: 'sh: curl: not found\n', exitCode: 127 });
  });

  it('a Service without endpoints is REJECTed: exit 7, Connection refused at once', () => {
    const sim = Simulation.load([yamlFile('empty.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: empty\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n')]);
    const ip = svc(sim, 'empty').spec!.clusterIP!;
    expect(sim.exec(`curl ${ip}`)).toEqual({ stdout: '', stderr: `curl: (7) Failed to connect to ${ip} port 80 after 0 ms: Connection refused\n`, exitCode: 7 });
    expect(sim.exec(`curl -s ${ip}`)).toEqual({ stdout: '', stderr: '', exitCode: 7 });
    expect(sim.exec(`curl -sS ${ip}`).stderr).toBe(`curl: (7) Failed to connect to ${ip} port 80 after 0 ms: Connection refused\n`);
    // The node that rejected the SYN never confirmed a conntrack entry.
    expect(sim.exec('conntrack -L')).toEqual({ stdout: '', stderr: 'conntrack v1.4.6 (conntrack-tools): 0 flow entries have been shown.\n', exitCode: 0 });
  });

  it('Debian 12 nodes run curl 7.88.1: "Couldn\'t connect to server"', () => {
    const sim = Simulation.load([yamlFile('empty.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: empty\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n')]);
    const node = sim.snapshot().nodes.find((n) => n.metadata.name === sim.defaultNode())!;
    node.status!.nodeInfo!.osImage = 'Debian GNU/Linux 12 (bookworm)';
    const ip = svc(sim, 'empty').spec!.clusterIP!;
    expect(sim.exec(`curl ${ip}`).stderr).toBe(`curl: (7) Failed to connect to ${ip} port 80 after 0 ms: Couldn't connect to server\n`);
  });

  it('ETP=Local NodePort on a node without a local endpoint: the SYN is dropped, curl times out (28)', () => {
    const sim = Simulation.load([course('13')]);
    sim.exec(`kubectl patch svc demoapp-svc -p '{"spec":{"externalTrafficPolicy":"Local"}}'`);
    sim.exec('kubectl scale deployment demoapp --replicas=1');
    const withPods = new Set(podsOf(sim, 'web').filter((p) => p.status?.podIP).map((p) => p.spec!.nodeName));
    const empty = sim.snapshot().nodes.map((n) => n.metadata.name).find((n) => !withPods.has(n) && n !== sim.defaultNode())!;
    expect(empty).toBeDefined();
    const target = nodeIP(sim, empty);
    const r = sim.exec(`curl ${target}:32000`);
    expect(r.exitCode).toBe(28);
    expect(r.stderr).toMatch(new RegExp(`^curl: \\(28\\) Failed to connect to ${target.replace(/\./g, '\\.')} port 32000 after 1[23]\\d{4} ms: Connection timed out\\n$`));
    expect(sim.exec(`curl -m 3 ${target}:32000`)).toEqual({ stdout: '', stderr: 'curl: (28) Connection timed out after 3001 milliseconds\n', exitCode: 28 });
    // The sending node confirmed an unanswered SYN; the dropping node has nothing.
    const sent = sim.exec('conntrack -L -p tcp').stdout.split('\n').filter(Boolean);
    expect(sent).toHaveLength(2);
    for (const l of sent) expect(l).toMatch(new RegExp(`^tcp      6 1[01]\\d SYN_SENT src=\\S+ dst=${target} sport=\\d+ dport=32000 \\[UNREPLIED\\] src=${target} dst=\\S+ sport=32000 dport=\\d+ mark=0 use=1$`));
    expect(sim.exec(`kubectl get nodes >/dev/null; conntrack -C`).stdout).toBe('2\n');
  });

  it('curl to a port nothing listens on, and URL forms', () => {
    const { sim, ip } = webCluster();
    const [a] = podsOf(sim, 'nginx');
    expect(sim.exec(`curl ${a.status!.podIP}:8080`).stderr).toBe(`curl: (7) Failed to connect to ${a.status!.podIP} port 8080 after 0 ms: Connection refused\n`);
    expect(sim.exec(`curl http://${a.status!.podIP}:80/index.html`).stdout).toBe('web1\n');
    expect(sim.exec(`curl -X POST -d 'readyz=err' ${a.status!.podIP}/`).stdout).toBe('web1\n');
    expect(sim.exec(`curl -s -o /dev/null ${ip}`)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(sim.exec('curl')).toEqual({ stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2 });
  });
});

describe('conntrack -L', () => {
  it('prints the layout of conntrack-tools exactly (compared with a real conntrack v1.4.7 line)', () => {
    const real = 'tcp      6 119 TIME_WAIT src=10.0.0.1 dst=10.96.0.5 sport=50444 dport=80 src=10.0.0.2 dst=10.0.0.1 sport=8080 dport=50444 [ASSURED] mark=0 use=1';
    const e: CtEntry = { proto: 'tcp', orig: { src: '10.0.0.1', dst: '10.96.0.5', sport: 50444, dport: 80 }, reply: { src: '10.0.0.2', dst: '10.0.0.1', sport: 8080, dport: 50444 }, state: 'TIME_WAIT', replied: true, assured: true, mark: 0, expires: 120_000 };
    expect(formatEntry(e, 0)).toBe(real);
    const udp: CtEntry = { proto: 'udp', orig: { src: '10.0.0.1', dst: '10.0.0.2', sport: 39088, dport: 9999 }, reply: { src: '10.0.0.2', dst: '10.0.0.1', sport: 9999, dport: 39088 }, replied: false, assured: false, mark: 0, expires: 30_000 };
    expect(formatEntry(udp, 0)).toBe('udp      17 29 src=10.0.0.1 dst=10.0.0.2 sport=39088 dport=9999 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=9999 dport=39088 mark=0 use=1');
  });

  it('after a curl: the DNATed (and masqueraded) reply tuple, TIME_WAIT counting down with the clock, gone after 120 s', () => {
    const { sim, ip } = webCluster();
    const page = sim.exec(`curl -s ${ip}`).stdout;
    const pod = podsOf(sim, 'nginx').find((p) => (page === 'web1\n') === (p.metadata.name === podsOf(sim, 'nginx')[0].metadata.name))!;
    const me = sim.defaultNode();
    const node = sim.snapshot().nodes.find((n) => n.metadata.name === me)!;
    const src = nodeIP(sim, me);
    // The node sends from its eth0 address; MASQUERADE rewrites it to flannel.1's (<podCIDR>.0) for a pod on another node.
    const masq = pod.spec!.nodeName === me ? node.spec!.podCIDR!.replace(/\.0\/24$/, '.1') : node.spec!.podCIDR!.replace(/\/24$/, '');
    const r = sim.exec('conntrack -L');
    const line = new RegExp(`^tcp      6 114 TIME_WAIT src=${src} dst=${ip} sport=(\\d+) dport=80 src=${pod.status!.podIP} dst=${masq} sport=80 dport=\\1 \\[ASSURED\\] mark=0 use=1\\n$`);
    expect(r.stdout).toMatch(line);
    expect(r.stderr).toBe('conntrack v1.4.6 (conntrack-tools): 1 flow entries have been shown.\n');
    expect(sim.exec('conntrack -L').stdout).toMatch(/ 109 TIME_WAIT /);
    expect(sim.exec(`conntrack -L -d ${ip} -p tcp`).stdout).toMatch(/ 104 TIME_WAIT /);
    expect(sim.exec('conntrack -L -s 10.9.9.9').stdout).toBe('');
    expect(sim.exec('conntrack -L -o extended').stdout).toMatch(/^ipv4     2 tcp      6 94 TIME_WAIT /);
    for (let i = 0; i < 20; i++) sim.exec('true');
    expect(sim.exec('conntrack -L').stderr).toBe('conntrack v1.4.6 (conntrack-tools): 0 flow entries have been shown.\n');
  });

  it('pod → ClusterIP → pod on another node: the client node has the NAT entry, the server node a plain one', () => {
    const sim = Simulation.load([course('12')]);
    const ip = svc(sim, 'demoapp-svc').spec!.clusterIP!;
    const pods = podsOf(sim, 'web');
    const client = pods[0];
    let server;
    for (let i = 0; i < 20 && !server; i++) {
      const out = sim.exec(`kubectl exec ${client.metadata.name} -- curl -s ${ip}`).stdout;
      server = pods.find((p) => out.includes(p.metadata.name) && p.spec!.nodeName !== client.spec!.nodeName);
    }
    expect(server).toBeDefined();
    const cip = client.status!.podIP!;
    const sip = server!.status!.podIP!;
    const c = sim.exec(`conntrack -L -s ${cip} -r ${sip}`, { kind: 'node', node: client.spec!.nodeName! }).stdout;
    expect(c).toMatch(new RegExp(`TIME_WAIT src=${cip} dst=${ip} sport=(\\d+) dport=80 src=${sip} dst=${cip} sport=80 dport=\\1 \\[ASSURED\\]`));
    const s = sim.exec(`conntrack -L -s ${cip} -d ${sip}`, { kind: 'node', node: server!.spec!.nodeName! }).stdout;
    expect(s).toMatch(new RegExp(`TIME_WAIT src=${cip} dst=${sip} sport=(\\d+) dport=80 src=${sip} dst=${cip} sport=80 dport=\\1 \\[ASSURED\\]`));
    // A pod has no conntrack tool (nor CAP_NET_ADMIN).
    expect(sim.exec(`kubectl exec ${client.metadata.name} -- conntrack -L`)).toEqual({ stdout: '', stderr: 'sh: conntrack: not found\n', exitCode: 127 });
  });

  it('its own errors, as conntrack-tools prints them', () => {
    const sim = Simulation.load([course('12')]);
    expect(sim.exec('conntrack -L -p foo')).toEqual({ stdout: '', stderr: "conntrack v1.4.6 (conntrack-tools): `foo' unsupported protocol\nTry `conntrack -h' or 'conntrack --help' for more information.\n", exitCode: 2 });
    expect(sim.exec('conntrack -L -s bad').stderr).toBe("conntrack v1.4.6 (conntrack-tools): Invalid IP address `bad'\nTry `conntrack -h' or 'conntrack --help' for more information.\n");
    expect(sim.exec('conntrack -C -p tcp').stderr).toBe("conntrack v1.4.6 (conntrack-tools): Illegal option `--protonum' with this command\nTry `conntrack -h' or 'conntrack --help' for more information.\n");
    expect(sim.exec('conntrack -L --dport 80').stderr).toBe("conntrack v1.4.6 (conntrack-tools): unknown option `--dport'\nTry `conntrack -h' or 'conntrack --help' for more information.\n");
    expect(sim.exec('conntrack -V').stdout).toBe('conntrack v1.4.6 (conntrack-tools)\n');
    expect(sim.exec('conntrack -L -E').stderr).toBe("conntrack v1.4.6 (conntrack-tools): Invalid commands combination\nTry `conntrack -h' or 'conntrack --help' for more information.\n");
  });
});

describe('rule counters', () => {
  it('iptables -t nat -L KUBE-SVC-… -n -v after 3 curls: 60-byte SYNs, split over the endpoints', () => {
    const sim = Simulation.load([course('12')]);
    const ip = svc(sim, 'demoapp-svc').spec!.clusterIP!;
    const chain = /KUBE-SVC-\w+/.exec(sim.exec('iptables -t nat -S KUBE-SERVICES | grep demoapp-svc').stdout)![0];
    expect(sim.exec(`iptables -t nat -L ${chain} -n -v`).stdout).not.toMatch(/^ +[1-9]/m);
    const out = sim.exec(`curl -s ${ip}; curl -s ${ip}; curl -s ${ip}`).stdout;
    const list = sim.exec(`iptables -t nat -L ${chain} -n -v`).stdout.split('\n');
    expect(list[0]).toBe(`Chain ${chain} (1 references)`);
    expect(list[1]).toBe(' pkts bytes target     prot opt in     out     source               destination         ');
    // From a node: the first rule (KUBE-MARK-MASQ for sources outside the pod CIDR) sees all three.
    expect(list[2]).toMatch(/^    3   180 KUBE-MARK-MASQ  tcp  --  \*      \*      !10\.244\.0\.0\/16 /);
    const seps = list.slice(3).filter((l) => l.includes('KUBE-SEP-'));
    const counts = seps.map((l) => Number(l.slice(0, 5)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
    seps.forEach((l, i) => expect(l.slice(0, 12)).toBe(`${String(counts[i]).padStart(5)} ${String(counts[i] * 60).padStart(5)} `));
    // Each page names the pod: the counters agree with what curl printed.
    for (const p of podsOf(sim, 'web')) {
      const served = out.split('\n').filter((l) => l.includes(`ServerName: ${p.metadata.name},`)).length;
      const line = seps.find((l) => l.includes(`-> ${p.status!.podIP}:80 `));
      if (line) expect(Number(line.slice(0, 5))).toBe(served);
    }
    // -x prints exact numbers in the wide columns.
    expect(sim.exec(`iptables -t nat -L ${chain} -n -v -x`).stdout.split('\n')[2]).toMatch(/^       3      180 KUBE-MARK-MASQ /);
  });

  it('iptables-save -c and iptables -S -v carry the counters; built-in policies count what fell through', () => {
    const sim = Simulation.load([course('12')]);
    const ip = svc(sim, 'demoapp-svc').spec!.clusterIP!;
    sim.exec(`curl -s ${ip} && curl -s ${ip}`);
    const save = sim.exec('iptables-save -c').stdout;
    expect(save).toContain(`[2:120] -A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "default/demoapp-svc cluster IP" -m tcp --dport 80 -j KUBE-SVC-`);
    expect(save).toContain('[2:120] -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n');
    // filter OUTPUT: the SYN passed every rule and the ACCEPT policy.
    expect(save).toMatch(/\*filter\n:INPUT ACCEPT \[0:0\]\n:FORWARD ACCEPT \[0:0\]\n:OUTPUT ACCEPT \[2:120\]\n/);
    expect(sim.exec('iptables -t nat -S OUTPUT -v').stdout).toBe('-P OUTPUT ACCEPT -c 0 0\n-A OUTPUT -m comment --comment "kubernetes service portals" -c 2 120 -j KUBE-SERVICES\n');
    expect(sim.exec('iptables -L OUTPUT -v -n').stdout.split('\n')[0]).toBe('Chain OUTPUT (policy ACCEPT 2 packets, 120 bytes)');
  });

  it('sampled traces count too (each connection once); --all-paths counts nothing', () => {
    const sim = Simulation.load([course('12')]);
    const ip = svc(sim, 'demoapp-svc').spec!.clusterIP!;
    sim.trace({ from: 'node/node1', to: `${ip}:80`, allPaths: true });
    expect(sim.exec('iptables-save -c -t nat', { kind: 'node', node: 'node1' }).stdout).not.toMatch(/\[[1-9]/);
    sim.trace({ from: 'node/node1', to: `${ip}:80`, count: 10 });
    sim.trace({ from: 'node/node1', to: `${ip}:80` });
    expect(sim.exec('iptables-save -c -t nat', { kind: 'node', node: 'node1' }).stdout).toContain('[11:660] -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  });
});

describe('command lists', () => {
  it('parses ;, &&, ||, newlines, pipes and redirections', () => {
    expect(parseList('curl a; curl b && echo ok || echo no | wc -l')).toEqual([
      { op: ';', commands: [{ words: ['curl', 'a'], redirects: [] }] },
      { op: ';', commands: [{ words: ['curl', 'b'], redirects: [] }] },
      { op: '&&', commands: [{ words: ['echo', 'ok'], redirects: [] }] },
      { op: '||', commands: [{ words: ['echo', 'no'], redirects: [] }, { words: ['wc', '-l'], redirects: [] }] },
    ]);
    expect(parseList("echo 'a;b' > /x 2>&1")).toEqual([{ op: ';', commands: [{ words: ['echo', 'a;b'], redirects: [{ op: '>', fd: 1, target: '/x' }, { op: '>', fd: 2, target: '&1' }] }] }]);
    expect(parseList('a\n\nb')).toEqual([{ op: ';', commands: [{ words: ['a'], redirects: [] }] }, { op: ';', commands: [{ words: ['b'], redirects: [] }] }]);
    expect(parseList('; a')).toEqual({ error: "bash: syntax error near unexpected token `;'" });
    expect(parseList('a && && b')).toEqual({ error: "bash: syntax error near unexpected token `&&'" });
    expect(parseList('| a')).toEqual({ error: "bash: syntax error near unexpected token `|'" });
  });

  it('runs them in one call: curl; curl; conntrack -L, && / ||, for loops, pipes', () => {
    const { sim, ip } = webCluster();
    const r = sim.exec(`curl ${ip}; curl ${ip}; conntrack -L`);
    expect(r.stdout.split('\n').slice(0, 2).every((l) => l === 'web1' || l === 'web2')).toBe(true);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('tcp '))).toHaveLength(2);
    expect(r.stderr).toBe('conntrack v1.4.6 (conntrack-tools): 2 flow entries have been shown.\n');
    expect(sim.exec('false && echo yes || echo no').stdout).toBe('no\n');
    expect(sim.exec(`for i in 1 2 3; do curl -s ${ip}; done`).stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(sim.exec(`for i in $(seq 1 4); do echo $i; done; echo end`).stdout).toBe('1\n2\n3\n4\nend\n');
    expect(sim.exec('conntrack -L 2>/dev/null | wc -l').stdout.trim()).toBe('5');
    expect(sim.exec('kubectl get svc deploy-nginx | grep -c deploy').stdout).toBe('1\n');
  });
});

describe('IPVS-mode course lab (Part A)', () => {
  it('curl 10.2.11.22 from a master reaches both pages', () => {
    const sim = Simulation.load([cluster('part-a-kubeasz'), course('01'), course('02')]);
    const [a, b] = podsOf(sim, 'nginx').map((p) => p.metadata.name);
    sim.exec(`kubectl exec ${a} -- sh -c 'echo web1 > /usr/share/nginx/html/index.html'`);
    sim.exec(`kubectl exec ${b} -- sh -c 'echo web2 > /usr/share/nginx/html/index.html'`);
    const pages = sim.exec(Array(10).fill('curl 10.2.11.22').join(';')).stdout;
    expect(new Set(pages.split('\n').filter(Boolean))).toEqual(new Set(['web1', 'web2']));
  });
});
