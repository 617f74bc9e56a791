// `kubectl get`: resolve the requested resources the way cli-runtime's resource.Builder does,
// then print server-side tables the way kubectl's get.go + cli-runtime's HumanReadablePrinter do
// (one tab writer; widths restart per kind; a blank line between kinds that printed something;
// `kind.group/name` names once more than one kind was requested).
import { KINDS, type KindInfo, type KubeObject } from '../../api/objects';
import type { ClusterSnapshot } from '../../snapshot';
import { fail, type ShellContext, type ShellResult } from '../types';
import { KIND_TABLES, type KindTable } from './columns/index';
import { formatLabels, goStringCompare, parseSelector, selectorMatches, type Requirement } from '../../api/labels';
import type { CellValue } from './columns/types';
import { KUBECTL_TABLE, TabWriter } from './tabwriter';

// ---------------------------------------------------------------- flags

export interface KubectlFlags {
  namespace?: string;
  allNamespaces: boolean;
  output: string;
  selector?: string;
  showLabels: boolean;
  showKind: boolean;
  noHeaders: boolean;
  ignoreNotFound: boolean;
  labelColumns: string[];
  showEvents: boolean;
  positional: string[];
}

interface FlagSpec {
  long: string;
  short?: string;
  takesValue: boolean;
  /** Only these subcommands know the flag (all when absent). */
  only?: Array<'get' | 'describe'>;
  apply(f: KubectlFlags, value: string): string | undefined; // error text
}

const boolValue = (v: string): boolean | undefined => {
  const b = ({ true: true, '1': true, t: true, T: true, TRUE: true, True: true, false: false, '0': false, f: false, F: false, FALSE: false, False: false } as Record<string, boolean>)[v];
  return b;
};

function boolFlag(long: string, set: (f: KubectlFlags, b: boolean) => void, short?: string): FlagSpec {
  return {
    long, short, takesValue: false,
    apply(f, v) {
      const b = boolValue(v);
      if (b === undefined) return `invalid argument "${v}" for "${short ? `-${short}, ` : ''}--${long}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`;
      set(f, b);
      return undefined;
    },
  };
}

function valueFlag(long: string, set: (f: KubectlFlags, v: string) => void, short?: string): FlagSpec {
  return { long, short, takesValue: true, apply(f, v) { set(f, v); return undefined; } };
}

/** Global kubectl flags we accept and ignore (the simulator has one cluster and one user). */
const IGNORED_VALUE_FLAGS: Array<[string, string?]> = [
  ['context'], ['cluster'], ['user'], ['kubeconfig'], ['request-timeout'], ['chunk-size'], ['server', 's'], ['v', 'v'],
];

const getOnly = (s: FlagSpec): FlagSpec => ({ ...s, only: ['get'] });

const FLAGS: FlagSpec[] = [
  valueFlag('namespace', (f, v) => { f.namespace = v; }, 'n'),
  boolFlag('all-namespaces', (f, b) => { f.allNamespaces = b; }, 'A'),
  valueFlag('selector', (f, v) => { f.selector = v; }, 'l'),
  getOnly(valueFlag('output', (f, v) => { f.output = v; }, 'o')),
  getOnly(valueFlag('label-columns', (f, v) => { f.labelColumns.push(...v.split(',')); }, 'L')),
  getOnly(boolFlag('show-labels', (f, b) => { f.showLabels = b; })),
  getOnly(boolFlag('show-kind', (f, b) => { f.showKind = b; })),
  getOnly(boolFlag('no-headers', (f, b) => { f.noHeaders = b; })),
  getOnly(boolFlag('ignore-not-found', (f, b) => { f.ignoreNotFound = b; })),
  { ...boolFlag('show-events', (f, b) => { f.showEvents = b; }), only: ['describe'] },
  ...IGNORED_VALUE_FLAGS.map(([long, short]) => valueFlag(long, () => undefined, short)),
];

/** pflag-style parsing: flags anywhere, `--f=v`, `--f v`, `-f v`, `-fv`, `-f=v`, bundled `-Ao wide`, `--`. */
export function parseKubectlFlags(args: string[], command: 'get' | 'describe'): { ok: true; flags: KubectlFlags } | { ok: false; error: string } {
  const known = FLAGS.filter((s) => !s.only || s.only.includes(command));
  const f: KubectlFlags = {
    allNamespaces: false, output: '', showLabels: false, showKind: false, noHeaders: false,
    ignoreNotFound: false, labelColumns: [], showEvents: true, positional: [],
  };
  const usage = `\nSee 'kubectl ${command} --help' for usage.\n`;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { f.positional.push(...args.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = known.find((s) => s.long === name);
      if (!spec) return { ok: false, error: `error: unknown flag: --${name}${usage}` };
      let value: string;
      if (eq >= 0) value = a.slice(eq + 1);
      else if (!spec.takesValue) value = 'true';
      else if (i + 1 < args.length) value = args[++i];
      else return { ok: false, error: `error: flag needs an argument: --${name}${usage}` };
      const err = spec.apply(f, value);
      if (err) return { ok: false, error: `error: ${err}${usage}` };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const spec = known.find((s) => s.short === a[j]);
        if (!spec) return { ok: false, error: `error: unknown shorthand flag: '${a[j]}' in ${a}${usage}` };
        if (!spec.takesValue) {
          if (a[j + 1] === '=') { // -A=false
            const err = spec.apply(f, a.slice(j + 2));
            if (err) return { ok: false, error: `error: ${err}${usage}` };
            break;
          }
          spec.apply(f, 'true');
          continue;
        }
        let value: string;
        if (j + 1 < a.length) value = a[j + 1] === '=' ? a.slice(j + 2) : a.slice(j + 1);
        else if (i + 1 < args.length) value = args[++i];
        else return { ok: false, error: `error: flag needs an argument: '${a[j]}' in ${a}${usage}` };
        spec.apply(f, value);
        break;
      }
      continue;
    }
    f.positional.push(a);
  }
  return { ok: true, flags: f };
}

/** The namespace kubectl's context points at: `default` on a node, the pod's own inside a pod. */
export function contextNamespace(ctx: ShellContext, flags: KubectlFlags): string {
  if (flags.namespace !== undefined) return flags.namespace;
  return ctx.where.kind === 'pod' ? ctx.where.namespace : 'default';
}

// ---------------------------------------------------------------- resources

/** The `all` category, in the order discovery lists it (kinds this simulator does not serve are left out). */
const CATEGORY_ALL = ['pods', 'services', 'daemonsets.apps', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps'];

function namesFor(k: KindInfo): string[] {
  const base = [k.resource, k.singular, ...k.shortNames, k.kind.toLowerCase()];
  const version = k.apiVersion.includes('/') ? k.apiVersion.split('/')[1] : k.apiVersion;
  const out = [...base];
  if (k.group) for (const b of [k.resource, k.singular, k.kind.toLowerCase()]) out.push(`${b}.${k.group}`, `${b}.${version}.${k.group}`);
  return out;
}

/** RESTMapper lookup of one resource argument (`svc`, `deployments.apps`, `Service`...). */
export function resolveResource(arg: string): KindTable | { error: string } {
  const lower = arg.toLowerCase();
  for (const k of KINDS) {
    if (namesFor(k).includes(lower)) {
      const table = KIND_TABLES.get(k.kind);
      if (table) return table;
    }
  }
  // schema.ParseResourceArg: the error names the part before the first dot.
  const dot = arg.indexOf('.');
  return { error: `error: the server doesn't have a resource type "${dot >= 0 ? arg.slice(0, dot) : arg}"\n` };
}

function splitResourceArgument(arg: string): string[] {
  return [...new Set(arg.split(','))];
}

/** One visited item (a resource.Info): a list of one kind, or a single object asked for by name. */
export interface Visit {
  table: KindTable;
  objects: KubeObject[];
}

export interface Resolution {
  visits: Visit[];
  /** API errors after visiting (NotFound), in kubectl's wording. */
  errors: string[];
  /** The builder's `singleItemImplied`: one named object was asked for. */
  singleItem: boolean;
}

const namespaced = (t: KindTable) => t.info.namespaced;

export function qualifiedResource(info: KindInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

function notFound(t: KindTable, name: string): string {
  return `Error from server (NotFound): ${qualifiedResource(t.info)} "${name}" not found`;
}

/**
 * The API server lists in storage-key order, `<namespace>/<name>` compared byte-wise; that is
 * not quite "namespace, then name" (`kube-system/x` sorts before `kube/x`, as '-' < '/').
 */
export function byStorageKey(a: KubeObject, b: KubeObject): number {
  const key = (o: KubeObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
  return goStringCompare(key(a), key(b));
}

/**
 * cli-runtime resource.Builder: ResourceTypeOrNameArgs + label selector + namespace rules.
 * Returns a fatal error text (printed instead of anything else) or the visits.
 */
export function resolveArgs(
  args: string[], snap: ClusterSnapshot, namespace: string, allNamespaces: boolean, selector: string | undefined,
): Resolution | { fatal: string } {
  // `svc,ep name` means svc/name ep/name
  if (args.length >= 2) {
    const rs = splitResourceArgument(args[0]);
    if (rs.length > 1) args = rs.flatMap((r) => args.slice(1).map((n) => `${r}/${n}`));
  }
  const slashes = args.filter((a) => a.includes('/')).length;
  const find = (t: KindTable, name: string, ns: string) =>
    t.objects(snap).find((o) => o.metadata.name === name && (!namespaced(t) || (o.metadata.namespace ?? '') === ns));

  if (slashes > 0) {
    if (slashes !== args.length) {
      return { fatal: "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n" };
    }
    const tuples: Array<{ resource: string; name: string }> = [];
    for (const a of args) {
      const seg = a.split('/');
      if (seg.length !== 2) return { fatal: 'error: arguments in resource/name form may not have more than one slash\n' };
      if (!seg[0] || !seg[1] || splitResourceArgument(seg[0]).length !== 1) return { fatal: 'error: arguments in resource/name form must have a single resource and name\n' };
      tuples.push({ resource: seg[0], name: seg[1] });
    }
    if (selector !== undefined) return { fatal: 'error: selectors and the all flag cannot be used when passing resource/name arguments\n' };
    const tables = new Map<string, KindTable>();
    for (const t of tuples) {
      if (tables.has(t.resource)) continue;
      const r = resolveResource(t.resource);
      if ('error' in r) return { fatal: r.error };
      tables.set(t.resource, r);
    }
    const visits: Visit[] = [];
    const errors: string[] = [];
    for (const t of tuples) {
      const table = tables.get(t.resource)!;
      if (namespaced(table) && allNamespaces) return { fatal: 'error: a resource cannot be retrieved by name across all namespaces\n' };
      const o = find(table, t.name, namespace);
      if (o) visits.push({ table, objects: [o] });
      else errors.push(notFound(table, t.name));
    }
    return { visits, errors, singleItem: tuples.length === 1 };
  }

  const types = splitResourceArgument(args[0]).flatMap((r) => (r.toLowerCase() === 'all' ? CATEGORY_ALL : [r]));
  const names = args.slice(1);
  if (selector !== undefined || names.length === 0) {
    if (names.length > 0) return { fatal: 'error: name cannot be provided when a selector is specified\n' };
    let reqs: Requirement[] = [];
    if (selector !== undefined) {
      const parsed = parseSelector(selector);
      // Not verified byte-for-byte: the API server rejects the list with 400 BadRequest.
      if (!parsed.ok) return { fatal: `Error from server (BadRequest): ${parsed.error}\n` };
      reqs = parsed.reqs;
    }
    const tables: KindTable[] = [];
    for (const r of types) {
      const t = resolveResource(r);
      if ('error' in t) return { fatal: t.error };
      if (!tables.includes(t)) tables.push(t); // one list per kind (`svc,services` lists once)
    }
    const visits = tables.map((table) => ({
      table,
      objects: table.objects(snap)
        .filter((o) => !namespaced(table) || allNamespaces || (o.metadata.namespace ?? '') === namespace)
        .filter((o) => selectorMatches(reqs, o.metadata.labels))
        .sort(byStorageKey),
    }));
    return { visits, errors: [], singleItem: false };
  }

  if (types.length > 1) return { fatal: 'error: you must specify only one resource\n' };
  const table = resolveResource(types[0]);
  if ('error' in table) return { fatal: table.error };
  if (namespaced(table) && allNamespaces) return { fatal: 'error: a resource cannot be retrieved by name across all namespaces\n' };
  const visits: Visit[] = [];
  const errors: string[] = [];
  for (const name of names) {
    const o = find(table, name, namespace);
    if (o) visits.push({ table, objects: [o] });
    else errors.push(notFound(table, name));
  }
  return { visits, errors, singleItem: names.length === 1 };
}

// ---------------------------------------------------------------- printing

/** cli-runtime WriteEscaped plus printTable's cut at the first line break. */
function cellText(v: CellValue): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string') {
    const brk = s.search(/[\f\n\r]/);
    if (brk >= 0) s = s.slice(0, brk) + '...';
  }
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}

interface TableOptions {
  wide: boolean;
  noHeaders: boolean;
  withNamespace: boolean;
  withKind: boolean;
  showLabels: boolean;
  labelColumns: string[];
}

/** One HumanReadablePrinter: prints the header once per run of same-kind objects. */
class KindTablePrinter {
  private printedHeaders = false;

  constructor(private readonly table: KindTable, private readonly opts: TableOptions, private readonly now: string) {}

  print(objects: KubeObject[], w: TabWriter): void {
    const { table, opts } = this;
    const cols = table.printer.columns;
    const visible = cols.map((c) => opts.wide || !c.priority);
    const noHeaders = opts.noHeaders || this.printedHeaders;
    if (objects.length > 0) this.printedHeaders = true;
    if (!noHeaders && objects.length === 0) return;

    const lines: string[] = [];
    if (!noHeaders) {
      const headers = cols.filter((_, i) => visible[i]).map((c) => c.name.toUpperCase());
      if (opts.withNamespace) headers.unshift('NAMESPACE');
      for (const l of opts.labelColumns) headers.push(l.split('/').pop()!.toUpperCase());
      if (opts.showLabels) headers.push('LABELS');
      lines.push(headers.join('\t'));
    }
    const kindPrefix = table.info.group ? `${table.info.kind}.${table.info.group}`.toLowerCase() : table.info.kind.toLowerCase();
    for (const o of objects) {
      const cells = table.printer.row(o, { now: this.now });
      if (opts.withKind) cells[0] = `${kindPrefix}/${cells[0]}`;
      const shown: CellValue[] = cells.filter((_, i) => visible[i]);
      if (opts.withNamespace) shown.unshift(o.metadata.namespace ?? '');
      for (const l of opts.labelColumns) shown.push(o.metadata.labels?.[l] ?? '');
      if (opts.showLabels) shown.push(formatLabels(o.metadata.labels));
      lines.push(shown.map(cellText).join('\t'));
    }
    w.write(lines.map((l) => l + '\n').join(''));
  }
}

function nameLine(o: KubeObject, info: KindInfo): string {
  const kind = info.kind.toLowerCase();
  return info.group ? `${kind}.${info.group}/${o.metadata.name}` : `${kind}/${o.metadata.name}`;
}

const ALLOWED_FORMATS = ['custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'wide', 'yaml'];

function errorsText(errors: string[]): string {
  return errors.map((e) => e + '\n').join('');
}

export function kubectlGet(args: string[], ctx: ShellContext): ShellResult {
  const parsed = parseKubectlFlags(args, 'get');
  if (!parsed.ok) return fail(parsed.error);
  const flags = parsed.flags;
  const format = flags.output;
  const formatName = format.split('=')[0];
  if (format !== '' && !ALLOWED_FORMATS.includes(formatName)) {
    return fail(`error: unable to match a printer suitable for the output format "${format}", allowed formats are: ${ALLOWED_FORMATS.join(',')}\n`);
  }
  if (format !== '' && format !== 'wide' && format !== 'name') {
    return fail(`error: kubectl get -o ${format} is not simulated by KubeSim's table printer\n`);
  }
  if (flags.showLabels && format === 'name') return fail('error: --show-labels option cannot be used with name printer\n');
  if (flags.positional.length === 0) {
    return fail(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
      'error: Required resource not specified.\n' +
      'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
      "See 'kubectl get -h' for help and examples\n",
    );
  }

  const snap = ctx.api.snapshot();
  const namespace = contextNamespace(ctx, flags);
  const res = resolveArgs(flags.positional, snap, namespace, flags.allNamespaces, flags.selector);
  if ('fatal' in res) return fail(res.fatal);
  const errors = flags.ignoreNotFound ? [] : res.errors;
  const exitCode = errors.length > 0 ? 1 : 0;

  if (format === 'name') {
    if (res.singleItem && errors.length > 0) return { stdout: '', stderr: errorsText(errors), exitCode };
    const out = res.visits.flatMap((v) => v.objects.map((o) => nameLine(o, v.table.info) + '\n')).join('');
    return { stdout: out, stderr: errorsText(errors), exitCode };
  }

  const stdout = printTables(res.visits, flags, snap.now);
  return { stdout, stderr: errorsText(errors) + noResourcesNotice(errors, res, flags, namespace), exitCode };
}

/** get.go's Run loop over visits: new printer (and reset widths) whenever the kind changes. */
function printTables(visits: Visit[], flags: KubectlFlags, now: string): string {
  const out: string[] = [];
  let written = 0;
  let separatorReady = false;
  const sink = (chunk: string) => {
    if (chunk.length === 0) return;
    if (separatorReady) { out.push('\n'); written += 1; separatorReady = false; }
    out.push(chunk);
    written += chunk.length;
  };
  const w = new TabWriter(KUBECTL_TABLE, sink);
  const withKind = flags.showKind || new Set(visits.map((v) => v.table.info.kind)).size > 1;
  let printer: KindTablePrinter | undefined;
  let last: KindTable | undefined;
  for (const v of visits) {
    if (!printer || v.table !== last) {
      w.flush();
      w.setRememberedWidths(null);
      if (last && !flags.noHeaders && written > 0) separatorReady = true;
      printer = new KindTablePrinter(v.table, {
        wide: flags.output === 'wide',
        noHeaders: flags.noHeaders,
        withNamespace: flags.allNamespaces && v.table.info.namespaced,
        withKind,
        showLabels: flags.showLabels,
        labelColumns: flags.labelColumns,
      }, now);
      last = v.table;
    }
    printer.print(v.objects, w);
  }
  w.flush();
  return out.join('');
}

/** What get.go prints to stderr when it wrote nothing, had no error and was not told to ignore NotFound. */
function noResourcesNotice(errors: string[], res: Resolution, flags: KubectlFlags, namespace: string): string {
  const printedNothing = res.visits.every((v) => v.objects.length === 0);
  if (!printedNothing || flags.ignoreNotFound || errors.length > 0) return '';
  const allNamespaced = !flags.allNamespaces && res.visits.every((v) => v.table.info.namespaced);
  return allNamespaced ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n';
}
