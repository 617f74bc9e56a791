// kube-proxy's chain names: prefix + the first 16 base32 characters of sha256 over the
// servicePortName and protocol (plus the endpoint for KUBE-SEP), no separators.
import { base32, sha256 } from '../../hash/sha256';
import type { ServicePortInfo, ProxyEndpoint } from '../service-ports';

const cache = new Map<string, string>();

export function hash16(s: string): string {
  let h = cache.get(s);
  if (h === undefined) { h = base32(sha256(s)).slice(0, 16); cache.set(s, h); }
  return h;
}

export interface ServiceChains {
  svc: string;
  svl: string;
  ext: string;
  fw: string;
  xlb: string;
}

export function serviceChains(sp: ServicePortInfo): ServiceChains {
  const h = hash16(sp.spn + sp.protocol);
  return { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}`, xlb: `KUBE-XLB-${h}` };
}

export function sepChain(sp: ServicePortInfo, ep: ProxyEndpoint): string {
  return `KUBE-SEP-${hash16(sp.spn + sp.protocol + ep.hostPort)}`;
}
