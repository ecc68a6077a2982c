// The More page (unit, sharing, tokens, sign-out) and the import page (preview, import).
// Every change goes through the API; errors are said where the control is.
import { api, athlete, flush, forgetThisDevice, pending, toast, ApiError } from "./app.js";

const $ = (id) => document.getElementById(id);
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function say(el, message) {
  if (!el) return toast(message, true);
  el.textContent = message;
  el.hidden = !message;
}

function explain(e) {
  if (!(e instanceof ApiError)) return `Could not reach the server (${e.message || e}). Try again.`;
  const where = [e.line != null ? `line ${e.line}` : "", e.field || ""].filter(Boolean).join(", ");
  return where ? `${e.message} (${where})` : e.message;
}

// ---------------------------------------------------------------------- the More page
const unitForm = $("unit-form");
if (unitForm) {
  unitForm.addEventListener("change", async (ev) => {
    const unit = ev.target.value;
    try {
      const doc = await api("PATCH", `/athletes/${athlete()}`, {
        version: Number(unitForm.dataset.version), default_unit: unit,
      });
      unitForm.dataset.version = String(doc.version);
      document.body.dataset.unit = doc.default_unit;
      toast(`New sets will be in ${doc.default_unit}.`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) { location.reload(); return; }
      toast(explain(e), true);
    }
  });
}

const grantForm = $("grant-form");
if (grantForm) {
  grantForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const coach = $("coach").value.trim();
    if (!coach) { say($("grant-error"), "Type your coach's username."); $("coach").focus(); return; }
    const canWrite = grantForm.querySelector("input[name=access]:checked").value === "write";
    const button = grantForm.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await api("POST", "/grants", { coach, can_write: canWrite });
      location.reload();
    } catch (e) {
      say($("grant-error"), explain(e));
      button.disabled = false;
    }
  });
}

const tokenForm = $("token-form");
if (tokenForm) {
  tokenForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = $("token-name").value.trim();
    if (!name) { say($("token-error"), "Give the token a name, to know it later."); return; }
    try {
      const doc = await api("POST", "/auth/tokens", { name });
      say($("token-error"), "");
      $("token-value").value = doc.token;
      $("token-secret").hidden = false;
      $("token-value").select();
      $("token-name").value = "";
      addTokenRow(doc);
    } catch (e) {
      say($("token-error"), explain(e));
    }
  });
  $("copy-token").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText($("token-value").value);
      toast("Copied.");
    } catch {
      $("token-value").select();
      toast("Select the token and copy it by hand.");
    }
  });
}

function addTokenRow(doc) {
  const list = document.querySelector("#tokens-h ~ ul.rows");
  if (!list) return;
  const li = document.createElement("li");
  li.className = "row";
  li.dataset.token = doc.id;
  const main = document.createElement("span");
  main.className = "row-main";
  const strong = document.createElement("strong");
  strong.textContent = doc.name;
  const pill = document.createElement("span");
  pill.className = "pill api";
  pill.textContent = "API token";
  const when = document.createElement("span");
  when.className = "muted small";
  when.textContent = "made just now";
  main.append(strong, " ", pill, " ", when);
  const button = document.createElement("button");
  button.type = "button";
  button.className = "revoke-token";
  button.dataset.token = doc.id;
  button.setAttribute("aria-label", `Revoke ${doc.name}`);
  button.textContent = "Revoke";
  li.append(main, button);
  list.prepend(li);
}

document.addEventListener("click", async (ev) => {
  const grant = ev.target.closest("button.revoke-grant");
  const token = ev.target.closest("button.revoke-token");
  if (!grant && !token) return;
  const button = grant || token;
  const row = button.closest("li");
  const who = row.querySelector("strong").textContent;
  button.disabled = true;
  try {
    if (grant) await api("DELETE", `/grants/${grant.dataset.grant}`);
    else await api("DELETE", `/auth/tokens/${token.dataset.token}`);
    const list = row.parentElement;
    row.remove();
    toast(grant ? `${who} no longer sees your log.` : `${who} revoked.`);
    if (grant && !list.children.length) location.reload();
  } catch (e) {
    button.disabled = false;
    toast(explain(e), true);
  }
});

const signOut = $("sign-out");
if (signOut) {
  signOut.addEventListener("click", async () => {
    signOut.disabled = true;
    if (pending()) await flush();
    const unsent = pending();
    if (unsent && !confirm(`${plural(unsent, "write")} could not be sent yet and will be lost. Sign out anyway?`)) {
      signOut.disabled = false;
      return;
    }
    try {
      await api("POST", "/auth/logout");
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) {
        signOut.disabled = false;
        toast(explain(e), true);
        return;
      }
    }
    await forgetThisDevice();
    location.href = "/login";
  });
}

// ---------------------------------------------------------------------- the import page
const importForm = $("import-form");
if (importForm) setUpImport(importForm);

function csrf() {
  const m = document.cookie.match(/(?:^|;\s*)replog_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : "";
}

// The file as the raw body, with upload progress (fetch cannot report it).
function upload(file, params, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/athletes/${importForm.dataset.athlete}/imports?${params}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new Error("the connection failed"));
    xhr.onload = () => {
      let doc = {};
      try { doc = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(doc);
      else {
        const error = new ApiError(xhr.status, doc.error || { message: `HTTP ${xhr.status}` });
        error.line = doc.error ? doc.error.line : null; // app.js's ApiError keeps no line
        reject(error);
      }
    };
    xhr.send(file);
  });
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text != null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

// The catalogue's lifts, for filing an unknown name under one: [[key, name], ...], read
// from the page once.
let liftList = null;
function lifts() {
  if (liftList === null) {
    const node = $("import-lifts");
    try { liftList = node ? JSON.parse(node.textContent) : []; } catch { liftList = []; }
  }
  return liftList;
}

// A choice of what an unknown exercise name becomes: itself, or a catalogue lift.
function mapChoice(u, mapping) {
  const select = el("select", null, "map-choice");
  select.setAttribute("aria-label", `File ${u.name} under`);
  select.append(new Option("Keep as my own exercise", ""));
  const byName = new Map(lifts().map(([key, name]) => [name, key]));
  if (u.suggestions.length) {
    const near = document.createElement("optgroup");
    near.label = "Nearest";
    for (const name of u.suggestions) near.append(new Option(name, byName.get(name) || name));
    select.append(near);
  }
  const all = document.createElement("optgroup");
  all.label = "All RepLog lifts";
  for (const [key, name] of lifts()) all.append(new Option(name, key));
  select.append(all);
  select.value = mapping[u.name] || "";
  select.addEventListener("change", () => {
    if (select.value) mapping[u.name] = select.value;
    else delete mapping[u.name];
  });
  return select;
}

function facts(doc, mapping = null) {
  const box = document.createDocumentFragment();
  const verb = doc.dry_run ? "Would add" : "Added";
  const dl = el("dl", null, "facts-list");
  const add = (term, value) => { dl.append(el("dt", term), el("dd", value)); };
  const option = document.querySelector(`#import-format option[value="${doc.format}"]`);
  add("File", `${doc.file} · ${option ? option.textContent : doc.format}`);
  add(verb, `${plural(doc.sessions.created, "session")}, ${plural(doc.sets.created, "set")}`);
  if (doc.first_day) add("Dates", doc.first_day === doc.last_day ? doc.first_day : `${doc.first_day} to ${doc.last_day}`);
  if (doc.sessions.skipped) add("Already here", `${plural(doc.sessions.skipped, "session")} (${plural(doc.sets.skipped, "set")}), left as they are`);
  if (doc.sessions.replaced) add("Put back", `${plural(doc.sessions.replaced, "session")} from your own export`);
  if (doc.volume_kg) add("Volume", `${Math.round(doc.volume_kg).toLocaleString()} kg lifted`);
  if (doc.unit_note) add("Units", doc.unit_note);
  if (doc.checkins) add("Check-ins", String(doc.checkins));
  if (doc.rows_skipped) add("Passed over", `${plural(doc.rows_skipped, "row")} (${Object.entries(doc.skipped_reasons).map(([r, n]) => `${r}: ${n}`).join(", ")})`);
  box.append(dl);
  if (doc.rows_rejected && doc.rows_rejected.length) {
    const n = doc.rows_rejected.length;
    box.append(el("h3", `Left out: ${plural(n, "row")} that cannot be read`, "sub"));
    box.append(el("p", "Their workouts come in without them. Fix them in the file to bring them in, or add them by hand afterwards.", "muted small"));
    const ul = el("ul", null, "rejected");
    ul.setAttribute("aria-label", "Rows left out");
    for (const r of doc.rows_rejected.slice(0, 20)) {
      const li = el("li");
      const where = `Line ${r.line}${r.column ? `, ${r.column}` : ""}`;
      li.append(el("strong", where), el("span", `${r.value ? ` “${r.value}”` : ""}: ${r.reason}`));
      ul.append(li);
    }
    if (n > 20) ul.append(el("li", `… and ${n - 20} more`, "muted"));
    box.append(ul);
  }
  if (doc.unmapped.length) {
    box.append(el("h3", `Not in RepLog's catalogue: ${plural(doc.unmapped.length, "exercise")}`, "sub"));
    box.append(el("p", mapping ? "Kept as your own exercises under the app's name, unless you file one under a RepLog lift here." : "They are kept as your own exercises, under the app's name.", "muted small"));
    const ul = el("ul", null, "unmapped");
    ul.setAttribute("aria-label", "Exercise names RepLog does not know");
    for (const u of doc.unmapped) {
      const near = u.suggestions.length ? ` · nearest: ${u.suggestions.join(", ")}` : "";
      const li = el("li");
      li.append(el("strong", u.name), el("span", ` ${plural(u.sets, "set")}${near}`, "muted small"));
      if (mapping) li.append(mapChoice(u, mapping));
      ul.append(li);
    }
    box.append(ul);
  }
  if (doc.warnings.length) {
    const ul = el("ul", null, "warnings");
    for (const w of doc.warnings.slice(0, 10)) ul.append(el("li", w));
    box.append(el("h3", "Notes", "sub"), ul);
  }
  return box;
}

function setUpImport(form) {
  const input = $("import-file");
  const progress = $("import-progress");
  const bar = $("import-bar");
  const preview = $("import-preview");
  const result = $("import-result");
  const error = $("import-error");
  const importButton = $("import-button");
  let checked = null; // the file and format the preview was made of
  let mapping = {}; // app name -> catalogue key, chosen on the preview

  const reset = () => { checked = null; mapping = {}; preview.hidden = true; result.hidden = true; say(error, ""); };
  input.addEventListener("change", () => {
    const f = input.files[0];
    $("file-name").textContent = f ? `${f.name} · ${Math.max(1, Math.round(f.size / 1024))} KB` : "CSV, JSON or FIT, as the app exported it";
    form.classList.toggle("has-file", Boolean(f));
    form.querySelector(".drop-title").textContent = f ? "Change the file" : "Choose a file";
    reset();
  });
  $("import-format").addEventListener("change", reset);
  $("import-unit").addEventListener("change", reset);

  async function run(dryRun) {
    const file = input.files[0];
    if (!file) { say(error, "Choose the export file first."); input.focus(); return null; }
    const params = new URLSearchParams({ filename: file.name, format: $("import-format").value, dry_run: String(dryRun) });
    if ($("import-unit").value) params.set("unit", $("import-unit").value);
    for (const [name, key] of Object.entries(mapping)) params.append("map", `${name}=${key}`);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) params.set("tz", zone);
    say(error, "");
    $("progress-label").textContent = dryRun ? "Reading the file…" : "Importing…";
    bar.removeAttribute("value");
    progress.hidden = false;
    form.querySelectorAll("button, input, select").forEach((c) => { c.disabled = true; });
    importButton.disabled = true;
    try {
      return await upload(file, params, (f) => { if (f < 1) bar.value = Math.round(f * 100); else bar.removeAttribute("value"); });
    } catch (e) {
      say(error, `Could not ${dryRun ? "read" : "import"} ${file.name}: ${explain(e)}`);
      return null;
    } finally {
      progress.hidden = true;
      form.querySelectorAll("button, input, select").forEach((c) => { c.disabled = false; });
    }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    result.hidden = true;
    const doc = await run(true);
    if (!doc) { preview.hidden = true; return; }
    checked = { file: input.files[0], format: $("import-format").value, unit: $("import-unit").value };
    mapping = {};
    $("preview-body").replaceChildren(facts(doc, mapping));
    const n = doc.sessions.created;
    const nothing = n === 0 && !doc.sessions.replaced;
    importButton.textContent = `Import ${plural(n || doc.sessions.replaced, "session")}`;
    importButton.hidden = nothing; // nothing to import: no button to press
    importButton.disabled = nothing;
    $("nothing-new").hidden = !nothing;
    preview.hidden = false;
    $("preview-h").focus();
  });

  importButton.addEventListener("click", async () => {
    if (!checked || checked.file !== input.files[0] || checked.unit !== $("import-unit").value) { reset(); return; }
    const doc = await run(false);
    if (!doc) { importButton.disabled = false; return; }
    preview.hidden = true;
    $("result-h").textContent = doc.sessions.created ? "Imported" : "Nothing new was added";
    $("result-body").replaceChildren(facts(doc));
    result.hidden = false;
    $("result-h").focus();
    checked = null;
  });
}
