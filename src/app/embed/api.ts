// The embed's postMessage API, version 1. A course page that puts KubeSim in an iframe can
// load YAML, follow a packet and move to a step; the embed answers each message and tells
// its parent when it is ready and when the learner moves to another step.
//
//   in:  { kubesim: 1, type: 'load', files: [{ name, text }], options? }
//        { kubesim: 1, type: 'trace', from, to, proto? }
//        { kubesim: 1, type: 'step', step }
//   out: { kubesim: 1, type: 'ready' }
//        { kubesim: 1, type: 'loaded', ok, services, errors? }
//        { kubesim: 1, type: 'traced', paths, hops }
//        { kubesim: 1, type: 'step', step }
//        { kubesim: 1, type: 'error', message }
//
// Messages are untrusted: only the embedding page (the parent, or the opener) is listened to,
// every field is checked against the same schema and limits as a shared link, unknown types
// are ignored, and nothing is ever evaluated. Answers go to `event.source` with `event.origin`
// as the target origin (`*` only for an opaque `null` origin, a sandboxed parent).
import type { AppStore } from '../store';
import { checkFiles, checkOptions, checkTarget, LIMITS, type RefusalReason, type SharedFile, type SharedOptions } from '../share/codec';
import { shareStatus } from '../share/status';

export const EMBED_PROTOCOL = 1;

export type EmbedRequest =
  | { type: 'load'; files: SharedFile[]; options: SharedOptions }
  | { type: 'trace'; from: string; to: string; proto?: 'tcp' | 'udp' }
  | { type: 'step'; step: number };

export type Parsed =
  | { kind: 'request'; request: EmbedRequest }
  | { kind: 'ignore' }
  | { kind: 'refuse'; reason: RefusalReason; message: string };

export interface EmbedService {
  namespace: string;
  name: string;
  type: string;
  clusterIP: string | null;
  ports: { port: number; protocol: string; nodePort?: number }[];
}

export type EmbedEvent =
  | { kubesim: 1; type: 'ready' }
  | { kubesim: 1; type: 'loaded'; ok: boolean; services: EmbedService[]; errors?: string[] }
  | { kubesim: 1; type: 'traced'; paths: number; hops: number }
  | { kubesim: 1; type: 'step'; step: number }
  | { kubesim: 1; type: 'error'; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks one message's data. Not ours (no `kubesim` field) or an unknown type: ignored. */
export function parseMessage(data: unknown): Parsed {
  if (!isObject(data) || !('kubesim' in data)) return { kind: 'ignore' };
  if (data.kubesim !== EMBED_PROTOCOL) return { kind: 'refuse', reason: 'version', message: `unsupported protocol version ${String(data.kubesim).slice(0, 20)} (this KubeSim speaks ${EMBED_PROTOCOL})` };
  switch (data.type) {
    case 'load': {
      const files = checkFiles(data.files);
      if (!files.ok) return { kind: 'refuse', reason: files.reason, message: `load: ${files.detail}` };
      const options = data.options === undefined ? { ok: true as const, value: {} } : checkOptions(data.options);
      if (!options.ok) return { kind: 'refuse', reason: options.reason, message: `load: ${options.detail}` };
      return { kind: 'request', request: { type: 'load', files: files.value, options: options.value } };
    }
    case 'trace': {
      const t = checkTarget(data.from, data.to, data.proto);
      if (!t.ok) return { kind: 'refuse', reason: t.reason, message: `trace: ${t.detail}` };
      return { kind: 'request', request: { type: 'trace', ...t.value } };
    }
    case 'step': {
      const s = data.step;
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > LIMITS.maxStep) return { kind: 'refuse', reason: 'schema', message: 'step: step must be a whole number ≥ 0' };
      return { kind: 'request', request: { type: 'step', step: s } };
    }
    default:
      return { kind: 'ignore' };
  }
}

/** The Services of the cluster, as the `loaded` event lists them. */
export function servicesOf(store: AppStore): EmbedService[] {
  const snap = store.getState().snapshot;
  return (snap?.services ?? []).map((s) => ({
    namespace: s.metadata.namespace ?? 'default',
    name: s.metadata.name,
    type: s.spec?.type ?? 'ClusterIP',
    clusterIP: s.spec?.clusterIP && s.spec.clusterIP !== 'None' ? s.spec.clusterIP : null,
    ports: (s.spec?.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP', ...(p.nodePort ? { nodePort: p.nodePort } : {}) })),
  }));
}

/** Answers one request (after the ones before it finished). */
export async function handleRequest(store: AppStore, r: EmbedRequest): Promise<EmbedEvent> {
  const s = store.getState();
  switch (r.type) {
    case 'load': {
      await s.openWorkspace('embed', r.files, r.options);
      const after = store.getState();
      const ok = after.phase === 'ready';
      if (ok) return { kubesim: 1, type: 'loaded', ok, services: servicesOf(store) };
      const errors = after.failure ? [after.failure] : after.diagnostics.filter((d) => d.severity === 'error').slice(0, 20)
        .map((d) => `${d.file ? `${d.file}:${d.line ?? 1}:${d.column ?? 1}: ` : ''}${d.message.en}`);
      return { kubesim: 1, type: 'loaded', ok, services: [], errors };
    }
    case 'trace': {
      if (store.getState().phase !== 'ready' && !store.getState().snapshot) return { kubesim: 1, type: 'error', message: 'trace: no cluster is loaded' };
      await s.sendPacket({ from: r.from, to: r.to, ...(r.proto ? { proto: r.proto } : {}) });
      const after = store.getState();
      if (!after.trace) return { kubesim: 1, type: 'error', message: `trace: ${after.traceError ?? 'no trace'}` };
      return { kubesim: 1, type: 'traced', paths: after.trace.paths.length, hops: after.trace.paths[after.pathIndex]?.hops.length ?? 0 };
    }
    case 'step': {
      if (!store.getState().trace) return { kubesim: 1, type: 'error', message: 'step: no packet is being followed (send a trace first)' };
      s.pause();
      s.setStep(r.step);
      return { kubesim: 1, type: 'step', step: store.getState().step };
    }
  }
}

type Target = { source: MessageEventSource; origin: string };

function post(t: Target, m: EmbedEvent): void {
  try {
    (t.source as WindowProxy).postMessage(m, t.origin === 'null' ? '*' : t.origin);
  } catch {
    // The page went away, or its origin changed: nothing to tell.
  }
}

/**
 * Listens for the embedding page's messages on `win` and answers them; posts `ready` to the
 * parent now, and `step` whenever the learner moves to another step. Returns the stop function.
 */
export function startEmbedApi(store: AppStore, win: Window = window): () => void {
  let controller: Target | null = null;
  let queue: Promise<void> = Promise.resolve();
  let busy = 0;
  const parent = win.parent !== win ? win.parent : win.opener as Window | null;

  const onMessage = (ev: MessageEvent) => {
    if (!ev.source || (ev.source !== parent && ev.source !== win.opener)) return;
    const parsed = parseMessage(ev.data);
    if (parsed.kind === 'ignore') return;
    const from: Target = { source: ev.source, origin: ev.origin };
    controller = from;
    if (parsed.kind === 'refuse') {
      shareStatus.getState().refuse({ source: 'message', reason: parsed.reason, detail: parsed.message.slice(0, 300) });
      post(from, { kubesim: 1, type: 'error', message: parsed.message });
      return;
    }
    busy++;
    queue = queue
      .then(() => handleRequest(store, parsed.request))
      .catch((e: unknown): EmbedEvent => ({ kubesim: 1, type: 'error', message: e instanceof Error ? e.message : String(e) }))
      .then((answer) => post(from, answer))
      .finally(() => { busy--; lastStep = store.getState().step; });
  };
  win.addEventListener('message', onMessage);

  // The learner stepping inside the embed (keys, timeline, play) is told to the parent.
  let lastStep = store.getState().step;
  const unsubscribe = store.subscribe((s) => {
    if (busy > 0 || !s.trace || s.step === lastStep) { lastStep = s.step; return; }
    lastStep = s.step;
    const to = controller ?? (parent ? { source: parent, origin: '*' } : null);
    if (to) post(to, { kubesim: 1, type: 'step', step: s.step });
  });

  if (parent) post({ source: parent, origin: '*' }, { kubesim: 1, type: 'ready' });
  return () => { win.removeEventListener('message', onMessage); unsubscribe(); };
}
