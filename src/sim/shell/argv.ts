// Splits a command line the way a POSIX shell would for simple commands: quotes,
// backslashes, and `|` pipelines (no variables, globs or redirections).

export interface Pipeline {
  commands: string[][];
}

export function parseCommandLine(line: string): Pipeline | { error: string } {
  const commands: string[][] = [];
  let words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null; else cur += c;
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
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) { words.push(cur); cur = ''; inWord = false; }
      continue;
    }
    if (c === '|') {
      if (inWord) { words.push(cur); cur = ''; inWord = false; }
      if (words.length === 0) return { error: "bash: syntax error near unexpected token `|'" };
      commands.push(words);
      words = [];
      continue;
    }
    cur += c;
    inWord = true;
  }
  if (quote) return { error: `bash: unexpected EOF while looking for matching \`${quote}'` };
  if (inWord) words.push(cur);
  if (words.length === 0 && commands.length > 0) return { error: "bash: syntax error near unexpected token `|'" };
  if (words.length) commands.push(words);
  return { commands };
}

/** Quotes words so that parseCommandLine gives them back unchanged. */
export function quoteWords(words: string[]): string {
  return words.map((w) => (w === '' ? "''" : /[^A-Za-z0-9_\-./:=,@%+^]/.test(w) ? `'${w.replace(/'/g, "'\\''")}'` : w)).join(' ');
}
