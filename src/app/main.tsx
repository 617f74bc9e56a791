// Entry point: starts the simulation worker, the store, and renders the page — the full app,
// or with `?embed=1` the minimal view for iframes and its postMessage API. A shared link's
// state (`#s=…`) is checked before the first render and applied once the simulator is up.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createSimClient } from '../worker/client';
import { App, StoreContext } from './App';
import { createAppStore, type AppStore } from './store';
import { EmbedApp, embedFlags } from './embed/EmbedApp';
import { startEmbedApi } from './embed/api';
import { openLink, readLink, watchLinks } from './share/link';
import './app.css';

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // e.g. storage blocked in a third-party iframe
  }
}

const flags = embedFlags(window.location.search);
// Read (and the lesson it names put in the address) before anything renders.
const link = readLink();

let store: AppStore | null = null;
const client = createSimClient({
  onRestart: (info) => store?.getState().notify(info.message),
});
store = createAppStore({
  client,
  // An embed starts from its own scenario, not from what the learner edited in the full app.
  storage: flags.embed ? null : localStorageOrNull(),
  search: window.location.search,
  languages: navigator.languages,
});

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      {flags.embed ? <EmbedApp editor={flags.editor} /> : <App />}
    </StoreContext.Provider>
  </StrictMode>,
);
const ready = store.getState().init().then(() => openLink(store, link));
watchLinks(store);
if (flags.embed) void ready.finally(() => startEmbedApi(store));
// Unsaved edits are written before the page goes away (saving is otherwise deferred).
window.addEventListener('pagehide', () => void store?.getState().flush());

// Offline: the service worker keeps the whole build (production builds only; see src/sw/).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => undefined);
  });
}
