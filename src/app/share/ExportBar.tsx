// The stage bar's export buttons: the cluster view at this step as PNG or SVG, the followed
// trace as a Markdown table for slides.
import { useRef } from 'react';
import { useApp } from '../App';
import { translate, type MessageKey } from '../i18n';
import { download, stagePng, stageSvg, traceMarkdown } from './export';
import './share.css';

export function ExportBar({ view }: { view: 'cluster' | 'dataplane' }) {
  const lang = useApp((s) => s.lang);
  const trace = useApp((s) => s.trace);
  const pathIndex = useApp((s) => s.pathIndex);
  const step = useApp((s) => s.step);
  const snapshot = useApp((s) => s.snapshot);
  const ref = useRef<HTMLDivElement>(null);
  const t = (k: MessageKey) => translate(lang, k);
  const stage = () => ref.current?.closest('[data-testid="stage"]') ?? null;
  const pictures = view === 'cluster' && !!snapshot;
  const name = (ext: string) => `kubesim-${trace ? `step-${step + 1}` : 'cluster'}.${ext}`;

  const onSvg = () => {
    const el = stage();
    const svg = el && stageSvg(el);
    if (svg) download(name('svg'), new Blob([svg], { type: 'image/svg+xml' }));
  };
  const onPng = async () => {
    const el = stage();
    const png = el && (await stagePng(el));
    if (png) download(name('png'), png);
  };
  const onMarkdown = () => {
    if (!trace) return;
    download('kubesim-trace.md', new Blob([traceMarkdown(trace, pathIndex, lang, step)], { type: 'text/markdown;charset=utf-8' }));
  };

  return (
    <div className="stage-export" role="group" aria-label={t('exportLabel')} ref={ref}>
      <span className="stage-export-label" aria-hidden="true">{t('exportLabel')}</span>
      <button type="button" onClick={() => void onPng()} disabled={!pictures} title={pictures ? t('exportPngTitle') : t('exportNeedsCluster')} aria-label={`${t('exportLabel')} PNG`} data-testid="export-png">{t('exportPng')}</button>
      <button type="button" onClick={onSvg} disabled={!pictures} title={pictures ? t('exportSvgTitle') : t('exportNeedsCluster')} aria-label={`${t('exportLabel')} SVG`} data-testid="export-svg">{t('exportSvg')}</button>
      <button type="button" onClick={onMarkdown} disabled={!trace} title={trace ? t('exportMarkdownTitle') : t('exportNeedsTrace')} aria-label={`${t('exportLabel')} Markdown`} data-testid="export-markdown">{t('exportMarkdown')}</button>
    </div>
  );
}
