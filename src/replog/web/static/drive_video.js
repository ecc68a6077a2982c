// Drive: a side-view video of a logged set gives its reps (issue 22). Each logged row gets
// a Video button; the lifter films the set (or picks a video), the page uploads it as it is
// to POST /api/v1/sets/{id}/video (src/replog/api/routes_video.py), and shows each rep's
// MCV and ROM. The set's row and the verdict card are redrawn by drive.js, from the same
// document the sensor gives (the "replog:attached" event). When the server finds no plate,
// the video's first frame (POST /video/preview) is shown to be tapped on the plate, and
// the upload is sent again with that point, in the video's own pixels.
import { upload, ApiError } from "./app.js";
import { bars, h } from "./drive_ui.js";

const list = document.getElementById("sets");
const canWrite = document.body.dataset.canWrite === "yes";
const PLATES = [["0.45", "45 cm (20 kg, 45 lb)"], ["0.35", "35 cm (10–15 kg)"], ["0.25", "25 cm (5 kg)"]];

const asVideo = (file) => (file.type ? file : new Blob([file], { type: "video/mp4" }));
const pct = (x) => `${Math.round(x * 100)} %`;

function explain(e) {
  if (e instanceof ApiError && e.status === 413) return "The video is too big for the server: trim it to the set.";
  if (e instanceof ApiError && e.status) return e.message.charAt(0).toUpperCase() + e.message.slice(1);
  return "No connection: measuring a video needs the network. Try again when you are back.";
}

// each rep's numbers, under the bars of their speeds
function repList(doc) {
  const items = doc.reps.map((r) => h("li", {},
    h("strong", {}, `Rep ${r.index}`), ` ${r.mcv.toFixed(2)} m/s · ROM ${Math.round(r.rom * 100)} cm`,
    r.confidence < 0.8 ? h("span", { class: "muted" }, ` · confidence ${pct(r.confidence)}`) : "",
    r.quality.length ? h("span", { class: "muted" }, ` · ${r.quality.join(", ").replaceAll("_", " ")}`) : ""));
  return h("ol", { class: "video-reps" }, ...items);
}

function panelFor(row, button) {
  const id = row.dataset.id;
  const status = h("p", { class: "rec-status", role: "status", "aria-live": "polite" });
  const progress = h("progress", { max: "1", value: "0", hidden: "" });
  const result = h("div", { class: "video-result" });
  const plate = h("select", { id: `video-plate-${id}` },
    ...PLATES.map(([v, text]) => h("option", { value: v }, text)));
  const input = h("input", {
    type: "file", accept: "video/*", capture: "environment", id: `video-file-${id}`, class: "video-file",
  });
  const panel = h("div", { class: "set-video", role: "group", "aria-label": `Video of ${button.dataset.what}` },
    h("p", { class: "muted small" },
      "Film from the side with the bar end-on and the whole plate in view, 60 fps if you can."),
    h("div", { class: "video-fields" },
      h("div", {}, h("label", { for: plate.id }, "Plate diameter"), plate),
      h("label", { class: "button primary video-pick", for: input.id }, "Film or choose a video")),
    input, progress, status, result);

  let file = null;
  const say = (text, state = "") => { status.textContent = text; status.className = `rec-status ${state}`; };

  async function send(tap = null, updateReps = false) {
    const query = new URLSearchParams({ plate_diameter: plate.value });
    if (tap) query.set("tap", `${Math.round(tap[0])},${Math.round(tap[1])}`);
    if (updateReps) query.set("update_reps", "true");
    result.replaceChildren();
    progress.hidden = false;
    progress.value = 0;
    say("Uploading…", "recording");
    input.disabled = true;
    try {
      const doc = await upload(`/sets/${id}/video?${query}`, asVideo(file), (done) => {
        progress.value = done;
        if (done >= 1) say("Measuring… the plate is followed frame by frame.", "recording");
      });
      say(`${doc.reps.length} rep${doc.reps.length === 1 ? "" : "s"} from the video.`, "done");
      result.replaceChildren(bars(doc.reps.map((r) => r.mcv), doc.verdict?.set?.rep_bands), repList(doc),
        ...doc.warnings.map((w) => h("p", { class: "muted small" }, `Note: ${w}.`)));
      document.dispatchEvent(new CustomEvent("replog:attached", { detail: doc }));
      // the row was redrawn: keep this panel under the new one
      const fresh = [...list.children].find((li) => li.dataset.id === id);
      if (fresh && fresh !== row) { row = fresh; fresh.append(panel); }
    } catch (e) {
      if (!tap && e instanceof ApiError && e.status === 422 && e.field === "plate") {
        await askTap();
      } else if (e instanceof ApiError && e.status === 422 && e.field === "reps") {
        // the video counted other reps than were logged: the lifter says which is right
        say(explain(e), "failed");
        const take = h("button", { type: "button" }, "Take the video's rep count");
        take.addEventListener("click", () => send(tap, true), { once: true });
        result.replaceChildren(take);
      } else {
        say(explain(e), "failed");
      }
    } finally {
      progress.hidden = true;
      input.disabled = false;
    }
  }

  // no plate found: the first frame, to be tapped where the plate is
  async function askTap() {
    say("No plate found. Getting the first frame…", "recording");
    let frame;
    try {
      frame = await upload("/video/preview", asVideo(file));
    } catch (e) {
      say(explain(e), "failed");
      return;
    }
    const img = h("img", {
      class: "video-frame", alt: "The video's first frame: tap the middle of the plate",
      src: `data:image/jpeg;base64,${frame.jpeg}`,
    });
    say("No plate found: tap the middle of the plate on this frame.", "failed");
    img.addEventListener("click", (ev) => {
      const box = img.getBoundingClientRect();
      const x = ((ev.clientX - box.left) / box.width) * frame.width;
      const y = ((ev.clientY - box.top) / box.height) * frame.height;
      send([x, y]);
    }, { once: true });
    result.replaceChildren(img);
  }

  input.addEventListener("change", () => {
    file = input.files?.[0] || null;
    if (file) send();
  });
  return panel;
}

function toggle(row, button) {
  const old = row.querySelector(".set-video");
  if (old) { old.remove(); button.setAttribute("aria-expanded", "false"); return; }
  row.append(panelFor(row, button));
  button.setAttribute("aria-expanded", "true");
}

function addButtons() {
  for (const row of list.querySelectorAll(".set-row:not(.queued)")) {
    if (row.querySelector(":scope > .video-btn")) continue;
    const what = `set ${row.querySelector(".pos")?.textContent || ""}`;
    const button = h("button", {
      type: "button", class: "video-btn", "aria-label": `Video of ${what}`,
      "aria-expanded": row.querySelector(":scope > .set-video") ? "true" : "false",
      "data-what": what,
    }, "Video");
    button.addEventListener("click", () => toggle(row.closest(".set-row"), button));
    (row.querySelector(":scope > .edit") || row.querySelector(".speed")).after(button);
  }
}

if (list && canWrite) {
  addButtons();
  new MutationObserver(addButtons).observe(list, { childList: true });
}
