// A lesson file (lessons/<id>/lesson.<lang>.md, format in lessons/README.md) as plain data:
// front matter, an introduction, and steps — each with its Markdown text and its `kubesim`
// actions, `question`s and `check`s. Pure and DOM-free: the lesson test, the worker and the
// player all read lessons through this. Untrusted input: sizes are limited, YAML is parsed
// with the safe schema, nothing is evaluated.
import yaml from 'js-yaml';

export const MAX_LESSON_CHARS = 200_000;
const MAX_STEPS = 40;

export type Level = 'beginner' | 'intermediate' | 'advanced';

export interface LessonMeta {
  title: string;
  level: Level;
  minutes: number;
  prerequisites: string[];
}

/** What a `kubesim` block (or a check's `solution`) does, in order. */
export interface Actions {
  options?: { proxyMode?: 'iptables' | 'ipvs' | 'nftables'; kubeProxyVersion?: string; seed?: number };
  load?: string[];
  add?: string[];
  edit?: { file: string; replace: string; with: string };
  run?: string[];
  on?: string;
  in?: string;
  trace?: { from: string; to: string };
}

export interface Question {
  id: string;
  kind: 'single' | 'multiple' | 'value';
  prompt: string;
  choices: string[];
  answer: number | number[] | string;
  explain: string;
}

export type Predicate =
  | { endpoints: { service: string; ready?: number; notReady?: number } }
  | { object: { kind: string; namespace?: string; name: string; path?: string; equals?: unknown } }
  | { reach: { from: string; to: string; pod?: Record<string, string> } }
  | { command: { run: string; in?: string; on?: string; contains?: string[]; matches?: string; exitCode?: number } };

export interface Check {
  id: string;
  expect: Predicate;
  hint: string;
  solution?: Actions;
}

/** A block in a step, in the order written. */
export type Block =
  | { kind: 'actions'; actions: Actions }
  | { kind: 'question'; question: Question }
  | { kind: 'check'; check: Check };

export interface Step {
  title: string;
  /** The step's Markdown with the kubesim/question/check blocks taken out. */
  markdown: string;
  blocks: Block[];
}

export interface Lesson {
  meta: LessonMeta;
  intro: string;
  steps: Step[];
}

export class LessonError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

const str = (v: unknown): v is string => typeof v === 'string';
const strs = (v: unknown): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) && v.every(str) ? v : str(v) ? [v] : undefined);

function loadYaml(text: string, line: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (e) {
    throw new LessonError(line, `the block is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new LessonError(line, 'the block must be a YAML mapping');
  return v as Record<string, unknown>;
}

export function parseActions(o: Record<string, unknown>, line: number): Actions {
  const a: Actions = {};
  const known = new Set(['options', 'load', 'add', 'edit', 'run', 'on', 'in', 'trace']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new LessonError(line, `unknown action "${k}" (known: ${[...known].join(', ')})`);
  if (o.options !== undefined) {
    const op = o.options as Record<string, unknown>;
    if (typeof op !== 'object' || op === null) throw new LessonError(line, '`options` must be a mapping');
    a.options = {};
    if (op.proxyMode !== undefined) {
      if (op.proxyMode !== 'iptables' && op.proxyMode !== 'ipvs' && op.proxyMode !== 'nftables') throw new LessonError(line, '`options.proxyMode` must be iptables, ipvs or nftables');
      a.options.proxyMode = op.proxyMode;
    }
    if (op.kubeProxyVersion !== undefined) a.options.kubeProxyVersion = String(op.kubeProxyVersion);
    if (op.seed !== undefined) a.options.seed = Number(op.seed);
  }
  for (const k of ['load', 'add', 'run'] as const) {
    if (o[k] === undefined) continue;
    const v = strs(o[k]);
    if (!v) throw new LessonError(line, `\`${k}\` must be a string or a list of strings`);
    a[k] = v;
  }
  for (const f of [...(a.load ?? []), ...(a.add ?? [])]) {
    if (!/^[\w./-]+$/.test(f) || f.includes('..') || f.startsWith('/')) throw new LessonError(line, `"${f}" is not a file of the lesson folder`);
  }
  if (o.edit !== undefined) {
    const e = o.edit as Record<string, unknown>;
    if (!e || !str(e.file) || !str(e.replace) || !str(e.with)) throw new LessonError(line, '`edit` needs `file`, `replace` and `with` (strings)');
    a.edit = { file: e.file, replace: e.replace, with: e.with };
  }
  if (o.on !== undefined) { if (!str(o.on)) throw new LessonError(line, '`on` must be a node name'); a.on = o.on; }
  if (o.in !== undefined) { if (!str(o.in)) throw new LessonError(line, '`in` must be NAMESPACE/POD'); a.in = o.in; }
  if (o.trace !== undefined) {
    const t = o.trace as Record<string, unknown>;
    if (!t || !str(t.from) || !str(t.to)) throw new LessonError(line, '`trace` needs `from` and `to`');
    a.trace = { from: t.from, to: String(t.to) };
  }
  return a;
}

function parseQuestion(o: Record<string, unknown>, line: number): Question {
  if (!str(o.id)) throw new LessonError(line, 'a question needs an `id`');
  const kind = o.kind;
  if (kind !== 'single' && kind !== 'multiple' && kind !== 'value') throw new LessonError(line, '`kind` must be single, multiple or value');
  if (!str(o.prompt)) throw new LessonError(line, 'a question needs a `prompt`');
  const choices = kind === 'value' ? [] : strs(o.choices);
  if (!choices || (kind !== 'value' && choices.length < 2)) throw new LessonError(line, '`choices` must list at least two answers');
  let answer: Question['answer'];
  if (kind === 'single') {
    if (typeof o.answer !== 'number' || !Number.isInteger(o.answer) || o.answer < 0 || o.answer >= choices.length) throw new LessonError(line, '`answer` must be the index (from 0) of one of the choices');
    answer = o.answer;
  } else if (kind === 'multiple') {
    if (!Array.isArray(o.answer) || !o.answer.length || !o.answer.every((x) => Number.isInteger(x) && x >= 0 && x < choices.length)) throw new LessonError(line, '`answer` must list indexes (from 0) of the choices');
    answer = [...(o.answer as number[])].sort((x, y) => x - y);
  } else {
    if (typeof o.answer !== 'string' && typeof o.answer !== 'number') throw new LessonError(line, '`answer` must be a text or a number');
    answer = String(o.answer);
  }
  return { id: o.id, kind, prompt: o.prompt, choices, answer, explain: str(o.explain) ? o.explain : '' };
}

function parsePredicate(o: unknown, line: number): Predicate {
  if (!o || typeof o !== 'object') throw new LessonError(line, '`expect` must be a mapping with one predicate');
  const keys = Object.keys(o);
  if (keys.length !== 1) throw new LessonError(line, '`expect` takes exactly one predicate: endpoints, object, reach or command');
  const [k] = keys;
  const v = (o as Record<string, Record<string, unknown>>)[k];
  if (!v || typeof v !== 'object') throw new LessonError(line, `\`${k}\` must be a mapping`);
  switch (k) {
    case 'endpoints':
      if (!str(v.service) || !v.service.includes('/')) throw new LessonError(line, '`endpoints.service` must be NAMESPACE/NAME');
      return { endpoints: { service: v.service, ...(v.ready !== undefined ? { ready: Number(v.ready) } : {}), ...(v.notReady !== undefined ? { notReady: Number(v.notReady) } : {}) } };
    case 'object':
      if (!str(v.kind) || !str(v.name)) throw new LessonError(line, '`object` needs `kind` and `name`');
      return { object: { kind: v.kind, name: v.name, ...(str(v.namespace) ? { namespace: v.namespace } : {}), ...(str(v.path) ? { path: v.path } : {}), ...('equals' in v ? { equals: v.equals } : {}) } };
    case 'reach':
      if (!str(v.from) || v.to === undefined) throw new LessonError(line, '`reach` needs `from` and `to`');
      return { reach: { from: v.from, to: String(v.to), ...(v.pod && typeof v.pod === 'object' ? { pod: Object.fromEntries(Object.entries(v.pod).map(([a, b]) => [a, String(b)])) } : {}) } };
    case 'command':
      if (!str(v.run)) throw new LessonError(line, '`command` needs `run`');
      if (v.matches !== undefined) { try { new RegExp(String(v.matches)); } catch { throw new LessonError(line, '`matches` is not a valid regular expression'); } }
      return { command: { run: v.run, ...(str(v.in) ? { in: v.in } : {}), ...(str(v.on) ? { on: v.on } : {}), ...(v.contains !== undefined ? { contains: strs(v.contains) ?? [] } : {}), ...(v.matches !== undefined ? { matches: String(v.matches) } : {}), ...(v.exitCode !== undefined ? { exitCode: Number(v.exitCode) } : {}) } };
    default:
      throw new LessonError(line, `unknown predicate "${k}" (known: endpoints, object, reach, command)`);
  }
}

function parseCheck(o: Record<string, unknown>, line: number): Check {
  if (!str(o.id)) throw new LessonError(line, 'a check needs an `id`');
  const c: Check = { id: o.id, expect: parsePredicate(o.expect, line), hint: str(o.hint) ? o.hint : '' };
  if (o.solution !== undefined) {
    if (!o.solution || typeof o.solution !== 'object') throw new LessonError(line, '`solution` must be a mapping of actions');
    c.solution = parseActions(o.solution as Record<string, unknown>, line);
  }
  return c;
}

function frontMatter(text: string): { meta: LessonMeta; body: string; bodyLine: number } {
  const m = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!m) throw new LessonError(1, 'the file must start with front matter between --- lines');
  const o = loadYaml(m[1], 2);
  if (!str(o.title)) throw new LessonError(2, 'front matter needs a `title`');
  const level = o.level ?? 'beginner';
  if (level !== 'beginner' && level !== 'intermediate' && level !== 'advanced') throw new LessonError(2, '`level` must be beginner, intermediate or advanced');
  const minutes = Number(o.minutes ?? 10);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new LessonError(2, '`minutes` must be a positive number');
  const prerequisites = strs(o.prerequisites ?? []) ?? [];
  return { meta: { title: o.title, level, minutes, prerequisites }, body: text.slice(m[0].length), bodyLine: m[0].split('\n').length };
}

const FENCE = /^(`{3,})\s*([\w-]*)\s*$/;

/** Parses one language's lesson file; throws LessonError (with the line) when it is malformed. */
export function parseLesson(text: string): Lesson {
  if (text.length > MAX_LESSON_CHARS) throw new LessonError(1, `the lesson is larger than ${MAX_LESSON_CHARS} characters`);
  const src = text.replace(/\r\n?/g, '\n');
  const { meta, body, bodyLine } = frontMatter(src);
  const lines = body.split('\n');
  let intro = '';
  const steps: Step[] = [];
  let cur: Step | null = null;
  let md: string[] = [];
  const flushText = () => {
    const t = md.join('\n').trim();
    if (cur) cur.markdown = cur.markdown ? `${cur.markdown}\n\n${t}`.trim() : t;
    else intro = intro ? `${intro}\n\n${t}`.trim() : t;
    md = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = bodyLine + i;
    const fence = FENCE.exec(line);
    if (fence) {
      // A fenced block: find its end; the three kinds of block are data, the rest is text.
      const close = lines.findIndex((l, k) => k > i && l.startsWith(fence[1]) && l.trim() === fence[1]);
      if (close < 0) throw new LessonError(lineNo, 'this fenced block is never closed');
      const info = fence[2];
      if (info === 'kubesim' || info === 'question' || info === 'check') {
        if (!cur) throw new LessonError(lineNo, `a \`${info}\` block must be inside a step (after a "## " heading)`);
        const o = loadYaml(lines.slice(i + 1, close).join('\n'), lineNo + 1);
        cur.blocks.push(info === 'kubesim' ? { kind: 'actions', actions: parseActions(o, lineNo) } : info === 'question' ? { kind: 'question', question: parseQuestion(o, lineNo) } : { kind: 'check', check: parseCheck(o, lineNo) });
      } else {
        md.push(...lines.slice(i, close + 1));
      }
      i = close;
      continue;
    }
    const h = /^## (.+)$/.exec(line);
    if (h) {
      flushText();
      if (steps.length >= MAX_STEPS) throw new LessonError(lineNo, `a lesson has at most ${MAX_STEPS} steps`);
      cur = { title: h[1].trim(), markdown: '', blocks: [] };
      steps.push(cur);
      continue;
    }
    md.push(line);
  }
  flushText();
  if (!steps.length) throw new LessonError(bodyLine, 'a lesson needs at least one step (a "## " heading)');
  const ids = new Set<string>();
  for (const s of steps) for (const b of s.blocks) {
    const id = b.kind === 'question' ? b.question.id : b.kind === 'check' ? b.check.id : null;
    if (id === null) continue;
    if (ids.has(id)) throw new LessonError(bodyLine, `the id "${id}" is used twice`);
    ids.add(id);
  }
  return { meta, intro, steps };
}

/** The parts of a lesson that must be equal in every language (everything but the words). */
export function lessonShape(l: Lesson): unknown {
  return {
    level: l.meta.level, minutes: l.meta.minutes, prerequisites: l.meta.prerequisites,
    steps: l.steps.map((s) => s.blocks.map((b) => (b.kind === 'actions' ? b.actions
      : b.kind === 'question' ? { id: b.question.id, kind: b.question.kind, choices: b.question.choices.length, answer: b.question.kind === 'value' ? null : b.question.answer }
      : { id: b.check.id, expect: b.check.expect, solution: b.check.solution ?? null }))),
  };
}

/** Is `given` the right answer to `q`? */
export function isRight(q: Question, given: number | number[] | string): boolean {
  if (q.kind === 'single') return given === q.answer;
  if (q.kind === 'multiple') return Array.isArray(given) && JSON.stringify([...given].sort((a, b) => a - b)) === JSON.stringify(q.answer);
  const norm = (v: unknown) => String(v).trim().toLowerCase();
  const a = norm(q.answer);
  const g = norm(given);
  return a === g || (Number.isFinite(Number(a)) && a !== '' && Number(a) === Number(g));
}
