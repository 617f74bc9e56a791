// The order of ports inside an Endpoints subset. The controller sorts them by the md5 of
// go-spew's printing of each v1.EndpointPort (SortSubsets → portsByHash), so a Service
// with ports http/80, https/443, metrics/9090 lists metrics, https, http. Reproduced here
// byte for byte (checked against Go-computed digests).
import type { EndpointPort } from 'kubernetes-types/core/v1';
import { md5Hex } from '../hash/md5';

/** go-spew `%#v` with the ConfigState Kubernetes uses for hashing. */
export function spewEndpointPort(p: EndpointPort): string {
  const app = p.appProtocol === undefined ? '<nil>' : p.appProtocol;
  return `(v1.EndpointPort){Name:(string)${p.name ?? ''} Port:(int32)${p.port} Protocol:(v1.Protocol)${p.protocol ?? 'TCP'} AppProtocol:(*string)${app}}`;
}

const digests = new Map<string, string>();

function digest(p: EndpointPort): string {
  const s = spewEndpointPort(p);
  let d = digests.get(s);
  if (d === undefined) { d = md5Hex(s); digests.set(s, d); }
  return d;
}

export function sortEndpointPorts(ports: EndpointPort[]): EndpointPort[] {
  if (ports.length < 2) return ports;
  return ports
    .map((p) => ({ p, h: digest(p) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
    .map((x) => x.p);
}
