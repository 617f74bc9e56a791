// Rules kept as the text `iptables-save` prints. kube-proxy's tables reach half a million
// rules; as nested objects they spent most of their time in the garbage collector. A text
// rule holds its canonical line only — in a string, or as bytes in a table-wide buffer
// (`-A CHAIN spec`, which iptables-save then copies without building a string per rule) —
// and the parts the interpreter and `iptables -L` need are parsed from that text the first
// time anyone looks (the text is canonical, so parsing gives back exactly what it says).
import type { Match, Negatable, Rule, RuleOrigin, Target } from './ruleset';
import { parseRuleWords, splitRestoreLine } from './parse';

abstract class LazyRule implements Rule {
  private parts?: Rule;

  constructor(public origin?: RuleOrigin) {}

  abstract get text(): string;

  /** The rule as plain parts (parsed once). */
  parsed(): Rule {
    if (this.parts) return this.parts;
    const text = this.text;
    const r = parseRuleWords(splitRestoreLine(text));
    if ('error' in r || r.rules.length !== 1) throw new Error(`not a canonical rule: "${text}"${'error' in r ? `: ${r.error}` : ''}`);
    this.parts = r.rules[0];
    return this.parts;
  }

  get src(): Negatable | undefined { return this.parsed().src; }
  get dst(): Negatable | undefined { return this.parsed().dst; }
  get in(): Negatable | undefined { return this.parsed().in; }
  get out(): Negatable | undefined { return this.parsed().out; }
  get proto(): Negatable | undefined { return this.parsed().proto; }
  get matches(): Match[] { return this.parsed().matches; }
  get target(): Target | undefined { return this.parsed().target; }
}

/** A rule whose text (after `-A CHAIN`) is a string. */
export class TextRule extends LazyRule {
  constructor(readonly text: string, origin?: RuleOrigin) {
    super(origin);
  }
}

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/** Lines of text appended as UTF-8 bytes (ASCII written directly: rule text nearly always is). */
export class LineBuffer {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  write(s: string): void {
    const n = s.length;
    this.room(n * 3);
    const b = this.bytes;
    let len = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) { // the rest is not ASCII: let the encoder do it
        len += encoder.encodeInto(s.slice(i), b.subarray(len)).written;
        break;
      }
      b[len++] = c;
    }
    this.length = len;
  }

  /** Copies bytes [start, end) of another buffer. */
  copy(from: LineBuffer, start: number, end: number): void {
    const n = end - start;
    this.room(n);
    this.bytes.set(from.bytes.subarray(start, end), this.length);
    this.length += n;
  }

  byte(c: number): void {
    this.room(1);
    this.bytes[this.length++] = c;
  }

  decode(start = 0, end = this.length): string {
    return utf8.decode(this.bytes.subarray(start, end));
  }
}

/**
 * A rule written as the line `-A CHAIN spec` into a table's LineBuffer by a generator
 * (see kube-proxy/iptables/build.ts TableWriter).
 */
export class BufferRule extends LazyRule {
  constructor(
    readonly buffer: LineBuffer,
    /** The chain named in the line: printing it elsewhere needs the text instead. */
    readonly chain: string,
    /** Where `-A` starts, where the spec starts (after the chain name), where the line ends (its newline follows). */
    readonly lineStart: number,
    readonly specStart: number,
    readonly end: number,
    origin?: RuleOrigin,
  ) {
    super(origin);
  }

  get text(): string {
    return this.buffer.decode(this.specStart, this.end);
  }
}

/** A rule's parts as a plain object: what the interpreter reads, without a getter per field. */
export function ruleParts(r: Rule): Rule {
  return r instanceof LazyRule ? r.parsed() : r;
}
