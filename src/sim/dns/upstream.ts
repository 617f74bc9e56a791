// The world outside the cluster as the nodes' resolver sees it. The simulator knows only a
// few public names (the course's); everything else is NXDOMAIN from the root, with the
// root's SOA, as a recursive resolver relays it (qr rd ra, not authoritative).
import type { DnsReply, Question, RR } from './records';

const ZONE: Record<string, { cname?: string; a?: string[]; aaaa?: string[]; ttl: number }> = {
  'www.baidu.com.': { cname: 'www.a.shifen.com.', ttl: 1200 },
  'www.a.shifen.com.': { a: ['110.242.68.3', '110.242.68.4'], ttl: 300 },
};

const ROOT_SOA: RR = { name: '.', ttl: 86400, type: 'SOA', data: 'a.root-servers.net. nstld.verisign-grs.com. 2024011500 1800 900 604800 86400' };

export function upstreamAnswer(q: Question): DnsReply {
  const type = q.type.toUpperCase();
  let name = q.name.endsWith('.') ? q.name : `${q.name}.`;
  const answer: RR[] = [];
  for (let hop = 0; hop < 8; hop++) {
    const z = ZONE[name.toLowerCase()];
    if (!z) break;
    if (z.cname) {
      answer.push({ name, ttl: z.ttl, type: 'CNAME', data: z.cname });
      if (type === 'CNAME') break;
      name = z.cname;
      continue;
    }
    const ips = type === 'A' ? z.a : type === 'AAAA' ? z.aaaa : undefined;
    for (const ip of ips ?? []) answer.push({ name, ttl: z.ttl, type, data: ip });
    return { rcode: 'NOERROR', aa: false, ra: true, answer, authority: [], additional: [] };
  }
  if (answer.length) return { rcode: 'NOERROR', aa: false, ra: true, answer, authority: [], additional: [] };
  return { rcode: 'NXDOMAIN', aa: false, ra: true, answer: [], authority: [ROOT_SOA], additional: [] };
}
