// printNode / findNodeRoles / getNodeInternalIP / getNodeExternalIP
// (kubernetes pkg/printers/internalversion).
import type { Node } from '../../../api/objects';
import { translateTimestampSince } from '../duration';
import { goStringCompare } from '../../../api/labels';
import { col, type KindPrinter } from './types';

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

/** Roles from `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role=<role>`, sorted, unique. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role.length > 0) roles.add(role);
    } else if (k === NODE_ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort(goStringCompare);
}

/** Only the Ready condition is shown: `Ready`, `NotReady` or `Unknown`, plus `SchedulingDisabled`. */
export function nodeStatus(node: Node): string {
  const status: string[] = [];
  // A later duplicate of the same condition type wins, as in Go's map fill.
  let ready: { status?: string } | undefined;
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') ready = c;
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function firstAddress(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: KindPrinter<Node> = {
  columns: [
    col('Name'), col('Status'), col('Roles'), col('Age'), col('Version'),
    col('Internal-IP', 1), col('External-IP', 1), col('OS-Image', 1), col('Kernel-Version', 1), col('Container-Runtime', 1),
  ],
  row(node, ctx) {
    const info = node.status?.nodeInfo;
    return [
      node.metadata.name,
      nodeStatus(node),
      nodeRoles(node).join(',') || '<none>',
      translateTimestampSince(node.metadata.creationTimestamp, ctx.now),
      info?.kubeletVersion ?? '',
      firstAddress(node, 'InternalIP'),
      firstAddress(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};
