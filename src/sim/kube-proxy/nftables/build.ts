// Builds an nftables table the way the kernel does while running kube-proxy's transaction:
// every chain, named set, anonymous set and rule takes the table's next handle (deleted
// objects too), so `nft -a` and the listing order (handle order) come out as on a node where
// kube-proxy has just made its first full sync. Every operation is also recorded as an `nft`
// command in canonical syntax, so the conformance test can replay the same transaction into
// a real kernel and compare.
import type { NftBaseChain, NftChain, NftElement, NftFamily, NftMap, NftMapElement, NftOrigin, NftSet, NftTable } from '../../nftables/model';

export class NftTableBuilder {
  readonly table: NftTable;
  /** The transaction as `nft -f` input (one command per line), when recorded. */
  readonly script: string[] = [];
  private readonly record: boolean;
  private readonly keys = new Map<string, Set<string>>();
  private nextHandle = 1;
  private readonly chains = new Map<string, NftChain>();
  private readonly sets = new Map<string, NftSet>();
  private readonly maps = new Map<string, NftMap>();
  private readonly prefix: string;

  constructor(family: NftFamily, name: string, comment?: string, opts: { script?: boolean } = {}) {
    this.record = opts.script ?? false;
    this.table = { family, name, ...(comment !== undefined ? { comment } : {}), chains: [], sets: [], maps: [] };
    this.prefix = `${family} ${name}`;
    this.log(`add table ${this.prefix}${comment !== undefined ? ` { comment ${q(comment)} ; }` : ''}`);
  }

  private log(...commands: string[]): void {
    if (this.record) this.script.push(...commands);
  }

  /** Whether `key` is new in set or map `name` (nft ignores a second add of an element). */
  private fresh(name: string, key: string): boolean {
    let k = this.keys.get(name);
    if (!k) { k = new Set(); this.keys.set(name, k); }
    if (k.has(key)) return false;
    k.add(key);
    return true;
  }

  has(chain: string): boolean {
    return this.chains.has(chain);
  }

  chain(name: string, opts: { base?: NftBaseChain; comment?: string } = {}): NftChain {
    const existing = this.chains.get(name);
    if (existing) return existing;
    const c: NftChain = { name, handle: this.nextHandle++, ...(opts.comment !== undefined ? { comment: opts.comment } : {}), ...(opts.base ? { base: opts.base } : {}), rules: [] };
    this.chains.set(name, c);
    this.table.chains.push(c);
    const spec: string[] = [];
    if (opts.base) spec.push(`type ${opts.base.type} hook ${opts.base.hook} priority ${opts.base.priority} ;`);
    if (opts.comment !== undefined) spec.push(`comment ${q(opts.comment)} ;`);
    this.log(`add chain ${this.prefix} ${name}${spec.length ? ` { ${spec.join(' ')} }` : ''}`);
    return c;
  }

  /** `add chain` + `delete chain` of a chain that does not exist yet: only a handle is used. */
  addAndDeleteChain(name: string): void {
    this.nextHandle++;
    this.log(`add chain ${this.prefix} ${name}`, `delete chain ${this.prefix} ${name}`);
  }

  set(name: string, type: string, opts: { flags?: string[]; timeout?: number; comment?: string } = {}): NftSet {
    const existing = this.sets.get(name);
    if (existing) return existing;
    const s: NftSet = {
      name, handle: this.nextHandle++, type,
      // nft (1.0.x) gives a dynamic set without a size the default maximum.
      ...(opts.flags?.includes('dynamic') ? { size: 65535 } : {}),
      ...(opts.flags ? { flags: opts.flags } : {}), ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
      ...(opts.comment !== undefined ? { comment: opts.comment } : {}), elements: [],
    };
    this.sets.set(name, s);
    this.table.sets.push(s);
    const spec = [`type ${type} ;`];
    if (opts.flags) spec.push(`flags ${opts.flags.join(',')} ;`);
    if (opts.timeout !== undefined) spec.push(`timeout ${opts.timeout}s ;`);
    if (opts.comment !== undefined) spec.push(`comment ${q(opts.comment)} ;`);
    this.log(`add set ${this.prefix} ${name} { ${spec.join(' ')} }`);
    return s;
  }

  /** `add set` + `delete set` (kube-proxy's way of making sure a set is gone). */
  addAndDeleteSet(name: string, type: string, comment?: string): void {
    this.nextHandle++;
    this.log(`add set ${this.prefix} ${name} { type ${type} ;${comment !== undefined ? ` comment ${q(comment)} ;` : ''} }`, `delete set ${this.prefix} ${name}`);
  }

  map(name: string, type: string, valueType: string, comment?: string): NftMap {
    const existing = this.maps.get(name);
    if (existing) return existing;
    const m: NftMap = { name, handle: this.nextHandle++, type, valueType, ...(comment !== undefined ? { comment } : {}), elements: [] };
    this.maps.set(name, m);
    this.table.maps.push(m);
    this.log(`add map ${this.prefix} ${name} { type ${type} : ${valueType} ;${comment !== undefined ? ` comment ${q(comment)} ;` : ''} }`);
    return m;
  }

  /**
   * Appends a rule (its canonical text). `anonymousSets`: how many anonymous sets or maps the
   * rule holds (`vmap { … }`, `{ a, b }` with two or more elements); nft creates each, taking a
   * handle, just before the rule.
   */
  rule(chain: string, text: string, origin?: NftOrigin, anonymousSets = 0): void {
    const c = this.chains.get(chain);
    if (!c) throw new Error(`nft builder: no chain ${chain}`);
    this.nextHandle += anonymousSets;
    c.rules.push({ text, handle: this.nextHandle++, ...(origin ? { origin } : {}) });
    this.log(`add rule ${this.prefix} ${chain} ${text}`);
  }

  /** Adds an element to a named set (ignored when already there, as nft does). */
  setElement(name: string, e: NftElement): void {
    const s = this.sets.get(name);
    if (!s) throw new Error(`nft builder: no set ${name}`);
    if (!this.fresh(name, e.key.join(' . '))) return;
    s.elements.push(e);
    this.log(`add element ${this.prefix} ${name} { ${elementSpec(e)} }`);
  }

  mapElement(name: string, e: NftMapElement): void {
    const m = this.maps.get(name);
    if (!m) throw new Error(`nft builder: no map ${name}`);
    if (!this.fresh(name, e.key.join(' . '))) return;
    m.elements.push(e);
    this.log(`add element ${this.prefix} ${name} { ${elementSpec(e)} : ${e.value} }`);
  }
}

function q(s: string): string {
  return `"${s}"`;
}

function elementSpec(e: NftElement): string {
  return `${e.key.join(' . ')}${e.comment !== undefined ? ` comment ${q(e.comment)}` : ''}`;
}
