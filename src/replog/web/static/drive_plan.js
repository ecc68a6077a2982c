// Drive's plan: the next planned set of the lift (the server's PlannedSet.to_dict(), steered
// by the sets done: services/plan_today.next_planned), the stream's target from it, and
// each rep's cue (core/rep_cues.py) as a sound, a buzz and words. No plan rule lives here.
import { api } from "./app.js";
import { chime, h, num } from "./drive_ui.js";

const mins = (sec) => String(Math.round((sec / 60) * 10) / 10);

// {next, total, rest_s} of the lift in today's planned session, read again after a set.
export async function fetchNext(athleteId, exercise) {
  const q = new URLSearchParams({ exercise });
  return api("GET", `/athletes/${encodeURIComponent(athleteId)}/plan/next?${q}`);
}

function targets(s) {
  const t = [];
  if (s.target_velocity != null) t.push(`at ${s.target_velocity.toFixed(2)} m/s`);
  if (s.target_rpe != null) t.push(`RPE ${num(s.target_rpe, 1)}`);
  if (s.stop_velocity_loss_pct != null) {
    const at = s.stop_velocity != null ? ` (${s.stop_velocity.toFixed(2)} m/s)` : "";
    t.push(`stop at ${num(s.stop_velocity_loss_pct, 1)} % loss${at}`);
  }
  return t.join(" · ");
}

// The "Plan:" line's content for one lift (entry: {next, total, rest_s}), or null: no plan.
export function planLine(entry) {
  if (!entry || !entry.total) return null;
  const s = entry.next;
  if (!s) return [h("strong", {}, `Plan: all ${entry.total} sets done.`)];
  const load = s.load_text || "load to find";
  const reps = s.reps == null ? "max" : `${s.reps}${s.reps_max ? `–${s.reps_max}` : ""}`;
  const kind = s.kind === "working" ? "" : ` (${s.kind})`;
  const why = s.missing ? `Needs ${s.missing}.` : s.why;
  return [
    h("strong", {}, `Plan: set ${s.number} of ${entry.total}${kind}: ${load} × ${reps}`),
    targets(s) ? h("span", { class: "plan-target" }, ` · ${targets(s)}`) : "",
    why ? h("p", { class: "why" }, why) : "",
  ];
}

// What the stream's start message takes from the planned set (api/stream.py), or null.
export function targetOf(entry) {
  const s = entry?.next;
  if (!s) return null;
  const t = { velocity: s.target_velocity, velocity_loss_pct: s.stop_velocity_loss_pct, reps: s.reps };
  return Object.values(t).some((v) => v != null) ? t : null;
}

// The rest timer's target after a set of the plan: the plan's rest for the lift.
export function planRest(entry) {
  const r = entry?.rest_s;
  if (!r) return null;
  return { low: r, high: r + 60, label: `${mins(r)} min (the plan's rest)` };
}

// Each cue's sound: on, a short high tone; slow, a low one; fast, two high ones; stop, a long
// triple tone and a buzz; done, a chime. Returns the tones played (for the page and tests).
export const CUE_TONES = {
  on: [[1320], 0.12],
  slow: [[330], 0.25],
  fast: [[1320, 1320], 0.1],
  stop: [[440, 440, 440], 0.35],
  done: [[660, 880, 1320], 0.16],
};

export function playCue(cue, el) {
  if (!cue) return null;
  const [freqs, each] = CUE_TONES[cue.kind] || CUE_TONES.on;
  chime(freqs, each);
  if (cue.kind === "stop" && navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
  if (el) {
    el.textContent = cue.text;
    el.className = `rec-cue ${cue.kind}`;
    el.dataset.kind = cue.kind;
    el.hidden = false;
  }
  return freqs;
}
