// More: the lifter's bar and plates, for Drive's plate math (kept on this device, per unit).
import { toast } from "./app.js";
import { BAR, PLATES, SIZES, gear, saveGear } from "./plates.js";

const form = document.getElementById("plates-form");
const bar = document.getElementById("bar-weight");
const sizes = document.getElementById("plate-sizes");
const problem = document.getElementById("plates-error");
let shown = document.body.dataset.unit === "lb" ? "lb" : "kg"; // the unit on screen
const unit = () => shown;

function show(u) {
  shown = u === "lb" ? "lb" : "kg";
  const kit = gear(shown);
  document.querySelectorAll(".plates-unit").forEach((el) => { el.textContent = shown; });
  bar.value = String(kit.bar);
  const have = new Set(kit.plates);
  const legend = sizes.querySelector("legend");
  sizes.replaceChildren(legend, ...SIZES[shown].flatMap((size) => {
    const id = `plate-${shown}-${String(size).replace(".", "-")}`;
    const box = Object.assign(document.createElement("input"), {
      type: "checkbox", id, value: String(size), checked: have.has(size),
    });
    const label = Object.assign(document.createElement("label"), { htmlFor: id, textContent: String(size) });
    label.setAttribute("aria-label", `${size} ${shown}`);
    return [box, label];
  }));
  problem.hidden = true;
}

function fail(message, el) {
  problem.textContent = message;
  problem.hidden = false;
  el.focus();
}

if (form) {
  show(shown);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const weight = Number(bar.value);
    if (bar.value.trim() === "" || !Number.isFinite(weight) || weight < 0 || weight > 60) {
      return fail(`The bar's weight is a number from 0 to 60 ${unit()}.`, bar);
    }
    const plates = [...sizes.querySelectorAll("input:checked")].map((b) => Number(b.value));
    if (!plates.length) return fail("Choose at least one plate size.", sizes.querySelector("input"));
    saveGear(unit(), weight, plates);
    problem.hidden = true;
    toast(`Plates saved: bar ${weight} ${unit()}, plates ${plates.sort((a, b) => b - a).join(", ")}.`);
  });
  document.getElementById("plates-reset").addEventListener("click", () => {
    saveGear(unit(), BAR[unit()], PLATES[unit()]);
    show(shown);
    toast("Back to the gym defaults.");
  });
  // the unit switch above: show that unit's plates
  document.getElementById("unit-form")?.addEventListener("change", (ev) => show(ev.target.value));
}
