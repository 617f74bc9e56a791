// printService / getServiceExternalIP / makePortString (kubernetes pkg/printers/internalversion).
import type { Service } from '../../../api/objects';
import { translateTimestampSince } from '../duration';
import { formatLabels, goStringCompare } from '../../../api/labels';
import { col, type KindPrinter } from './types';

const LOAD_BALANCER_WIDTH = 16;

/** loadBalancerStatusStringer: sorted, de-duplicated ingress IPs (or hostnames); clipped unless wide. */
export function loadBalancerStatusString(svc: Service, wide: boolean): string {
  const set = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  let r = [...set].sort(goStringCompare).join(',');
  if (!wide && r.length > LOAD_BALANCER_WIDTH) r = r.slice(0, LOAD_BALANCER_WIDTH - 3) + '...';
  return r;
}

export function serviceExternalIP(svc: Service, wide: boolean): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatusString(svc, wide);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb.length > 0 ? lb : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
  }
  return '<unknown>';
}

/** makePortString: `80/TCP`, `80:30080/TCP`, joined by commas. */
export function servicePortsString(svc: Service): string {
  return (svc.spec?.ports ?? [])
    .map((p) => {
      const proto = p.protocol ?? 'TCP';
      return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
    })
    .join(',');
}

export const servicePrinter: KindPrinter<Service> = {
  columns: [col('Name'), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age'), col('Selector', 1)],
  row(svc, ctx) {
    const clusterIPs = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
    const internalIP = clusterIPs.length > 0 ? clusterIPs[0] : '<none>';
    const ports = servicePortsString(svc) || '<none>';
    // The server prints with Wide=true, so the LoadBalancer column is never clipped in kubectl get.
    return [
      svc.metadata.name,
      svc.spec?.type ?? 'ClusterIP',
      internalIP,
      serviceExternalIP(svc, true),
      ports,
      translateTimestampSince(svc.metadata.creationTimestamp, ctx.now),
      formatLabels(svc.spec?.selector),
    ];
  },
};
