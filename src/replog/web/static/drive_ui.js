// Drive's building blocks: DOM nodes from data (text only, never HTML), the per-rep
// velocity bars (SVG), and the rest timer.

// 102.5 -> "102.5", 0.1 + 0.2 -> "0.3": a number as the page shows it
export const num = (x, digits = 3) => String(Math.round(Number(x) * 10 ** digits) / 10 ** digits);

// h("p", {class: "x"}, "text", child...): null/false attributes and "" children are skipped
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null && v !== false) el.setAttribute(k, v);
  for (const c of children) if (c !== "" && c != null) el.append(c);
  return el;
}

// The server's limits for a set (api/schemas.py SetIn), checked before a set is queued or
// a queued one edited: offline, a refusal would come only later, and the set with it lost.
// Returns null, or [field, message].
export function checkDose({ load = null, reps, rpe = null, velocities = [] }) {
  if (load !== null && (!Number.isFinite(load) || load < 0 || load > 2000)) {
    return ["load", "The load must be a number from 0 to 2000."];
  }
  if (!Number.isInteger(reps) || reps < 0 || reps > 200) return ["reps", "Reps must be a whole number from 0 to 200."];
  if (rpe !== null && !(rpe >= 1 && rpe <= 10 && Number.isInteger(rpe * 2))) {
    return ["rpe", "RPE goes from 1 to 10 in halves (8, 8.5, 9)."];
  }
  if (velocities.length > reps) {
    return ["velocities", `${velocities.length} velocities for ${reps} reps: give one per rep at most.`];
  }
  return null;
}

const SVG = "http://www.w3.org/2000/svg";
function s(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

// Mean velocity of each rep as bars from 0 m/s (the scale's top: the fastest rep plus a
// fifth, in tenths), each coloured by its band as the server gave it (core/velocity.py:
// fine, slowing, slow by the loss from the first rep); no band: not coloured.
export function bars(velocities, bands = []) {
  const W = 320, H = 150, top = 22, bottom = 24, side = 6;
  const n = velocities.length;
  const max = Math.max(0.3, Math.ceil(Math.max(...velocities) * 12) / 10);
  const slot = (W - 2 * side) / Math.max(n, 5);
  const width = Math.min(slot * 0.72, 56);
  const label = `Rep velocities: ${velocities.map((v) => v.toFixed(2)).join(", ")} m/s`;
  const svg = s("svg", { class: "chart vbars", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label });
  svg.append(s("title", {}, label));
  svg.append(s("line", { x1: side, x2: W - side, y1: H - bottom, y2: H - bottom, class: "axis" }));
  velocities.forEach((v, i) => {
    const cls = bands[i] || "fine";
    const height = Math.max(2, (v / max) * (H - top - bottom));
    const x = side + (W - 2 * side - n * slot) / 2 + i * slot + (slot - width) / 2;
    const y = H - bottom - height;
    svg.append(s("rect", { x, y, width, height, rx: 4, class: `bar ${cls}` }));
    if (n <= 12) svg.append(s("text", { x: x + width / 2, y: y - 6, class: "val" }, v.toFixed(2)));
    if (n <= 20) svg.append(s("text", { x: x + width / 2, y: H - 7, class: "rep" }, String(i + 1)));
  });
  return svg;
}

const mmss = (sec) => `${Math.floor(sec / 60)}:${String(Math.floor(sec % 60)).padStart(2, "0")}`;
const mins = (sec) => String(Math.round((sec / 60) * 10) / 10);

// How long to rest after a set of this kind: the PAP block's prescribed rest after a primer,
// 1-2 min after a warm-up, 2-3 min otherwise (ACSM 2009 for multi-joint strength sets).
export function restFor(kind, pap) {
  if (kind === "primer" && pap) {
    const r = pap.rest;
    return { low: r.low, high: r.high, label: `after the primer: ${mins(r.target)} min (${mins(r.low)}–${mins(r.high)})`, primer: true };
  }
  if (kind === "warmup") return { low: 60, high: 120, label: "1–2 min" };
  const between = pap?.working?.rest || 180;
  return { low: Math.min(120, between), high: Math.max(between, 120), label: `${mins(Math.min(120, between))}–${mins(Math.max(between, 120))} min` };
}

// Short tones through Web Audio (no sound files): the rest timer's end, a record. Browsers
// let a page make sound only after a tap, so the context is opened on the first one.
let audio = null;
export function unlockAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return null;
  if (!audio) audio = new Ctx();
  if (audio.state === "suspended") audio.resume();
  return audio;
}
document.addEventListener("pointerdown", unlockAudio, { once: true, capture: true });

export function chime(freqs, each = 0.16) {
  const ctx = audio;
  if (!ctx || ctx.state !== "running") return false;
  freqs.forEach((f, i) => {
    const at = ctx.currentTime + i * each;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = f;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + each * 0.95);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + each);
  });
  return true;
}

const KEY = "replog.rest";

// Starts when a set is logged; counts down to the target (the low end of its range), then
// up past it; beeps, buzzes and flashes when the target is reached, warns past its end.
// Kept across reloads (localStorage).
export class RestTimer {
  constructor(athleteId) {
    this.athlete = athleteId;
    this.el = document.getElementById("rest");
    this.clock = document.getElementById("rest-clock");
    this.say = document.getElementById("rest-say");
    document.getElementById("rest-stop").addEventListener("click", () => this.stop());
    document.getElementById("rest-more").addEventListener("click", () => this.more(30));
    try { this.state = JSON.parse(localStorage.getItem(KEY) || "null"); } catch { this.state = null; }
    const fresh = this.state && this.state.athlete === athleteId && Date.now() - this.state.start < 3600e3;
    if (fresh) this.show();
    else this.state = null;
  }

  start(target) {
    this.state = { ...target, athlete: this.athlete, start: Date.now(), buzzed: false };
    this.save();
    this.show();
  }

  more(sec) {
    if (!this.state) return;
    this.state.low += sec;
    this.state.high += sec;
    this.state.buzzed = false;
    this.state.extra = (this.state.extra || 0) + sec;
    this.save();
    this.tick();
  }

  stop() {
    this.state = null;
    localStorage.removeItem(KEY);
    clearInterval(this.timer);
    this.el.hidden = true;
  }

  save() { localStorage.setItem(KEY, JSON.stringify(this.state)); }

  show() {
    this.el.hidden = false;
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 250);
    this.tick();
  }

  tick() {
    const st = this.state;
    if (!st) return;
    const extra = st.extra ? ` (+${st.extra} s)` : "";
    document.getElementById("rest-target").textContent = `Target ${st.label}${extra}`;
    const sec = (Date.now() - st.start) / 1000;
    const left = st.low - sec;
    this.clock.textContent = left > 0 ? mmss(Math.ceil(left)) : `+${mmss(-left)}`;
    const phase = sec >= st.high ? "over" : sec >= st.low ? "due" : "resting";
    this.el.dataset.phase = phase;
    if (left > 0 && left <= 3 && Math.ceil(left) !== st.pip) { // 3, 2, 1
      st.pip = Math.ceil(left);
      chime([880], 0.09);
    }
    if (phase !== "resting" && !st.buzzed) {
      st.buzzed = true;
      this.save();
      chime([1320, 1320], 0.22);
      if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
      this.el.classList.remove("flash");
      void this.el.offsetWidth; // restart the animation
      this.el.classList.add("flash");
    }
    const text = phase === "over"
      ? (st.primer ? "Past the window: the primer's effect is fading. Lift now." : "Rest is over: lift when ready.")
      : phase === "due" ? "Rested: go when ready." : "";
    if (this.say.textContent !== text) this.say.textContent = text;
  }
}
