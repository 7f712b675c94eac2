/* Lan Tỏa field app — service worker (served from /thuc-dia/sw.js, scope /thuc-dia/).
   Cache-first for the shell and its static files, network-first for the API. The queued visits live in IndexedDB:
   a new version replaces only its own caches, never the queue. Its second script (CONFIG.worker, built from
   frontend/src/background.js) sends the signed-in user's queue when the browser says the connection is back, even
   with the app closed (Background Sync). */
"use strict";
const CONFIG = {{ config|safe }};
if (CONFIG.worker) importScripts(CONFIG.worker);
const CACHE = "lantoa-field-" + CONFIG.version;
const PREFIX = "lantoa-field-";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(CONFIG.precache)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.shell) {
    // The shell: from the cache (the page itself checks the network for data and for a new worker).
    event.respondWith(caches.match(CONFIG.shell).then((hit) => hit || fetch(request)));
    return;
  }
  if (url.pathname.startsWith(CONFIG.static) || CONFIG.precache.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (url.pathname.startsWith(CONFIG.api) || url.pathname.endsWith("/me.json")) {
    event.respondWith(fetch(request).catch(() => caches.match(request).then((hit) => hit || Response.error())));
  }
});

async function cacheFirst(request) {
  const hit = await caches.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    cache.put(request, response.clone());
  }
  return response;
}
