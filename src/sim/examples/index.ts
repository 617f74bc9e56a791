// Built-in example scenarios (the course's own manifests). EXAMPLES[0] is what the app and
// `npm start` open with.
import type { SourceFile } from '../yaml/load';
import demoapp from './course/12-demoapp-svc-clusterip.yaml?raw';
import demoappNodePort from './course/13-demoapp-svc-nodeport.yaml?raw';
import deployNginx from './course/01-deploy-nginx.yaml?raw';
import headless from './course/03-headless-service.yaml?raw';
import statefulset from './course/24-myapp-headless-statefulset.yaml?raw';
import readiness from './course/11-demoapp-readiness-publish.yaml?raw';
import noSelector from './course/41-service-no-selector.yaml?raw';
import noSelectorEndpoints from './course/42-service-no-selector-endpoints.yaml?raw';
import nginxDeployment from './course/35-nginx-deployment.yaml?raw';
import ns1 from './course/08-ns1-nginx.yaml?raw';
import ns2 from './course/09-ns2-nginx.yaml?raw';
import pool from './course/44-metallb-ippool.yaml?raw';
import nginxlb from './course/45-nginxlb.yaml?raw';
import nodeport30001 from './course/40-nginx-service-nodeport-30001.yaml?raw';
import linuxeaDaemonSet from './course/27-nginx-linuxea-daemonset.yaml?raw';
import linuxeaAffinity from './variants/linuxea-nodeport-affinity.yaml?raw';
import demoappEtpLocal from './variants/demoapp-nodeport-etp-local.yaml?raw';
import podClusterFirst from './course/15-pod-example-1.yaml?raw';
import podHostNetwork from './course/16-pod-example-2-hostnetwork.yaml?raw';
import podHostNetworkNode2 from './course/17-pod-example-2-node2.yaml?raw';
import podClusterFirstWithHostNet from './course/18-pod-example-2-clusterfirstwithhostnet.yaml?raw';

export interface Example {
  id: string;
  title: { en: string; zh: string };
  files: SourceFile[];
}

export const EXAMPLES: Example[] = [
  { id: 'clusterip-demoapp', title: { en: 'ClusterIP: demoapp × 3', zh: 'ClusterIP：demoapp × 3' }, files: [{ name: 'demoapp-svc-clusterip.yaml', text: demoapp }] },
  { id: 'nodeport-demoapp', title: { en: 'NodePort 32000: demoapp × 3', zh: 'NodePort 32000：demoapp × 3' }, files: [{ name: 'demoapp-svc-nodeport.yaml', text: demoappNodePort }] },
  { id: 'headless', title: { en: 'Headless Service', zh: '无头服务（Headless Service）' }, files: [{ name: 'deployment-nginx.yml', text: deployNginx }, { name: 'headless-service.yml', text: headless }] },
  { id: 'statefulset', title: { en: 'StatefulSet + headless Service', zh: 'StatefulSet + 无头服务' }, files: [{ name: 'myapp-headless-statefulset.yaml', text: statefulset }] },
  { id: 'publish-not-ready', title: { en: 'readinessProbe + publishNotReadyAddresses', zh: '就绪探针 + publishNotReadyAddresses' }, files: [{ name: 'demoapp-readiness.yaml', text: readiness }] },
  { id: 'no-selector', title: { en: 'Service without selector + Endpoints', zh: '无 selector 的 Service + Endpoints' }, files: [{ name: 'nginx-deployment.yaml', text: nginxDeployment }, { name: 'service-no-selector.yaml', text: noSelector }, { name: 'service-no-selector-endpoints.yaml', text: noSelectorEndpoints }] },
  { id: 'externalname-namespaces', title: { en: 'ExternalName across namespaces', zh: '跨命名空间的 ExternalName' }, files: [{ name: 'ns1-nginx.yml', text: ns1 }, { name: 'ns2-nginx.yml', text: ns2 }] },
  { id: 'session-affinity', title: { en: 'sessionAffinity: ClientIP (NodePort 31180)', zh: '会话保持 sessionAffinity: ClientIP（NodePort 31180）' }, files: [{ name: 'nginx-linuxea-daemonset.yaml', text: linuxeaDaemonSet }, { name: 'linuxea.yaml', text: linuxeaAffinity }] },
  { id: 'etp-local', title: { en: 'externalTrafficPolicy: Local', zh: 'externalTrafficPolicy: Local（保留客户端源地址）' }, files: [{ name: 'demoapp-svc-nodeport-local.yaml', text: demoappEtpLocal }] },
  { id: 'dns-policies', title: { en: 'hostNetwork and dnsPolicy', zh: 'hostNetwork 与 dnsPolicy' }, files: [{ name: 'pod-example-1.yaml', text: podClusterFirst }, { name: 'pod-example-2.yaml', text: podHostNetwork }, { name: 'pod-example-2-node2.yaml', text: podHostNetworkNode2 }, { name: 'pod-example-2-clusterfirstwithhostnet.yaml', text: podClusterFirstWithHostNet }] },
  { id: 'metallb', title: { en: 'LoadBalancer with MetalLB', zh: 'MetalLB 负载均衡（LoadBalancer）' }, files: [{ name: 'nginx-deployment.yaml', text: nginxDeployment }, { name: 'nginx-service-nodeport-30001.yaml', text: nodeport30001 }, { name: 'lb_ippool.yaml', text: pool }, { name: 'lb_service.yaml', text: nginxlb }] },
];
