// Validation of pods and workload controllers: the errors learners actually meet
// (selector vs template labels, missing containers, a bad dnsConfig).
import type { PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from '../objects';
import type { PathSegment } from '../../yaml/locate';
import { type FieldError, invalid, required, unsupported } from '../errors';
import { dns1123Label, dns1123Subdomain, portName } from '../validation/names';
import { matchesSelector } from '../labels';
import { isIPv4 } from '../ipnet';

// Listed in the order validation prints them (not sorted).
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

export function validatePodSpec(spec: PodSpec | undefined, at: PathSegment[], template = false): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec) return [required(at)];
  const containers = spec.containers ?? [];
  if (containers.length === 0) errs.push(required([...at, 'containers'], '', '至少需要一个容器'));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const cat = [...at, 'containers', i];
    if (!c.name) errs.push(required([...cat, 'name'], '', '容器必须有 name'));
    else {
      for (const m of dns1123Label(c.name)) errs.push(invalid([...cat, 'name'], c.name, m));
      if (names.has(c.name)) errs.push({ type: 'Duplicate', path: [...cat, 'name'], value: JSON.stringify(c.name), detail: '' });
      names.add(c.name);
    }
    if (!c.image) errs.push(required([...cat, 'image'], '', '容器必须指定 image'));
    (c.ports ?? []).forEach((p, j) => {
      const pat = [...cat, 'ports', j];
      if (!p.containerPort) errs.push(required([...pat, 'containerPort'], '', '必须填写 containerPort'));
      else if (!(Number.isInteger(p.containerPort) && p.containerPort >= 1 && p.containerPort <= 65535)) {
        errs.push(invalid([...pat, 'containerPort'], p.containerPort ?? 0, 'must be between 1 and 65535, inclusive', 'containerPort 必须在 1 到 65535 之间'));
      }
      if (p.name) for (const m of portName(p.name)) errs.push(invalid([...pat, 'name'], p.name, m));
      if (p.protocol && !['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(unsupported([...pat, 'protocol'], p.protocol, ['SCTP', 'TCP', 'UDP']));
    });
  });
  if (template && spec.restartPolicy && spec.restartPolicy !== 'Always') errs.push(unsupported([...at, 'restartPolicy'], spec.restartPolicy, ['Always']));
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  if (!DNS_POLICIES.includes(policy)) errs.push(unsupported([...at, 'dnsPolicy'], policy, DNS_POLICIES));
  if (policy === 'None' && !spec.dnsConfig) {
    errs.push(required([...at, 'dnsConfig'], 'must provide `dnsConfig` when `dnsPolicy` is None', 'dnsPolicy 为 None 时必须提供 dnsConfig'));
  }
  const dc = spec.dnsConfig;
  if (dc) {
    const ns = dc.nameservers ?? [];
    if (policy === 'None' && ns.length === 0) {
      errs.push(required([...at, 'dnsConfig', 'nameservers'], 'must provide at least one DNS nameserver when `dnsPolicy` is None', 'dnsPolicy 为 None 时至少要有一个 nameserver'));
    }
    if (ns.length > 3) errs.push(invalid([...at, 'dnsConfig', 'nameservers'], ns, 'must not have more than 3 nameservers'));
    ns.forEach((s, i) => { if (!isIPv4(s)) errs.push(invalid([...at, 'dnsConfig', 'nameservers', i], s, 'must be valid IP address')); });
    const searches = dc.searches ?? [];
    if (searches.length > 32) errs.push(invalid([...at, 'dnsConfig', 'searches'], searches, 'must not have more than 32 search paths'));
    searches.forEach((s, i) => {
      const name = s.endsWith('.') ? s.slice(0, -1) : s;
      for (const m of dns1123Subdomain(name)) {
        errs.push(invalid([...at, 'dnsConfig', 'searches', i], s, m, 'search 列表中的每一项都必须是域名（不能是文件路径）'));
      }
    });
  }
  return errs;
}

function goLabelSelector(sel: LabelSelector): string {
  const ml = sel.matchLabels === undefined ? 'map[string]string(nil)' : `map[string]string{${Object.keys(sel.matchLabels).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(sel.matchLabels![k])}`).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
}

/** The template labels must satisfy the controller's selector. `kind` words the messages. */
export function validateSelectorAndTemplate(sel: LabelSelector | undefined, tpl: PodTemplateSpec | undefined, at: PathSegment[], kind = 'deployment', replicas?: number): FieldError[] {
  const errs: FieldError[] = [];
  const empty = !!sel && ((!sel.matchLabels || Object.keys(sel.matchLabels).length === 0) && (!sel.matchExpressions || sel.matchExpressions.length === 0));
  if (!sel) {
    // A missing selector selects nothing, so the template check below fails too (except DaemonSets, which skip Required).
    if (kind !== 'daemonset') errs.push(required([...at, 'selector'], '', 'apps/v1 的控制器必须写 spec.selector，且要与 template 的 labels 一致'));
  } else if (empty) {
    errs.push({ type: 'Invalid', path: [...at, 'selector'], value: goLabelSelector(sel), detail: `empty selector is invalid for ${kind}`, detailZh: 'selector 不能为空' });
  }
  if (replicas !== undefined && replicas < 0) errs.push(invalid([...at, 'replicas'], replicas, 'must be greater than or equal to 0', '副本数不能为负数'));
  if (!tpl) {
    errs.push(required([...at, 'template']));
    return errs;
  }
  const labels = tpl.metadata?.labels;
  if (!empty && !(sel && matchesSelector(sel, labels))) {
    errs.push(invalid([...at, 'template', 'metadata', 'labels'], labels ?? {}, '`selector` does not match template `labels`',
      'spec.selector 与 spec.template.metadata.labels 不一致：selector 的每一个标签都必须出现在 Pod 模板的 labels 中'));
  }
  errs.push(...validatePodSpec(tpl.spec, [...at, 'template', 'spec'], true));
  return errs;
}
