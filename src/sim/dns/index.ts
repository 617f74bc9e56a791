// Cluster DNS: CoreDNS's kubernetes plugin, the kubelet's resolv.conf, the stub resolvers and
// the tools' printers. See reference/coredns.md.
export * from './records';
export { upstreamAnswer } from './upstream';
