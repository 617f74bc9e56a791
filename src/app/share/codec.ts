// The page's whole state in a URL (`#s=…`): the editor's files, kube-proxy's mode, version and
// seed, the followed packet with its path and step, the example and the open lesson — as JSON
// compressed with lz-string's URI-safe alphabet. Pure: no DOM, no store.
//
// Everything decoded here is untrusted (a link anyone can craft). It is decompressed with a
// bounded decoder (lz-string's own can be made to produce gigabytes from a few kilobytes),
// parsed with JSON.parse (never evaluated) and checked field by field against the schema
// below; anything that does not fit is refused with a reason the page can translate.
import { compressToEncodedURIComponent } from 'lz-string';
import { parseDestination } from '../stage/targets';

/** The format's version (the `v` field). */
export const SHARE_VERSION = 1;
/** The fragment's key: `#s=<payload>`. */
export const SHARE_KEY = 's';
/** Limits of a shared state (decompressed JSON, files, names). */
export const LIMITS = {
  /** Decompressed JSON, in UTF-16 code units (≈ bytes for YAML). */
  maxJsonChars: 2 * 1024 * 1024,
  /** The compressed payload in the URL. */
  maxPayloadChars: 2 * 1024 * 1024,
  maxFiles: 50,
  fileName: /^[\w.-]{1,100}$/,
  maxPathIndex: 10_000,
  maxStep: 100_000,
  maxSeed: 2 ** 32 - 1,
  maxTarget: 300,
} as const;

export type ProxyModeName = 'iptables' | 'ipvs' | 'nftables';

export interface SharedFile { name: string; text: string }

export interface SharedOptions {
  proxyMode?: ProxyModeName;
  /** `1.23`, `1.31`… */
  kubeProxyVersion?: string;
  seed?: number;
}

export interface SharedPacket {
  from: string;
  to: string;
  proto?: 'tcp' | 'udp';
  /** Which path of the trace (a branch of the statistic split). */
  path: number;
  /** 0-based step on that path. */
  step: number;
}

export interface SharedState {
  v: typeof SHARE_VERSION;
  files: SharedFile[];
  /** The example (or lesson workspace) the files belong to. */
  example?: string;
  options?: SharedOptions;
  packet?: SharedPacket;
  /** The open lesson and its 0-based step. */
  lesson?: { id: string; step: number };
}

/** Why a state was refused (each has a message in both languages in src/app/i18n.ts). */
export type RefusalReason =
  | 'empty'
  | 'tooLarge'
  | 'corrupt'
  | 'notJson'
  | 'version'
  | 'schema'
  | 'tooManyFiles'
  | 'fileName';

export type Decoded =
  | { ok: true; state: SharedState }
  | { ok: false; reason: RefusalReason; detail: string };

const refuse = (reason: RefusalReason, detail: string): Decoded => ({ ok: false, reason, detail });

// ---------------------------------------------------------------------------------------------
// Bounded lz-string decoder

const URI_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const URI_VALUE: Record<string, number> = Object.fromEntries([...URI_ALPHABET].map((c, i) => [c, i]));

export class TooLargeError extends Error {}

/**
 * lz-string's `decompressFromEncodedURIComponent`, with the same output for every valid input,
 * that stops as soon as the output would exceed `maxChars` (throws TooLargeError) and returns
 * null for a character outside the alphabet or a code the dictionary does not have. The
 * dictionary never holds more characters than the output, so memory is bounded too.
 */
export function decompressBounded(input: string, maxChars: number): string | null {
  if (input === '') return null;
  const text = input.replace(/ /g, '+'); // as lz-string does: a `+` that became a space
  const length = text.length;
  const values = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const v = URI_VALUE[text[i]];
    if (v === undefined) return null;
    values[i] = v;
  }
  const resetValue = 32;
  let val = values[0];
  let position = resetValue;
  let index = 1;
  const readBits = (n: number): number => {
    let bits = 0;
    for (let power = 1, k = 0; k < n; k++, power *= 2) {
      const resb = val & position;
      position >>= 1;
      if (position === 0) {
        position = resetValue;
        val = index < length ? values[index] : 0;
        index++;
      }
      if (resb > 0) bits += power;
    }
    return bits;
  };

  const dictionary: string[] = [];
  let enlargeIn = 4;
  let dictSize = 4;
  let numBits = 3;
  let total = 0;
  const result: string[] = [];
  const emit = (s: string) => {
    total += s.length;
    if (total > maxChars) throw new TooLargeError(`more than ${maxChars} characters`);
    result.push(s);
  };

  let c: string;
  switch (readBits(2)) {
    case 0: c = String.fromCharCode(readBits(8)); break;
    case 1: c = String.fromCharCode(readBits(16)); break;
    case 2: return '';
    default: return null;
  }
  dictionary[3] = c;
  let w = c;
  emit(c);
  for (;;) {
    if (index > length) return '';
    let code = readBits(numBits);
    switch (code) {
      case 0:
      case 1:
        dictionary[dictSize++] = String.fromCharCode(readBits(code === 0 ? 8 : 16));
        code = dictSize - 1;
        enlargeIn--;
        break;
      case 2:
        return result.join('');
    }
    if (enlargeIn === 0) { enlargeIn = 2 ** numBits; numBits++; }
    let entry: string;
    const known = code >= 3 ? dictionary[code] : undefined;
    if (known) entry = known;
    else if (code === dictSize) entry = w + w.charAt(0);
    else return null;
    emit(entry);
    dictionary[dictSize++] = w + entry.charAt(0);
    enlargeIn--;
    w = entry;
    if (enlargeIn === 0) { enlargeIn = 2 ** numBits; numBits++; }
  }
}

// ---------------------------------------------------------------------------------------------
// Schema

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const FROM = /^(?:pod\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?|node\/[A-Za-z0-9]([-A-Za-z0-9_.]{0,251}[A-Za-z0-9])?|external\/\d{1,3}(?:\.\d{1,3}){3})$/;
const EXAMPLE_ID = /^[\w.:-]{1,120}$/;
const LESSON_ID = /^[\w.-]{1,100}$/;
const VERSION = /^v?\d{1,2}\.\d{1,3}$/;
const MODES: readonly ProxyModeName[] = ['iptables', 'ipvs', 'nftables'];

type Checked<T> = { ok: true; value: T } | { ok: false; reason: RefusalReason; detail: string };
const bad = <T>(reason: RefusalReason, detail: string): Checked<T> => ({ ok: false, reason, detail });

/** At most 50 files, each `{name, text}` with a plain name (`^[\w.-]{1,100}$`), names unique. */
export function checkFiles(v: unknown, maxChars: number = LIMITS.maxJsonChars): Checked<SharedFile[]> {
  if (!Array.isArray(v)) return bad('schema', 'files must be a list');
  if (v.length === 0) return bad('schema', 'no files');
  if (v.length > LIMITS.maxFiles) return bad('tooManyFiles', `${v.length} files (at most ${LIMITS.maxFiles})`);
  const out: SharedFile[] = [];
  const names = new Set<string>();
  let size = 0;
  for (const [i, f] of v.entries()) {
    if (!isObject(f) || typeof f.name !== 'string' || typeof f.text !== 'string') return bad('schema', `file ${i + 1} must have a name and a text`);
    if (!LIMITS.fileName.test(f.name) || f.name === '.' || f.name === '..') return bad('fileName', JSON.stringify(f.name.slice(0, 120)));
    if (names.has(f.name)) return bad('schema', `two files named ${f.name}`);
    names.add(f.name);
    size += f.text.length + f.name.length;
    if (size > maxChars) return bad('tooLarge', `the files are over ${maxChars} characters`);
    out.push({ name: f.name, text: f.text });
  }
  return { ok: true, value: out };
}

export function checkOptions(v: unknown): Checked<SharedOptions> {
  if (!isObject(v)) return bad('schema', 'options must be an object');
  const out: SharedOptions = {};
  if (v.proxyMode !== undefined) {
    if (typeof v.proxyMode !== 'string' || !MODES.includes(v.proxyMode as ProxyModeName)) return bad('schema', 'proxyMode must be iptables, ipvs or nftables');
    out.proxyMode = v.proxyMode as ProxyModeName;
  }
  if (v.kubeProxyVersion !== undefined) {
    if (typeof v.kubeProxyVersion !== 'string' || !VERSION.test(v.kubeProxyVersion)) return bad('schema', 'kubeProxyVersion must look like 1.31');
    out.kubeProxyVersion = v.kubeProxyVersion;
  }
  if (v.seed !== undefined) {
    if (!isInt(v.seed, 0, LIMITS.maxSeed)) return bad('schema', 'seed must be a whole number');
    out.seed = v.seed;
  }
  return { ok: true, value: out };
}

/** A trace request: `from` pod/NS/NAME, node/NAME or external/IP; `to` IP:PORT or NAME:PORT. */
export function checkTarget(from: unknown, to: unknown, proto: unknown): Checked<{ from: string; to: string; proto?: 'tcp' | 'udp' }> {
  if (typeof from !== 'string' || from.length > LIMITS.maxTarget || !FROM.test(from)) return bad('schema', 'from must be pod/NAMESPACE/NAME, node/NAME or external/IP');
  if (typeof to !== 'string' || to.length > LIMITS.maxTarget) return bad('schema', 'to must be IP:PORT or NAME:PORT');
  const dest = parseDestination(to);
  if (!dest || dest.to !== to.trim()) return bad('schema', 'to must be IP:PORT or NAME:PORT');
  if (proto !== undefined && proto !== 'tcp' && proto !== 'udp') return bad('schema', 'proto must be tcp or udp');
  return { ok: true, value: { from, to: dest.to, ...(proto ? { proto } : {}) } };
}

function checkPacket(v: unknown): Checked<SharedPacket> {
  if (!isObject(v)) return bad('schema', 'packet must be an object');
  const t = checkTarget(v.from, v.to, v.proto);
  if (!t.ok) return t;
  const path = v.path ?? 0;
  const step = v.step ?? 0;
  if (!isInt(path, 0, LIMITS.maxPathIndex)) return bad('schema', 'packet.path must be a whole number');
  if (!isInt(step, 0, LIMITS.maxStep)) return bad('schema', 'packet.step must be a whole number');
  return { ok: true, value: { ...t.value, path, step } };
}

/** Checks a parsed value against the schema; unknown fields are dropped. */
export function validateState(v: unknown): Decoded {
  if (!isObject(v)) return refuse('schema', 'not an object');
  if (v.v !== SHARE_VERSION) return refuse('version', `version ${JSON.stringify(v.v)?.slice(0, 20)} (this KubeSim reads ${SHARE_VERSION})`);
  const files = checkFiles(v.files);
  if (!files.ok) return files;
  const state: SharedState = { v: SHARE_VERSION, files: files.value };
  if (v.example !== undefined) {
    if (typeof v.example !== 'string' || !EXAMPLE_ID.test(v.example)) return refuse('schema', 'example must be an id');
    state.example = v.example;
  }
  if (v.options !== undefined) {
    const o = checkOptions(v.options);
    if (!o.ok) return o;
    state.options = o.value;
  }
  if (v.packet !== undefined) {
    const p = checkPacket(v.packet);
    if (!p.ok) return p;
    state.packet = p.value;
  }
  if (v.lesson !== undefined) {
    const l = v.lesson;
    if (!isObject(l) || typeof l.id !== 'string' || !LESSON_ID.test(l.id)) return refuse('schema', 'lesson.id must be an id');
    const step = l.step ?? 0;
    if (!isInt(step, 0, LIMITS.maxStep)) return refuse('schema', 'lesson.step must be a whole number');
    state.lesson = { id: l.id, step };
  }
  return { ok: true, state };
}

// ---------------------------------------------------------------------------------------------
// Codec

/** The URL-safe payload of a state (the part after `#s=`). */
export function encodeState(state: SharedState): string {
  return compressToEncodedURIComponent(JSON.stringify(state));
}

/** Decodes and validates a payload; never throws, never evaluates anything. */
export function decodeState(payload: string): Decoded {
  try {
    if (typeof payload !== 'string' || payload === '') return refuse('empty', 'no state in the link');
    if (payload.length > LIMITS.maxPayloadChars) return refuse('tooLarge', `the link is over ${LIMITS.maxPayloadChars} characters`);
    let json: string | null;
    try {
      json = decompressBounded(payload, LIMITS.maxJsonChars);
    } catch (e) {
      if (e instanceof TooLargeError) return refuse('tooLarge', `the state is over ${LIMITS.maxJsonChars} characters`);
      throw e;
    }
    if (!json) return refuse('corrupt', 'the link is damaged (not lz-string data)');
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      return refuse('notJson', 'the link does not hold JSON');
    }
    return validateState(value);
  } catch (e) {
    return refuse('corrupt', e instanceof Error ? e.message.slice(0, 200) : 'unreadable');
  }
}

/** The payload of `#s=…` in a location hash (`#s=X`, `#a=1&s=X`), or null when there is none. */
export function payloadOfHash(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of h.split('&')) {
    if (part.startsWith(`${SHARE_KEY}=`)) return part.slice(SHARE_KEY.length + 1);
  }
  return null;
}

/**
 * The link that opens `state`: `href` without its fragment and without `lesson`/`step` in the
 * query (the state carries them), with `#s=<payload>`.
 */
export function shareUrl(href: string, state: SharedState): string {
  const url = new URL(href);
  url.hash = '';
  url.searchParams.delete('lesson');
  url.searchParams.delete('step');
  return `${url.toString().replace(/#$/, '')}#${SHARE_KEY}=${encodeState(state)}`;
}
