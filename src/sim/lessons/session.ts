// What a lesson's actions do to the learner's workspace (the editor's files and the cluster's
// load options), as a pure function — the player applies it to the page's store, the lesson
// test to a Simulation. Commands and traces are returned for the caller to run.
import type { SourceFile } from '../yaml/load';
import type { LoadOptions } from '../index';
import type { Actions } from './parse';

export interface Workspace {
  files: SourceFile[];
  options: LoadOptions;
}

export interface Applied {
  workspace: Workspace;
  /** Commands to run, in order, where they run (`in` a pod or `on` a node; else the control plane). */
  commands: { command: string; in?: string; on?: string }[];
  trace?: { from: string; to: string };
  /** Files the lesson does not have, text an `edit` did not find. */
  problems: string[];
}

/** Applies `actions` to `ws`; `read` gives a file of the lesson folder (undefined when absent). */
export function applyActions(ws: Workspace, actions: Actions, read: (name: string) => string | undefined): Applied {
  const problems: string[] = [];
  let files = ws.files;
  let options = ws.options;
  const fetch = (names: string[]) => names.flatMap((n) => {
    const text = read(n);
    if (text === undefined) { problems.push(`the lesson has no file ${n}`); return []; }
    return [{ name: n.split('/').pop()!, text }];
  });
  if (actions.options) options = { ...options, ...actions.options };
  if (actions.load) files = fetch(actions.load);
  if (actions.add) {
    for (const f of fetch(actions.add)) files = [...files.filter((x) => x.name !== f.name), f];
  }
  if (actions.edit) {
    const e = actions.edit;
    const f = files.find((x) => x.name === e.file.split('/').pop());
    if (!f) problems.push(`no open file ${e.file} to edit`);
    else if (!f.text.includes(e.replace)) problems.push(`${e.file} does not contain "${e.replace}"`);
    else files = files.map((x) => (x === f ? { ...x, text: x.text.replace(e.replace, e.with) } : x));
  }
  const commands = (actions.run ?? []).map((command) => ({ command, ...(actions.in ? { in: actions.in } : {}), ...(actions.on ? { on: actions.on } : {}) }));
  return { workspace: { files, options }, commands, ...(actions.trace ? { trace: actions.trace } : {}), problems };
}
