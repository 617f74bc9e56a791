// The world outside the cluster as the nodes' resolvers see it: whatever upstream address a
// node's resolv.conf names (192.168.122.1, 233.5.5.5, 114.114.114.114, …) is a recursive
// resolver that answers the same way (qr rd ra, not authoritative). The simulator is offline,
// so this world is small and illustrative; it knows only these names:
//
//   www.baidu.com.     CNAME www.a.shifen.com.                 (TTL 1200)
//   www.a.shifen.com.  A 110.242.68.3, 110.242.68.4            (TTL 300)
//   baidu.com.         A 110.242.68.66, 39.156.66.10           (TTL 600)
//
// Anything else is NXDOMAIN with the root's SOA; a name that exists without the asked type
// is NODATA with its zone's SOA. To make more names resolve from inside the cluster, list
// them in the Corefile's hosts plugin (ConfigMap kube-system/coredns), as on a real cluster:
//
//   hosts {
//      10.0.0.5 db.example.com
//      fallthrough
//   }
import type { DnsReply, Question, RR } from './records';

interface Entry { cname?: string; a?: string[]; aaaa?: string[]; ttl: number; zone: string }

const ZONE: Record<string, Entry> = {
  'www.baidu.com.': { cname: 'www.a.shifen.com.', ttl: 1200, zone: 'baidu.com.' },
  'www.a.shifen.com.': { a: ['110.242.68.3', '110.242.68.4'], ttl: 300, zone: 'a.shifen.com.' },
  'baidu.com.': { a: ['110.242.68.66', '39.156.66.10'], ttl: 600, zone: 'baidu.com.' },
};

const SOAS: Record<string, RR> = {
  'baidu.com.': { name: 'baidu.com.', ttl: 7200, type: 'SOA', data: 'dns.baidu.com. sa.baidu.com. 2012145943 300 300 2592000 7200' },
  'a.shifen.com.': { name: 'a.shifen.com.', ttl: 600, type: 'SOA', data: 'ns1.a.shifen.com. baidu_dns_master.baidu.com. 2401220011 5 5 2592000 3600' },
};

const ROOT_SOA: RR = { name: '.', ttl: 86400, type: 'SOA', data: 'a.root-servers.net. nstld.verisign-grs.com. 2024011500 1800 900 604800 86400' };

/** The names the outside world knows (for documentation and tests). */
export const UPSTREAM_NAMES = Object.keys(ZONE);

export function upstreamAnswer(q: Question): DnsReply {
  const type = q.type.toUpperCase();
  let name = q.name.endsWith('.') ? q.name : `${q.name}.`;
  const answer: RR[] = [];
  const ok = (authority: RR[] = []): DnsReply => ({ rcode: 'NOERROR', aa: false, ra: true, answer, authority, additional: [] });
  for (let hop = 0; hop < 8; hop++) {
    const z = ZONE[name.toLowerCase()];
    if (!z) break;
    if (z.cname) {
      answer.push({ name, ttl: z.ttl, type: 'CNAME', data: z.cname });
      if (type === 'CNAME') return ok();
      name = z.cname;
      continue;
    }
    const ips = type === 'A' ? z.a : type === 'AAAA' ? z.aaaa : undefined;
    for (const ip of ips ?? []) answer.push({ name, ttl: z.ttl, type, data: ip });
    return ips?.length ? ok() : ok([SOAS[z.zone] ?? ROOT_SOA]);
  }
  if (answer.length) return ok();
  return { rcode: 'NXDOMAIN', aa: false, ra: true, answer: [], authority: [ROOT_SOA], additional: [] };
}
