// The packet walk: a connection's first packet from its source to wherever it ends up,
// node by node — the netfilter hooks in kernel order (nat only for a NEW connection),
// routing, flannel's VXLAN between nodes — and then the reply back, de-NATed by conntrack
// on the node that did the NAT (never by a rule).
import type { ClusterSnapshot } from '../snapshot';
import type { Ruleset, TableName } from '../netfilter/ruleset';
import { findTable } from '../netfilter/ruleset';
import type { ConnInfo, Packet, Proto } from '../netfilter/packet';
import { fieldsOf } from '../netfilter/packet';
import { traverseTable, type Chooser, type NetfilterEnv, type TableHop } from '../netfilter/interpret';
import type { Hop, IpvsHop, NetfilterHop, Trace, TraceFinal, TracePath, Direction } from './trace-types';
import type { NodeIpvs } from '../kube-proxy/ipvs/index';
import { ipsetHas } from '../kube-proxy/ipvs/index';
import { closeConnection, openConnection, schedule, type IpvsState, type VirtualServer } from '../ipvs/index';
import type { NftTable, NftHook } from '../nftables/model';
import { traverseNftHook, type NftHop } from '../nftables/interpret';
import { ifaceAddress, route, sourceAddress, topologyOf, vethName, nodeWithIP, type NodeNet, type Topology } from './topology';

/** Tables each hook runs, in the kernel's priority order. */
const HOOK_TABLES: Record<string, TableName[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'nat'],
  FORWARD: ['mangle', 'filter'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter'],
  POSTROUTING: ['mangle', 'nat'],
};

export type Endpoint =
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'external'; ip: string };

export interface WalkOptions {
  proto: Proto;
  dst: string;
  dport: number;
  sport?: number;
  /** Enumerate every random branch, or decide with this chooser. */
  choose: Chooser;
  /** `-m recent` state (session affinity) per node, kept across connections when sampling. */
  recent?: Map<string, Map<string, Map<string, number>>>;
  now?: number;
  /** Counts the rules (and set, map or virtual-server lookups) the packet is compared against. */
  stats?: { evaluated: number };
}

/** IPVS mode on a node: what kube-proxy programmed, and the kernel's state the scheduler reads and advances. */
export interface IpvsNode {
  model: NodeIpvs;
  state: IpvsState;
  now: number;
}

export interface WalkContext {
  snap: ClusterSnapshot;
  topo: Topology;
  rulesets: (node: string) => Ruleset | undefined;
  /** IPVS mode: the node's virtual servers and scheduler state (absent in the other modes). */
  ipvs?: (node: string) => IpvsNode | undefined;
  /** nftables mode: the node's `ip kube-proxy` table (absent in the other modes). */
  nft?: (node: string) => NftTable | undefined;
}

export interface Dataplanes {
  ipvs?: (node: string) => IpvsNode | undefined;
  nft?: (node: string) => NftTable | undefined;
}

export function walkContext(snap: ClusterSnapshot, rulesets: (node: string) => Ruleset | undefined, planes: Dataplanes = {}): WalkContext {
  return { snap, topo: topologyOf(snap), rulesets, ...(planes.ipvs ? { ipvs: planes.ipvs } : {}), ...(planes.nft ? { nft: planes.nft } : {}) };
}

const IPVS_PROTO: Record<string, string> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

/** A node's virtual servers by `PROTO VIP:PORT` and its kube-ipvs0 addresses, indexed once (the kernel hashes them too). */
const ipvsIndex = new WeakMap<NodeIpvs, { vs: Map<string, VirtualServer>; dummy: Set<string> }>();
function indexOf(model: NodeIpvs): { vs: Map<string, VirtualServer>; dummy: Set<string> } {
  let x = ipvsIndex.get(model);
  if (!x) {
    x = { vs: new Map(model.virtualServers.map((v) => [`${v.proto} ${v.vip}:${v.port}`, v])), dummy: new Set(model.dummy) };
    ipvsIndex.set(model, x);
  }
  return x;
}

/** The virtual server a packet is addressed to on this node, in IPVS mode. */
function virtualServerFor(ctx: WalkContext, node: NodeNet, p: Packet): { ipvs: IpvsNode; vs: VirtualServer } | undefined {
  const ipvs = ctx.ipvs?.(node.name);
  if (!ipvs) return undefined;
  const vs = indexOf(ipvs.model).vs.get(`${IPVS_PROTO[p.proto]} ${p.dst}:${p.dport}`);
  return vs ? { ipvs, vs } : undefined;
}

/** Addresses on kube-ipvs0 (IPVS mode): local to the node, so the packet goes up to INPUT. */
function onDummy(ctx: WalkContext, node: NodeNet, ip: string): boolean {
  const ipvs = ctx.ipvs?.(node.name);
  return !!ipvs && indexOf(ipvs.model).dummy.has(ip);
}

interface Flight {
  probability: number;
  hops: Hop[];
  packet: Packet;
  /** Per node: NAT this node applied to the connection (for the reply's de-NAT). */
  nat: Map<string, { dnat?: { from: [string, number]; to: [string, number] }; snat?: { from: [string, number]; to: [string, number] } }>;
  endpoint?: string;
  /** Conntrack's view of the connection on the node the packet is on now. */
  ct: ConnInfo;
}

type Ended = { flight: Flight; final: TraceFinal };

const MAX_NODE_VISITS = 8;

/** Every path (or the sampled path) of one connection's request, then its reply. */
export function walk(ctx: WalkContext, from: Endpoint, o: WalkOptions): Trace {
  const start = startOf(ctx, from, o);
  const to = `${o.dst}:${o.dport}`;
  const fromText = from.kind === 'pod' ? `pod/${from.namespace}/${from.name}` : from.kind === 'node' ? `node/${from.name}` : `external/${from.ip}`;
  if ('error' in start) return { from: fromText, to, proto: o.proto, paths: [{ probability: 1, hops: [], final: { result: 'unreachable', at: fromText, packet: { src: '', sport: 0, dst: o.dst, dport: o.dport, mark: '0x0' }, reason: start.error } }] };
  const flight: Flight = { probability: 1, hops: [], packet: start.packet, nat: new Map(), ct: newConn() };
  const ended: Ended[] = [];
  const recent = o.recent ?? new Map();
  const env = (node: NodeNet): NetfilterEnv => ({
    addrType: (ip) => (node.ips.includes(ip) || ip.startsWith('127.') || ip === node.cni0 || ip === node.flannel || onDummy(ctx, node, ip) ? 'LOCAL' : 'UNICAST'),
    ...(ctx.ipvs?.(node.name) ? { ipsetHas: (name: string, p: Packet, flags: string) => ipsetHas(ctx.ipvs!(node.name)!.model.ipsets, name, p, flags) } : {}),
    recent: recent.get(node.name) ?? recent.set(node.name, new Map()).get(node.name)!,
    now: o.now ?? 0,
    masqueradeAddress: (out) => ifaceAddress(node, out),
    ...(o.stats ? { stats: o.stats } : {}),
  });
  const deliverRequest = (f: Flight, final: TraceFinal) => ended.push({ flight: f, final });

  // The first packet: from a pod it enters its node on the veth (PREROUTING); from a node it
  // leaves a local process (OUTPUT); from outside it arrives on eth0 (PREROUTING).
  if (start.entry === 'output') runOutput(ctx, start.node, flight, env, o.choose, deliverRequest, 0);
  else runPrerouting(ctx, start.node, { ...flight, packet: { ...flight.packet, in: start.iface } }, env, o.choose, deliverRequest, 0, 'request');

  const paths: TracePath[] = ended.map(({ flight: f, final }) => {
    if (final.result !== 'delivered') return { probability: f.probability, hops: f.hops, final: { ...final, endpoint: f.endpoint } };
    const reply = replyHops(ctx, f, final, start.origin);
    return { probability: f.probability, hops: [...f.hops, ...reply], final: { ...final, endpoint: f.endpoint } };
  });
  return { from: fromText, to, proto: o.proto, paths };
}

interface Start {
  node: NodeNet;
  packet: Packet;
  entry: 'output' | 'prerouting';
  iface?: string;
  origin: string;
}

function startOf(ctx: WalkContext, from: Endpoint, o: WalkOptions): Start | { error: string } {
  const base = { proto: o.proto, dst: o.dst, dport: o.dport, sport: o.sport ?? 40000, mark: 0 };
  if (from.kind === 'pod') {
    const pod = ctx.snap.pods.find((p) => p.metadata.namespace === from.namespace && p.metadata.name === from.name);
    if (!pod) return { error: `pod ${from.namespace}/${from.name} not found` };
    const node = pod.spec?.nodeName ? ctx.topo.byName.get(pod.spec.nodeName) : undefined;
    if (!node || !pod.status?.podIP) return { error: `pod ${from.namespace}/${from.name} is not running on a node` };
    if (pod.spec?.hostNetwork) return { node, packet: { ...base, src: sourceAddress(ctx.topo, node, o.dst) }, entry: 'output', origin: `pod/${from.namespace}/${from.name}` };
    return { node, packet: { ...base, src: pod.status.podIP }, entry: 'prerouting', iface: vethName(pod), origin: `pod/${from.namespace}/${from.name}` };
  }
  if (from.kind === 'node') {
    const node = ctx.topo.byName.get(from.name);
    if (!node) return { error: `node ${from.name} not found` };
    return { node, packet: { ...base, src: sourceAddress(ctx.topo, node, o.dst) }, entry: 'output', origin: `node/${from.name}` };
  }
  // An external client reaches the node that owns the address: a node IP (NodePort), or the
  // node MetalLB's layer-2 speaker answers ARP for (LoadBalancer IP), or an externalIP's route.
  const owner = nodeWithIP(ctx.topo, o.dst) ?? announcingNode(ctx, o.dst);
  if (!owner) return { error: `${o.dst} is not reachable from outside the cluster (no node owns or announces it)` };
  return { node: owner, packet: { ...base, src: from.ip }, entry: 'prerouting', iface: 'eth0', origin: `external/${from.ip}` };
}

/** MetalLB layer 2: one node answers ARP for a LoadBalancer IP; externalIPs are routed to a node the same way here. */
function announcingNode(ctx: WalkContext, ip: string): NodeNet | undefined {
  const svc = ctx.snap.services.find((s) => (s.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === ip) || (s.spec?.externalIPs ?? []).includes(ip));
  if (!svc) return undefined;
  const schedulable = ctx.snap.nodes.filter((n) => !n.spec?.unschedulable && !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule'));
  const candidates = (schedulable.length ? schedulable : ctx.snap.nodes).map((n) => n.metadata.name).sort();
  // Deterministic: the speaker election hashes node and IP; we take the first by name.
  return candidates.length ? ctx.topo.byName.get(candidates[0]) : undefined;
}

type Done = (f: Flight, final: TraceFinal) => void;

function newConn(): ConnInfo {
  return { state: 'NEW', dnat: false, snat: false };
}

/** The iptables tables' hook priorities (NF_IP_PRI_*): nat is dstnat on the way in and out, srcnat after routing. */
function tablePriority(table: TableName, hookName: string): number {
  switch (table) {
    case 'raw': return -300;
    case 'mangle': return -150;
    case 'nat': return hookName === 'PREROUTING' || hookName === 'OUTPUT' ? -100 : 100;
    default: return 0;
  }
}

type Stage = { kind: 'iptables'; table: TableName; priority: number } | { kind: 'nft'; view: NftTable; priority: number };

/**
 * What runs on a hook, in the kernel's priority order: the iptables tables and (nftables mode)
 * the `ip kube-proxy` base chains registered there, interleaved — e.g. OUTPUT: raw −300, mangle
 * −150, filter-output −110, nat −100 and nat-output, filter-output-post-dnat −90, filter 0.
 * Consecutive nft chains run as one table view (cached per table and hook).
 */
type IptablesStage = { kind: 'iptables'; table: TableName; priority: number };
const iptablesStages = new Map<string, IptablesStage[]>();
const stageCache = new WeakMap<NftTable, Map<string, Stage[]>>();

function iptablesOnly(hookName: string): IptablesStage[] {
  let st = iptablesStages.get(hookName);
  if (!st) { st = HOOK_TABLES[hookName].map((table) => ({ kind: 'iptables' as const, table, priority: tablePriority(table, hookName) })); iptablesStages.set(hookName, st); }
  return st;
}

function stagesOf(nft: NftTable | undefined, hookName: string): Stage[] {
  if (!nft) return iptablesOnly(hookName);
  // A 20,000-Service table has some 60,000 chains: work out each hook's stages once per table.
  let cached = stageCache.get(nft);
  if (!cached) { cached = new Map(); stageCache.set(nft, cached); }
  let st = cached.get(hookName);
  if (!st) { st = buildStages(nft, hookName); cached.set(hookName, st); }
  return st;
}

function buildStages(nft: NftTable, hookName: string): Stage[] {
  const stages = iptablesOnly(hookName);
  const hook = hookName.toLowerCase() as NftHook;
  const chains = nft.chains.filter((c) => c.base?.hook === hook);
  // Equal priorities: the iptables table registered first (kube-proxy's chains come later).
  const merged: (IptablesStage | { kind: 'chain'; chain: NftTable['chains'][number]; priority: number })[] = [
    ...stages, ...chains.map((chain) => ({ kind: 'chain' as const, chain, priority: chain.base!.priority })),
  ].sort((x, y) => x.priority - y.priority || (x.kind === 'iptables' ? -1 : 0) - (y.kind === 'iptables' ? -1 : 0));
  const out: Stage[] = [];
  let run: NftTable['chains'] = [];
  const flush = () => {
    if (!run.length) return;
    out.push({ kind: 'nft', view: nftView(nft, hook, run), priority: run[0].base!.priority });
    run = [];
  };
  for (const m of merged) {
    if (m.kind === 'chain') { run.push(m.chain); continue; }
    flush();
    out.push(m);
  }
  flush();
  return out;
}

/** The table with only `base` of hook's base chains (the regular chains stay: they are jump targets). Built once per table and hook (see stagesOf). */
function nftView(table: NftTable, hook: NftHook, base: NftTable['chains']): NftTable {
  const all = table.chains.filter((c) => c.base?.hook === hook);
  if (base.length === all.length) return table;
  const keep = new Set(base);
  return { ...table, chains: table.chains.filter((c) => !c.base || c.base.hook !== hook || keep.has(c)) };
}

type Flights = { flight: Flight; verdict: string }[];

function hook(ctx: WalkContext, node: NodeNet, hookName: string, f: Flight, env: (n: NodeNet) => NetfilterEnv, choose: Chooser, direction: Direction, natDone = false): Flights {
  const rs = ctx.rulesets(node.name);
  // Only a connection's first packet sees nat, and only once per node: a packet a node sends
  // to itself loops back through PREROUTING/INPUT with its NAT already bound.
  const skipNat = f.ct.state !== 'NEW' || natDone;
  let flights: Flights = [{ flight: f, verdict: 'ACCEPT' }];
  for (const stage of stagesOf(ctx.nft?.(node.name), hookName)) {
    if (stage.kind === 'nft') { flights = nftHook(stage.view, node, hookName, flights, env, choose, direction, skipNat); continue; }
    if (stage.table === 'nat' && skipNat) continue;
    const t = rs ? findTable(rs, stage.table) : undefined;
    if (!t) continue;
    const next: Flights = [];
    for (const cur of flights) {
      if (cur.verdict !== 'ACCEPT') { next.push(cur); continue; }
      for (const out of traverseTable(t, hookName, cur.flight.packet, cur.flight.ct, env(node), choose)) {
        next.push(applied(cur, node, out.hops.map((h) => netfilterHop(node.name, direction, hookName, h)), out));
      }
    }
    flights = next;
  }
  return flights;
}

/** A flight after one table (or nft run): its hops, its NAT (remembered per node for the reply), its probability. */
function applied(cur: Flights[number], node: NodeNet, hops: Hop[], out: { probability: number; packet: Packet; verdict: string; dnat?: { ip: string; port: number }; snat?: { ip: string; port?: number } }): Flights[number] {
  const nat = new Map(cur.flight.nat);
  const mine = { ...(nat.get(node.name) ?? {}) };
  const ct = { ...cur.flight.ct };
  if (out.dnat) { mine.dnat = { from: [cur.flight.packet.dst, cur.flight.packet.dport], to: [out.dnat.ip, out.dnat.port] }; ct.dnat = true; }
  if (out.snat) { mine.snat = { from: [cur.flight.packet.src, cur.flight.packet.sport], to: [out.snat.ip, out.snat.port ?? cur.flight.packet.sport] }; ct.snat = true; }
  if (out.dnat || out.snat) nat.set(node.name, mine);
  return {
    flight: { ...cur.flight, ct, probability: cur.flight.probability * out.probability, hops: [...cur.flight.hops, ...hops], packet: out.packet, nat, endpoint: out.dnat ? `${out.dnat.ip}:${out.dnat.port}` : cur.flight.endpoint },
    verdict: out.verdict,
  };
}

/**
 * nftables mode: a run of the `ip kube-proxy` table's base chains on this hook. Its nat chains,
 * like iptables' nat table, see only a connection's first packet, once per node.
 */
function nftHook(table: NftTable, node: NodeNet, hookName: string, flights: Flights, env: (n: NodeNet) => NetfilterEnv, choose: Chooser, direction: Direction, skipNat: boolean): Flights {
  const hook = hookName.toLowerCase() as NftHook;
  const next: Flights = [];
  for (const cur of flights) {
    if (cur.verdict !== 'ACCEPT') { next.push(cur); continue; }
    const e = env(node);
    const nenv = { addrType: e.addrType, now: e.now, masqueradeAddress: e.masqueradeAddress, skipNat, ...(e.stats ? { stats: e.stats } : {}) };
    for (const out of traverseNftHook(table, hook, cur.flight.packet, cur.flight.ct, nenv, choose)) {
      next.push(applied(cur, node, out.hops.map((h) => netfilterHop(node.name, direction, hookName, h)), out));
    }
  }
  return next;
}

/** A rule the packet matched, from the iptables interpreter or the nftables one (same shape). */
function netfilterHop(node: string, direction: Direction, hookName: string, h: TableHop | NftHop): NetfilterHop {
  const hop: NetfilterHop = { kind: 'netfilter', node, direction, hook: hookName, table: h.table, chain: h.chain, rule: h.rule, ruleIndex: h.ruleIndex, verdict: h.verdict, before: fieldsOf(h.before), after: fieldsOf(h.after) };
  // The Service (and endpoint) whose rule this is: the UI links it back to the YAML.
  if (h.origin?.service) hop.service = h.origin.service;
  if (h.origin?.endpoint) hop.endpoint = h.origin.endpoint;
  return hop;
}

function stopped(f: Flight, verdict: string, node: NodeNet, done: Done): void {
  done(f, { result: verdict === 'REJECT' ? 'rejected' : 'dropped', at: `node/${node.name}`, packet: fieldsOf(f.packet), reason: verdict === 'REJECT' ? 'REJECT (icmp-port-unreachable)' : 'DROP' });
}

function runOutput(ctx: WalkContext, node: NodeNet, f: Flight, env: (n: NodeNet) => NetfilterEnv, choose: Chooser, done: Done, visits: number): void {
  const out0 = route(ctx.topo, node, f.packet.dst);
  const iface0 = out0.kind === 'local' || onDummy(ctx, node, f.packet.dst) ? 'lo' : out0.iface;
  for (const r of hook(ctx, node, 'OUTPUT', { ...f, ct: newConn(), packet: { ...f.packet, out: iface0 } }, env, choose, 'request')) {
    if (r.verdict !== 'ACCEPT') { stopped(r.flight, r.verdict, node, done); continue; }
    // IPVS mode: a connection the node opens to a virtual server is scheduled at LOCAL_OUT.
    const vs = ipvsStep(ctx, node, r.flight, 'LOCAL_OUT', 'request', env(node));
    if (vs && 'refused' in vs) { done(vs.refused, refusedFinal(vs.refused, node)); continue; }
    postRouteAndEmit(ctx, node, vs ? vs.flight : r.flight, env, choose, done, visits, 'request');
  }
}

/**
 * IPVS (masquerading forwarding): at LOCAL_IN for a packet that came in, at LOCAL_OUT for one
 * the node sends, the virtual server's scheduler picks a real server and IPVS rewrites the
 * destination to it. Null when the packet is not for a virtual server of this node.
 */
function ipvsStep(ctx: WalkContext, node: NodeNet, f: Flight, at: 'LOCAL_IN' | 'LOCAL_OUT', direction: Direction, env: NetfilterEnv): { flight: Flight } | { refused: Flight } | null {
  const hit = virtualServerFor(ctx, node, f.packet);
  // One hash lookup in the kernel's virtual-server table, hit or miss.
  if (ctx.ipvs?.(node.name) && env.stats) env.stats.evaluated++;
  if (!hit) return null;
  const { ipvs, vs } = hit;
  const client = { src: f.packet.src, sport: f.packet.sport };
  // The walk's own clock (sampled connections are a second apart) on top of the node's.
  const now = ipvs.now + env.now;
  const d = schedule(ipvs.state, vs, client, now);
  const before = fieldsOf(f.packet);
  const packet = d.real ? { ...f.packet, dst: d.real.ip, dport: d.real.port } : f.packet;
  const hop: IpvsHop = {
    kind: 'ipvs', node: node.name, direction, hook: at,
    virtualServer: { proto: vs.proto, vip: vs.vip, port: vs.port, scheduler: vs.scheduler || 'rr', kind: vs.kind, service: vs.service, ...(vs.persistentTimeout ? { persistent: vs.persistentTimeout } : {}) },
    decision: { table: d.table, index: d.index, why: d.why, ...(d.persistent ? { persistent: true } : {}), ...(d.bucket !== undefined ? { bucket: d.bucket } : {}) },
    before, after: fieldsOf(packet),
  };
  const flight = withHop(f, hop);
  if (!d.real) return { refused: flight };
  // A short connection: opened, then closed (TIME_WAIT keeps it in the inactive count a while).
  openConnection(ipvs.state, vs, d.real, now, { client });
  closeConnection(ipvs.state, vs, d.real, now, client);
  const nat = new Map(f.nat);
  nat.set(node.name, { ...(nat.get(node.name) ?? {}), dnat: { from: [f.packet.dst, f.packet.dport], to: [d.real.ip, d.real.port] } });
  return { flight: { ...flight, packet, nat, ct: { ...f.ct, dnat: true }, endpoint: `${d.real.ip}:${d.real.port}` } };
}

function refusedFinal(f: Flight, node: NodeNet): TraceFinal {
  return { result: 'rejected', at: `node/${node.name}`, packet: fieldsOf(f.packet), reason: 'IPVS: no real server with weight > 0 (ICMP port unreachable)' };
}

function runPrerouting(ctx: WalkContext, node: NodeNet, f: Flight, env: (n: NodeNet) => NetfilterEnv, choose: Chooser, done: Done, visits: number, direction: Direction): void {
  if (visits > MAX_NODE_VISITS) { done(f, { result: 'dropped', at: `node/${node.name}`, packet: fieldsOf(f.packet), reason: 'routing loop' }); return; }
  for (const r of hook(ctx, node, 'PREROUTING', { ...f, ct: newConn() }, env, choose, direction)) {
    if (r.verdict !== 'ACCEPT') { stopped(r.flight, r.verdict, node, done); continue; }
    const rt = route(ctx.topo, node, r.flight.packet.dst);
    const dummy = rt.kind !== 'local' && onDummy(ctx, node, r.flight.packet.dst);
    if (rt.kind === 'local' || dummy) {
      const where = dummy ? `${r.flight.packet.dst} is on kube-ipvs0 (IPVS mode): local to ${node.name}` : `${r.flight.packet.dst} is an address of ${node.name}`;
      for (const i of hook(ctx, node, 'INPUT', r.flight, env, choose, direction)) {
        if (i.verdict !== 'ACCEPT') { stopped(i.flight, i.verdict, node, done); continue; }
        const vs = direction === 'request' && ctx.ipvs ? ipvsStep(ctx, node, withHop(i.flight, { kind: 'route', node: node.name, direction, iface: 'local', text: `${where}: past INPUT, IPVS looks it up at LOCAL_IN`, packet: fieldsOf(i.flight.packet) }), 'LOCAL_IN', direction, env(node)) : null;
        if (vs && 'refused' in vs) { done(vs.refused, refusedFinal(vs.refused, node)); continue; }
        if (vs) {
          // IPVS sends the rewritten packet on its way: out through LOCAL_OUT (filter; its NAT is
          // IPVS's own) and POSTROUTING, where KUBE-POSTROUTING masquerades what was marked.
          for (const o of hook(ctx, node, 'OUTPUT', { ...vs.flight, packet: { ...vs.flight.packet, out: undefined } }, env, choose, direction, true)) {
            if (o.verdict !== 'ACCEPT') { stopped(o.flight, o.verdict, node, done); continue; }
            postRouteAndEmit(ctx, node, o.flight, env, choose, done, visits, direction);
          }
          continue;
        }
        const fl = withHop(i.flight, { kind: 'route', node: node.name, direction, iface: 'local', text: `${where}: delivered to a local process`, packet: fieldsOf(i.flight.packet) });
        done(fl, { result: 'delivered', at: `node/${node.name}`, packet: fieldsOf(fl.packet) });
      }
      continue;
    }
    const fwd = { ...r.flight, packet: { ...r.flight.packet, out: rt.kind === 'pod' ? 'cni0' : rt.iface } };
    for (const x of hook(ctx, node, 'FORWARD', fwd, env, choose, direction)) {
      if (x.verdict !== 'ACCEPT') { stopped(x.flight, x.verdict, node, done); continue; }
      postRouteAndEmit(ctx, node, x.flight, env, choose, done, visits, direction);
    }
  }
}

function withHop(f: Flight, h: Hop): Flight {
  return { ...f, hops: [...f.hops, h] };
}

/** POSTROUTING, then out of the interface the route picks: to a local pod, over VXLAN, or to the outside. */
function postRouteAndEmit(ctx: WalkContext, node: NodeNet, f: Flight, env: (n: NodeNet) => NetfilterEnv, choose: Chooser, done: Done, visits: number, direction: Direction): void {
  const rt = route(ctx.topo, node, f.packet.dst);
  const outIface = rt.kind === 'local' ? 'lo' : rt.kind === 'pod' ? (rt.pod ? vethName(rt.pod) : 'cni0') : rt.iface;
  for (const p of hook(ctx, node, 'POSTROUTING', { ...f, packet: { ...f.packet, out: rt.kind === 'pod' ? 'cni0' : rt.kind === 'local' ? 'lo' : rt.iface } }, env, choose, direction)) {
    if (p.verdict !== 'ACCEPT') { stopped(p.flight, p.verdict, node, done); continue; }
    const pk = { ...p.flight.packet, mark: p.flight.packet.mark };
    const fields = fieldsOf(pk);
    if (rt.kind === 'local') {
      // Out through lo and straight back in: PREROUTING and INPUT again, nat already done.
      const looped = withHop(p.flight, { kind: 'route', node: node.name, direction, iface: 'lo', text: `${pk.dst} is an address of ${node.name}: out through lo and back in`, packet: fields });
      const back = { ...looped, packet: { ...pk, in: 'lo', out: undefined } };
      for (const pre of hook(ctx, node, 'PREROUTING', back, env, choose, direction, true)) {
        if (pre.verdict !== 'ACCEPT') { stopped(pre.flight, pre.verdict, node, done); continue; }
        for (const inp of hook(ctx, node, 'INPUT', pre.flight, env, choose, direction, true)) {
          if (inp.verdict !== 'ACCEPT') { stopped(inp.flight, inp.verdict, node, done); continue; }
          done(inp.flight, { result: 'delivered', at: `node/${node.name}`, packet: fieldsOf(inp.flight.packet) });
        }
      }
    } else if (rt.kind === 'pod') {
      if (!rt.pod) { done(p.flight, { result: 'unreachable', at: `node/${node.name}`, packet: fields, reason: `no pod has IP ${pk.dst}` }); continue; }
      const fl = withHop(withHop(p.flight, { kind: 'route', node: node.name, direction, iface: outIface, text: `${pk.dst} is a pod on ${node.name}: cni0 → ${outIface}`, packet: fields }),
        { kind: 'deliver', node: node.name, direction, to: `pod/${rt.pod.metadata.namespace}/${rt.pod.metadata.name}`, packet: fields });
      done(fl, { result: 'delivered', at: `pod/${rt.pod.metadata.namespace}/${rt.pod.metadata.name}`, packet: fields });
    } else if (rt.kind === 'vxlan') {
      // The mark is skb metadata: it does not cross the tunnel.
      const inner = { ...pk, mark: 0, in: 'flannel.1', out: undefined };
      const fl = withHop(withHop(p.flight, { kind: 'route', node: node.name, direction, iface: 'flannel.1', text: `${pk.dst} is in ${rt.to.name}'s podCIDR ${rt.to.podCIDR}: via flannel.1`, packet: fields }),
        { kind: 'encap', node: node.name, direction, outer: { src: node.ip, dst: rt.to.ip, proto: 'udp', dport: 8472, vni: 1 }, to: rt.to.name, packet: fields });
      runPrerouting(ctx, rt.to, { ...fl, packet: inner }, env, choose, done, visits + 1, direction);
    } else if (nodeWithIP(ctx.topo, pk.dst) && nodeWithIP(ctx.topo, pk.dst) !== node) {
      // Another node's address (e.g. its NodePort): over the node network, into its eth0.
      const other = nodeWithIP(ctx.topo, pk.dst)!;
      const fl = withHop(p.flight, { kind: 'route', node: node.name, direction, iface: 'eth0', text: `${pk.dst} is ${other.name}'s address: out of eth0`, packet: fields });
      runPrerouting(ctx, other, { ...fl, packet: { ...pk, mark: 0, in: 'eth0', out: undefined } }, env, choose, done, visits + 1, direction);
    } else {
      const fl = withHop(p.flight, { kind: 'route', node: node.name, direction, iface: 'eth0', text: `${pk.dst} is outside the cluster: out of eth0`, packet: fields });
      done(fl, { result: 'delivered', at: `external/${pk.dst}`, packet: fields });
    }
  }
}

/** The reply: from the endpoint back to the client; each node that NATed the request undoes it. */
function replyHops(ctx: WalkContext, f: Flight, final: TraceFinal, origin: string): Hop[] {
  const hops: Hop[] = [];
  const at = final.packet;
  let pkt = { src: at.dst, sport: at.dport, dst: at.src, dport: at.sport, mark: '0x0' };
  // Nodes the request passed, in reverse order; those that NATed it undo that now.
  const nodes = [...new Set(f.hops.map((h) => h.node))].reverse();
  for (const n of nodes) {
    const nat = f.nat.get(n);
    if (nat?.snat) {
      const before = pkt;
      pkt = { ...pkt, dst: nat.snat.from[0], dport: nat.snat.from[1] };
      hops.push({ kind: 'conntrack', node: n, direction: 'reply', action: 'reply-undo-snat', text: `conntrack on ${n}: reply to the masqueraded address goes back to ${pkt.dst}:${pkt.dport}`, before, after: pkt });
    }
    if (nat?.dnat) {
      const before = pkt;
      pkt = { ...pkt, src: nat.dnat.from[0], sport: nat.dnat.from[1] };
      hops.push({ kind: 'conntrack', node: n, direction: 'reply', action: 'reply-undo-dnat', text: `conntrack on ${n}: reply source ${before.src}:${before.sport} becomes ${pkt.src}:${pkt.sport} again (the Service address the client used)`, before, after: pkt });
    }
  }
  hops.push({ kind: 'deliver', node: nodes[nodes.length - 1] ?? '', direction: 'reply', to: origin, packet: pkt });
  void ctx;
  return hops;
}
