// The API server's storage: objects by kind, namespace and name (so a namespace's objects
// are found without scanning the cluster), plus the allocation tables (ClusterIPs,
// NodePorts) that must stay consistent with it.
import type { KubeObject } from './objects';

type ByName = Map<string, KubeObject>;

export class ObjectStore {
  /** kind → namespace ('' for cluster-scoped) → name → object. */
  private readonly kinds = new Map<string, Map<string, ByName>>();
  readonly clusterIPs = new Map<string, string>(); // ip → owner key
  readonly nodePorts = new Map<string, string>(); // port → owner key
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
    return this.kinds.get(kind)?.get(namespace ?? '')?.get(name) as T | undefined;
  }

  list<T extends KubeObject = KubeObject>(kind: string): T[] {
    let out: T[] | undefined;
    for (const byName of this.kinds.get(kind)?.values() ?? []) {
      if (!out) out = [...byName.values()] as T[]; // made at its size: most kinds live in one namespace
      else for (const o of byName.values()) out.push(o as T);
    }
    return out ?? [];
  }

  /** Objects of a kind as the API server lists them: by namespace, then name. Sorting the keys
   * (plain strings) is much faster than comparing objects spread over a large heap. */
  listSorted<T extends KubeObject = KubeObject>(kind: string): T[] {
    const out: T[] = [];
    const byNs = this.kinds.get(kind);
    if (!byNs) return out;
    for (const ns of [...byNs.keys()].sort()) {
      const byName = byNs.get(ns)!;
      for (const name of [...byName.keys()].sort()) out.push(byName.get(name) as T);
    }
    return out;
  }

  listIn<T extends KubeObject = KubeObject>(kind: string, namespace: string): T[] {
    const byName = this.kinds.get(kind)?.get(namespace);
    return byName ? ([...byName.values()] as T[]) : [];
  }

  namespacesOf(kind: string): string[] {
    return [...(this.kinds.get(kind)?.keys() ?? [])];
  }

  count(kind: string): number {
    let n = 0;
    for (const byName of this.kinds.get(kind)?.values() ?? []) n += byName.size;
    return n;
  }

  put(o: KubeObject): void {
    let byNs = this.kinds.get(o.kind);
    if (!byNs) { byNs = new Map(); this.kinds.set(o.kind, byNs); }
    const ns = o.metadata.namespace ?? '';
    let byName = byNs.get(ns);
    if (!byName) { byName = new Map(); byNs.set(ns, byName); }
    byName.set(o.metadata.name, o);
  }

  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const byName = this.kinds.get(kind)?.get(namespace ?? '');
    const o = byName?.get(name);
    if (o) byName!.delete(name);
    return o;
  }

  /** Replaces every stored object by a deep copy, so snapshots handed out earlier (which share
   * the old objects) stay unchanged while the cluster moves on. */
  detach(): void {
    for (const byNs of this.kinds.values()) {
      for (const byName of byNs.values()) for (const [k, o] of byName) byName.set(k, structuredClone(o));
    }
  }

  kindNames(): string[] {
    return [...this.kinds.keys()];
  }
}
