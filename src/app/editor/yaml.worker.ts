// The YAML language server (monaco-yaml's worker), bundled by Vite as its own module worker
// (imported with `?worker` from monaco.ts). Importing it through a local file is what the
// monaco-yaml README recommends for Vite.
import 'monaco-yaml/yaml.worker.js';
