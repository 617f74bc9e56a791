// `kubectl get` against the hand-built cluster in tests/golden/kubectl/cluster.ts. Expected
// text follows kubernetes printers.go (cells), cli-runtime tableprinter.go/tabwriter (layout)
// and kubectl get.go (kind prefixes, blank lines between kinds, "No resources found").
import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod, Service } from '../../src/sim/api/objects';
import { kubectlGet } from '../../src/sim/shell/kubectl/get';
import { podSummary } from '../../src/sim/shell/kubectl/columns/pod';
import { serviceExternalIP } from '../../src/sim/shell/kubectl/columns/service';
import { formatLabelSelector, formatLabels, labelSelectorString, parseSelector } from '../../src/sim/api/labels';
import { ago, lines, NOW, services, shell, snapshot } from '../golden/kubectl/cluster';

const get = (...args: string[]) => kubectlGet(args, shell());
const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });

describe('kubectl get services', () => {
  it('lists the namespace sorted by name, with ClusterIP/NodePort/LoadBalancer/headless cells', () => {
    expect(get('svc')).toEqual(ok(lines(
      'NAME           TYPE           CLUSTER-IP     EXTERNAL-IP      PORT(S)                      AGE',
      'kubernetes     ClusterIP      10.96.0.1      <none>           443/TCP                      10d',
      'web            ClusterIP      10.96.120.15   <none>           80/TCP                       90m',
      'web-headless   ClusterIP      None           <none>           80/TCP                       90m',
      'web-lb         LoadBalancer   10.104.7.201   192.168.56.240   80:31380/TCP,443:31443/TCP   90m',
      'web-np         NodePort       10.110.33.4    <none>           8080:30080/TCP               90m',
      'web-pending    LoadBalancer   10.99.1.2      <pending>        80:31000/UDP                 90m',
    )));
  });

  it('-o wide adds SELECTOR', () => {
    expect(get('services', '-o', 'wide').stdout).toBe(lines(
      'NAME           TYPE           CLUSTER-IP     EXTERNAL-IP      PORT(S)                      AGE   SELECTOR',
      'kubernetes     ClusterIP      10.96.0.1      <none>           443/TCP                      10d   <none>',
      'web            ClusterIP      10.96.120.15   <none>           80/TCP                       90m   app=web',
      'web-headless   ClusterIP      None           <none>           80/TCP                       90m   app=web',
      'web-lb         LoadBalancer   10.104.7.201   192.168.56.240   80:31380/TCP,443:31443/TCP   90m   app=web',
      'web-np         NodePort       10.110.33.4    <none>           8080:30080/TCP               90m   app=web,tier=front',
      'web-pending    LoadBalancer   10.99.1.2      <pending>        80:31000/UDP                 90m   app=nothing',
    ));
  });

  it('ExternalName shows its name as EXTERNAL-IP and <none> for IP and ports (-n / --namespace= / -nNS)', () => {
    const want = ok(lines(
      'NAME   TYPE           CLUSTER-IP   EXTERNAL-IP      PORT(S)   AGE',
      'db     ExternalName   <none>       db.example.com   <none>    3h',
    ));
    expect(get('svc', '-n', 'web')).toEqual(want);
    expect(get('svc', '--namespace=web')).toEqual(want);
    expect(get('-nweb', 'svc')).toEqual(want);
  });

  it('EXTERNAL-IP: ingress sorted and de-duplicated, hostnames, externalIPs appended, never clipped', () => {
    const base = services.find((s) => s.metadata.name === 'web-lb')!;
    const lb = (ingress: Array<{ ip?: string; hostname?: string }>, externalIPs?: string[]): Service =>
      ({ ...base, spec: { ...base.spec, externalIPs }, status: { loadBalancer: { ingress } } });
    expect(serviceExternalIP(lb([{ ip: '10.0.0.9' }, { ip: '10.0.0.10' }, { ip: '10.0.0.9' }]), true)).toBe('10.0.0.10,10.0.0.9');
    expect(serviceExternalIP(lb([{ hostname: 'a1b2c3d4e5f6-1234567890.eu-west-1.elb.amazonaws.com' }]), true)).toBe('a1b2c3d4e5f6-1234567890.eu-west-1.elb.amazonaws.com');
    expect(serviceExternalIP(lb([{ hostname: 'a1b2c3d4e5f6-1234567890.elb.amazonaws.com' }]), false)).toBe('a1b2c3d4e5f6-...');
    expect(serviceExternalIP(lb([], ['1.2.3.4']), true)).toBe('1.2.3.4');
    expect(serviceExternalIP(lb([{ ip: '5.6.7.8' }], ['1.2.3.4']), true)).toBe('5.6.7.8,1.2.3.4');
    const np = { ...base, spec: { ...base.spec, type: 'NodePort', externalIPs: ['9.9.9.9', '8.8.8.8'] } } as Service;
    expect(serviceExternalIP(np, true)).toBe('9.9.9.9,8.8.8.8');
  });
});

describe('kubectl get endpoints and endpointslices', () => {
  it('ENDPOINTS lists ready ip:port pairs, at most 3 then "+ N more..."', () => {
    expect(get('ep')).toEqual(ok(lines(
      'NAME           ENDPOINTS                                                AGE',
      'kubernetes     192.168.56.10:6443                                       10d',
      'web            10.244.1.5:80,10.244.2.7:80                              90m',
      'web-headless   10.244.1.5:80,10.244.2.7:80                              90m',
      'web-lb         10.244.1.5:80,10.244.2.7:80,10.244.1.5:443 + 1 more...   90m',
      'web-np         <none>                                                   90m',
      'web-pending    <none>                                                   90m',
    )));
  });

  it('EndpointSlices: every endpoint address (ready or not), <unset> when empty', () => {
    expect(get('endpointslices').stdout).toBe(lines(
      'NAME                 ADDRESSTYPE   PORTS     ENDPOINTS                          AGE',
      'kubernetes           IPv4          6443      192.168.56.10                      10d',
      'web-4h2kd            IPv4          80        10.244.1.5,10.244.2.7,10.244.2.8   90m',
      'web-headless-q8v2s   IPv4          80        10.244.1.5,10.244.2.7              90m',
      'web-lb-bbm6z         IPv4          80,443    10.244.1.5,10.244.2.7              90m',
      'web-np-tq7rx         IPv4          <unset>   <unset>                            90m',
      'web-pending-zz9xw    IPv4          <unset>   <unset>                            90m',
    ));
    expect(get('endpointslice.discovery.k8s.io', 'kubernetes').stdout).toBe(lines(
      'NAME         ADDRESSTYPE   PORTS   ENDPOINTS       AGE',
      'kubernetes   IPv4          6443    192.168.56.10   10d',
    ));
  });
});

describe('kubectl get pods and nodes', () => {
  it('pods -o wide: READY, STATUS reasons, RESTARTS with last restart age, <none> placeholders', () => {
    expect(get('po', '-o', 'wide').stdout).toBe(lines(
      'NAME                   READY   STATUS             RESTARTS      AGE    IP           NODE      NOMINATED NODE   READINESS GATES',
      'crash-1                1/2     CrashLoopBackOff   4 (75s ago)   10m    10.244.1.9   worker1   <none>           <none>',
      'pending-6f9            0/1     Pending            0             45s    <none>       <none>    <none>           <none>',
      'web-7d4b9c8f6d-2xkqp   1/1     Running            0             120m   10.244.1.5   worker1   <none>           <none>',
      'web-7d4b9c8f6d-9rfzm   1/1     Running            0             120m   10.244.2.7   worker2   <none>           <none>',
      'web-7d4b9c8f6d-k8s4t   0/1     Running            0             120m   10.244.2.8   worker2   <none>           <none>',
    ));
  });

  it('STATUS follows printPod: init states, terminated reasons, Completed/Terminating', () => {
    const ctx = { now: NOW };
    const pod = (status: Pod['status'], extra: Partial<Pod['spec']> = {}, deletion?: string): Pod => ({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(60), ...(deletion ? { deletionTimestamp: deletion } : {}) },
      spec: { containers: [{ name: 'a' }], ...extra }, status,
    });
    const waiting = (reason: string) => ({ name: 'a', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason } } });
    expect(podSummary(pod({ phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] }), ctx)).toEqual({ ready: '0/1', status: 'ContainerCreating', restarts: '0' });
    expect(podSummary(pod({ phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')] }), ctx).status).toBe('ImagePullBackOff');
    expect(podSummary(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'a', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), ctx).status).toBe('Completed');
    expect(podSummary(pod({ phase: 'Running', containerStatuses: [{ name: 'a', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137 } } }] }), ctx).status).toBe('ExitCode:137');
    const init = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
    expect(podSummary(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', image: '', imageID: '', ready: false, restartCount: 0, state: { running: { startedAt: ago(5) } } }] }, init), ctx).status).toBe('Init:0/2');
    expect(podSummary(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', image: '', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, init), ctx)).toEqual({ ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '3' });
    expect(podSummary(pod({ phase: 'Running', containerStatuses: [{ name: 'a', image: '', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] }, {}, ago(10)), ctx)).toEqual({ ready: '1/1', status: 'Terminating', restarts: '0' });
    expect(podSummary(pod({ phase: 'Succeeded' }, {}, ago(10)), ctx).status).toBe('Succeeded');
    expect(podSummary(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ctx).status).toBe('SchedulingGated');
  });

  it('nodes -o wide: Ready/NotReady,SchedulingDisabled, roles from both label styles', () => {
    expect(get('nodes', '-o', 'wide').stdout).toBe(lines(
      'NAME      STATUS                        ROLES           AGE   VERSION   INTERNAL-IP     EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION       CONTAINER-RUNTIME',
      'cp1       Ready                         control-plane   10d   v1.31.4   192.168.56.10   <none>        Ubuntu 22.04.4 LTS   5.15.0-107-generic   containerd://1.7.13',
      'worker1   Ready                         <none>          10d   v1.31.4   192.168.56.11   <none>        Ubuntu 22.04.4 LTS   5.15.0-107-generic   containerd://1.7.13',
      'worker2   NotReady,SchedulingDisabled   worker          10d   v1.31.4   192.168.56.12   <none>        Ubuntu 22.04.4 LTS   5.15.0-107-generic   containerd://1.7.13',
    ));
  });

  it('namespaces and configmaps', () => {
    expect(get('ns').stdout).toBe(lines(
      'NAME          STATUS   AGE',
      'default       Active   10d',
      'kube-system   Active   10d',
      'web           Active   3h',
    ));
    expect(get('cm', '-A').stdout).toBe(lines(
      'NAMESPACE     NAME               DATA   AGE',
      'default       kube-root-ca.crt   1      10d',
      'kube-system   kube-proxy         2      10d',
    ));
  });
});

describe('several kinds in one command', () => {
  it('`all -A`: one table per kind, kind.group/ names, blank line between, widths restart', () => {
    expect(get('all', '-A')).toEqual(ok(lines(
      'NAMESPACE     NAME                           READY   STATUS             RESTARTS      AGE',
      'default       pod/crash-1                    1/2     CrashLoopBackOff   4 (75s ago)   10m',
      'default       pod/pending-6f9                0/1     Pending            0             45s',
      'default       pod/web-7d4b9c8f6d-2xkqp       1/1     Running            0             120m',
      'default       pod/web-7d4b9c8f6d-9rfzm       1/1     Running            0             120m',
      'default       pod/web-7d4b9c8f6d-k8s4t       0/1     Running            0             120m',
      'kube-system   pod/coredns-7c65d6cfc9-x7k2p   1/1     Running            2 (3d ago)    10d',
      '',
      'NAMESPACE   NAME                   TYPE           CLUSTER-IP     EXTERNAL-IP      PORT(S)                      AGE',
      'default     service/kubernetes     ClusterIP      10.96.0.1      <none>           443/TCP                      10d',
      'default     service/web            ClusterIP      10.96.120.15   <none>           80/TCP                       90m',
      'default     service/web-headless   ClusterIP      None           <none>           80/TCP                       90m',
      'default     service/web-lb         LoadBalancer   10.104.7.201   192.168.56.240   80:31380/TCP,443:31443/TCP   90m',
      'default     service/web-np         NodePort       10.110.33.4    <none>           8080:30080/TCP               90m',
      'default     service/web-pending    LoadBalancer   10.99.1.2      <pending>        80:31000/UDP                 90m',
      'web         service/db             ExternalName   <none>         db.example.com   <none>                       3h',
      '',
      'NAMESPACE     NAME                        DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE',
      'kube-system   daemonset.apps/kube-proxy   3         3         2       3            2           kubernetes.io/os=linux   10d',
      '',
      'NAMESPACE     NAME                      READY   UP-TO-DATE   AVAILABLE   AGE',
      'default       deployment.apps/web       2/3     3            2           120m',
      'kube-system   deployment.apps/coredns   2/2     2            2           10d',
      '',
      'NAMESPACE   NAME                             DESIRED   CURRENT   READY   AGE',
      'default     replicaset.apps/web-7d4b9c8f6d   3         3         2       120m',
      '',
      'NAMESPACE   NAME                  READY   AGE',
      'web         statefulset.apps/db   1/2     3h',
    )));
  });

  it('kinds that print nothing add no blank line; the kind prefix stays (more than one kind was asked for)', () => {
    expect(get('svc,ep,pods', '-n', 'web')).toEqual(ok(lines(
      'NAME         TYPE           CLUSTER-IP   EXTERNAL-IP      PORT(S)   AGE',
      'service/db   ExternalName   <none>       db.example.com   <none>    3h',
    )));
  });

  it('--no-headers: no blank lines between kinds', () => {
    expect(get('svc,ep', '--no-headers', '-l', 'app=web').stdout).toBe(lines(
      'endpoints/web   10.244.1.5:80,10.244.2.7:80   90m',
    ));
    expect(get('deploy,rs', '--no-headers', '-A').stdout).toBe(lines(
      'default       deployment.apps/web       2/3   3     2     120m',
      'kube-system   deployment.apps/coredns   2/2   2     2     10d',
      'default   replicaset.apps/web-7d4b9c8f6d   3     3     2     120m',
    ));
  });

  it('TYPE/NAME arguments and `a,b NAME` (each becomes its own table when the kind changes)', () => {
    expect(get('svc/web', 'ep/web').stdout).toBe(lines(
      'NAME          TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE',
      'service/web   ClusterIP   10.96.120.15   <none>        80/TCP    90m',
      '',
      'NAME            ENDPOINTS                     AGE',
      'endpoints/web   10.244.1.5:80,10.244.2.7:80   90m',
    ));
    expect(get('svc,deploy', 'web', 'kubernetes')).toEqual({
      stdout: lines(
        'NAME                 TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE',
        'service/web          ClusterIP   10.96.120.15   <none>        80/TCP    90m',
        'service/kubernetes   ClusterIP   10.96.0.1      <none>        443/TCP   10d',
        '',
        'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE',
        'deployment.apps/web   2/3     3            2           120m',
      ),
      stderr: 'Error from server (NotFound): deployments.apps "kubernetes" not found\n',
      exitCode: 1,
    });
  });

  it('-o wide for workloads: CONTAINERS IMAGES SELECTOR', () => {
    expect(get('deploy,rs,sts,ds', '-A', '-o', 'wide').stdout).toBe(lines(
      'NAMESPACE     NAME                      READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS   IMAGES                                    SELECTOR',
      'default       deployment.apps/web       2/3     3            2           120m   nginx        nginx:1.25                                app=web',
      'kube-system   deployment.apps/coredns   2/2     2            2           10d    coredns      registry.k8s.io/coredns/coredns:v1.11.3   k8s-app=kube-dns',
      '',
      'NAMESPACE   NAME                             DESIRED   CURRENT   READY   AGE    CONTAINERS   IMAGES       SELECTOR',
      'default     replicaset.apps/web-7d4b9c8f6d   3         3         2       120m   nginx        nginx:1.25   app=web,pod-template-hash=7d4b9c8f6d',
      '',
      'NAMESPACE   NAME                  READY   AGE   CONTAINERS          IMAGES',
      'web         statefulset.apps/db   1/2     3h    postgres,exporter   postgres:16,prom/postgres-exporter',
      '',
      'NAMESPACE     NAME                        DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE   CONTAINERS   IMAGES                               SELECTOR',
      'kube-system   daemonset.apps/kube-proxy   3         3         2       3            2           kubernetes.io/os=linux   10d   kube-proxy   registry.k8s.io/kube-proxy:v1.31.4   k8s-app=kube-proxy',
    ));
  });
});

describe('labels and selectors', () => {
  it('--show-labels appends LABELS (whole k=v strings sorted, <none>)', () => {
    expect(get('svc,ep', '--show-labels', '-l', 'provider').stdout).toBe(lines(
      'NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   LABELS',
      'service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   10d   component=apiserver,provider=kubernetes',
    ));
    expect(get('ep', 'web-headless', '--show-labels').stdout).toBe(lines(
      'NAME           ENDPOINTS                     AGE   LABELS',
      'web-headless   10.244.1.5:80,10.244.2.7:80   90m   service.kubernetes.io/headless=',
    ));
  });

  it('-l supports =, !=, in, notin, exists and !key (comma = AND)', () => {
    expect(get('pods', '--show-labels', '-l', 'app in (web,db),track notin (stable)').stdout).toBe(lines(
      'NAME                   READY   STATUS    RESTARTS   AGE    LABELS',
      'web-7d4b9c8f6d-2xkqp   1/1     Running   0          120m   app=web,pod-template-hash=7d4b9c8f6d',
      'web-7d4b9c8f6d-9rfzm   1/1     Running   0          120m   app=web,pod-template-hash=7d4b9c8f6d',
      'web-7d4b9c8f6d-k8s4t   0/1     Running   0          120m   app=web,pod-template-hash=7d4b9c8f6d,track=canary',
    ));
    expect(get('pods', '-l', '!pod-template-hash').stdout).toBe(lines(
      'NAME          READY   STATUS             RESTARTS      AGE',
      'crash-1       1/2     CrashLoopBackOff   4 (75s ago)   10m',
      'pending-6f9   0/1     Pending            0             45s',
    ));
    expect(get('pods', '--selector=track=canary', '-o', 'name').stdout).toBe('pod/web-7d4b9c8f6d-k8s4t\n');
    expect(get('svc', '-l', 'provider!=kubernetes,!component', '-o', 'name').stdout).toBe(lines(
      'service/web', 'service/web-headless', 'service/web-lb', 'service/web-np', 'service/web-pending',
    ));
  });

  it('-L adds one column per label key', () => {
    expect(get('svc', 'kubernetes', '-L', 'provider,component', '--show-kind').stdout).toBe(lines(
      'NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   PROVIDER     COMPONENT',
      'service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   10d   kubernetes   apiserver',
    ));
  });

  it('formatting helpers follow apimachinery', () => {
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels({ a: '2', 'a.b': '1' })).toBe('a.b=1,a=2'); // sorted as whole "k=v" strings
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(labelSelectorString({})).toBe('');
    expect(formatLabelSelector({ matchLabels: { z: '1' }, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['y', 'x'] }, { key: 'm', operator: 'DoesNotExist' }] }))
      .toBe('a notin (x,y),!m,z=1');
    const p = parseSelector('tier in (b,a), app=web,!legacy');
    expect(p.ok && p.reqs.map((r) => `${r.key}:${r.op}:${r.values.join('|')}`)).toEqual(['app:=:web', 'legacy:!:', 'tier:in:a|b']);
    expect(parseSelector('a b')).toEqual({ ok: false, error: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" });
  });
});

describe('-o name', () => {
  it('prints kind.group/name, one per line', () => {
    expect(get('svc/web', 'deploy/web', 'ep/kubernetes', 'endpointslices/web-4h2kd', '-o', 'name')).toEqual(ok(lines(
      'service/web', 'deployment.apps/web', 'endpoints/kubernetes', 'endpointslice.discovery.k8s.io/web-4h2kd',
    )));
    expect(get('no', '-oname').stdout).toBe(lines('node/cp1', 'node/worker1', 'node/worker2'));
  });

  it('a single missing object prints only the error', () => {
    expect(get('deploy', 'nope', '-o', 'name')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', exitCode: 1 });
  });
});

describe('errors and empty results', () => {
  it('named objects: found ones print, missing ones are reported after', () => {
    expect(get('svc', 'web', 'nope', 'kubernetes')).toEqual({
      stdout: lines(
        'NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE',
        'web          ClusterIP   10.96.120.15   <none>        80/TCP    90m',
        'kubernetes   ClusterIP   10.96.0.1      <none>        443/TCP   10d',
      ),
      stderr: 'Error from server (NotFound): services "nope" not found\n',
      exitCode: 1,
    });
    expect(get('svc', 'nope', '--ignore-not-found')).toEqual(ok(''));
  });

  it('unknown resource type', () => {
    expect(get('foo')).toEqual({ stdout: '', stderr: 'error: the server doesn\'t have a resource type "foo"\n', exitCode: 1 });
    expect(get('svc,foo')).toEqual({ stdout: '', stderr: 'error: the server doesn\'t have a resource type "foo"\n', exitCode: 1 });
  });

  it('nothing found: stderr notice, exit 0', () => {
    expect(get('pods', '-n', 'empty')).toEqual({ stdout: '', stderr: 'No resources found in empty namespace.\n', exitCode: 0 });
    expect(get('deploy', '-l', 'app=none')).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n', exitCode: 0 });
    expect(get('pods', '-A', '-l', 'app=none')).toEqual({ stdout: '', stderr: 'No resources found\n', exitCode: 0 });
    expect(get('nodes', '-l', 'nope')).toEqual({ stdout: '', stderr: 'No resources found\n', exitCode: 0 });
  });

  it('argument errors use kubectl\'s wording', () => {
    expect(get('pods', '-A', 'x').stderr).toBe('error: a resource cannot be retrieved by name across all namespaces\n');
    expect(get('svc', 'web', '-l', 'app=web').stderr).toBe('error: name cannot be provided when a selector is specified\n');
    expect(get('po', 'x', 'svc/y').stderr).toBe("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n");
    expect(get('svc', '--bogus')).toEqual({ stdout: '', stderr: "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n", exitCode: 1 });
    expect(get('svc', '-o', 'foo').stderr).toBe('error: unable to match a printer suitable for the output format "foo", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n');
    const none = get();
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toBe(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
      'error: Required resource not specified.\n' +
      'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
      "See 'kubectl get -h' for help and examples\n",
    );
  });
});

describe('context and odd cells', () => {
  it('inside a pod, the default namespace is the pod\'s own', () => {
    const r = kubectlGet(['svc'], shell(snapshot(), { kind: 'pod', namespace: 'web', pod: 'db-0' }));
    expect(r.stdout).toBe(lines(
      'NAME   TYPE           CLUSTER-IP   EXTERNAL-IP      PORT(S)   AGE',
      'db     ExternalName   <none>       db.example.com   <none>    3h',
    ));
  });

  it('resource names are case-insensitive and accept group-qualified forms', () => {
    const want = get('deploy', 'web').stdout;
    for (const r of ['Deployment', 'deployments.apps', 'deployment.apps', 'deployments.v1.apps', 'DEPLOY']) expect(get(r, 'web').stdout).toBe(want);
  });

  it('cells are cut at a line break (with "...") and terminal escapes are neutralised; missing timestamps are <unknown>', () => {
    const odd: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'odd\x1b[31m', namespace: 'default', labels: { note: 'a' } }, data: {} };
    const r = kubectlGet(['cm', '--show-labels'], shell(snapshot({ configMaps: [odd as never] })));
    expect(r.stdout).toBe(lines('NAME        DATA   AGE         LABELS', 'odd^[[31m   0      <unknown>   note=a'));
    const multi = { ...services[1], spec: { ...services[1].spec, selector: { app: 'line1\nline2' } } } as Service;
    expect(kubectlGet(['svc', 'web', '-o', 'wide'], shell(snapshot({ services: [multi] }))).stdout).toBe(lines(
      'NAME   TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE   SELECTOR',
      'web    ClusterIP   10.96.120.15   <none>        80/TCP    90m   app=line1...',
    ));
  });

  it('lists come in storage-key order (`kube-system/…` before `kube/…`)', () => {
    const cm = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, creationTimestamp: ago(60) }, data: {} });
    const r = kubectlGet(['cm', '-A', '-o', 'name'], shell(snapshot({ configMaps: [cm('b', 'kube'), cm('a', 'kube'), cm('z', 'kube-system')] as never })));
    expect(r.stdout).toBe(lines('configmap/z', 'configmap/a', 'configmap/b'));
  });

  it('MetalLB IPAddressPool uses its CRD printer columns', () => {
    const pool: KubeObject = { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'first-pool', namespace: 'metallb-system' }, spec: { addresses: ['192.168.56.240-192.168.56.250'] } };
    expect(kubectlGet(['ipaddresspools', '-n', 'metallb-system'], shell(snapshot({ others: [pool] }))).stdout).toBe(lines(
      'NAME         AUTO ASSIGN   AVOID BUGGY IPS   ADDRESSES',
      'first-pool   true          false             ["192.168.56.240-192.168.56.250"]',
    ));
  });
});

describe('global flags', () => {
  it('kubectl-wide flags the dispatcher appends are accepted and ignored', () => {
    expect(get('ns', 'web', '--context', 'kind-kind', '-s', 'https://127.0.0.1:6443', '--kubeconfig=/root/.kube/config', '-v=6').stdout).toBe(lines(
      'NAME   STATUS   AGE',
      'web    Active   3h',
    ));
  });
});
