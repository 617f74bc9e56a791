// The Service registry's allocators: a ClusterIP from the service subnet and NodePorts from
// the node-port range, honouring values the learner wrote and refusing taken or
// out-of-range ones with the API server's messages. Random choices come from a stream
// keyed by the Service's name, so editing one Service never moves another's IP or port.
import type { Service } from '../objects';
import type { ObjectStore } from '../store';
import type { ClusterConfig } from '../../cluster/config';
import { type FieldError, invalid } from '../errors';
import { type Cidr, cidrContains, formatIPv4, parseCidr, parseIPv4 } from '../ipnet';
import { deriveRng } from '../../rng';

export interface AllocationResult {
  errors: FieldError[];
  /** Undo what was allocated (used when later validation fails). */
  release(): void;
}

/** KEP-3070: addresses below this offset are left for static assignment first. */
export function clusterIPStaticBand(size: number): number {
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

/** KEP-3668: the same idea for NodePorts. */
export function nodePortStaticBand(size: number): number {
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

export function allocateService(svc: Service, prev: Service | undefined, store: ObjectStore, config: ClusterConfig, seed: number): AllocationResult {
  const errors: FieldError[] = [];
  const owner = `${svc.metadata.namespace}/${svc.metadata.name}`;
  const taken: Array<() => void> = [];
  const spec = svc.spec!;
  const type = spec.type ?? 'ClusterIP';

  // ClusterIP ---------------------------------------------------------------
  if (type !== 'ExternalName' && spec.clusterIP !== 'None') {
    const prevIP = prev?.spec?.clusterIP && prev.spec.clusterIP !== 'None' ? prev.spec.clusterIP : undefined;
    if (prevIP && (!spec.clusterIP || spec.clusterIP === prevIP)) {
      spec.clusterIP = prevIP;
    } else if (prevIP && spec.clusterIP && spec.clusterIP !== prevIP) {
      errors.push(invalid(['spec', 'clusterIPs', 0], [spec.clusterIP], 'may not change once set', 'ClusterIP 一旦分配就不能修改：请先删除再重新创建 Service'));
    } else {
      const r = allocateClusterIP(spec.clusterIP, owner, store, config, seed);
      if ('error' in r) errors.push(r.error);
      else { spec.clusterIP = r.ip; taken.push(() => store.clusterIPs.delete(r.ip)); }
    }
  } else if (type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }

  // NodePorts -----------------------------------------------------------------
  const wantsNodePorts = type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  const prevPorts = new Map<string, number>();
  for (const p of prev?.spec?.ports ?? []) if (p.nodePort) prevPorts.set(`${p.port}/${p.protocol ?? 'TCP'}`, p.nodePort);
  const mine = new Set<number>(prevPorts.values());
  const ports = spec.ports ?? [];
  if (!wantsNodePorts) {
    if (type === 'ClusterIP' || type === 'ExternalName') for (const p of ports) delete p.nodePort;
  } else {
    // First the ports the learner asked for, then the automatic ones (as the registry does).
    const usedHere = new Set<number>();
    ports.forEach((p, i) => {
      if (!p.nodePort) return;
      const r = claimNodePort(p.nodePort, owner, mine, usedHere, store, config);
      if (r) errors.push({ ...r, path: ['spec', 'ports', i, 'nodePort'] });
      else { usedHere.add(p.nodePort); if (!mine.has(p.nodePort)) { const n = p.nodePort; taken.push(() => store.nodePorts.delete(String(n))); } }
    });
    ports.forEach((p, i) => {
      if (p.nodePort) return;
      const keep = prevPorts.get(`${p.port}/${p.protocol ?? 'TCP'}`);
      if (keep && !usedHere.has(keep)) { p.nodePort = keep; usedHere.add(keep); return; }
      const n = randomNodePort(`${owner}:${i}`, store, config, seed, usedHere);
      if (n === null) {
        errors.push(invalid(['spec', 'ports', i, 'nodePort'], 0, 'range is full', 'NodePort 端口范围已用完'));
        return;
      }
      p.nodePort = n;
      usedHere.add(n);
      store.nodePorts.set(String(n), owner);
      taken.push(() => store.nodePorts.delete(String(n)));
    });
  }
  // healthCheckNodePort: LoadBalancer + externalTrafficPolicy Local.
  if (type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    const keep = prev?.spec?.healthCheckNodePort;
    if (spec.healthCheckNodePort && spec.healthCheckNodePort !== keep) {
      const r = claimNodePort(spec.healthCheckNodePort, owner, mine, new Set(), store, config);
      if (r) errors.push({ ...r, path: ['spec', 'healthCheckNodePort'] });
      else { const n = spec.healthCheckNodePort; taken.push(() => store.nodePorts.delete(String(n))); }
    } else if (!spec.healthCheckNodePort) {
      if (keep) spec.healthCheckNodePort = keep;
      else {
        const n = randomNodePort(`${owner}:healthcheck`, store, config, seed, new Set(ports.map((p) => p.nodePort ?? 0)));
        if (n !== null) { spec.healthCheckNodePort = n; store.nodePorts.set(String(n), owner); taken.push(() => store.nodePorts.delete(String(n))); }
      }
    }
  } else {
    delete spec.healthCheckNodePort;
  }

  return { errors, release: () => taken.forEach((f) => f()) };
}

/** The parsed service subnet: one per cluster, so parsed once, not once per Service (a pure memo). */
const serviceRanges = new Map<string, Cidr>();
function serviceRange(subnet: string): Cidr {
  let range = serviceRanges.get(subnet);
  if (!range) { range = parseCidr(subnet)!; serviceRanges.set(subnet, range); }
  return range;
}

function allocateClusterIP(requested: string | undefined, owner: string, store: ObjectStore, config: ClusterConfig, seed: number): { ip: string } | { error: FieldError } {
  const range = serviceRange(config.serviceSubnet);
  if (requested) {
    const n = parseIPv4(requested);
    if (n === null || !cidrContains(range, n) || n === range.base || n === range.base + range.size - 1) {
      return {
        error: invalid(['spec', 'clusterIPs'], [requested],
          `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${config.serviceSubnet}`,
          `${requested} 不在本集群的 Service 网段 ${config.serviceSubnet} 内：请改用该网段内的地址，或删掉 clusterIP 让系统自动分配`),
      };
    }
    const holder = store.clusterIPs.get(requested);
    if (holder && holder !== owner) {
      return {
        error: invalid(['spec', 'clusterIPs'], [requested], `failed to allocate IP ${requested}: provided IP is already allocated`,
          `${requested} 已被 Service ${holder} 占用：请换一个地址，或删掉 clusterIP 让系统自动分配`),
      };
    }
    store.clusterIPs.set(requested, owner);
    return { ip: requested };
  }
  // Offsets 1 .. size-2 are usable (no network or broadcast address); dynamic allocation
  // prefers the upper band, leaving the lower one to Services that ask for a fixed IP.
  const max = range.size - 2;
  const band = clusterIPStaticBand(range.size);
  const rng = deriveRng(seed, `clusterIP/${owner}`);
  const tryBand = (lo: number, hi: number): string | null => {
    const span = hi - lo + 1;
    if (span <= 0) return null;
    for (let attempt = 0; attempt < 64; attempt++) {
      const ip = formatIPv4(range.base + lo + rng.int(span));
      if (!store.clusterIPs.has(ip)) return ip;
    }
    for (let off = lo; off <= hi; off++) {
      const ip = formatIPv4(range.base + off);
      if (!store.clusterIPs.has(ip)) return ip;
    }
    return null;
  };
  const ip = tryBand(band, max) ?? tryBand(1, band - 1);
  if (!ip) return { error: invalid(['spec', 'clusterIPs'], [], 'failed to allocate a serviceIP: range is full') };
  store.clusterIPs.set(ip, owner);
  return { ip };
}

function claimNodePort(port: number, owner: string, _mine: Set<number>, usedHere: Set<number>, store: ObjectStore, config: ClusterConfig): FieldError | null {
  const [lo, hi] = config.nodePortRange;
  if (port < lo || port > hi) {
    return invalid([], port, `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`,
      `NodePort ${port} 不在允许的范围 ${lo}-${hi} 内：请改用该范围内的端口，或删掉 nodePort 让系统自动分配`);
  }
  const holder = store.nodePorts.get(String(port));
  if ((holder !== undefined && holder !== owner) || usedHere.has(port)) {
    return invalid([], port, 'provided port is already allocated', `NodePort ${port} 已被 ${holder ?? '本 Service 的另一个端口'} 使用：请换一个端口`);
  }
  store.nodePorts.set(String(port), owner);
  return null;
}

function randomNodePort(purpose: string, store: ObjectStore, config: ClusterConfig, seed: number, avoid: Set<number>): number | null {
  const [lo, hi] = config.nodePortRange;
  const size = hi - lo + 1;
  const band = nodePortStaticBand(size);
  const rng = deriveRng(seed, `nodePort/${purpose}`);
  const free = (p: number) => !store.nodePorts.has(String(p)) && !avoid.has(p);
  const tryBand = (a: number, b: number): number | null => {
    if (b < a) return null;
    for (let i = 0; i < 64; i++) { const p = a + rng.int(b - a + 1); if (free(p)) return p; }
    for (let p = a; p <= b; p++) if (free(p)) return p;
    return null;
  };
  return tryBand(lo + band, hi) ?? tryBand(lo, lo + band - 1);
}
