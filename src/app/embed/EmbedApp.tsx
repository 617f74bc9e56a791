// `?embed=1`: the page for an iframe on a course site — the stage (cluster or dataplane view,
// timeline, inspector) without the header, footer, terminal or editor; `&editor=1` adds the
// editor beside it. The embedding page drives it with the postMessage API (./api.ts); a
// shared link's `#s=…` works here too, so a course can embed one prepared scenario.
import { useContext, useEffect } from 'react';
import { EditorPane, Notice, StoreContext, useApp } from '../App';
import { LANG_TAG, translate } from '../i18n';
import { StagePane } from '../stage/StagePane';
import { ShareNotice } from '../share/Share';
import { captureState } from '../share/apply';
import { LIMITS, shareUrl } from '../share/codec';
import './embed.css';

export interface EmbedFlags {
  embed: boolean;
  editor: boolean;
}

/** `?embed=1[&editor=1]`. */
export function embedFlags(search: string): EmbedFlags {
  const q = new URLSearchParams(search);
  return { embed: q.get('embed') === '1', editor: q.get('editor') === '1' };
}

/** The full app's address for the embed's state now (a share link; the plain app if too large). */
function fullAppUrl(state: ReturnType<typeof captureState>): string {
  const url = new URL(window.location.href);
  url.searchParams.delete('embed');
  url.searchParams.delete('editor');
  url.hash = '';
  if (JSON.stringify(state).length > LIMITS.maxJsonChars) return url.toString();
  return shareUrl(url.toString(), state);
}

export function EmbedApp({ editor }: { editor: boolean }) {
  const lang = useApp((s) => s.lang);
  const store = useContext(StoreContext)!;
  useEffect(() => {
    document.documentElement.lang = LANG_TAG[lang];
    document.title = `KubeSim · ${translate(lang, 'tagline')}`;
  }, [lang]);

  return (
    <div className={editor ? 'app embed embed-with-editor' : 'app embed'} data-testid="embed">
      <Notice />
      <ShareNotice />
      <main className="embed-panes">
        {editor && <div className="embed-editor"><EditorPane /></div>}
        <StagePane />
      </main>
      <footer className="embed-foot">
        <a
          href="./"
          target="_blank"
          rel="noopener"
          data-testid="embed-open-full"
          onClick={(e) => { e.currentTarget.href = fullAppUrl(captureState(store.getState(), '')); }}
        >
          KubeSim · {translate(lang, 'embedOpenFull')} ↗
        </a>
      </footer>
    </div>
  );
}
