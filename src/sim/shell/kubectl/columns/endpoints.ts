// printEndpoints / formatEndpoints and printEndpointSlice / formatDiscoveryPorts /
// formatDiscoveryEndpoints (kubernetes pkg/printers/internalversion).
import type { EndpointSlice, Endpoints } from '../../../api/objects';
import { translateTimestampSince } from '../duration';
import { col, type KindPrinter } from './types';

const MAX_LISTED = 3;

/** net.JoinHostPort: IPv6 literals get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The printer's formatEndpoints (ports = all): `ip:port` for every port × ready address,
 * at most 3 listed then ` + N more...`; a subset without ports lists bare IPs; `<none>` when
 * there are no subsets. Not-ready addresses are not shown.
 */
export function formatEndpointsForGet(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === MAX_LISTED) { more = true; break; }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === MAX_LISTED) { more = true; break; }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - MAX_LISTED} more...` : ret;
}

function listWithMore(list: string[], more: boolean, count: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - MAX_LISTED} more...`;
  return ret === '' ? '<unset>' : ret;
}

export function formatDiscoveryPorts(slice: EndpointSlice): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of slice.ports ?? []) {
    if (list.length < MAX_LISTED) {
      list.push(p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? p.name : '*');
    } else if (list.length === MAX_LISTED) more = true;
    count++;
  }
  return listWithMore(list, more, count);
}

/** Every address of every endpoint, ready or not. */
export function formatDiscoveryEndpoints(slice: EndpointSlice): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of slice.endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (list.length < MAX_LISTED) list.push(a);
      else if (list.length === MAX_LISTED) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count);
}

export const endpointsPrinter: KindPrinter<Endpoints> = {
  columns: [col('Name'), col('Endpoints'), col('Age')],
  row: (ep, ctx) => [ep.metadata.name, formatEndpointsForGet(ep), translateTimestampSince(ep.metadata.creationTimestamp, ctx.now)],
};

export const endpointSlicePrinter: KindPrinter<EndpointSlice> = {
  columns: [col('Name'), col('AddressType'), col('Ports'), col('Endpoints'), col('Age')],
  row: (s, ctx) => [
    s.metadata.name,
    s.addressType ?? '',
    formatDiscoveryPorts(s),
    formatDiscoveryEndpoints(s),
    translateTimestampSince(s.metadata.creationTimestamp, ctx.now),
  ],
};
