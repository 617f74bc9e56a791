// What a learner can send a packet from and to, read off the cluster snapshot: pods, nodes
// and an outside client; each Service's ClusterIP, NodePorts, LoadBalancer and external IPs.
import type { ClusterSnapshot } from '../../worker/protocol';

export interface Choice {
  /** The trace request's text: `pod/NS/NAME`, `node/NAME`, `external/IP`, `IP:PORT` or `NAME:PORT`. */
  value: string;
  label: string;
  group: 'pod' | 'node' | 'external' | 'clusterIP' | 'nodePort' | 'loadBalancer' | 'externalIP' | 'dnsName';
}

/** An address outside the cluster (TEST-NET-3), as the course's "hostos" client. */
export const EXTERNAL_CLIENT = '203.0.113.10';

export function sources(snap: ClusterSnapshot): Choice[] {
  const pods = snap.pods
    .filter((p) => p.status?.podIP && p.metadata.namespace !== 'kube-system')
    .map((p): Choice => ({ value: `pod/${p.metadata.namespace ?? 'default'}/${p.metadata.name}`, label: `${p.metadata.namespace ?? 'default'}/${p.metadata.name} (${p.status!.podIP})`, group: 'pod' }));
  const nodes = snap.nodes.map((n): Choice => ({ value: `node/${n.metadata.name}`, label: `${n.metadata.name} (${nodeIP(n) ?? '?'})`, group: 'node' }));
  return [...pods, ...nodes, { value: `external/${EXTERNAL_CLIENT}`, label: EXTERNAL_CLIENT, group: 'external' }];
}

function nodeIP(n: ClusterSnapshot['nodes'][number]): string | undefined {
  return n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

export function destinations(snap: ClusterSnapshot): Choice[] {
  const out: Choice[] = [];
  const firstWorker = snap.nodes.find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined) ?? snap.nodes[0];
  for (const s of snap.services) {
    const spec = s.spec ?? {};
    const name = `${s.metadata.namespace ?? 'default'}/${s.metadata.name}`;
    if (!spec.clusterIP || spec.clusterIP === 'None' || spec.type === 'ExternalName') continue;
    for (const p of spec.ports ?? []) {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const suffix = proto === 'tcp' ? '' : `/${proto}`;
      out.push({ value: `${spec.clusterIP}:${p.port}${suffix}`, label: `${name} ClusterIP ${spec.clusterIP}:${p.port}${suffix}`, group: 'clusterIP' });
      // By name: the client resolves it first (its resolv.conf, the cluster DNS), then connects.
      const fqdn = `${s.metadata.name}.${s.metadata.namespace ?? 'default'}.svc.cluster.local`;
      out.push({ value: `${fqdn}:${p.port}${suffix}`, label: `${name} DNS ${fqdn}:${p.port}${suffix}`, group: 'dnsName' });
      const ip = firstWorker ? nodeIP(firstWorker) : undefined;
      if (p.nodePort && ip) out.push({ value: `${ip}:${p.nodePort}${suffix}`, label: `${name} NodePort ${ip}:${p.nodePort}${suffix}`, group: 'nodePort' });
      for (const i of s.status?.loadBalancer?.ingress ?? []) if (i.ip) out.push({ value: `${i.ip}:${p.port}${suffix}`, label: `${name} LoadBalancer ${i.ip}:${p.port}${suffix}`, group: 'loadBalancer' });
      for (const e of spec.externalIPs ?? []) out.push({ value: `${e}:${p.port}${suffix}`, label: `${name} externalIP ${e}:${p.port}${suffix}`, group: 'externalIP' });
    }
  }
  return out;
}

/** `10.96.0.10:53/udp` or `demoapp-svc:80` → the trace's `to` and `proto`. */
export function parseDestination(text: string): { to: string; proto: 'tcp' | 'udp' } | null {
  const m = /^\s*(\d{1,3}(?:\.\d{1,3}){3}|[A-Za-z0-9_](?:[-A-Za-z0-9_.]*[A-Za-z0-9_.])?):(\d{1,5})(?:\/(tcp|udp))?\s*$/i.exec(text);
  if (!m) return null;
  return { to: `${m[1]}:${m[2]}`, proto: (m[3]?.toLowerCase() as 'tcp' | 'udp' | undefined) ?? 'tcp' };
}
