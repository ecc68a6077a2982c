// Plate math: which plates go on each side of the bar for a load, and whether it can be
// made exactly. By default a commercial gym's plates (no 25 kg / 55 lb bumpers); the lifter
// can set their own bar and plates on More. They are kept on the account: the page carries
// them (body data-gear), and a change not yet sent waits in the outbox, where it counts
// first, so the plate math follows it offline too.

import { readOutbox } from "./app.js";

export const BAR = { kg: 20, lb: 45 };
export const PLATES = { kg: [20, 15, 10, 5, 2.5, 1.25], lb: [45, 35, 25, 10, 5, 2.5] };
// The sizes More offers to choose from.
export const SIZES = {
  kg: [25, 20, 15, 10, 5, 2.5, 2, 1.25, 1, 0.5, 0.25],
  lb: [55, 45, 35, 25, 15, 10, 5, 2.5, 1.25],
};

export const gearPath = (unit) => `/athletes/${document.body.dataset.athlete}/gear/${unit}`;

function onAccount() { // {unit: {bar, plates}} for the units with the lifter's own
  try { return JSON.parse(document.body.dataset.gear || "{}"); } catch { return {}; }
}

// The server now has `doc` ({bar, plates}) for `unit`, or the defaults (null).
export function settled(unit, doc) {
  const all = onAccount();
  if (doc && doc.own !== false) all[unit] = { bar: doc.bar, plates: doc.plates };
  else delete all[unit];
  document.body.dataset.gear = JSON.stringify(all);
}

// A change still in the outbox: {bar, plates}, null (back to the defaults) or undefined.
function waiting(unit) {
  const last = readOutbox().filter((i) => i.path === gearPath(unit)).at(-1);
  if (!last) return undefined;
  return last.method === "DELETE" ? null : last.body;
}

// { bar, plates (largest first) } for a unit: the lifter's own, or the defaults.
export function gear(unit = "kg") {
  const u = unit in BAR ? unit : "kg";
  const pending = waiting(u);
  const mine = pending === undefined ? onAccount()[u] : pending;
  const ok = mine && mine.bar >= 0 && Array.isArray(mine.plates) && mine.plates.length > 0;
  return ok ? { bar: mine.bar, plates: [...mine.plates].sort((a, b) => b - a) }
    : { bar: BAR[u], plates: PLATES[u] };
}

document.addEventListener("replog:sent", (ev) => { // a queued change reached the account
  const { item, doc } = ev.detail;
  for (const unit of Object.keys(BAR)) {
    if (item.path === gearPath(unit)) settled(unit, item.method === "DELETE" ? null : doc);
  }
});

const CENTS = 1000; // work in thousandths, so that 1.25 and 2.5 add up exactly

// { bar, perSide: [[plate, count], ...], exact, lower, higher, below }
// lower/higher: the nearest loads that can be made when this one cannot.
export function platesFor(load, unit = "kg", kit = gear(unit)) {
  const { bar, plates } = kit;
  if (!Number.isFinite(load) || load < 0) return null;
  if (load < bar) return { bar, perSide: [], exact: false, below: true, lower: null, higher: bar };
  let side = Math.round(((load - bar) / 2) * CENTS);
  const perSide = [];
  for (const p of plates) {
    const q = Math.round(p * CENTS);
    const n = Math.floor(side / q);
    if (n > 0) {
      perSide.push([p, n]);
      side -= n * q;
    }
  }
  const smallest = plates[plates.length - 1];
  const made = load - (2 * side) / CENTS;
  const exact = side === 0;
  const round = (x) => Math.round(x * CENTS) / CENTS;
  return {
    bar, perSide, exact, below: false,
    lower: exact ? null : round(made),
    higher: exact ? null : round(made + 2 * smallest),
  };
}

const fmt = (x) => String(Math.round(x * 1000) / 1000);

// "2×20 + 2.5" (one side), or "" for the bare bar
export function sideText(perSide) {
  return perSide.map(([p, n]) => (n > 1 ? `${n}×${fmt(p)}` : fmt(p))).join(" + ");
}

// One sentence for a screen reader and a glance.
export function describe(load, unit = "kg", kit = gear(unit)) {
  const r = platesFor(load, unit, kit);
  if (!r) return "";
  if (r.below) return `Below the bar: an empty bar is ${r.bar} ${unit}.`;
  if (!r.exact) {
    return `${fmt(load)} ${unit} cannot be made exactly with ${fmt(kit.plates.at(-1))} ${unit} ` +
      `plates: nearest ${fmt(r.lower)} or ${fmt(r.higher)} ${unit}.`;
  }
  if (!r.perSide.length) return `Just the bar (${r.bar} ${unit}).`;
  return `Per side: ${sideText(r.perSide)} ${unit} (bar ${r.bar} ${unit}).`;
}
