import { describe, expect, it } from 'vitest';
import { parseYamlFiles } from '../../src/sim/yaml/load';

describe('YAML loader', () => {
  it('keeps every document with its file, line and column', () => {
    const text = '# header\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n\n---\n  apiVersion: v1\n  kind: Pod\n';
    const r = parseYamlFiles([{ name: 'a.yaml', text }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.docs.map((d) => [d.index, d.pos.line, d.pos.column])).toEqual([[0, 3, 1], [2, 10, 3]]);
  });

  it('locates fields, including sequences written flush with their key', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-service\nspec:\n  ports:\n  - port: 80\n    targetPort: 80\n  - name: b\n    nodePort: 40000\n';
    const [doc] = parseYamlFiles([{ name: 's.yaml', text }]).docs;
    expect(doc.locate(['spec', 'ports', 1, 'nodePort'])).toEqual({ file: 's.yaml', line: 10, column: 5 });
    expect(doc.locate(['spec', 'ports', 0, 'targetPort'])).toEqual({ file: 's.yaml', line: 8, column: 5 });
    expect(doc.locate(['metadata', 'name'])).toEqual({ file: 's.yaml', line: 4, column: 3 });
    // A field that is not written falls back to its nearest written ancestor.
    expect(doc.locate(['spec', 'clusterIP'])).toEqual({ file: 's.yaml', line: 5, column: 1 });
  });

  it('reports a syntax error at its line and keeps the other documents', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: bad\n spec: {}\n';
    const r = parseYamlFiles([{ name: 'b.yaml', text }]);
    expect(r.docs).toHaveLength(1);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'yaml.syntax', file: 'b.yaml', line: 10 });
    expect(r.diagnostics[0].message.zh).toContain('缩进');
  });

  it('refuses duplicate keys with their position', () => {
    const r = parseYamlFiles([{ name: 'd.yaml', text: 'kind: Service\nkind: Pod\n' }]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml.syntax', line: 2, column: 1 });
  });

  it('refuses an alias bomb quickly, without expanding it', () => {
    let text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
    const t = performance.now();
    const r = parseYamlFiles([{ name: 'bomb.yaml', text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n${text.replace(/^/gm, '  ').trimEnd()}\n` }]);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(r.docs).toHaveLength(0);
    expect(r.diagnostics[0].code).toBe('yaml.excessive-aliasing');
  });

  it('expands small, harmless aliases into plain trees', () => {
    const r = parseYamlFiles([{ name: 'a.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: &l {app: web}\n  annotations: *l\n' }]);
    const v = r.docs[0].value as { metadata: { labels: object; annotations: object } };
    expect(v.metadata.annotations).toEqual({ app: 'web' });
    expect(v.metadata.annotations).not.toBe(v.metadata.labels);
  });

  it('refuses a 100 MB paste at once, with a located message', () => {
    const text = 'x'.repeat(100 * 1024 * 1024);
    const t = performance.now();
    const r = parseYamlFiles([{ name: 'huge.yaml', text }]);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'yaml.too-large', file: 'huge.yaml', line: 1, column: 1 });
  });

  it('says when a document is not an object', () => {
    const r = parseYamlFiles([{ name: 'l.yaml', text: '- a\n- b\n' }]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml.not-an-object', line: 1 });
  });

  it('keeps timestamps as strings, as the API server does', () => {
    const r = parseYamlFiles([{ name: 't.yaml', text: 'kind: Pod\nmetadata:\n  creationTimestamp: 2024-01-02T03:04:05Z\n' }]);
    expect((r.docs[0].value as { metadata: { creationTimestamp: unknown } }).metadata.creationTimestamp).toBe('2024-01-02T03:04:05Z');
  });
});
