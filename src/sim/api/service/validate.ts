// Service validation (pkg/apis/core/validation ValidateService): what `kubectl apply` is
// refused with, in the API server's own words.
import type { Service } from '../objects';
import { type FieldError, duplicate, forbidden, invalid, required, unsupported } from '../errors';
import { dns1035Label, dns1123Label, dns1123Subdomain, portName } from '../validation/names';
import { isIPv4, parseCidr } from '../ipnet';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** The registry's first check (ValidateServiceClusterIPsRelatedFields), before any allocation. */
export function validateClusterIPFields(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const ip = spec.clusterIP;
  if (ip && ip !== 'None' && spec.type !== 'ExternalName' && !isIPv4(ip)) {
    return [invalid(['spec', 'clusterIPs', 0], ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)', '必须是合法的 IP 地址')];
  }
  return [];
}

/** ValidateService, which runs after allocation. `minor` is the cluster's Kubernetes minor version. */
export function validateService(svc: Service, minor = 31): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of dns1035Label(svc.metadata.name)) errs.push(invalid(['metadata', 'name'], svc.metadata.name, m, '名称须为小写字母、数字或 "-"，以字母开头，以字母或数字结尾'));
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  if (!TYPES.includes(type)) {
    errs.push(unsupported(['spec', 'type'], type, TYPES));
    return errs;
  }
  const headless = spec.clusterIP === 'None';
  const ports = spec.ports ?? [];
  if (type === 'ExternalName') {
    if (spec.clusterIP) errs.push(forbidden(['spec', 'clusterIPs'], 'may not be set for ExternalName services', 'ExternalName 类型的 Service 不能设置 clusterIP'));
    if (!spec.externalName) errs.push(required(['spec', 'externalName'], '', 'ExternalName 类型必须设置 spec.externalName'));
    else {
      const name = spec.externalName.replace(/\.$/, '');
      for (const m of dns1123Subdomain(name)) errs.push(invalid(['spec', 'externalName'], spec.externalName, m));
    }
  } else if (ports.length === 0 && !headless) {
    errs.push(required(['spec', 'ports'], '', '至少需要定义一个端口（headless Service 除外）'));
  }
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) {
    errs.push(invalid(['spec', 'clusterIPs', 0], 'None', `may not be set to 'None' for ${type} services`, `${type} 类型的 Service 不能设为 headless（clusterIP: None）`));
  }

  const names = new Map<string, number>();
  const portProto = new Set<string>();
  ports.forEach((p, i) => {
    const at = ['spec', 'ports', i];
    if (ports.length > 1 && !p.name) errs.push(required([...at, 'name'], '', '有多个端口时，每个端口都必须有 name'));
    if (p.name) {
      for (const m of dns1123Label(p.name)) errs.push(invalid([...at, 'name'], p.name, m));
      if (names.has(p.name)) errs.push(duplicate([...at, 'name'], p.name));
      names.set(p.name, i);
    }
    if (!(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) {
      errs.push(invalid([...at, 'port'], p.port ?? 0, 'must be between 1 and 65535, inclusive', '端口必须在 1 到 65535 之间'));
    }
    if (p.protocol && !PROTOCOLS.includes(p.protocol)) errs.push(unsupported([...at, 'protocol'], p.protocol, PROTOCOLS));
    const tp = p.targetPort;
    if (typeof tp === 'number') {
      if (!(tp >= 1 && tp <= 65535)) errs.push(invalid([...at, 'targetPort'], tp, 'must be between 1 and 65535, inclusive', 'targetPort 必须在 1 到 65535 之间'));
    } else if (typeof tp === 'string' && tp !== '') {
      for (const m of portName(tp, minor)) errs.push(invalid([...at, 'targetPort'], tp, m, 'targetPort 若为名称，须与容器端口的 name 相同'));
    }
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') {
        errs.push(forbidden([...at, 'nodePort'], `may not be used when \`type\` is '${type}'`, `type 为 ${type} 时不能设置 nodePort`));
      } else if (!(p.nodePort >= 1 && p.nodePort <= 65535)) {
        errs.push(invalid([...at, 'nodePort'], p.nodePort, 'must be between 1 and 65535, inclusive'));
      }
    }
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (portProto.has(key)) {
      errs.push({ type: 'Duplicate', path: [...at], detail: '', detailZh: '同一协议下端口号重复',
        value: `core.ServicePort{Name:"", Protocol:${JSON.stringify(p.protocol ?? 'TCP')}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}` });
    }
    portProto.add(key);
  });

  const affinity = spec.sessionAffinity ?? 'None';
  if (!['ClientIP', 'None'].includes(affinity)) errs.push(unsupported(['spec', 'sessionAffinity'], affinity, ['ClientIP', 'None']));
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (affinity === 'ClientIP' && timeout !== undefined && !(timeout > 0 && timeout <= 86400)) {
    errs.push(invalid(['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], timeout, 'must be greater than 0 and less than 86400', '超时须在 1 到 86400 秒之间'));
  }
  for (const f of ['externalTrafficPolicy', 'internalTrafficPolicy'] as const) {
    const v = spec[f];
    if (v !== undefined && !['Cluster', 'Local'].includes(v)) errs.push(unsupported(['spec', f], v, ['Cluster', 'Local']));
  }
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || (minor >= 29 && type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
  if (spec.externalTrafficPolicy && !externallyAccessible) {
    errs.push(invalid(['spec', 'externalTrafficPolicy'], spec.externalTrafficPolicy,
      minor >= 29 ? 'may only be set for externally-accessible services' : "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
      '只有对外可访问的 Service（NodePort、LoadBalancer）才能设置 externalTrafficPolicy'));
  }
  if (spec.healthCheckNodePort && !(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local')) {
    errs.push(invalid(['spec', 'healthCheckNodePort'], spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && type !== 'LoadBalancer') {
    errs.push(forbidden(['spec', 'allocateLoadBalancerNodePorts'], "may only be used when `type` is 'LoadBalancer'"));
  }
  (spec.loadBalancerSourceRanges ?? []).forEach((r, i) => {
    if (type !== 'LoadBalancer') { if (i === 0) errs.push(forbidden(['spec', 'LoadBalancerSourceRanges'], "may only be used when `type` is 'LoadBalancer'")); }
    else if (!parseCidr(r.trim())) errs.push(invalid(['spec', 'loadBalancerSourceRanges', i], r, 'must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 '));
  });
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (!isIPv4(ip)) errs.push(invalid(['spec', 'externalIPs', i], ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (spec.loadBalancerIP && !isIPv4(spec.loadBalancerIP)) {
    errs.push(invalid(['spec', 'loadBalancerIP'], spec.loadBalancerIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  }
  return errs;
}
