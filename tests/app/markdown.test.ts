// The lesson Markdown renderer: no HTML gets through, links only to safe addresses, Chinese
// lines join without stray spaces.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown, joinLines, safeHref } from '../../src/app/lessons/markdown';

const html = (md: string) => renderToStaticMarkup(Markdown({ text: md }));

describe('lesson Markdown', () => {
  it('renders paragraphs, lists, code, emphasis and links', () => {
    const out = html('Hello **world** and `kubectl`.\n\n- one\n- two\n\n```console\n$ ls\n```\n\n[docs](https://kubernetes.io)');
    expect(out).toContain('<strong>world</strong>');
    expect(out).toContain('<code>kubectl</code>');
    expect(out).toContain('<li>one</li>');
    expect(out).toContain('$ ls');
    expect(out).toContain('href="https://kubernetes.io"');
  });

  it('never lets HTML or script URLs through', () => {
    const out = html('<img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](data:text/html,hi) <script>alert(1)</script>');
    expect(out).not.toMatch(/<img|<script|href="javascript|href="data/);
    expect(out).toContain('&lt;img');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JavaScript:alert(1)')).toBeNull();
    expect(safeHref('../02-clusterip/')).toBe('../02-clusterip/');
  });

  it('joins Chinese lines without a space, other lines with one', () => {
    expect(joinLines(['一个 Service', '的 ClusterIP'])).toBe('一个 Service的 ClusterIP');
    expect(joinLines(['中文', '继续'])).toBe('中文继续');
    expect(joinLines(['one', 'two'])).toBe('one two');
  });
});
