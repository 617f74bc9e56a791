// kubectl's flag conventions: `--flag=value`, `--flag value`, `-n value`, `-nvalue`.

export interface ParsedFlags {
  positional: string[];
  flags: Map<string, string[]>;
  /** Everything after a bare `--`. */
  rest: string[] | null;
}

/** `takesValue`: flags (without dashes) that consume the next word when not written with `=`. */
export function parseFlags(args: string[], takesValue: Set<string>, aliases: Record<string, string> = {}): ParsedFlags {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string) => { const key = aliases[k] ?? k; (flags.get(key) ?? flags.set(key, []).get(key)!).push(v); };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return { positional, flags, rest: args.slice(i + 1) };
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      if (eq !== -1) add(name, a.slice(eq + 1));
      else if (takesValue.has(aliases[name] ?? name) && i + 1 < args.length) add(name, args[++i]);
      else add(name, 'true');
    } else if (a.startsWith('-') && a.length > 1) {
      const name = a[1];
      const key = aliases[name] ?? name;
      if (takesValue.has(key)) {
        if (a.length > 2) add(name, a.slice(a[2] === '=' ? 3 : 2));
        else if (i + 1 < args.length) add(name, args[++i]);
        else add(name, '');
      } else {
        for (const ch of a.slice(1)) add(ch, 'true');
      }
    } else positional.push(a);
  }
  return { positional, flags, rest: null };
}

export function flag(p: ParsedFlags, name: string): string | undefined {
  const v = p.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}
