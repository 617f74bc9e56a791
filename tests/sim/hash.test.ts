import { describe, expect, it } from 'vitest';
import { base32, sha256, sha256Base32Prefix16 } from '../../src/sim/hash/sha256';
import { createHash } from 'node:crypto';

const hash16 = (s: string) => base32(sha256(s)).slice(0, 16);

describe('kube-proxy chain hash', () => {
  it('matches node:crypto on assorted input', () => {
    for (const s of ['', 'abc', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), '你好 wörld', 'a'.repeat(1000)]) {
      expect(Buffer.from(sha256(s)).toString('hex')).toBe(createHash('sha256').update(s).digest('hex'));
    }
  });

  it('the reused-buffer digest and the 80-bit name prefix agree with node:crypto on 3,000 strings', () => {
    for (let n = 0; n < 3000; n++) {
      let s = '';
      for (let i = 0; i < n % 200; i++) s += String.fromCharCode(32 + ((n * 7 + i * 13) % 95));
      if (n % 50 === 0) s += 'é漢';
      const want = createHash('sha256').update(s).digest();
      expect(Buffer.from(sha256(s)).toString('hex')).toBe(want.toString('hex'));
      expect(sha256Base32Prefix16(s)).toBe(base32(new Uint8Array(want)).slice(0, 16));
    }
  });

  it('reproduces chain names known from kube-proxy tests and real clusters', () => {
    const known: [string, string][] = [
      ['default/kubernetes:httpstcp', 'NPX46M4PTMTKRN6Y'], ['kube-system/kube-dns:dnsudp', 'TCOU7JCQXEZGVUNU'],
      ['kube-system/kube-dns:dns-tcptcp', 'ERIFXISQEP7F7OF4'], ['kube-system/kube-dns:metricstcp', 'JD5MR3NA4I4DYORP'],
      ['default/webtcp', 'LOLE4ISW44XBNF3G'], ['default/webtcp10.244.2.7:80', '4OIMBIYGK4QJUGT7'],
      ['ns1/svc1:p80tcp', 'XPGD46QRK7WJZT7O'], ['ns2/svc2:p80tcp', 'GNZBNJ2PO5MGZ6GT'], ['ns3/svc3:p80tcp', 'X27LE4BHSL4DOUIK'],
      ['ns4/svc4:p80tcp', '4SW47YFZTEDKD3PK'], ['ns5/svc5:p80tcp', 'NUKIZ6OKUXPJNT4C'], ['ns1/svc1:p80tcp10.180.0.1:80', 'SXIVWICOYRO3J4NJ'],
    ];
    for (const [input, name] of known) expect(hash16(input)).toBe(name);
  });
});
