// Cluster DNS: CoreDNS (the Corefile, its kubernetes/hosts/rewrite/cache/loadbalance/forward
// plugins), the kubelet's resolv.conf, the stub resolvers and the tools' printers. See
// reference/coredns.md.
export * from './records';
export { upstreamAnswer, UPSTREAM_NAMES } from './upstream';
export { createDnsState, ephemeralRuntime, type DnsRuntime, type DnsState, type NodeFileVersion } from './state';
export { corefileOf, effectiveCorefile, sendQuery, servedByCoreDNS, newSocket, type DnsSocket } from './coredns';
export { buildCorefile, parseCorefile, type CorefileProblem } from './corefile';
export { RESOLV_CONF_ANNOTATION } from './resolv-conf';
