// Between the store and a shared state: what the page shows now, as a SharedState (the Share
// button), and a decoded SharedState put back into the store (a shared link being opened).
// The lesson lives in the address (`?lesson=ID&step=N`, kept by App.tsx): it is read from and
// written to the query, and the lesson slot is told with the `kubesim:lesson` event.
import type { AppState, AppStore } from '../store';
import { SHARE_VERSION, type SharedOptions, type SharedState } from './codec';

/** The page's state now. `search` is `location.search` (the open lesson and its 1-based step). */
export function captureState(s: Pick<AppState, 'files' | 'exampleId' | 'loadOptions' | 'packet' | 'pathIndex' | 'step'>, search: string): SharedState {
  const state: SharedState = { v: SHARE_VERSION, files: s.files.map((f) => ({ name: f.name, text: f.text })) };
  if (s.exampleId) state.example = s.exampleId;
  const o = s.loadOptions;
  const options: SharedOptions = {};
  if (o.proxyMode) options.proxyMode = o.proxyMode;
  if (o.kubeProxyVersion) options.kubeProxyVersion = o.kubeProxyVersion;
  if (o.seed !== undefined) options.seed = o.seed;
  if (Object.keys(options).length) state.options = options;
  if (s.packet) {
    state.packet = { from: s.packet.from, to: s.packet.to, ...(s.packet.proto ? { proto: s.packet.proto } : {}), path: s.pathIndex, step: s.step };
  }
  const q = new URLSearchParams(search);
  const lesson = q.get('lesson');
  if (lesson) {
    const n = Number(q.get('step'));
    state.lesson = { id: lesson, step: Number.isInteger(n) && n > 0 ? n - 1 : 0 };
  }
  return state;
}

/** `href` with the lesson of `state` in its query (or none), and without a fragment. */
export function lessonHref(href: string, lesson: SharedState['lesson']): string {
  const url = new URL(href);
  url.hash = '';
  if (lesson) { url.searchParams.set('lesson', lesson.id); url.searchParams.set('step', String(lesson.step + 1)); }
  else { url.searchParams.delete('lesson'); url.searchParams.delete('step'); }
  return url.toString().replace(/#$/, '');
}

/**
 * Puts `state` into the store: the files and options loaded (one simulation), then the packet
 * followed, its path chosen and the step shown. The example keeps its id when it is one the
 * page has (or a lesson's workspace); otherwise the files open as a "shared" workspace.
 */
export async function applyState(store: AppStore, state: SharedState): Promise<void> {
  const s = store.getState();
  const known = state.example && (s.examples.some((e) => e.id === state.example) || state.example.startsWith('lesson:'));
  const scope = known ? state.example! : 'shared';
  await s.openWorkspace(scope, state.files, { ...(state.options ?? {}) });
  if (state.packet) {
    const { from, to, proto, path, step } = state.packet;
    await store.getState().sendPacket({ from, to, ...(proto ? { proto } : {}) });
    store.getState().setPath(path);
    store.getState().setStep(step);
  }
}
