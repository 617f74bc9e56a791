// The YAML editor: a plain <textarea> at first paint, swapped for Monaco (with monaco-yaml's
// Kubernetes completion, hover docs and schema hints) once its lazily loaded chunk arrives.
// The text and the caret carry over; the simulator's diagnostics become Monaco markers in the
// UI language. This file is in the entry chunk and must stay small: everything Monaco lives
// in ./monaco.ts, reached only through `import()`.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Diagnostic, SourceFile } from '../../worker/protocol';
import { pick, translate, type Lang } from '../i18n';
import type { EditorController, EditorMarker } from './monaco';

export interface GotoTarget {
  file: string;
  line: number;
  column: number;
}

export interface YamlEditorProps {
  lang: Lang;
  /** What the files belong to (the example id); models are kept per scope and file. */
  scope: string | null;
  files: readonly SourceFile[];
  activeFile: string | null;
  diagnostics: readonly Diagnostic[];
  onEdit(name: string, text: string): void;
  /** A place to jump to (from the problem list); `onGotoDone` is called once it was shown. */
  goto?: GotoTarget | null;
  onGotoDone?(): void;
}

type Load = 'loading' | 'ready' | 'failed';

/** Offset of 1-based (line, column) in `text`, clamped to the text. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const eol = text.indexOf('\n', offset);
  const end = eol < 0 ? text.length : eol;
  return Math.min(offset + Math.max(0, column - 1), end);
}

function toMarkers(diagnostics: readonly Diagnostic[], lang: Lang): EditorMarker[] {
  const hintLabel = translate(lang, 'hint');
  return diagnostics
    .filter((d) => d.file)
    .map((d) => {
      const message = pick(d.message, lang);
      const field = d.field && !message.includes(d.field) ? `${d.field}: ` : '';
      const hint = d.hint ? `\n${hintLabel}: ${pick(d.hint, lang)}` : '';
      return {
        file: d.file!,
        line: d.line ?? 1,
        column: d.column ?? 1,
        severity: d.severity,
        message: `${field}${message}${hint}`,
        code: d.code,
      };
    });
}

export function YamlEditor(props: YamlEditorProps) {
  const { lang, scope, files, activeFile, diagnostics, goto, onGotoDone } = props;
  const host = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const ctl = useRef<EditorController | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const focusOnReady = useRef(false);
  const touched = useRef(false); // the learner has put the caret somewhere in the textarea
  const [load, setLoad] = useState<Load>('loading');

  const file = files.find((f) => f.name === activeFile) ?? files[0];
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const label = translate(lang, 'editorLabel', { file: file?.name ?? '' });
  const ariaLabel = `${label}. ${translate(lang, 'editorKeys')}`;
  const markers = useMemo(() => toMarkers(diagnostics, lang), [diagnostics, lang]);

  // Load Monaco after the first paint; the textarea is usable meanwhile.
  useEffect(() => {
    let cancelled = false;
    let controller: EditorController | null = null;
    import('./monaco')
      .then(({ createEditor }) => {
        if (cancelled || !host.current) return;
        const ta = area.current;
        focusOnReady.current = !!ta && document.activeElement === ta;
        controller = createEditor(host.current, {
          ariaLabel: `${translate(latest.current.lang, 'editorLabel', { file: '' })}`,
          cursorOffset: ta && touched.current ? ta.selectionStart : undefined,
          onEdit: (name, text) => latest.current.onEdit(name, text),
        });
        ctl.current = controller;
        setLoad('ready');
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        console.warn('KubeSim: the Monaco editor failed to load; keeping the plain editor.', e);
        setLoad('failed');
      });
    return () => {
      cancelled = true;
      controller?.dispose();
      ctl.current = null;
    };
  }, []);

  const ready = load === 'ready';

  useLayoutEffect(() => {
    if (!ready) return;
    ctl.current?.show(scope ?? '', files, file?.name ?? null);
  }, [ready, scope, files, file?.name]);

  useEffect(() => {
    if (ready) ctl.current?.setMarkers(markers);
  }, [ready, markers]);

  useEffect(() => {
    if (!ready) return;
    ctl.current?.setAriaLabel(ariaLabel);
    ctl.current?.setReadOnly(!file);
  }, [ready, ariaLabel, file]);

  useEffect(() => {
    if (ready && focusOnReady.current) {
      focusOnReady.current = false;
      ctl.current?.focus();
    }
  }, [ready]);

  // Jump to a problem's place.
  useLayoutEffect(() => {
    if (!goto || !file || file.name !== goto.file) return;
    if (ready && ctl.current) {
      ctl.current.reveal(goto.line, goto.column);
    } else {
      const el = area.current;
      if (!el) return;
      const at = offsetOf(file.text, goto.line, goto.column);
      el.focus();
      el.setSelectionRange(at, at);
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
      el.scrollTop = Math.max(0, (goto.line - 3) * lineHeight);
    }
    onGotoDone?.();
  }, [goto, file, ready, onGotoDone]);

  return (
    <div className="yaml-editor-wrap">
      {!ready && (
        <>
          <label htmlFor="yaml-editor" className="sr-only">{label}</label>
          <textarea
            id="yaml-editor"
            ref={area}
            className="yaml-editor"
            value={file?.text ?? ''}
            onChange={(e) => file && props.onEdit(file.name, e.target.value)}
            onSelect={() => { touched.current = true; }}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            autoCorrect="off"
            wrap="off"
            aria-invalid={errors > 0}
            aria-describedby="problems-heading"
            disabled={!file}
            data-testid="yaml-editor"
            data-editor="plain"
          />
        </>
      )}
      <div
        ref={host}
        id={ready ? 'yaml-editor' : undefined}
        className={ready ? 'monaco-host' : 'monaco-host is-loading'}
        // Focusing the wrapper (e.g. from a label or a test) puts the caret in Monaco.
        tabIndex={ready ? -1 : undefined}
        onFocus={(e) => {
          if (e.target === e.currentTarget) ctl.current?.focus();
        }}
        aria-invalid={ready ? errors > 0 : undefined}
        aria-hidden={ready ? undefined : true}
        data-testid={ready ? 'yaml-editor' : undefined}
        data-editor={ready ? 'monaco' : undefined}
      />
      <p className="editor-keys muted" aria-hidden="true">
        {load === 'loading' ? translate(lang, 'editorLoading') : load === 'failed' ? translate(lang, 'editorFallback') : translate(lang, 'editorKeys')}
      </p>
    </div>
  );
}
