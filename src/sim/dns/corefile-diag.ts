// Problems of a Corefile the learner wrote (ConfigMap kube-system/coredns, key Corefile), as
// located, bilingual diagnostics: a Corefile line and column are mapped into the YAML file
// (a `Corefile: |` block scalar maps line for line; any other form points at the key).
import type { ConfigMap } from '../api/objects';
import type { Diagnostic, SourcePos } from '../diag';
import { text } from '../diag';
import { buildCorefile } from './corefile';

interface SourceText { name: string; text: string }

/** Where Corefile line `n` (1-based) and column `c` sit in the YAML, given the object's first line. */
function locator(src: SourceText | undefined, objectLine: number): (n: number, c: number) => { line: number; column: number } | undefined {
  if (!src) return () => undefined;
  const lines = src.text.split('\n');
  let key = -1;
  for (let i = Math.max(0, objectLine - 1); i < lines.length; i++) {
    if (i > objectLine - 1 && /^(---|\.\.\.)\s*$/.test(lines[i])) break;
    if (/^\s*["']?Corefile["']?\s*:/.test(lines[i])) { key = i; break; }
  }
  if (key < 0) return () => undefined;
  const keyLine = lines[key];
  const keyIndent = keyLine.length - keyLine.trimStart().length;
  if (!/:\s*[|>][-+0-9]*\s*(#.*)?$/.test(keyLine)) return () => ({ line: key + 1, column: keyIndent + 1 });
  // The block's indentation: the first non-empty line after the key.
  let indent = -1;
  for (let i = key + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    indent = lines[i].length - lines[i].trimStart().length;
    break;
  }
  if (indent <= keyIndent) return () => ({ line: key + 1, column: keyIndent + 1 });
  return (n, c) => ({ line: key + 1 + n, column: indent + c });
}

export function corefileDiagnostics(configMaps: readonly ConfigMap[], sources: Record<string, SourcePos | { file: string; line: number; column: number }>, files: readonly SourceText[]): Diagnostic[] {
  const cm = configMaps.find((c) => c.metadata.namespace === 'kube-system' && c.metadata.name === 'coredns');
  const corefile = cm?.data?.Corefile;
  const pos = sources['ConfigMap/kube-system/coredns'];
  if (corefile === undefined || !pos) return [];
  const { problems } = buildCorefile(corefile);
  if (!problems.length) return [];
  const at = locator(files.find((f) => f.name === pos.file), pos.line);
  const hasError = problems.some((p) => p.severity === 'error');
  const out: Diagnostic[] = problems.map((p) => {
    const where = at(p.line, p.col) ?? { line: pos.line, column: pos.column };
    return {
      severity: p.severity, code: p.code, message: p.message, ...(p.hint ? { hint: p.hint } : {}),
      file: pos.file, line: where.line, column: where.column, object: 'ConfigMap kube-system/coredns', field: 'data.Corefile',
      ...(p.raw ? { raw: p.raw } : {}),
    };
  });
  if (hasError) {
    out.push({
      severity: 'info', code: 'corefile.fallback', file: pos.file, line: pos.line, column: pos.column, object: 'ConfigMap kube-system/coredns',
      message: text('CoreDNS would not start with this Corefile (its pods would crash-loop and the cluster would have no DNS); the simulator answers with the kubeadm default Corefile until it is fixed',
        'CoreDNS 无法用这个 Corefile 启动（其 Pod 会反复崩溃，集群将没有 DNS）；在修正之前，模拟器使用 kubeadm 默认的 Corefile 应答'),
    });
  }
  return out;
}
