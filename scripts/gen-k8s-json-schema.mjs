// Generates src/app/editor/k8s.schema.json: a JSON Schema (draft-07) of the Kubernetes kinds
// KubeSim accepts, with the field documentation `kubectl explain` prints, for the YAML
// editor (monaco-yaml): completion, hover docs and validation hints. Built from the
// `kubernetes-types` declarations (types + doc comments), so nothing is fetched and the
// output is reproducible. Run: node scripts/gen-k8s-json-schema.mjs (dev time only; the
// output is committed and loaded lazily together with Monaco).
//
// Kept small on purpose: `status` is dropped everywhere except on Node (where the course
// writes `status.addresses`), doc comments lose their "More info: URL" tails, and kinds the
// simulator only passes through (MetalLB, kubeadm, …) get a generic object schema.
import ts from 'typescript';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve('kubernetes-types/package.json'));
const version = require('kubernetes-types/package.json').version;
const OUT = new URL('../src/app/editor/k8s.schema.json', import.meta.url);

/** The kinds with a full schema, in the order completion offers them. */
const ROOTS = {
  Deployment: 'apps/v1#Deployment',
  StatefulSet: 'apps/v1#StatefulSet',
  DaemonSet: 'apps/v1#DaemonSet',
  ReplicaSet: 'apps/v1#ReplicaSet',
  Pod: 'core/v1#Pod',
  Service: 'core/v1#Service',
  Endpoints: 'core/v1#Endpoints',
  EndpointSlice: 'discovery/v1#EndpointSlice',
  Namespace: 'core/v1#Namespace',
  Node: 'core/v1#Node',
  ConfigMap: 'core/v1#ConfigMap',
};

/** Where `status` is kept (the simulator reads Node addresses from it). */
const KEEP_STATUS = new Set(['core.v1.Node']);

/** Fields typed `string` in kubernetes-types whose valid values are a closed set. */
const ENUMS = {
  'core.v1.ServiceSpec': {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    sessionAffinity: ['None', 'ClientIP'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
    'ipFamilies[]': ['IPv4', 'IPv6'],
  },
  'core.v1.ServicePort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'core.v1.ContainerPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'core.v1.EndpointPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'discovery.v1.EndpointPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'discovery.v1.EndpointSlice': { addressType: ['IPv4', 'IPv6', 'FQDN'] },
  'core.v1.Container': { imagePullPolicy: ['Always', 'IfNotPresent', 'Never'] },
  'core.v1.PodSpec': {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  },
  'core.v1.NodeAddress': { type: ['InternalIP', 'ExternalIP', 'Hostname', 'InternalDNS', 'ExternalDNS'] },
  'apps.v1.DeploymentStrategy': { type: ['RollingUpdate', 'Recreate'] },
  'apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'apps.v1.StatefulSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'apps.v1.DaemonSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'core.v1.Toleration': { operator: ['Exists', 'Equal'], effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  'meta.v1.LabelSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
};

const files = new Map(); // module -> SourceFile
function source(mod) {
  if (!files.has(mod)) {
    const p = path.join(root, `${mod}.d.ts`);
    files.set(mod, ts.createSourceFile(p, readFileSync(p, 'utf8'), ts.ScriptTarget.Latest, true));
  }
  return files.get(mod);
}

function resolveImport(mod, name) {
  const sf = source(mod);
  for (const st of sf.statements) {
    if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name.text === name) return `${mod}#${name}`;
    if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
      for (const el of st.importClause.namedBindings.elements) {
        if (el.name.text === name) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(mod), st.moduleSpecifier.text));
          return resolveImport(target, name);
        }
      }
    }
  }
  throw new Error(`cannot resolve ${name} in ${mod}`);
}

/** The doc comment of a declaration, tidied: no "More info: URL" tails, single spaces. */
function docOf(node) {
  const doc = (node.jsDoc ?? []).map((d) => ts.getTextOfJSDocComment(d.comment) ?? '').join('\n').trim();
  if (!doc) return undefined;
  return doc
    .replace(/\s*More info: \S+/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim() || undefined;
}

const defs = {};

function schemaOf(mod, node) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword: return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword: return { type: 'integer' };
    case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword: case ts.SyntaxKind.UnknownKeyword: return {};
    case ts.SyntaxKind.LiteralType:
      if (ts.isStringLiteral(node.literal)) return { const: node.literal.text };
      return {};
    case ts.SyntaxKind.ArrayType: return { type: 'array', items: schemaOf(mod, node.elementType) };
    case ts.SyntaxKind.UnionType: {
      const parts = node.types.map((t) => schemaOf(mod, t));
      const types = parts.map((p) => p.type);
      if (types.includes('integer') && types.includes('string')) return { type: ['integer', 'string'] };
      return parts[0];
    }
    case ts.SyntaxKind.TypeLiteral: {
      const idx = node.members.find((m) => ts.isIndexSignatureDeclaration(m));
      if (idx) return { type: 'object', additionalProperties: schemaOf(mod, idx.type) };
      return { type: 'object' };
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array') return { type: 'array', items: schemaOf(mod, node.typeArguments[0]) };
      // Written as `cpu: 1` as often as `memory: 128Mi`.
      if (name === 'Quantity') return { type: ['string', 'number'] };
      return ref(resolveImport(mod, name));
    }
    default: return {};
  }
}

function ref(id) {
  const [mod, name] = id.split('#');
  const sf = source(mod);
  const decl = sf.statements.find((s) => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name);
  if (ts.isTypeAliasDeclaration(decl)) return schemaOf(mod, decl.type);
  const key = `${mod.replace('/', '.')}.${name}`;
  if (!(key in defs)) {
    defs[key] = null; // placeholder: breaks cycles
    const properties = {};
    const required = [];
    for (const m of decl.members) {
      if (!ts.isPropertySignature(m)) continue;
      const field = m.name.getText().replace(/^"|"$/g, '');
      const description = docOf(m);
      let s;
      if (field === 'status' && !KEEP_STATUS.has(key)) s = { type: 'object' };
      else s = schemaOf(mod, m.type);
      const enumValues = ENUMS[key]?.[field];
      if (enumValues && s.type === 'string') s = { ...s, enum: enumValues };
      const itemEnum = ENUMS[key]?.[`${field}[]`];
      if (itemEnum && s.items?.type === 'string') s = { ...s, items: { ...s.items, enum: itemEnum } };
      properties[field] = description ? { ...s, description } : s;
      if (!m.questionToken) required.push(field);
    }
    const def = { type: 'object' };
    const description = docOf(decl);
    if (description) def.description = description;
    def.properties = properties;
    if (required.length) def.required = required;
    def.additionalProperties = false;
    defs[key] = def;
  }
  return { $ref: `#/definitions/${key}` };
}

const kinds = Object.keys(ROOTS);
const anyOf = [];
for (const [kind, id] of Object.entries(ROOTS)) {
  const r = ref(id);
  const key = r.$ref.slice('#/definitions/'.length);
  // apiVersion and kind are optional in the TypeScript types but always written in YAML.
  defs[key].required = [...new Set(['apiVersion', 'kind', ...(defs[key].required ?? [])])];
  anyOf.push(r);
}

// Everything else (CustomResources, kubeadm and kube-proxy configuration, MetalLB, …):
// only the common header is described.
defs.Other = {
  type: 'object',
  description: 'A Kubernetes object of a kind this editor has no schema for.',
  properties: {
    apiVersion: { type: 'string', description: defs['core.v1.Service'].properties.apiVersion.description },
    kind: { type: 'string', not: { enum: kinds }, description: defs['core.v1.Service'].properties.kind.description },
    metadata: { $ref: '#/definitions/meta.v1.ObjectMeta', description: defs['core.v1.Service'].properties.metadata.description },
  },
  required: ['apiVersion', 'kind'],
};
anyOf.push({ $ref: '#/definitions/Other' });

// Offer the kinds as completions for a new document's `kind:`.
for (const k of kinds) {
  const key = anyOf[kinds.indexOf(k)].$ref.slice('#/definitions/'.length);
  defs[key].title = k;
}

const schema = {
  title: 'Kubernetes objects (KubeSim)',
  description: `Generated by scripts/gen-k8s-json-schema.mjs from kubernetes-types@${version}.`,
  anyOf,
  definitions: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
};

const json = JSON.stringify(schema) + '\n';
writeFileSync(OUT, json);
console.log(`wrote ${path.relative(process.cwd(), OUT.pathname)}: ${Object.keys(defs).length} definitions, ${(json.length / 1024).toFixed(0)} KB raw, ${(gzipSync(json).length / 1024).toFixed(0)} KB gzip`);
