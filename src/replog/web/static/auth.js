import { api, ApiError } from "./app.js";

const form = document.getElementById("auth");
const error = document.getElementById("auth-error");

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  error.hidden = true;
  const data = new FormData(form);
  const username = String(data.get("username")).trim();
  const password = String(data.get("password"));
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    if (form.dataset.mode === "signup") {
      await api("POST", "/auth/signup", { username, password, unit: data.get("unit") || "kg" });
    }
    await api("POST", "/auth/login", { username, password, kind: "session" });
    location.assign(form.dataset.next || "/");
  } catch (e) {
    error.textContent = e instanceof ApiError ? e.message : "The server did not answer. Try again.";
    error.hidden = false;
    if (e.field) document.getElementById(e.field)?.focus();
  } finally {
    button.disabled = false;
  }
});
