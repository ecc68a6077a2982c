// Drive's verdict card: what a logged set's analysis says, as page elements. The cap-intensity
// banner (an alert when the set is fresh), the headline, velocity bars, the numbers, and the
// grinding, passive-intent and velocity-loss cues with their actions.
import { bars, h, num } from "./drive_ui.js";

// names: { exercise(key), kind(kind), cue(key) } from the page's data
export function verdictView(s, v, fresh, names) {
  const out = [];
  const recs = v?.recommendations || [];
  const rec = (kind) => recs.find((r) => r.kind === kind);
  const title = h("p", { class: "verdict-set" },
    h("strong", {}, names.exercise(s.exercise)), ` · ${num(s.load)} ${s.unit} × ${s.reps}`,
    s.rpe ? ` @${num(s.rpe, 1)}` : "", s.kind !== "working" ? ` · ${names.kind(s.kind)}` : "");
  out.push(title);
  if (!v) {
    out.push(h("p", { class: "banner info" }, "Queued: the verdict comes when the set reaches the server."));
  } else {
    if (v.cap_intensity || v.neural_dropoff) {
      const cap = rec("cap_intensity");
      const drop = v.dropoff_pct != null && v.neural_dropoff
        ? `Drop-off ${v.dropoff_pct.toFixed(1)} % against set ${v.reference_position}. ` : "";
      out.push(h("div", { class: "banner danger cap", role: fresh ? "alert" : null },
        h("strong", { class: "cap-title" }, "Cap intensity"),
        h("span", {}, drop + (cap ? cap.action : "Hold the load or drop it for the remaining sets of this exercise."))));
    }
    const stop = rec("stop_set");
    // the headline says in one line what the banners below say in full
    if (!(v.cap_intensity || v.neural_dropoff || v.grinding || v.passive_intent || stop)) {
      out.push(h("p", { class: "headline" }, v.headline));
    }
    if (s.velocities.length) out.push(bars(s.velocities));
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
    if (v.grinding) {
      const r = rec("reduce_load");
      out.push(h("div", { class: "banner warn" }, h("strong", {}, "Grinding reps. "),
        r ? `${r.reason} ${r.action}` : "The bar slowed close to your 1RM speed: take some weight off."));
    }
    if (v.passive_intent) {
      const r = rec("cue");
      const cue = r?.details?.cue || names.cue(s.exercise);
      out.push(h("div", { class: "banner warn" }, h("strong", {}, "Passive intent. "),
        r ? r.reason : "The reps were slower than you usually move this load.",
        cue ? h("span", { class: "cue" }, ` Next set, think: “${cue}”.`) : ""));
    }
    if (stop) out.push(h("div", { class: "banner warn" }, h("strong", {}, "Velocity loss. "), stop.action));
  }
  return out;
}

