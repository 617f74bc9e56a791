// Entry point: starts the simulation worker, the store, and renders the page.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createSimClient } from '../worker/client';
import { App, StoreContext } from './App';
import { createAppStore, type AppStore } from './store';
import './app.css';

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // e.g. storage blocked in a third-party iframe
  }
}

let store: AppStore | null = null;
const client = createSimClient({
  onRestart: (info) => store?.getState().notify(info.message),
});
store = createAppStore({
  client,
  storage: localStorageOrNull(),
  search: window.location.search,
  languages: navigator.languages,
});

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
void store.getState().init();
// Unsaved edits are written before the page goes away (saving is otherwise deferred).
window.addEventListener('pagehide', () => void store?.getState().flush());
