// YAML documents → a settled cluster: bootstrap the built-in kubeadm cluster (control
// plane first, then the workers join), then admit the learner's objects in order, then
// let the controllers settle everything.
import type { Diagnostic } from '../diag';
import type { YamlDoc } from '../yaml/load';
import { ApiServer } from '../api/server';
import { ObjectStore } from '../api/store';
import { Clock, EPOCH } from '../api/clock';
import { CONFIG_KINDS, KIND_BY_NAME, objectKey } from '../api/objects';
import { type ClusterConfig } from './config';
import { collectConfig, expandLists } from './collect';
import { CLUSTER_AGE_MS, DEFAULT_NODES, SYSTEM_NAMESPACES, defaultClusterObjects } from './default-cluster';
import { completeNode } from './nodes';
import { reconcile, type ReconcileResult } from '../controllers/reconcile';

export interface BuiltCluster {
  store: ObjectStore;
  api: ApiServer;
  clock: Clock;
  config: ClusterConfig;
  diagnostics: Diagnostic[];
  sources: Record<string, { file: string; line: number; column: number }>;
  lastReconcile: ReconcileResult;
}

/** User objects land five minutes before "now", the cluster ten days before. */
const APPLIED_AGO_MS = 5 * 60 * 1000;

export function buildCluster(docs: YamlDoc[], base: ClusterConfig, seed: number): BuiltCluster {
  const items = expandLists(docs);
  const collected = collectConfig(items, base);
  const config = collected.config;
  const diagnostics: Diagnostic[] = [...collected.diagnostics];
  const store = new ObjectStore();
  const clock = new Clock(EPOCH - CLUSTER_AGE_MS);
  const api = new ApiServer({ store, config, seed, clock });
  const ctx = { store, config, seed, clock };
  const sources: BuiltCluster['sources'] = {};

  const userKeys = new Set<string>();
  const userItems = items.filter((it) => !CONFIG_KINDS.has(String(it.value.kind)));
  for (const it of userItems) {
    const info = KIND_BY_NAME.get(String(it.value.kind));
    const md = (it.value.metadata ?? {}) as Record<string, unknown>;
    if (info && typeof md.name === 'string') userKeys.add(objectKey(info.kind, info.namespaced ? String(md.namespace ?? 'default') : undefined, md.name));
  }
  const userNodes = userItems.filter((it) => it.value.kind === 'Node');

  // 1. kubeadm init: namespaces, the control plane and its add-ons.
  for (const ns of SYSTEM_NAMESPACES) if (!userKeys.has(objectKey('Namespace', undefined, ns))) api.createNamespace(ns, clock.iso());
  const bootstrapApply = (o: Record<string, unknown>) => {
    const md = o.metadata as { name: string; namespace?: string };
    if (userKeys.has(objectKey(String(o.kind), md.namespace, md.name))) return;
    const r = api.apply(o, { file: 'kubeadm' });
    if (!r.ok) diagnostics.push(...r.diagnostics);
  };
  // With the learner's own Nodes, the API server's endpoints are their control-plane nodes.
  const nodeSpecs = userNodes.length === 0 ? DEFAULT_NODES : userNodes.map((it, i) => {
    const n = completeNode(it.value, i, config) as unknown as { metadata: { name: string; labels: Record<string, string> }; status: { addresses: { type: string; address: string }[] } };
    const l = n.metadata?.labels ?? {};
    const controlPlane = 'node-role.kubernetes.io/control-plane' in l || 'node-role.kubernetes.io/master' in l || l['kubernetes.io/role'] === 'master';
    return { name: String(n.metadata?.name), ip: n.status?.addresses?.find?.((a) => a?.type === 'InternalIP')?.address ?? `192.168.122.${10 + i}`, controlPlane };
  });
  const defaults = defaultClusterObjects(config, clock.iso(), nodeSpecs, userNodes.length === 0);
  // Nodes written by the learner replace the built-in ones; they register first.
  userNodes.forEach((it, i) => {
    const r = api.apply(completeNode(it.value, i, config), { file: it.doc.file, pos: it.doc.pos, locate: (p) => it.doc.locate([...it.prefix, ...p]) });
    diagnostics.push(...r.diagnostics);
  });
  for (const o of defaults.controlPlane) bootstrapApply(o);
  reconcile(ctx);
  // 2. kubeadm join: the workers.
  for (const o of defaults.workers) bootstrapApply(o);
  reconcile(ctx);

  // 3. The learner's objects, as `kubectl apply -f` would send them (Namespaces first).
  clock.now = EPOCH - APPLIED_AGO_MS;
  const ordered = [...userItems.filter((it) => it.value.kind === 'Namespace'), ...userItems.filter((it) => it.value.kind !== 'Namespace' && it.value.kind !== 'Node')];
  for (const it of ordered) {
    const locate = (p: readonly (string | number)[]) => it.doc.locate([...it.prefix, ...p]);
    const r = api.apply(it.value, { file: it.doc.file, pos: it.prefix.length ? locate([]) : it.doc.pos, locate });
    diagnostics.push(...r.diagnostics);
    if (r.ok && r.object) {
      const pos = it.prefix.length ? locate([]) : it.doc.pos;
      sources[objectKey(r.object.kind, r.object.metadata.namespace, r.object.metadata.name)] = { file: pos.file, line: pos.line, column: pos.column };
    }
  }
  for (const it of userNodes) {
    const md = it.value.metadata as { name?: string } | undefined;
    if (md?.name) sources[objectKey('Node', undefined, md.name)] = { file: it.doc.pos.file, line: it.doc.pos.line, column: it.doc.pos.column };
  }
  clock.now = EPOCH - APPLIED_AGO_MS + 1000;
  const lastReconcile = reconcile(ctx);
  clock.now = EPOCH;
  return { store, api, clock, config, diagnostics, sources, lastReconcile };
}
