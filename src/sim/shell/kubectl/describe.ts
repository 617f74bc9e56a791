// `kubectl describe` for Services, Endpoints, EndpointSlices and Pods, following
// k8s.io/kubectl/pkg/describe/describe.go: text written through a PrefixWriter (two spaces per
// level, terminal-escaped) into a text/tabwriter(minwidth 0, tabwidth 8, padding 2, ' ').
// Service output depends on the kubectl minor version: 1.31 reads EndpointSlices, prints
// "Desired LoadBalancer IP" and "Internal Traffic Policy"; 1.28–1.30 read the Endpoints object;
// 1.32+ also leaves not-ready slice endpoints out.
// KubeSim's own teaching warnings follow the real text, each line starting `Warning (KubeSim):`.
import type { EndpointSlice, Endpoints, KubeObject, Pod, Service } from '../../api/objects';
import type { ClusterSnapshot, ServiceInsight } from '../../snapshot';
import { fail, type ShellContext, type ShellResult } from '../types';
import { translateTimestampSince } from './duration';
import { joinHostPort } from './columns/endpoints';
import { formatLabelSelector, formatLabels, goStringCompare } from '../../api/labels';
import { byStorageKey, contextNamespace, parseKubectlFlags, qualifiedResource, resolveArgs, resolveResource, type Visit } from './get';
import { KUBECTL_DESCRIBE, tabulate } from './tabwriter';

// ---------------------------------------------------------------- PrefixWriter

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_ANNOTATION_LEN = 140;

function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

class PrefixWriter {
  private readonly parts: string[] = [];

  /** PrefixWriter.Write: `level` × two spaces, then the already formatted text. */
  write(level: number, text: string): void {
    this.parts.push(escapeTerminal('  '.repeat(level) + text));
  }

  /** PrefixWriter.WriteLine: text and a newline, no indentation. */
  writeLine(text: string): void {
    this.parts.push(escapeTerminal(text + '\n'));
  }

  /** tabbedString: align everything written. */
  text(): string {
    return tabulate(this.parts.join(''), KUBECTL_DESCRIBE);
  }
}

/** printLabelsMultiline: first label after the title, the rest on continuation lines. */
function writeLabels(w: PrefixWriter, title: string, labels: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(goStringCompare);
  if (keys.length === 0) { w.writeLine('<none>'); return; }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

/** printAnnotationsMultiline: long or multi-line values go below their key, cut at 138 bytes. */
function writeAnnotations(w: PrefixWriter, annotations: Record<string, string> | undefined): void {
  w.write(0, 'Annotations:\t');
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED).sort(goStringCompare);
  if (keys.length === 0) { w.writeLine('<none>'); return; }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![k].replace(/\n$/, '');
    if (utf8Length(value) + utf8Length(k) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${k}: ${value}\n`);
    }
  });
}

function shorten(s: string, max: number): string {
  if (utf8Length(s) <= max) return s;
  const bytes = new TextEncoder().encode(s).slice(0, max);
  return new TextDecoder().decode(bytes) + '...';
}

function writeEvents(w: PrefixWriter, showEvents: boolean): void {
  // The simulator records no Events, so a shown event list is always empty.
  if (showEvents) w.write(0, 'Events:\t<none>\n');
}

// ---------------------------------------------------------------- Service

/** The kubectl minor version the simulated cluster is paired with (kubectl == server version). */
function kubectlMinor(snap: ClusterSnapshot): number {
  const m = /^v?\d+\.(\d+)/.exec(snap.config.kubernetesVersion);
  return m ? Number(m[1]) : 31;
}

function buildIngressString(svc: Service, minor: number): string {
  return (svc.status?.loadBalancer?.ingress ?? [])
    .map((ing) => {
      if (!ing.ip) return ing.hostname ?? '';
      return minor >= 31 && ing.ipMode ? `${ing.ip} (${ing.ipMode})` : ing.ip;
    })
    .join(', ');
}

/** describe.go formatEndpoints (1.28–1.30): the Service's Endpoints object, for one port name. */
function endpointsForPort(ep: Endpoints | undefined, portName: string): string {
  const subsets = ep?.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const ports = ss.ports ?? [];
    const addrs = ss.addresses ?? [];
    if (ports.length === 0) {
      for (const a of addrs) {
        if (list.length === 3) more = true;
        if (!more) list.push(a.ip);
        count++;
      }
      continue;
    }
    for (const p of ports) {
      if ((p.name ?? '') !== portName) continue;
      for (const a of addrs) {
        if (list.length === 3) more = true;
        if (!more) list.push(joinHostPort(a.ip, p.port));
        count++;
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - 3} more...` : ret;
}

/**
 * describe.go formatEndpointSlices: kubectl 1.31 lists every endpoint of the Service's slices,
 * ready or not; 1.32+ skips endpoints whose `ready` is false (after the "more" check, as there).
 */
function endpointSlicesForPort(slices: EndpointSlice[], portName: string, skipNotReady: boolean): string {
  const notReady = (e: EndpointSlice['endpoints'][number]) => skipNotReady && e.conditions?.ready === false;
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const s of slices) {
    const endpoints = s.endpoints ?? [];
    if ((s.ports ?? []).length === 0) {
      for (const e of endpoints) {
        if (list.length === 3) more = true;
        if (notReady(e)) continue;
        if (!more) list.push(e.addresses[0]);
        count++;
      }
      continue;
    }
    for (const p of s.ports ?? []) {
      if ((p.name ?? '') !== portName) continue;
      for (const e of endpoints) {
        if (list.length === 3) more = true;
        if (notReady(e)) continue;
        if (!more) list.push(joinHostPort(e.addresses[0], p.port ?? 0));
        count++;
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - 3} more...` : ret;
}

export function describeService(svc: Service, snap: ClusterSnapshot, showEvents = true): string {
  const minor = kubectlMinor(snap);
  const ns = svc.metadata.namespace ?? '';
  const spec = svc.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${ns}\n`);
  writeLabels(w, 'Labels', svc.metadata.labels);
  writeAnnotations(w, svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? 'ClusterIP'}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${(spec.ipFamilies ?? []).length > 0 ? spec.ipFamilies!.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${(spec.clusterIPs ?? []).length > 0 ? spec.clusterIPs!.join(',') : '<none>'}\n`);
  if ((spec.externalIPs ?? []).length > 0) w.write(0, `External IPs:\t${spec.externalIPs!.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `${minor >= 31 ? 'Desired LoadBalancer IP' : 'IP'}:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  if ((svc.status?.loadBalancer?.ingress ?? []).length > 0) w.write(0, `LoadBalancer Ingress:\t${buildIngressString(svc, minor)}\n`);

  const slices = snap.endpointSlices
    .filter((s) => (s.metadata.namespace ?? '') === ns && s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
    .sort((a, b) => goStringCompare(a.metadata.name, b.metadata.name));
  const endpoints = snap.endpoints.find((e) => (e.metadata.namespace ?? '') === ns && e.metadata.name === svc.metadata.name);
  for (const sp of spec.ports ?? []) {
    const name = sp.name || '<unset>';
    const proto = sp.protocol ?? 'TCP';
    const target = sp.targetPort ?? sp.port;
    w.write(0, `Port:\t${name}\t${sp.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${target}/${proto}\n`);
    if (sp.nodePort) w.write(0, `NodePort:\t${name}\t${sp.nodePort}/${proto}\n`);
    const eps = minor >= 31 ? endpointSlicesForPort(slices, sp.name ?? '', minor >= 32) : endpointsForPort(endpoints, sp.name ?? '');
    w.write(0, `Endpoints:\t${eps}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (minor >= 31 && spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if ((spec.loadBalancerSourceRanges ?? []).length > 0) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges!.join(',')}\n`);
  writeEvents(w, showEvents);
  return w.text();
}

// ---------------------------------------------------------------- Endpoints / EndpointSlice

export function describeEndpoints(ep: Endpoints, showEvents = true): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ep.metadata.name}\n`);
  w.write(0, `Namespace:\t${ep.metadata.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', ep.metadata.labels);
  writeAnnotations(w, ep.metadata.annotations);
  w.write(0, 'Subsets:\n');
  for (const ss of ep.subsets ?? []) {
    w.write(1, `Addresses:\t${(ss.addresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    w.write(1, `NotReadyAddresses:\t${(ss.notReadyAddresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    if ((ss.ports ?? []).length > 0) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of ss.ports!) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? 'TCP'}\n`);
    }
    w.write(0, '\n');
  }
  writeEvents(w, showEvents);
  return w.text();
}

export function describeEndpointSlice(s: EndpointSlice, showEvents = true): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${s.metadata.name}\n`);
  w.write(0, `Namespace:\t${s.metadata.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', s.metadata.labels);
  writeAnnotations(w, s.metadata.annotations);
  w.write(0, `AddressType:\t${s.addressType}\n`);
  if ((s.ports ?? []).length === 0) w.write(0, 'Ports: <unset>\n');
  else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of s.ports!) w.write(1, `${p.name || '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? 'TCP'}\n`);
  }
  if ((s.endpoints ?? []).length === 0) w.write(0, 'Endpoints: <none>\n');
  else {
    w.write(0, 'Endpoints:\n');
    for (const e of s.endpoints) {
      w.write(1, `- Addresses:\t${e.addresses.join(', ') || '<none>'}\n`);
      w.write(2, 'Conditions:\n');
      w.write(3, `Ready:\t${e.conditions?.ready === undefined ? '<unset>' : String(e.conditions.ready)}\n`);
      w.write(2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
      if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind ?? ''}/${e.targetRef.name ?? ''}\n`);
      w.write(2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
      w.write(2, `Zone:\t${e.zone ?? '<unset>'}\n`);
    }
  }
  writeEvents(w, showEvents);
  return w.text();
}

// ---------------------------------------------------------------- Pod

type Container = NonNullable<Pod['spec']>['containers'][number];
type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];
type ContainerState = NonNullable<ContainerStatus['state']>;
type Probe = NonNullable<Container['livenessProbe']>;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z, rendered in UTC (the simulated kubectl runs with TZ=UTC). */
function rfc1123z(iso: string | undefined): string {
  const t = iso ? new Date(iso) : new Date(Date.UTC(1, 0, 1));
  if (!iso) t.setUTCFullYear(1);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[t.getUTCDay()]}, ${p(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${String(t.getUTCFullYear()).padStart(4, '0')} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +0000`;
}

function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const port = String(p.httpGet.port ?? '');
    const host = port.length > 0 ? joinHostPort(p.httpGet.host ?? '', port) : p.httpGet.host ?? '';
    let path = p.httpGet.path ?? '';
    if (path && !path.startsWith('/')) path = '/' + path;
    return `http-get ${(p.httpGet.scheme ?? 'HTTP').toLowerCase()}://${host}${path} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeState(w: PrefixWriter, title: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${title}:\tWaiting\n`);
  }
}

/** EnvValueRetriever for the downward-API field paths pods commonly use. */
function podFieldValue(pod: Pod, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': return pod.status?.hostIP ?? '';
    case 'status.hostIPs': return (pod.status?.hostIPs ?? []).map((i) => i.ip).join(',');
    case 'status.podIP': return pod.status?.podIP ?? '';
    case 'status.podIPs': return (pod.status?.podIPs ?? []).map((i) => i.ip).join(',');
  }
  return '';
}

function describeContainer(w: PrefixWriter, pod: Pod, c: Container, status: ContainerStatus | undefined): void {
  w.write(1, `${c.name}:\n`);
  if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(2, `Image ID:\t${status.imageID}\n`);
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
  w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
  const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
  w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
  for (const [title, items] of [['Command', c.command], ['Args', c.args]] as const) {
    if (!items || items.length === 0) continue;
    w.write(2, `${title}:\n`);
    for (const item of items) for (const s of item.split('\n')) w.write(3, `${s}\n`);
  }
  if (status) {
    describeState(w, 'State', status.state);
    if (status.lastState?.terminated) describeState(w, 'Last State', status.lastState);
    w.write(2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
    w.write(2, `Restart Count:\t${status.restartCount ?? 0}\n`);
  }
  // Quantities are printed as stored; kubectl would canonicalize them (e.g. 0.5 -> 500m).
  for (const [title, list] of [['Limits', c.resources?.limits], ['Requests', c.resources?.requests]] as const) {
    const names = Object.keys(list ?? {}).sort(goStringCompare);
    if (names.length === 0) continue;
    w.write(2, `${title}:\n`);
    for (const n of names) w.write(3, `${n}:\t${list![n]}\n`);
  }
  if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
  if ((c.envFrom ?? []).length > 0) {
    w.write(2, 'Environment Variables from:\n');
    for (const e of c.envFrom!) {
      const from = e.configMapRef ? ['ConfigMap', e.configMapRef.name ?? '', e.configMapRef.optional] as const : e.secretRef ? ['Secret', e.secretRef.name ?? '', e.secretRef.optional] as const : undefined;
      if (!from) continue;
      if (!e.prefix) w.write(3, `${from[1]}\t${from[0]}\tOptional: ${from[2] === true}\n`);
      else w.write(3, `${from[1]}\t${from[0]} with prefix '${e.prefix}'\tOptional: ${from[2] === true}\n`);
    }
  }
  w.write(2, `Environment:${(c.env ?? []).length === 0 ? '\t<none>' : ''}\n`);
  for (const e of c.env ?? []) {
    const vf = e.valueFrom;
    if (!vf) {
      (e.value ?? '').split('\n').forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    } else if (vf.fieldRef) {
      w.write(3, `${e.name}:\t${podFieldValue(pod, vf.fieldRef.fieldPath)} (${vf.fieldRef.apiVersion ?? 'v1'}:${vf.fieldRef.fieldPath})\n`);
    } else if (vf.resourceFieldRef) {
      // Not modelled: the container's resource value (kubectl prints "node allocatable" for 0 limits).
      w.write(3, `${e.name}:\t (${vf.resourceFieldRef.resource})\n`);
    } else if (vf.secretKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name ?? ''}'>\tOptional: ${vf.secretKeyRef.optional === true}\n`);
    } else if (vf.configMapKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name ?? ''}'>\tOptional: ${vf.configMapKeyRef.optional === true}\n`);
    }
  }
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => goStringCompare(a.mountPath, b.mountPath));
  w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
}

function describeVolumes(w: PrefixWriter, pod: Pod): void {
  const volumes = pod.spec?.volumes ?? [];
  if (volumes.length === 0) { w.write(0, 'Volumes:\t<none>\n'); return; }
  w.write(0, 'Volumes:\n');
  // Go prints a nil *bool with %v as <nil>.
  const ptrBool = (b: boolean | undefined) => (b === undefined ? '<nil>' : String(b));
  for (const v of volumes) {
    w.write(1, `${v.name}:\n`);
    if (v.hostPath) {
      w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || '<none>'}\n`);
    } else if (v.emptyDir) {
      const limit = v.emptyDir.sizeLimit && v.emptyDir.sizeLimit !== '0' ? String(v.emptyDir.sizeLimit) : '<unset>';
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${limit}\n`);
    } else if (v.secret) {
      w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`);
    } else if (v.configMap) {
      w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`);
    } else if (v.persistentVolumeClaim) {
      w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`);
    } else if (v.downwardAPI) {
      w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
      for (const it of v.downwardAPI.items ?? []) {
        if (it.fieldRef) w.write(3, `${it.fieldRef.fieldPath} -> ${it.path}\n`);
        if (it.resourceFieldRef) w.write(3, `${it.resourceFieldRef.resource} -> ${it.path}\n`);
      }
    } else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.secret) w.write(2, `SecretName:\t${s.secret.name ?? ''}\n    SecretOptionalName:\t${ptrBool(s.secret.optional)}\n`);
        else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
        else if (s.configMap) w.write(2, `ConfigMapName:\t${s.configMap.name ?? ''}\n    ConfigMapOptional:\t${ptrBool(s.configMap.optional)}\n`);
        else if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3600}\n`);
      }
    } else {
      w.write(1, '<unknown>\n');
    }
  }
}

/** Quantity to a number, enough to compare requests with limits for the QoS class. */
function quantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const m = /^([+-]?[0-9.]+)(e[+-]?\d+|[EPTGMk]i?|Ki|m|u|n)?$/.exec(String(q).trim());
  if (!m) return Number.NaN;
  const scale: Record<string, number> = {
    n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  };
  const suffix = m[2] ?? '';
  const mult = suffix.startsWith('e') ? 10 ** Number(suffix.slice(1)) : suffix ? scale[suffix] ?? 1 : 1;
  return Number(m[1]) * mult;
}

/** qos.GetPodQOS: status.qosClass, else computed from cpu/memory requests and limits. */
function podQOS(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const [n, q] of Object.entries(c.resources?.requests ?? {})) {
      if ((n === 'cpu' || n === 'memory') && quantity(q) > 0) requests.set(n, (requests.get(n) ?? 0) + quantity(q));
    }
    const found = new Set<string>();
    for (const [n, q] of Object.entries(c.resources?.limits ?? {})) {
      if ((n === 'cpu' || n === 'memory') && quantity(q) > 0) {
        found.add(n);
        limits.set(n, (limits.get(n) ?? 0) + quantity(q));
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) for (const [n, r] of requests) if (limits.get(n) !== r) { guaranteed = false; break; }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

function writeTolerations(w: PrefixWriter, pod: Pod): void {
  w.write(0, 'Tolerations:\t');
  const tols = [...(pod.spec?.tolerations ?? [])].sort((a, b) => goStringCompare(a.key ?? '', b.key ?? ''));
  if (tols.length === 0) { w.writeLine('<none>'); return; }
  tols.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${s}\n`);
  });
}

export function describePod(pod: Pod, snap: ClusterSnapshot, showEvents = true): string {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace ?? ''}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  writeLabels(w, 'Labels', pod.metadata.labels);
  writeAnnotations(w, pod.metadata.annotations);
  const phase = status.phase ?? '';
  const terminating = !!pod.metadata.deletionTimestamp && (kubectlMinor(snap) < 31 || (phase !== 'Failed' && phase !== 'Succeeded'));
  if (terminating) {
    w.write(0, `Status:\tTerminating (lasts ${translateTimestampSince(pod.metadata.deletionTimestamp, snap.now)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 30}s\n`);
  } else {
    w.write(0, `Status:\t${phase}\n`);
  }
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  if ((status.podIPs ?? []).length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of status.podIPs!) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const controller = (pod.metadata.ownerReferences ?? []).find((r) => r.controller);
  if (controller) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);

  const byName = (list: ContainerStatus[] | undefined) => new Map((list ?? []).map((s) => [s.name, s]));
  if ((spec.initContainers ?? []).length > 0) {
    w.write(0, 'Init Containers:\n');
    const st = byName(status.initContainerStatuses);
    for (const c of spec.initContainers!) describeContainer(w, pod, c, st.get(c.name));
  }
  w.write(0, `Containers:${(spec.containers ?? []).length === 0 ? ' <none>' : ''}\n`);
  const st = byName(status.containerStatuses);
  for (const c of spec.containers ?? []) describeContainer(w, pod, c, st.get(c.name));

  if ((spec.readinessGates ?? []).length > 0) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates!) {
      const c = (status.conditions ?? []).find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if ((status.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions!) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, pod);
  w.write(0, `QoS Class:\t${podQOS(pod)}\n`);
  writeLabels(w, 'Node-Selectors', spec.nodeSelector);
  writeTolerations(w, pod);
  const tscs = [...(spec.topologySpreadConstraints ?? [])].sort((a, b) => goStringCompare(a.topologyKey, b.topologyKey));
  if (tscs.length > 0) {
    w.write(0, 'Topology Spread Constraints:\t');
    tscs.forEach((t, i) => {
      if (i !== 0) w.write(0, '\t');
      let s = `${t.topologyKey}:${t.whenUnsatisfiable} when max skew ${t.maxSkew} is exceeded`;
      if (t.labelSelector) s += ` for selector ${formatLabelSelector(t.labelSelector)}`;
      w.write(0, `${s}\n`);
    });
  }
  writeEvents(w, showEvents);
  return w.text();
}

// ---------------------------------------------------------------- command

function describeObject(o: KubeObject, snap: ClusterSnapshot, showEvents: boolean): string | undefined {
  switch (o.kind) {
    case 'Service': return describeService(o as unknown as Service, snap, showEvents);
    case 'Endpoints': return describeEndpoints(o as unknown as Endpoints, showEvents);
    case 'EndpointSlice': return describeEndpointSlice(o as unknown as EndpointSlice, showEvents);
    case 'Pod': return describePod(o as unknown as Pod, snap, showEvents);
  }
  return undefined;
}

/** KubeSim's teaching notes for the described Services; every line is marked as ours. */
function insightLines(services: KubeObject[], insights: ServiceInsight[]): string {
  const lines: string[] = [];
  for (const svc of services) {
    for (const i of insights) {
      if (i.service !== svc.metadata.name || i.namespace !== (svc.metadata.namespace ?? '')) continue;
      const who = services.length > 1 ? `service ${i.namespace}/${i.service}: ` : '';
      const hint = i.hint ? ` Hint: ${i.hint.en}` : '';
      lines.push(`Warning (KubeSim): ${who}${i.message.en}${hint}`);
    }
  }
  return lines.length > 0 ? '\n' + lines.map((l) => l + '\n').join('') : '';
}

export function kubectlDescribe(args: string[], ctx: ShellContext): ShellResult {
  const parsed = parseKubectlFlags(args, 'describe');
  if (!parsed.ok) return fail(parsed.error);
  const flags = parsed.flags;
  if (flags.positional.length === 0) {
    return fail('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n');
  }
  const snap = ctx.api.snapshot();
  const namespace = contextNamespace(ctx, flags);
  const res = resolveArgs(flags.positional, snap, namespace, flags.allNamespaces, flags.selector);
  if ('fatal' in res) return fail(res.fatal);

  let objects: KubeObject[] = res.visits.flatMap((v: Visit) => v.objects);
  let errors = res.errors;
  let separator = (first: boolean) => (first ? '' : '\n\n');
  let suffix = '';
  // `describe TYPE NAME` that finds nothing falls back to every object whose name starts with NAME.
  if (errors.length === 1 && flags.positional.length === 2 && !flags.positional[0].includes(',')) {
    const table = resolveResource(flags.positional[0]);
    if (!('error' in table)) {
      const prefix = flags.positional[1];
      const matches = table.objects(snap)
        .filter((o) => !table.info.namespaced || (o.metadata.namespace ?? '') === namespace)
        .filter((o) => o.metadata.name.startsWith(prefix))
        .sort(byStorageKey);
      if (matches.length > 0) {
        objects = matches;
        errors = [];
        separator = () => '';
        suffix = '\n';
      }
    }
  }

  let stdout = '';
  const stderrLines = [...errors];
  const seen = new Set<string>();
  let first = true;
  for (const o of objects) {
    const text = describeObject(o, snap, flags.showEvents);
    if (text === undefined) {
      const table = resolveResource(o.kind);
      const msg = `error: describing ${'error' in table ? o.kind : qualifiedResource(table.info)} is not simulated by KubeSim`;
      if (!seen.has(msg)) { seen.add(msg); stderrLines.push(msg); }
      continue;
    }
    stdout += separator(first) + text + suffix;
    first = false;
  }
  if (objects.length === 0 && errors.length === 0) {
    stderrLines.push(flags.allNamespaces ? 'No resources found' : `No resources found in ${namespace} namespace.`);
  }
  stdout += insightLines(objects.filter((o) => o.kind === 'Service'), snap.insights);
  const stderr = stderrLines.map((l) => l + '\n').join('');
  return { stdout, stderr, exitCode: errors.length > 0 || seen.size > 0 ? 1 : 0 };
}
