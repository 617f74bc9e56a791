// MetalLB's controller: gives each LoadBalancer Service an address from the configured pools
// (the first free one, in pool order), or the one it asks for (spec.loadBalancerIP or
// MetalLB's annotation) if a pool holds it. No pool → no address: EXTERNAL-IP stays <pending>,
// exactly as on a bare-metal cluster without MetalLB. An ingress given in the YAML's status is kept.
import type { Service } from '../api/objects';
import type { ControllerContext } from './context';
import { formatIPv4, parseAddressRange, parseIPv4 } from '../api/ipnet';

const ANNOTATIONS = ['metallb.io/loadBalancerIPs', 'metallb.universe.tf/loadBalancerIPs'];

export interface LoadBalancerProblem {
  namespace: string;
  service: string;
  requested?: string;
  reason: 'no-pool' | 'not-in-pool' | 'pool-exhausted' | 'in-use';
}

export function runMetalLB(ctx: ControllerContext, problems: LoadBalancerProblem[]): boolean {
  const pools = ctx.config.addressPools;
  const services = ctx.store.list<Service>('Service').filter((s) => s.spec?.type === 'LoadBalancer' && !s.spec.loadBalancerClass);
  const used = new Set<string>();
  for (const s of services) for (const i of s.status?.loadBalancer?.ingress ?? []) if (i.ip) used.add(i.ip);
  let changed = false;
  for (const svc of services) {
    if ((svc.status?.loadBalancer?.ingress ?? []).length > 0) continue;
    const requested = svc.spec?.loadBalancerIP || ANNOTATIONS.map((a) => svc.metadata.annotations?.[a]).find(Boolean)?.split(',')[0]?.trim();
    const problem = (reason: LoadBalancerProblem['reason']) => problems.push({ namespace: svc.metadata.namespace!, service: svc.metadata.name, requested, reason });
    if (pools.length === 0) { problem('no-pool'); continue; }
    let ip: string | undefined;
    if (requested) {
      const n = parseIPv4(requested);
      const inPool = n !== null && pools.some((p) => p.addresses.some((r) => { const rr = parseAddressRange(r); return rr && n >= rr.first && n <= rr.last; }));
      if (!inPool) { problem('not-in-pool'); continue; }
      if (used.has(requested)) { problem('in-use'); continue; }
      ip = requested;
    } else {
      outer: for (const pool of pools.filter((p) => p.autoAssign)) {
        for (const r of pool.addresses) {
          const rr = parseAddressRange(r);
          if (!rr) continue;
          for (let n = rr.first; n <= rr.last; n++) {
            const last = n & 255;
            if (pool.avoidBuggyIPs && (last === 0 || last === 255)) continue;
            const cand = formatIPv4(n);
            if (!used.has(cand)) { ip = cand; break outer; }
          }
        }
      }
      if (!ip) { problem('pool-exhausted'); continue; }
    }
    used.add(ip);
    svc.status = { ...(svc.status ?? {}), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
    changed = true;
  }
  return changed;
}
