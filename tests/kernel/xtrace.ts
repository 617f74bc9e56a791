// The kernel's side: TRACE rules, `xtables-monitor --trace`, real first packets, and the
// parse of the monitor's output into per-packet rule sequences.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { inNs } from './netns';

export type Proto = 'tcp' | 'udp';

/** One step as both sides can print it: the rule as `iptables -S` prints it, or null for a policy. */
export interface Step {
  table: string;
  chain: string;
  rule: string | null;
  verdict: string;
}

export interface KernelPacket {
  id: string;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Every traced line, raw table included, already mapped to the simulator's words. */
  steps: Step[];
  raw: string[];
}

/** The monitor's readiness/end markers: a UDP datagram from the node to TEST-NET-1. */
const START_MARK = '192.0.2.98';
const END_MARK = '192.0.2.99';
const MARK_PORT = 9;

/** TRACE rules for the scenario's port (PREROUTING and OUTPUT) plus the marker rule. */
export function addTraceRules(nodeNs: string, proto: Proto, port: number): void {
  for (const chain of ['PREROUTING', 'OUTPUT']) {
    inNs(nodeNs, ['iptables', '-t', 'raw', '-I', chain, '1', '-p', proto, '--dport', String(port), '-j', 'TRACE']);
  }
  inNs(nodeNs, ['iptables', '-t', 'raw', '-I', 'OUTPUT', '1', '-p', 'udp', '-d', `${START_MARK}/31`, '--dport', String(MARK_PORT), '-j', 'TRACE']);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function execAsync(cmd: string, args: string[], timeout = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.slice(0, 6).join(' ')}… failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function sendMarker(nodeNs: string, dst: string): Promise<string> {
  return execAsync('ip', ['netns', 'exec', nodeNs, 'bash', '-c', `echo mark > /dev/udp/${dst}/${MARK_PORT}`]).catch(() => '');
}

/** Monitors still running, so a timed-out test cannot leave one behind (afterAll / exit kill them). */
const live = new Set<ChildProcess>();

export function killAllMonitors(): void {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  live.clear();
}

process.once('exit', killAllMonitors);

export class Monitor {
  private proc: ChildProcess;
  private out = '';
  private err = '';
  private lastData = 0;
  private scanFrom = 0;
  private exited: Promise<void>;

  private constructor(readonly nodeNs: string) {
    // stdbuf: line-buffered output through the pipe, so we see lines while it runs.
    this.proc = spawn('ip', ['netns', 'exec', nodeNs, 'stdbuf', '-oL', 'xtables-monitor', '--trace'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.setEncoding('utf8').on('data', (d: string) => { this.out += d; this.lastData = Date.now(); });
    this.proc.stderr!.setEncoding('utf8').on('data', (d: string) => { this.err += d; });
    live.add(this.proc);
    this.exited = new Promise((r) => this.proc.once('exit', () => { live.delete(this.proc); r(); }));
  }

  /** Starts the monitor and waits until it demonstrably receives trace events. */
  static async start(nodeNs: string): Promise<Monitor> {
    const m = new Monitor(nodeNs);
    for (let i = 0; i < 60; i++) {
      await sendMarker(nodeNs, START_MARK);
      await sleep(50);
      if (m.out.includes(`DST=${START_MARK}`)) return m;
      if (m.proc.exitCode !== null) break;
    }
    await m.stop();
    throw new Error(`xtables-monitor --trace in ${nodeNs} never reported the start marker.\nstdout: ${m.out.slice(0, 2000)}\nstderr: ${m.err}`);
  }

  /** Waits for the end marker (events are delivered in order), then stops with SIGINT. */
  async finish(): Promise<string> {
    for (let i = 0; i < 60 && !this.out.includes(`DST=${END_MARK}`); i++) {
      await sendMarker(this.nodeNs, END_MARK);
      await sleep(50);
    }
    await sleep(50);
    await this.stop();
    if (!this.out.includes(`DST=${END_MARK}`)) throw new Error(`xtables-monitor lost the end marker; stderr: ${this.err}`);
    if (/ENOBUFS|No buffer space/i.test(this.err)) throw new Error(`xtables-monitor overran its netlink buffer: ${this.err}`);
    return this.out;
  }

  /**
   * Waits until the output shows a packet with this source port and then stays quiet for a
   * moment: the monitor has caught up. xtables-monitor looks every traced rule up in the kernel
   * (one netlink round trip per event), so it reads slowly; a burst of more than a few packets'
   * worth of events (~25 each) overflows its socket buffer (ENOBUFS, and it exits).
   */
  async waitForSport(sport: number, timeoutMs = 10_000): Promise<void> {
    const needle = `SPORT=${sport} `;
    const deadline = Date.now() + timeoutMs;
    const alive = () => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) throw new Error(`xtables-monitor exited early: ${this.err}`);
    };
    while (!this.out.includes(needle, this.scanFrom)) {
      alive();
      if (Date.now() > deadline) return; // a dropped packet may never show up; the final check reports it
      await sleep(2);
    }
    this.scanFrom = Math.max(0, this.out.lastIndexOf('PACKET:') - 1);
    while (Date.now() - this.lastData < 8 && Date.now() < deadline) { alive(); await sleep(2); }
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

// Sends one connection's first packet per source port: a non-blocking TCP connect (one SYN,
// then close() in SYN_SENT sends nothing more) or one UDP datagram. Batches arrive on stdin,
// one JSON list of source ports per line, so the caller can let the monitor catch up between
// batches (its netlink socket overflows with ENOBUFS otherwise: ~25 trace events per packet).
const SENDER_PY = String.raw`
import socket, sys, json, time, errno
a = json.loads(sys.argv[1])
for line in sys.stdin:
    res = []
    for sp in json.loads(line):
        if a['proto'] == 'tcp':
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a['src'], sp))
        try:
            if a['proto'] == 'tcp':
                s.connect((a['dst'], a['port']))
            else:
                s.sendto(b'kubesim', (a['dst'], a['port']))
            res.append('sent')
        except BlockingIOError:
            res.append('sent')
        except OSError as e:
            res.append(errno.errorcode.get(e.errno, str(e.errno)))
        s.close()
        if a['gap']:
            time.sleep(a['gap'])
    sys.stdout.write(json.dumps(res) + '\n')
    sys.stdout.flush()
`;

export interface SendSpec {
  ns: string;
  proto: Proto;
  /** Source address to bind ('' = let the kernel choose). */
  src: string;
  dst: string;
  port: number;
  sports: number[];
  /** Seconds between connections. */
  gap: number;
  /** Connections per batch; after each, `settle(lastSport)` is awaited. */
  batch: number;
  settle: (lastSport: number) => Promise<void>;
}

/** Returns per connection 'sent' or the errno name connect()/sendto() gave (EPERM after an OUTPUT DROP…). */
export async function send(s: SendSpec): Promise<string[]> {
  const arg = JSON.stringify({ proto: s.proto, src: s.src, dst: s.dst, port: s.port, gap: s.gap });
  const proc = spawn('ip', ['netns', 'exec', s.ns, 'python3', '-c', SENDER_PY, arg], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '', err = '';
  const waiters: (() => void)[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; waiters.splice(0).forEach((w) => w()); });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => { waiters.splice(0).forEach((w) => w()); r(code); }));
  const results: string[] = [];
  try {
    for (let i = 0; i < s.sports.length; i += s.batch) {
      const chunk = s.sports.slice(i, i + s.batch);
      const lines = out.split('\n').length;
      proc.stdin!.write(`${JSON.stringify(chunk)}\n`);
      const deadline = Date.now() + 20_000;
      while (out.split('\n').length === lines) {
        if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`sender in ${s.ns} stopped: ${err}`);
        await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 200); });
      }
      results.push(...(JSON.parse(out.trim().split('\n').pop()!) as string[]));
      await s.settle(chunk[chunk.length - 1]);
    }
  } finally {
    proc.stdin!.end();
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
  return results;
}

// `PACKET: 2 2b08e7de IN=veth… SRC=10.244.1.9 DST=10.106.167.230 … SPORT=41000 DPORT=80 SYN`
const PACKET_RE = /^PACKET: \d+ ([0-9a-f]+) (.*)$/;
// ` TRACE: 2 2b08e7de nat:KUBE-SERVICES:rule:0x35:JUMP:KUBE-SVC-…  -4 -t nat -A KUBE-SERVICES …`
// ` TRACE: 2 2b08e7de mangle:PREROUTING:policy:ACCEPT `
const TRACE_RE = /^TRACE: \d+ ([0-9a-f]+) ([a-z]+):([^:\s]+):(rule|policy|return):(.*)$/;
const RULE_RE = /^0x[0-9a-f]+:(\S+)\s+-4 -t ([a-z]+) (-A .*)$/;

/** NFT_RETURN as xtables-monitor prints a RETURN rule's verdict. */
const NFT_RETURN = '0xfffffffb';

function field(text: string, name: string): string | undefined {
  return new RegExp(`(?:^| )${name}=(\\S+)`).exec(text)?.[1];
}

/**
 * Splits the monitor's output into packets. A packet's lines share a trace id, and every traced
 * packet starts with our raw-table TRACE rule, which also separates two packets that happen to
 * get the same id. Verdicts are put in the simulator's words: RETURN for 0xfffffffb, REJECT for
 * a REJECT rule (the kernel reports the DROP that follows the ICMP error), POLICY:X for policies.
 *
 * A node-originated packet for a local address leaves through lo and comes back in through
 * PREROUTING and INPUT (`IN=lo … LOOPBACK`), still traced (skb->nf_trace survives) but under a
 * new trace id and, after MASQUERADE, with another source port: such a segment is the same
 * packet's continuation and is appended to the packet with the same IP ID.
 */
export function parseMonitor(text: string): KernelPacket[] {
  interface Segment extends KernelPacket { header: string }
  const segments: Segment[] = [];
  const open = new Map<string, Segment>();
  const pendingHeader = new Map<string, string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    const pm = PACKET_RE.exec(line);
    if (pm) {
      pendingHeader.set(pm[1], pm[2]);
      continue;
    }
    const tm = TRACE_RE.exec(line);
    if (!tm) continue;
    const [, id, table, chain, kind, rest] = tm;
    let step: Step;
    if (kind === 'policy') {
      step = { table, chain, rule: null, verdict: `POLICY:${rest.trim()}` };
    } else if (kind === 'rule') {
      const rm = RULE_RE.exec(rest.trim());
      if (!rm) throw new Error(`unparsed trace line: ${line}`);
      const [, verdictWord, , rule] = rm;
      let verdict = verdictWord === NFT_RETURN ? 'RETURN' : verdictWord;
      if (verdict === 'DROP' && / -j REJECT\b/.test(rule)) verdict = 'REJECT';
      step = { table, chain, rule, verdict };
    } else {
      step = { table, chain, rule: null, verdict: `RETURN-TRACE:${rest.trim()}` };
    }
    const startsPacket = table === 'raw' && step.rule !== null && / -j TRACE$/.test(step.rule);
    let p = open.get(id);
    if (!p || (startsPacket && p.steps.length > 0)) {
      const header = pendingHeader.get(id) ?? '';
      p = {
        id, header, steps: [], raw: [],
        src: field(header, 'SRC') ?? '', dst: field(header, 'DST') ?? '',
        sport: Number(field(header, 'SPORT') ?? NaN), dport: Number(field(header, 'DPORT') ?? NaN),
      };
      open.set(id, p);
      segments.push(p);
    }
    p.steps.push(step);
    p.raw.push(line);
  }
  const packets: Segment[] = [];
  for (const seg of segments) {
    if (/(^| )IN=lo /.test(seg.header)) {
      const ipid = field(seg.header, 'ID');
      const owner = [...packets].reverse().find((p) => field(p.header, 'ID') === ipid && !/(^| )IN=/.test(p.header));
      if (owner) {
        owner.steps.push(...seg.steps);
        owner.raw.push(`# continued through lo as trace id ${seg.id}: ${seg.header}`, ...seg.raw);
        continue;
      }
    }
    packets.push(seg);
  }
  return packets.map(({ header: _h, ...p }) => p);
}

/** The steps that are kube-proxy's: the raw table only exists for our TRACE rules. */
export function withoutRaw(steps: Step[]): Step[] {
  return steps.filter((s) => s.table !== 'raw');
}
