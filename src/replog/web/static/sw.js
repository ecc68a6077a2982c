// RepLog's service worker: the app opens without a network. Static files come from the
// cache first (their URLs carry a content hash); pages from the network first, falling back
// to the last copy seen. The API is never cached: writes wait in the page's outbox instead.
const CACHE = "replog-v1";
const SHELL = ["/static/app.css", "/static/app.js", "/static/icon.svg", "/manifest.webmanifest"];

self.addEventListener("install", (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (err) {
    const hit = (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }));
    if (hit) return hit;
    return new Response(
      "<!doctype html><meta name=viewport content='width=device-width'><title>Offline</title>" +
        "<body style='font:18px system-ui;background:#101317;color:#f2f4f7;padding:2rem'>" +
        "<h1>Offline</h1><p>This page was not opened before. Go back to Drive to keep logging.</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
    );
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (ev) => {
  const url = new URL(ev.request.url);
  if (ev.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith("/static/")) ev.respondWith(cacheFirst(ev.request));
  else if (ev.request.mode === "navigate") ev.respondWith(networkFirst(ev.request));
});
