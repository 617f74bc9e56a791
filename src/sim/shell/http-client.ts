// What curl and wget share: reading an http:// URL, resolving its host where the command
// runs, and opening one TCP connection through the simulated dataplane (ctx.api.connect).
import type { Connection, ShellContext } from './types';
import { resolveAddress } from '../dns/resolver';

export interface HttpUrl {
  /** Lower-case scheme; `http` when the URL has none. */
  scheme: string;
  /** The host as written (a name or an address), without the port. */
  host: string;
  port: number;
  /** The request path, always starting with `/` (`/?q` for `host?q`). */
  path: string;
}

/** undefined: not a URL at all; host '' when the URL names no host. */
export function parseHttpUrl(url: string): HttpUrl | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]*)(?::(\d*))?([/?#].*)?$/.exec(url);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  const path = m[4] && m[4].startsWith('/') ? m[4] : `/${m[4] ?? ''}`;
  return { scheme, host: m[2], port, path };
}

export type HttpConnect =
  | { kind: 'unresolved' }
  /** The simulation has no dataplane (a read-only fixture). */
  | { kind: 'no-dataplane' }
  | { kind: 'error'; error: string }
  | { kind: 'connected'; ip: string; conn: Connection };

/** Resolves the host where the command runs and opens one connection to it. */
export function httpConnect(ctx: ShellContext, host: string, port: number, httpPath: string): HttpConnect {
  const ip = resolveAddress(ctx.api.snapshot(), ctx.where, host, ctx.api.dns?.());
  if (!ip) return { kind: 'unresolved' };
  const connect = ctx.api.connect;
  if (!connect) return { kind: 'no-dataplane' };
  const conn = connect({ from: ctx.where, dst: ip, dport: port, proto: 'tcp', httpPath });
  if ('error' in conn) return { kind: 'error', error: conn.error };
  return { kind: 'connected', ip, conn };
}

/** The status line a simulated server sent with this body (its error pages are 404s). */
export function httpStatusOf(body: string): { code: number; reason: string } {
  return /<title>404 Not Found<\/title>/.test(body) ? { code: 404, reason: 'Not Found' } : { code: 200, reason: 'OK' };
}
