// The API server's storage: objects by kind and namespace/name, in creation order, plus
// the allocation tables (ClusterIPs, NodePorts) that must stay consistent with it.
import type { KubeObject } from './objects';

export class ObjectStore {
  private readonly kinds = new Map<string, Map<string, KubeObject>>();
  readonly clusterIPs = new Map<string, string>(); // ip → owner key
  readonly nodePorts = new Map<string, string>(); // "proto/port" → owner key (nodePorts are per protocol)
  /** Monotonic counters that must survive across reconciles (name suffix draws, host-local IPAM). */
  readonly counters = new Map<string, number>();
  private seq = 0;

  static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  /** Returns the counter's current value and increments it. */
  bump(counter: string, start = 0): number {
    const v = this.counters.get(counter) ?? start;
    this.counters.set(counter, v + 1);
    return v;
  }

  nextResourceVersion(): string {
    this.seq += 1;
    return String(this.seq);
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.kinds.get(kind)?.get(ObjectStore.key(namespace, name)) as T | undefined;
  }

  list<T extends KubeObject = KubeObject>(kind: string): T[] {
    const m = this.kinds.get(kind);
    return m ? ([...m.values()] as T[]) : [];
  }

  listIn<T extends KubeObject = KubeObject>(kind: string, namespace: string): T[] {
    return this.list<T>(kind).filter((o) => (o.metadata.namespace ?? '') === namespace);
  }

  put(o: KubeObject): void {
    let m = this.kinds.get(o.kind);
    if (!m) { m = new Map(); this.kinds.set(o.kind, m); }
    m.set(ObjectStore.key(o.metadata.namespace, o.metadata.name), o);
  }

  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const m = this.kinds.get(kind);
    const k = ObjectStore.key(namespace, name);
    const o = m?.get(k);
    if (o) m!.delete(k);
    return o;
  }

  kindNames(): string[] {
    return [...this.kinds.keys()];
  }

  /** A deep copy, so a failed batch of mutations can be thrown away. */
  clone(): ObjectStore {
    const c = new ObjectStore();
    for (const [kind, m] of this.kinds) c.kinds.set(kind, new Map([...m].map(([k, o]) => [k, structuredClone(o)])));
    for (const [k, v] of this.clusterIPs) c.clusterIPs.set(k, v);
    for (const [k, v] of this.nodePorts) c.nodePorts.set(k, v);
    for (const [k, v] of this.counters) c.counters.set(k, v);
    c.seq = this.seq;
    return c;
  }
}
