// The text filters learners pipe kubectl into: grep, head, tail, wc -l.
import type { ShellResult } from './types';

export function runFilter(argv: string[], input: string): ShellResult | null {
  const [cmd, ...args] = argv;
  const lines = input === '' ? [] : input.replace(/\n$/, '').split('\n');
  const out = (ls: string[]) => ({ stdout: ls.length ? `${ls.join('\n')}\n` : '', stderr: '', exitCode: 0 });
  switch (cmd) {
    case 'grep': case 'egrep': {
      let ignore = false, invert = false, extended = cmd === 'egrep', count = false;
      const patterns: string[] = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === '-e') { patterns.push(args[++i] ?? ''); continue; }
        if (/^-[ivEcw]+$/.test(a)) {
          if (a.includes('i')) ignore = true;
          if (a.includes('v')) invert = true;
          if (a.includes('E')) extended = true;
          if (a.includes('c')) count = true;
          continue;
        }
        patterns.push(a);
      }
      if (patterns.length === 0) return { stdout: '', stderr: 'Usage: grep [OPTION]... PATTERNS [FILE]...\nTry \'grep --help\' for more information.\n', exitCode: 2 };
      let re: RegExp;
      try {
        const src = patterns.map((p) => (extended ? p : basicToExtended(p))).join('|');
        re = new RegExp(src, ignore ? 'i' : '');
      } catch {
        return { stdout: '', stderr: 'grep: Invalid regular expression\n', exitCode: 2 };
      }
      const kept = lines.filter((l) => re.test(l) !== invert);
      if (count) return { stdout: `${kept.length}\n`, stderr: '', exitCode: kept.length ? 0 : 1 };
      return { ...out(kept), exitCode: kept.length ? 0 : 1 };
    }
    case 'head': case 'tail': {
      let n = 10;
      for (let i = 0; i < args.length; i++) {
        const m = /^-n?(\d+)$/.exec(args[i]);
        if (m) n = Number(m[1]);
        else if (args[i] === '-n') n = Number(args[++i]);
      }
      return out(cmd === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n)));
    }
    case 'wc':
      if (args.includes('-l')) return { stdout: `${lines.length}\n`, stderr: '', exitCode: 0 };
      return { stdout: `${String(lines.length).padStart(7)} ${String(input.split(/\s+/).filter(Boolean).length).padStart(7)} ${String(input.length).padStart(7)}\n`, stderr: '', exitCode: 0 };
    case 'cat':
      if (args.length === 0) return out(lines);
      return null;
    case 'sort':
      return out([...lines].sort());
    default:
      return null;
  }
}

/** grep's basic regular expressions: `\|`, `\+`, `\?` are operators, bare `+ ? | ( ) { }` are literals. */
function basicToExtended(p: string): string {
  let s = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) {
      const n = p[++i];
      s += '|+?(){}'.includes(n) ? n : `\\${n}`;
    } else if ('|+?(){}'.includes(c)) s += `\\${c}`;
    else s += c;
  }
  return s;
}
