// Drive: fix or remove a set already logged today (a typo in the load, one rep too many),
// and finish the session. Each logged row gets an Edit button; the editor reads the set
// afresh (for its version), then PATCHes or DELETEs it. The page reloads after, since later
// sets' drop-off and the verdicts may change with it. Edits need the network: a stale or
// offline edit is refused.
import { api, toast, ApiError } from "./app.js";
import { h } from "./drive_ui.js";

const list = document.getElementById("sets");
const canWrite = document.body.dataset.canWrite === "yes";

function field(label, id, value, attrs) {
  const input = h("input", { id, value: value ?? "", inputmode: "decimal", ...attrs });
  return h("div", { class: "edit-field" }, h("label", { for: id }, label), input);
}

function explain(e) {
  if (e instanceof ApiError && e.status === 409) return "This set changed elsewhere: reloading.";
  if (e instanceof ApiError) return e.message;
  return "No connection: edits need the network. Try again when you are back.";
}

async function openEditor(row, button) {
  const old = row.querySelector(".set-edit");
  if (old) { old.remove(); button.setAttribute("aria-expanded", "false"); return; }
  let doc;
  try {
    doc = await api("GET", `/sets/${row.dataset.id}`);
  } catch (e) {
    toast(explain(e), true);
    return;
  }
  const id = row.dataset.id;
  const form = h("form", { class: "set-edit", "aria-label": `Edit set ${doc.position}` },
    field(`Load (${doc.load.unit})`, `edit-load-${id}`, doc.load.value, { type: "number", min: "0", step: "any", required: "" }),
    field("Reps", `edit-reps-${id}`, doc.reps, { type: "number", min: "0", max: "100", step: "1", inputmode: "numeric", required: "" }),
    field("RPE", `edit-rpe-${id}`, doc.rpe, { type: "number", min: "1", max: "10", step: "0.5" }),
    h("div", { class: "edit-actions" },
      h("button", { type: "submit", class: "primary" }, "Save"),
      h("button", { type: "button", "data-delete": "" }, "Delete set"),
      h("button", { type: "button", "data-cancel": "" }, "Cancel")));
  const value = (name) => form.querySelector(`#edit-${name}-${id}`).value.trim();
  const done = async (write, message) => {
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      await write();
      sessionStorage.setItem("replog.drive-toast", message);
      location.reload();
    } catch (e) {
      toast(explain(e), true);
      if (e instanceof ApiError && e.status === 409) setTimeout(() => location.reload(), 1500);
      form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const body = {
      version: doc.version, load: Number(value("load")), unit: doc.load.unit,
      reps: Number(value("reps")), rpe: value("rpe") === "" ? null : Number(value("rpe")),
    };
    done(() => api("PATCH", `/sets/${id}`, body), `Set ${doc.position} saved.`);
  });
  form.querySelector("[data-delete]").addEventListener("click", () => {
    if (!confirm(`Delete set ${doc.position} (${doc.load.value} ${doc.load.unit} × ${doc.reps})?`)) return;
    done(() => api("DELETE", `/sets/${id}?version=${doc.version}`), `Set ${doc.position} deleted.`);
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

function addButtons() {
  for (const row of list.querySelectorAll(".set-row:not(.queued)")) {
    if (row.querySelector(":scope > .edit")) continue;
    const pos = row.querySelector(".pos")?.textContent || "";
    const button = h("button", { type: "button", class: "edit", "aria-expanded": "false", "aria-label": `Edit set ${pos}` }, "Edit");
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
