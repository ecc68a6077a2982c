// Drive: fix or remove a set logged today (a typo in the load, one rep too many), and
// finish the session. Each row gets an Edit button. A logged set is read afresh (for its
// version), then PATCHed or DELETEd, and the page reloads, since later sets' drop-off and
// the verdicts may change with it; that needs the network. A set still queued offline is
// changed or withdrawn in the outbox, checked against the server's limits first.
import { api, readOutbox, toast, ApiError, reviseQueuedSet } from "./app.js";
import { checkDose, h } from "./drive_ui.js";

const list = document.getElementById("sets");
const canWrite = document.body.dataset.canWrite === "yes";

function field(label, id, value, attrs) {
  const input = h("input", { id, value: value ?? "", inputmode: "decimal", ...attrs });
  return h("div", { class: "edit-field" }, h("label", { for: id }, label), input);
}

function explain(e) {
  if (e instanceof ApiError && e.status === 409) return "This set changed elsewhere: reloading.";
  if (e instanceof ApiError) return e.message;
  return "No connection: edits of a sent set need the network. Try again when you are back.";
}

// What the editor changes: a logged set on the server...
async function logged(id) {
  const doc = await api("GET", `/sets/${id}`);
  const done = async (write, message) => {
    try {
      await write();
    } catch (e) {
      toast(explain(e), true);
      if (e instanceof ApiError && e.status === 409) setTimeout(() => location.reload(), 1500);
      return false;
    }
    sessionStorage.setItem("replog.drive-toast", message);
    location.reload();
    return true;
  };
  return {
    label: `set ${doc.position}`, load: doc.load.value, unit: doc.load.unit, reps: doc.reps, rpe: doc.rpe,
    velocities: doc.rep_data || [], // the server keeps no more reps of data than the set has
    save: (changes) => done(() => api("PATCH", `/sets/${id}`, { version: doc.version, ...changes }),
      `Set ${doc.position} saved.`),
    remove: () => done(() => api("DELETE", `/sets/${id}?version=${doc.version}`), `Set ${doc.position} deleted.`),
  };
}

// ...or one waiting in the outbox.
function queuedSet(id, label) {
  const item = readOutbox().find((x) => x.method === "POST" && x.body?.id === id);
  if (!item) return null;
  const revise = (changes, message) => {
    if (!reviseQueuedSet(id, changes)) {
      toast("That set has just been sent: reloading.");
      setTimeout(() => location.reload(), 1500);
      return false;
    }
    const body = changes && { ...item.body, ...changes };
    document.dispatchEvent(new CustomEvent("replog:queued", { detail: { id, body } }));
    toast(message);
    return true;
  };
  return {
    label, queued: true, load: item.body.load, unit: item.body.unit, reps: item.body.reps,
    rpe: item.body.rpe, velocities: item.body.velocities || [],
    save: (changes) => revise(changes, "Queued set changed: it is sent when you are back."),
    remove: () => revise(null, "Queued set removed: it will not be sent."),
  };
}

async function openEditor(row, button) {
  const old = row.querySelector(".set-edit");
  if (old) { old.remove(); button.setAttribute("aria-expanded", "false"); return; }
  const id = row.dataset.id;
  let set;
  try {
    set = row.classList.contains("queued") ? queuedSet(id, what(row)) : await logged(id);
  } catch (e) {
    toast(explain(e), true);
    return;
  }
  if (!set) {
    toast("That set has just been sent: reloading.");
    setTimeout(() => location.reload(), 1500);
    return;
  }
  const unit = set.unit || document.body.dataset.unit || "kg";
  const error = h("p", { class: "error", role: "alert", hidden: "" });
  const form = h("form", { class: "set-edit", "aria-label": `Edit ${set.label}`, novalidate: "" },
    field(`Load (${unit})`, `edit-load-${id}`, set.load, { type: "number", min: "0", step: "any" }),
    field("Reps", `edit-reps-${id}`, set.reps, { type: "number", min: "0", max: "200", step: "1", inputmode: "numeric" }),
    field("RPE", `edit-rpe-${id}`, set.rpe, { type: "number", min: "1", max: "10", step: "0.5" }),
    error,
    h("div", { class: "edit-actions" },
      h("button", { type: "submit", class: "primary" }, "Save"),
      h("button", { type: "button", "data-delete": "" }, "Delete set"),
      h("button", { type: "button", "data-cancel": "" }, "Cancel")));
  const value = (name) => form.querySelector(`#edit-${name}-${id}`).value.trim();
  const busy = async (action) => {
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    if (!(await action())) form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
  };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const changes = {
      load: value("load") === "" ? null : Number(value("load")), unit,
      reps: value("reps") === "" ? NaN : Number(value("reps")),
      rpe: value("rpe") === "" ? null : Number(value("rpe")),
    };
    const wrong = checkDose({ ...changes, velocities: set.velocities });
    error.hidden = !wrong;
    if (wrong) {
      error.textContent = wrong[1];
      form.querySelector(`#edit-${wrong[0] === "velocities" ? "reps" : wrong[0]}-${id}`).focus();
      return;
    }
    busy(() => set.save(changes));
  });
  form.querySelector("[data-delete]").addEventListener("click", () => {
    const dose = set.queued ? "" : ` (${set.load ?? 0} ${unit} × ${set.reps})`;
    if (!confirm(`Delete ${set.label}${dose}?`)) return;
    busy(() => set.remove());
  });
  form.querySelector("[data-cancel]").addEventListener("click", () => {
    form.remove();
    button.setAttribute("aria-expanded", "false");
    button.focus();
  });
  row.append(form);
  button.setAttribute("aria-expanded", "true");
  form.querySelector("input").focus();
}

// "set 2", or "queued set 100 kg × 3" (a queued set has no number yet)
function what(row) {
  if (!row.classList.contains("queued")) return `set ${row.querySelector(".pos")?.textContent || ""}`;
  return `queued set ${row.querySelector(".dose")?.textContent || ""}`;
}

function addButtons() {
  for (const row of list.querySelectorAll(".set-row")) {
    if (row.querySelector(":scope > .edit")) continue;
    const button = h("button", { type: "button", class: "edit", "aria-expanded": "false", "aria-label": `Edit ${what(row)}` }, "Edit");
    button.addEventListener("click", () => openEditor(row, button));
    row.querySelector(".speed").after(button);
  }
}

// Finish: end today's session (with a note), so the next set opens a new one.
const finish = document.getElementById("finish");

function showFinish() {
  finish.hidden = !list.querySelector(".set-row:not(.queued)");
}

async function finishSession(ev) {
  ev.preventDefault();
  const button = finish.querySelector("button");
  button.disabled = true;
  try {
    const set = await api("GET", `/sets/${list.querySelector(".set-row:not(.queued)").dataset.id}`);
    const session = await api("GET", `/sessions/${set.session_id}`);
    const started = new Date(session.started_at);
    const ended = new Date(Math.max(Date.now(), started.getTime()));
    const notes = document.getElementById("finish-notes").value.trim();
    await api("PATCH", `/sessions/${session.id}`, {
      version: session.version, ended_at: ended.toISOString(), ...(notes ? { notes } : {}),
    });
    const minutes = Math.round((ended - started) / 60000);
    const n = session.sets.length;
    sessionStorage.setItem("replog.drive-toast",
      `Session finished: ${n} set${n === 1 ? "" : "s"} in ${minutes} min. It is in History.`);
    location.reload();
  } catch (e) {
    toast(explain(e), true);
    button.disabled = false;
  }
}

if (list && canWrite) {
  addButtons();
  new MutationObserver(addButtons).observe(list, { childList: true });
  if (finish) {
    showFinish();
    new MutationObserver(showFinish).observe(list, { childList: true, subtree: true, attributes: true });
    finish.addEventListener("submit", finishSession);
  }
}
const said = sessionStorage.getItem("replog.drive-toast");
if (said) {
  sessionStorage.removeItem("replog.drive-toast");
  toast(said);
}
