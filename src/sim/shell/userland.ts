// Which command-line tools an image ships: busybox's applets (busybox and Alpine-based
// images, at the busybox version of their Alpine release), the GNU/Linux ones (iputils ping,
// GNU wget: the nodes and the debugging images such as the course's `tools`), or none of the
// networking tools (slim server images: nginx and httpd on Debian, redis, …).
import type { ClusterSnapshot } from '../snapshot';
import type { Pod } from '../api/objects';
import type { Where } from './types';

export type Userland =
  | { kind: 'busybox'; version: [number, number] }
  | { kind: 'gnu' }
  | { kind: 'slim' };

/** busybox in each Alpine release (Alpine's package index). */
const ALPINE_BUSYBOX: Record<string, [number, number]> = {
  '3.7': [1, 27], '3.8': [1, 28], '3.9': [1, 29], '3.10': [1, 30], '3.11': [1, 31], '3.12': [1, 31], '3.13': [1, 32],
  '3.14': [1, 33], '3.15': [1, 34], '3.16': [1, 35], '3.17': [1, 35], '3.18': [1, 36], '3.19': [1, 36], '3.20': [1, 36],
};
/** The Alpine release under the nginx `1.x-alpine` tags. */
const NGINX_ALPINE: Record<string, string> = { '1.14': '3.8', '1.15': '3.9', '1.16': '3.10', '1.17': '3.10', '1.18': '3.11', '1.19': '3.13' };
/** The busybox of `busybox:latest`, the one the DNS tools print too. */
const LATEST: [number, number] = [1, 36];

function parseRef(image: string): { name: string; tag: string } {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? { name: noDigest.slice(slash + 1, colon), tag: noDigest.slice(colon + 1) } : { name: noDigest.slice(slash + 1), tag: 'latest' };
}

export function userlandOf(image: string): Userland {
  const { name, tag } = parseRef(image);
  const minor = (s: string) => /^v?(\d+)\.(\d+)/.exec(s);
  if (name === 'busybox') {
    const m = minor(tag);
    return { kind: 'busybox', version: m ? [Number(m[1]), Number(m[2])] : LATEST };
  }
  if (name === 'alpine') {
    const m = minor(tag);
    return { kind: 'busybox', version: (m && ALPINE_BUSYBOX[`${m[1]}.${m[2]}`]) || LATEST };
  }
  if (/alpine/.test(tag)) {
    const pinned = /alpine(\d+\.\d+)/.exec(tag)?.[1];
    const m = minor(tag);
    const alpine = pinned ?? (name === 'nginx' && m ? NGINX_ALPINE[`${m[1]}.${m[2]}`] : undefined);
    return { kind: 'busybox', version: (alpine && ALPINE_BUSYBOX[alpine]) || LATEST };
  }
  // ikubernetes/demoapp (and the course's copy) is an Alpine image.
  if (name === 'demoapp') return { kind: 'busybox', version: LATEST };
  if (/tools|netshoot|dnsutils|dnstools|ubuntu|debian|centos|fedora|rocky|admin-box|jessie/.test(`${name}:${tag}`)) return { kind: 'gnu' };
  return { kind: 'slim' };
}

export function podAt(snap: ClusterSnapshot, where: Where): Pod | undefined {
  if (where.kind !== 'pod') return undefined;
  return snap.pods.find((p) => p.metadata.namespace === where.namespace && p.metadata.name === where.pod);
}

/** The tools where a command runs: a node is Ubuntu (GNU). */
export function userlandAt(snap: ClusterSnapshot, where: Where): Userland {
  if (where.kind === 'node') return { kind: 'gnu' };
  return userlandOf(podAt(snap, where)?.spec?.containers?.[0]?.image ?? '');
}

export function busyboxAtLeast(u: Userland, major: number, minor: number): boolean {
  return u.kind === 'busybox' && (u.version[0] > major || (u.version[0] === major && u.version[1] >= minor));
}
