// The phone as the sensor: DeviceMotion samples streamed to the server's WebSocket
// (/api/v1/athletes/{id}/stream; the protocol is in src/replog/api/stream.py), which
// answers each rep as it is detected and logs the set at the end.
//
// Samples: accelerationIncludingGravity (m/s², device axes x, y, z) and rotationRate
// (deg/s; alpha turns about z, beta about x, gamma about y, so the vector sent is
// [beta, gamma, alpha]); t = event.timeStamp / 1000 s. Batched every 100 ms.

export class SensorError extends Error {}

const SEND_EVERY_MS = 100;
const SILENT_MS = 2500; // no samples for this long after the start: say so

// Ask for motion data. iOS wants DeviceMotionEvent.requestPermission() called from a tap:
// call this first thing in the click handler, before any other await.
export async function askMotion() {
  const DME = window.DeviceMotionEvent;
  if (typeof DME === "undefined") {
    throw new SensorError("This browser gives no motion data. Open RepLog on your phone to record with it.");
  }
  if (typeof DME.requestPermission === "function") {
    let answer;
    try {
      answer = await DME.requestPermission();
    } catch {
      throw new SensorError("Motion access needs a tap on the button itself: tap Record again.");
    }
    if (answer !== "granted") {
      throw new SensorError(
        "Motion access was refused. Allow it (Safari: Settings › Safari › Motion & Orientation " +
        "Access, or close and reopen the page and tap Allow), then tap Record again.");
    }
  }
}

function streamUrl(athleteId) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/v1/athletes/${encodeURIComponent(athleteId)}/stream`;
}

// One recorded set. Handlers: onState(state, text), onReady(msg), onRep(msg), onSet(doc),
// onError(message). States: asking, connecting, recording, logging, done, failed.
export class Recorder {
  constructor(athleteId, handlers) {
    this.athleteId = athleteId;
    this.h = handlers;
    this.ws = null;
    this.state = "idle";
    this.buf = { t: [], acc: [], gyro: [] };
    this.lastT = -Infinity;
    this.samples = 0;
    this.onMotion = (ev) => this.sample(ev);
  }

  get busy() {
    return ["asking", "connecting", "recording", "logging"].includes(this.state);
  }

  setState(state, text) {
    this.state = state;
    this.h.onState?.(state, text);
  }

  fail(message) {
    if (this.state === "failed" || this.state === "done") return;
    this.detach();
    this.setState("failed", message);
    this.h.onError?.(message);
    if (this.ws && this.ws.readyState <= 1) this.ws.close();
  }

  // set: the start message's set fields (id, exercise, load, unit, rpe, kind, session_id);
  // target: a planned set's {velocity, velocity_loss_pct, reps}, or null (then no cues)
  async start(set, target = null) {
    if (this.busy) return;
    this.setState("asking", "Asking for motion access…");
    try {
      await askMotion();
    } catch (e) {
      this.fail(e.message);
      return;
    }
    this.setState("connecting", "Connecting…");
    this.buf = { t: [], acc: [], gyro: [] };
    this.samples = 0;
    let ws;
    try {
      ws = new WebSocket(streamUrl(this.athleteId));
    } catch {
      this.fail("Could not reach the server: recording needs a connection.");
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      const start = { type: "start", sensor: "imu", set, accel_unit: "m/s2", gyro_unit: "deg/s" };
      if (target) start.target = target;
      ws.send(JSON.stringify(start));
    };
    ws.onmessage = (ev) => this.message(ev.data);
    ws.onerror = () => {}; // the close event follows and says what happened
    ws.onclose = () => {
      if (this.state === "connecting") this.fail("Could not reach the server: recording needs a connection.");
      else if (this.state === "recording" || this.state === "logging") {
        this.fail("The connection dropped before the set was logged. Log it by hand below.");
      }
    };
  }

  message(text) {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    if (msg.type === "ready") {
      this.attach();
      this.setState("recording", "Recording: lift when ready.");
      this.h.onReady?.(msg);
    } else if (msg.type === "rep") {
      this.h.onRep?.(msg);
    } else if (msg.type === "set") {
      this.setState("done", "Logged.");
      this.h.onSet?.(msg);
    } else if (msg.type === "error") {
      const e = msg.error || {};
      const where = e.field ? ` (${e.field})` : "";
      this.fail(`${e.message || "The server refused the recording"}${where}.`);
    }
  }

  attach() {
    window.addEventListener("devicemotion", this.onMotion);
    this.timer = setInterval(() => this.flush(), SEND_EVERY_MS);
    this.silence = setTimeout(() => {
      if (this.samples === 0 && this.state === "recording") {
        this.h.onState?.("recording",
          "No motion data is arriving: this device may have no motion sensor, or access is blocked.");
      }
    }, SILENT_MS);
  }

  detach() {
    window.removeEventListener("devicemotion", this.onMotion);
    clearInterval(this.timer);
    clearTimeout(this.silence);
  }

  sample(ev) {
    const a = ev.accelerationIncludingGravity;
    if (!a || a.x == null || a.y == null || a.z == null) return;
    const t = ev.timeStamp / 1000;
    if (!(t > this.lastT)) return; // the server wants time to increase
    this.lastT = t;
    const r = ev.rotationRate || {};
    this.buf.t.push(t);
    this.buf.acc.push([a.x, a.y, a.z]);
    this.buf.gyro.push([r.beta ?? 0, r.gamma ?? 0, r.alpha ?? 0]);
    if (this.samples++ === 0) this.h.onState?.("recording", "Recording: the bar is moving.");
  }

  flush() {
    if (!this.buf.t.length || !this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    const batch = this.buf;
    this.buf = { t: [], acc: [], gyro: [] };
    this.ws.send(JSON.stringify({ type: "samples", ...batch }));
  }

  stop() {
    if (this.state !== "recording") return;
    this.detach();
    this.flush();
    this.setState("logging", "Logging the set…");
    this.ws.send(JSON.stringify({ type: "end" }));
  }

  cancel() {
    this.detach();
    const open = this.ws && this.ws.readyState <= 1;
    this.setState("idle", "");
    if (open) this.ws.close();
  }
}
