// Plate math: which plates go on each side of the bar for a load, and whether it can be
// made exactly. A commercial gym's plates (no 25 kg / 55 lb bumpers), largest first.

export const BAR = { kg: 20, lb: 45 };
export const PLATES = { kg: [20, 15, 10, 5, 2.5, 1.25], lb: [45, 35, 25, 10, 5, 2.5] };

const CENTS = 1000; // work in thousandths, so that 1.25 and 2.5 add up exactly

// { bar, perSide: [[plate, count], ...], exact, lower, higher, below }
// lower/higher: the nearest loads that can be made when this one cannot.
export function platesFor(load, unit = "kg") {
  const bar = BAR[unit] ?? BAR.kg;
  const plates = PLATES[unit] ?? PLATES.kg;
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
export function describe(load, unit = "kg") {
  const r = platesFor(load, unit);
  if (!r) return "";
  if (r.below) return `Below the bar: an empty bar is ${r.bar} ${unit}.`;
  if (!r.exact) {
    return `${fmt(load)} ${unit} cannot be made exactly with ${fmt(PLATES[unit].at(-1))} ${unit} ` +
      `plates: nearest ${fmt(r.lower)} or ${fmt(r.higher)} ${unit}.`;
  }
  if (!r.perSide.length) return `Just the bar (${r.bar} ${unit}).`;
  return `Per side: ${sideText(r.perSide)} ${unit} (bar ${r.bar} ${unit}).`;
}
