// Teaching diagnostics: when a Service reaches no pod (or fewer than expected), say why in
// plain words — the classic mistakes the course warns about.
import type { DaemonSet, Deployment, EndpointSlice, Endpoints, Pod, ReplicaSet, Service, StatefulSet } from '../api/objects';
import type { ServiceInsight } from '../snapshot';
import type { LoadBalancerProblem } from '../controllers/metallb';
import { matchesMap, formatLabels } from '../api/labels';
import { findPort } from '../controllers/service-endpoints';
import { isPodReady } from '../controllers/pods';
import { PodLabelIndex } from '../controllers/indexes';

export interface InsightInput {
  services: Service[];
  pods: Pod[];
  deployments: Deployment[];
  statefulSets: StatefulSet[];
  daemonSets: DaemonSet[];
  replicaSets: ReplicaSet[];
  endpoints: Endpoints[];
  endpointSlices: EndpointSlice[];
  lbProblems: LoadBalancerProblem[];
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
    d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

export function serviceInsights(input: InsightInput): ServiceInsight[] {
  const out: ServiceInsight[] = [];
  const index = new PodLabelIndex(input.pods);
  const workloads = [...input.deployments, ...input.statefulSets, ...input.daemonSets];
  const endpointsByKey = new Map(input.endpoints.map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e]));
  const slicedServices = new Set(input.endpointSlices.map((s) => `${s.metadata.namespace}/${s.metadata.labels?.['kubernetes.io/service-name'] ?? ''}`));
  const lbProblems = new Map<string, LoadBalancerProblem[]>();
  for (const p of input.lbProblems) { const k = `${p.namespace}/${p.service}`; (lbProblems.get(k) ?? lbProblems.set(k, []).get(k)!).push(p); }

  for (const svc of input.services) {
    const ns = svc.metadata.namespace!;
    const name = svc.metadata.name;
    const add = (severity: ServiceInsight['severity'], code: string, en: string, zh: string, hintEn?: string, hintZh?: string) =>
      out.push({ namespace: ns, service: name, severity, code, message: { en, zh }, ...(hintEn ? { hint: { en: hintEn, zh: hintZh ?? hintEn } } : {}) });
    const type = svc.spec?.type ?? 'ClusterIP';
    if (type === 'ExternalName') continue;
    const sel = svc.spec?.selector ?? {};
    const selText = formatLabels(sel);

    for (const p of lbProblems.get(`${ns}/${name}`) ?? []) {
      if (p.reason === 'no-pool') add('info', 'lb.pending-no-pool', 'EXTERNAL-IP stays <pending>: no load-balancer implementation (MetalLB pool) is configured, as on any bare-metal cluster', 'EXTERNAL-IP 一直是 <pending>：集群里没有负载均衡实现（未配置 MetalLB 地址池），裸金属集群都是这样', 'add a MetalLB IPAddressPool and L2Advertisement (metallb-system), or use NodePort', '添加 MetalLB 的 IPAddressPool 和 L2Advertisement（metallb-system 命名空间），或改用 NodePort');
      else if (p.reason === 'not-in-pool') add('warning', 'lb.ip-not-in-pool', `the requested load-balancer IP ${p.requested} is in no MetalLB pool, so MetalLB does not assign it`, `所请求的负载均衡 IP ${p.requested} 不在任何 MetalLB 地址池中，MetalLB 不会分配它`, 'pick an address inside an IPAddressPool range', '请选择 IPAddressPool 范围内的地址');
      else if (p.reason === 'in-use') add('warning', 'lb.ip-in-use', `the requested load-balancer IP ${p.requested} is already used by another Service`, `所请求的负载均衡 IP ${p.requested} 已被其他 Service 使用`);
      else add('warning', 'lb.pool-exhausted', 'the MetalLB pools have no free address left', 'MetalLB 地址池中已没有空闲地址');
    }

    if (Object.keys(sel).length === 0) {
      const ep = endpointsByKey.get(`${ns}/${name}`);
      if (!ep && !slicedServices.has(`${ns}/${name}`)) {
        const similar = input.endpoints.filter((e) => e.metadata.namespace === ns && editDistance(e.metadata.name, name) <= 2);
        add('warning', 'service.no-selector-no-endpoints',
          `Service has no selector and there is no Endpoints object named "${name}": it has no endpoints${similar.length ? ` (an Endpoints named "${similar[0].metadata.name}" exists — the names must be equal)` : ''}`,
          `Service 没有 selector，也没有名为 "${name}" 的 Endpoints 对象，所以没有任何端点${similar.length ? `（存在名为 "${similar[0].metadata.name}" 的 Endpoints——两者名字必须完全相同）` : ''}`,
          `create an Endpoints object with metadata.name: ${name} in namespace ${ns}`, `在命名空间 ${ns} 中创建 metadata.name 为 ${name} 的 Endpoints 对象`);
      } else if (ep) {
        for (const sp of svc.spec?.ports ?? []) {
          const names = (ep.subsets ?? []).flatMap((s) => (s.ports ?? []).map((p) => p.name ?? ''));
          if (names.length && !names.includes(sp.name ?? '')) {
            add('warning', 'service.endpoints-port-name-mismatch',
              `Service port ${sp.name ? `"${sp.name}"` : '(unnamed)'} has no port with the same name in Endpoints "${name}" (it has ${names.map((n) => n ? `"${n}"` : '(unnamed)').join(', ')}); kube-proxy pairs them by name, so this port has no endpoints`,
              `Service 端口 ${sp.name ? `"${sp.name}"` : '（未命名）'} 在 Endpoints "${name}" 中找不到同名端口（现有：${names.map((n) => n ? `"${n}"` : '（未命名）').join('、')}）；kube-proxy 按名称配对，因此该端口没有端点`,
              'give the Endpoints port the same name as the Service port', '让 Endpoints 的端口名与 Service 端口名一致');
          }
        }
      }
      continue;
    }

    const matching = index.select(ns, sel);
    if (matching.length === 0) {
      const ownLabelsOnly = workloads.find((w) => w.metadata.namespace === ns && matchesMap(sel, w.metadata.labels) && !matchesMap(sel, w.spec?.template?.metadata?.labels));
      const elsewhere = index.namespaces().filter((other) => other !== ns).flatMap((other) => index.select(other, sel));
      if (ownLabelsOnly) {
        add('warning', 'service.selector-matches-workload-not-pods',
          `selector ${selText} matches the labels of ${ownLabelsOnly.kind} "${ownLabelsOnly.metadata.name}" itself, but not its pod template (${formatLabels(ownLabelsOnly.spec?.template?.metadata?.labels)}): a Service selects pods, so it has no endpoints`,
          `selector ${selText} 匹配的是 ${ownLabelsOnly.kind} "${ownLabelsOnly.metadata.name}" 自身的 labels，而不是它的 Pod 模板的 labels（${formatLabels(ownLabelsOnly.spec?.template?.metadata?.labels)}）：Service 选择的是 Pod，所以没有任何端点`,
          `use the pod template's labels (spec.template.metadata.labels) in the Service selector`, 'Service 的 selector 应使用 Pod 模板（spec.template.metadata.labels）中的标签');
      } else if (elsewhere.length) {
        const other = [...new Set(elsewhere.map((p) => p.metadata.namespace))];
        add('warning', 'service.pods-in-other-namespace',
          `no pod in namespace "${ns}" has labels ${selText}; matching pods exist in namespace ${other.map((o) => `"${o}"`).join(', ')}, but a Service only selects pods in its own namespace`,
          `命名空间 "${ns}" 中没有带 ${selText} 标签的 Pod；匹配的 Pod 在命名空间 ${other.map((o) => `"${o}"`).join('、')} 中，而 Service 只会选择同一命名空间内的 Pod`,
          'create the Service in the pods\' namespace (metadata.namespace), or use an ExternalName Service to reach across namespaces', '把 Service 建在 Pod 所在的命名空间，或用 ExternalName Service 跨命名空间访问');
      } else {
        const near = nearMiss(sel, index.inNamespace(ns));
        add('warning', near ? 'service.selector-label-typo' : 'service.selector-matches-nothing',
          near ? `no pod has labels ${selText}; did you mean ${near.suggestion}? (pod "${near.pod}" has ${near.has})` : `no pod in namespace "${ns}" has labels ${selText}, so the Service has no endpoints`,
          near ? `没有 Pod 带有标签 ${selText}；是不是想写 ${near.suggestion}？（Pod "${near.pod}" 的标签是 ${near.has}）` : `命名空间 "${ns}" 中没有 Pod 带有标签 ${selText}，因此 Service 没有端点`,
          'compare the selector with `kubectl get pods --show-labels`', '用 `kubectl get pods --show-labels` 对照 selector');
      }
      continue;
    }
    const ready = matching.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp);
    if (ready.length === 0 && !svc.spec?.publishNotReadyAddresses) {
      add('warning', 'service.no-ready-pods',
        `${matching.length} pod(s) match the selector but none is ready (readiness probe failing), so all of them are under notReadyAddresses and receive no traffic`,
        `有 ${matching.length} 个 Pod 匹配 selector，但都未就绪（就绪探针失败），因此都在 notReadyAddresses 中，不会收到流量`,
        'fix the readiness probe, or set publishNotReadyAddresses: true if unready pods should be published', '修复就绪探针；如果确实要发布未就绪的 Pod，可设置 publishNotReadyAddresses: true');
    }
    for (const sp of svc.spec?.ports ?? []) {
      const tp = sp.targetPort;
      if (typeof tp === 'string' && !/^\d+$/.test(tp)) {
        const missing = matching.filter((p) => findPort(p, sp) === undefined);
        if (missing.length) {
          add('warning', 'service.named-target-port-missing',
            `targetPort "${tp}" (${sp.protocol ?? 'TCP'}) is not a named containerPort of ${missing.length === matching.length ? 'any selected pod' : `${missing.length} of ${matching.length} selected pods`} (e.g. "${missing[0].metadata.name}"), so ${missing.length === matching.length ? 'this port has no endpoints' : 'those pods are left out for this port'}`,
            `targetPort "${tp}"（${sp.protocol ?? 'TCP'}）不是${missing.length === matching.length ? '任何被选中 Pod' : `${matching.length} 个被选中 Pod 中 ${missing.length} 个`}的具名 containerPort（例如 "${missing[0].metadata.name}"），因此${missing.length === matching.length ? '该端口没有端点' : '这些 Pod 不会成为该端口的端点'}`,
            'name the container port (ports[].name) the same, or use the port number', '给容器端口起同样的 name（ports[].name），或直接写端口号');
        }
      } else {
        const n = typeof tp === 'number' ? tp : Number(tp ?? sp.port);
        const declares = (p: Pod) => (p.spec?.containers ?? []).some((c) => (c.ports ?? []).some((cp) => cp.containerPort === n));
        const anyPorts = matching.some((p) => (p.spec?.containers ?? []).some((c) => (c.ports ?? []).length > 0));
        if (anyPorts && !matching.some(declares)) {
          add('info', 'service.target-port-not-declared',
            `no selected pod declares containerPort ${n}; traffic is still sent to port ${n} (containerPort is informational), so check the application really listens there`,
            `被选中的 Pod 都没有声明 containerPort ${n}；流量仍会发往 ${n} 端口（containerPort 只是说明），请确认应用确实监听该端口`);
        }
      }
    }
  }
  return out;
}

function nearMiss(sel: Record<string, string>, pods: Pod[]): { suggestion: string; pod: string; has: string } | null {
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    const fixed: Record<string, string> = { ...sel };
    let edits = 0;
    for (const [k, v] of Object.entries(sel)) {
      if (labels[k] === v) continue;
      if (k in labels && editDistance(labels[k], v) <= 2) { fixed[k] = labels[k]; edits++; continue; }
      const key = Object.keys(labels).find((lk) => editDistance(lk, k) <= 2 && (labels[lk] === v || editDistance(labels[lk], v) <= 2));
      if (key) { delete fixed[k]; fixed[key] = labels[key]; edits++; continue; }
      edits = 99;
    }
    if (edits > 0 && edits < 99) return { suggestion: formatLabels(fixed), pod: p.metadata.name, has: formatLabels(labels) };
  }
  return null;
}
