// KubeSim's service worker: keeps the whole built app (every file of dist/, listed at build
// time) in the Cache Storage, so that after one visit the page loads and simulates with no
// network at all — a classroom without Wi-Fi. It never talks to anything but its own origin.
//
// Served from the folder the app is in (its scope: that folder and below, so a course site's
// sub-folder works); the cache's name carries the scope and the build's hash. Precached files
// are answered from the cache first (one consistent build: index.html and the hashed assets it
// names); anything else goes to the network as usual. When a new build is deployed, the next
// visit installs it beside the old one and the visit after that uses it; the previous build's
// cache is kept one more generation, so a page still running the old build can load its lazy
// chunks (Monaco, a lesson) even though the server no longer has them.
/* global self, caches, fetch, URL, Request, Response */
'use strict';

const BUILD = self.__KUBESIM_BUILD__;
/** Paths relative to this file: `index.html`, `assets/index-abc123.js`, … */
const FILES = self.__KUBESIM_FILES__;

const SCOPE = new URL('./', self.location.href).href;
const PREFIX = `kubesim:${SCOPE}:`;
const CACHE = `${PREFIX}${BUILD}`;
const INDEX = new URL('index.html', SCOPE).href;
const PRECACHED = new Set(FILES.map((f) => new URL(f, SCOPE).href));
/** Remembers which build was active, so the one before the current is kept (see above). */
const META = `kubesim-meta:${SCOPE}`;
const ACTIVE = new URL('__kubesim_active_build', SCOPE).href;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // `reload`: past the HTTP cache, so the files are this build's.
    await cache.addAll(FILES.map((f) => new Request(new URL(f, SCOPE).href, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const meta = await caches.open(META);
    const previous = await meta.match(ACTIVE).then((r) => (r ? r.text() : null));
    const keep = previous === CACHE ? null : previous;
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE && name !== keep) await caches.delete(name);
    }
    if (previous !== CACHE) await meta.put(ACTIVE, new Response(CACHE));
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  // The page itself, whatever its query (`?lesson=…`, `?embed=1`): index.html.
  const bare = `${url.origin}${url.pathname}`;
  let key;
  if (req.mode === 'navigate') {
    if (bare !== SCOPE && bare !== INDEX) return;
    key = INDEX;
  } else {
    if (url.search !== '') return;
    key = bare;
  }
  event.respondWith((async () => {
    if (PRECACHED.has(key)) {
      const hit = await (await caches.open(CACHE)).match(key);
      if (hit) return hit;
    }
    // A page of the previous build asking for one of its files.
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) {
        const old = await (await caches.open(name)).match(key);
        if (old) return old;
      }
    }
    const res = await fetch(req);
    if (PRECACHED.has(key) && res.ok && res.type === 'basic' && req.mode !== 'navigate') {
      const copy = res.clone();
      event.waitUntil(caches.open(CACHE).then((c) => c.put(key, copy)));
    }
    return res;
  })());
});
