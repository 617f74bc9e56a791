// Every Service example of the course, YAML in → exactly what kubectl prints out.
// Goldens live in tests/golden/course/*.txt; review a diff there like a real cluster's output.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { course, cluster, load, transcript, GOLDEN, yamlFile } from './helpers';

interface Scenario {
  id: string;
  files: () => ReturnType<typeof course>[];
  commands: string[];
  before?: (sim: ReturnType<typeof load>) => void;
}

const SCENARIOS: Scenario[] = [
  { id: 'clusterip-demoapp', files: () => [course('12')], commands: ['kubectl get svc,ep -o wide', 'kubectl get pods -o wide --show-labels', 'kubectl get deploy,rs -o wide', 'kubectl describe svc demoapp-svc', 'kubectl get endpointslices'] },
  { id: 'nodeport-demoapp-32000', files: () => [course('13')], commands: ['kubectl get svc -o wide', 'kubectl get ep demoapp-svc', 'kubectl describe svc demoapp-svc'] },
  { id: 'part-a-clusterip-fixed-ip', files: () => [cluster('part-a-kubeasz'), course('01'), course('02')], commands: ['kubectl get svc', 'kubectl get ep', 'kubectl get pods -l app=nginx -o wide', 'kubectl get nodes', 'kubectl get svc -n kube-system | grep dns'] },
  { id: 'part-a-expose', files: () => [cluster('part-a-kubeasz'), course('01')], commands: ['kubectl get services', 'kubectl expose deployment deploy-nginx --port=80 --target-port=80 --protocol=TCP', 'kubectl get svc', 'kubectl get endpoints'] },
  { id: 'part-a-nodeport-30000', files: () => [cluster('part-a-kubeasz'), course('01'), course('04')], commands: ['kubectl get svc', 'kubectl get ep | grep my-service'] },
  { id: 'part-a-patch-type-nodeport', files: () => [cluster('part-a-kubeasz'), course('01'), course('02')], commands: ["kubectl patch service my-service -p '{\"spec\":{\"type\":\"NodePort\"}}'", 'kubectl get svc', "kubectl patch svc my-service -p '{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}'", 'kubectl describe svc my-service', "kubectl patch svc my-service -p '{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}'"] },
  { id: 'part-a-headless', files: () => [cluster('part-a-kubeasz'), course('01'), course('03')], commands: ['kubectl get svc', 'kubectl get pods -o wide', 'kubectl get ep headless-service'] },
  { id: 'part-a-externalname', files: () => [cluster('part-a-kubeasz'), course('07')], commands: ['kubectl get svc', 'kubectl get svc | grep exter'] },
  { id: 'part-a-ns1-ns2', files: () => [cluster('part-a-kubeasz'), course('08'), course('09')], commands: ['kubectl get pods -n ns1', 'kubectl get svc -n ns1', 'kubectl get svc -n ns2 -o wide', 'kubectl get ep -A', 'kubectl get ns'] },
  { id: 'part-a-metallb-v0.9', files: () => [cluster('part-a-kubeasz'), course('05'), course('06')], commands: ['kubectl get svc -n metallb-system', 'kubectl get pods -o wide -n metallb-system | grep deploy-nginx'] },
  { id: 'part-b-readiness', files: () => [course('10')], before: (sim) => { const p = sim.snapshot().pods.find((x) => x.metadata.labels?.role === 'web-readiness')!; sim.setPodReady('default', p.metadata.name, false); }, commands: ['kubectl describe svc demoapp-readiness-service', 'kubectl get pod --show-labels', 'kubectl get ep demoapp-readiness-service', 'kubectl get endpointslices -l kubernetes.io/service-name=demoapp-readiness-service'] },
  { id: 'part-b-publish-not-ready', files: () => [course('11')], before: (sim) => { const p = sim.snapshot().pods.find((x) => x.metadata.labels?.role === 'web-readiness')!; sim.setPodReady('default', p.metadata.name, false); }, commands: ['kubectl describe svc demoapp-readiness-service', 'kubectl get pods -l role=web-readiness -o wide', 'kubectl get ep demoapp-readiness-service'] },
  { id: 'part-b-statefulset-headless', files: () => [course('24')], commands: ['kubectl get svc', 'kubectl get pod -l app=nginx -o wide', 'kubectl get sts', 'kubectl get ep myapp'] },
  { id: 'part-b-hostnetwork-deployment', files: () => [course('19')], commands: ['kubectl get pods -o wide', 'kubectl get svc', 'kubectl get ep'] },
  { id: 'part-c-redis', files: () => [course('25'), course('26')], commands: ['kubectl get pods -o wide', 'kubectl get svc', 'kubectl describe svc redis'] },
  { id: 'part-c-daemonset-nodeport', files: () => [course('25'), course('27'), course('28'), course('29')], commands: ['kubectl get pods -o wide --show-labels', 'kubectl get svc', 'kubectl get ds', "kubectl patch svc linuxea -p '{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}'", 'kubectl describe svc linuxea'] },
  { id: 'part-d-httpd', files: () => [course('30'), course('31'), course('33')], commands: ['kubectl get service', 'kubectl describe service httpd-svc', 'kubectl get pods -o wide'] },
  { id: 'part-d-httpd-nodeport-headless', files: () => [course('30'), course('32'), course('34')], commands: ['kubectl get svc', 'kubectl get ep'] },
  { id: 'part-e-nginx-service-variants', files: () => [course('35'), course('36')], commands: ['kubectl get svc,ep', 'kubectl describe svc nginx-service'] },
  { id: 'part-e-fixed-ip', files: () => [course('35'), course('37')], commands: ['kubectl get svc'] },
  { id: 'part-e-headless', files: () => [course('35'), course('38')], commands: ['kubectl get svc', 'kubectl get ep nginx-service'] },
  { id: 'part-e-nodeport-auto-and-30001', files: () => [course('35'), course('39')], commands: ['kubectl get svc', 'kubectl apply -f 40-nginx-service-nodeport-30001.yaml'] },
  { id: 'part-e-nodeport-out-of-range', files: () => [course('35'), yamlFile('nodeport-40000.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-service\nspec:\n  type: NodePort\n  selector:\n    app: nginx-deployment\n  ports:\n  - name: nginx-port\n    port: 80\n    targetPort: 80\n    nodePort: 40000\n')], commands: ['kubectl get svc'] },
  { id: 'part-e-no-selector-before', files: () => [course('35'), course('41')], commands: ['kubectl get svc,ep', 'kubectl describe svc service-no-selector'] },
  { id: 'part-e-no-selector-endpoints', files: () => [course('35'), course('41'), course('42')], commands: ['kubectl get svc,ep', 'kubectl describe svc service-no-selector', 'kubectl get endpointslices'] },
  { id: 'part-e-externalname-in-cluster', files: () => [course('35'), course('36'), course('43')], commands: ['kubectl get svc -o wide'] },
  { id: 'part-e-metallb-v0.13', files: () => [course('35'), course('40'), course('44'), course('45')], commands: ['kubectl get svc', 'kubectl get svc nginxlb -o wide', 'kubectl describe svc nginxlb'] },
  { id: 'loadbalancer-pending-without-pool', files: () => [course('35'), course('45')], commands: ['kubectl get svc', 'kubectl describe svc nginxlb'] },
  { id: 'selector-matches-deployment-not-pods', files: () => [yamlFile('mistake.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    tier: frontend\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    tier: frontend\n  ports:\n  - port: 80\n')], commands: ['kubectl get ep web', 'kubectl describe svc web'] },
];

describe('course scenarios: kubectl output', () => {
  for (const s of SCENARIOS) {
    it(s.id, async () => {
      const files = s.files();
      const sim = load(files, { seed: 1 });
      s.before?.(sim);
      const commands = s.commands.map((c) => c.startsWith('kubectl apply -f ') ? c : c);
      let out = '';
      for (const c of commands) {
        if (c.startsWith('kubectl apply -f ')) {
          const f = course(c.slice('kubectl apply -f '.length).slice(0, 2));
          const r = sim.apply([f]);
          out += `$ ${c}\n${r.output}${r.diagnostics.filter((d) => d.severity === 'error').map((d) => `[stderr]\n${d.raw}\n`).join('')}\n`;
        } else out += `${transcript(sim, [c])}\n`;
      }
      const load_ = sim.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.severity}: ${d.file}:${d.line}:${d.column}: ${d.message.en}`).join('\n');
      await expect(`# files: ${files.map((f) => f.name).join(' ')}\n${load_ ? `# load diagnostics:\n${load_}\n` : ''}\n${out}`).toMatchFileSnapshot(path.join(GOLDEN, 'course', `${s.id}.txt`));
    });
  }
});
