// Export for slides: the followed trace as a Markdown table (pure), and the cluster view at the
// current step as an SVG drawing or a PNG image (the d3 SVG with its computed styles inlined,
// the packet's canvas layer on top, the step's caption underneath). Nothing leaves the page:
// the files are handed to the browser as downloads.
import type { Hop, Trace } from '../../worker/protocol';
import type { Lang } from '../i18n';

interface Fields { src: string; sport: number; dst: string; dport: number; mark: string }

const HEAD = {
  en: { title: 'KubeSim trace', path: 'Path {n} of {total}', probability: 'probability', step: 'step', node: 'node', where: 'hook / chain', rule: 'rule', verdict: 'verdict', packet: 'packet before → after', result: 'Result' },
  zh: { title: 'KubeSim 数据包追踪', path: '路径 {n}/{total}', probability: '概率', step: '步骤', node: '节点', where: '钩子 / 链', rule: '规则', verdict: '裁决', packet: '数据包 之前 → 之后', result: '结果' },
} as const;

/** A table cell: one line, `|` escaped (GitHub-flavoured Markdown needs it inside code too). */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  if (!text) return '';
  const ticks = '`'.repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

export function packetText(p: Fields): string {
  return `${p.src}:${p.sport} → ${p.dst}:${p.dport}${p.mark && p.mark !== '0x0' ? ` mark ${p.mark}` : ''}`;
}

function change(before: Fields, after: Fields): string {
  const b = packetText(before);
  const a = packetText(after);
  return a === b ? b : `${b} ⇒ ${a}`;
}

/** One hop as the table's columns: node, hook / chain, rule, verdict, packet. */
export function hopColumns(h: Hop, lang: Lang): [string, string, string, string, string] {
  switch (h.kind) {
    case 'netfilter':
      return [h.node, `${h.hook} · ${h.table}:${h.chain}`, code(h.rule ?? `-P ${h.chain} ${h.verdict.replace(/^POLICY:/, '')}`), h.verdict, change(h.before, h.after)];
    case 'ipvs': {
      const vs = h.virtualServer;
      const chosen = h.decision.index === null ? null : h.decision.table[h.decision.index];
      return [h.node, `${h.hook} · IPVS`, code(`${vs.proto} ${vs.vip}:${vs.port} ${vs.scheduler}`), chosen ? `→ ${chosen.ip}:${chosen.port}` : 'refused', change(h.before, h.after)];
    }
    case 'route':
      return [h.node, lang === 'zh' ? '路由' : 'routing', code(h.text), `→ ${h.iface}`, packetText(h.packet)];
    case 'encap':
      return [h.node, 'VXLAN', code(`${h.outer.src} → ${h.outer.dst} udp/${h.outer.dport} vni ${h.outer.vni}`), `→ ${h.to}`, packetText(h.packet)];
    case 'conntrack':
      return [h.node, 'conntrack', code(h.text), h.action, change(h.before, h.after)];
    case 'dns':
      return [h.node, `DNS ${h.stage}`, code(`${h.query.qname} ${h.query.qtype} @${h.query.server}`), h.query.rcode, packetText(h.packet)];
    case 'deliver':
      return [h.node, lang === 'zh' ? '送达' : 'deliver', '', `→ ${h.to}`, packetText(h.packet)];
    default:
      return ['', '', '', '', ''];
  }
}

/** The path `pathIndex` of `trace` as Markdown: a heading, the path's outcome and a table of hops. */
export function traceMarkdown(trace: Trace, pathIndex: number, lang: Lang, currentStep?: number): string {
  const L = HEAD[lang];
  const path = trace.paths[pathIndex] ?? trace.paths[0];
  if (!path) return `## ${L.title}: ${trace.from} → ${trace.to}\n`;
  const index = trace.paths.indexOf(path);
  const lines: string[] = [];
  lines.push(`## ${L.title}: ${cell(trace.from)} → ${cell(trace.to)} (${trace.proto})`, '');
  const pct = `${(path.probability * 100).toFixed(path.probability < 0.001 ? 4 : 1)}%`;
  lines.push(`${L.path.replace('{n}', String(index + 1)).replace('{total}', String(trace.paths.length))}${lang === 'zh' ? '，' : ', '}${L.probability} ${pct}`, '');
  lines.push(`| ${L.step} | ${L.node} | ${L.where} | ${L.rule} | ${L.verdict} | ${L.packet} |`);
  lines.push('|---:|---|---|---|---|---|');
  path.hops.forEach((h, i) => {
    const cols = hopColumns(h, lang).map(cell);
    const n = currentStep === i ? `**${i + 1}**` : String(i + 1);
    lines.push(`| ${n} | ${cols.join(' | ')} |`);
  });
  const f = path.final;
  lines.push('', `**${L.result}:** ${f.result} ${cell(f.at)}${f.endpoint ? ` (${cell(f.endpoint)})` : ''}${f.reason ? ` — ${cell(f.reason)}` : ''}`, '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Pictures of the cluster view

const STYLE_PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin',
  'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'visibility', 'display',
  'letter-spacing', 'paint-order',
];
const SVG_NS = 'http://www.w3.org/2000/svg';
const CAPTION_LINE = 18;
const CAPTION_FONT = 13;

/** The caption broken into lines that fit `width` (at most 3; the last one ends with … when cut). */
export function captionLines(caption: string, width: number): string[] {
  const max = Math.max(20, Math.floor((width - 24) / (CAPTION_FONT * 0.6)));
  const words = caption.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && (line + ' ' + w).length > max) { lines.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  if (lines.length > 3) { lines.length = 3; lines[2] = `${lines[2].slice(0, max - 1)}…`; }
  return lines.map((l) => (l.length > max ? `${l.slice(0, max - 1)}…` : l));
}

function captionHeight(p: Parts): number {
  return p.caption ? captionLines(p.caption, p.width).length * CAPTION_LINE + 12 : 0;
}

interface Parts { svg: SVGSVGElement; canvas: HTMLCanvasElement | null; width: number; height: number; caption: string; background: string; text: string; font: string }

function parts(stage: Element): Parts | null {
  const host = stage.querySelector('.topo-stage');
  const svg = host?.querySelector<SVGSVGElement>('svg.topo-svg');
  if (!host || !svg) return null;
  const box = host.getBoundingClientRect();
  const cs = getComputedStyle(host);
  const caption = stage.querySelector('.topo-caption')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  return {
    svg,
    canvas: host.querySelector<HTMLCanvasElement>('canvas.topo-canvas'),
    width: Math.max(1, Math.round(box.width)),
    height: Math.max(1, Math.round(box.height)),
    caption,
    background: cs.backgroundColor && cs.backgroundColor !== 'rgba(0, 0, 0, 0)' ? cs.backgroundColor : '#ffffff',
    text: cs.getPropertyValue('--text').trim() || '#1b2330',
    font: cs.fontFamily || 'sans-serif',
  };
}

/** The drawing as a standalone SVG document, styles inlined; the packet layer as an image unless `packetLayer` is false. */
function buildSvg(p: Parts, packetLayer: boolean): string {
  const clone = p.svg.cloneNode(true) as SVGSVGElement;
  const from = [p.svg, ...p.svg.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  for (let i = 0; i < from.length && i < to.length; i++) {
    const cs = getComputedStyle(from[i]);
    const style = STYLE_PROPS.map((k) => `${k}:${cs.getPropertyValue(k)}`).join(';');
    to[i].setAttribute('style', style);
    to[i].removeAttribute('class');
    to[i].removeAttribute('tabindex');
  }
  const h = p.height + captionHeight(p);
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(p.width));
  clone.setAttribute('height', String(h));
  clone.setAttribute('viewBox', `0 0 ${p.width} ${h}`);
  clone.removeAttribute('role');
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', p.background);
  clone.insertBefore(bg, clone.firstChild);
  if (packetLayer && p.canvas && p.canvas.width > 0) {
    const img = document.createElementNS(SVG_NS, 'image');
    img.setAttribute('href', p.canvas.toDataURL('image/png'));
    img.setAttribute('width', String(p.width));
    img.setAttribute('height', String(p.height));
    clone.appendChild(img);
  }
  captionLines(p.caption, p.width).forEach((line, i) => {
    const t = document.createElementNS(SVG_NS, 'text');
    t.setAttribute('x', '12');
    t.setAttribute('y', String(p.height + 4 + (i + 1) * CAPTION_LINE));
    t.setAttribute('style', `fill:${p.text};font-family:${p.font};font-size:${CAPTION_FONT}px`);
    t.textContent = line;
    clone.appendChild(t);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

/** The cluster view inside `stage` as an SVG document; null when the cluster view is not shown. */
export function stageSvg(stage: Element): string | null {
  const p = parts(stage);
  return p ? buildSvg(p, true) : null;
}

/** The cluster view inside `stage` as a PNG (`scale` × its size on screen). */
export async function stagePng(stage: Element, scale = 2): Promise<Blob | null> {
  const p = parts(stage);
  if (!p) return null;
  const svgText = buildSvg(p, false);
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise<void>((ok, fail) => { img.onload = () => ok(); img.onerror = () => fail(new Error('the drawing could not be rendered')); img.src = url; });
    const h = p.height + captionHeight(p);
    const out = document.createElement('canvas');
    out.width = Math.round(p.width * scale);
    out.height = Math.round(h * scale);
    const ctx = out.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(img, 0, 0, out.width, out.height);
    if (p.canvas && p.canvas.width > 0) ctx.drawImage(p.canvas, 0, 0, p.width * scale, p.height * scale);
    return await new Promise<Blob | null>((ok) => out.toBlob(ok, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Hands `blob` to the browser as a download named `name`. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
