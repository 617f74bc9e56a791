// kube-proxy's nftables object names (pkg/proxy/nftables/proxier.go hashAndTruncate):
// `<prefix><HASH8>-<ns>/<svc>/<proto>/<portName>` for a Service port's chains and
// `…__<epIP>/<epPort>` for an endpoint's chain and affinity set, HASH8 being the first 8
// base32 characters of sha256 over everything after the dash. Unlike the iptables names, the
// hash input has `/` separators and the protocol comes before the port name.
import { sha256Base32Prefix16 } from '../../hash/sha256';
import { flat } from '../../flat-string';
import type { ProxyEndpoint, ServicePortInfo } from '../service-ports';

/** knftables.NameLengthMax (256) minus the longest prefix kube-proxy reserves (16). */
const BASE_MAX = 256 - 16;

export function hashAndTruncate(name: string): string {
  const h = sha256Base32Prefix16(name).slice(0, 8);
  const s = `${h}-${name}`;
  return s.length > BASE_MAX ? `${s.slice(0, BASE_MAX - 3)}...` : s;
}

/** `ULMVA6XW-ns1/svc1/tcp/p80` */
export function servicePortBase(sp: Pick<ServicePortInfo, 'namespace' | 'name' | 'protocol' | 'portName'>): string {
  return hashAndTruncate(`${sp.namespace}/${sp.name}/${sp.protocol}/${sp.portName}`);
}

/** `5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80` (IPv6 colons become dots). */
export function endpointBase(sp: Pick<ServicePortInfo, 'namespace' | 'name' | 'protocol' | 'portName'>, ep: Pick<ProxyEndpoint, 'ip' | 'port'>): string {
  return hashAndTruncate(`${sp.namespace}/${sp.name}/${sp.protocol}/${sp.portName}__${ep.ip.replace(/:/g, '.')}/${ep.port}`);
}

export interface NftServiceChains {
  /** Cluster traffic policy chain. */
  service: string;
  /** Local traffic policy chain. */
  local: string;
  external: string;
  firewall: string;
}

export function nftServiceChains(sp: ServicePortInfo): NftServiceChains {
  const b = servicePortBase(sp);
  return { service: flat(`service-${b}`), local: flat(`local-${b}`), external: flat(`external-${b}`), firewall: flat(`firewall-${b}`) };
}

export function nftEndpointChain(sp: ServicePortInfo, ep: ProxyEndpoint): { chain: string; affinity: string } {
  const b = endpointBase(sp, ep);
  return { chain: flat(`endpoint-${b}`), affinity: flat(`affinity-${b}`) };
}
