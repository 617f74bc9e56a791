// kubectl patch semantics: JSON merge patch (RFC 7386), strategic merge patch (lists with a
// merge key are merged item by item: Service ports by `port`, containers by `name`), and
// JSON patch (RFC 6902) for the common add/replace/remove operations.

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Lists that strategic merge patch merges by key, by the field name holding them. */
const MERGE_KEYS: Record<string, string> = {
  ports: 'port', containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath',
  tolerations: '', imagePullSecrets: 'name', conditions: 'type', addresses: 'ip',
};

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return patch;
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function strategicMergePatch(target: Json, patch: Json, field = ''): Json {
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!key || !Array.isArray(target)) return patch;
    const out = [...target] as Json[];
    for (const item of patch) {
      if (!isObj(item) || !(key in item)) { out.push(item); continue; }
      const at = out.findIndex((t) => isObj(t) && t[key] === item[key]);
      if (item.$patch === 'delete') { if (at !== -1) out.splice(at, 1); continue; }
      if (at === -1) out.push(item);
      else out[at] = strategicMergePatch(out[at], item);
    }
    return out;
  }
  if (!isObj(patch)) return patch;
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = strategicMergePatch(out[k], v, k);
  }
  return out;
}

export function jsonPatch(target: Json, ops: Json): Json | { error: string } {
  if (!Array.isArray(ops)) return { error: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' };
  let doc = structuredClone(target);
  for (const op of ops) {
    if (!isObj(op) || typeof op.path !== 'string') return { error: 'invalid JSON Patch' };
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let parent = doc as Obj | Json[];
    for (const p of parts) parent = (parent as Obj)[p] as Obj;
    if (parent === undefined || parent === null) return { error: `doc is missing path: "${op.path}": missing value` };
    const arr = Array.isArray(parent);
    const idx = arr ? (last === '-' ? (parent as Json[]).length : Number(last)) : -1;
    switch (op.op) {
      case 'add': if (arr) (parent as Json[]).splice(idx, 0, op.value); else (parent as Obj)[last] = op.value; break;
      case 'replace': if (arr) (parent as Json[])[idx] = op.value; else (parent as Obj)[last] = op.value; break;
      case 'remove': if (arr) (parent as Json[]).splice(idx, 1); else delete (parent as Obj)[last]; break;
      default: return { error: `Unexpected kind: ${String(op.op)}` };
    }
    doc = doc as Json;
  }
  return doc;
}
