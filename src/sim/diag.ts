// Diagnostics: every problem the simulator reports, located in the learner's YAML and
// worded in both UI languages. `raw` carries the exact text the real tool would print
// (e.g. kubectl's "The Service "x" is invalid: ..."), so the shell can echo it verbatim.

export interface Text {
  en: string;
  zh: string;
}

export type Severity = 'error' | 'warning' | 'info';

export interface SourcePos {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

export interface Diagnostic {
  severity: Severity;
  /** Stable identifier, e.g. `yaml.syntax`, `api.invalid`, `service.selector-matches-nothing`. */
  code: string;
  message: Text;
  /** What the learner can do about it. */
  hint?: Text;
  /** Where: file/line/column of the offending field, or of the object when no field applies. */
  file?: string;
  line?: number;
  column?: number;
  /** The object concerned, as `Kind namespace/name`. */
  object?: string;
  /** Field path, as the API server prints it (`spec.ports[0].nodePort`). */
  field?: string;
  /** The exact text a real tool prints for this problem, when there is one. */
  raw?: string;
}

export function text(en: string, zh: string): Text {
  return { en, zh };
}

/** One line a terminal can show: `file:line:col: error: message`. */
export function formatDiagnostic(d: Diagnostic, lang: 'en' | 'zh' = 'en'): string {
  const where = d.file ? `${d.file}:${d.line ?? 1}:${d.column ?? 1}: ` : '';
  const msg = lang === 'zh' ? d.message.zh : d.message.en;
  const hint = d.hint ? ` (${lang === 'zh' ? d.hint.zh : d.hint.en})` : '';
  const field = d.field && !msg.startsWith(d.field) ? `${d.field}: ` : '';
  return `${where}${d.severity}: ${field}${msg}${hint}`;
}

/** Both languages, for the CLI's stderr where we cannot know the reader's language. */
export function formatDiagnosticBilingual(d: Diagnostic): string {
  return `${formatDiagnostic(d, 'en')}\n  ${formatDiagnostic(d, 'zh').replace(/^.*?: (error|warning|info): /, '')}`;
}
