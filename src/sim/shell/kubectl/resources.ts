// Resource names kubectl accepts (`svc`, `services`, `deploy`, `deployment.apps`) → kinds.
import { KINDS, type KindInfo } from '../../api/objects';

export function resolveResource(word: string): KindInfo | undefined {
  const w = word.toLowerCase().replace(/\.(apps|discovery\.k8s\.io|metallb\.io)$/, '');
  return KINDS.find((k) => k.resource === w || k.singular === w || k.kind.toLowerCase() === w || k.shortNames.includes(w));
}
