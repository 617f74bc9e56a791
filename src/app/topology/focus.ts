// What a trace needs drawn: the nodes its hops pass, the pods it starts from or reaches, and the
// Services whose rules it went through. The layout caps what it draws on big clusters; the
// places a packet visits are drawn whatever the caps, or the packet would have nowhere to be.
import type { Trace } from '../../sim/network/trace-types';
import type { TopologyFocus, TopologyModel } from './layout';

function podKey(where: string): string | null {
  const parts = where.split('/');
  if (parts[0] !== 'pod') return null;
  return parts.length === 3 ? `${parts[1]}/${parts[2]}` : `default/${parts[1]}`;
}

/** Every node, pod and Service the trace's paths touch. */
export function traceFocus(trace: Trace): TopologyFocus {
  const nodes = new Set<string>();
  const pods = new Set<string>();
  const services = new Set<string>();
  const pod = (w: string) => { const k = podKey(w); if (k) pods.add(k); };
  pod(trace.from);
  if (trace.from.startsWith('node/')) nodes.add(trace.from.slice(5));
  for (const path of trace.paths) {
    pod(path.final.at);
    for (const h of path.hops) {
      if (h.node) nodes.add(h.node);
      if (h.kind === 'encap') nodes.add(h.to);
      if (h.kind === 'deliver') pod(h.to);
      if (h.kind === 'netfilter' && h.service) services.add(h.service);
    }
  }
  return { nodes: [...nodes].sort(), pods: [...pods].sort(), services: [...services].sort() };
}

/** The part of `focus` that `model` does not draw (empty lists when it draws it all). */
export function missingFrom(model: TopologyModel, focus: TopologyFocus): TopologyFocus {
  const drawnServices = new Set(model.services.map((s) => `${s.namespace}/${s.name}`));
  return {
    nodes: focus.nodes.filter((n) => !model.nodeByName[n]),
    pods: focus.pods.filter((p) => !model.podById[p]),
    services: focus.services.filter((s) => !drawnServices.has(s)),
  };
}

export const isEmptyFocus = (f: TopologyFocus) => !f.nodes.length && !f.pods.length && !f.services.length;
