// Monaco + monaco-yaml, set up for KubeSim. This module is only ever loaded with a dynamic
// `import()` from YamlEditor.tsx, so Monaco (≈1 MB gzipped) never delays the first paint.
//
// Versions: monaco-editor 0.54.0 + monaco-yaml 5.5.1 (see /work/shared/reference/stack.md §1).
// 0.54 has no `exports` map, so monaco-yaml's deep `monaco-editor/esm/vs/...` imports resolve
// as they are. We import the lean core (`edcore.main.js`: the editor without the TypeScript,
// CSS, HTML and JSON language services) plus the YAML tokenizer, and re-install the legacy
// `editor.createWebWorker({label, createData})` overload that the full `editor.main.js` adds
// and monaco-yaml's worker manager relies on.
//
// Everything is bundled: the schema is an in-memory object, `enableSchemaRequest` is off, and
// the workers are Vite module workers served from our own origin. Nothing is fetched.
import * as monaco from 'monaco-editor/esm/vs/editor/edcore.main.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import { configureMonacoYaml, type JSONSchema } from 'monaco-yaml';
import k8sSchema from './k8s.schema.json';
import YamlWorker from './yaml.worker?worker';
import { slices } from './slices';

type Editor = monaco.editor.IStandaloneCodeEditor;
type Model = monaco.editor.ITextModel;

export interface EditorFile {
  name: string;
  text: string;
}

export type MarkerLevel = 'error' | 'warning' | 'info';

export interface EditorMarker {
  file: string;
  line: number;
  column: number;
  severity: MarkerLevel;
  /** Already in the UI language. */
  message: string;
  code: string;
}

export interface EditorOptions {
  ariaLabel: string;
  /** Where the plain-text editor's caret was (a character offset into the active file). */
  cursorOffset?: number;
  onEdit(name: string, text: string): void;
}

export interface EditorController {
  /** Shows `files` of `scope` (the example id), one model per file; `active` is displayed. */
  show(scope: string, files: readonly EditorFile[], active: string | null): void;
  setMarkers(markers: readonly EditorMarker[]): void;
  /** Moves the caret to 1-based (line, column) of the active file and scrolls it into view. */
  reveal(line: number, column: number): void;
  setAriaLabel(label: string): void;
  setReadOnly(readOnly: boolean): void;
  focus(): void;
  dispose(): void;
}

const OWNER = 'kubesim';
const SCHEMA_URI = 'inmemory://kubesim/schemas/kubernetes.json'; // never fetched: schema is inline
const LIGHT = 'kubesim-light';
const DARK = 'kubesim-dark';

let configured = false;

function configureOnce(): void {
  if (configured) return;
  configured = true;

  (globalThis as { MonacoEnvironment?: monaco.Environment }).MonacoEnvironment = {
    getWorker: (_id: string, label: string) => (label === 'yaml' ? new YamlWorker() : new EditorWorker()),
  };

  // The legacy overload monaco-worker-manager (used by monaco-yaml) calls; the same code as
  // in monaco-editor 0.54's own esm/vs/editor/editor.main.js, which we do not import.
  const modern = monaco.editor.createWebWorker as unknown as (opts: object) => unknown;
  type LegacyOptions = { worker?: unknown; label?: string; moduleId?: string; createData?: unknown; host?: unknown; keepIdleModels?: boolean };
  (monaco.editor as { createWebWorker: unknown }).createWebWorker = (opts: LegacyOptions) => {
    if (opts.worker !== undefined) return modern(opts);
    const env = (globalThis as { MonacoEnvironment?: monaco.Environment }).MonacoEnvironment;
    const worker = Promise.resolve(env!.getWorker!('workerMain.js', opts.label ?? 'monaco-editor-worker')).then((w: Worker) => {
      w.postMessage('ignore');
      w.postMessage(opts.createData);
      return w;
    });
    return modern({ worker, host: opts.host, keepIdleModels: opts.keepIdleModels });
  };

  // The schema's findings are hints next to the simulator's own diagnostics (which are what
  // the API server would say): shown one level softer, so a red squiggle always means
  // "KubeSim rejects this".
  const setModelMarkers = monaco.editor.setModelMarkers;
  monaco.editor.setModelMarkers = (model, owner, markers) => {
    if (owner !== 'yaml') return setModelMarkers(model, owner, markers);
    const S = monaco.MarkerSeverity;
    return setModelMarkers(model, owner, markers.map((m) => ({
      ...m,
      severity: m.severity === S.Error ? S.Warning : m.severity === S.Warning ? S.Info : m.severity,
      source: 'schema',
    })));
  };

  // Monaco cancels in-flight language requests (hover, completion, validation) when the text
  // or model changes, and some of those promises reject with a "Canceled" error nobody
  // awaits. That is routine, not a failure: keep it out of the console.
  window.addEventListener('unhandledrejection', (e) => {
    const r = e.reason as { name?: string; message?: string } | null;
    if (r && r.name === 'Canceled' && r.message === 'Canceled') e.preventDefault();
  });

  configureMonacoYaml(monaco as unknown as Parameters<typeof configureMonacoYaml>[0], {
    enableSchemaRequest: false,
    isKubernetes: true,
    completion: true,
    hover: true,
    validate: true,
    schemas: [{ uri: SCHEMA_URI, fileMatch: ['*'], schema: k8sSchema as JSONSchema }],
  });

  monaco.editor.defineTheme(LIGHT, {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': '#fbfcfe',
      'editorGutter.background': '#f0f3f7',
      'editorLineNumber.foreground': '#6b7687',
      'editorLineNumber.activeForeground': '#1b2330',
      'editor.lineHighlightBackground': '#eef3fb',
      'editorError.foreground': '#b3261e',
      'editorWarning.foreground': '#a86a00',
      'editorInfo.foreground': '#1f5fa8',
    },
  });
  monaco.editor.defineTheme(DARK, {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#1f2935', 'editorGutter.background': '#18202a' },
  });
}

function languageOf(name: string): string {
  return /\.ya?ml$/i.test(name) ? 'yaml' : 'plaintext';
}

/**
 * Above this size a file is edited as plain text: Monaco's YAML tokenizer and schema checks
 * on a pasted multi-megabyte cluster dump kept the page busy for a second at a time. KubeSim's
 * own diagnostics still show as markers.
 */
export const LARGE_FILE_CHARS = 512 * 1024;

function fitLanguage(model: Model, name: string, length = model.getValueLength()): void {
  const want = length > LARGE_FILE_CHARS ? 'plaintext' : languageOf(name);
  if (model.getLanguageId() !== want) monaco.editor.setModelLanguage(model, want);
}

/**
 * Editor options that scale with the file. On a multi-megabyte file, folding ranges and bracket
 * pairs are recomputed over the whole text after an edit (one keystroke at the end of a
 * 2.3 MB dump cost 150 ms in bracket-pair parsing alone), so they are off there, with the
 * typing helpers (plain text has no brackets or schema to help with anyway).
 */
function sizeOptions(length: number): monaco.editor.IEditorOptions {
  const small = length <= LARGE_FILE_CHARS;
  return {
    folding: small,
    bracketPairColorization: { enabled: small },
    guides: { bracketPairs: small, indentation: small },
    matchBrackets: small ? 'always' : 'never',
    occurrencesHighlight: small ? 'singleFile' : 'off',
    selectionHighlight: small,
    // Typing helpers that look around the caret on every key (≈ 15 ms a keystroke at 100k lines).
    autoIndent: small ? 'advanced' : 'none',
    autoClosingBrackets: small ? 'languageDefined' : 'never',
    autoClosingQuotes: small ? 'languageDefined' : 'never',
    autoSurround: small ? 'languageDefined' : 'never',
    quickSuggestions: small ? { other: true, comments: false, strings: true } : false,
    suggestOnTriggerCharacters: small,
    links: small,
  };
}

/** Pastes longer than this go into the model in slices, one task each (see pasteInSlices). */
export const LARGE_PASTE_CHARS = 256 * 1024;
/** One slice: Monaco takes ≈ 0.3 ms per KB to insert into a large model (piece tree, line starts, view lines, events). */
const PASTE_SLICE_CHARS = 80 * 1024; // slices of 70–80 K: see slices.ts for why not smaller

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Replaces only the part of `model` that differs from `text`, so the caret and undo stay sensible. */
function replaceText(model: Model, text: string): void {
  const old = model.getValue(monaco.editor.EndOfLinePreference.LF);
  const next = text.replace(/\r\n/g, '\n');
  if (old === next) return;
  let start = 0;
  const max = Math.min(old.length, next.length);
  while (start < max && old.charCodeAt(start) === next.charCodeAt(start)) start++;
  let endOld = old.length;
  let endNew = next.length;
  while (endOld > start && endNew > start && old.charCodeAt(endOld - 1) === next.charCodeAt(endNew - 1)) {
    endOld--;
    endNew--;
  }
  const from = model.getPositionAt(start);
  const to = model.getPositionAt(endOld);
  model.pushEditOperations(
    [],
    [{ range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column), text: next.slice(start, endNew) }],
    () => null,
  );
  model.pushStackElement();
}

function markerRange(model: Model, m: EditorMarker): monaco.IRange {
  const line = Math.min(Math.max(1, m.line || 1), model.getLineCount());
  const content = model.getLineContent(line);
  const trimmedEnd = content.trimEnd().length + 1;
  let start = Math.min(Math.max(1, m.column || 1), content.length + 1);
  let end = trimmedEnd;
  if (end <= start) {
    // The position is at (or past) the end of the line: underline the line's content.
    start = Math.max(1, model.getLineFirstNonWhitespaceColumn(line) || 1);
    end = Math.max(start + 1, trimmedEnd);
  }
  return { startLineNumber: line, startColumn: start, endLineNumber: line, endColumn: end };
}

const SEVERITY: Record<MarkerLevel, monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

export function createEditor(host: HTMLElement, opts: EditorOptions): EditorController {
  configureOnce();
  const models = new Map<string, Model>(); // `${scope}/${name}` → model
  const viewStates = new Map<Model, monaco.editor.ICodeEditorViewState | null>();
  const listeners: monaco.IDisposable[] = [];
  let scope = '';
  let markers: readonly EditorMarker[] = [];
  let syncing = false;
  let pendingCursor = opts.cursorOffset;
  /** The model a sliced paste is filling, if any. */
  let bulk: Model | null = null;
  let readOnlyWanted = false;
  /** The text each model last reported: when the store hands it back, there is nothing to do. */
  const reported = new WeakMap<Model, string>();
  const names = new WeakMap<Model, string>();

  function report(model: Model, name: string): void {
    pendingReports.delete(model);
    const text = model.getValue();
    reported.set(model, text);
    opts.onEdit(name, text);
  }

  const pendingReports = new Map<Model, string>();
  let reportTimer: ReturnType<typeof setTimeout> | null = null;
  function reportSoon(model: Model, name: string): void {
    if (model.getValueLength() <= LARGE_FILE_CHARS && pendingReports.size === 0) { report(model, name); return; }
    pendingReports.set(model, name);
    reportTimer ??= setTimeout(flushReports, 0);
  }
  function flushReports(): void {
    reportTimer = null;
    for (const [model, name] of [...pendingReports]) if (!model.isDisposed() && scopeOf(model) === scope) report(model, name);
    pendingReports.clear();
  }

  /** Size-dependent options, set only when the file crosses LARGE_FILE_CHARS (updateOptions costs ms). */
  let largeShown: boolean | null = null;
  function fitOptions(model: Model, length = model.getValueLength()): void {
    const large = length > LARGE_FILE_CHARS;
    if (large === largeShown) return;
    largeShown = large;
    editor.updateOptions(sizeOptions(length));
  }

  const dark = window.matchMedia?.('(prefers-color-scheme: dark)');
  const mono = getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim();

  host.addEventListener('paste', onPaste, true); // before Monaco's: see onPaste
  const editor: Editor = monaco.editor.create(host, {
    model: null,
    theme: dark?.matches ? DARK : LIGHT,
    ariaLabel: opts.ariaLabel,
    automaticLayout: true,
    fixedOverflowWidgets: true,
    minimap: { enabled: false },
    fontFamily: mono || undefined,
    fontSize: 13,
    lineHeight: 20,
    tabSize: 2,
    insertSpaces: true,
    detectIndentation: false,
    scrollBeyondLastLine: false,
    lineNumbersMinChars: 3,
    renderLineHighlight: 'line',
    stickyScroll: { enabled: false },
    quickSuggestions: { other: true, comments: false, strings: true },
    padding: { top: 8, bottom: 8 },
    hover: { delay: 300 },
    wordBasedSuggestions: 'off',
    accessibilitySupport: 'auto',
  });

  // Like the textarea it replaces, the editor element answers `.value` (the active file's
  // text), for scripts and tests that read the editor from the DOM.
  Object.defineProperty(host, 'value', { configurable: true, get: () => editor.getValue() });

  // A paste of a whole cluster dump (megabytes) would be one long task inside Monaco (≈ 170 ms
  // for 2.3 MB here): it goes in as slices instead, one per task, while the page stays live.
  // Capture phase on the host, registered before Monaco registers its own there (listeners on
  // one target run in the order they were added), so Monaco's paste handler never sees it.
  function onPaste(e: ClipboardEvent): void {
    const text = e.clipboardData?.getData('text/plain') ?? '';
    const model = editor.getModel();
    if (text.length <= LARGE_PASTE_CHARS || !model || bulk || editor.getOption(monaco.editor.EditorOption.readOnly)) return;
    e.preventDefault();
    e.stopPropagation();
    void pasteInSlices(model, text.replace(/\r\n?/g, '\n'));
  }

  async function pasteInSlices(model: Model, text: string): Promise<void> {
    const name = names.get(model) ?? '';
    const selection = editor.getSelection() ?? new monaco.Selection(1, 1, 1, 1);
    bulk = model;
    editor.updateOptions({ readOnly: true });
    try {
      model.pushStackElement();
      // The selection goes first; the plain-text mode and size options are set while the
      // model is still small, so switching them costs nothing.
      model.pushEditOperations([selection], [{ range: selection, text: '' }], () => null);
      let offset = model.getOffsetAt(selection.getStartPosition());
      const finalLength = model.getValueLength() + text.length;
      fitLanguage(model, name, finalLength);
      fitOptions(model, finalLength);
      // No stack element between slices: undo takes the whole paste back in one step.
      for (const slice of slices(text, PASTE_SLICE_CHARS)) {
        await nextTask();
        if (model.isDisposed()) return;
        const at = model.getPositionAt(offset);
        model.pushEditOperations(null, [{ range: monaco.Range.fromPositions(at), text: slice }], () => null);
        offset += slice.length;
      }
      model.pushStackElement();
      if (editor.getModel() === model) {
        const end = model.getPositionAt(offset);
        editor.setPosition(end);
        editor.revealPosition(end);
      }
    } finally {
      if (bulk === model) bulk = null;
      editor.updateOptions({ readOnly: readOnlyWanted });
    }
    if (!model.isDisposed() && scopeOf(model) === scope) report(model, name);
  }

  const onScheme = (e: MediaQueryListEvent) => monaco.editor.setTheme(e.matches ? DARK : LIGHT);
  dark?.addEventListener?.('change', onScheme);

  function modelFor(file: EditorFile): Model {
    const key = `${scope}/${file.name}`;
    let model = models.get(key);
    if (model && !model.isDisposed()) return model;
    const uri = monaco.Uri.from({ scheme: 'inmemory', authority: 'kubesim', path: `/${scope}/${file.name}` });
    model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(file.text, file.text.length > LARGE_FILE_CHARS ? 'plaintext' : languageOf(file.name), uri);
    model.setEOL(monaco.editor.EndOfLineSequence.LF);
    models.set(key, model);
    names.set(model, file.name);
    const name = file.name;
    const mine = model;
    listeners.push(model.onDidChangeContent(() => {
      if (bulk === mine) return; // a sliced paste reports once, when it is done
      fitLanguage(mine, name);
      fitOptions(mine);
      // Reading back megabytes (getValue) for the store waits for the next task, and one
      // read covers a burst of keystrokes.
      if (!syncing && scopeOf(mine) === scope) reportSoon(mine, name);
    }));
    return model;
  }

  function scopeOf(model: Model): string {
    return model.uri.path.split('/')[1] ?? '';
  }

  function applyMarkers(): void {
    for (const model of models.values()) {
      if (model.isDisposed()) continue;
      const name = model.uri.path.split('/').slice(2).join('/');
      const mine = scopeOf(model) === scope ? markers.filter((m) => m.file === name) : [];
      monaco.editor.setModelMarkers(model, OWNER, mine.map((m) => ({
        ...markerRange(model, m),
        severity: SEVERITY[m.severity],
        message: m.message,
        code: m.code,
        source: 'KubeSim',
      })));
    }
  }

  return {
    show(nextScope, files, active) {
      scope = nextScope;
      syncing = true;
      try {
        for (const f of files) {
          const model = modelFor(f);
          if (model === bulk || reported.get(model) === f.text) continue;
          replaceText(model, f.text);
          reported.set(model, f.text);
        }
      } finally {
        syncing = false;
      }
      const file = files.find((f) => f.name === active) ?? files[0];
      const model = file ? modelFor(file) : null;
      const current = editor.getModel();
      if (model !== current) {
        if (current) viewStates.set(current, editor.saveViewState());
        editor.setModel(model);
        if (model) fitOptions(model);
        const state = model ? viewStates.get(model) : null;
        if (state) editor.restoreViewState(state);
      }
      if (model && pendingCursor !== undefined) {
        const pos = model.getPositionAt(pendingCursor);
        editor.setPosition(pos);
        editor.revealPositionInCenterIfOutsideViewport(pos);
        pendingCursor = undefined;
      }
      applyMarkers();
    },
    setMarkers(next) {
      markers = next;
      applyMarkers();
    },
    reveal(line, column) {
      const model = editor.getModel();
      if (!model) return;
      const pos = model.validatePosition({ lineNumber: line, column });
      editor.setPosition(pos);
      editor.revealPositionInCenter(pos);
      editor.focus();
    },
    setAriaLabel(label) {
      editor.updateOptions({ ariaLabel: label });
    },
    setReadOnly(readOnly) {
      readOnlyWanted = readOnly;
      if (!bulk) editor.updateOptions({ readOnly });
    },
    focus() {
      editor.focus();
    },
    dispose() {
      dark?.removeEventListener?.('change', onScheme);
      if (reportTimer) clearTimeout(reportTimer);
      flushReports();
      host.removeEventListener('paste', onPaste, true);
      for (const l of listeners) l.dispose();
      delete (host as { value?: string }).value;
      editor.dispose();
      for (const m of models.values()) m.dispose();
      models.clear();
    },
  };
}
