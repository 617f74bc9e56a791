// Splits a command line the way a POSIX shell would for simple commands: quotes,
// backslashes, `|` pipelines, command lists joined by `;`, `&&`, `||` (and newlines), and
// output redirections `> FILE` / `>> FILE`. Parameter expansion of `$NAME` and `${NAME}`
// when the caller gives the variables: in double quotes the value stays one word, unquoted it
// is split at blanks (an empty unquoted expansion is no word at all), single quotes and `\$`
// keep it literal, an unknown variable is empty; `$?` is looked up as `?`. `$1`, `${NAME:-…}`
// and `$(…)` are left as typed. No globs or subshells; the one compound command understood is
// `for NAME in WORDS; do LIST; done` (see index.ts).

/** The shell's variables: a value, or undefined for an unset one (which expands to nothing). */
export type VariableLookup = (name: string) => string | undefined;

export interface Pipeline {
  commands: string[][];
}

export interface Redirect {
  op: '>' | '>>';
  /** 1 (stdout, the default) or 2 (`2> FILE`, `2>&1`). */
  fd: 1 | 2;
  /** A path, or `&1`/`&2` for a duplicated descriptor. */
  target: string;
}

export interface SimpleCommand {
  words: string[];
  redirects: Redirect[];
}

/** One pipeline of a list, with the operator that joins it to the previous one. */
export interface ListItem {
  /** `;` for the first item and after `;`/newline. */
  op: ';' | '&&' | '||';
  commands: SimpleCommand[];
}

type Token = { word: string } | { op: '|' | '||' | '&&' | ';' | '&' | 'nl' } | { op: '>' | '>>'; fd: 1 | 2 };

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** `$NAME`, `${NAME}` or `$?` at `i`: the name and the index of its last character. */
function variableAt(line: string, i: number): { name: string; end: number } | undefined {
  if (line[i + 1] === '?') return { name: '?', end: i + 1 };
  if (line[i + 1] === '{') {
    const close = line.indexOf('}', i + 2);
    const name = close === -1 ? '' : line.slice(i + 2, close);
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? { name, end: close } : undefined;
  }
  NAME.lastIndex = i + 1;
  const m = NAME.exec(line);
  return m ? { name: m[0], end: i + m[0].length } : undefined;
}

function tokenize(line: string, lookup?: VariableLookup): Token[] | { error: string } {
  const tokens: Token[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const flush = () => { if (inWord) { tokens.push({ word: cur }); cur = ''; inWord = false; } };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null; else cur += c;
      continue;
    }
    const v = c === '$' && lookup ? variableAt(line, i) : undefined;
    if (v) {
      const value = lookup!(v.name) ?? '';
      i = v.end;
      if (quote === '"') { cur += value; continue; }
      // Unquoted: field splitting at blanks.
      for (const ch of value) {
        if (ch === ' ' || ch === '\t' || ch === '\n') flush();
        else { cur += ch; inWord = true; }
      }
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') { quote = c; inWord = true; continue; }
    if (c === '\\' && i + 1 < line.length) { cur += line[++i]; inWord = true; continue; }
    if (c === ' ' || c === '\t') { flush(); continue; }
    if (c === '\n') { flush(); tokens.push({ op: 'nl' }); continue; }
    if (c === '>') {
      // `2>`, `1>` name the descriptor when the digit stands alone right before `>`.
      let fd: 1 | 2 = 1;
      if (inWord && (cur === '1' || cur === '2') && line[i - 1] === cur) { fd = cur === '2' ? 2 : 1; cur = ''; inWord = false; }
      flush();
      const append = line[i + 1] === '>';
      if (append) i++;
      tokens.push({ op: append ? '>>' : '>', fd });
      const dup = /^&([12])/.exec(line.slice(i + 1));
      if (dup) { tokens.push({ word: `&${dup[1]}` }); i += 2; }
      continue;
    }
    if (c === '|' || c === '&' || c === ';') {
      flush();
      const two = line.slice(i, i + 2);
      if (two === '||' || two === '&&') { tokens.push({ op: two }); i++; continue; }
      if (two === ';;') return { error: "bash: syntax error near unexpected token `;;'" };
      tokens.push({ op: c as '|' | '&' | ';' });
      continue;
    }
    cur += c;
    inWord = true;
  }
  if (quote) return { error: `bash: unexpected EOF while looking for matching \`${quote}'` };
  flush();
  return tokens;
}

/** The command list of a line, in order; `&` (background) runs in the foreground here. */
export function parseList(line: string, lookup?: VariableLookup): ListItem[] | { error: string } {
  const tokens = tokenize(line, lookup);
  if ('error' in tokens) return tokens;
  const items: ListItem[] = [];
  let op: ListItem['op'] = ';';
  let pipeline: SimpleCommand[] = [];
  let cmd: SimpleCommand = { words: [], redirects: [] };
  const unexpected = (t: string) => ({ error: `bash: syntax error near unexpected token \`${t}'` });
  const empty = (c: SimpleCommand) => c.words.length === 0 && c.redirects.length === 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if ('word' in t) { cmd.words.push(t.word); continue; }
    if (t.op === '>' || t.op === '>>') {
      const next = tokens[i + 1];
      if (!next || !('word' in next)) return unexpected(next && 'op' in next ? next.op : 'newline');
      cmd.redirects.push({ op: t.op, fd: 'fd' in t ? t.fd : 1, target: next.word });
      i++;
      continue;
    }
    if (t.op === '|') {
      if (empty(cmd)) return unexpected('|');
      pipeline.push(cmd);
      cmd = { words: [], redirects: [] };
      continue;
    }
    // ; && || & and newlines
    if (empty(cmd)) {
      if (pipeline.length) return unexpected(t.op === 'nl' ? 'newline' : t.op);
      // Blank lines, and a newline after `&&`/`||`/`|`, are fine.
      if (t.op === 'nl') continue;
      return unexpected(t.op);
    }
    pipeline.push(cmd);
    items.push({ op, commands: pipeline });
    pipeline = [];
    cmd = { words: [], redirects: [] };
    op = t.op === '&' || t.op === 'nl' ? ';' : t.op;
  }
  if (!empty(cmd)) pipeline.push(cmd);
  else if (pipeline.length) return unexpected('|');
  if (pipeline.length) items.push({ op, commands: pipeline });
  else if (op === '&&' || op === '||') return unexpected(op);
  return items;
}

/** A single pipeline (kept for callers that want no lists): words per command. */
export function parseCommandLine(line: string): Pipeline | { error: string } {
  const items = parseList(line);
  if ('error' in items) return items;
  return { commands: items.flatMap((it) => it.commands.map((c) => c.words)) };
}

/** Quotes words so that parseCommandLine gives them back unchanged. */
export function quoteWords(words: string[]): string {
  return words.map((w) => (w === '' ? "''" : /[^A-Za-z0-9_\-./:=,@%+^]/.test(w) ? `'${w.replace(/'/g, "'\\''")}'` : w)).join(' ');
}
