// Synthetic clusters at the scales the course quotes, generated as real YAML text.

/** `count` worker Nodes (room for 110 pods each, the kubelet default) plus one control plane. */
export function nodes(count: number): string[] {
  const parts = [`apiVersion: v1
kind: Node
metadata:
  name: master
  labels:
    node-role.kubernetes.io/control-plane: ""
spec:
  taints:
  - key: node-role.kubernetes.io/control-plane
    effect: NoSchedule
status:
  addresses:
  - type: InternalIP
    address: 192.168.0.2
`];
  for (let i = 1; i <= count; i++) {
    parts.push(`apiVersion: v1
kind: Node
metadata:
  name: worker-${i}
status:
  addresses:
  - type: InternalIP
    address: 192.168.${i >> 8}.${(i & 255) + 10 > 255 ? i & 255 : (i & 255) + 10}
`);
  }
  return parts;
}

/** `services` Deployments (each `podsPer` replicas) and their ClusterIP Services, on enough nodes. */
export function deploymentsAndServices(services: number, podsPer: number): string {
  const parts: string[] = nodes(Math.ceil((services * podsPer) / 100));
  for (let i = 0; i < services; i++) {
    parts.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  replicas: ${podsPer}
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  selector:
    app: app-${i}
  ports:
  - name: http
    port: 80
    targetPort: 80
`);
  }
  return parts.join('---\n');
}

/** `services` selectorless Services, each with a hand-written Endpoints object of `endpointsPer` addresses
 * (the shape of a real cluster dump at kube-proxy scale). */
export function servicesWithEndpoints(services: number, endpointsPer: number): string {
  const parts: string[] = [];
  for (let i = 0; i < services; i++) {
    const addrs: string[] = [];
    for (let j = 0; j < endpointsPer; j++) {
      const n = i * endpointsPer + j;
      addrs.push(`  - ip: 10.${100 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`);
    }
    parts.push(`apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: default
spec:
  ports:
  - name: http
    port: 80
    protocol: TCP
    targetPort: 8080
---
apiVersion: v1
kind: Endpoints
metadata:
  name: svc-${i}
  namespace: default
subsets:
- addresses:
${addrs.join('\n')}
  ports:
  - name: http
    port: 8080
    protocol: TCP
`);
  }
  return parts.join('---\n');
}
