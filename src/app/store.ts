// The page's state (zustand): the learner's files, what the simulator said about them, the
// cluster output, the terminal and the UI language. All simulation goes through the worker
// client; this module only orchestrates (debounce, ordering, persistence) and never computes
// networking itself.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SimClient } from '../worker/client';
import type { ChainListing, ClusterSnapshot, Diagnostic, ExampleInfo, LoadResult, ModeTrace, SourceFile, TraceRequest, TraceResult, Where } from '../worker/protocol';
import type { ProxyMode } from '../sim/cluster/config';
import type { CheckResult, Predicate } from '../sim/lessons/index';
import type { Bookmark } from './presenter/presenter';
import { detectLang, LANG_STORAGE_KEY, type Lang } from './i18n';

/** What the cluster pane shows, run on `OUTPUT_NODE` after every good load. */
export const OUTPUT_COMMAND = 'kubectl get svc,ep,pods -A -o wide';
export const OUTPUT_NODE = 'master';
export const EDITOR_STORAGE_KEY = 'kubesim:v1:editor';
/** Playback speed and other small settings that survive a reload. */
export const SETTINGS_STORAGE_KEY = 'kubesim:v1:settings';
export const DEFAULT_DEBOUNCE_MS = 300;
/** Edits are saved this long after the last keystroke. */
export const SAVE_DELAY_MS = 1_000;
/** Larger edits (a pasted cluster dump) are not kept in localStorage. */
export const MAX_SAVED_CHARS = 1_000_000;
const MAX_TERMINAL_ENTRIES = 200;
const MAX_HISTORY = 100;

export type Phase = 'starting' | 'simulating' | 'ready' | 'invalid' | 'failed';

export interface TerminalEntry {
  id: number;
  command: string;
  /** Prompt label, e.g. `root@master` or `default/web-0`. */
  where: string;
  running: boolean;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ClusterOutput {
  command: string;
  node: string;
  stdout: string;
  stderr: string;
}

export interface Targets {
  nodes: string[];
  pods: { namespace: string; name: string }[];
}

export interface AppState {
  lang: Lang;
  examples: ExampleInfo[];
  exampleId: string | null;
  files: SourceFile[];
  activeFile: string | null;
  phase: Phase;
  diagnostics: Diagnostic[];
  /** The last good cluster output; kept (and marked stale) while the YAML has errors. */
  output: ClusterOutput | null;
  stale: boolean;
  counts: { services: number; pods: number; nodes: number } | null;
  targets: Targets;
  where: Where;
  terminal: TerminalEntry[];
  history: string[];
  /** Why the last simulation request failed (worker hung or crashed), if it did. */
  failure: string | null;
  /** A one-off notice, e.g. that the worker was restarted by the watchdog. */
  notice: string | null;
  /** The last cluster that loaded without errors (what the stage draws). */
  snapshot: ClusterSnapshot | null;
  /** The packet being followed: its request, every path it can take, and where the player is. */
  packet: PacketRequest | null;
  trace: TraceResult | null;
  traceError: string | null;
  pathIndex: number;
  step: number;
  playing: boolean;
  /** Playback speed, 0.1× to 4×. */
  speed: number;

  init(): Promise<void>;
  setLang(lang: Lang): void;
  selectExample(id: string): void;
  setActiveFile(name: string): void;
  editFile(name: string, text: string): void;
  resetExample(): void;
  setWhere(where: Where): void;
  runCommand(command: string): Promise<void>;
  clearTerminal(): void;
  notify(notice: string | null): void;
  /** Runs the pending debounced simulation now (tests, and before unload). */
  flush(): Promise<void>;
  /** Follows a packet: every path of its connection (the statistic splits), from step 0. */
  sendPacket(req: PacketRequest): Promise<void>;
  clearPacket(): void;
  setStep(step: number): void;
  setPath(index: number): void;
  play(): void;
  pause(): void;
  setSpeed(speed: number): void;
  /** The rules of one chain on a node, for the dataplane view. */
  loadChain(node: string, table: string, chain: string): Promise<ChainListing | null>;
  /** Live what-if settings the cluster is loaded with (kube-proxy release, seed). */
  loadOptions: { kubeProxyVersion?: string; seed?: number; proxyMode?: ProxyMode };
  /** What the last what-if change did to a node's nat table. */
  rulesDiff: RulesDiff | null;
  /** Applies a what-if change and records the nat rules it added and removed on `node`. */
  whatIf(change: WhatIf, node: string): Promise<void>;
  /** A place in the YAML the editor should show (e.g. the Service a rule came from). */
  reveal: { file: string; line: number; seq: number } | null;
  /** Shows the YAML of Service `namespace/name`. */
  showSource(service: string): void;
  /** Statistics: the followed packet's connection made `connections` times. */
  stats: ConnectionStats | null;
  sampleConnections(requests: number, requestsPerConnection: number): Promise<void>;
  /** The followed packet's connection in iptables, IPVS and nftables mode, side by side. */
  modes: ModeTrace[] | null;
  compareModes(): Promise<void>;
  /** A lesson step's workspace: these files and options (scope `lesson:<id>`), simulated at once. */
  openWorkspace(scope: string, files: SourceFile[], options: AppState['loadOptions']): Promise<void>;
  /** Runs a command where given (a lesson's `run`), as if typed in the terminal there. */
  runCommandAt(command: string, where: Where): Promise<void>;
  /** Evaluates a lesson check against the last good cluster (in the worker). */
  checkLesson(predicate: Predicate): Promise<CheckResult | null>;
  /** Goes back to a prepared state (presenter bookmarks): scenario, options, packet, path and step. */
  restore(b: Bookmark): Promise<void>;
}

export type WhatIf =
  | { kind: 'command'; command: string }
  | { kind: 'ready'; namespace: string; name: string; ready: boolean }
  | { kind: 'kubeProxyVersion'; version: string }
  | { kind: 'proxyMode'; mode: ProxyMode }
  | { kind: 'seed'; seed: number };

export interface RulesDiff {
  node: string;
  change: string;
  added: string[];
  removed: string[];
}

/** Lines of `after` not in `before`, and the other way round (rule and chain lines). */
export function diffRules(before: string, after: string): { added: string[]; removed: string[] } {
  const keep = (t: string) => t.split('\n').filter((l) => l.startsWith('-A ') || l.startsWith(':') || l.startsWith('-N '));
  const b = keep(before);
  const a = keep(after);
  const bs = new Set(b);
  const as = new Set(a);
  return { added: a.filter((l) => !bs.has(l)), removed: b.filter((l) => !as.has(l)) };
}

/** `curl [-opts] [http://]IP[:PORT][/path]` → `IP:PORT` (only the first command of a line). */
export function curlTarget(line: string): string | null {
  const first = line.split(/[;&|]/)[0].trim().split(/\s+/);
  if (first[0] !== 'curl') return null;
  for (const w of first.slice(1)) {
    const m = /^(?:https?:\/\/)?(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?(?:\/.*)?$/.exec(w);
    if (m) return `${m[1]}:${m[2] ?? (w.startsWith('https') ? '443' : '80')}`;
  }
  return null;
}

/** The 1-based line of `metadata.name` of Service ns/name in a YAML text, or null. */
export function serviceLine(text: string, ns: string, name: string): number | null {
  const docs = text.split(/^---\s*$/m);
  let offset = 0;
  for (const doc of docs) {
    const lines = doc.split('\n');
    const isService = lines.some((l) => /^kind:\s*Service\s*$/.test(l));
    const docNs = lines.map((l) => /^\s+namespace:\s*"?([\w.-]+)"?\s*$/.exec(l)?.[1]).find(Boolean) ?? 'default';
    const at = lines.findIndex((l) => new RegExp(`^\\s+name:\\s*"?${name.replace(/[.]/g, '\\.')}"?\\s*$`).test(l));
    if (isService && at >= 0 && docNs === ns) return offset + at + 1;
    offset += lines.length - 1; // the separator line ends one document and starts the next
  }
  return null;
}

/** Where N requests went, against each endpoint's share of the statistic split. */
export interface ConnectionStats {
  requests: number;
  requestsPerConnection: number;
  /** Requests per endpoint (or per final result, e.g. `rejected:node/node1`). */
  tally: Record<string, number>;
  /** Each endpoint's probability per connection, from every path of the trace. */
  expected: Record<string, number>;
}

/** `from`: pod/NS/NAME, node/NAME or external/IP; `to`: IP:PORT. */
export interface PacketRequest {
  from: string;
  to: string;
  proto?: 'tcp' | 'udp';
}

export const MIN_SPEED = 0.1;
export const MAX_SPEED = 4;

export type AppStore = StoreApi<AppState>;

export interface AppEnv {
  client: Pick<SimClient, 'load' | 'exec' | 'examples'> & Partial<Pick<SimClient, 'trace' | 'chain' | 'mutate' | 'setPodReady' | 'compareModes' | 'check'>>;
  storage?: Storage | null;
  search?: string;
  languages?: readonly string[];
  debounceMs?: number;
}

interface SavedEditor {
  exampleId: string;
  edits: Record<string, SourceFile[]>;
}

function isFiles(v: unknown): v is SourceFile[] {
  return Array.isArray(v) && v.every((f) => f && typeof f === 'object' && typeof f.name === 'string' && typeof f.text === 'string');
}

function readSaved(storage: Storage | null | undefined): SavedEditor | null {
  try {
    const raw = storage?.getItem(EDITOR_STORAGE_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<SavedEditor>;
    if (typeof v.exampleId !== 'string' || !v.edits || typeof v.edits !== 'object') return null;
    const edits: Record<string, SourceFile[]> = {};
    for (const [id, files] of Object.entries(v.edits)) if (isFiles(files)) edits[id] = files;
    return { exampleId: v.exampleId, edits };
  } catch {
    return null;
  }
}

function safeSet(storage: Storage | null | undefined, key: string, value: string | null): void {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    // Quota exceeded or storage disabled: the page still works, it just won't remember.
  }
}

function savedSpeed(storage: Storage | null | undefined): number {
  try {
    const v = Number((JSON.parse(storage?.getItem(SETTINGS_STORAGE_KEY) ?? '{}') as { speed?: unknown }).speed);
    return Number.isFinite(v) ? Math.max(MIN_SPEED, Math.min(MAX_SPEED, v)) : 1;
  } catch {
    return 1;
  }
}

export function whereLabel(where: Where): string {
  return where.kind === 'node' ? `root@${where.node}` : `${where.namespace}/${where.pod}`;
}

function sameFiles(a: SourceFile[], b: SourceFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i].name && f.text === b[i].text);
}

function targetsOf(s: ClusterSnapshot): Targets {
  return {
    nodes: s.nodes.map((n) => n.metadata.name),
    pods: s.pods.map((p) => ({ namespace: p.metadata.namespace ?? 'default', name: p.metadata.name })),
  };
}

function hasTarget(t: Targets, w: Where): boolean {
  return w.kind === 'node'
    ? t.nodes.includes(w.node)
    : t.pods.some((p) => p.namespace === w.namespace && p.name === w.pod);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createAppStore(env: AppEnv): AppStore {
  const { client } = env;
  const storage = env.storage ?? null;
  const debounceMs = env.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let termId = 0;
  let edits: Record<string, SourceFile[]> = {};

  const store = createStore<AppState>()((set, get) => {
    // Saving is deferred and coalesced: writing a multi-megabyte paste to localStorage on every
    // keystroke blocked the page for seconds. It runs after a pause in typing, and at unload
    // (flush); edits too large for localStorage's few MB are not kept.
    let saveTimer: ReturnType<typeof setTimeout> | null = null;
    function saveNow(): void {
      if (saveTimer !== null) clearTimeout(saveTimer);
      saveTimer = null;
      const { exampleId } = get();
      if (!exampleId) return;
      const text = JSON.stringify({ exampleId, edits } satisfies SavedEditor);
      if (text.length > MAX_SAVED_CHARS) { safeSet(storage, EDITOR_STORAGE_KEY, JSON.stringify({ exampleId, edits: {} } satisfies SavedEditor)); return; }
      safeSet(storage, EDITOR_STORAGE_KEY, text);
    }
    function persistEditor(): void {
      if (saveTimer !== null) clearTimeout(saveTimer);
      saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
    }

    function cancelDebounce(): void {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    }

    function schedule(): void {
      cancelDebounce();
      timer = setTimeout(() => {
        timer = null;
        void simulate();
      }, debounceMs);
    }

    async function simulate(): Promise<void> {
      cancelDebounce();
      const mine = ++seq;
      const files = get().files;
      set({ phase: get().phase === 'starting' ? 'starting' : 'simulating' });
      try {
        const result = await client.load(files, get().loadOptions);
        if (mine !== seq) return; // a newer edit superseded this one
        const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
        if (!result.ok || errors > 0) {
          set({ diagnostics: result.diagnostics, phase: 'invalid', stale: get().output !== null, failure: null });
          return;
        }
        const targets = targetsOf(result.snapshot);
        const node = targets.nodes.includes(OUTPUT_NODE) ? OUTPUT_NODE : (targets.nodes[0] ?? OUTPUT_NODE);
        const shell = await client.exec(OUTPUT_COMMAND, { kind: 'node', node });
        if (mine !== seq) return;
        const s = result.snapshot;
        const where = hasTarget(targets, get().where) ? get().where : ({ kind: 'node', node } as Where);
        set({
          diagnostics: result.diagnostics,
          phase: 'ready',
          stale: false,
          failure: null,
          output: { command: OUTPUT_COMMAND, node, stdout: shell.stdout, stderr: shell.stderr },
          counts: result.totals ?? { services: s.services.length, pods: s.pods.length, nodes: s.nodes.length },
          targets,
          where,
          snapshot: s,
        });
        // The packet being followed goes through the new cluster too.
        const packet = get().packet;
        if (packet) await retrace(packet, mine);
      } catch (e) {
        if (mine !== seq) return;
        set({ phase: 'failed', failure: errorText(e), stale: get().output !== null });
      }
    }

    /** Traces `req` through the last good cluster; `mine` guards against a newer load. */
    async function retrace(req: PacketRequest, mine = seq): Promise<void> {
      if (!client.trace) return;
      try {
        const r = await client.trace({ ...req, allPaths: true } satisfies TraceRequest);
        if (mine !== seq || get().packet !== req) return;
        if ('error' in r) { set({ trace: null, traceError: r.error, playing: false }); return; }
        const pathIndex = Math.min(get().pathIndex, Math.max(0, r.paths.length - 1));
        const last = Math.max(0, (r.paths[pathIndex]?.hops.length ?? 1) - 1);
        set({ trace: r, traceError: null, pathIndex, step: Math.min(get().step, last) });
      } catch (e) {
        if (get().packet === req) set({ trace: null, traceError: errorText(e), playing: false });
      }
    }

    /** A live change (terminal, what-if) gave a new cluster: redraw it and re-follow the packet. */
    async function adoptCluster(snap: ClusterSnapshot, totals?: LoadResult['totals']): Promise<void> {
      set({ snapshot: snap, counts: totals ?? { services: snap.services.length, pods: snap.pods.length, nodes: snap.nodes.length }, targets: targetsOf(snap) });
      const packet = get().packet;
      if (packet) await retrace(packet);
    }

    function lastStep(): number {
      const { trace, pathIndex } = get();
      return Math.max(0, (trace?.paths[pathIndex]?.hops.length ?? 1) - 1);
    }

    function openExample(id: string): void {
      const ex = get().examples.find((e) => e.id === id);
      if (!ex) return;
      const files = edits[id] ?? ex.files;
      set({ exampleId: id, files, activeFile: files[0]?.name ?? null });
    }

    return {
      lang: detectLang({ search: env.search, storage, languages: env.languages }),
      examples: [],
      exampleId: null,
      files: [],
      activeFile: null,
      phase: 'starting',
      diagnostics: [],
      output: null,
      stale: false,
      counts: null,
      targets: { nodes: [], pods: [] },
      where: { kind: 'node', node: OUTPUT_NODE },
      terminal: [],
      history: [],
      failure: null,
      notice: null,
      snapshot: null,
      packet: null,
      trace: null,
      traceError: null,
      pathIndex: 0,
      step: 0,
      playing: false,
      speed: savedSpeed(storage),
      stats: null,
      loadOptions: {},
      rulesDiff: null,
      reveal: null,

      async sendPacket(req) {
        set({ packet: req, trace: null, traceError: null, pathIndex: 0, step: 0, playing: false, stats: null, modes: null });
        await retrace(req);
      },

      clearPacket() {
        set({ packet: null, trace: null, traceError: null, pathIndex: 0, step: 0, playing: false, stats: null, modes: null });
      },

      setStep(step) {
        set({ step: Math.max(0, Math.min(lastStep(), Math.round(step))) });
        if (get().step >= lastStep()) set({ playing: false });
      },

      setPath(index) {
        const n = get().trace?.paths.length ?? 0;
        if (index < 0 || index >= n) return;
        set({ pathIndex: index, step: 0 });
      },

      play() {
        if (!get().trace) return;
        if (get().step >= lastStep()) set({ step: 0 });
        set({ playing: true });
      },

      pause() {
        set({ playing: false });
      },

      setSpeed(speed) {
        set({ speed: Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed)) });
        safeSet(storage, SETTINGS_STORAGE_KEY, JSON.stringify({ speed: get().speed }));
      },

      showSource(service) {
        const [ns, name] = service.split('/');
        for (const f of get().files) {
          const line = serviceLine(f.text, ns, name);
          if (line !== null) {
            set({ activeFile: f.name, reveal: { file: f.name, line, seq: (get().reveal?.seq ?? 0) + 1 } });
            return;
          }
        }
      },

      async whatIf(change, node) {
        const save = async () => (await client.exec('iptables-save -t nat', { kind: 'node', node })).stdout;
        const before = await save();
        let label: string;
        if (change.kind === 'command') {
          label = change.command;
          await get().runCommand(change.command);
        } else if (change.kind === 'ready') {
          label = `${change.namespace}/${change.name} ${change.ready ? 'ready' : 'not ready'}`;
          const snap = client.setPodReady ? await client.setPodReady(change.namespace, change.name, change.ready) : null;
          if (snap) await adoptCluster(snap);
        } else {
          const loadOptions = change.kind === 'seed' ? { ...get().loadOptions, seed: change.seed }
            : change.kind === 'proxyMode' ? { ...get().loadOptions, proxyMode: change.mode }
            : { ...get().loadOptions, kubeProxyVersion: change.version };
          label = change.kind === 'seed' ? `seed ${change.seed}` : change.kind === 'proxyMode' ? `kube-proxy --proxy-mode ${change.mode}` : `kube-proxy v${change.version}`;
          set({ loadOptions });
          await simulate();
        }
        const after = await save();
        set({ rulesDiff: { node, change: label, ...diffRules(before, after) } });
      },

      async sampleConnections(requests, requestsPerConnection) {
        const { packet, trace } = get();
        if (!packet || !trace || !client.trace) return;
        const perConn = Math.max(1, Math.floor(requestsPerConnection));
        const connections = Math.max(1, Math.ceil(requests / perConn));
        const seed = (get().stats?.requests ?? 0) + 1;
        const r = await client.trace({ ...packet, count: connections, seed });
        if ('error' in r || get().packet !== packet) return;
        // A kept-alive connection sends all its requests to the endpoint it was given.
        const tally: Record<string, number> = {};
        for (const [k, v] of Object.entries(r.tally ?? {})) tally[k] = v * perConn;
        const expected: Record<string, number> = {};
        for (const p of trace.paths) {
          const key = p.final.result === 'delivered' ? p.final.endpoint ?? p.final.at : `${p.final.result}:${p.final.at}`;
          expected[key] = (expected[key] ?? 0) + p.probability;
        }
        set({ stats: { requests: connections * perConn, requestsPerConnection: perConn, tally, expected } });
      },

      async openWorkspace(scope, files, options) {
        set({ exampleId: scope, files, activeFile: files[0]?.name ?? null, loadOptions: { ...options }, packet: null, trace: null, traceError: null, stats: null, modes: null, rulesDiff: null });
        await simulate();
      },

      async runCommandAt(command, where) {
        const before = get().where;
        set({ where });
        try { await get().runCommand(command); } finally { if (get().where === where) set({ where: before }); }
      },

      async restore(b) {
        const ex = b.exampleId && get().examples.some((e) => e.id === b.exampleId) ? b.exampleId : null;
        if (ex && ex !== get().exampleId) openExample(ex);
        set({ loadOptions: { ...b.loadOptions } });
        await simulate();
        if (b.packet) {
          await get().sendPacket(b.packet);
          get().setPath(b.pathIndex);
          get().setStep(b.step);
        }
      },

      async checkLesson(predicate) {
        if (!client.check) return null;
        try { return await client.check(predicate); } catch { return null; }
      },

      modes: null,

      async compareModes() {
        const { packet } = get();
        if (!packet || !client.compareModes) return;
        const r = await client.compareModes({ ...packet });
        if (get().packet === packet) set({ modes: r });
      },

      async loadChain(node, table, chain) {
        if (!client.chain) return null;
        try {
          return await client.chain(node, table, chain);
        } catch {
          return null;
        }
      },

      async init() {
        try {
          const examples = await client.examples();
          const saved = readSaved(storage);
          edits = saved?.edits ?? {};
          // Forget edits of examples that no longer exist.
          for (const id of Object.keys(edits)) if (!examples.some((e) => e.id === id)) delete edits[id];
          set({ examples });
          const first = examples.find((e) => e.id === saved?.exampleId) ?? examples[0];
          if (!first) {
            set({ phase: 'failed', failure: 'no built-in examples' });
            return;
          }
          openExample(first.id);
        } catch (e) {
          set({ phase: 'failed', failure: errorText(e) });
          return;
        }
        await simulate();
      },

      setLang(lang) {
        set({ lang });
        safeSet(storage, LANG_STORAGE_KEY, lang);
      },

      selectExample(id) {
        if (id === get().exampleId) return;
        openExample(id);
        persistEditor();
        void simulate();
      },

      setActiveFile(name) {
        if (get().files.some((f) => f.name === name)) set({ activeFile: name });
      },

      editFile(name, text) {
        const { exampleId, examples } = get();
        const files = get().files.map((f) => (f.name === name ? { name, text } : f));
        set({ files });
        if (exampleId) {
          const original = examples.find((e) => e.id === exampleId)?.files;
          if (original && sameFiles(original, files)) delete edits[exampleId];
          else edits[exampleId] = files;
          persistEditor();
        }
        schedule();
      },

      resetExample() {
        const { exampleId, examples } = get();
        const ex = examples.find((e) => e.id === exampleId);
        if (!ex) return;
        delete edits[ex.id];
        set({ files: ex.files, activeFile: ex.files.some((f) => f.name === get().activeFile) ? get().activeFile : (ex.files[0]?.name ?? null) });
        persistEditor();
        void simulate();
      },

      setWhere(where) {
        set({ where });
      },

      async runCommand(command) {
        const line = command.trim();
        if (!line) return;
        const history = [...get().history.filter((h) => h !== line), line].slice(-MAX_HISTORY);
        if (line === 'clear') {
          set({ terminal: [], history });
          return;
        }
        const where = get().where;
        const id = ++termId;
        const entry: TerminalEntry = { id, command: line, where: whereLabel(where), running: true, stdout: '', stderr: '', exitCode: 0 };
        set({ terminal: [...get().terminal, entry].slice(-MAX_TERMINAL_ENTRIES), history });
        let done: Partial<TerminalEntry>;
        try {
          // A command may change the cluster (kubectl scale, patch, delete…): redraw and re-follow.
          const m = client.mutate ? await client.mutate(line, where) : null;
          const r = m ? m.result : await client.exec(line, where);
          done = { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
          if (m?.snapshot) await adoptCluster(m.snapshot, m.totals);
        } catch (e) {
          done = { stderr: `kubesim: ${errorText(e)}\n`, exitCode: 1 };
        }
        set({ terminal: get().terminal.map((t) => (t.id === id ? { ...t, ...done, running: false } : t)) });
        // `curl IP[:PORT]` from the terminal: follow that packet on the stage too.
        const target = curlTarget(line);
        if (target && client.trace) {
          const from = where.kind === 'node' ? `node/${where.node}` : `pod/${where.namespace}/${where.pod}`;
          await get().sendPacket({ from, to: target });
        }
      },

      clearTerminal() {
        set({ terminal: [] });
      },

      notify(notice) {
        set({ notice });
      },

      async flush() {
        if (saveTimer !== null) saveNow();
        if (timer !== null) await simulate();
      },
    };
  });
  return store;
}
