import { athlete, send, toast, ApiError } from "./app.js";

const form = document.getElementById("checkin");
form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const data = new FormData(form);
  const body = {
    sleep_h: Number(data.get("sleep_h")),
    sleep_quality: Number(data.get("sleep_quality")),
    stress: Number(data.get("stress")),
    soreness: Number(data.get("soreness")),
  };
  if (form.dataset.version) body.version = Number(form.dataset.version);
  try {
    const r = await send("PUT", `/athletes/${athlete()}/checkins/${form.dataset.day}`, body, "check-in");
    if (r.sent) location.reload();
    else toast("Offline: the check-in will be sent when you are back.");
  } catch (e) {
    toast(e instanceof ApiError ? e.message : String(e), true);
  }
});
