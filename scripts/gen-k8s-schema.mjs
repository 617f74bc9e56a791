// Generates src/sim/api/schema/k8s-schema.json from the `kubernetes-types` declarations:
// a compact field schema (field → type) for the kinds KubeSim reads, so the API layer can
// report unknown fields and wrong types the way the real API server does, without
// hand-typing hundreds of definitions. Run: node scripts/gen-k8s-schema.mjs (dev time only;
// the output is committed).
import ts from 'typescript';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve('kubernetes-types/package.json'));

const ROOTS = {
  Namespace: 'core/v1#Namespace', Node: 'core/v1#Node', Pod: 'core/v1#Pod', Service: 'core/v1#Service',
  Endpoints: 'core/v1#Endpoints', ConfigMap: 'core/v1#ConfigMap', Deployment: 'apps/v1#Deployment',
  ReplicaSet: 'apps/v1#ReplicaSet', StatefulSet: 'apps/v1#StatefulSet', DaemonSet: 'apps/v1#DaemonSet',
  EndpointSlice: 'discovery/v1#EndpointSlice',
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
    if (ts.isInterfaceDeclaration(st) && st.name.text === name) return `${mod}#${name}`;
    if (ts.isTypeAliasDeclaration(st) && st.name.text === name) return `${mod}#${name}`;
    if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
      for (const el of st.importClause.namedBindings.elements) {
        if (el.name.text === name) {
          const spec = st.moduleSpecifier.text; // "../meta/v1"
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(mod), spec));
          return resolveImport(target, name);
        }
      }
    }
  }
  throw new Error(`cannot resolve ${name} in ${mod}`);
}

const defs = {};
function typeOf(mod, node) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword: return 's';
    case ts.SyntaxKind.NumberKeyword: return 'i';
    case ts.SyntaxKind.BooleanKeyword: return 'b';
    case ts.SyntaxKind.AnyKeyword: case ts.SyntaxKind.UnknownKeyword: return 'any';
    case ts.SyntaxKind.LiteralType: return 's';
    case ts.SyntaxKind.ArrayType: return { a: typeOf(mod, node.elementType) };
    case ts.SyntaxKind.UnionType: {
      const parts = node.types.map((t) => typeOf(mod, t));
      if (parts.includes('i') && parts.includes('s')) return 'is';
      return parts[0];
    }
    case ts.SyntaxKind.TypeLiteral: {
      const idx = node.members.find((m) => ts.isIndexSignatureDeclaration(m));
      if (idx) return { m: typeOf(mod, idx.type) };
      return 'any';
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array') return { a: typeOf(mod, node.typeArguments[0]) };
      if (name === 'Quantity') return 'is'; // written as `cpu: 1` as often as `memory: 128Mi`
      return ref(resolveImport(mod, name));
    }
    default: return 'any';
  }
}

function ref(id) {
  const [mod, name] = id.split('#');
  const sf = source(mod);
  const decl = sf.statements.find((s) => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name);
  if (ts.isTypeAliasDeclaration(decl)) return typeOf(mod, decl.type);
  const key = `${mod.replace('/', '.')}.${name}`;
  if (!(key in defs)) {
    defs[key] = null;
    const fields = {};
    for (const m of decl.members) {
      if (!ts.isPropertySignature(m)) continue;
      fields[m.name.getText().replace(/^"|"$/g, '')] = typeOf(mod, m.type);
    }
    defs[key] = fields;
  }
  return `#${key}`;
}

const roots = Object.fromEntries(Object.entries(ROOTS).map(([k, id]) => [k, ref(id)]));
const out = { generatedFrom: `kubernetes-types@${require('kubernetes-types/package.json').version}`, roots, defs };
writeFileSync(new URL('../src/sim/api/schema/k8s-schema.json', import.meta.url), JSON.stringify(out) + '\n');
console.log(`wrote ${Object.keys(defs).length} definitions`);
