// Plans: follow a program, stop following, save a plan document (the server checks it and
// names the path of a mistake), delete one of one's own; a small form adds an exercise to
// the document. No rule of the plans lives here: the server's services decide.
import { api, athlete, toast, ApiError } from "./app.js";

const $ = (id) => document.getElementById(id);
const base = () => `/athletes/${encodeURIComponent(athlete())}`; // under the REST API

async function act(method, path, body, done) {
  try {
    const doc = await api(method, base() + path, body);
    done(doc);
  } catch (e) {
    toast(e instanceof ApiError ? e.message : `Not sent: ${e.message}`, true);
  }
}

document.addEventListener("click", (ev) => {
  const follow = ev.target.closest("button.follow");
  if (follow) {
    act("PUT", "/program", { plan: follow.dataset.ref }, (doc) => {
      toast(`Following ${doc.name}: today's session is on Today.`);
      setTimeout(() => location.reload(), 600);
    });
    return;
  }
  const del = ev.target.closest("button.delete");
  if (del && confirm("Delete this plan? A program followed from it stays as started.")) {
    act("DELETE", `/plans/${encodeURIComponent(del.dataset.id)}`, undefined, () => location.reload());
  }
});

$("stop-program")?.addEventListener("click", () => {
  act("DELETE", "/program", undefined, () => location.reload());
});

// ---- the editor ------------------------------------------------------------------------
const form = $("plan-form");
const text = $("plan-doc");
const error = $("plan-error");

function showError(message, field) {
  error.textContent = field ? `${field}: ${message}` : message;
  error.hidden = false;
  text.setAttribute("aria-invalid", "true");
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  error.hidden = true;
  text.removeAttribute("aria-invalid");
  let doc;
  try {
    doc = JSON.parse(text.value);
  } catch (e) {
    showError(`not JSON: ${e.message}`);
    return;
  }
  const id = form.dataset.id;
  try {
    const r = id
      ? await api("PUT", `${base()}/plans/${encodeURIComponent(id)}`, { version: Number(form.dataset.version), document: doc })
      : await api("POST", `${base()}/plans`, doc);
    toast(`Saved “${r.name}”.`);
    const q = new URLSearchParams(location.search);
    q.set("edit", r.id);
    setTimeout(() => location.assign(`/plans?${q}`), 600);
  } catch (e) {
    // the document's own path (exercises[0].sets[0].rpe), not the request's "document." prefix
    if (e instanceof ApiError) showError(e.message, (e.field || "").replace(/^document\.?/, ""));
    else showError(`Not sent: ${e.message}`);
  }
});

// The form writes one exercise into the document as the schema spells it.
$("b-add").addEventListener("click", () => {
  let doc;
  try {
    doc = JSON.parse(text.value);
  } catch (e) {
    showError(`fix the JSON first: ${e.message}`);
    return;
  }
  const number = (id) => ($(id).value === "" ? null : Number($(id).value));
  const set = { reps: number("b-reps"), count: number("b-sets") };
  const basis = $("b-basis").value;
  const value = $("b-value").value.trim();
  if (basis === "load") set.load = /[a-z]/i.test(value) ? value : `${value} ${document.body.dataset.unit || "kg"}`;
  else if (value !== "") set[basis] = Number(value);
  if (number("b-loss") !== null) set.velocity_loss_pct = number("b-loss");
  const ex = { exercise: $("b-exercise").value, sets: [set] };
  if (number("b-rest") !== null) ex.rest_s = number("b-rest");
  const day = doc.schema === "replog.program/1" ? doc.weeks?.[0]?.days?.[0] : doc;
  if (!day || !Array.isArray(day.exercises)) {
    showError("the form adds to a template's exercises (or a program's first day)");
    return;
  }
  day.exercises.push(ex);
  text.value = JSON.stringify(doc, null, 2);
  error.hidden = true;
  toast(`Added ${$("b-exercise").selectedOptions[0].textContent}: save to keep it.`);
});
