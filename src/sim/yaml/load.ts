// YAML text(s) in → plain documents out, each remembering where it came from. Problems come
// back as located, bilingual diagnostics; nothing here throws.
import yaml from 'js-yaml';
import { type Diagnostic, type SourcePos, text } from '../diag';
import { LineIndex } from './line-index';
import { locatePath, type PathSegment } from './locate';
import { parseFastDocument } from './fast';

export interface SourceFile {
  name: string;
  text: string;
}

export interface YamlDoc {
  file: string;
  /** Index of the document within its file (0-based, counting empty documents). */
  index: number;
  value: unknown;
  /** Position of the document's first line of content. */
  pos: SourcePos;
  /** Where a field of this document is written; falls back to the nearest ancestor found. */
  locate(path: readonly PathSegment[]): SourcePos;
}

export interface YamlResult {
  docs: YamlDoc[];
  diagnostics: Diagnostic[];
}

/** Larger input is refused before parsing, so a runaway paste answers at once. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Nodes one document may expand to through aliases (Kubernetes objects are far smaller). */
export const MAX_DOC_NODES = 200_000;

// Kubernetes reads YAML through sigs.k8s.io/yaml into JSON: timestamps stay strings, merge keys work.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const K8S_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [(yaml as any).types.merge] });

const DOC_MARKER = /^(---|\.\.\.)(?=\s|$)/gm;

interface Range {
  start: number;
  end: number;
  marker: boolean; // starts with a `---` line
}

function documentRanges(src: string): Range[] {
  const ranges: Range[] = [];
  let start = 0;
  let marker = false;
  DOC_MARKER.lastIndex = 0;
  for (let m = DOC_MARKER.exec(src); m; m = DOC_MARKER.exec(src)) {
    ranges.push({ start, end: m.index, marker });
    const nl = src.indexOf('\n', m.index);
    start = nl === -1 ? src.length : nl + 1;
    marker = m[1] === '---';
    if (!marker) {
      // `...` ends a document; what follows until the next `---` is not a document.
      ranges.push({ start: m.index, end: m.index, marker: false });
    }
  }
  ranges.push({ start, end: src.length, marker });
  // A range before the first marker that holds nothing but comments is not a document;
  // neither is the empty tail after a final `---` (js-yaml agrees on both).
  const hasContent = (r: Range) => /^[ \t]*[^\s#]/m.test(src.slice(r.start, r.end));
  return ranges.filter((r, i) => {
    if (i === 0 && !r.marker) return hasContent(r) || ranges.length === 1;
    return r.marker || hasContent(r);
  });
}

export function parseYamlFiles(files: readonly SourceFile[]): YamlResult {
  const docs: YamlDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) parseFile(f, docs, diagnostics);
  return { docs, diagnostics };
}

function parseFile(f: SourceFile, docs: YamlDoc[], diagnostics: Diagnostic[]): void {
  const src = f.text;
  if (src.length > MAX_FILE_BYTES) {
    const mb = (src.length / 1024 / 1024).toFixed(1);
    diagnostics.push({
      severity: 'error', code: 'yaml.too-large', file: f.name, line: 1, column: 1,
      message: text(`file is ${mb} MB; KubeSim reads at most ${MAX_FILE_BYTES / 1024 / 1024} MB per file`,
        `文件大小 ${mb} MB，超过了 KubeSim 单个文件 ${MAX_FILE_BYTES / 1024 / 1024} MB 的上限`),
      hint: text('split it into several files, or remove objects the lesson does not need',
        '请拆分为多个文件，或删掉本课不需要的对象'),
    });
    return;
  }
  const lines = new LineIndex(src);
  const ranges = documentRanges(src);
  // The fast path covers plain manifests; anything else goes through js-yaml, whole file.
  let values: unknown[] | null = [];
  const sizes: number[] = []; // of the fast path's documents (plain trees: no aliases, nothing shared)
  for (const r of ranges) {
    const stats = { nodes: 0 };
    const v = parseFastDocument(src, r.start, r.end, stats);
    if (v === undefined) { values = null; break; }
    values.push(v);
    sizes.push(stats.nodes);
  }
  const fast = values !== null;
  if (!values) {
    try {
      values = yaml.loadAll(src, undefined, { filename: f.name, schema: K8S_SCHEMA });
    } catch {
      values = null; // re-parse document by document below to locate the error and keep the rest
    }
  }
  if (values && values.length !== ranges.length) values = null;
  ranges.forEach((r, index) => {
    let value: unknown;
    if (values) {
      value = values[index];
    } else {
      try {
        const got = yaml.loadAll(src.slice(r.start, r.end), undefined, { filename: f.name, schema: K8S_SCHEMA });
        value = got.length === 0 ? null : got[0];
      } catch (e) {
        diagnostics.push(syntaxDiagnostic(e, f.name, r.start, lines));
        return;
      }
    }
    if (value === null || value === undefined) return;
    const first = firstContentOffset(src, r.start, r.end);
    const pos = { file: f.name, ...lines.positionAfterLast(first) };
    const locate = (path: readonly PathSegment[]): SourcePos => ({
      file: f.name,
      ...lines.position(locatePath(src, r.start, r.end, path)),
    });
    if (typeof value !== 'object' || Array.isArray(value)) {
      diagnostics.push({
        severity: 'error', code: 'yaml.not-an-object', ...pos,
        message: text('this document is not a Kubernetes object (expected a mapping with apiVersion and kind)',
          '这个文档不是 Kubernetes 对象（应为包含 apiVersion 和 kind 的映射）'),
        hint: text('start the document with "apiVersion:" and "kind:" lines', '文档应以 "apiVersion:" 和 "kind:" 开头'),
      });
      return;
    }
    const size = fast ? { nodes: sizes[index], shared: false } : expandedSize(value);
    if (size.nodes > MAX_DOC_NODES) {
      diagnostics.push({
        severity: 'error', code: 'yaml.excessive-aliasing', ...pos,
        message: text(`yaml: document contains excessive aliasing (expands to more than ${MAX_DOC_NODES.toLocaleString('en')} nodes)`,
          `yaml：文档中的别名（alias）展开后超过 ${MAX_DOC_NODES.toLocaleString('en')} 个节点`),
        hint: text('remove the repeated "*anchor" references', '请删除重复引用的 "*anchor" 别名'),
        raw: 'error converting YAML to JSON: yaml: document contains excessive aliasing',
      });
      return;
    }
    docs.push({ file: f.name, index, value: size.shared ? cloneExpanded(value) : value, pos, locate });
  });
}

function firstContentOffset(src: string, start: number, end: number): number {
  const re = /^[ \t]*([^\s#])/gm;
  re.lastIndex = start;
  const m = re.exec(src);
  return m && m.index < end ? m.index + m[0].length - 1 : start;
}

function syntaxDiagnostic(e: unknown, file: string, base: number, lines: LineIndex): Diagnostic {
  const ex = e as { reason?: string; mark?: { position?: number }; message?: string };
  const reason = ex.reason ?? ex.message ?? String(e);
  const offset = base + (ex.mark?.position ?? 0);
  const pos = lines.position(offset);
  return {
    severity: 'error', code: 'yaml.syntax', file, ...pos,
    message: text(`YAML syntax error: ${reason}`, `YAML 语法错误：${translateReason(reason)}`),
    hint: text('check the indentation (spaces only, no tabs) and the quotes on this line and the one above',
      '请检查这一行及上一行的缩进（只能用空格，不能用 Tab）和引号是否成对'),
    raw: `error parsing ${file}: error converting YAML to JSON: yaml: line ${pos.line}: ${reason}`,
  };
}

const REASONS_ZH: Record<string, string> = {
  'bad indentation of a mapping entry': '映射条目的缩进不正确',
  'bad indentation of a sequence entry': '列表条目的缩进不正确',
  'deficient indentation': '缩进不足',
  'duplicated mapping key': '映射中出现重复的键',
  'end of the stream or a document separator is expected': '此处应为文档结束或分隔符 ---',
  'unexpected end of the stream within a double quoted scalar': '双引号字符串没有闭合',
  'unexpected end of the stream within a single quoted scalar': '单引号字符串没有闭合',
  'can not read a block mapping entry; a multiline key may not be an implicit key': '无法读取映射条目：键不能跨行（可能缺少冒号后的空格）',
  'incomplete explicit mapping pair; a key node is missed; or followed by a non-tabulated empty line': '映射键值对不完整',
  'missed comma between flow collection entries': '流式集合的条目之间缺少逗号',
  'unidentified alias': '引用了未定义的锚点（alias）',
  'tab characters must not be used in indentation': '缩进中不能使用 Tab 字符',
};

function translateReason(reason: string): string {
  for (const [en, zh] of Object.entries(REASONS_ZH)) if (reason.startsWith(en)) return `${zh}（${reason}）`;
  return reason;
}

/** Counts nodes with aliases expanded (memoised, so an alias bomb is measured without being expanded). */
function expandedSize(root: unknown): { nodes: number; shared: boolean } {
  const memo = new Map<object, number>();
  let shared = false;
  const visit = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = memo.get(v);
    if (known !== undefined) { shared = true; return known; }
    memo.set(v, 1); // cycles (impossible from YAML aliases to ancestors in js-yaml) count once
    let n = 1;
    if (Array.isArray(v)) for (const x of v) { n += visit(x); if (n > MAX_DOC_NODES) break; }
    else for (const k in v as Record<string, unknown>) { n += 1 + visit((v as Record<string, unknown>)[k]); if (n > MAX_DOC_NODES) break; }
    memo.set(v, n);
    return n;
  };
  return { nodes: visit(root), shared };
}

function cloneExpanded(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneExpanded);
  if (v instanceof Date) return v.toISOString();
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) out[k] = cloneExpanded((v as Record<string, unknown>)[k]);
  return out;
}
