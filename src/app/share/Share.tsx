// The header's Share button (copies a link to exactly this state, and shows it selectable),
// and the notice shown when a shared link or an embed message was refused.
import { useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { StoreContext, useApp } from '../App';
import { translate, type Lang, type MessageKey } from '../i18n';
import { captureState } from './apply';
import { LIMITS, shareUrl, validateState, type RefusalReason } from './codec';
import { shareStatus } from './status';
import './share.css';

export const REASON_KEY: Record<RefusalReason, MessageKey> = {
  empty: 'shareWhyEmpty',
  tooLarge: 'shareWhyTooLarge',
  corrupt: 'shareWhyCorrupt',
  notJson: 'shareWhyNotJson',
  version: 'shareWhyVersion',
  schema: 'shareWhySchema',
  tooManyFiles: 'shareWhyTooManyFiles',
  fileName: 'shareWhyFileName',
};

type Shown = { url: string; copied: boolean | null } | { error: string };

export function ShareButton() {
  const store = useContext(StoreContext)!;
  const lang = useApp((s) => s.lang);
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const [shown, setShown] = useState<Shown | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (shown && 'url' in shown) input.current?.select();
  }, [shown]);

  const onShare = () => {
    const state = captureState(store.getState(), window.location.search);
    // Only links this page would accept itself.
    const check = validateState(JSON.parse(JSON.stringify(state)));
    const json = JSON.stringify(state);
    if (!check.ok || json.length > LIMITS.maxJsonChars) {
      const why = check.ok ? t('shareWhyTooLarge') : `${t(REASON_KEY[check.reason])} (${check.detail})`;
      setShown({ error: t('shareCannot', { reason: why }) });
      return;
    }
    const url = shareUrl(window.location.href, state);
    setShown({ url, copied: null });
    const clip = navigator.clipboard;
    if (!clip) { setShown({ url, copied: false }); return; }
    clip.writeText(url).then(
      () => setShown((s) => (s && 'url' in s && s.url === url ? { url, copied: true } : s)),
      () => setShown((s) => (s && 'url' in s && s.url === url ? { url, copied: false } : s)),
    );
  };

  const close = () => { setShown(null); button.current?.focus(); };

  return (
    <div className="share">
      <button ref={button} type="button" onClick={onShare} title={t('shareTitle')} aria-expanded={!!shown} data-testid="share-button">
        {t('share')}
      </button>
      {shown && (
        <div className="share-pop" role="dialog" aria-label={t('shareHeading')} data-testid="share-pop" onKeyDown={(e) => { if (e.key === 'Escape') close(); }}>
          {'url' in shown ? (
            <>
              <label className="share-label">
                {t('shareHeading')}
                <input ref={input} className="share-url" readOnly value={shown.url} onFocus={(e) => e.currentTarget.select()} data-testid="share-url" spellCheck={false} />
              </label>
              <p className="share-status" role="status" aria-live="polite">
                {shown.copied === true ? t('shareCopied') : shown.copied === false ? t('shareCopyFailed') : ''}
              </p>
            </>
          ) : (
            <p className="share-error" role="alert">{shown.error}</p>
          )}
          <button type="button" onClick={close}>{t('shareClose')}</button>
        </div>
      )}
    </div>
  );
}

/** The message for a refused link or message, in `lang`. */
export function refusalText(lang: Lang, r: { source: 'link' | 'message'; reason: RefusalReason; detail: string }): string {
  return translate(lang, r.source === 'link' ? 'shareRefused' : 'shareRefusedMessage', { reason: translate(lang, REASON_KEY[r.reason]), detail: r.detail });
}

export function ShareNotice() {
  const lang = useApp((s) => s.lang);
  const refused = useStore(shareStatus, (s) => s.refused);
  const dismiss = useStore(shareStatus, (s) => s.dismiss);
  if (!refused) return null;
  return (
    <div className="notice share-refused" role="alert" data-testid="share-refused" data-reason={refused.reason}>
      <span>{refusalText(lang, refused)}</span>
      <button type="button" onClick={dismiss} aria-label={translate(lang, 'dismiss')}>×</button>
    </div>
  );
}
