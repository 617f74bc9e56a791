// The minimal KubeSim page: a YAML editor (Monaco, loaded lazily) on the left; on the right the
// cluster as `kubectl get` prints it (computed in the worker) and a small terminal.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { Diagnostic, Where } from '../worker/protocol';
import { LANG_NAME, LANG_TAG, pick, translate, type Lang, type MessageKey, type Vars } from './i18n';
import type { AppState, AppStore } from './store';
import { StagePane } from './stage/StagePane';
import { LessonPane } from './lessons/LessonPane';
import { lessonIds } from './lessons/catalog';
import { PresentButton, PresenterLayer, usePresenter } from './presenter/Presenter';
import { complete } from './terminal/complete';
import { YamlEditor, type GotoTarget } from './editor/YamlEditor';
import { ShareButton, ShareNotice } from './share/Share';

export const StoreContext = createContext<AppStore | null>(null);

/** The cluster pane shows this many lines (a pasted 5,000-Service cluster prints 15,000). */
const MAX_OUTPUT_LINES = 400;

/** The first `max` lines, and how many more there were (the terminal has the rest). */
function clipLines(text: string, max: number): string {
  let at = -1;
  for (let i = 0; i < max; i++) { at = text.indexOf('\n', at + 1); if (at < 0) return text; }
  const rest = text.slice(at + 1).split('\n').filter((l) => l !== '').length;
  return rest === 0 ? text : `${text.slice(0, at + 1)}… ${rest} more lines (run the command in the terminal to see them all)\n`;
}

export function useApp<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('App must be rendered inside <StoreContext.Provider>');
  return useStore(store, selector);
}

function useT(): (key: MessageKey, vars?: Vars) => string {
  const lang = useApp((s) => s.lang);
  return useMemo(() => (key: MessageKey, vars?: Vars) => translate(lang, key, vars), [lang]);
}

export function App() {
  const lang = useApp((s) => s.lang);
  const t = useT();

  useEffect(() => {
    document.documentElement.lang = LANG_TAG[lang];
    document.title = `KubeSim · ${t('tagline')}`;
  }, [lang, t]);

  const [presenting, setPresenting] = usePresenter();
  return (
    <div className={presenting ? 'app is-presenting' : 'app'}>
      {presenting && <PresenterLayer lang={lang} onExit={() => setPresenting(false)} />}
      <Header onPresent={() => setPresenting(true)} />
      <Notice />
      <ShareNotice />
      <main className="panes">
        <div className="left">
          <LessonSlot />
          <EditorPane />
        </div>
        <div className="right">
          <StagePane />
          <OutputPane />
          <TerminalPane />
        </div>
      </main>
      <footer className="app-footer">{t('footer')}</footer>
    </div>
  );
}

/** `?lesson=ID[&step=N]` in the address: the lesson open, kept in step as the learner moves. */
function lessonFromUrl(): { id: string; step?: number } | null {
  const q = new URLSearchParams(window.location.search);
  const id = q.get('lesson');
  if (!id || !lessonIds().includes(id)) return null;
  const step = Number(q.get('step'));
  return { id, ...(Number.isInteger(step) && step > 0 ? { step: step - 1 } : {}) };
}

function setLessonUrl(id: string | null, step?: number): void {
  const url = new URL(window.location.href);
  if (id) { url.searchParams.set('lesson', id); if (step !== undefined) url.searchParams.set('step', String(step + 1)); }
  else { url.searchParams.delete('lesson'); url.searchParams.delete('step'); }
  window.history.replaceState(window.history.state, '', url);
}

function useLesson(): [{ id: string; step?: number } | null, (id: string | null) => void] {
  const [open, setOpen] = useState(lessonFromUrl);
  useEffect(() => {
    const on = () => setOpen(lessonFromUrl());
    window.addEventListener('kubesim:lesson', on);
    return () => window.removeEventListener('kubesim:lesson', on);
  }, []);
  return [open, (id) => { setLessonUrl(id); setOpen(id ? { id } : null); }];
}

function LessonSlot() {
  const [open, setOpen] = useLesson();
  const lang = useApp((s) => s.lang);
  const files = useApp((s) => s.files);
  const loadOptions = useApp((s) => s.loadOptions);
  const openWorkspace = useApp((s) => s.openWorkspace);
  const runCommandAt = useApp((s) => s.runCommandAt);
  const sendPacket = useApp((s) => s.sendPacket);
  const checkLesson = useApp((s) => s.checkLesson);
  if (!open) return null;
  return (
    <LessonPane
      key={open.id}
      id={open.id}
      lang={lang}
      initialStep={open.step}
      store={{ files, loadOptions, openWorkspace, runCommandAt, sendPacket, checkLesson }}
      onClose={() => setOpen(null)}
      onStep={(s) => setLessonUrl(open.id, s)}
    />
  );
}

function LessonPicker() {
  const t = useT();
  const ids = lessonIds();
  if (!ids.length) return null;
  return (
    <label className="lesson-picker">
      {t('lessons')}{' '}
      <select
        value=""
        data-testid="lesson-picker"
        onChange={(e) => {
          if (!e.target.value) return;
          setLessonUrl(e.target.value, 0);
          window.dispatchEvent(new Event('kubesim:lesson'));
        }}
      >
        <option value="">{t('lessonsChoose')}</option>
        {ids.map((id) => <option key={id} value={id}>{`${id.slice(0, 2)} · ${id.slice(3).replace(/-/g, ' ')}`}</option>)}
      </select>
    </label>
  );
}

function Header({ onPresent }: { onPresent(): void }) {
  const t = useT();
  const lang = useApp((s) => s.lang);
  const setLang = useApp((s) => s.setLang);
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const onSwitch = () => {
    setLang(other);
    // Keep a `?lang=` in the address in step, so a reload or a shared link keeps the choice.
    const url = new URL(window.location.href);
    if (url.searchParams.has('lang')) {
      url.searchParams.set('lang', LANG_TAG[other]);
      window.history.replaceState(window.history.state, '', url);
    }
  };
  return (
    <header className="app-header">
      <div className="brand">
        <h1>KubeSim</h1>
        <span className="tagline">{t('tagline')}</span>
      </div>
      <LessonPicker />
      <PresentButton lang={lang} onPresent={onPresent} />
      <ShareButton />
      <button
        type="button"
        className="lang-switch"
        onClick={onSwitch}
        lang={LANG_TAG[other]}
        aria-label={`${t('switchLanguage')}: ${LANG_NAME[other]}`}
        data-testid="lang-switch"
      >
        {t('switchTo')}
      </button>
    </header>
  );
}

export function Notice() {
  const t = useT();
  const notice = useApp((s) => s.notice);
  const notify = useApp((s) => s.notify);
  if (!notice) return null;
  return (
    <div className="notice" role="alert">
      <span>{t('workerRestarted', { message: notice })}</span>
      <button type="button" onClick={() => notify(null)} aria-label={t('dismiss')}>×</button>
    </div>
  );
}

function where(d: Diagnostic): string | null {
  if (!d.file) return null;
  return `${d.file}:${d.line ?? 1}:${d.column ?? 1}`;
}

export function EditorPane() {
  const t = useT();
  const lang = useApp((s) => s.lang);
  const examples = useApp((s) => s.examples);
  const exampleId = useApp((s) => s.exampleId);
  const files = useApp((s) => s.files);
  const activeFile = useApp((s) => s.activeFile);
  const diagnostics = useApp((s) => s.diagnostics);
  const selectExample = useApp((s) => s.selectExample);
  const setActiveFile = useApp((s) => s.setActiveFile);
  const editFile = useApp((s) => s.editFile);
  const resetExample = useApp((s) => s.resetExample);
  const [goto, setGoto] = useState<GotoTarget | null>(null);

  const file = files.find((f) => f.name === activeFile) ?? files[0];
  const original = examples.find((e) => e.id === exampleId);
  const edited = !!original && (original.files.length !== files.length || original.files.some((f, i) => f.text !== files[i]?.text));

  const clearGoto = useCallback(() => setGoto(null), []);

  // "Show in YAML" from the stage (the Service a rule came from).
  const reveal = useApp((s) => s.reveal);
  useEffect(() => {
    if (reveal) setGoto({ file: reveal.file, line: reveal.line, column: 1 });
  }, [reveal]);

  const jump = (d: Diagnostic) => {
    if (!d.file) return;
    if (files.some((f) => f.name === d.file)) setActiveFile(d.file);
    setGoto({ file: d.file, line: d.line ?? 1, column: d.column ?? 1 });
  };

  return (
    <section className="pane editor-pane" aria-labelledby="editor-heading">
      <div className="pane-head">
        <h2 id="editor-heading">{t('editorHeading')}</h2>
        <div className="toolbar">
          <label className="field">
            <span>{t('exampleLabel')}</span>
            <select
              value={exampleId ?? ''}
              onChange={(e) => selectExample(e.target.value)}
              disabled={examples.length === 0}
              data-testid="example-select"
            >
              {exampleId?.startsWith('lesson:') && <option value={exampleId} disabled>{`${t('lessons')}: ${exampleId.slice(7)}`}</option>}
              {(exampleId === 'shared' || exampleId === 'embed') && <option value={exampleId} disabled>{t('sharedFiles')}</option>}
              {examples.map((e) => (
                <option key={e.id} value={e.id}>{pick(e.title, lang)}</option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={!edited}
            onClick={() => {
              if (window.confirm(t('resetConfirm'))) resetExample();
            }}
          >
            {t('resetExample')}
          </button>
        </div>
      </div>

      {files.length > 1 && (
        <div className="file-tabs" role="group" aria-label={t('filesLabel')}>
          {files.map((f) => (
            <button
              key={f.name}
              type="button"
              className="file-tab"
              aria-pressed={f.name === file?.name}
              onClick={() => setActiveFile(f.name)}
            >
              {f.name}
            </button>
          ))}
        </div>
      )}

      <YamlEditor
        lang={lang}
        scope={exampleId}
        files={files}
        activeFile={activeFile}
        diagnostics={diagnostics}
        onEdit={editFile}
        goto={goto}
        onGotoDone={clearGoto}
      />

      <section className="problems" aria-labelledby="problems-heading" data-testid="problems">
        <h3 id="problems-heading">
          {t('problemsHeading')} <span className="count">({diagnostics.length})</span>
        </h3>
        {diagnostics.length === 0 ? (
          <p className="muted">{t('problemsNone')}</p>
        ) : (
          <ul className="diag-list">
            {diagnostics.map((d, i) => {
              const loc = where(d);
              return (
                <li key={`${d.code}-${i}`} className={`diag diag-${d.severity}`} data-testid="diagnostic">
                  <div className="diag-line">
                    <span className={`sev sev-${d.severity}`}>
                      {t(d.severity === 'error' ? 'severityError' : d.severity === 'warning' ? 'severityWarning' : 'severityInfo')}
                    </span>
                    {loc && (
                      <button type="button" className="diag-loc" onClick={() => jump(d)} aria-label={t('goToProblem', { where: loc })}>
                        {loc}
                      </button>
                    )}
                    {d.field && !pick(d.message, lang).includes(d.field) && <code className="diag-field">{d.field}</code>}
                  </div>
                  <div className="diag-msg">{pick(d.message, lang)}</div>
                  {d.hint && (
                    <div className="diag-hint">
                      <span className="hint-label">{t('hint')}:</span> {pick(d.hint, lang)}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </section>
  );
}

function OutputPane() {
  const t = useT();
  const phase = useApp((s) => s.phase);
  const output = useApp((s) => s.output);
  const stale = useApp((s) => s.stale);
  const counts = useApp((s) => s.counts);
  const failure = useApp((s) => s.failure);
  const diagnostics = useApp((s) => s.diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;

  // The live region announces settled states only, not every "simulating" blip while typing.
  const settled = useRef<string>('');
  let status: string;
  if (phase === 'starting') status = t('statusStarting');
  else if (phase === 'simulating') status = settled.current || t('statusSimulating');
  else if (phase === 'failed') status = t('statusWorkerError', { message: failure ?? '' });
  else if (phase === 'invalid') status = output ? t('statusStale', { count: errors }) : t('statusNoOutput', { count: errors });
  else status = t('statusReady', { services: counts?.services ?? 0, pods: counts?.pods ?? 0, nodes: counts?.nodes ?? 0 });
  if (phase !== 'simulating') settled.current = status;

  return (
    <section className="pane output-pane" aria-labelledby="output-heading" aria-busy={phase === 'simulating' || phase === 'starting'}>
      <div className="pane-head">
        <h2 id="output-heading">{t('outputHeading')}</h2>
        {stale && <span className="badge badge-stale" data-testid="stale-badge">{t('staleBadge')}</span>}
        {phase === 'simulating' && <span className="spinner" aria-hidden="true" />}
      </div>
      <p className={`status status-${phase}`} role="status" aria-live="polite" aria-atomic="true" data-testid="status">
        {status}
      </p>
      <figure className="output">
        <figcaption>
          {output
            ? t('outputCaption', { command: output.command, node: output.node })
            : t('noOutput')}
        </figcaption>
        <pre className={stale ? 'cluster-output is-stale' : 'cluster-output'} data-stale={stale} data-testid="cluster-output" tabIndex={0}>
          {output ? (
            <>
              <span className="prompt">{`root@${output.node}:~# `}</span>
              {output.command}
              {'\n'}
              {clipLines(output.stdout, MAX_OUTPUT_LINES)}
              {output.stderr && <span className="stderr">{output.stderr}</span>}
            </>
          ) : null}
        </pre>
      </figure>
    </section>
  );
}

function TerminalPane() {
  const t = useT();
  const terminal = useApp((s) => s.terminal);
  const history = useApp((s) => s.history);
  const snapshot = useApp((s) => s.snapshot);
  const [completionList, setCompletions] = useState<string[]>([]);
  const targets = useApp((s) => s.targets);
  const current = useApp((s) => s.where);
  const setWhere = useApp((s) => s.setWhere);
  const runCommand = useApp((s) => s.runCommand);
  const clearTerminal = useApp((s) => s.clearTerminal);
  const [command, setCommand] = useState('');
  const [cursor, setCursor] = useState<number | null>(null);
  const log = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [terminal]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const line = command;
    setCommand('');
    setCursor(null);
    void runCommand(line);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Tab' && !e.shiftKey && command.trim() !== '') {
      // Tab completes (commands, kubectl verbs, resources, object names); Tab on an empty line
      // still moves focus, so the terminal is no keyboard trap.
      const r = complete(command, snapshot);
      if (r.options.length > 0) { e.preventDefault(); setCommand(r.line); setCompletions(r.options.length > 1 ? r.options : []); }
      return;
    }
    setCompletions([]);
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    if (history.length === 0) return;
    e.preventDefault();
    let next: number | null;
    if (e.key === 'ArrowUp') next = cursor === null ? history.length - 1 : Math.max(0, cursor - 1);
    else next = cursor === null ? null : cursor + 1 >= history.length ? null : cursor + 1;
    setCursor(next);
    setCommand(next === null ? '' : history[next]);
  };

  const whereValue = (w: Where) => (w.kind === 'node' ? `node:${w.node}` : `pod:${w.namespace}/${w.pod}`);
  const onWhere = (value: string) => {
    if (value.startsWith('node:')) setWhere({ kind: 'node', node: value.slice(5) });
    else {
      const [namespace, pod] = value.slice(4).split('/');
      setWhere({ kind: 'pod', namespace, pod });
    }
  };

  return (
    <section className="pane terminal-pane" aria-labelledby="terminal-heading">
      <div className="pane-head">
        <h2 id="terminal-heading">{t('terminalHeading')}</h2>
        <button type="button" onClick={clearTerminal} disabled={terminal.length === 0}>{t('clearTerminal')}</button>
      </div>
      <div className="term-log" ref={log} role="log" aria-live="polite" aria-label={t('terminalHeading')} tabIndex={0} data-testid="terminal-log">
        {terminal.length === 0 ? (
          <p className="muted">{t('terminalEmpty')}</p>
        ) : (
          terminal.map((entry) => (
            <pre key={entry.id} className="term-entry" aria-busy={entry.running}>
              <span className="prompt">{entry.where.includes('@') ? `${entry.where}:~# ` : `${entry.where} $ `}</span>
              <span className="cmd">{entry.command}</span>
              {'\n'}
              {entry.stdout}
              {entry.stderr && <span className="stderr">{entry.stderr}</span>}
              {!entry.running && entry.exitCode !== 0 && <span className="exit">{`[${t('exitCode', { code: entry.exitCode })}]\n`}</span>}
            </pre>
          ))
        )}
      </div>
      <form className="term-form" onSubmit={submit}>
        <label className="field">
          <span>{t('runOn')}</span>
          <select value={whereValue(current)} onChange={(e) => onWhere(e.target.value)} data-testid="where-select">
            <optgroup label={t('nodeGroup')}>
              {(targets.nodes.length ? targets.nodes : ['master']).map((n) => (
                <option key={n} value={`node:${n}`}>{n}</option>
              ))}
            </optgroup>
            {targets.pods.length > 0 && (
              <optgroup label={t('podGroup')}>
                {targets.pods.slice(0, 300).map((p) => (
                  <option key={`${p.namespace}/${p.name}`} value={`pod:${p.namespace}/${p.name}`}>{`${p.namespace}/${p.name}`}</option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <label htmlFor="command-input" className="sr-only">{t('commandLabel')}</label>
        <input
          id="command-input"
          className="command-input"
          value={command}
          onChange={(e) => { setCommand(e.target.value); setCursor(null); }}
          onKeyDown={onKeyDown}
          placeholder={t('commandPlaceholder')}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          data-testid="command-input"
        />
        <button type="submit" className="primary">{t('run')}</button>
      </form>
      {completionList.length > 0 && (
        <p className="completions" role="status" aria-live="polite" data-testid="completions">
          {completionList.slice(0, 40).join('  ')}{completionList.length > 40 ? '  …' : ''}
        </p>
      )}
    </section>
  );
}
