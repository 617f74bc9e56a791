// The simulated API server: create / update / patch / delete with the real server's
// decoding, defaulting, validation and allocation. Every refusal is both a located
// bilingual Diagnostic and the exact text kubectl prints.
import type { Diagnostic, SourcePos } from '../diag';
import { text } from '../diag';
import type { ClusterConfig } from '../cluster/config';
import type { PathSegment } from '../yaml/locate';
import { CONFIG_KINDS, KIND_BY_NAME, describeRef, type KubeObject, type Service } from './objects';
import type { ObjectStore } from './store';
import type { Clock } from './clock';
import { type FieldError, fieldErrorText, invalidText } from './errors';
import { checkShape, fieldPath, hasSchema } from './schema/shape';
import { defaultService, defaultServiceIPFamilies } from './service/defaults';
import { validateClusterIPFields, validateService } from './service/validate';
import { allocateService } from './service/allocate';
import { defaultDaemonSet, defaultDeployment, defaultPod, defaultReplicaSet, defaultStatefulSet } from './workloads/defaults';
import { validatePodSpec, validateSelectorAndTemplate } from './workloads/validate';
import { dns1123Label, dns1123Subdomain } from './validation/names';
import { validateEndpoints, validateEndpointSlice } from './endpoints/validate';
import { uidFor } from './uid';

export interface AdmitSource {
  /** File name as kubectl names it in `error when creating "x.yaml"`. */
  file?: string;
  pos?: SourcePos;
  locate?: (path: readonly PathSegment[]) => SourcePos;
}

export interface AdmitOutcome {
  ok: boolean;
  action?: 'created' | 'configured' | 'unchanged';
  object?: KubeObject;
  diagnostics: Diagnostic[];
  /** kubectl's output line(s): `service/x created` or the error text. */
  kubectl: string;
}

export interface ApiServerDeps {
  store: ObjectStore;
  config: ClusterConfig;
  seed: number;
  clock: Clock;
}

/** Field paths the registry reports that the learner wrote under another name. */
function writtenPath(path: PathSegment[]): PathSegment[] {
  if (path[0] === 'spec' && path[1] === 'clusterIPs') return ['spec', 'clusterIP'];
  return path;
}

export class ApiServer {
  constructor(readonly deps: ApiServerDeps) {}

  get store(): ObjectStore { return this.deps.store; }
  get config(): ClusterConfig { return this.deps.config; }

  /** `kubectl apply`: create, or update what exists. */
  apply(input: Record<string, unknown>, src: AdmitSource = {}, verb: 'apply' | 'create' = 'apply'): AdmitOutcome {
    const diagnostics: Diagnostic[] = [];
    const pos = src.pos;
    const where = (path: PathSegment[]): Partial<SourcePos> => (src.locate ? src.locate(writtenPath(path)) : pos ?? {});
    const kind = typeof input.kind === 'string' ? input.kind : '';
    const apiVersion = typeof input.apiVersion === 'string' ? input.apiVersion : '';
    const meta = (input.metadata && typeof input.metadata === 'object' ? input.metadata : {}) as Record<string, unknown>;
    const name = typeof meta.name === 'string' ? meta.name : '';
    const fileRef = src.file ?? 'STDIN';

    if (!kind || !apiVersion) {
      const missing = [!apiVersion && 'apiVersion not set', !kind && 'kind not set'].filter(Boolean).join(', ');
      const raw = `error: error validating "${fileRef}": error validating data: [${missing}]; if you choose to ignore these errors, turn validation off with --validate=false`;
      diagnostics.push({ severity: 'error', code: 'api.missing-kind', ...where([]),
        message: text(`${missing}: every Kubernetes object needs apiVersion and kind`, `缺少 ${!apiVersion ? 'apiVersion' : ''}${!apiVersion && !kind ? ' 和 ' : ''}${!kind ? 'kind' : ''}：每个 Kubernetes 对象都必须写明 apiVersion 和 kind`),
        hint: text('add e.g. "apiVersion: v1" and "kind: Service" at the top of the document', '在文档开头加上例如 "apiVersion: v1" 和 "kind: Service"'), raw });
      return { ok: false, diagnostics, kubectl: raw };
    }
    const info = KIND_BY_NAME.get(kind);
    if (!info) {
      const raw = `error: resource mapping not found for name: "${name}" namespace: "${typeof meta.namespace === 'string' ? meta.namespace : ''}" from "${fileRef}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`;
      if (!CONFIG_KINDS.has(kind)) {
        diagnostics.push({ severity: 'warning', code: 'api.unknown-kind', ...where(['kind']),
          message: text(`KubeSim does not simulate kind "${kind}" (${apiVersion}); the object is ignored`, `KubeSim 不模拟 "${kind}"（${apiVersion}）类型，该对象被忽略`),
          hint: text('Services, workloads, Endpoints/EndpointSlices, Nodes, ConfigMaps and MetalLB pools are simulated', '可模拟的有：Service、各类工作负载、Endpoints/EndpointSlice、Node、ConfigMap 和 MetalLB 地址池'), raw });
      }
      return { ok: false, diagnostics, kubectl: raw };
    }
    if (info.group && !apiVersion.startsWith(`${info.group}/`) || (!info.group && apiVersion !== 'v1')) {
      const raw = `error: resource mapping not found for name: "${name}" namespace: "" from "${fileRef}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`;
      diagnostics.push({ severity: 'error', code: 'api.wrong-version', ...where(['apiVersion']),
        message: text(`no matches for kind "${kind}" in version "${apiVersion}"`, `"${apiVersion}" 中没有 "${kind}" 类型`),
        hint: text(`use apiVersion: ${info.apiVersion}`, `请改为 apiVersion: ${info.apiVersion}`), raw });
      return { ok: false, diagnostics, kubectl: raw };
    }

    // Decoding: wrong types are fatal, unknown fields are dropped with a warning.
    // The server takes ownership of `input` (callers pass freshly parsed or built objects).
    const obj = input as KubeObject;
    obj.metadata = (obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {}) as KubeObject['metadata'];
    if (hasSchema(kind)) {
      for (const p of checkShape(kind, obj)) {
        const f = fieldPath(p.path);
        if (p.kind === 'wrong-type') {
          const goField = `${p.struct}.${p.path.filter((s) => typeof s === 'string').join('.')}`;
          const raw = `Error from server (BadRequest): error when creating "${fileRef}": ${kind} in version "${apiVersion.split('/').pop()}" cannot be handled as a ${kind}: json: cannot unmarshal ${p.found} into Go struct field ${goField} of type ${p.expected}`;
          diagnostics.push({ severity: 'error', code: 'api.wrong-type', ...where(p.path), field: f, object: describeRef(obj),
            message: text(`${f} must be a ${p.expected}, not a ${p.found}`, `${f} 的类型应为 ${p.expected}，这里写成了 ${p.found}`),
            hint: text(p.expected === 'string' ? 'quote the value, e.g. "1.0"' : 'remove the quotes or fix the value', p.expected === 'string' ? '给值加上引号，例如 "1.0"' : '去掉引号或改正取值'), raw });
        } else {
          // Status written by newer clusters than our schema knows is kept silently (replayed dumps).
          if (p.path[0] === 'status' || (p.path[0] === 'metadata' && p.path[1] === 'managedFields')) continue;
          // kubectl ≥ 1.25 refuses unknown fields (--validate=strict); KubeSim drops the field and
          // warns, so one typo does not empty the learner's cluster — and shows what kubectl would say.
          diagnostics.push({ severity: 'warning', code: 'api.unknown-field', ...where(p.path), field: f, object: describeRef(obj),
            message: text(`unknown field "${f}": a real API server rejects the whole object (kubectl's default --validate=strict); KubeSim ignored the field`, `未知字段 "${f}"：真实的 API Server 会拒绝整个对象（kubectl 默认 --validate=strict）；KubeSim 忽略了该字段`),
            hint: text('check the spelling and the indentation: the field may belong one level up or down', '请检查拼写和缩进：这个字段可能应在上一级或下一级'),
            raw: `Error from server (BadRequest): error when creating "${fileRef}": ${kind} in version "${apiVersion.split('/').pop()}" cannot be handled as a ${kind}: strict decoding error: unknown field "${f}"` });
          deletePath(obj, p.path);
        }
      }
      if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics, kubectl: diagnostics.find((d) => d.raw)!.raw! };
    }

    // Names and namespaces.
    const md = obj.metadata;
    if (!md.name) {
      const raw = `error: error when retrieving current configuration of:\nResource: "${info.resource}", GroupVersionKind: "${info.group ? `${info.group}/` : ''}v1, Kind=${kind}"\nName: "", Namespace: "${md.namespace ?? 'default'}"\nfrom server for: "${fileRef}": resource name may not be empty`;
      diagnostics.push({ severity: 'error', code: 'api.name-required', ...where(['metadata']),
        message: text('metadata.name is required', '必须填写 metadata.name'), hint: text('give the object a name', '请为对象起一个名字'), raw });
      return { ok: false, diagnostics, kubectl: raw };
    }
    if (info.namespaced) md.namespace ??= 'default';
    else delete md.namespace;
    if (info.namespaced && !this.store.get('Namespace', undefined, md.namespace!)) {
      // Replays of real dumps often leave the Namespace objects out: create it, but say what kubectl would do.
      const raw = `Error from server (NotFound): error when creating "${fileRef}": namespaces "${md.namespace}" not found`;
      diagnostics.push({ severity: 'warning', code: 'api.namespace-created', ...where(['metadata', 'namespace']),
        message: text(`namespace "${md.namespace}" does not exist; a real cluster would refuse this object, KubeSim created the namespace for you`, `命名空间 "${md.namespace}" 不存在：真实集群会拒绝这个对象，KubeSim 已替你创建该命名空间`),
        hint: text(`add a Namespace object before it, or run "kubectl create namespace ${md.namespace}"`, `请在它之前添加 Namespace 对象，或先执行 "kubectl create namespace ${md.namespace}"`), raw });
      this.createNamespace(md.namespace!);
    }

    const prev = this.store.get(kind, md.namespace, md.name);
    const errors = this.admit(obj, prev);
    if (errors.length > 0) {
      const raw = invalidText(kind, md.name, errors);
      for (const e of errors) {
        diagnostics.push({ severity: 'error', code: 'api.invalid', ...where(e.path), field: fieldPath(e.path), object: describeRef(obj),
          message: text(fieldErrorText(e), e.detailZh ? `${fieldPath(e.path)}：${e.detailZh}` : fieldErrorText(e)), raw });
      }
      return { ok: false, diagnostics, kubectl: raw };
    }
    const unchanged = prev !== undefined && sameContent(prev, obj);
    if (!unchanged) this.store.put(obj);
    const action = prev ? (unchanged ? 'unchanged' : 'configured') : 'created';
    const ref = `${info.group ? `${info.singular}.${info.group}` : info.singular}/${md.name}`;
    return { ok: true, action, object: unchanged ? prev : obj, diagnostics, kubectl: `${ref} ${verb === 'create' ? 'created' : action}` };
  }

  /** Minor version of the simulated API server (message wording and defaults changed over time). */
  minor(): number {
    const version = this.config.kubernetesVersion;
    if (this.minorOf?.version !== version) {
      const m = /^v?\d+\.(\d+)/.exec(version);
      this.minorOf = { version, minor: m ? Number(m[1]) : 31 };
    }
    return this.minorOf.minor;
  }

  /** minor() of the last version asked about (the version is read on every Service admitted). */
  private minorOf?: { version: string; minor: number };

  /** Defaulting, validation, allocation, metadata. Mutates `obj`; on errors nothing is stored. */
  private admit(obj: KubeObject, prev: KubeObject | undefined): FieldError[] {
    const errs: FieldError[] = [];
    const md = obj.metadata;
    const nameRule = obj.kind === 'Service' ? null : obj.kind === 'Namespace' ? dns1123Label : dns1123Subdomain;
    if (nameRule) for (const m of nameRule(md.name)) errs.push({ type: 'Invalid', path: ['metadata', 'name'], value: JSON.stringify(md.name), detail: m });
    const spec = obj.spec as Record<string, unknown> | undefined;
    switch (obj.kind) {
      case 'Service': {
        const svc = obj as unknown as Service;
        const minor = this.minor();
        defaultService(svc, minor);
        // The registry's order: clusterIP fields, then allocation (each stopping at its first
        // error), then the full validation — so a bad nodePort hides every other mistake.
        const pre = validateClusterIPFields(svc);
        if (pre.length) return pre;
        const alloc = allocateService(svc, prev as Service | undefined, this.store, this.config, this.deps.seed);
        if (alloc.errors.length) { alloc.release(); return alloc.errors.slice(0, 1); }
        errs.push(...validateService(svc, minor));
        if (errs.length) { alloc.release(); return errs; }
        defaultServiceIPFamilies(svc);
        if (prev) this.releaseService(prev as Service, svc);
        break;
      }
      case 'Pod':
        defaultPod(obj as never);
        errs.push(...validatePodSpec(spec as never, ['spec']));
        break;
      case 'Deployment':
        defaultDeployment(obj as never);
        errs.push(...validateSelectorAndTemplate(spec?.selector as never, spec?.template as never, ['spec'], 'deployment', spec?.replicas as number | undefined));
        break;
      case 'ReplicaSet':
        defaultReplicaSet(obj as never);
        errs.push(...validateSelectorAndTemplate(spec?.selector as never, spec?.template as never, ['spec'], 'replicaset', spec?.replicas as number | undefined));
        break;
      case 'StatefulSet':
        defaultStatefulSet(obj as never);
        errs.push(...validateSelectorAndTemplate(spec?.selector as never, spec?.template as never, ['spec'], 'statefulset', spec?.replicas as number | undefined));
        break;
      case 'DaemonSet':
        defaultDaemonSet(obj as never);
        errs.push(...validateSelectorAndTemplate(spec?.selector as never, spec?.template as never, ['spec'], 'daemonset', spec?.replicas as number | undefined));
        break;
      case 'Endpoints':
        errs.push(...validateEndpoints(obj as never));
        break;
      case 'EndpointSlice':
        errs.push(...validateEndpointSlice(obj as never));
        break;
    }
    if (errs.length) return errs;
    // Server-set metadata; values written in the YAML (a real cluster's dump) are kept.
    md.uid ??= prev?.metadata.uid ?? uidFor(this.deps.seed, `${obj.kind}/${md.namespace ?? ''}/${md.name}`);
    md.creationTimestamp ??= prev?.metadata.creationTimestamp ?? this.deps.clock.iso();
    md.resourceVersion = this.store.nextResourceVersion();
    if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Service'].includes(obj.kind) && obj.kind !== 'Service') {
      md.generation = prev && !sameContent(prev, obj) ? (prev.metadata.generation ?? 1) + 1 : (prev?.metadata.generation ?? md.generation ?? 1);
    }
    delete md.managedFields;
    return [];
  }

  /** Give back the IP/ports an older version of a Service held that the new one no longer does. */
  private releaseService(prev: Service, next: Service | undefined): void {
    const owner = `${prev.metadata.namespace}/${prev.metadata.name}`;
    const keepIP = next?.spec?.clusterIP;
    const oldIP = prev.spec?.clusterIP;
    if (oldIP && oldIP !== keepIP && this.store.clusterIPs.get(oldIP) === owner) this.store.clusterIPs.delete(oldIP);
    const keepPorts = new Set<number>([...(next?.spec?.ports ?? []).map((p) => p.nodePort ?? 0), next?.spec?.healthCheckNodePort ?? 0]);
    for (const n of [...(prev.spec?.ports ?? []).map((p) => p.nodePort ?? 0), prev.spec?.healthCheckNodePort ?? 0]) {
      if (n && !keepPorts.has(n) && this.store.nodePorts.get(String(n)) === owner) this.store.nodePorts.delete(String(n));
    }
  }

  delete(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.store.remove(kind, namespace, name);
    if (o?.kind === 'Service') this.releaseService(o as unknown as Service, undefined);
    return o;
  }

  createNamespace(name: string, creationTimestamp?: string): void {
    if (this.store.get('Namespace', undefined, name)) return;
    this.store.put({
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name, uid: uidFor(this.deps.seed, `Namespace//${name}`), creationTimestamp: creationTimestamp ?? this.deps.clock.iso(),
        resourceVersion: this.store.nextResourceVersion(), labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    });
  }
}

function deletePath(obj: unknown, path: PathSegment[]): void {
  let cur = obj as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    cur = cur?.[path[i]] as Record<string | number, unknown>;
    if (!cur || typeof cur !== 'object') return;
  }
  delete cur[path[path.length - 1]];
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, generation: undefined } });
  return strip(a) === strip(b);
}
