// The shared-state codec (`#s=…` links) and the embed's message checks: a state survives the
// round trip; crafted payloads (bombs, bad JSON, wrong types, too many or badly named files,
// script-bearing fields) are refused with a reason; no input string makes the decoder throw;
// the bounded decoder agrees with lz-string's own; the Markdown export of a trace.
import fc from 'fast-check';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import {
  decodeState, decompressBounded, encodeState, LIMITS, payloadOfHash, shareUrl, TooLargeError, validateState, type SharedState,
} from '../../src/app/share/codec';
import { captureState, lessonHref } from '../../src/app/share/apply';
import { traceMarkdown } from '../../src/app/share/export';
import { parseMessage } from '../../src/app/embed/api';
import { listFiles, precacheable, serviceWorkerSource } from '../../src/sw/precache-plugin';
import { EXAMPLES, Simulation } from '../../src/sim/index';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const demo = EXAMPLES.find((e) => e.id === 'clusterip-demoapp')!;

const full: SharedState = {
  v: 1,
  files: demo.files.map((f) => ({ name: f.name, text: f.text })),
  example: demo.id,
  options: { proxyMode: 'ipvs', kubeProxyVersion: '1.23', seed: 42 },
  packet: { from: 'pod/default/client-0', to: '10.96.0.10:53', proto: 'udp', path: 1, step: 7 },
  lesson: { id: '02-clusterip', step: 3 },
};

const raw = (value: unknown) => compressToEncodedURIComponent(JSON.stringify(value));
const refusedFor = (value: unknown) => {
  const d = decodeState(raw(value));
  return d.ok ? null : d.reason;
};

describe('shared state: round trip', () => {
  it('a full state comes back exactly', () => {
    const d = decodeState(encodeState(full));
    expect(d).toEqual({ ok: true, state: full });
  });

  it('the smallest state (one file) too, and unknown fields are dropped', () => {
    const d = decodeState(raw({ v: 1, files: [{ name: 'a.yaml', text: 'kind: Service\n' }], extra: { x: 1 } }));
    expect(d).toEqual({ ok: true, state: { v: 1, files: [{ name: 'a.yaml', text: 'kind: Service\n' }] } });
  });

  it('Chinese text, emoji and every ASCII control character survive', () => {
    const text = `# 中文注释 🚀\n${Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')}\u2028\uFFFF`;
    const d = decodeState(encodeState({ v: 1, files: [{ name: 'zh.yaml', text }] }));
    expect(d.ok && d.state.files[0].text).toBe(text);
  });

  it('the link: the fragment carries the state, the query keeps lang but loses lesson/step', () => {
    const url = shareUrl('http://127.0.0.1:4173/course/kubesim/?lang=zh-CN&lesson=02-clusterip&step=4#old', full);
    const u = new URL(url);
    expect(u.pathname).toBe('/course/kubesim/');
    expect(u.searchParams.get('lang')).toBe('zh-CN');
    expect(u.searchParams.has('lesson')).toBe(false);
    expect(u.hash.startsWith('#s=')).toBe(true);
    expect(decodeState(payloadOfHash(u.hash)!)).toEqual({ ok: true, state: full });
    expect(payloadOfHash('#x=1&s=abc')).toBe('abc');
    expect(payloadOfHash('#nothing')).toBeNull();
    expect(payloadOfHash('')).toBeNull();
  });

  it('capture: the store\'s state and the address\'s lesson become a SharedState; lessonHref puts the lesson back', () => {
    const s = captureState({
      files: full.files, exampleId: demo.id, loadOptions: { proxyMode: 'ipvs', kubeProxyVersion: '1.23', seed: 42 },
      packet: { from: 'pod/default/client-0', to: '10.96.0.10:53', proto: 'udp' }, pathIndex: 1, step: 7,
    }, '?lesson=02-clusterip&step=4&lang=en');
    expect(s).toEqual(full);
    const bare = captureState({ files: full.files, exampleId: null, loadOptions: {}, packet: null, pathIndex: 0, step: 0 }, '');
    expect(bare).toEqual({ v: 1, files: full.files });
    expect(lessonHref('http://h/p/?lang=en#s=x', { id: '02-clusterip', step: 3 })).toBe('http://h/p/?lang=en&lesson=02-clusterip&step=4');
    expect(lessonHref('http://h/p/?lesson=01-why-services&step=2', undefined)).toBe('http://h/p/');
  });
});

describe('shared state: refused', () => {
  it('empty, damaged and non-JSON payloads', () => {
    expect(decodeState('')).toMatchObject({ ok: false, reason: 'empty' });
    expect(decodeState('%%%not-base64%%%')).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(decodeState(encodeState(full).slice(0, 40))).toMatchObject({ ok: false });
    expect(decodeState(compressToEncodedURIComponent('{"v":1,'))).toMatchObject({ ok: false, reason: 'notJson' });
    expect(decodeState(compressToEncodedURIComponent('alert(1)'))).toMatchObject({ ok: false, reason: 'notJson' });
  });

  it('the wrong version or shape', () => {
    expect(refusedFor({ ...full, v: 2 })).toBe('version');
    expect(refusedFor([full])).toBe('schema');
    expect(refusedFor(null)).toBe('schema');
    expect(refusedFor({ v: 1 })).toBe('schema');
    expect(refusedFor({ v: 1, files: [] })).toBe('schema');
    expect(refusedFor({ v: 1, files: 'a.yaml' })).toBe('schema');
    expect(refusedFor({ v: 1, files: [{ name: 'a.yaml', text: 5 }] })).toBe('schema');
    expect(refusedFor({ v: 1, files: [{ name: 'a.yaml', text: '' }, { name: 'a.yaml', text: '' }] })).toBe('schema');
    expect(refusedFor({ ...full, options: { proxyMode: 'userspace' } })).toBe('schema');
    expect(refusedFor({ ...full, options: { kubeProxyVersion: '1.31; rm -rf /' } })).toBe('schema');
    expect(refusedFor({ ...full, options: { seed: 1.5 } })).toBe('schema');
    expect(refusedFor({ ...full, options: { seed: -1 } })).toBe('schema');
    expect(refusedFor({ ...full, packet: { ...full.packet, step: -1 } })).toBe('schema');
    expect(refusedFor({ ...full, packet: { ...full.packet, path: 'x' } })).toBe('schema');
    expect(refusedFor({ ...full, packet: { ...full.packet, from: 'javascript:alert(1)' } })).toBe('schema');
    expect(refusedFor({ ...full, packet: { ...full.packet, to: '<img src=x onerror=alert(1)>:80' } })).toBe('schema');
    expect(refusedFor({ ...full, packet: { ...full.packet, proto: 'sctp' } })).toBe('schema');
    expect(refusedFor({ ...full, example: '<script>' })).toBe('schema');
    expect(refusedFor({ ...full, lesson: { id: '../../etc/passwd', step: 0 } })).toBe('schema');
    expect(refusedFor({ ...full, lesson: { id: '02-clusterip', step: 1e9 } })).toBe('schema');
  });

  it('file names other than ^[\\w.-]{1,100}$', () => {
    for (const name of ['<script>alert(1)</script>.yaml', '../evil.yaml', 'a/b.yaml', '', ' a.yaml', 'a'.repeat(101), '..', 'x"onerror="alert(1).yaml', 'ü.yaml']) {
      expect(refusedFor({ v: 1, files: [{ name, text: 'a: 1' }] }), name).toBe('fileName');
    }
    expect(refusedFor({ v: 1, files: [{ name: 'a'.repeat(100), text: '' }] })).toBeNull();
  });

  it('more than 50 files', () => {
    const files = Array.from({ length: 51 }, (_, i) => ({ name: `f${i}.yaml`, text: 'a: 1\n' }));
    expect(refusedFor({ v: 1, files })).toBe('tooManyFiles');
    expect(refusedFor({ v: 1, files: files.slice(0, 50) })).toBeNull();
  });

  it('more than 2 MB decompressed — including a compression bomb (a few KB that expand past the limit)', () => {
    // Just over the limit, plainly.
    const big = 'apiVersion: v1\n'.repeat(Math.ceil(LIMITS.maxJsonChars / 15) + 10);
    expect(refusedFor({ v: 1, files: [{ name: 'big.yaml', text: big }] })).toBe('tooLarge');
    // A compression bomb: 2.1 M characters of one letter compress to a few kilobytes (and
    // each further kilobyte of such a link would add megabytes).
    const bomb = compressToEncodedURIComponent('a'.repeat(2_100_000));
    expect(bomb.length).toBeLessThan(10_000);
    const t0 = Date.now();
    expect(decodeState(bomb)).toMatchObject({ ok: false, reason: 'tooLarge' });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(() => decompressBounded(bomb, 1000)).toThrow(TooLargeError);
    // An over-long link is refused before it is decompressed at all.
    expect(decodeState('A'.repeat(LIMITS.maxPayloadChars + 1))).toMatchObject({ ok: false, reason: 'tooLarge' });
  });

  it('script-bearing YAML is accepted as text only: it is data, never code', () => {
    const text = 'metadata:\n  name: "<script>alert(1)</script>"\n  annotations:\n    x: "<img src=x onerror=alert(1)>"\n';
    const d = decodeState(raw({ v: 1, files: [{ name: 'x.yaml', text }] }));
    expect(d.ok && d.state.files[0].text).toBe(text);
  });

  it('__proto__ keys do not pollute anything', () => {
    const payload = compressToEncodedURIComponent('{"v":1,"files":[{"name":"a.yaml","text":"","__proto__":{"polluted":1}}],"__proto__":{"polluted":1},"options":{"__proto__":{"seed":3}}}');
    const d = decodeState(payload);
    expect(d.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (d.ok) {
      expect(Object.getPrototypeOf(d.state)).toBe(Object.prototype);
      expect(d.state.options).toEqual({});
      expect(Object.keys(d.state.files[0])).toEqual(['name', 'text']);
    }
  });
});

describe('shared state: properties', () => {
  it('no input string crashes the decoder', () => {
    const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$ '];
    fc.assert(fc.property(
      fc.oneof(
        fc.string({ maxLength: 400 }),
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 2_000 }),
        // Valid compressed data with a few characters changed.
        fc.tuple(fc.jsonValue(), fc.nat(), fc.constantFrom(...alphabet)).map(([v, i, c]) => {
          const s = compressToEncodedURIComponent(JSON.stringify(v) ?? 'null');
          const k = i % Math.max(1, s.length);
          return s.slice(0, k) + c + s.slice(k + 1);
        }),
      ),
      (input) => {
        const d = decodeState(input);
        expect(typeof d.ok).toBe('boolean');
        if (!d.ok) expect(typeof d.reason).toBe('string');
      },
    ), { numRuns: 600 });
  });

  it('any JSON value is refused or yields a state that passes the schema again', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.record({ v: fc.constant(1), files: fc.array(fc.record({ name: fc.string(), text: fc.string() }), { maxLength: 4 }) }, { requiredKeys: ['v'] })), (value) => {
      const d = decodeState(raw(value));
      if (d.ok) expect(validateState(JSON.parse(JSON.stringify(d.state)))).toEqual(d);
    }), { numRuns: 400 });
  });

  it('the bounded decoder gives exactly what lz-string gives', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 3_000 }), fc.string({ unit: 'grapheme', maxLength: 500 }), fc.string({ unit: 'binary', maxLength: 500 })), (text) => {
      const packed = compressToEncodedURIComponent(text);
      expect(decompressBounded(packed, 1e7)).toBe(decompressFromEncodedURIComponent(packed));
      expect(decompressBounded(packed, 1e7)).toBe(text);
    }), { numRuns: 300 });
    const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$'];
    // On junk, whatever the bounded decoder reads is what lz-string reads (lz-string also
    // "reads" some junk the bounded one refuses: a first code of 3, which it turns into garbage
    // or a TypeError).
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 60 }), (junk) => {
      const mine = decompressBounded(junk, 1e7);
      if (mine !== null) expect(mine).toBe(decompressFromEncodedURIComponent(junk));
    }), { numRuns: 500 });
  });
});

describe('embed messages', () => {
  it('ignores what is not KubeSim\'s, and unknown types', () => {
    for (const data of [null, 'load', 42, [], { type: 'load' }, { kubesim: 1, type: 'eval', code: 'alert(1)' }, { kubesim: 1 }, { kubesim: 1, type: 'constructor' }]) {
      expect(parseMessage(data).kind, JSON.stringify(data)).toBe('ignore');
    }
  });

  it('refuses another protocol version and bad fields', () => {
    expect(parseMessage({ kubesim: 2, type: 'load', files: [] })).toMatchObject({ kind: 'refuse', reason: 'version' });
    expect(parseMessage({ kubesim: '1', type: 'step', step: 1 })).toMatchObject({ kind: 'refuse', reason: 'version' });
    expect(parseMessage({ kubesim: 1, type: 'load', files: [{ name: '../x', text: '' }] })).toMatchObject({ kind: 'refuse', reason: 'fileName' });
    expect(parseMessage({ kubesim: 1, type: 'load', files: Array.from({ length: 51 }, (_, i) => ({ name: `a${i}`, text: '' })) })).toMatchObject({ kind: 'refuse', reason: 'tooManyFiles' });
    expect(parseMessage({ kubesim: 1, type: 'load', files: [{ name: 'a', text: 'x'.repeat(LIMITS.maxJsonChars + 1) }] })).toMatchObject({ kind: 'refuse', reason: 'tooLarge' });
    expect(parseMessage({ kubesim: 1, type: 'load', files: [{ name: 'a', text: '' }], options: { proxyMode: 'eval' } })).toMatchObject({ kind: 'refuse', reason: 'schema' });
    expect(parseMessage({ kubesim: 1, type: 'trace', from: 'pod/default/a', to: 'x' })).toMatchObject({ kind: 'refuse', reason: 'schema' });
    expect(parseMessage({ kubesim: 1, type: 'trace', from: { toString: 'x' }, to: '1.2.3.4:80' })).toMatchObject({ kind: 'refuse' });
    expect(parseMessage({ kubesim: 1, type: 'step', step: 1.5 })).toMatchObject({ kind: 'refuse' });
    expect(parseMessage({ kubesim: 1, type: 'step', step: '3' })).toMatchObject({ kind: 'refuse' });
  });

  it('accepts the documented messages', () => {
    expect(parseMessage({ kubesim: 1, type: 'load', files: [{ name: 'app.yaml', text: 'a: 1' }], options: { seed: 3 } }))
      .toEqual({ kind: 'request', request: { type: 'load', files: [{ name: 'app.yaml', text: 'a: 1' }], options: { seed: 3 } } });
    expect(parseMessage({ kubesim: 1, type: 'trace', from: 'external/203.0.113.10', to: 'demoapp-svc:80' }))
      .toEqual({ kind: 'request', request: { type: 'trace', from: 'external/203.0.113.10', to: 'demoapp-svc:80' } });
    expect(parseMessage({ kubesim: 1, type: 'trace', from: 'node/node1', to: '10.96.0.10:53', proto: 'udp' }))
      .toEqual({ kind: 'request', request: { type: 'trace', from: 'node/node1', to: '10.96.0.10:53', proto: 'udp' } });
    expect(parseMessage({ kubesim: 1, type: 'step', step: 4 })).toEqual({ kind: 'request', request: { type: 'step', step: 4 } });
  });

  it('no message crashes the check', () => {
    fc.assert(fc.property(fc.anything(), fc.constantFrom('load', 'trace', 'step', 'x'), (junk, type) => {
      for (const data of [junk, { kubesim: 1, type, files: junk, from: junk, to: junk, step: junk, options: junk }]) {
        expect(['ignore', 'refuse', 'request']).toContain(parseMessage(data).kind);
      }
    }), { numRuns: 300 });
  });
});

describe('export: the trace as Markdown', () => {
  it('one table row per hop, with the hook/chain, rule, verdict and packet before → after', () => {
    const sim = Simulation.load(demo.files);
    const snap = sim.snapshot();
    const pod = snap.pods.find((p) => p.metadata.name.startsWith('demoapp'))!;
    const ip = snap.services.find((s) => s.metadata.name === 'demoapp-svc')!.spec!.clusterIP!;
    const t = sim.trace({ from: `pod/default/${pod.metadata.name}`, to: `${ip}:80`, allPaths: true });
    if ('error' in t) throw new Error(t.error);
    const md = traceMarkdown(t, 1, 'en', 2);
    const rows = md.split('\n').filter((l) => /^\| (\*\*)?\d/.test(l));
    expect(rows).toHaveLength(t.paths[1].hops.length);
    expect(md).toContain('| step | node | hook / chain | rule | verdict | packet before → after |');
    expect(md).toContain(`Path 2 of ${t.paths.length}`);
    expect(rows[2].startsWith('| **3** |')).toBe(true);
    const dnat = rows.find((r) => r.includes('-j DNAT'))!;
    expect(dnat).toMatch(/PREROUTING|OUTPUT/);
    expect(dnat).toContain('ACCEPT');
    expect(dnat).toMatch(new RegExp(`→ ${ip.replace(/\./g, '\\.')}:80 ⇒ .* → 10\\.244\\.`));
    // Every row has the same number of cells (no unescaped | inside a rule).
    for (const r of rows) expect(r.split(/(?<!\\)\|/).length).toBe(8);
    expect(traceMarkdown(t, 0, 'zh')).toContain('| 步骤 | 节点 |');
  });
});

describe('offline: the precache list', () => {
  it('lists every built file but the worker itself and source maps, and fills the template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-sw-'));
    try {
      mkdirSync(join(dir, 'assets'));
      for (const f of ['index.html', 'sw.js', 'assets/a-1.js', 'assets/a-1.js.map', 'assets/b.css']) writeFileSync(join(dir, f), f);
      const files = listFiles(dir).filter(precacheable);
      expect(files).toEqual(['assets/a-1.js', 'assets/b.css', 'index.html']);
      const template = readFileSync(join(__dirname, '../../src/sw/sw.template.js'), 'utf8');
      const sw = serviceWorkerSource(template, files, 'abc');
      expect(sw).toContain('const BUILD = "abc";');
      expect(sw).toContain('const FILES = ["assets/a-1.js","assets/b.css","index.html"];');
      expect(sw).not.toMatch(/https?:\/\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
