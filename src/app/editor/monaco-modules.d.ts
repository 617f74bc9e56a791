// Monaco 0.54 ships types only for its public entry ('monaco-editor' → editor.api.d.ts). The
// lean core entry we import has the same API surface minus the bundled language services.
declare module 'monaco-editor/esm/vs/editor/edcore.main.js' {
  export * from 'monaco-editor';
}
declare module 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
