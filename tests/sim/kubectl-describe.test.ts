// `kubectl describe` against the hand-built cluster. Layout: kubectl describe.go writes
// "Title:\tvalue" lines through text/tabwriter(0, 8, 2, ' '), so the first column is as wide
// as the longest title in each run of tabbed lines, plus two spaces. Lines ending in spaces
// are real (a tab-terminated cell followed by nothing is still padded).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../src/sim/api/objects';
import { defaultClusterConfig } from '../../src/sim/cluster/config';
import { kubectlDescribe } from '../../src/sim/shell/kubectl/describe';
import { ago, insights, lines, pods, services, shell, snapshot } from '../golden/kubectl/cluster';

const describeIn = (snap: ReturnType<typeof snapshot>, ...args: string[]) => kubectlDescribe(args, shell(snap));
const run = (...args: string[]) => describeIn(snapshot(), ...args);
const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const v130 = () => snapshot({ config: { ...defaultClusterConfig(), kubernetesVersion: 'v1.30.2' } });

describe('describe service (kubectl 1.31)', () => {
  it('the kubernetes Service: multi-line Labels, Internal Traffic Policy, Endpoints from EndpointSlices', () => {
    expect(run('svc', 'kubernetes')).toEqual(ok(lines(
      'Name:                     kubernetes',
      'Namespace:                default',
      'Labels:                   component=apiserver',
      '                          provider=kubernetes',
      'Annotations:              <none>',
      'Selector:                 <none>',
      'Type:                     ClusterIP',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      'IP:                       10.96.0.1',
      'IPs:                      10.96.0.1',
      'Port:                     https  443/TCP',
      'TargetPort:               6443/TCP',
      'Endpoints:                192.168.56.10:6443',
      'Session Affinity:         None',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
    )));
  });

  it('LoadBalancer: ingress with ipMode, NodePort per port, per-port Endpoints, traffic policies', () => {
    expect(run('service/web-lb').stdout).toBe(lines(
      'Name:                     web-lb',
      'Namespace:                default',
      'Labels:                   <none>',
      'Annotations:              <none>',
      'Selector:                 app=web',
      'Type:                     LoadBalancer',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      'IP:                       10.104.7.201',
      'IPs:                      10.104.7.201',
      'LoadBalancer Ingress:     192.168.56.240 (VIP)',
      'Port:                     http  80/TCP',
      'TargetPort:               80/TCP',
      'NodePort:                 http  31380/TCP',
      'Endpoints:                10.244.1.5:80,10.244.2.7:80',
      'Port:                     https  443/TCP',
      'TargetPort:               443/TCP',
      'NodePort:                 https  31443/TCP',
      'Endpoints:                10.244.1.5:443,10.244.2.7:443',
      'Session Affinity:         None',
      'External Traffic Policy:  Cluster',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
    ));
  });

  it('1.31 lists not-ready slice endpoints too; named targetPort prints as name/proto', () => {
    expect(run('svc', 'web').stdout).toBe(lines(
      'Name:                     web',
      'Namespace:                default',
      'Labels:                   <none>',
      'Annotations:              <none>',
      'Selector:                 app=web',
      'Type:                     ClusterIP',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      'IP:                       10.96.120.15',
      'IPs:                      10.96.120.15',
      'Port:                     http  80/TCP',
      'TargetPort:               http/TCP',
      'Endpoints:                10.244.1.5:80,10.244.2.7:80,10.244.2.8:80',
      'Session Affinity:         None',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
    ));
  });

  it('an empty slice gives an empty Endpoints value (padded: trailing spaces); unnamed ports are <unset>', () => {
    expect(run('svc', 'web-np').stdout).toBe(lines(
      'Name:                     web-np',
      'Namespace:                default',
      'Labels:                   <none>',
      'Annotations:              <none>',
      'Selector:                 app=web,tier=front',
      'Type:                     NodePort',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      'IP:                       10.110.33.4',
      'IPs:                      10.110.33.4',
      'Port:                     <unset>  8080/TCP',
      'TargetPort:               80/TCP',
      'NodePort:                 <unset>  30080/TCP',
      'Endpoints:                ',
      'Session Affinity:         None',
      'External Traffic Policy:  Cluster',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
    ));
  });

  it('ExternalName: no IP families, empty IP, External Name', () => {
    expect(run('svc', 'db', '-n', 'web').stdout).toBe(lines(
      'Name:              db',
      'Namespace:         web',
      'Labels:            <none>',
      'Annotations:       <none>',
      'Selector:          <none>',
      'Type:              ExternalName',
      'IP Families:       <none>',
      'IP:                ',
      'IPs:               <none>',
      'External Name:     db.example.com',
      'Session Affinity:  None',
      'Events:            <none>',
    ));
  });

  it('annotations: sorted, last-applied-configuration hidden, multi-line values below the key', () => {
    const lb = services.find((s) => s.metadata.name === 'web-lb')!;
    const annotated: Service = {
      ...lb,
      metadata: { ...lb.metadata, annotations: { 'metallb.universe.tf/ip-allocated-from-pool': 'first-pool', 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'line one\nline two\n' } },
      spec: { ...lb.spec, loadBalancerIP: '192.168.56.240', loadBalancerSourceRanges: ['10.0.0.0/8'] },
    };
    const snap = snapshot({ services: [annotated] });
    expect(describeIn(snap, 'svc', 'web-lb').stdout).toBe(lines(
      'Name:                        web-lb',
      'Namespace:                   default',
      'Labels:                      <none>',
      'Annotations:                 metallb.universe.tf/ip-allocated-from-pool: first-pool',
      '                             note:',
      '                               line one',
      '                               line two',
      'Selector:                    app=web',
      'Type:                        LoadBalancer',
      'IP Family Policy:            SingleStack',
      'IP Families:                 IPv4',
      'IP:                          10.104.7.201',
      'IPs:                         10.104.7.201',
      'Desired LoadBalancer IP:     192.168.56.240',
      'LoadBalancer Ingress:        192.168.56.240 (VIP)',
      'Port:                        http  80/TCP',
      'TargetPort:                  80/TCP',
      'NodePort:                    http  31380/TCP',
      'Endpoints:                   10.244.1.5:80,10.244.2.7:80',
      'Port:                        https  443/TCP',
      'TargetPort:                  443/TCP',
      'NodePort:                    https  31443/TCP',
      'Endpoints:                   10.244.1.5:443,10.244.2.7:443',
      'Session Affinity:            None',
      'External Traffic Policy:     Cluster',
      'Internal Traffic Policy:     Cluster',
      'LoadBalancer Source Ranges:  10.0.0.0/8',
      'Events:                      <none>',
    ));
    // kubectl 1.28–1.30 called the same field "IP" and did not show the ipMode
    const old = describeIn({ ...snap, config: v130().config }, 'svc', 'web-lb').stdout;
    expect(old).toContain('\nIP:                          192.168.56.240\nLoadBalancer Ingress:        192.168.56.240\n');
    expect(old).not.toContain('Internal Traffic Policy');
  });

  it('1.32+ leaves not-ready slice endpoints out', () => {
    const snap = snapshot({ config: { ...defaultClusterConfig(), kubernetesVersion: 'v1.32.0' } });
    expect(describeIn(snap, 'svc', 'web').stdout).toContain('\nEndpoints:                10.244.1.5:80,10.244.2.7:80\n');
  });
});

describe('describe service (kubectl 1.28–1.30)', () => {
  it('reads the Endpoints object (ready addresses only) and has no Internal Traffic Policy line', () => {
    expect(describeIn(v130(), 'svc', 'kubernetes').stdout).toBe(lines(
      'Name:              kubernetes',
      'Namespace:         default',
      'Labels:            component=apiserver',
      '                   provider=kubernetes',
      'Annotations:       <none>',
      'Selector:          <none>',
      'Type:              ClusterIP',
      'IP Family Policy:  SingleStack',
      'IP Families:       IPv4',
      'IP:                10.96.0.1',
      'IPs:               10.96.0.1',
      'Port:              https  443/TCP',
      'TargetPort:        6443/TCP',
      'Endpoints:         192.168.56.10:6443',
      'Session Affinity:  None',
      'Events:            <none>',
    ));
    expect(describeIn(v130(), 'svc', 'web').stdout).toContain('\nEndpoints:         10.244.1.5:80,10.244.2.7:80\n');
    expect(describeIn(v130(), 'svc', 'web-np').stdout).toContain('\nEndpoints:                <none>\n');
  });
});

describe('teaching warnings', () => {
  it('follow the exact kubectl text after a blank line, only when the Service has insights', () => {
    const snap = snapshot({ insights });
    const r = describeIn(snap, 'svc', 'web-pending');
    const real = lines(
      'Name:                     web-pending',
      'Namespace:                default',
      'Labels:                   <none>',
      'Annotations:              <none>',
      'Selector:                 app=nothing',
      'Type:                     LoadBalancer',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      'IP:                       10.99.1.2',
      'IPs:                      10.99.1.2',
      'Port:                     <unset>  80/UDP',
      'TargetPort:               80/UDP',
      'NodePort:                 <unset>  31000/UDP',
      'Endpoints:                ',
      'Session Affinity:         None',
      'External Traffic Policy:  Local',
      'Internal Traffic Policy:  Cluster',
      'HealthCheck NodePort:     32001',
      'Events:                   <none>',
    );
    expect(r.stdout).toBe(real + '\nWarning (KubeSim): selector app=nothing matches no pod in namespace default Hint: compare the selector with the pod labels (kubectl get pods --show-labels)\n');
    expect(describeIn(snap, 'svc', 'web').stdout).not.toContain('KubeSim');
  });
});

describe('describe endpoints / endpointslice / pod', () => {
  it('endpoints: Subsets block, the port table, the blank line kubectl writes after each subset', () => {
    expect(run('ep', 'web').stdout).toBe(lines(
      'Name:         web',
      'Namespace:    default',
      'Labels:       app=web',
      'Annotations:  <none>',
      'Subsets:',
      '  Addresses:          10.244.1.5,10.244.2.7',
      '  NotReadyAddresses:  10.244.2.8',
      '  Ports:',
      '    Name  Port  Protocol',
      '    ----  ----  --------',
      '    http  80    TCP',
      '',
      'Events:  <none>',
    ));
    expect(run('endpoints', 'web-np').stdout).toBe(lines(
      'Name:         web-np',
      'Namespace:    default',
      'Labels:       <none>',
      'Annotations:  <none>',
      'Subsets:',
      'Events:  <none>',
    ));
  });

  it('endpointslice', () => {
    expect(run('endpointslice', 'web-lb-bbm6z').stdout).toBe(lines(
      'Name:         web-lb-bbm6z',
      'Namespace:    default',
      'Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io',
      '              kubernetes.io/service-name=web-lb',
      'Annotations:  <none>',
      'AddressType:  IPv4',
      'Ports:',
      '  Name   Port  Protocol',
      '  ----   ----  --------',
      '  http   80    TCP',
      '  https  443   TCP',
      'Endpoints:',
      '  - Addresses:  10.244.1.5',
      '    Conditions:',
      '      Ready:    true',
      '    Hostname:   <unset>',
      '    TargetRef:  Pod/pod-10.244.1.5',
      '    NodeName:   worker1',
      '    Zone:       <unset>',
      '  - Addresses:  10.244.2.7',
      '    Conditions:',
      '      Ready:    true',
      '    Hostname:   <unset>',
      '    TargetRef:  Pod/pod-10.244.2.7',
      '    NodeName:   worker2',
      '    Zone:       <unset>',
      'Events:         <none>',
    ));
  });

  it('pod', () => {
    expect(run('pod', 'web-7d4b9c8f6d-2xkqp').stdout).toBe(lines(
      'Name:             web-7d4b9c8f6d-2xkqp',
      'Namespace:        default',
      'Priority:         0',
      'Service Account:  default',
      'Node:             worker1/192.168.56.11',
      'Start Time:       Sat, 01 Jun 2024 10:00:00 +0000',
      'Labels:           app=web',
      '                  pod-template-hash=7d4b9c8f6d',
      'Annotations:      <none>',
      'Status:           Running',
      'IP:               10.244.1.5',
      'IPs:',
      '  IP:           10.244.1.5',
      'Controlled By:  ReplicaSet/web-7d4b9c8f6d',
      'Containers:',
      '  nginx:',
      '    Container ID:   containerd://2xkqp',
      '    Image:          nginx:1.25',
      '    Image ID:       docker.io/library/nginx@sha256:abc',
      '    Port:           80/TCP',
      '    Host Port:      0/TCP',
      '    State:          Running',
      '      Started:      Sat, 01 Jun 2024 10:00:05 +0000',
      '    Ready:          True',
      '    Restart Count:  0',
      '    Environment:    <none>',
      '    Mounts:         <none>',
      'Conditions:',
      '  Type              Status',
      '  Initialized       True ',
      '  Ready             True ',
      '  ContainersReady   True ',
      '  PodScheduled      True ',
      'Volumes:            <none>',
      'QoS Class:          BestEffort',
      'Node-Selectors:     <none>',
      'Tolerations:        node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
      '                    node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
      'Events:             <none>',
    ));
  });
});

/** A Deployment-style pod with the service-account volume, probes, env, resources and a restart. */
function apiPod(): Pod {
  const base = pods[0];
  return {
    ...base,
    metadata: { ...base.metadata, name: 'api-0', annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-06-01T09:00:00Z' } },
    spec: {
      ...base.spec!,
      volumes: [
        { name: 'kube-api-access-7xkqz', projected: { defaultMode: 420, sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ] } },
        { name: 'cache', emptyDir: {} },
      ],
      containers: [{
        name: 'api', image: 'ghcr.io/acme/api:2.1',
        ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }, { containerPort: 9090, protocol: 'TCP' }],
        args: ['--port=8080', '--verbose'],
        resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
        livenessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 10, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        env: [
          { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
          { name: 'MODE', value: 'prod' },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
        volumeMounts: [
          { name: 'kube-api-access-7xkqz', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
          { name: 'cache', mountPath: '/cache' },
        ],
      }],
    },
    status: {
      ...base.status!,
      qosClass: undefined,
      conditions: [{ type: 'PodReadyToStartContainers', status: 'True' }, ...base.status!.conditions!],
      containerStatuses: [{ ...base.status!.containerStatuses![0], name: 'api', restartCount: 1, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: ago(4000), finishedAt: ago(3700) } } }],
    },
  };
}

describe('describe pod (golden file)', () => {
  it('volumes, probes, env, resources, last state, computed QoS class', () => {
    const golden = readFileSync(new URL('../golden/kubectl/describe-pod-api-0.txt', import.meta.url), 'utf8');
    expect(describeIn(snapshot({ pods: [apiPod()] }), 'pod', 'api-0')).toEqual(ok(golden));
  });
});

describe('describe command behaviour', () => {
  it('several objects are separated by a blank line pair; --show-events=false drops Events', () => {
    const r = run('svc/web', 'ep/web', '--show-events=false');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Internal Traffic Policy:  Cluster\n\n\nName:         web\n');
    expect(r.stdout).not.toContain('Events');
  });

  it('TYPE NAME that is not found falls back to a name-prefix match (each followed by a newline)', () => {
    const r = run('svc', 'web-h');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('Name:                     web-headless\n')).toBe(true);
    expect(r.stdout.endsWith('Events:                   <none>\n\n')).toBe(true);
    const two = run('svc', 'web-');
    expect(two.stdout.match(/^Name:/gm)).toHaveLength(4);
  });

  it('errors', () => {
    expect(run('svc', 'nope')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): services "nope" not found\n', exitCode: 1 });
    expect(run('svc', '-n', 'empty')).toEqual({ stdout: '', stderr: 'No resources found in empty namespace.\n', exitCode: 0 });
    expect(run('foo', 'x').stderr).toBe('error: the server doesn\'t have a resource type "foo"\n');
    expect(run()).toEqual({ stdout: '', stderr: 'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n', exitCode: 1 });
  });
});
