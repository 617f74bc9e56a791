// Tab completion for the terminal: commands, kubectl verbs and resource types, and the names
// of the objects in the cluster — from the snapshot the page already has (no simulation).
import type { ClusterSnapshot } from '../../worker/protocol';

const COMMANDS = ['kubectl', 'iptables', 'iptables-save', 'curl', 'conntrack', 'nslookup', 'dig', 'ipvsadm', 'grep', 'head', 'tail', 'wc', 'sort', 'cat', 'echo', 'hostname', 'clear'];
const VERBS = ['get', 'describe', 'expose', 'patch', 'scale', 'delete', 'run', 'create', 'exec'];
const RESOURCES: Record<string, (s: ClusterSnapshot) => { name: string; namespace?: string }[]> = {
  pods: (s) => s.pods.map((o) => o.metadata),
  services: (s) => s.services.map((o) => o.metadata),
  svc: (s) => s.services.map((o) => o.metadata),
  endpoints: (s) => s.endpoints.map((o) => o.metadata),
  ep: (s) => s.endpoints.map((o) => o.metadata),
  endpointslices: (s) => s.endpointSlices.map((o) => o.metadata),
  deployments: (s) => s.deployments.map((o) => o.metadata),
  deploy: (s) => s.deployments.map((o) => o.metadata),
  deployment: (s) => s.deployments.map((o) => o.metadata),
  nodes: (s) => s.nodes.map((o) => o.metadata),
  ns: (s) => s.namespaces.map((o) => o.metadata),
  pod: (s) => s.pods.map((o) => o.metadata),
  service: (s) => s.services.map((o) => o.metadata),
};
const TYPES = ['pods', 'services', 'svc', 'endpoints', 'ep', 'endpointslices', 'deployments', 'deploy', 'replicasets', 'statefulsets', 'daemonsets', 'nodes', 'ns', 'configmaps', 'all'];

/** What the last word of `line` can become; the caller completes to their common prefix. */
export function completions(line: string, snap: ClusterSnapshot | null): string[] {
  const words = line.split(/\s+/);
  const last = words[words.length - 1];
  const before = words.slice(0, -1).filter((w) => w !== '');
  let pool: string[];
  if (before.length === 0 || /[|;&]$/.test(before[before.length - 1])) pool = COMMANDS;
  else if (before[0] === 'kubectl' && before.length === 1) pool = VERBS;
  else if (before[0] === 'kubectl' && ['get', 'describe', 'delete', 'scale', 'patch', 'expose'].includes(before[1]) && before.length === 2) pool = TYPES;
  else if (before[0] === 'kubectl' && before[1] === 'exec' && snap) pool = snap.pods.map((p) => p.metadata.name);
  else if (before[0] === 'kubectl' && before.length >= 3 && snap && RESOURCES[before[2]]) {
    const ns = before[before.indexOf('-n') + 1] ?? undefined;
    pool = RESOURCES[before[2]](snap).filter((m) => !before.includes('-n') || (m.namespace ?? 'default') === ns).map((m) => m.name);
  } else if (before[0] === 'iptables' && before[before.length - 1] === '-t') pool = ['nat', 'filter', 'mangle', 'raw'];
  else if (before[0] === 'curl' && snap) pool = snap.services.flatMap((s) => (s.spec?.clusterIP && s.spec.clusterIP !== 'None' ? (s.spec.ports ?? []).map((p) => (p.port === 80 ? s.spec!.clusterIP! : `${s.spec!.clusterIP}:${p.port}`)) : []));
  else pool = [];
  return [...new Set(pool)].filter((c) => c.startsWith(last)).sort();
}

/** The line completed as far as the candidates agree (a space after a single match). */
export function complete(line: string, snap: ClusterSnapshot | null): { line: string; options: string[] } {
  const options = completions(line, snap);
  if (options.length === 0) return { line, options };
  const head = line.slice(0, line.length - (line.split(/\s+/).pop() ?? '').length);
  if (options.length === 1) return { line: `${head}${options[0]} `, options };
  let prefix = options[0];
  for (const o of options) while (!o.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return { line: `${head}${prefix}`, options };
}
