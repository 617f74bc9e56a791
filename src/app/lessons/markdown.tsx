// Lesson Markdown to React elements, by hand: lessons are untrusted (a shared or imported one
// may be crafted), so no HTML ever passes through — text is text, and links go only to http,
// https or relative addresses. Enough Markdown for lessons: paragraphs, ### headings, lists,
// fenced code, inline `code`, **bold**, *italic*, [links](url).
import type { ReactNode } from 'react';

const SAFE_URL = /^(https?:\/\/|\.{0,2}\/|#|[\w-]+(\.[\w-]+)*\/?$)/i;

export function safeHref(url: string): string | null {
  const u = url.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(u) && !/^https?:/i.test(u)) return null; // javascript:, data:, vbscript:, …
  return SAFE_URL.test(u) ? u : null;
}

/** Inline Markdown: `code`, **bold**, *italic*, [text](url). */
export function inline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let k = 0;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const tok = m[0];
    const id = `${key}-${k++}`;
    if (m[1]) out.push(<code key={id}>{tok.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong key={id}>{inline(tok.slice(2, -2), id)}</strong>);
    else if (m[3]) out.push(<em key={id}>{inline(tok.slice(1, -1), id)}</em>);
    else {
      const lm = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(tok)!;
      const href = safeHref(lm[2]);
      out.push(href ? <a key={id} href={href} target="_blank" rel="noopener noreferrer">{lm[1]}</a> : <span key={id}>{lm[1]}</span>);
    }
    last = m.index + tok.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** Lines of one paragraph: joined by a space, except between Chinese characters (no spaces there). */
export function joinLines(lines: string[]): string {
  return lines.reduce((acc, line) => (!acc ? line : CJK.test(acc[acc.length - 1]) || CJK.test(line[0]) ? acc + line : `${acc} ${line}`), '');
}

export function Markdown({ text }: { text: string }) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: ReactNode[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flushPara = () => {
    if (para.length) blocks.push(<p key={`p${blocks.length}`}>{inline(joinLines(para), `p${blocks.length}`)}</p>);
    para = [];
  };
  const flushList = () => {
    if (!list) return;
    const items = list.items.map((it, i) => <li key={i}>{inline(it, `l${blocks.length}-${i}`)}</li>);
    blocks.push(list.ordered ? <ol key={`o${blocks.length}`}>{items}</ol> : <ul key={`u${blocks.length}`}>{items}</ul>);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(`{3,})\s*([\w-]*)\s*$/.exec(line);
    if (fence) {
      flushPara(); flushList();
      let end = lines.findIndex((l, k) => k > i && l.trim() === fence[1]);
      if (end < 0) end = lines.length;
      blocks.push(<pre key={`c${blocks.length}`} className={`lesson-code${fence[2] ? ` is-${fence[2]}` : ''}`}><code>{lines.slice(i + 1, end).join('\n')}</code></pre>);
      i = end;
      continue;
    }
    const h = /^(#{3,6})\s+(.+)$/.exec(line);
    if (h) { flushPara(); flushList(); blocks.push(<h4 key={`h${blocks.length}`}>{inline(h[2], `h${blocks.length}`)}</h4>); continue; }
    const li = /^\s*([-*]|\d+\.)\s+(.+)$/.exec(line);
    if (li) {
      flushPara();
      const ordered = /\d/.test(li[1]);
      if (!list || list.ordered !== ordered) { flushList(); list = { ordered, items: [] }; }
      list.items.push(li[2]);
      continue;
    }
    if (!line.trim()) { flushPara(); flushList(); continue; }
    if (list && /^\s{2,}\S/.test(line)) { list.items[list.items.length - 1] += ` ${line.trim()}`; continue; }
    flushList();
    para.push(line.trim());
  }
  flushPara(); flushList();
  return <div className="lesson-md">{blocks}</div>;
}
