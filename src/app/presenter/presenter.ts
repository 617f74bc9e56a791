// Presenter mode's keyboard, as a pure mapping from a key press to what it does — so the
// page-wide handler stays thin and the mapping is testable. Timeline keys (arrows, Space,
// Home/End) already work page-wide; presenter mode adds speed, scenarios, bookmarks, the
// laser pointer and leaving.
export type PresenterAction =
  | { kind: 'speed'; dir: 1 | -1 }
  | { kind: 'scenario'; index: number }
  | { kind: 'bookmark'; index: number }
  | { kind: 'saveBookmark' }
  | { kind: 'laser' }
  | { kind: 'exit' }
  | { kind: 'help' };

export function presenterKey(e: { key: string; shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean }): PresenterAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === '+' || e.key === '=') return { kind: 'speed', dir: 1 };
  if (e.key === '-' || e.key === '_') return { kind: 'speed', dir: -1 };
  // 1–9: the course's prepared scenarios; Shift+1–9: the talk's bookmarks (US layout symbols too).
  const SHIFTED = '!@#$%^&*(';
  if (/^[1-9]$/.test(e.key) && !e.shiftKey) return { kind: 'scenario', index: Number(e.key) - 1 };
  const s = SHIFTED.indexOf(e.key);
  if (s >= 0) return { kind: 'bookmark', index: s };
  if (/^[1-9]$/.test(e.key) && e.shiftKey) return { kind: 'bookmark', index: Number(e.key) - 1 };
  if (e.key === 'b' || e.key === 'B') return { kind: 'saveBookmark' };
  if (e.key === 'l' || e.key === 'L') return { kind: 'laser' };
  if (e.key === 'Escape') return { kind: 'exit' };
  if (e.key === '?') return { kind: 'help' };
  return null;
}

/** A prepared state of the talk: the scenario, kube-proxy settings, the packet followed and where it was. */
export interface Bookmark {
  exampleId: string | null;
  loadOptions: { kubeProxyVersion?: string; seed?: number; proxyMode?: 'iptables' | 'ipvs' | 'nftables' };
  packet: { from: string; to: string; proto?: 'tcp' | 'udp' } | null;
  pathIndex: number;
  step: number;
}

export const BOOKMARKS_KEY = 'kubesim.presenter.bookmarks.v1';
export const MAX_BOOKMARKS = 9;

export function parseBookmarks(text: string | null): Bookmark[] {
  if (!text || text.length > 20_000) return [];
  try {
    const v = JSON.parse(text) as unknown;
    if (!Array.isArray(v)) return [];
    return v.slice(0, MAX_BOOKMARKS).filter((b): b is Bookmark => !!b && typeof b === 'object'
      && (b.exampleId === null || typeof b.exampleId === 'string')
      && Number.isInteger(b.pathIndex) && Number.isInteger(b.step)
      && (b.packet === null || (typeof b.packet?.from === 'string' && typeof b.packet?.to === 'string')));
  } catch {
    return [];
  }
}
