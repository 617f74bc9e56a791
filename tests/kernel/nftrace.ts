// The kernel's side for nftables mode: does `nft` work in a network namespace, a tracing
// table (`meta nftrace set 1` at priority raw − 50), `nft monitor trace`, and the parse of its
// output into per-packet rule sequences in the simulator's words (NftHop: chain, rule text as
// `nft list` prints it, verdict as the trace prints it; `policy accept` for a base chain).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { inNs } from './netns';

export interface NftPrereqs {
  ok: boolean;
  problems: string[];
  version?: string;
}

function runs(cmd: string, args: string[], input?: string): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000, input });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** root, `ip netns`, nft (that works inside a namespace), python3 (the packet sender), iptables-nft (kubelet's chains). */
export function checkNftPrereqs(): NftPrereqs {
  const problems: string[] = [];
  if (process.platform !== 'linux') problems.push(`not Linux (${process.platform})`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) problems.push(`not root (uid ${process.getuid()})`);
  const nft = runs('nft', ['--version']);
  if (!nft.ok) problems.push(`nft missing (Debian package nftables): ${nft.out.trim()}`);
  for (const [cmd, args] of [['ip', ['netns', 'list']], ['python3', ['--version']], ['stdbuf', ['--version']], ['iptables', ['--version']]] as const) {
    const r = runs(cmd, [...args]);
    if (!r.ok) problems.push(`${cmd} unavailable: ${r.out.trim()}`);
  }
  if (problems.length === 0) {
    const probe = `ks-${process.pid.toString(36)}-nft-0-n`;
    const add = runs('ip', ['netns', 'add', probe]);
    if (!add.ok) problems.push(`cannot create a network namespace: ${add.out.trim()}`);
    else {
      const load = runs('ip', ['netns', 'exec', probe, 'nft', '-f', '-'], 'table ip probe {\n\tchain c {\n\t\ttype nat hook output priority -100; policy accept;\n\t\tnumgen random mod 2 vmap { 0 : accept, 1 : accept }\n\t}\n}\n');
      if (!load.ok) problems.push(`nft cannot load a nat table inside a namespace: ${load.out.trim()}`);
      runs('ip', ['netns', 'del', probe]);
    }
  }
  return { ok: problems.length === 0, problems, version: nft.out.trim() };
}

/** nft -f inside a namespace. */
export function nftLoad(ns: string, script: string): void {
  inNs(ns, ['nft', '-f', '-'], script);
}

export function nftOut(ns: string, args: string[]): { stdout: string; stderr: string; status: number } {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'nft', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status ?? -1 };
}

const START_MARK = '192.0.2.98';
const END_MARK = '192.0.2.99';
const MARK_PORT = 9;

/** A table that sets nftrace on the scenario's packets (prerouting and output) and on the markers. */
export function addTraceTable(ns: string, proto: 'tcp' | 'udp', port: number): void {
  nftLoad(ns, [
    'table ip kubesim-trace {',
    '\tchain pre {',
    '\t\ttype filter hook prerouting priority -350; policy accept;',
    `\t\t${proto} dport ${port} meta nftrace set 1`,
    '\t}',
    '\tchain out {',
    '\t\ttype filter hook output priority -350; policy accept;',
    `\t\t${proto} dport ${port} meta nftrace set 1`,
    `\t\tip daddr { ${START_MARK}, ${END_MARK} } udp dport ${MARK_PORT} meta nftrace set 1`,
    '\t}',
    '}',
    '',
  ].join('\n'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const live = new Set<ChildProcess>();
export function killAllNftMonitors(): void {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  live.clear();
}
process.once('exit', killAllNftMonitors);

function sendMarker(ns: string, dst: string): void {
  spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', `echo mark > /dev/udp/${dst}/${MARK_PORT}`], { timeout: 5000 });
}

export class NftMonitor {
  private proc: ChildProcess;
  private out = '';
  private err = '';
  private lastData = 0;
  private exited: Promise<void>;

  private constructor(readonly ns: string) {
    this.proc = spawn('ip', ['netns', 'exec', ns, 'stdbuf', '-oL', 'nft', 'monitor', 'trace'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.setEncoding('utf8').on('data', (d: string) => { this.out += d; this.lastData = Date.now(); });
    this.proc.stderr!.setEncoding('utf8').on('data', (d: string) => { this.err += d; });
    live.add(this.proc);
    this.exited = new Promise((r) => this.proc.once('exit', () => { live.delete(this.proc); r(); }));
  }

  /** Starts `nft monitor trace` (after the ruleset is loaded: it caches the rules) and waits until it reports. */
  static async start(ns: string): Promise<NftMonitor> {
    const m = new NftMonitor(ns);
    for (let i = 0; i < 60; i++) {
      sendMarker(ns, START_MARK);
      await sleep(50);
      if (m.out.includes(`ip daddr ${START_MARK}`)) return m;
      if (m.proc.exitCode !== null) break;
    }
    await m.stop();
    throw new Error(`nft monitor trace in ${ns} never reported the start marker.\nstdout: ${m.out.slice(0, 2000)}\nstderr: ${m.err}`);
  }

  /** Waits until a packet with this source port shows up and the output goes quiet. */
  async waitForSport(sport: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!new RegExp(`(tcp|udp) sport ${sport} `).test(this.out)) {
      if (this.proc.exitCode !== null) throw new Error(`nft monitor exited early: ${this.err}`);
      if (Date.now() > deadline) return;
      await sleep(2);
    }
    while (Date.now() - this.lastData < 10 && Date.now() < deadline) await sleep(2);
  }

  async finish(): Promise<string> {
    for (let i = 0; i < 60 && !this.out.includes(`ip daddr ${END_MARK}`); i++) {
      sendMarker(this.ns, END_MARK);
      await sleep(50);
    }
    await sleep(50);
    await this.stop();
    if (!this.out.includes(`ip daddr ${END_MARK}`)) throw new Error(`nft monitor lost the end marker; stderr: ${this.err}`);
    return this.out;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGINT');
      const t = setTimeout(() => this.proc.kill('SIGKILL'), 2000);
      await this.exited;
      clearTimeout(t);
    }
  }
}

export interface NftStep {
  table: string;
  chain: string;
  rule: string | null;
  verdict: string;
}

export interface NftTracedPacket {
  id: string;
  sport: number;
  dport: number;
  daddr: string;
  steps: NftStep[];
  raw: string[];
}

// trace id 2ab1036c ip kube-proxy services rule ip daddr . meta l4proto . th dport vmap @service-ips (verdict goto service-…)
// trace id 2ab1036c ip kube-proxy filter-output policy accept meta mark 0x00004000
// trace id 2ab1036c ip kube-proxy nat-output packet: oif "eth0" ip saddr … tcp sport 36858 tcp dport 80 …
const LINE = /^trace id ([0-9a-f]+) (ip|ip6|inet|arp|bridge|netdev) (\S+) (\S+) (.*)$/;

/** The monitor's output per traced packet (grouped by trace id), in the simulator's words. */
export function parseNftMonitor(text: string): NftTracedPacket[] {
  const byId = new Map<string, NftTracedPacket>();
  const order: NftTracedPacket[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    const m = LINE.exec(line);
    if (!m) continue;
    const [, id, family, table, chain, rest] = m;
    let p = byId.get(id);
    if (!p) { p = { id, sport: NaN, dport: NaN, daddr: '', steps: [], raw: [] }; byId.set(id, p); order.push(p); }
    p.raw.push(line);
    if (rest.startsWith('packet: ')) {
      if (Number.isNaN(p.sport)) {
        const s = /(?:tcp|udp) sport (\d+)/.exec(rest);
        const d = /(?:tcp|udp) dport (\d+)/.exec(rest);
        const a = /ip daddr (\S+)/.exec(rest);
        p.sport = s ? Number(s[1]) : NaN;
        p.dport = d ? Number(d[1]) : NaN;
        p.daddr = a ? a[1] : '';
      }
      continue;
    }
    const t = `${family} ${table}`;
    const pol = /^policy (accept|drop)\b/.exec(rest);
    if (pol) { p.steps.push({ table: t, chain, rule: null, verdict: `policy ${pol[1]}` }); continue; }
    const rule = /^rule (.*) \(verdict ([^)]*)\)\s*$/.exec(rest);
    if (rule) { p.steps.push({ table: t, chain, rule: rule[1], verdict: rule[2] }); continue; }
    p.steps.push({ table: t, chain, rule: null, verdict: rest.trim() });
  }
  return order;
}
