// Presenter mode for a projector: large type, the stage alone (editor, terminal and footer
// hidden), driven from the keyboard — Space play/pause and ←/→ step (page-wide already), +/−
// speed, 1–9 the course's scenarios, B bookmark this state and Shift+1–9 go back to one, L a
// laser pointer, ? the keys, Esc to leave. `?present=1` opens in it. Deterministic: the seed
// is part of each bookmark's options, so a replay shows the same packets.
import { useContext, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { StoreContext } from '../App';
import { SPEEDS } from '../timeline/clock';
import { pick, type Lang } from '../i18n';
import { BOOKMARKS_KEY, MAX_BOOKMARKS, parseBookmarks, presenterKey, type Bookmark } from './presenter';

const T = {
  present: { en: 'Present', zh: '演示模式' },
  exit: { en: 'Leave presenter mode (Esc)', zh: '退出演示模式（Esc）' },
  saved: { en: 'Bookmark {n} saved', zh: '已保存书签 {n}' },
  keys: {
    en: 'Space play/pause · ←/→ step · +/− speed · 1–9 scenario · B bookmark · Shift+1–9 go to bookmark · L laser · Esc leave',
    zh: '空格 播放/暂停 · ←/→ 单步 · +/− 速度 · 1–9 场景 · B 保存书签 · Shift+1–9 跳到书签 · L 激光笔 · Esc 退出',
  },
};

export function presenterFromUrl(): boolean {
  return new URLSearchParams(window.location.search).get('present') === '1';
}

function readBookmarks(): Bookmark[] {
  try { return parseBookmarks(localStorage.getItem(BOOKMARKS_KEY)); } catch { return []; }
}

export function usePresenter(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(presenterFromUrl);
  useEffect(() => {
    document.documentElement.classList.toggle('presenting', on);
    const url = new URL(window.location.href);
    if (on) url.searchParams.set('present', '1'); else url.searchParams.delete('present');
    window.history.replaceState(window.history.state, '', url);
  }, [on]);
  return [on, setOn];
}

export function PresentButton({ lang, onPresent }: { lang: Lang; onPresent(): void }) {
  return <button type="button" className="present-button" onClick={onPresent} data-testid="present">{pick(T.present, lang)}</button>;
}

export function PresenterLayer({ lang, onExit }: { lang: Lang; onExit(): void }) {
  const store = useContext(StoreContext)!;
  const examples = useStore(store, (s) => s.examples);
  const [laser, setLaser] = useState(false);
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const [help, setHelp] = useState(true);
  const [flash, setFlash] = useState<string | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.closest('input, textarea, select, [contenteditable="true"], #yaml-editor') || el.isContentEditable)) return;
      const a = presenterKey(e);
      if (!a) return;
      e.preventDefault();
      const s = store.getState();
      switch (a.kind) {
        case 'speed': {
          const i = SPEEDS.indexOf(s.speed as (typeof SPEEDS)[number]);
          const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? SPEEDS.indexOf(1) : i) + a.dir))];
          s.setSpeed(next);
          setFlash(`${next}×`);
          break;
        }
        case 'scenario': if (examples[a.index]) s.selectExample(examples[a.index].id); break;
        case 'saveBookmark': {
          const list = readBookmarks();
          const b: Bookmark = { exampleId: s.exampleId, loadOptions: { ...s.loadOptions }, packet: s.packet, pathIndex: s.pathIndex, step: s.step };
          const next = [...list, b].slice(-MAX_BOOKMARKS);
          try { localStorage.setItem(BOOKMARKS_KEY, JSON.stringify(next)); } catch { /* storage blocked */ }
          setFlash(pick(T.saved, lang).replace('{n}', String(next.length)));
          break;
        }
        case 'bookmark': { const b = readBookmarks()[a.index]; if (b) void s.restore(b); break; }
        case 'laser': setLaser((x) => !x); break;
        case 'help': setHelp((x) => !x); break;
        case 'exit': onExit(); break;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store, examples, lang, onExit]);

  useEffect(() => {
    if (!laser) { setAt(null); return; }
    const move = (e: PointerEvent) => setAt({ x: e.clientX, y: e.clientY });
    window.addEventListener('pointermove', move);
    return () => window.removeEventListener('pointermove', move);
  }, [laser]);

  useEffect(() => {
    if (!flash) return;
    const id = setTimeout(() => setFlash(null), 1500);
    return () => clearTimeout(id);
  }, [flash]);

  return (
    <>
      <div className="presenter-bar" role="region" aria-label={pick(T.present, lang)}>
        {help && <span className="presenter-keys" data-testid="presenter-keys">{pick(T.keys, lang)}</span>}
        <button type="button" onClick={onExit} data-testid="presenter-exit">{pick(T.exit, lang)}</button>
      </div>
      {flash && <div className="presenter-flash" role="status">{flash}</div>}
      {laser && at && <div className="presenter-laser" style={{ left: at.x, top: at.y }} aria-hidden="true" data-testid="laser" />}
    </>
  );
}
