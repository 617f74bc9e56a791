// Label selectors (k8s.io/apimachinery labels): matching and the text form kubectl prints.
import type { LabelSelector } from '../objects';

export type Labels = Record<string, string>;

export function matchesSelector(sel: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !vals.includes(l[e.key])) return false; break;
      case 'NotIn': if (has && vals.includes(l[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A Service's map selector: every pair must match; an empty map selects nothing (no selector). */
export function matchesMap(sel: Labels | undefined, labels: Labels | undefined): boolean {
  if (!sel || Object.keys(sel).length === 0) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel)) if (l[k] !== v) return false;
  return true;
}

/** labels.FormatLabels: the `k=v` strings sorted as whole strings (so `a.b=1` precedes `a=2`), `<none>` when empty. */
export function formatLabels(l: Labels | undefined): string {
  const pairs = Object.entries(l ?? {}).map(([k, v]) => `${k}=${v}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.length === 0 ? '<none>' : pairs.join(',');
}

/** metav1.FormatLabelSelector. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  const ml = sel.matchLabels ?? {};
  for (const k of Object.keys(ml).sort()) parts.push(`${k}=${ml[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In': parts.push(`${e.key} in (${(e.values ?? []).join(',')})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`); break;
      case 'Exists': parts.push(e.key); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
    }
  }
  const s = parts.join(',');
  return s === '' ? '<none>' : s;
}
