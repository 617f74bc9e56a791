// Presenter mode's keys and its bookmarks (stored, so read back as untrusted).
import { describe, expect, it } from 'vitest';
import { parseBookmarks, presenterKey } from '../../src/app/presenter/presenter';

const key = (k: string, shiftKey = false) => presenterKey({ key: k, shiftKey, altKey: false, ctrlKey: false, metaKey: false });

describe('presenter keys', () => {
  it('maps the keys of a talk', () => {
    expect(key('+')).toEqual({ kind: 'speed', dir: 1 });
    expect(key('-')).toEqual({ kind: 'speed', dir: -1 });
    expect(key('3')).toEqual({ kind: 'scenario', index: 2 });
    expect(key('#', true)).toEqual({ kind: 'bookmark', index: 2 });
    expect(key('b')).toEqual({ kind: 'saveBookmark' });
    expect(key('L')).toEqual({ kind: 'laser' });
    expect(key('Escape')).toEqual({ kind: 'exit' });
    expect(key('x')).toBeNull();
    expect(presenterKey({ key: '1', shiftKey: false, altKey: false, ctrlKey: true, metaKey: false })).toBeNull();
  });

  it('reads bookmarks defensively', () => {
    const b = { exampleId: 'clusterip-demoapp', loadOptions: { seed: 2 }, packet: { from: 'node/node1', to: '10.96.0.1:443' }, pathIndex: 0, step: 4 };
    expect(parseBookmarks(JSON.stringify([b]))).toEqual([b]);
    expect(parseBookmarks('not json')).toEqual([]);
    expect(parseBookmarks(JSON.stringify([{ exampleId: 3 }, b]))).toEqual([b]);
    expect(parseBookmarks('x'.repeat(30_000))).toEqual([]);
  });
});
