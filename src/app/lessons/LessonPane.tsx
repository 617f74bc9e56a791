// The lesson player: one step at a time — its text, "Do this step" (load its files, run its
// commands, follow its packet), questions answered before the explanation is revealed, checks
// of the learner's own cluster (with a hint, and "Show me" applying the reference solution).
// Progress (step, answers, passed checks) is kept in local storage and can be exported.
import { useEffect, useMemo, useState } from 'react';
import { applyActions, isRight, whereOf, type Actions, type Check, type CheckResult, type Lesson, type Question } from '../../sim/lessons/index';
import { pick, type Lang } from '../i18n';
import { lessonFiles, loadLesson } from './catalog';
import { Markdown } from './markdown';
import { parseProgress, readProgress, writeProgress, type LessonProgress, type Progress } from './progress';
import type { AppState } from '../store';

const T = {
  step: { en: 'Step {n} of {total}', zh: '第 {n} 步，共 {total} 步' },
  prev: { en: '← Previous', zh: '← 上一步' },
  next: { en: 'Next →', zh: '下一步 →' },
  doStep: { en: 'Do this step', zh: '执行这一步' },
  done: { en: 'Done', zh: '已执行' },
  answer: { en: 'Answer', zh: '提交答案' },
  right: { en: 'Right.', zh: '答对了。' },
  wrong: { en: 'Not quite.', zh: '不太对。' },
  check: { en: 'Check my cluster', zh: '检查我的集群' },
  pass: { en: 'Passed', zh: '通过' },
  fail: { en: 'Not yet', zh: '还没有通过' },
  hint: { en: 'Hint', zh: '提示' },
  showMe: { en: 'Show me', zh: '演示答案' },
  reset: { en: 'Reset step', zh: '重置这一步' },
  close: { en: 'Close lesson', zh: '关闭课程' },
  export: { en: 'Export progress', zh: '导出进度' },
  import: { en: 'Import progress', zh: '导入进度' },
  refused: { en: 'That file is not KubeSim progress; nothing was changed.', zh: '该文件不是 KubeSim 的进度文件，未做任何更改。' },
  loading: { en: 'Loading the lesson…', zh: '正在加载课程……' },
  failed: { en: 'This lesson could not be read: {why}', zh: '无法读取该课程：{why}' },
  minutes: { en: '{n} min', zh: '{n} 分钟' },
  value: { en: 'Your answer', zh: '你的答案' },
};

const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (m, k) => (k in v ? String(v[k]) : m));

export interface LessonPaneProps {
  id: string;
  lang: Lang;
  store: Pick<AppState, 'files' | 'loadOptions' | 'openWorkspace' | 'runCommandAt' | 'sendPacket' | 'checkLesson'>;
  onClose(): void;
  /** The step to open (from the URL); else the saved one. */
  initialStep?: number;
  onStep?(step: number): void;
}


export function LessonPane({ id, lang, store, onClose, initialStep, onStep }: LessonPaneProps) {
  const [lesson, setLesson] = useState<Lesson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [files, setFiles] = useState<Map<string, string> | null>(null);
  const [progress, setProgress] = useState<Progress>(() => readProgress(globalThis.localStorage));
  const [ran, setRan] = useState<Set<number>>(new Set());
  /** The workspace each step started from (when it was first done), for "Reset step". */
  const [startOf, setStartOf] = useState<Record<number, { files: typeof store.files; options: typeof store.loadOptions }>>({});
  const [results, setResults] = useState<Record<string, CheckResult | undefined>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const mine: LessonProgress = progress[id] ?? { step: 0, answers: {}, passed: {} };
  const total = lesson?.steps.length ?? 0;
  const step = Math.min(Math.max(0, mine.step), Math.max(0, total - 1));

  useEffect(() => {
    let live = true;
    setLesson(null); setError(null);
    Promise.all([loadLesson(id, lang), lessonFiles(id)])
      .then(([l, f]) => { if (live) { setLesson(l); setFiles(f); } })
      .catch((e: unknown) => { if (live) setError(e instanceof Error ? e.message : String(e)); });
    return () => { live = false; };
  }, [id, lang]);

  useEffect(() => {
    if (initialStep !== undefined) save({ ...mine, step: initialStep });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, initialStep]);

  function save(p: LessonProgress) {
    const next = { ...progress, [id]: p };
    setProgress(next);
    writeProgress(globalThis.localStorage, next);
  }

  function go(n: number) {
    const s = Math.min(Math.max(0, n), total - 1);
    save({ ...mine, step: s });
    onStep?.(s);
  }

  async function perform(actions: Actions) {
    if (!files) return;
    const r = applyActions({ files: store.files, options: store.loadOptions }, actions, (n) => files.get(n));
    if (r.problems.length) { setNotice(r.problems.join('; ')); return; }
    if (r.workspace.files !== store.files || r.workspace.options !== store.loadOptions) await store.openWorkspace(`lesson:${id}`, r.workspace.files, r.workspace.options);
    for (const c of r.commands) await store.runCommandAt(c.command, whereOf(c, 'master'));
    if (r.trace) await store.sendPacket({ from: r.trace.from, to: r.trace.to });
  }

  async function doStep(k: number) {
    if (!lesson) return;
    if (!startOf[k]) setStartOf({ ...startOf, [k]: { files: store.files, options: store.loadOptions } });
    for (const b of lesson.steps[k].blocks) if (b.kind === 'actions') await perform(b.actions);
    setRan(new Set(ran).add(k));
  }

  /** Back to how the step found the cluster (terminal changes included), then the step again. */
  async function resetStep(k: number) {
    const start = startOf[k];
    if (!start) return;
    await store.openWorkspace(`lesson:${id}`, start.files, start.options);
    const mineChecks = new Set(lesson!.steps[k].blocks.flatMap((b) => (b.kind === 'check' ? [b.check.id] : [])));
    setResults(Object.fromEntries(Object.entries(results).filter(([cid]) => !mineChecks.has(cid))));
    for (const b of lesson!.steps[k].blocks) if (b.kind === 'actions') await perform(b.actions);
  }

  async function runCheck(c: Check) {
    const r = await store.checkLesson(c.expect);
    setResults({ ...results, [c.id]: r ?? undefined });
    if (r?.pass) save({ ...mine, passed: { ...mine.passed, [c.id]: true } });
  }

  const exportHref = useMemo(() => `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(progress))}`, [progress]);

  if (error) return <section className="lesson" aria-label="lesson"><p role="alert">{fill(pick(T.failed, lang), { why: error })}</p><button type="button" onClick={onClose}>{pick(T.close, lang)}</button></section>;
  if (!lesson) return <section className="lesson" aria-busy="true"><p className="muted">{pick(T.loading, lang)}</p></section>;
  const s = lesson.steps[step];
  const hasActions = s.blocks.some((b) => b.kind === 'actions');

  return (
    <section className="lesson" aria-labelledby="lesson-title" data-testid="lesson" data-step={step}>
      <div className="lesson-head">
        <h2 id="lesson-title">{lesson.meta.title}</h2>
        <span className="muted">{fill(pick(T.minutes, lang), { n: lesson.meta.minutes })}</span>
        <button type="button" className="lesson-close" onClick={onClose}>{pick(T.close, lang)}</button>
      </div>
      {step === 0 && lesson.intro && <Markdown text={lesson.intro} />}
      <nav className="lesson-nav" aria-label={fill(pick(T.step, lang), { n: step + 1, total })}>
        <button type="button" onClick={() => go(step - 1)} disabled={step === 0} data-testid="lesson-prev">{pick(T.prev, lang)}</button>
        <span data-testid="lesson-step">{fill(pick(T.step, lang), { n: step + 1, total })}</span>
        <button type="button" onClick={() => go(step + 1)} disabled={step >= total - 1} data-testid="lesson-next">{pick(T.next, lang)}</button>
      </nav>
      <h3 className="lesson-step-title">{s.title}</h3>
      <Markdown text={s.markdown} />
      {hasActions && (
        <button type="button" className="lesson-do" onClick={() => void doStep(step)} data-testid="lesson-do">
          {ran.has(step) ? `✓ ${pick(T.done, lang)} — ${pick(T.doStep, lang)}` : pick(T.doStep, lang)}
        </button>
      )}
      {startOf[step] && <button type="button" className="lesson-reset" onClick={() => void resetStep(step)} data-testid="lesson-reset">{pick(T.reset, lang)}</button>}
      {s.blocks.map((b) => (b.kind === 'question'
        ? <QuestionBox key={b.question.id} q={b.question} lang={lang} given={mine.answers[b.question.id]} onAnswer={(a) => save({ ...mine, answers: { ...mine.answers, [b.question.id]: a } })} />
        : b.kind === 'check'
          ? <CheckBox key={b.check.id} c={b.check} lang={lang} result={results[b.check.id]} passed={!!mine.passed[b.check.id]} onCheck={() => void runCheck(b.check)} onShowMe={b.check.solution ? () => void perform(b.check.solution!).then(() => runCheck(b.check)) : undefined} />
          : null))}
      {notice && <p className="lesson-notice" role="alert">{notice}</p>}
      <div className="lesson-foot">
        <a href={exportHref} download="kubesim-progress.json">{pick(T.export, lang)}</a>
        <label className="lesson-import">
          {pick(T.import, lang)}{' '}
          <input type="file" accept="application/json,.json" onChange={(e) => {
            const f = e.target.files?.[0];
            if (!f || f.size > 100_000) { setNotice(pick(T.refused, lang)); return; }
            void f.text().then((text) => {
              const p = parseProgress(text);
              if (!p) { setNotice(pick(T.refused, lang)); return; }
              setProgress(p); writeProgress(globalThis.localStorage, p); setNotice(null);
            });
          }} />
        </label>
      </div>
    </section>
  );
}

function QuestionBox({ q, lang, given, onAnswer }: { q: Question; lang: Lang; given: number | number[] | string | undefined; onAnswer(a: number | number[] | string): void }) {
  const [draft, setDraft] = useState<number | number[] | string>(given ?? (q.kind === 'multiple' ? [] : q.kind === 'value' ? '' : -1));
  const answered = given !== undefined;
  const right = answered && isRight(q, given);
  const name = `q-${q.id}`;
  return (
    <fieldset className={`lesson-q${answered ? (right ? ' is-right' : ' is-wrong') : ''}`} data-testid={`question-${q.id}`}>
      <legend><Markdown text={q.prompt} /></legend>
      {q.kind === 'value' ? (
        <label>{pick(T.value, lang)} <input type="text" value={String(draft)} onChange={(e) => setDraft(e.target.value)} data-testid={`answer-${q.id}`} /></label>
      ) : q.choices.map((c, i) => (
        <label key={i} className="lesson-choice">
          <input
            type={q.kind === 'single' ? 'radio' : 'checkbox'}
            name={name}
            checked={q.kind === 'single' ? draft === i : Array.isArray(draft) && draft.includes(i)}
            onChange={() => setDraft(q.kind === 'single' ? i : Array.isArray(draft) && draft.includes(i) ? draft.filter((x) => x !== i) : [...(Array.isArray(draft) ? draft : []), i])}
          />{' '}{c}
        </label>
      ))}
      <button type="button" onClick={() => onAnswer(draft)} disabled={draft === -1 || draft === ''} data-testid={`submit-${q.id}`}>{pick(T.answer, lang)}</button>
      {answered && (
        <div className="lesson-reveal" role="status">
          <strong>{right ? `✓ ${pick(T.right, lang)}` : `✗ ${pick(T.wrong, lang)}`}</strong>
          <Markdown text={q.explain} />
        </div>
      )}
    </fieldset>
  );
}

function CheckBox({ c, lang, result, passed, onCheck, onShowMe }: { c: Check; lang: Lang; result?: CheckResult; passed: boolean; onCheck(): void; onShowMe?: () => void }) {
  return (
    <div className={`lesson-check${passed ? ' is-pass' : result ? ' is-fail' : ''}`} data-testid={`check-${c.id}`}>
      <button type="button" onClick={onCheck} data-testid={`run-check-${c.id}`}>{pick(T.check, lang)}</button>
      {onShowMe && <button type="button" onClick={onShowMe} data-testid={`show-${c.id}`}>{pick(T.showMe, lang)}</button>}
      {(passed || result) && (
        <p role="status" className="lesson-check-result">
          <strong>{passed && (!result || result.pass) ? `✓ ${pick(T.pass, lang)}` : `✗ ${pick(T.fail, lang)}`}</strong>
          {result && !result.pass && <> — <code>{pick(result.saw, lang)}</code></>}
        </p>
      )}
      {result && !result.pass && c.hint && <p className="lesson-hint"><strong>{pick(T.hint, lang)}:</strong> <Markdown text={c.hint} /></p>}
    </div>
  );
}
