// The simulation facade: the one entry point the worker, the CLI and the tests use.
//   Simulation.load(files, options) · snapshot() · exec(command, where) · mutations
// Everything below it is pure and deterministic for a given seed.
import { parseYamlFiles, type SourceFile } from './yaml/load';
import type { Diagnostic } from './diag';
import { text } from './diag';
import { defaultClusterConfig, type ProxyMode } from './cluster/config';
import { buildCluster, type BuiltCluster } from './cluster/build';
import { reconcile } from './controllers/reconcile';
import { setReady } from './controllers/kubelet';
import { serviceInsights } from './insights/service-insights';
import type { ClusterSnapshot } from './snapshot';
import type { ClusterApi, MutationResult, ShellResult, Where } from './shell/types';
import { runCommandLine } from './shell';
import type { KubeObject, Node, Pod } from './api/objects';
import { KIND_BY_NAME } from './api/objects';
import { jsonPatch, mergePatch, strategicMergePatch } from './api/patch';
import type { Ruleset } from './netfilter/ruleset';
import { kubeProxyIptables } from './kube-proxy/iptables/index';
import { applyGracefulTermination, kubeProxyIpvs, type NodeIpvs } from './kube-proxy/ipvs/index';
import { kubeProxyNftables } from './kube-proxy/nftables/index';
import { kubeletIptables } from './kube-proxy/nftables/kubelet';
import type { NftTable } from './nftables/model';
import { newIpvsState } from './ipvs/state';
import { compareModes, type ModeDataplanes, type ModeTrace } from './network/compare';
import { iptablesForOS } from './kube-proxy/iptables/options';
import { ctime } from './netfilter/save';
import type { TableName } from './netfilter/ruleset';
import { runTrace, type TraceRequest, type TraceResult } from './network/trace';
import { dumpFor, isIptablesDump, readDump, type NodeDump } from './netfilter/dump-files';
import { walk, walkContext, type Dataplanes, type Endpoint, type IpvsNode } from './network/walk';
import type { TracePath } from './network/trace-types';
import { createRng } from './rng';
import { addEntries, conntrackTable, countPath, createDataplane, entriesFor, expire, hasCounters, nodeFileVersions, readCounter, readNodeFile, readPodFile, removePodFile, writeNodeFile, writePodFile, type ConnOutcome, type DataplaneState } from './dataplane/state';
import type { DnsRuntime } from './dns/state';
import { corefileDiagnostics } from './dns/corefile-diag';
import { nodeResolvConf } from './dns/resolv-conf';
import { httpBody, listeningPorts, stockFile } from './dataplane/http';
import type { Connection, ConnectRequest } from './shell/types';

export type { SourceFile } from './yaml/load';
export type { Diagnostic } from './diag';
export type { ClusterSnapshot } from './snapshot';
export type { ShellResult, Where } from './shell/types';
export { EXAMPLES } from './examples';
export type { Trace, TracePath, Hop } from './network/trace-types';

export interface LoadOptions {
  seed?: number;
  proxyMode?: ProxyMode;
  /** kube-proxy release whose rule layout is simulated, e.g. "1.23" or "1.31". */
  kubeProxyVersion?: string;
}

/** iptables-legacy lists tables in module-load order (a real v1.4.21 dump prints nat first). */
const LEGACY_TABLE_ORDER: TableName[] = ['nat', 'mangle', 'filter'];

/** Each command a learner types moves the clock a little, as typing does. */
const COMMAND_MS = 5_000;

export class Simulation {
  readonly diagnostics: Diagnostic[];
  private cluster: BuiltCluster;
  /** Lists of the last snapshot; they share the store's objects until the next mutation. */
  private cached: Omit<ClusterSnapshot, 'now'> | null = null;
  /** True while a snapshot shares the store's objects: the next mutation copies them first. */
  private shared = false;
  private readonly rulesets = new Map<string, Ruleset | undefined>();
  private readonly ipvsModels = new Map<string, NodeIpvs | undefined>();
  private readonly nftTables = new Map<string, NftTable | undefined>();
  /** The snapshot the per-node caches (rulesets, IPVS models, nft tables) were built from. */
  private rulesetsFor: object | null = null;
  private insightsCache: { lbProblems: BuiltCluster['lastReconcile']['lbProblems'] };
  /**
   * What the nodes' kernels remember about traffic sent so far (conntrack, rule counters,
   * `-m recent` lists) and files written in pods. Kept across cluster changes, as a kernel
   * keeps them across iptables-restore (counters follow the rule text: see dataplane/state).
   */
  private dataplane: DataplaneState = createDataplane();

  private constructor(cluster: BuiltCluster, diagnostics: Diagnostic[], readonly seed: number, private readonly dumps: NodeDump[] = []) {
    this.cluster = cluster;
    this.diagnostics = diagnostics;
    this.insightsCache = { lbProblems: cluster.lastReconcile.lbProblems };
  }

  static load(files: SourceFile[], options: LoadOptions = {}): Simulation {
    const seed = options.seed ?? 1;
    // A pasted `iptables-save` is not YAML: it becomes the rules of the node it names.
    const dumpFiles = files.filter((f) => isIptablesDump(f.text));
    const parsed = parseYamlFiles(files.filter((f) => !dumpFiles.includes(f)));
    const base = defaultClusterConfig();
    if (options.proxyMode) base.kubeProxy.mode = options.proxyMode;
    if (options.kubeProxyVersion) base.kubeProxy.version = options.kubeProxyVersion.replace(/^v/, '');
    const cluster = buildCluster(parsed.docs, base, seed);
    // Command-line choices beat the YAML's KubeProxyConfiguration, as a flag beats a config file.
    if (options.proxyMode) cluster.config.kubeProxy.mode = options.proxyMode;
    if (options.kubeProxyVersion) cluster.config.kubeProxy.version = options.kubeProxyVersion.replace(/^v/, '');
    const nodes = cluster.store.list<Node>('Node').map((n) => n.metadata.name);
    const dumps = dumpFiles.map((f) => readDump(f.name, f.text, nodes));
    const dumpProblems = dumps.flatMap((d) => d.parsed.errors.map((e): Diagnostic => ({
      severity: 'warning', code: 'iptables.parse', file: d.file, line: e.line, column: 1,
      message: text(`this line of the iptables dump was skipped: ${e.message}`, `iptables 规则文件的这一行被跳过：${e.message}`),
      hint: text('Paste the output of iptables-save (or iptables -t nat -S) unchanged.', '请原样粘贴 iptables-save（或 iptables -t nat -S）的输出。'),
    })));
    const corefile = corefileDiagnostics(cluster.store.list('ConfigMap'), cluster.sources, files);
    return new Simulation(cluster, [...parsed.diagnostics, ...cluster.diagnostics, ...dumpProblems, ...corefile], seed, dumps);
  }

  /** True when nothing in the input was refused. */
  get ok(): boolean {
    return !this.diagnostics.some((d) => d.severity === 'error');
  }

  /** The cluster now, as plain data. Treat it as read-only: it is shared, not copied. */
  snapshot(): ClusterSnapshot {
    const { store, config, clock } = this.cluster;
    if (this.cached) return this.withNow(this.cached);
    const sorted = <T extends KubeObject>(kind: string): T[] => store.listSorted<T>(kind);
    this.shared = true;
    const snap: Omit<ClusterSnapshot, 'insights' | 'now'> = {
      config: structuredClone(config), seed: this.seed,
      namespaces: sorted('Namespace'), nodes: sorted('Node'), pods: sorted('Pod'), services: sorted('Service'),
      endpoints: sorted('Endpoints'), endpointSlices: sorted('EndpointSlice'), deployments: sorted('Deployment'),
      replicaSets: sorted('ReplicaSet'), statefulSets: sorted('StatefulSet'), daemonSets: sorted('DaemonSet'),
      configMaps: sorted('ConfigMap'),
      others: [...sorted('IPAddressPool'), ...sorted('L2Advertisement')],
      sources: this.cluster.sources, diagnostics: [...this.diagnostics], // sources never change after load: shared
    };
    // Insights are worked out on first read (an enumerable getter, so structured cloning for
    // the worker still copies them as plain data): most snapshots never look at them.
    const lbProblems = this.insightsCache.lbProblems;
    let insights: ClusterSnapshot['insights'] | undefined;
    const lists = { ...snap } as Omit<ClusterSnapshot, 'now'>;
    Object.defineProperty(lists, 'insights', { enumerable: true, get: () => (insights ??= serviceInsights({ ...snap, lbProblems })) });
    this.cached = lists;
    return this.withNow(lists);
  }

  /** The cached lists with the current time (spreading would evaluate the lazy insights). */
  private withNow(lists: Omit<ClusterSnapshot, 'now'>): ClusterSnapshot {
    const out = Object.create(null) as ClusterSnapshot;
    Object.defineProperties(out, Object.getOwnPropertyDescriptors(lists));
    out.now = this.cluster.clock.iso();
    return Object.setPrototypeOf(out, Object.prototype);
  }

  /** Called before anything changes the store. */
  private beginMutation(): void {
    if (this.shared) { this.cluster.store.detach(); this.shared = false; }
    this.cached = null;
  }

  /** Runs one command line where it would run (default: the first control-plane node). */
  exec(command: string, where?: Where): ShellResult {
    this.cluster.clock.advance(COMMAND_MS);
    return runCommandLine(command, { api: this.api(), where: where ?? { kind: 'node', node: this.defaultNode() } });
  }

  /** Forgets every node's kube-proxy dataplane when the cluster changed since they were built. */
  private dropStaleCaches(): void {
    if (this.rulesetsFor === this.cached) return;
    this.rulesets.clear();
    this.ipvsModels.clear();
    this.nftTables.clear();
    this.rulesetsFor = this.cached;
  }

  /** The netfilter tables on a node (kube-proxy's rules of its mode), cached until the cluster changes. */
  ruleset(node: string): Ruleset | undefined {
    const snap = this.snapshot();
    this.dropStaleCaches();
    if (!this.rulesets.has(node)) {
      // nftables mode: kube-proxy writes nothing to iptables; only the kubelet's chains are there.
      const mode = snap.config.kubeProxy.mode;
      this.rulesets.set(node, dumpFor(this.dumps, node) ?? (mode === 'ipvs' ? this.ipvsModel(node)?.ruleset : mode === 'nftables' ? kubeletIptables() : kubeProxyIptables(snap, node)?.ruleset));
    }
    return this.rulesets.get(node);
  }

  /** nftables mode: kube-proxy's `ip kube-proxy` table on a node, cached like ruleset(); undefined in other modes. */
  nftables(node: string): NftTable | undefined {
    const snap = this.snapshot();
    if (snap.config.kubeProxy.mode !== 'nftables') return undefined;
    this.dropStaleCaches();
    if (!this.nftTables.has(node)) this.nftTables.set(node, kubeProxyNftables(snap, node));
    return this.nftTables.get(node);
  }

  /** IPVS mode: what kube-proxy programs on a node (virtual servers, ipsets, kube-ipvs0, rules), cached like ruleset(). */
  ipvsModel(node: string): NodeIpvs | undefined {
    const snap = this.snapshot();
    this.dropStaleCaches();
    if (!this.ipvsModels.has(node)) this.ipvsModels.set(node, kubeProxyIpvs(snap, node));
    return this.ipvsModels.get(node);
  }

  /** IPVS mode: a node's virtual servers (with graceful termination) and the kernel's state there. */
  private ipvsNode(node: string): IpvsNode | undefined {
    if (this.snapshot().config.kubeProxy.mode !== 'ipvs') return undefined;
    const model = this.ipvsModel(node);
    if (!model) return undefined;
    const now = this.cluster.clock.now;
    const state = ((this.dataplane.ipvs ??= {})[node] ??= newIpvsState());
    return { model: applyGracefulTermination(model, state, now), state, now };
  }

  /**
   * The other modes' dataplanes for a walk. `scratch`: IPVS schedulers work on a copy of each
   * node's state (a trace shows what the next connection would do, and changes nothing);
   * otherwise on the node's own (curl's connections advance rr and fill the counters).
   */
  private planes(scratch: boolean): Dataplanes {
    const mode = this.snapshot().config.kubeProxy.mode;
    if (mode === 'nftables') return { nft: (node) => this.nftables(node) };
    if (mode === 'ipvs') {
      const copies = new Map<string, IpvsNode | undefined>();
      return {
        ipvs: (node) => {
          if (!scratch) return this.ipvsNode(node);
          if (!copies.has(node)) {
            const real = this.ipvsNode(node);
            copies.set(node, real && { ...real, state: structuredClone(real.state) });
          }
          return copies.get(node);
        },
      };
    }
    return {};
  }

  /**
   * The same connection in iptables, IPVS and nftables mode (one sampled connection, the same
   * seed), with the rules and lookups its first packet costs in each. Changes nothing.
   */
  compareModes(req: TraceRequest): ModeTrace[] {
    const now = this.cluster.clock.now;
    const dataplanesFor = (snap: ClusterSnapshot, mode: ProxyMode): ModeDataplanes => {
      const cache = new Map<string, unknown>();
      const once = <T>(key: string, make: () => T): T => { if (!cache.has(key)) cache.set(key, make()); return cache.get(key) as T; };
      if (mode === 'iptables') return { rulesets: (n) => once(`ipt/${n}`, () => dumpFor(this.dumps, n) ?? kubeProxyIptables(snap, n)?.ruleset), planes: {} };
      if (mode === 'nftables') return { rulesets: () => undefined, planes: { nft: (n) => once(`nft/${n}`, () => kubeProxyNftables(snap, n)) } };
      const model = (n: string) => once(`ipvs/${n}`, () => kubeProxyIpvs(snap, n));
      return {
        rulesets: (n) => model(n)?.ruleset,
        planes: { ipvs: (n) => once(`ipvsnode/${n}`, () => { const m = model(n); return m && { model: m, state: structuredClone(this.dataplane.ipvs?.[n] ?? newIpvsState()), now }; }) },
      };
    };
    return compareModes(this.snapshot(), req, dataplanesFor);
  }

  /** A packet's journey (see src/sim/network): every path, one sampled connection, or N with a tally. */
  trace(req: TraceRequest): TraceResult | { error: string } {
    const r = runTrace(this.snapshot(), (n) => this.ruleset(n), req, this.planes(true));
    // Sampled traces are traffic: their first packets count in the rule counters (each
    // distinct path as often as the tally says). --all-paths enumerates what could happen and
    // counts nothing. No trace leaves conntrack entries: its source ports and timing are
    // synthetic; `curl` is what fills the conntrack tables.
    if (!('error' in r) && !req.allPaths) {
      const proto = req.proto ?? 'tcp';
      const rs = (n: string) => this.ruleset(n);
      // A lookup's datagram (UDP, once) comes before the connection's hops.
      const skip = r.dns?.hops ?? 0;
      const connection = (p: TracePath): TracePath => (skip ? { ...p, hops: p.hops.slice(skip) } : p);
      if (skip && r.paths[0]) countPath(this.dataplane, rs, { ...r.paths[0], hops: r.paths[0].hops.slice(0, skip) }, 'udp');
      if (r.tally && r.count !== undefined) {
        for (const p of r.paths) countPath(this.dataplane, rs, connection(p), proto, Math.round(p.probability * r.count));
      } else if (r.paths[0]) countPath(this.dataplane, rs, connection(r.paths[0]), proto);
    }
    return r;
  }

  /** One connection as a client makes it (curl): a sampled path, with its side effects. */
  connect(req: ConnectRequest): Connection | { error: string } {
    const snap = this.snapshot();
    const self = this.podOf(req.from);
    if (self && (req.dst.startsWith('127.') || req.dst === self.status?.podIP)) {
      // Inside the pod's own network namespace: loopback, no node netfilter, no node conntrack.
      const packet = { src: req.dst.startsWith('127.') ? '127.0.0.1' : req.dst, sport: 0, dst: req.dst, dport: req.dport, mark: '0x0' };
      const path: TracePath = { probability: 1, hops: [], final: { result: 'delivered', at: `pod/${self.metadata.namespace}/${self.metadata.name}`, packet } };
      const listening = listeningPorts(self).includes(req.dport);
      const body = listening && req.proto === 'tcp' ? httpBody({ pod: self, port: req.dport, path: req.httpPath ?? '/', clientIP: packet.src, readFile: (f) => readPodFile(this.dataplane, self.metadata.uid ?? self.metadata.name, f) }) : undefined;
      return { path, outcome: listening ? 'ok' : 'refused', body, failMs: 0, src: packet.src, sport: 0 };
    }
    const from: Endpoint = req.from.kind === 'node' ? { kind: 'node', name: req.from.node } : { kind: 'pod', namespace: req.from.namespace, name: req.from.pod };
    const n = this.dataplane.connections++;
    const rng = createRng(`${this.seed}/connect/${n}`);
    // Linux picks ephemeral ports in ip_local_port_range (32768–60999).
    const sport = 32768 + rng.int(60999 - 32768 + 1);
    const now = this.cluster.clock.now;
    const rulesets = (node: string) => this.ruleset(node);
    const t = walk(walkContext(snap, rulesets, this.planes(false)), from, { proto: req.proto, dst: req.dst, dport: req.dport, sport, choose: (p) => rng.next() < p, recent: this.dataplane.recent, now });
    const path: TracePath | undefined = t.paths[0];
    if (!path) return { error: `no path from ${t.from} to ${t.to}` };
    if (path.hops.length === 0 && path.final.result === 'unreachable') return { error: path.final.reason ?? 'unreachable' };
    const src = path.hops.find((h) => h.kind === 'netfilter')?.before.src ?? path.final.packet.src;
    const fin = path.final;
    let outcome: Connection['outcome'];
    let body: string | undefined;
    let failMs = 0;
    if (fin.result === 'delivered') {
      const server = this.serverAt(snap, fin.at, fin.packet.dport);
      if (server && listeningPorts(server).includes(fin.packet.dport)) {
        outcome = 'ok';
        if (req.proto === 'tcp') {
          body = httpBody({ pod: server, port: fin.packet.dport, path: req.httpPath ?? '/', clientIP: fin.packet.src, readFile: (f) => readPodFile(this.dataplane, server.metadata.uid ?? server.metadata.name, f) });
        }
      } else if (fin.at.startsWith('external/')) {
        // Nothing is known about hosts outside the cluster: the SYN goes unanswered.
        outcome = 'timeout';
      } else outcome = 'refused';
    } else if (fin.result === 'rejected') outcome = 'refused';
    else if (fin.result === 'dropped') outcome = 'timeout';
    else outcome = 'unreachable';
    // connect(2) gives up after tcp_syn_retries=6 (about 130 s), or after 3 ARP probes (3 s).
    if (outcome === 'timeout') failMs = 129_000 + rng.int(2000);
    if (outcome === 'unreachable') failMs = 3_050 + rng.int(30);
    countPath(this.dataplane, rulesets, path, req.proto);
    expire(this.dataplane, now);
    const ct: ConnOutcome = outcome === 'ok' ? (req.proto === 'tcp' ? 'closed' : 'answered') : outcome === 'refused' && fin.result === 'delivered' ? 'reset' : 'unreplied';
    addEntries(this.dataplane, entriesFor(path, req.proto, ct, now));
    return { path, outcome, body, failMs, src, sport };
  }

  /** The pod that answers at a trace's end: a pod, or a host-network pod listening on a node. */
  private serverAt(snap: ClusterSnapshot, at: string, port: number): Pod | undefined {
    const [kind, a, b] = at.split('/');
    if (kind === 'pod') return snap.pods.find((p) => p.metadata.namespace === a && p.metadata.name === b);
    if (kind === 'node') return snap.pods.find((p) => p.spec?.hostNetwork && p.spec.nodeName === a && p.status?.phase === 'Running' && listeningPorts(p).includes(port));
    return undefined;
  }

  /** The DNS layer's view: CoreDNS caches and the query count (kept with the dataplane), the clock, node files. */
  private dnsRuntime(): DnsRuntime {
    return {
      state: this.dataplane.dns,
      now: this.cluster.clock.now,
      nodeFile: (node, path) => nodeFileVersions(this.dataplane, node, path),
    };
  }

  private podOf(where: Where): Pod | undefined {
    if (where.kind !== 'pod') return undefined;
    return this.snapshot().pods.find((p) => p.metadata.namespace === where.namespace && p.metadata.name === where.pod);
  }

  defaultNode(): string {
    const nodes = this.cluster.store.list<Node>('Node');
    return (nodes.find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined) ?? nodes[0])?.metadata.name ?? 'master';
  }

  // --- Mutations instructors use live -------------------------------------------------

  scale(kind: string, namespace: string, name: string, replicas: number): MutationResult {
    return this.api().scale(kind, namespace, name, replicas);
  }

  deletePod(namespace: string, name: string): MutationResult {
    return this.api().delete('Pod', namespace, name);
  }

  setPodReady(namespace: string, name: string, ready: boolean): MutationResult {
    this.beginMutation();
    const pod = this.cluster.store.get<Pod>('Pod', namespace, name);
    if (!pod) return { ok: false, error: `Error from server (NotFound): pods "${name}" not found` };
    setReady(pod, ready);
    return this.settle(true);
  }

  patchService(namespace: string, name: string, patch: unknown): MutationResult {
    return this.api().patch('Service', namespace, name, patch, 'strategic');
  }

  /** Applies more YAML on top of the running cluster (`kubectl apply -f`). */
  apply(files: SourceFile[]): { diagnostics: Diagnostic[]; output: string } {
    this.beginMutation();
    const parsed = parseYamlFiles(files);
    const out: string[] = [];
    const diagnostics = [...parsed.diagnostics];
    const sources: Record<string, { file: string; line: number; column: number }> = {};
    for (const doc of parsed.docs) {
      const r = this.cluster.api.apply(doc.value as Record<string, unknown>, { file: doc.file, pos: doc.pos, locate: doc.locate });
      diagnostics.push(...r.diagnostics);
      out.push(r.kubectl);
      if (r.ok && r.object?.kind === 'ConfigMap') sources[`ConfigMap/${r.object.metadata.namespace ?? ''}/${r.object.metadata.name}`] = doc.pos;
    }
    this.settle(true);
    if (Object.keys(sources).length) diagnostics.push(...corefileDiagnostics(this.cluster.store.list('ConfigMap'), sources, files));
    return { diagnostics, output: out.join('\n') + (out.length ? '\n' : '') };
  }

  private settle(changed: boolean): MutationResult {
    if (changed) {
      const r = reconcile({ store: this.cluster.store, config: this.cluster.config, seed: this.seed, clock: this.cluster.clock });
      this.insightsCache = { lbProblems: r.lbProblems };
    }
    this.cached = null;
    return { ok: true, changed };
  }

  private api(): ClusterApi {
    const { api, store } = this.cluster;
    return {
      snapshot: () => this.snapshot(),
      create: (object) => {
        this.beginMutation();
        const md = object.metadata as { name?: string; namespace?: string } | undefined;
        const info = KIND_BY_NAME.get(String(object.kind));
        if (info && md?.name && store.get(info.kind, info.namespaced ? md.namespace ?? 'default' : undefined, md.name)) {
          return { ok: false, error: `Error from server (AlreadyExists): ${info.resource}${info.group ? `.${info.group}` : ''} "${md.name}" already exists` };
        }
        const r = api.apply(object, {}, 'create');
        if (!r.ok) return { ok: false, error: r.kubectl.replace(/error when creating "STDIN": /, '') };
        return this.settle(true);
      },
      patch: (kind, namespace, name, patch, type) => {
        this.beginMutation();
        const info = KIND_BY_NAME.get(kind)!;
        const current = store.get(kind, info.namespaced ? namespace : undefined, name);
        if (!current) return { ok: false, error: `Error from server (NotFound): ${info.resource}${info.group ? `.${info.group}` : ''} "${name}" not found` };
        const base = structuredClone(current); // the patched object must share nothing with the stored one
        const merged = type === 'json' ? jsonPatch(base, patch) : type === 'merge' ? mergePatch(base, patch) : strategicMergePatch(base, patch);
        if (merged && typeof merged === 'object' && 'error' in (merged as object)) return { ok: false, error: `error: ${(merged as { error: string }).error}` };
        const r = api.apply(merged as Record<string, unknown>, {}, 'apply');
        if (!r.ok) return { ok: false, error: r.kubectl.replace(/^Error from server \(Invalid\): error when applying patch "STDIN": /, '').replace(/^/, r.kubectl.startsWith('Error from server (Invalid)') ? '' : '') };
        if (r.action === 'unchanged') return { ok: true, changed: false };
        return this.settle(true);
      },
      scale: (kind, namespace, name, replicas) => {
        this.beginMutation();
        const info = KIND_BY_NAME.get(kind)!;
        const o = store.get(kind, namespace, name) as (KubeObject & { spec?: { replicas?: number } }) | undefined;
        if (!o) return { ok: false, error: `Error from server (NotFound): ${info.resource}.${info.group} "${name}" not found` };
        if (o.spec!.replicas !== replicas) { o.spec!.replicas = replicas; o.metadata.generation = (o.metadata.generation ?? 1) + 1; }
        return this.settle(true);
      },
      netfilter: (node) => {
        const snap = this.snapshot();
        const ruleset = this.ruleset(node);
        const n = snap.nodes.find((x) => x.metadata.name === node);
        if (!ruleset || !n) return undefined;
        const facts = iptablesForOS(n.status?.nodeInfo?.osImage);
        const counted = hasCounters(this.dataplane, node);
        return {
          ruleset, version: facts.version, backend: facts.backend, date: ctime(this.cluster.clock.now),
          ...(counted ? { counters: (table: TableName, chain: string, i: number | 'policy') => readCounter(this.dataplane, ruleset, node, table, chain, i) } : {}),
          ...(facts.backend === 'legacy' ? { tableOrder: LEGACY_TABLE_ORDER } : {}),
        };
      },
      connect: (req) => this.connect(req),
      ipvs: (node) => this.ipvsNode(node),
      nftables: (node) => this.nftables(node),
      conntrack: (node) => {
        const now = this.cluster.clock.now;
        return { entries: conntrackTable(this.dataplane, node, now), now };
      },
      readFile: (where, path) => {
        if (where.kind === 'node') {
          const written = readNodeFile(this.dataplane, where.node, path);
          if (written !== undefined || path !== '/etc/resolv.conf') return written;
          return nodeResolvConf(this.snapshot().nodes.find((n) => n.metadata.name === where.node)).text;
        }
        const pod = this.podOf(where);
        if (!pod) return undefined;
        return readPodFile(this.dataplane, pod.metadata.uid ?? pod.metadata.name, path) ?? stockFile(pod, path);
      },
      writeFile: (where, path, content, append) => {
        if (where.kind === 'node') {
          if (!this.cluster.store.get<Node>('Node', undefined, where.node)) return false;
          // `>>` onto the node's stock resolv.conf appends to what the file showed.
          const base = path === '/etc/resolv.conf' ? nodeResolvConf(this.snapshot().nodes.find((n) => n.metadata.name === where.node)).text : '';
          writeNodeFile(this.dataplane, where.node, path, content, append, this.cluster.clock.now, base);
          return true;
        }
        const pod = this.podOf(where);
        if (!pod) return false;
        writePodFile(this.dataplane, pod.metadata.uid ?? pod.metadata.name, path, content, append);
        return true;
      },
      removeFile: (where, path) => {
        const pod = this.podOf(where);
        return !!pod && removePodFile(this.dataplane, pod.metadata.uid ?? pod.metadata.name, path);
      },
      dns: () => this.dnsRuntime(),
      delete: (kind, namespace, name) => {
        this.beginMutation();
        const info = KIND_BY_NAME.get(kind)!;
        const removed = api.delete(kind, info.namespaced ? namespace : undefined, name);
        if (!removed) return { ok: false, error: `Error from server (NotFound): ${info.resource}${info.group ? `.${info.group}` : ''} "${name}" not found` };
        if (kind === 'Service') { store.remove('Endpoints', namespace, name); for (const s of store.listIn('EndpointSlice', namespace)) if (s.metadata.labels?.['kubernetes.io/service-name'] === name) store.remove('EndpointSlice', namespace, s.metadata.name); }
        return this.settle(true);
      },
    };
  }
}

/** A located, bilingual line for terminals: `file:line:col: error: …`. */
export function describeLoadProblem(d: Diagnostic): string {
  return `${d.file ? `${d.file}:${d.line ?? 1}:${d.column ?? 1}: ` : ''}${d.severity}: ${d.field ? `${d.field}: ` : ''}${d.message.en}`;
}

export { text };
