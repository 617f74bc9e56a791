// What-if controls an instructor uses live: scale a Deployment, delete a pod, switch the
// kube-proxy release, change the seed — then the nat rules that change added and removed.
import { useState } from 'react';
import type { ClusterSnapshot } from '../../worker/protocol';
import type { RulesDiff, WhatIf } from '../store';
import { fillIn, pick, type Lang } from '../i18n';

const T = {
  heading: { en: 'What if…', zh: '假如……' },
  scale: { en: 'Scale', zh: '扩缩容' },
  replicas: { en: 'replicas', zh: '副本数' },
  apply: { en: 'Apply', zh: '应用' },
  deletePod: { en: 'Delete pod', zh: '删除 Pod' },
  notReady: { en: 'Mark not ready', zh: '标记为未就绪' },
  ready: { en: 'Mark ready', zh: '标记为就绪' },
  version: { en: 'kube-proxy release', zh: 'kube-proxy 版本' },
  seed: { en: 'Seed', zh: '随机种子' },
  diff: { en: 'nat rules on {node} after “{change}”: {added} added, {removed} removed', zh: '“{change}”之后 {node} 上的 nat 规则：新增 {added} 条，删除 {removed} 条' },
  noChange: { en: 'No nat rule changed.', zh: 'nat 规则没有变化。' },
};


export interface WhatIfPanelProps {
  snapshot: ClusterSnapshot | null;
  lang: Lang;
  node: string;
  version: string;
  seed: number;
  diff: RulesDiff | null;
  onChange(change: WhatIf): void;
}

function podReady(p: ClusterSnapshot['pods'][number]): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function WhatIfPanel({ snapshot, lang, node, version, seed, diff, onChange }: WhatIfPanelProps) {
  // The first 200 of each (a pasted 5,000-Service cluster would make thousands of options).
  const deployments = (snapshot?.deployments ?? []).filter((d) => d.metadata.namespace !== 'kube-system').slice(0, 200);
  const pods = (snapshot?.pods ?? []).filter((p) => p.metadata.namespace !== 'kube-system').slice(0, 200);
  const [deploy, setDeploy] = useState('');
  const [replicas, setReplicas] = useState(2);
  const [pod, setPod] = useState('');
  const d = deployments.find((x) => `${x.metadata.namespace}/${x.metadata.name}` === deploy) ?? deployments[0];
  const p = pods.find((x) => `${x.metadata.namespace}/${x.metadata.name}` === pod) ?? pods[0];
  return (
    <section className="whatif" aria-labelledby="whatif-heading">
      <h2 id="whatif-heading">{pick(T.heading, lang)}</h2>
      <div className="whatif-controls">
        {d && (
          <form onSubmit={(e) => { e.preventDefault(); onChange({ kind: 'command', command: `kubectl scale deployment ${d.metadata.name} -n ${d.metadata.namespace} --replicas=${replicas}` }); }}>
            <label>{pick(T.scale, lang)}{' '}
              <select value={`${d.metadata.namespace}/${d.metadata.name}`} onChange={(e) => setDeploy(e.target.value)}>
                {deployments.map((x) => <option key={x.metadata.uid ?? x.metadata.name}>{`${x.metadata.namespace}/${x.metadata.name}`}</option>)}
              </select>
            </label>{' '}
            <label>{pick(T.replicas, lang)}{' '}
              <input type="number" min={0} max={20} value={replicas} onChange={(e) => setReplicas(Math.max(0, Math.min(20, Number(e.target.value) || 0)))} style={{ width: '4em' }} />
            </label>{' '}
            <button type="submit" data-testid="whatif-scale">{pick(T.apply, lang)}</button>
          </form>
        )}
        {p && (
          <form onSubmit={(e) => { e.preventDefault(); onChange({ kind: 'command', command: `kubectl delete pod ${p.metadata.name} -n ${p.metadata.namespace}` }); }}>
            <label>{pick(T.deletePod, lang)}{' '}
              <select value={`${p.metadata.namespace}/${p.metadata.name}`} onChange={(e) => setPod(e.target.value)}>
                {pods.map((x) => <option key={x.metadata.uid ?? x.metadata.name}>{`${x.metadata.namespace}/${x.metadata.name}`}</option>)}
              </select>
            </label>{' '}
            <button type="submit">{pick(T.apply, lang)}</button>{' '}
            <button type="button" data-testid="whatif-ready" onClick={() => onChange({ kind: 'ready', namespace: p.metadata.namespace ?? 'default', name: p.metadata.name, ready: !podReady(p) })}>
              {pick(podReady(p) ? T.notReady : T.ready, lang)}
            </button>
          </form>
        )}
        <label>{pick(T.version, lang)}{' '}
          <select value={version} onChange={(e) => onChange({ kind: 'kubeProxyVersion', version: e.target.value })} data-testid="whatif-version">
            {['1.23', '1.31'].map((v) => <option key={v} value={v}>v{v}</option>)}
          </select>
        </label>
        <label>{pick(T.seed, lang)}{' '}
          <input type="number" min={1} value={seed} onChange={(e) => { const v = Number(e.target.value); if (Number.isInteger(v) && v > 0) onChange({ kind: 'seed', seed: v }); }} style={{ width: '5em' }} />
        </label>
      </div>
      {diff && (
        <div className="whatif-diff" data-testid="whatif-diff">
          <p>{fillIn(pick(T.diff, lang), { node: diff.node, change: diff.change, added: diff.added.length, removed: diff.removed.length })}</p>
          {diff.added.length + diff.removed.length === 0 ? <p>{pick(T.noChange, lang)}</p> : (
            <pre className="whatif-lines">
              {diff.removed.map((l, i) => <div key={`r${i}`} className="whatif-removed"><span aria-hidden="true">- </span><span className="sr-only">removed: </span>{l}</div>)}
              {diff.added.map((l, i) => <div key={`a${i}`} className="whatif-added"><span aria-hidden="true">+ </span><span className="sr-only">added: </span>{l}</div>)}
            </pre>
          )}
        </div>
      )}
    </section>
  );
}
