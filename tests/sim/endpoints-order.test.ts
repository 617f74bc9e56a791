// Endpoints port order: md5 over go-spew's printing, digests computed with Go.
import { describe, expect, it } from 'vitest';
import { md5Hex } from '../../src/sim/hash/md5';
import { sortEndpointPorts, spewEndpointPort } from '../../src/sim/controllers/port-order';

describe('Endpoints port ordering', () => {
  it('prints ports the way go-spew does and hashes them like Go', () => {
    const cases: [Parameters<typeof spewEndpointPort>[0], string][] = [
      [{ name: 'http', port: 80, protocol: 'TCP' }, 'a0afc9289a5b862f31961966cd661a6e'],
      [{ name: 'https', port: 443, protocol: 'TCP' }, '9b812254c483d72210c747708df106ac'],
      [{ name: 'metrics', port: 9090, protocol: 'TCP' }, '7f2b2ed5c291d262b380780a26a35733'],
      [{ port: 8080, protocol: 'TCP' }, 'ca90e29ee3665e5029fabda7c226b84c'],
      [{ name: 'web', port: 8080, protocol: 'TCP', appProtocol: 'http' }, 'baee158efb18a50256515484dfb00b4f'],
    ];
    for (const [port, digest] of cases) expect(md5Hex(spewEndpointPort(port))).toBe(digest);
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    // Multi-block input and non-ASCII text (digests from node:crypto).
    expect(md5Hex('héllo wörld 你好')).toBe('18ca2723bed6c4ed02507e8471388168');
    expect(md5Hex('The quick brown fox jumps over the lazy dog'.repeat(3))).toBe('4e67db4a7a406b0cfdadd887cde7888e');
  });

  it('sorts http/80, https/443, metrics/9090 as metrics, https, http', () => {
    const sorted = sortEndpointPorts([{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }]);
    expect(sorted.map((p) => p.name)).toEqual(['metrics', 'https', 'http']);
  });
});
