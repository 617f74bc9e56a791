// Opening a shared link (`#s=…`): read and checked before the page renders (so the lesson it
// names opens with the page), applied once the simulator is up; a link pasted into the address
// bar of an open page (a `hashchange`) is opened the same way. A refused link changes nothing
// but the notice. Either way the fragment is then taken out of the address, so a reload keeps
// the learner's own work instead of re-applying the link.
import type { AppStore } from '../store';
import { applyState, lessonHref } from './apply';
import { decodeState, payloadOfHash, type Decoded } from './codec';
import { shareStatus } from './status';

/** The link's state, checked; null when the address has no `#s=`. Rewrites the lesson query. */
export function readLink(): Decoded | null {
  const payload = payloadOfHash(window.location.hash);
  if (payload === null) return null;
  const decoded = decodeState(payload);
  if (decoded.ok) {
    window.history.replaceState(window.history.state, '', lessonHref(window.location.href, decoded.state.lesson));
    window.dispatchEvent(new Event('kubesim:lesson'));
  } else {
    clearHash();
  }
  return decoded;
}

function clearHash(): void {
  const url = new URL(window.location.href);
  url.hash = '';
  window.history.replaceState(window.history.state, '', url.toString().replace(/#$/, ''));
}

/** Applies what `readLink` returned (after the store's `init`), or shows why it was refused. */
export async function openLink(store: AppStore, decoded: Decoded | null): Promise<void> {
  if (!decoded) return;
  if (!decoded.ok) {
    shareStatus.getState().refuse({ source: 'link', reason: decoded.reason, detail: decoded.detail });
    return;
  }
  shareStatus.getState().dismiss();
  await applyState(store, decoded.state);
}

/** Opens links pasted into the address bar of the open page. Returns the unsubscribe. */
export function watchLinks(store: AppStore): () => void {
  const on = () => { void openLink(store, readLink()); };
  window.addEventListener('hashchange', on);
  return () => window.removeEventListener('hashchange', on);
}
