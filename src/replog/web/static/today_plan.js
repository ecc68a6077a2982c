// Today: start the session of the program followed (the server keeps its plan beside it),
// then open Drive on its first lift.
import { api, athlete, ApiError } from "./app.js";

const start = document.getElementById("start-plan");
start?.addEventListener("click", async () => {
  start.disabled = true;
  const error = document.getElementById("start-error");
  error.hidden = true;
  try {
    const r = await api("POST", `/athletes/${encodeURIComponent(athlete())}/plan/start`);
    const q = new URLSearchParams(location.search);
    const first = r.today.plan.exercises[0]?.exercise || start.dataset.first;
    if (first) q.set("exercise", first);
    location.assign(`/drive?${q}`);
  } catch (e) {
    error.textContent = e instanceof ApiError ? e.message : `Not started: ${e.message}`;
    error.hidden = false;
    start.disabled = false;
  }
});
