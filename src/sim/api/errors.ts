// Field errors as the API server reports them (k8s.io/apimachinery field.Error), and the
// `The Service "x" is invalid: ...` text kubectl prints for them.
import type { PathSegment } from '../yaml/locate';
import { fieldPath } from './schema/shape';

export type FieldErrorType = 'Invalid' | 'Required' | 'Duplicate' | 'Unsupported' | 'Forbidden' | 'NotFound' | 'TooLong';

export interface FieldError {
  type: FieldErrorType;
  path: PathSegment[];
  /** Already rendered as Go's %#v would (`40000`, `"None"`, `[]string{"a"}`); absent for Required/Forbidden. */
  value?: string;
  detail: string;
  /** Chinese rendering of `detail` for the learner (the raw text stays English, as kubectl prints it). */
  detailZh?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Invalid: 'Invalid value',
  Required: 'Required value',
  Duplicate: 'Duplicate value',
  Unsupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  NotFound: 'Not found',
  TooLong: 'Too long',
};

/** Go %#v of a JSON-ish value. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  if (typeof v === 'object' && Object.values(v as object).every((x) => typeof x === 'string')) {
    const entries = Object.entries(v as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

export function fieldErrorText(e: FieldError): string {
  const f = fieldPath(e.path);
  switch (e.type) {
    case 'Required':
    case 'Forbidden':
    case 'TooLong':
      return `${f}: ${TYPE_TEXT[e.type]}${e.detail ? `: ${e.detail}` : ''}`;
    case 'NotFound':
    case 'Duplicate':
      return `${f}: ${TYPE_TEXT[e.type]}: ${e.value ?? ''}${e.detail ? `: ${e.detail}` : ''}`;
    default:
      return `${f}: ${TYPE_TEXT[e.type]}: ${e.value ?? ''}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** What kubectl prints for an Invalid status (cmdutil.CheckErr): one cause inline, several
 * as `* cause` lines under a header that keeps its trailing space. */
export function invalidText(kind: string, name: string, errors: FieldError[]): string {
  const parts = [...new Set(errors.map(fieldErrorText))];
  if (parts.length === 1) return `The ${kind} "${name}" is invalid: ${parts[0]}`;
  return `The ${kind} "${name}" is invalid: \n${parts.map((p) => `* ${p}`).join('\n')}`;
}

/** The raw Status message (`Deployment.apps "web" is invalid: [a, b]`), as in aggregated errors. */
export function statusInvalidMessage(kind: string, group: string, name: string, errors: FieldError[]): string {
  const parts = [...new Set(errors.map(fieldErrorText))];
  return `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`;
}

export function invalid(path: PathSegment[], value: unknown, detail: string, detailZh?: string): FieldError {
  return { type: 'Invalid', path, value: goValue(value), detail, detailZh };
}

export function required(path: PathSegment[], detail = '', detailZh?: string): FieldError {
  return { type: 'Required', path, detail, detailZh };
}

export function unsupported(path: PathSegment[], value: unknown, supported: string[]): FieldError {
  return {
    type: 'Unsupported', path, value: goValue(value),
    detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
    detailZh: `可用的取值：${supported.join('、')}（区分大小写）`,
  };
}

export function duplicate(path: PathSegment[], value: unknown): FieldError {
  return { type: 'Duplicate', path, value: goValue(value), detail: '' };
}

export function forbidden(path: PathSegment[], detail: string, detailZh?: string): FieldError {
  return { type: 'Forbidden', path, detail, detailZh };
}
