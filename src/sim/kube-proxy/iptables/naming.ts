// kube-proxy's chain names: prefix + the first 16 base32 characters of sha256 over the
// servicePortName and protocol (plus the endpoint for KUBE-SEP), no separators.
import { sha256Base32Prefix16 } from '../../hash/sha256';
import { flat } from '../../flat-string';
import type { ServicePortInfo, ProxyEndpoint } from '../service-ports';

export const hash16 = sha256Base32Prefix16;

export interface ServiceChains {
  svc: string;
  svl: string;
  ext: string;
  fw: string;
  xlb: string;
}

export function serviceChains(sp: ServicePortInfo): ServiceChains {
  const h = hash16(sp.spn + sp.protocol);
  return { svc: flat(`KUBE-SVC-${h}`), svl: flat(`KUBE-SVL-${h}`), ext: flat(`KUBE-EXT-${h}`), fw: flat(`KUBE-FW-${h}`), xlb: flat(`KUBE-XLB-${h}`) };
}

export function sepChain(sp: ServicePortInfo, ep: ProxyEndpoint): string {
  return flat(`KUBE-SEP-${hash16(sp.spn + sp.protocol + ep.hostPort)}`);
}
