// Drive's verdict card: the server's verdict on a logged set (core/verdict.py), as page
// elements. The cap in force (an alert when the set is fresh), the headline, velocity bars,
// the numbers, and the rulebook's items for the set in their order. Every word of advice
// comes from the verdict: this file adds no rule and no text of its own.
import { bars, h, num } from "./drive_ui.js";

const TITLES = {
  over_cap: "Over the cap",
  stop_set: "Velocity loss",
  reduce_load: "Grinding reps",
  grinding: "Grinding reps",
  cue: "Passive intent",
};

// names: { exercise(key), kind(kind) } from the page's data
export function verdictView(s, v, fresh, names) {
  const out = [];
  const title = h("p", { class: "verdict-set" },
    h("strong", {}, names.exercise(s.exercise)), ` · ${num(s.load)} ${s.unit} × ${s.reps}`,
    s.rpe ? ` @${num(s.rpe, 1)}` : "", s.kind !== "working" ? ` · ${names.kind(s.kind)}` : "");
  out.push(title);
  if (!v) {
    out.push(h("p", { class: "banner info" }, "Queued: the verdict comes when the set reaches the server."));
    return out;
  }
  const items = v.recommendations || [];
  if (v.cap) {
    const drop = v.dropoff_pct != null && v.neural_dropoff
      ? `Drop-off ${v.dropoff_pct.toFixed(1)} % against set ${v.reference_position}. ` : "";
    out.push(h("div", { class: "banner danger cap", role: fresh ? "alert" : null },
      h("strong", { class: "cap-title" }, "Cap intensity"), h("span", {}, drop + v.cap.action)));
  }
  // the headline says in one line what the banners say in full: only when there are none
  if (!v.cap && !items.length) out.push(h("p", { class: "headline" }, v.headline));
  if (s.velocities.length) out.push(bars(s.velocities, v.set?.rep_bands));
  const a = v.set || {};
  const stat = (label, value, unit, cls = "") => h("div", { class: `stat ${cls}` },
    h("dt", {}, label), h("dd", {}, value, h("span", { class: "unit" }, unit)));
  const stats = [];
  if (a.mean_velocity != null) stats.push(stat("Mean", a.mean_velocity.toFixed(2), " m/s"));
  if (v.dropoff_pct != null) {
    stats.push(stat(`Drop-off vs set ${v.reference_position ?? "?"}`,
      v.dropoff_pct.toFixed(1).replace("-", "−"), " %", v.neural_dropoff ? "bad" : ""));
  }
  if (v.velocity_loss_pct != null) stats.push(stat("Velocity loss", v.velocity_loss_pct.toFixed(0), " %"));
  if (stats.length) out.push(h("dl", { class: "stats" }, ...stats));
  for (const r of items) {
    if (r.kind === "cap_intensity") continue; // the cap banner above says it
    const cls = r.severity === "warning" ? "banner warn" : "banner info";
    const cue = r.details?.cue ? h("span", { class: "cue" }, ` ${r.action}`) : r.action;
    out.push(h("div", { class: cls }, h("strong", {}, `${TITLES[r.kind] || r.kind}. `),
      `${r.reason} `, cue));
  }
  return out;
}
