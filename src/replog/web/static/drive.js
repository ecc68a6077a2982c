// Drive: pick an exercise, log a set (sent now or queued offline), its verdict and velocity
// bars, the PAP block, the rest timer, and recording with the phone (sensor.js).
import { athlete, readOutbox, send, uuid, toast, ApiError } from "./app.js";
import { describe, gear, platesFor, sideText } from "./plates.js";
import { Recorder } from "./sensor.js";
import { bars, checkDose, chime, h, num, restFor, RestTimer } from "./drive_ui.js";
import { verdictView } from "./drive_verdict.js";
import { fetchNext, planLine, planRest, playCue, targetOf } from "./drive_plan.js";

const D = JSON.parse(document.getElementById("drive-data").textContent);
const $ = (id) => document.getElementById(id);
const KINDS = {
  working: "Working", warmup: "Warm-up", primer: "Primer", backoff: "Back-off", amrap: "AMRAP",
  drop: "Drop set", failure: "To failure",
};
const SETS_PATH = `/athletes/${athlete()}/sets`;

let exercise = D.selected;
let sessionId = D.sessionId;
const name = (key) => D.exercises[key]?.name || key;

// ---- the exercise picker -------------------------------------------------------------
const picker = $("ex-picker");
const search = $("ex-search");
const items = [...$("ex-list").children];

function filter() {
  const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  items.forEach((li, i) => {
    const match = words.length
      ? words.every((w) => li.dataset.search.includes(w))
      : li.hasAttribute("data-recent") || i < 12;
    li.hidden = !match;
    if (match) shown++;
  });
  $("ex-none").hidden = shown > 0;
  $("ex-count").textContent = words.length ? `${shown} match${shown === 1 ? "" : "es"}` : "";
}

function openPicker(open) {
  picker.hidden = !open;
  $("ex-change").setAttribute("aria-expanded", String(open));
  $("ex-change").textContent = open ? "Close" : "Change";
  if (open) search.focus();
}

function lastText(key) {
  const l = D.last[key];
  if (!l) return "";
  const rpe = l.rpe ? ` @${num(l.rpe, 1)}` : "";
  return `Last: ${num(l.load)} ${l.unit} × ${l.reps}${rpe}${l.today ? " today" : ` on ${l.day}`}`;
}

function pick(key) {
  exercise = key;
  $("ex-name").textContent = name(key);
  $("ex-last").textContent = lastText(key);
  $("ex-change").hidden = false;
  openPicker(false);
  items.forEach((li) => {
    const a = li.querySelector("a");
    if (a.dataset.key === key) a.setAttribute("aria-current", "true");
    else a.removeAttribute("aria-current");
  });
  const url = new URL(location.href);
  url.searchParams.set("exercise", key);
  ["load", "reps"].forEach((p) => url.searchParams.delete(p));
  history.replaceState(null, "", url);
  if (form) {
    // the server's next set (services/drive.next_sets: today's plan, the cap, never a
    // back-off set over a working one); only a new exercise starts from the empty bar
    prefill(D.next[key] || { load: D.exercises[key]?.equipment === "barbell" ? barLoad() : "", reps: 5 });
    prefillPlanned(key); // today's session from a program: its next set wins
    $("log-error").hidden = true;
  }
  showPlan(key);
  loadPap(key);
}

async function loadPap(key) {
  const slot = $("pap-slot");
  slot.replaceChildren();
  D.pap = null;
  try {
    const q = new URLSearchParams({ exercise: key });
    if (D.query) q.set("athlete", athlete());
    const r = await fetch(`/drive/pap?${q}`, { credentials: "same-origin" });
    if (!r.ok || exercise !== key) return;
    slot.innerHTML = await r.text(); // our own server's autoescaped template
    const pap = slot.querySelector("[data-pap]");
    D.pap = pap ? JSON.parse(pap.dataset.pap) : null;
  } catch {
    /* offline: no PAP block until the next load */
  }
}

$("ex-change").addEventListener("click", () => openPicker(picker.hidden));
search.addEventListener("input", filter);
search.addEventListener("keydown", (ev) => {
  if (ev.key !== "Enter") return;
  ev.preventDefault();
  const first = items.find((li) => !li.hidden);
  if (first) pick(first.querySelector("a").dataset.key);
});
$("ex-list").addEventListener("click", (ev) => {
  const a = ev.target.closest("a[data-key]");
  if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
  ev.preventDefault();
  pick(a.dataset.key);
});
if (exercise) $("ex-last").textContent = lastText(exercise);
filter();

// ---- the set form ---------------------------------------------------------------------
const form = $("log");
const barLoad = () => gear(D.unit).bar; // the lifter's own bar (More), or 20 kg / 45 lb
// The server starts a barbell lift never logged at the standard bar; this phone may know hers.
if (form && exercise && !D.last[exercise] && D.exercises[exercise]?.equipment === "barbell"
  && !new URLSearchParams(location.search).has("load")) $("load").value = String(barLoad());

function setRpe(rpe) {
  const id = rpe == null ? "rpe-none" : `rpe-${num(rpe, 1).replace(".", "-")}`;
  const input = $(id) || $("rpe-none");
  if (input) input.checked = true;
}

function prefill(last) {
  $("load").value = last.load ?? "";
  $("reps").value = last.reps ?? 5;
  setRpe(last.rpe);
  $("kind").value = "working";
  $("velocities").value = "";
  showPlates();
}

// ---- the plan: the lift's next planned set, steered by the sets done -------------------
function showPlan(key) {
  const box = $("plan-line");
  if (!box) return;
  const content = planLine(D.plan?.[key]);
  box.hidden = !content;
  box.replaceChildren(...(content || []));
}

function prefillPlanned(key) {
  const s = D.plan?.[key]?.next;
  if (!s || !form) return;
  prefill({ load: s.load ? s.load.value : $("load").value, reps: s.reps ?? $("reps").value, rpe: null });
  $("kind").value = s.kind;
}

async function refreshPlan(key) {
  try {
    D.plan[key] = await fetchNext(athlete(), key);
  } catch {
    return; // offline: the line stays as it was until the next load
  }
  if (key !== exercise) return;
  showPlan(key);
  prefillPlanned(key);
}

function showPlates() {
  const box = $("plates");
  const load = $("load").value === "" ? NaN : Number($("load").value);
  if (D.exercises[exercise]?.equipment !== "barbell" || !Number.isFinite(load)) {
    box.replaceChildren();
    return;
  }
  const r = platesFor(load, D.unit);
  const chips = h("span", { class: "chips", "aria-hidden": "true" },
    ...(r && !r.below ? r.perSide.flatMap(([p, n]) =>
      Array.from({ length: n }, () => h("span", { class: `plate p${String(p).replace(".", "-")}` }, num(p))))
      : []));
  box.replaceChildren(
    h("p", { class: r && r.exact ? "plate-text" : "plate-text off" }, describe(load, D.unit)), chips);
  box.dataset.side = r ? sideText(r.perSide) : "";
}

function parseVelocities(text) {
  const parts = text.trim().split(/[\s;]+|,\s+/).filter(Boolean);
  const vs = parts.map((p) => Number(p.replace(",", ".")));
  if (vs.some((v) => !Number.isFinite(v) || v < 0 || v > 10)) return null;
  return vs;
}

function fail(message, field) {
  const el = $("log-error");
  el.textContent = message;
  el.hidden = false;
  const target = { load: "load", reps: "reps", velocities: "velocities", rpe: "rpe-none" }[field];
  if (target === "velocities") $("vel-details").open = true;
  if (target) $(target).focus();
}

function readForm() {
  if (!exercise) {
    openPicker(true);
    return fail("Pick an exercise first.");
  }
  const data = new FormData(form);
  const load = data.get("load") === "" ? null : Number(data.get("load"));
  const body = { id: uuid(), exercise, reps: Number(data.get("reps")), kind: data.get("kind") || "working", unit: D.unit };
  if (load !== null) body.load = load;
  if (data.get("rpe")) body.rpe = Number(data.get("rpe"));
  const vtext = String(data.get("velocities") || "");
  if (vtext.trim()) {
    const vs = parseVelocities(vtext);
    if (!vs) return fail("Velocities: numbers in m/s separated by spaces, e.g. 0.62 0.60 0.55.", "velocities");
    body.velocities = vs;
  }
  const wrong = checkDose(body);
  if (wrong) return fail(wrong[1], wrong[0]);
  if (sessionId) body.session_id = sessionId;
  return body;
}

if (form) {
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("log-error").hidden = true;
    const body = readForm();
    if (!body) return;
    const button = $("log-btn");
    button.disabled = true;
    try {
      const r = await send("POST", SETS_PATH, body, "set");
      if (r.sent) logged(r.doc);
      else queued(body);
    } catch (e) {
      fail(e instanceof ApiError ? e.message : String(e), e.field);
    } finally {
      button.disabled = false;
    }
  });
  $("load").addEventListener("input", showPlates);
  document.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-use]");
    if (!b) return;
    prefill({ load: Number(b.dataset.load), reps: Number(b.dataset.reps), rpe: null });
    $("kind").value = b.dataset.use === "primer" ? "primer" : "working";
    $("log-btn").scrollIntoView({ block: "center", behavior: "smooth" });
    $("log-btn").focus({ preventScroll: true });
    toast(b.dataset.use === "primer" ? "Primer filled in: log it after the single." : "Working set filled in.");
  });
  showPlates();
}

// ---- a set logged (now, after a queue, or by the sensor) ------------------------------
function setOf(doc) { // the API's SetOut -> what the page shows
  return {
    id: doc.id, exercise: doc.exercise, position: doc.position, kind: doc.kind,
    load: Number(doc.load.value), unit: doc.load.unit, reps: doc.reps, rpe: doc.rpe,
    velocities: (doc.rep_data || []).map((r) => r.mcv).filter((v) => v != null),
  };
}

function rowFor(s, v, queued = false, records = null) {
  const what = h("span", { class: "what" },
    h("span", { class: "ex" }, name(s.exercise), s.kind !== "working" ? " " : "",
      s.kind !== "working" ? h("span", { class: "tag" }, KINDS[s.kind] || s.kind) : "",
      records ? h("span", { class: "pr", title: records.text }, "PR") : ""),
    h("span", { class: "dose" }, `${num(s.load)} ${s.unit} × ${s.reps}${s.rpe ? ` @${num(s.rpe, 1)}` : ""}`));
  const a = v?.set;
  const speed = h("span", { class: "speed" },
    queued ? h("span", { class: "queued-tag", title: "Sent when the connection is back" }, "Queued")
      : a?.mean_velocity != null ? h("span", { class: "mv" }, `${a.mean_velocity.toFixed(2)} m/s`)
        : h("span", { class: "muted" }, "no velocity"),
    !queued && v?.dropoff_pct != null
      ? h("span", { class: "dropoff" }, `drop-off ${v.dropoff_pct.toFixed(1).replace("-", "−")} %`) : "");
  const pos = s.position ?? "·";
  return h("li", {
    class: `set-row${v?.neural_dropoff ? " drop" : ""}${queued ? " queued" : ""}`, "data-id": s.id,
  }, h("span", { class: "pos", "aria-label": `Set ${pos}` }, String(pos)), what, speed);
}

function putRow(row) {
  const list = $("sets");
  const old = [...list.children].find((li) => li.dataset.id === row.dataset.id);
  if (old) old.replaceWith(row);
  else list.append(row);
  countRows();
}

function dropRow(id) { [...$("sets").children].find((li) => li.dataset.id === id)?.remove(); countRows(); }

function countRows() {
  const n = $("sets").children.length;
  $("sess-note").textContent = `${n} set${n === 1 ? "" : "s"} today`;
}

// late: a queued set that has just reached the server (its rest began when it was logged)
function logged(doc, late = false) {
  sessionId = doc.session?.id || sessionId;
  const s = setOf(doc.set);
  const planned = D.plan?.[s.exercise]; // the lift is in today's planned session
  if (planned) refreshPlan(s.exercise);
  putRow(rowFor(s, doc.verdict, false, doc.records));
  showVerdict(s, doc.verdict, !late);
  if (doc.records) celebrate(s, doc.records);
  if (late) return;
  D.last[s.exercise] = { ...s, day: "", today: true };
  if (s.exercise === exercise) $("ex-last").textContent = lastText(exercise);
  const pap = D.pap && D.pap.exercise === s.exercise ? D.pap : null;
  rest.start((planned?.next && s.kind !== "warmup" && planRest(planned)) || restFor(s.kind, pap));
  if (form) {
    $("velocities").value = "";
    if (s.kind === "primer" && pap && s.exercise === exercise) { // next: the block's working sets
      prefill({ load: pap.working.load, reps: pap.working.reps, rpe: null });
      toast(`Primer logged. Rest, then ${pap.working.sets} × ${pap.working.reps} at ${num(pap.working.load)} ${pap.unit} (filled in).`);
    }
  }
  reveal();
}

// A record, as it happens: the server found it (the exercise page's rule), the page cheers.
function celebrate(s, records) {
  toast(`New record on ${name(s.exercise)}: ${records.text}!`);
  if (navigator.vibrate) navigator.vibrate([80, 60, 80, 60, 240]);
  chime([660, 880, 1320]);
}

function reveal() { // on a phone, bring the timer and the verdict under the thumb
  if (window.matchMedia("(max-width: 719px)").matches) $("rest").scrollIntoView({ block: "start", behavior: "smooth" });
}

function queued(body) {
  const s = { ...body, load: body.load ?? 0, position: null, velocities: body.velocities || [] };
  D.last[s.exercise] = { ...s, day: "", today: true };
  putRow(rowFor(s, null, true));
  showVerdict(s, null, true);
  rest.start(restFor(s.kind, D.pap && D.pap.exercise === s.exercise ? D.pap : null));
  $("velocities").value = "";
  if (s.exercise === exercise) $("ex-last").textContent = lastText(exercise);
  reveal();
}

// writes queued in an earlier visit: show them as queued until they land
function pendingSets() {
  return readOutbox().filter((i) => i.method === "POST" && i.path === SETS_PATH && i.body?.id);
}
for (const item of pendingSets()) {
  if (!document.querySelector(`#sets [data-id="${item.body.id}"]`)) {
    putRow(rowFor({ ...item.body, load: item.body.load ?? 0, position: null }, null, true));
  }
}
document.addEventListener("replog:queued", (ev) => { // a queued set edited or withdrawn
  const { id, body } = ev.detail;
  if (body) putRow(rowFor({ ...body, load: body.load ?? 0, position: null }, null, true));
  else dropRow(id);
});
document.addEventListener("replog:attached", (ev) => { // a video's reps stored on a logged set
  const doc = ev.detail;
  const s = setOf(doc.set);
  putRow(rowFor(s, doc.verdict));
  showVerdict(s, doc.verdict, true);
});
document.addEventListener("replog:sent", (ev) => {
  const { item, doc } = ev.detail;
  if (item.path === SETS_PATH && doc?.set) logged(doc, true);
});
setInterval(() => { // a queued row whose write left the outbox without our hearing of it
  const waiting = new Set(pendingSets().map((i) => i.body.id));
  document.querySelectorAll("#sets .queued").forEach((li) => {
    if (!waiting.has(li.dataset.id)) {
      li.classList.remove("queued");
      li.querySelector(".queued-tag").textContent = "Sent";
    }
  });
}, 3000);

// ---- the verdict ----------------------------------------------------------------------
function showVerdict(s, v, fresh) {
  const names = {
    exercise: name, kind: (k) => KINDS[k] || k,
  };
  $("verdict-body").replaceChildren(...verdictView(s, v, fresh, names));
  $("verdict").hidden = false;
}

if (D.verdict) showVerdict(D.verdict.set, D.verdict.verdict, false);
if (exercise) showPlan(exercise);

// ---- the rest timer -------------------------------------------------------------------
const rest = new RestTimer(athlete());

// ---- recording with the phone ---------------------------------------------------------
if (form) {
  const live = [];
  const liveBands = []; // each rep's band, as the server judged it
  const panel = $("rec-panel");
  const status = $("rec-status");
  const recorder = new Recorder(athlete(), {
    onState(state, text) {
      status.textContent = text;
      status.className = `rec-status ${state}`;
      const busy = state !== "idle" && state !== "failed" && state !== "done";
      $("rec").disabled = busy;
      $("log-btn").disabled = busy; // one set at a time: the recording logs this one
      $("rec-stop").hidden = state !== "recording";
      $("rec-cancel").hidden = state === "done" || state === "failed" || state === "idle";
    },
    onReady() {
      live.length = 0;
      liveBands.length = 0;
      $("rec-bars").replaceChildren();
      $("rec-cue").hidden = true;
      $("rec-count").textContent = "0 reps";
    },
    onRep(msg) {
      live.push(msg.rep.mcv);
      liveBands.push(msg.band);
      $("rec-bars").replaceChildren(bars(live, liveBands));
      const drop = msg.dropoff_pct != null ? ` · drop-off ${msg.dropoff_pct.toFixed(1)} %` : "";
      $("rec-count").textContent =
        `${live.length} rep${live.length === 1 ? "" : "s"} · rep ${msg.rep.index}: ${msg.rep.mcv.toFixed(2)} m/s${drop}`;
      playCue(msg.cue, $("rec-cue")); // the server's cue against the planned set's target
    },
    onSet(doc) {
      $("reps").value = doc.set.reps;
      logged(doc);
    },
    onError(message) {
      if (live.length) { // keep what was measured, so the set can be logged by hand
        $("reps").value = live.length;
        $("velocities").value = live.map((v) => v.toFixed(2)).join(" ");
        $("vel-details").open = true;
      }
      status.textContent = message;
    },
  });
  $("rec").addEventListener("click", () => {
    $("log-error").hidden = true;
    if (!exercise) {
      openPicker(true);
      fail("Pick an exercise first.");
      return;
    }
    const body = readForm();
    if (!body) return;
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    const set = { ...body };
    delete set.reps; // the sensor counts them
    delete set.velocities;
    recorder.start(set, targetOf(D.plan?.[exercise])); // asks for motion access first, inside this tap
  });
  $("rec-stop").addEventListener("click", () => recorder.stop());
  $("rec-cancel").addEventListener("click", () => {
    recorder.cancel();
    panel.hidden = true;
  });
}
