// The kubelet's part of a container's environment (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables + pkg/kubelet/envvars/envvars.go), computed when the container
// starts:
//   * the container's `envFrom` and `env` (literal values with `$(VAR)` references expanded,
//     `valueFrom` from the downward API and ConfigMaps),
//   * the Service variables (getServiceEnvVarMap): for every Service of the pod's namespace
//     that has a ClusterIP (not "None", not ExternalName) and that already existed when the
//     pod started, plus the `kubernetes` Service of `default` for every pod. With
//     `enableServiceLinks: false` only the `kubernetes` Service's variables are set. A
//     variable the container declares itself wins over a Service variable.
// For each Service (FromServices): NAME_SERVICE_HOST, NAME_SERVICE_PORT (first port),
// NAME_SERVICE_PORT_<PORTNAME> for named ports, then Docker-link variables: NAME_PORT (first
// port, proto://ip:port) and for every port NAME_PORT_<port>_<PROTO>, …_PROTO, …_PORT, …_ADDR.
// NAME is the Service name upper-cased with `-` → `_` (makeEnvVariableName).
//
// "Existed when the pod started" compares the Service's creationTimestamp with the pod's
// start (status.startTime, else its creationTimestamp); within the same second (one
// `kubectl apply` of several documents, or one load of the simulator) the order of creation
// decides, which the store's resourceVersion counter records.
import type { ConfigMap, Pod, Service } from '../api/objects';

export interface EnvVar { name: string; value: string }

/** makeEnvVariableName: `demoapp-svc` → `DEMOAPP_SVC`. */
export function envVarName(name: string): string {
  return name.replace(/-/g, '_').toUpperCase();
}

/** Does the Service get variables at all (v1helper.IsServiceIPSet)? */
export function hasServiceIP(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None' && (svc.spec?.ports?.length ?? 0) > 0;
}

/** The variables of one Service, in the order kubelet generates them. */
export function serviceEnvVars(svc: Service): EnvVar[] {
  if (!hasServiceIP(svc)) return [];
  const ip = svc.spec!.clusterIP!;
  const ports = svc.spec!.ports!;
  const prefix = envVarName(svc.metadata.name);
  const out: EnvVar[] = [
    { name: `${prefix}_SERVICE_HOST`, value: ip },
    { name: `${prefix}_SERVICE_PORT`, value: String(ports[0].port) },
  ];
  for (const p of ports) if (p.name) out.push({ name: `${prefix}_SERVICE_PORT_${envVarName(p.name)}`, value: String(p.port) });
  const hostPort = (port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
  ports.forEach((p, i) => {
    const proto = (p.protocol || 'TCP').toLowerCase();
    const url = `${proto}://${hostPort(p.port)}`;
    if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
    const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push({ name: pp, value: url }, { name: `${pp}_PROTO`, value: proto }, { name: `${pp}_PORT`, value: String(p.port) }, { name: `${pp}_ADDR`, value: ip });
  });
  return out;
}

function instant(iso: string | undefined): number {
  return iso ? Date.parse(iso) : NaN;
}

/** Did the Service exist when the pod's containers started? */
export function existedAtStart(svc: Service, pod: Pod): boolean {
  const s = instant(svc.metadata.creationTimestamp);
  const p = instant(pod.status?.startTime ?? pod.metadata.creationTimestamp);
  if (Number.isNaN(s) || Number.isNaN(p)) return true;
  if (s !== p) return s < p;
  const sv = Number(svc.metadata.resourceVersion);
  const pv = Number(pod.metadata.resourceVersion);
  return Number.isFinite(sv) && Number.isFinite(pv) ? sv < pv : true;
}

/** getServiceEnvVarMap, as name → value. */
export function serviceEnvMap(services: readonly Service[], pod: Pod): Map<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks !== false;
  const chosen = new Map<string, Service>();
  for (const s of services) {
    if (!hasServiceIP(s)) continue;
    const name = s.metadata.name;
    // The master service is always there (and never newer than a pod); a Service of the same
    // name in the pod's own namespace replaces it.
    if (s.metadata.namespace === 'default' && name === 'kubernetes') {
      if (!chosen.has(name)) chosen.set(name, s);
    } else if (s.metadata.namespace === ns && links && existedAtStart(s, pod)) chosen.set(name, s);
  }
  const m = new Map<string, string>();
  for (const s of chosen.values()) for (const v of serviceEnvVars(s)) m.set(v.name, v.value);
  return m;
}

/** third_party/forked/golang/expansion.Expand: `$(VAR)` from the mapping, `$$` → `$`, anything else kept. */
export function expandReferences(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) { out += c; continue; }
    const n = input[i + 1];
    if (n === '$') { out += '$'; i++; continue; }
    if (n === '(') {
      const close = input.indexOf(')', i + 2);
      if (close === -1) { out += '$('; i++; continue; }
      const name = input.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close;
      continue;
    }
    out += `$${n}`;
    i++;
  }
  return out;
}

/** The downward API fields kubelet resolves for `valueFrom.fieldRef`. */
function fieldValue(pod: Pod, path: string): string | undefined {
  const md = pod.metadata;
  const label = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (label) return (label[1] === 'labels' ? md.labels : md.annotations)?.[label[2]];
  switch (path) {
    case 'metadata.name': return md.name;
    case 'metadata.namespace': return md.namespace ?? 'default';
    case 'metadata.uid': return md.uid;
    case 'spec.nodeName': return pod.spec?.nodeName;
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? 'default';
    case 'status.podIP': return pod.status?.podIP ?? '';
    case 'status.podIPs': return (pod.status?.podIPs ?? []).map((p) => p.ip).join(',');
    case 'status.hostIP': return pod.status?.hostIP ?? '';
    case 'status.hostIPs': return (pod.status?.hostIPs ?? []).map((p) => p.ip).join(',');
    default: return undefined;
  }
}

const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The variables kubelet hands the runtime for one container: the container's own (envFrom,
 * then env, in spec order) followed by the Service variables it did not declare itself,
 * sorted by name in code-unit order (kubelet builds a Go map, so the real order is random;
 * sorted is what `env | LC_ALL=C sort` shows). Variables kubelet cannot resolve here (Secrets, resource fields, a
 * missing ConfigMap key) are left out.
 */
export function kubeletEnv(pod: Pod, services: readonly Service[], configMaps: readonly ConfigMap[] = [], container = 0): EnvVar[] {
  const c = pod.spec?.containers?.[container];
  const ns = pod.metadata.namespace ?? 'default';
  const cm = (name: string | undefined) => configMaps.find((m) => m.metadata.namespace === ns && m.metadata.name === name);
  const declared = new Map<string, string>();
  for (const from of c?.envFrom ?? []) {
    if (!from.configMapRef) continue;
    const data = cm(from.configMapRef.name)?.data ?? {};
    for (const k of Object.keys(data).sort()) {
      const name = `${from.prefix ?? ''}${k}`;
      if (C_IDENTIFIER.test(name) || /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) declared.set(name, data[k]);
    }
  }
  const svcEnv = serviceEnvMap(services, pod);
  const lookup = (name: string) => declared.get(name) ?? svcEnv.get(name);
  for (const e of c?.env ?? []) {
    let value: string | undefined;
    if (e.valueFrom) {
      if (e.valueFrom.fieldRef) value = fieldValue(pod, e.valueFrom.fieldRef.fieldPath);
      else if (e.valueFrom.configMapKeyRef) value = cm(e.valueFrom.configMapKeyRef.name)?.data?.[e.valueFrom.configMapKeyRef.key];
    } else value = expandReferences(e.value ?? '', lookup);
    if (value !== undefined) declared.set(e.name, value);
  }
  const out: EnvVar[] = [...declared].map(([name, value]) => ({ name, value }));
  for (const name of [...svcEnv.keys()].sort()) if (!declared.has(name)) out.push({ name, value: svcEnv.get(name)! });
  return out;
}
