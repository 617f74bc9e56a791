// Validation of hand-written Endpoints and EndpointSlices (the "Service without a selector" lesson).
import type { EndpointSlice, Endpoints } from '../objects';
import { type FieldError, invalid, required, unsupported } from '../errors';
import { isIPv4 } from '../ipnet';
import { portName } from '../validation/names';

const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const at = ['subsets', i];
    for (const field of ['addresses', 'notReadyAddresses'] as const) {
      (ss[field] ?? []).forEach((a, j) => {
        if (!a.ip) errs.push(required([...at, field, j, 'ip']));
        else if (!isIPv4(a.ip)) errs.push(invalid([...at, field, j, 'ip'], a.ip, IP_MSG, '必须是合法的 IP 地址'));
      });
    }
    (ss.ports ?? []).forEach((p, j) => {
      if (!(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) errs.push(invalid([...at, 'ports', j, 'port'], p.port ?? 0, 'must be between 1 and 65535, inclusive'));
      if (p.name) for (const m of portName(p.name)) errs.push(invalid([...at, 'ports', j, 'name'], p.name, m));
      if (p.protocol && !['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(unsupported([...at, 'ports', j, 'protocol'], p.protocol, ['SCTP', 'TCP', 'UDP']));
      p.protocol ??= 'TCP';
    });
  });
  return errs;
}

export function validateEndpointSlice(s: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.addressType) errs.push(required(['addressType']));
  else if (!['IPv4', 'IPv6', 'FQDN'].includes(s.addressType)) errs.push(unsupported(['addressType'], s.addressType, ['FQDN', 'IPv4', 'IPv6']));
  (s.endpoints ?? []).forEach((e, i) => {
    if (!e.addresses || e.addresses.length === 0) errs.push(required(['endpoints', i, 'addresses']));
    (e.addresses ?? []).forEach((a, j) => {
      if (s.addressType === 'IPv4' && !isIPv4(a)) errs.push(invalid(['endpoints', i, 'addresses', j], a, IP_MSG));
    });
  });
  (s.ports ?? []).forEach((p, j) => {
    if (p.port !== undefined && !(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) errs.push(invalid(['ports', j, 'port'], p.port, 'must be between 1 and 65535, inclusive'));
    p.protocol ??= 'TCP';
    p.name ??= '';
  });
  return errs;
}
