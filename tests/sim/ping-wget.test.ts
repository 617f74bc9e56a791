// ping and wget inside pods and on nodes: busybox's and iputils'/GNU's output, name
// resolution through the cluster DNS, and who answers (a ClusterIP answers ICMP only in IPVS
// mode, where it is bound on kube-ipvs0). Transcripts are goldens in tests/golden/ping-wget.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { course, load, GOLDEN, yamlFile, transcriptAt } from './helpers';
import type { Simulation, Where } from '../../src/sim/index';
import type { LoadOptions } from '../../src/sim/index';

const TOOLS_IMAGE = 'registry.cn-hangzhou.aliyuncs.com/mokeyking/k8s-oldxu:tools-latest';
const BB = yamlFile('bb.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: bb
spec:
  nodeName: node1
  containers:
  - name: bb
    image: busybox:1.36
    command: ["sleep", "1000000"]
`);
const pod = (name: string, namespace = 'default'): Where => ({ kind: 'pod', namespace, pod: name });

const transcript = transcriptAt;

const clusterIP = (sim: Simulation, name: string) => sim.snapshot().services.find((s) => s.metadata.name === name)!.spec!.clusterIP!;
const podOn = (sim: Simulation, prefix: string, node: string) => sim.snapshot().pods.find((p) => p.metadata.name.startsWith(prefix) && p.spec?.nodeName === node)!;

/** B2/B5's cluster: demoapp ×3 behind demoapp-svc, a busybox pod on node1 and the course's tools pod. */
function demo(options?: LoadOptions): Simulation {
  const sim = load([course('12'), BB], options);
  sim.exec(`kubectl run tools --image=${TOOLS_IMAGE}`);
  return sim;
}

describe('ping', () => {
  it('iptables mode: a ClusterIP does not answer, pods and nodes do; busybox and iputils layouts (golden)', async () => {
    const sim = demo();
    const tools = sim.snapshot().pods.find((p) => p.metadata.name === 'tools')!;
    const near = podOn(sim, 'demoapp-', tools.spec!.nodeName!);
    const far = sim.snapshot().pods.find((p) => p.metadata.name.startsWith('demoapp-') && p.spec?.nodeName !== tools.spec!.nodeName)!;
    const ip = clusterIP(sim, 'demoapp-svc');
    const out = transcript(sim, [
      ['ping -c 2 demoapp-svc', pod('tools')],
      ['ping -c 2 demoapp-svc', pod('bb')],
      [`ping -c 3 ${near.status!.podIP}`, pod('tools')],
      [`ping -c 3 ${far.status!.podIP}`, pod('tools')],
      [`ping -c 2 ${far.status!.podIP}`, pod('bb')],
      [`ping ${near.status!.podIP}`, pod('bb')],
      ['ping -c 1 tools', pod('tools')],
      ['ping -c 1 nope', pod('bb')],
      ['ping -c 1 nope.example', pod('tools')],
      ['ping -c 2 192.168.122.12'],
      [`ping -c 1 ${far.status!.podIP}`],
      [`ping -c 3 ${ip}`],
      ['ping -c 2 -q 10.244.9.9', pod('bb')],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'ping-wget', 'ping-iptables.txt'));
    expect(out).toContain(`--- demoapp-svc.default.svc.cluster.local ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time `);
    expect(out).toContain('--- demoapp-svc ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n');
    expect(out).toContain("ping: bad address 'nope'\n");
    expect(out).toContain('ping: nope.example: Name or service not known\n');
  });

  it('IPVS mode from kube-proxy 1.28: KUBE-IPVS-FILTER rejects the echo, so the ClusterIP no longer answers', () => {
    const sim = demo({ proxyMode: 'ipvs', kubeProxyVersion: '1.31' });
    expect(sim.exec('ping -c 2 ${DEMOAPP_SVC_SERVICE_HOST}', pod('tools')).stdout).toContain('100% packet loss');
  });

  it('IPVS mode (the course\'s v1.23): the ClusterIP is on kube-ipvs0 and answers from the local node (golden)', async () => {
    const sim = demo({ proxyMode: 'ipvs', kubeProxyVersion: '1.23' });
    const out = transcript(sim, [
      ['ping -c 2 demoapp-svc', pod('bb')],
      ['ping -c 2 demoapp-svc', pod('tools')],
      ['ping -c 2 ${DEMOAPP_SVC_SERVICE_HOST}', pod('tools')],
      [`ping -c 1 ${clusterIP(sim, 'kube-dns')}`],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'ping-wget', 'ping-ipvs.txt'));
    expect(out).toMatch(/64 bytes from demoapp-svc\.default\.svc\.cluster\.local \(10\.\d+\.\d+\.\d+\): icmp_seq=1 ttl=64 time=0\.\d{3} ms/);
    expect(out).not.toContain('100% packet loss');
  });

  it('times are seeded and plausible: ~0.05 ms on the node, ~0.5 ms across nodes', () => {
    const times = (seed: number, target: 'near' | 'far') => {
      const sim = demo({ seed });
      const tools = sim.snapshot().pods.find((p) => p.metadata.name === 'tools')!;
      const near = podOn(sim, 'demoapp-', tools.spec!.nodeName!);
      const far = sim.snapshot().pods.find((p) => p.metadata.name.startsWith('demoapp-') && p.spec?.nodeName !== tools.spec!.nodeName)!;
      const r = sim.exec(`ping -c 10 ${(target === 'near' ? near : far).status!.podIP}`, pod('tools'));
      return { out: r.stdout, ms: [...r.stdout.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1])) };
    };
    for (const seed of [1, 2, 3]) {
      const near = times(seed, 'near');
      expect(near.ms).toHaveLength(10);
      for (const t of near.ms) expect(t).toBeGreaterThanOrEqual(0.04), expect(t).toBeLessThanOrEqual(0.15);
      for (const t of times(seed, 'far').ms) expect(t).toBeGreaterThanOrEqual(0.35), expect(t).toBeLessThanOrEqual(1.2);
      expect(times(seed, 'near').out).toBe(near.out);
    }
    expect(times(1, 'near').out).not.toBe(times(2, 'near').out);
  });

  it('is not installed in slim images', () => {
    const sim = load([course('30')]); // httpd (Debian)
    const httpd = sim.snapshot().pods.find((p) => p.metadata.name.startsWith('httpd'))!.metadata.name;
    expect(sim.exec('ping -c 1 10.96.0.1', pod(httpd))).toEqual({ stdout: '', stderr: 'sh: ping: not found\n', exitCode: 127 });
    expect(sim.exec('wget -qO- 10.96.0.1', pod(httpd)).stderr).toBe('sh: wget: not found\n');
  });
});

describe('wget', () => {
  it('busybox: download, stdout, spider, and the error texts (golden)', async () => {
    const sim = demo();
    const far = sim.snapshot().pods.find((p) => p.metadata.name.startsWith('demoapp-') && p.spec?.nodeName !== 'node1')!;
    const out = transcript(sim, [
      ['wget demoapp-svc', pod('bb')],
      ['cat index.html', pod('bb')],
      ['wget demoapp-svc', pod('bb')],
      ['wget -O index.html http://demoapp-svc/', pod('bb')],
      ['wget -qO- demoapp-svc', pod('bb')],
      ['wget -O - demoapp-svc', pod('bb')],
      ['wget -q --spider demoapp-svc && echo exists', pod('bb')],
      ['wget --spider http://demoapp-svc:80/hostname', pod('bb')],
      ['wget -O /tmp/h demoapp-svc/hostname; cat /tmp/h', pod('bb')],
      ['wget nope', pod('bb')],
      [`wget http://${far.status!.podIP}:81/`, pod('bb')],
      ['wget -T 3 demoapp-svc:81', pod('bb')],
      ['wget demoapp-svc:81', pod('bb')],
      ['wget ftp2://demoapp-svc/', pod('bb')],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'ping-wget', 'wget-busybox.txt'));
    expect(out).toContain("Connecting to demoapp-svc (");
    expect(out).toContain("saving to 'index.html'\nindex.html           100% |********************************|   ");
    expect(out).toContain("wget: can't open 'index.html': File exists\n");
    expect(out).toContain("wget: bad address 'nope'\n");
    expect(out).toContain(`wget: can't connect to remote host (${far.status!.podIP}): Connection refused\n`);
    expect(out).toContain('wget: download timed out\n');
    expect(out).toContain('Connection timed out\n');
  });

  it('A6: `rm index.html -rf` between two downloads, so the second one saves again', () => {
    const sim = demo();
    const where = pod('bb');
    expect(sim.exec('wget -q demoapp-svc', where).exitCode).toBe(0);
    expect(sim.exec('wget -q demoapp-svc', where).stderr).toBe("wget: can't open 'index.html': File exists\n");
    expect(sim.exec('rm index.html -rf', where)).toMatchObject({ stderr: '', exitCode: 0 });
    expect(sim.exec('wget -q demoapp-svc && cat index.html', where).stdout).toMatch(/demoapp/i);
    expect(sim.exec('rm nothing-here', where).stderr).toBe("rm: can't remove 'nothing-here': No such file or directory\n");
  });

  it('busybox 1.28 (the course\'s clientpod) draws the older progress line; an nginx 404 is an error', async () => {
    const sim = load([course('30'), course('31'), course('33'), course('01')]);
    const nginx = sim.snapshot().pods.find((p) => p.metadata.name.startsWith('deploy-nginx'))!;
    const out = transcript(sim, [
      ['wget -T 2 httpd-svc', pod('clientpod')],
      ['wget httpd-svc:8080', pod('clientpod')],
      ['cat index.html', pod('clientpod')],
      [`wget -q -O - http://${nginx.status!.podIP}/missing.html`, pod('clientpod')],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'ping-wget', 'wget-busybox128.txt'));
    expect(out).toContain("Connecting to httpd-svc:8080 (");
    expect(out).toMatch(/\nindex\.html           100% \|\*{31}\|    45   0:00:00 ETA\n/);
    expect(out).toContain('wget: server returned error: HTTP/1.1 404 Not Found\n');
  });

  it('GNU wget on a node and in the tools image: -q exactly, the log otherwise (golden)', async () => {
    const sim = demo();
    const far = sim.snapshot().pods.find((p) => p.metadata.name.startsWith('demoapp-') && p.spec?.nodeName !== 'node1')!;
    const ip = clusterIP(sim, 'demoapp-svc');
    const out = transcript(sim, [
      ['wget -q -O - demoapp-svc', pod('tools')],
      ['wget demoapp-svc', pod('tools')],
      ['wget -q demoapp-svc; cat index.html.1', pod('tools')],
      ['wget nope', pod('tools')],
      [`wget -qO- ${ip}`],
      [`wget ${far.status!.podIP}:81`],
      [`wget -q ${far.status!.podIP}:81; echo $?`],
    ]);
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'ping-wget', 'wget-gnu.txt'));
    expect(out).toContain(`Connecting to ${far.status!.podIP}:81... failed: Connection refused.\n`);
  });

  it('wget and curl fetch the same page over the same dataplane', () => {
    const sim = demo();
    const ip = clusterIP(sim, 'demoapp-svc');
    const pages = new Set<string>();
    for (let i = 0; i < 12; i++) pages.add(sim.exec(`wget -qO- ${ip}`, pod('bb')).stdout.replace(/ClientIP: [\d.]+, /, ''));
    for (let i = 0; i < 12; i++) pages.add(sim.exec(`curl -s ${ip}`, pod('tools')).stdout.replace(/ClientIP: [\d.]+, /, ''));
    expect(pages.size).toBe(3);
    // The connections are in node1's conntrack table like curl's.
    expect(sim.exec('conntrack -L -p tcp 2>/dev/null | grep -c "dport=80"', { kind: 'node', node: 'node1' }).stdout.trim()).not.toBe('0');
  });
});
