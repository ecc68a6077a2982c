// RepLog's shared script: API calls (cookie + CSRF), toasts, and the offline outbox.
// Every write carries a client id, so a request sent twice lands once (the server replays).

const API = "/api/v1";
const OUTBOX = "replog.outbox";

export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code;
    this.field = error.field;
    this.line = error.line;
  }
}

function csrf() {
  const m = document.cookie.match(/(?:^|;\s*)replog_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : "";
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID(); // secure contexts only (https, localhost)
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export async function api(method, path, body) {
  return call(method, API + path, body);
}

// A JSON request to one of our URLs, cookie + CSRF (api(): the REST API).
export async function call(method, url, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrf();
  const r = await fetch(url, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 204) return null;
  const doc = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, doc.error || {});
  return doc;
}

// A file sent as the raw body of a POST (a video: no form encoding), cookie + CSRF, with
// the upload's progress (0-1) as it goes; the JSON answer, or an ApiError (status 0: no
// connection). XMLHttpRequest, since fetch reports no upload progress.
export function upload(path, file, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", API + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable) onProgress(ev.loaded / ev.total); };
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new ApiError(0, { message: "No connection: the video needs the network." }));
    xhr.onload = () => {
      let doc = {};
      try { doc = JSON.parse(xhr.responseText); } catch { /* not JSON: the status says it */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(doc);
      else reject(new ApiError(xhr.status, doc.error || {}));
    };
    xhr.send(file);
  });
}

let toastTimer;
export function toast(message, bad = false) {
  const el = document.getElementById("toast");
  if (!el) return;
  el.textContent = message;
  el.classList.toggle("bad", bad);
  el.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove("show"), 3500);
}

export const athlete = () => document.body.dataset.athlete;
export const unit = () => document.body.dataset.unit || "kg";

// --- the outbox: writes that could not reach the server, kept until they do ------------
export function readOutbox() {
  try { return JSON.parse(localStorage.getItem(OUTBOX) || "[]"); } catch { return []; }
}
function writeOutbox(items) { localStorage.setItem(OUTBOX, JSON.stringify(items)); }
export const pending = () => readOutbox().length;

function showNet() {
  const el = document.getElementById("net");
  if (!el) return;
  const items = readOutbox();
  const n = items.length;
  const what = items.every((i) => i.what === "set") ? "set" : "change";
  const offline = !navigator.onLine;
  el.hidden = !offline && n === 0;
  el.textContent = offline
    ? `Offline: ${n} ${what}${n === 1 ? "" : "s"} waiting. They will be sent when you are back.`
    : `Sending ${n} waiting write${n === 1 ? "" : "s"}…`;
}

// Send a write now, or keep it for later when the network fails (not when the server says no).
export async function send(method, path, body, what = "write") {
  try {
    return { sent: true, doc: await api(method, path, body) };
  } catch (e) {
    if (e instanceof ApiError && e.status < 500 && e.status !== 408 && e.status !== 429) throw e;
    const items = readOutbox();
    items.push({ method, path, body, what, at: Date.now(), ref: body?.id ?? uuid() });
    writeOutbox(items);
    showNet();
    return { sent: false, doc: null };
  }
}

// One queued write. A set edited while queued may have reached the server already, its
// answer lost: the same id must ask for the same set (the server refuses another under it),
// so the original is sent, and the edit follows as a PATCH. A set withdrawn while queued is
// deleted, and "not found" means it never arrived: done too.
async function deliver(item) {
  try {
    const doc = await api(item.method, item.path, item.original ?? item.body);
    if (!item.edited || !doc?.set) return doc ?? {};
    const body = { version: doc.set.version, ...item.edited };
    return { ...doc, set: await api("PATCH", `/sets/${doc.set.id}`, body) };
  } catch (e) {
    if (item.goneIsDone && e instanceof ApiError && e.status === 404) return {};
    throw e;
  }
}

// Edit (changes: load, unit, reps, rpe) or withdraw (changes: null) a set still in the
// outbox. Returns false when it is no longer there (sent meanwhile).
export function reviseQueuedSet(id, changes) {
  const items = readOutbox();
  const i = items.findIndex((x) => x.method === "POST" && x.body?.id === id);
  if (i < 0) return false;
  if (changes === null) {
    items[i] = {
      method: "DELETE", path: `/sets/${id}`, what: "deletion", goneIsDone: true, at: Date.now(), ref: items[i].ref,
    };
  } else {
    items[i] = {
      ...items[i], original: items[i].original ?? items[i].body, body: { ...items[i].body, ...changes },
      edited: { ...items[i].edited, ...changes },
    };
  }
  writeOutbox(items);
  showNet();
  return true;
}

let flushing = false;
export async function flush() {
  if (flushing || !navigator.onLine) return showNet();
  flushing = true;
  try {
    for (;;) {
      const items = readOutbox();
      if (!items.length) break;
      const item = items[0];
      let doc = null;
      try {
        doc = await deliver(item);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status >= 500 || e.status === 408 || e.status === 429) break;
        toast(`A queued ${item.what} was refused: ${e.message}`, true);
      }
      const rest = readOutbox();
      const same = rest.length > 0 && JSON.stringify(rest[0]) === JSON.stringify(item);
      if (same) writeOutbox(rest.slice(1)); // else another tab took it out first
      // Changed while on its way (edited or withdrawn on the page): the next turn sends the
      // change, and only then does the page hear of it.
      const changed = !same && item.ref !== undefined && rest.some((x) => x.ref === item.ref);
      if (doc && !changed) document.dispatchEvent(new CustomEvent("replog:sent", { detail: { item, doc } }));
    }
  } finally {
    flushing = false;
    showNet();
  }
}

// Signing out on a shared phone: forget what this account left on the device (the outbox,
// the rest timer, and the pages the service worker kept for offline use; the static files
// stay).
export async function forgetThisDevice() {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith("replog.")) localStorage.removeItem(key);
  }
  if (!("caches" in window)) return;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (!path.startsWith("/static/") && path !== "/manifest.webmanifest") await cache.delete(request);
    }
  }
}

window.addEventListener("online", flush);
window.addEventListener("offline", showNet);
document.addEventListener("visibilitychange", () => { if (!document.hidden) flush(); });
setInterval(flush, 15000);
flush();

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {}); // needs https or localhost
}

// +/- steppers: <div class="stepper"> with buttons carrying data-step
document.addEventListener("click", (ev) => {
  const b = ev.target.closest("button.step");
  if (!b) return;
  const input = b.parentElement.querySelector("input");
  const step = Number(b.dataset.step);
  const v = Math.max(Number(input.min || 0), (Number(input.value) || 0) + step);
  input.value = String(Math.round(v * 100) / 100);
  input.dispatchEvent(new Event("input", { bubbles: true }));
});
