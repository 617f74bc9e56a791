// An nftables table as the kernel holds it and `nft list` prints it: chains (base chains with
// their hook and priority, regular chains), named sets and verdict maps. Rules are kept as the
// text `nft list` prints for them — that text is the truth; the interpreter parses it.
// Plain data (structured-cloneable), like the iptables Ruleset.

export type NftFamily = 'ip' | 'ip6';
export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

/** Who wrote a rule or element, for the trace's provenance. */
export interface NftOrigin {
  /** `ns/name` of the Service. */
  service?: string;
  /** The Service port's name ('' when unnamed). */
  servicePort?: string;
  /** `IP:port` of the endpoint. */
  endpoint?: string;
  writer?: 'kube-proxy' | 'kubelet';
}

export interface NftRule {
  /** The rule as `nft list` prints it, without indentation (comment included). */
  text: string;
  /** Kernel handle (`nft -a`). */
  handle?: number;
  origin?: NftOrigin;
  /** The rule holds an xtables (iptables-nft compat) expression: nft warns when it lists it. */
  compat?: boolean;
}

export interface NftBaseChain {
  type: 'filter' | 'nat';
  hook: NftHook;
  /** Numeric priority; printed as `dstnat - 10`, `srcnat`, `-110`… the way nft does. */
  priority: number;
  policy?: 'accept' | 'drop';
}

export interface NftChain {
  name: string;
  handle?: number;
  comment?: string;
  base?: NftBaseChain;
  rules: NftRule[];
}

export interface NftElement {
  /** The key's parts, e.g. ['10.96.0.10', 'udp', '53'] (one part for a plain set). */
  key: string[];
  comment?: string;
  /** Dynamic elements (affinity sets): milliseconds until the element expires. */
  expiresMs?: number;
  origin?: NftOrigin;
}

export interface NftSet {
  name: string;
  handle?: number;
  /** Where nft listed it among the sets and maps, when the handle is unknown (a listing read without -a). */
  position?: number;
  /** Key type as printed: `ipv4_addr`, `ipv4_addr . inet_proto . inet_service`. */
  type: string;
  /** Maximum number of elements (`size 65535`: nft gives dynamic sets that default). */
  size?: number;
  flags?: string[];
  /** Default element timeout in seconds (`timeout 3h`). */
  timeout?: number;
  comment?: string;
  elements: NftElement[];
}

export interface NftMapElement extends NftElement {
  /** The value as printed: `goto service-…`, `drop`. */
  value: string;
}

export interface NftMap {
  name: string;
  handle?: number;
  /** As NftSet.position. */
  position?: number;
  /** Key type as printed (left of the colon). */
  type: string;
  /** Value type: `verdict` for the verdict maps kube-proxy uses. */
  valueType: string;
  comment?: string;
  elements: NftMapElement[];
}

export interface NftTable {
  family: NftFamily;
  name: string;
  handle?: number;
  comment?: string;
  chains: NftChain[];
  sets: NftSet[];
  maps: NftMap[];
  /**
   * What nft writes on stderr when it lists a chain of this table holding a `compat` rule
   * (nft 1.0.6 warns about iptables-nft's tables that way).
   */
  listWarning?: string;
}

/** A table's named sets and maps in the order nft lists them (kernel handle order). */
export function setsAndMaps(t: NftTable): ({ kind: 'set'; set: NftSet } | { kind: 'map'; map: NftMap })[] {
  const all: ({ kind: 'set'; set: NftSet; h: number; i: number } | { kind: 'map'; map: NftMap; h: number; i: number })[] = [];
  t.sets.forEach((set, i) => all.push({ kind: 'set', set, h: set.handle ?? set.position ?? Infinity, i }));
  t.maps.forEach((map, i) => all.push({ kind: 'map', map, h: map.handle ?? map.position ?? Infinity, i: t.sets.length + i }));
  all.sort((a, b) => (a.h !== b.h ? (a.h < b.h ? -1 : 1) : a.i - b.i));
  return all.map((x) => (x.kind === 'set' ? { kind: 'set', set: x.set } : { kind: 'map', map: x.map }));
}

// Name indexes (a node with 100,000 endpoint chains is not searched linearly on every jump);
// rebuilt when the table's lists have grown.
const indexes = new WeakMap<object, { size: number; byName: Map<string, unknown> }>();

function byName<T extends { name: string }>(list: T[], name: string): T | undefined {
  let idx = indexes.get(list);
  if (!idx || idx.size !== list.length) {
    idx = { size: list.length, byName: new Map(list.map((x) => [x.name, x])) };
    indexes.set(list, idx);
  }
  return idx.byName.get(name) as T | undefined;
}

export function findChain(t: NftTable, name: string): NftChain | undefined {
  return byName(t.chains, name);
}

export function findSet(t: NftTable, name: string): NftSet | undefined {
  return byName(t.sets, name);
}

export function findMap(t: NftTable, name: string): NftMap | undefined {
  return byName(t.maps, name);
}
