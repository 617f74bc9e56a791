// The page's handle on the simulation worker: typed async functions over Comlink, plus a
// watchdog. The worker runs one call at a time; if the call at the head of the queue has not
// answered within `timeoutMs` (10 s by default), the worker is terminated and a fresh one is
// spawned, every pending call is rejected with a SimWorkerError, and the last scenario that
// loaded without errors is loaded again so later `exec` calls see the same cluster.
// (Cluster changes made by earlier `exec` mutations — `kubectl scale`, ... — are not replayed.)
import * as Comlink from 'comlink';
import {
  SimWorkerError, WORKER_CRASH_CODE, WORKER_TIMEOUT_CODE,
  type ChainListing, type ClusterSnapshot, type ExampleInfo, type LoadOptions, type LoadResult, type ShellResult, type SimWorkerApi,
  type SourceFile, type TraceRequest, type TraceResult, type Where, type ModeTrace,
} from './protocol';
import type { CheckResult, Predicate } from '../sim/lessons/index';

export { SimWorkerError, WORKER_CRASH_CODE, WORKER_TIMEOUT_CODE };

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface RestartInfo {
  reason: 'timeout' | 'crash';
  /** The call that hung, for `timeout`. */
  call?: string;
  message: string;
  /** How many times the worker has been replaced so far (1 after the first restart). */
  restarts: number;
}

export interface SimClientOptions {
  /** Watchdog limit for one call, in ms. */
  timeoutMs?: number;
  /** Creates the worker; tests pass a fake. Defaults to the bundled module worker. */
  spawn?: () => Worker;
  /** Told after the worker was terminated (and, for a timeout, respawned). */
  onRestart?: (info: RestartInfo) => void;
}

export interface SimClient {
  load(files: SourceFile[], options?: LoadOptions): Promise<LoadResult>;
  exec(command: string, where?: Where): Promise<ShellResult>;
  mutate(command: string, where?: Where): Promise<{ result: ShellResult; snapshot: ClusterSnapshot | null; totals?: LoadResult['totals'] } | null>;
  setPodReady(namespace: string, name: string, ready: boolean): Promise<ClusterSnapshot | null>;
  trace(req: TraceRequest): Promise<TraceResult | { error: string }>;
  chain(node: string, table: string, chain: string): Promise<ChainListing | null>;
  compareModes?(req: TraceRequest): Promise<ModeTrace[]>;
  check?(predicate: Predicate): Promise<CheckResult | null>;
  examples(): Promise<ExampleInfo[]>;
  ping(): Promise<'pong'>;
  /** Terminates the worker and rejects what is pending; the client is unusable afterwards. */
  dispose(): void;
  /** How many times the worker has been replaced. */
  readonly restarts: number;
}

/** The default worker. `new URL(...)` must stay inside `new Worker(...)` for Vite to bundle it. */
export function spawnSimWorker(): Worker {
  return new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'kubesim-sim' });
}

interface Live {
  worker: Worker;
  remote: Comlink.Remote<SimWorkerApi>;
}

interface Pending {
  name: string;
  reject: (e: Error) => void;
  /** Set when the call is the internal reload after a restart. */
  internal: boolean;
}

interface Loaded {
  files: SourceFile[];
  options?: LoadOptions;
}

export function createSimClient(opts: SimClientOptions = {}): SimClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const spawn = opts.spawn ?? spawnSimWorker;

  let live: Live | null = null;
  let disposed = false;
  let restarts = 0;
  /** The last files that loaded without errors: reloaded into a fresh worker. */
  let lastGood: Loaded | null = null;
  /** True when a fresh worker must first get `lastGood` loaded (set after a restart). */
  let needsReload = false;
  /** Calls sent to the current worker and not answered yet, oldest first. */
  const pending: Pending[] = [];
  let watchdog: ReturnType<typeof setTimeout> | null = null;

  function armWatchdog(): void {
    if (watchdog !== null) clearTimeout(watchdog);
    watchdog = null;
    if (pending.length > 0 && !disposed) watchdog = setTimeout(onTimeout, timeoutMs);
  }

  function spawnLive(): Live {
    const worker = spawn();
    const remote = Comlink.wrap<SimWorkerApi>(worker);
    const l: Live = { worker, remote };
    worker.addEventListener('error', (ev: Event) => {
      // An uncaught error in the worker scope: usually the module failed to load.
      ev.preventDefault();
      if (live !== l) return;
      const detail = (ev as ErrorEvent).message || 'the worker could not start';
      teardown(
        'crash',
        `The simulation worker stopped (${detail}). It will be restarted on the next request.`,
        undefined,
        false,
      );
    });
    return l;
  }

  function ensureLive(): Live {
    if (disposed) throw new SimWorkerError(WORKER_CRASH_CODE, 'The simulation client was disposed.');
    if (!live) {
      live = spawnLive();
      if (needsReload) {
        needsReload = false;
        if (lastGood) reload(lastGood);
      }
    }
    return live;
  }

  function reload(what: Loaded): void {
    void invoke('load', (r) => r.load(what.files, what.options), true).catch(() => {
      // The reload hung or crashed too: stop reloading these files, or we would loop.
      if (lastGood === what) lastGood = null;
    });
  }

  /** Terminates the current worker and rejects everything pending on it. */
  function teardown(reason: 'timeout' | 'crash', message: string, call: string | undefined, respawn: boolean): void {
    const l = live;
    live = null;
    if (l) l.worker.terminate();
    const rejected = pending.splice(0, pending.length);
    armWatchdog();
    const reloadWasHead = rejected[0]?.internal === true;
    restarts += 1;
    for (const p of rejected) {
      const code = reason === 'timeout' ? WORKER_TIMEOUT_CODE : WORKER_CRASH_CODE;
      const text = p === rejected[0] || reason === 'crash'
        ? message
        : `\`${p.name}\` was cancelled: the simulation worker was restarted because \`${call ?? '?'}\` took longer than ${timeoutMs / 1000} s.`;
      p.reject(new SimWorkerError(code, text));
    }
    if (reloadWasHead) lastGood = null; // the reload itself hung: do not try it again
    needsReload = lastGood !== null;
    if (respawn && !disposed) ensureLive();
    opts.onRestart?.({ reason, call, message, restarts });
  }

  function onTimeout(): void {
    watchdog = null;
    const head = pending[0];
    if (!head) return;
    teardown(
      'timeout',
      `The simulation did not answer \`${head.name}\` within ${timeoutMs / 1000} s, so it was stopped and restarted` +
        (lastGood ? '; the last scenario that loaded without errors is being loaded again.' : '.'),
      head.name,
      true,
    );
  }

  function invoke<T>(name: string, run: (remote: Comlink.Remote<SimWorkerApi>) => Promise<T>, internal = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let l: Live;
      try {
        l = ensureLive();
      } catch (e) {
        reject(e as Error);
        return;
      }
      let settled = false;
      const entry: Pending = {
        name,
        internal,
        reject: (e) => {
          if (settled) return;
          settled = true;
          reject(e);
        },
      };
      pending.push(entry);
      if (pending.length === 1) armWatchdog();
      const done = (): boolean => {
        if (settled || live !== l) return false; // already rejected by a restart: ignore late answers
        settled = true;
        const i = pending.indexOf(entry);
        if (i >= 0) pending.splice(i, 1);
        armWatchdog(); // progress: the next call gets a full timeoutMs
        return true;
      };
      run(l.remote).then(
        (v) => { if (done()) resolve(v); },
        (e: unknown) => { if (done()) reject(e instanceof Error ? e : new Error(String(e))); },
      );
    });
  }

  return {
    async load(files, options) {
      const snapshotOfInput: Loaded = { files: files.map((f) => ({ name: f.name, text: f.text })), options };
      const result = await invoke('load', (r) => r.load(files, options));
      if (result.ok) lastGood = snapshotOfInput;
      return result;
    },
    exec(command, where) {
      return invoke('exec', (r) => r.exec(command, where));
    },
    mutate(command, where) {
      return invoke('mutate', (r) => r.mutate(command, where));
    },
    setPodReady(namespace, name, ready) {
      return invoke('setPodReady', (r) => r.setPodReady(namespace, name, ready));
    },
    trace(req) {
      return invoke('trace', (r) => r.trace(req) as Promise<TraceResult | { error: string }>);
    },
    chain(node, table, chain) {
      return invoke('chain', (r) => r.chain(node, table, chain));
    },
    compareModes(req) {
      return invoke('compareModes', (r) => r.compareModes(req) as Promise<ModeTrace[]>);
    },
    check(predicate) {
      return invoke('check', (r) => r.check(predicate) as Promise<CheckResult | null>);
    },
    examples() {
      return invoke('examples', (r) => r.examples());
    },
    ping() {
      return invoke('ping', (r) => r.ping());
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      const l = live;
      live = null;
      if (l) l.worker.terminate();
      for (const p of pending.splice(0, pending.length)) {
        p.reject(new SimWorkerError(WORKER_CRASH_CODE, 'The simulation client was disposed.'));
      }
      armWatchdog();
    },
    get restarts() {
      return restarts;
    },
  };
}
