// More: the lifter's bar and plates, for Drive's plate math (per unit, kept on the account;
// offline, the change waits in the outbox and counts at once on this phone).
import { send, toast, ApiError } from "./app.js";
import { SIZES, gear, gearPath, settled } from "./plates.js";

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

// Send a change to the account (queued when offline), then show what now counts.
async function keep(u, write, said) {
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const r = await write();
    if (r.sent) settled(u, r.doc);
    show(u);
    toast(r.sent ? said : `${said} On this phone now; your account gets it when you are back online.`);
  } catch (e) {
    fail(e instanceof ApiError ? e.message : String(e), bar);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
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
    problem.hidden = true;
    const u = unit();
    const what = `bar ${weight} ${u}, plates ${plates.sort((a, b) => b - a).join(", ")}`;
    keep(u, () => send("PUT", gearPath(u), { bar: weight, plates }, "plates"), `Plates saved: ${what}.`);
  });
  document.getElementById("plates-reset").addEventListener("click", () => {
    const u = unit();
    keep(u, () => send("DELETE", gearPath(u), undefined, "plates"), "Back to the gym defaults.");
  });
  // the unit switch above: show that unit's plates
  document.getElementById("unit-form")?.addEventListener("change", (ev) => show(ev.target.value));
}
