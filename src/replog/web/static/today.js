import { athlete, send, toast, ApiError } from "./app.js";

// Only what the lifter touched is sent: an untouched field is not saved (the server keeps
// what it had, or nothing), so it costs no points. The form starts with nothing chosen.
const form = document.getElementById("checkin");
const touched = new Set();
const sleep = form.elements.namedItem("sleep_h");

form.addEventListener("input", (ev) => { if (ev.target.name) touched.add(ev.target.name); });
form.addEventListener("change", (ev) => { if (ev.target.name) touched.add(ev.target.name); });
// A stepper on an empty sleep field starts from 8 h (data-start), before app.js steps it.
form.addEventListener("click", (ev) => {
  const b = ev.target.closest("button.step");
  if (b && sleep.value === "") sleep.value = sleep.dataset.start;
});

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const data = new FormData(form);
  const body = {};
  for (const name of touched) {
    const value = data.get(name);
    if (value !== null && value !== "") body[name] = Number(value);
  }
  if (!Object.keys(body).length) {
    toast("Nothing to save yet: tap your sleep, sleep quality, stress or soreness first.", true);
    return;
  }
  if (form.dataset.version) body.version = Number(form.dataset.version);
  try {
    const r = await send("PUT", `/athletes/${athlete()}/checkins/${form.dataset.day}`, body, "check-in");
    if (r.sent) location.reload();
    else toast("Offline: the check-in will be sent when you are back.");
  } catch (e) {
    toast(e instanceof ApiError ? e.message : String(e), true);
  }
});
