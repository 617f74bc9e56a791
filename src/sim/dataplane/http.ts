// What a pod answers on HTTP: the body `curl` prints. In order of precedence:
//   1. the pod annotation `kubesim.io/http-body` (any path, verbatim; a final newline is
//      added when missing, as `echo` would have written it),
//   2. a file the learner wrote in the pod (`kubectl exec POD -- sh -c 'echo web1 >
//      /usr/share/nginx/html/index.html'`), under the image's document root,
//   3. the image's stock answer: nginx's welcome page (the pre-1.20 page for older tags),
//      httpd's "It works!", ikubernetes/demoapp's one-line report,
//   4. for other images, one documented line: `kubesim: NS/POD (IMAGE) answered on port P`.
// A pod listens on its declared containerPorts plus the port its image serves (80 for the
// three images above); anything else is refused with a RST.
import type { Pod } from '../api/objects';

export const BODY_ANNOTATION = 'kubesim.io/http-body';

type Kind = 'nginx' | 'httpd' | 'demoapp' | 'other';

interface Image {
  kind: Kind;
  /** The image reference as written. */
  ref: string;
  tag: string;
}

function imageOf(pod: Pod): Image {
  const ref = pod.spec?.containers?.[0]?.image ?? '';
  const noDigest = ref.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const tag = colon > slash ? noDigest.slice(colon + 1) : 'latest';
  const name = (colon > slash ? noDigest.slice(0, colon) : noDigest).slice(slash + 1);
  const kind: Kind = name === 'demoapp' ? 'demoapp' : name.includes('nginx') ? 'nginx' : name === 'httpd' || name.startsWith('httpd') ? 'httpd' : 'other';
  return { kind, ref, tag };
}

/** Ports the pod accepts connections on (TCP). */
export function listeningPorts(pod: Pod): number[] {
  const ports = new Set<number>();
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if ((p.protocol ?? 'TCP') === 'TCP') ports.add(p.containerPort);
  if (imageOf(pod).kind !== 'other') ports.add(80);
  return [...ports];
}

/** The directory a URL path is served from, when the image serves files. */
export function documentRoot(pod: Pod): string | undefined {
  const k = imageOf(pod).kind;
  return k === 'nginx' ? '/usr/share/nginx/html' : k === 'httpd' ? '/usr/local/apache2/htdocs' : undefined;
}

/** The file behind `/path` (`/` and directories serve index.html). */
export function fileForPath(root: string, urlPath: string): string {
  const p = urlPath.split('?')[0].split('#')[0] || '/';
  return `${root}${p.endsWith('/') ? `${p}index.html` : p}`.replace(/\/+/g, '/');
}

// nginx's docs/html/index.html as the official images ship it. Releases before 1.20 have
// the older page (multi-line style block, no color-scheme).
const NGINX_WELCOME_OLD = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const HTTPD_WELCOME = '<html><body><h1>It works!</h1></body></html>\n';

/** Last patch release of each nginx minor line, for the Server version of error pages. */
const NGINX_PATCH: Record<string, string> = {
  '1.14': '1.14.2', '1.15': '1.15.12', '1.16': '1.16.1', '1.17': '1.17.10', '1.18': '1.18.0', '1.19': '1.19.10',
  '1.20': '1.20.2', '1.21': '1.21.6', '1.22': '1.22.1', '1.23': '1.23.4', '1.24': '1.24.0', '1.25': '1.25.5', '1.26': '1.26.3', '1.27': '1.27.5',
};

function nginxVersion(tag: string): string {
  const full = /^(\d+\.\d+\.\d+)/.exec(tag);
  if (full) return full[1];
  const minor = /^(\d+\.\d+)/.exec(tag);
  return (minor && NGINX_PATCH[minor[1]]) ?? '1.27.5';
}

function nginxWelcome(tag: string): string {
  const m = /^1\.(\d+)/.exec(tag);
  return m && Number(m[1]) < 20 ? NGINX_WELCOME_OLD : NGINX_WELCOME;
}

/** nginx's ngx_http_error_404_page with its tail (CRLF line ends, as nginx sends them). */
function nginx404(tag: string): string {
  return ['<html>', '<head><title>404 Not Found</title></head>', '<body>', '<center><h1>404 Not Found</h1></center>',
    `<hr><center>nginx/${nginxVersion(tag)}</center>`, '</body>', '</html>', ''].join('\r\n');
}

const HTTPD_404 = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
`;

export interface HttpRequest {
  pod: Pod;
  port: number;
  path: string;
  /** The client address as the pod sees it (after any SNAT). */
  clientIP: string;
  /** Files written in the pod (absolute path → content). */
  readFile(path: string): string | undefined;
}

/** The stock index page of a file-serving image (what `cat index.html` shows before any edit). */
export function stockFile(pod: Pod, path: string): string | undefined {
  const img = imageOf(pod);
  const root = documentRoot(pod);
  if (!root || path !== `${root}/index.html`) return undefined;
  return img.kind === 'nginx' ? nginxWelcome(img.tag) : HTTPD_WELCOME;
}

/** The response body. */
export function httpBody(req: HttpRequest): string {
  const { pod } = req;
  const annotated = pod.metadata.annotations?.[BODY_ANNOTATION];
  if (annotated !== undefined) return annotated.endsWith('\n') || annotated === '' ? annotated : `${annotated}\n`;
  const img = imageOf(pod);
  const root = documentRoot(pod);
  if (root) {
    const file = fileForPath(root, req.path);
    const content = req.readFile(file) ?? stockFile(pod, file);
    if (content !== undefined) return content;
    return img.kind === 'nginx' ? nginx404(img.tag) : HTTPD_404;
  }
  if (img.kind === 'demoapp') {
    const version = /^v?(\d+\.\d+)/.exec(img.tag)?.[1] ?? '1.0';
    if (req.path === '/hostname') return `ServerName: ${pod.metadata.name}\n`;
    return `iKubernetes demoapp v${version} !! ClientIP: ${req.clientIP}, ServerName: ${pod.metadata.name}, ServerIP: ${pod.status?.podIP ?? ''}!\n`;
  }
  return `kubesim: ${pod.metadata.namespace}/${pod.metadata.name} (${img.ref || 'no image'}) answered on port ${req.port}\n`;
}
