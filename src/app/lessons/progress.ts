// A learner's progress through the lessons, kept in local storage (survives a reload) and
// exportable as a small JSON file. Imported files are untrusted: checked shape, capped size.
export interface LessonProgress {
  step: number;
  /** Question id → the answer given (index, indexes or text). */
  answers: Record<string, number | number[] | string>;
  /** Check id → passed. */
  passed: Record<string, true>;
}

export type Progress = Record<string, LessonProgress>;

export const PROGRESS_KEY = 'kubesim.lessons.v1';
export const MAX_PROGRESS_CHARS = 100_000;

function validLesson(v: unknown): v is LessonProgress {
  if (!v || typeof v !== 'object') return false;
  const p = v as Record<string, unknown>;
  if (!Number.isInteger(p.step) || (p.step as number) < 0 || (p.step as number) > 100) return false;
  if (!p.answers || typeof p.answers !== 'object' || !p.passed || typeof p.passed !== 'object') return false;
  const okAnswer = (a: unknown) => typeof a === 'number' || (typeof a === 'string' && a.length < 200) || (Array.isArray(a) && a.length < 20 && a.every((x) => typeof x === 'number'));
  return Object.entries(p.answers).every(([k, a]) => k.length < 80 && okAnswer(a)) && Object.entries(p.passed).every(([k, x]) => k.length < 80 && x === true);
}

/** Parses stored or imported progress; null when it is not progress (the caller keeps what it had). */
export function parseProgress(text: string): Progress | null {
  if (text.length > MAX_PROGRESS_CHARS) return null;
  let v: unknown;
  try { v = JSON.parse(text); } catch { return null; }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const out: Progress = {};
  for (const [id, p] of Object.entries(v as Record<string, unknown>)) {
    if (!/^\d\d-[a-z0-9-]{1,60}$/.test(id) || !validLesson(p)) return null;
    out[id] = p;
  }
  return out;
}

export function readProgress(storage: Storage | undefined): Progress {
  try { return parseProgress(storage?.getItem(PROGRESS_KEY) ?? '{}') ?? {}; } catch { return {}; }
}

export function writeProgress(storage: Storage | undefined, p: Progress): void {
  try { storage?.setItem(PROGRESS_KEY, JSON.stringify(p)); } catch { /* storage full or blocked: progress stays in memory */ }
}
