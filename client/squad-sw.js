/* global self, caches, fetch, Response */
// The /squad/ service worker: keeps the phone view's app shell so it opens without network.
// client/vite.config.ts writes it to dist/squad/sw.js, replacing SHELL with the built files of the
// phone page (hashed names) and VERSION with a hash of that list, so each build gets a fresh cache.
const SHELL = /* SHELL */ ['/squad/'];
const VERSION = 'dev';
const CACHE = `pingji-squad-${VERSION}`;
const PAGE = '/squad/';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('pingji-squad-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Only our own shell: never the API, the socket, or another origin (map tiles).
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/')) return;
  if (request.mode === 'navigate' || url.pathname === PAGE || url.pathname === `${PAGE}index.html`) {
    // The page: the network's newest when it answers, the kept one when it does not.
    event.respondWith(
      fetch(request)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(PAGE, copy)));
          }
          return res;
        })
        .catch(() => caches.match(PAGE, { cacheName: CACHE }).then((kept) => kept ?? Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith(PAGE)) {
    // Hashed files never change: the kept copy, else the network's (then kept).
    event.respondWith(
      caches.match(request, { cacheName: CACHE }).then((kept) => kept ?? fetch(request).then((res) => {
        if (res.ok) {
          const copy = res.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return res;
      })),
    );
  }
});
