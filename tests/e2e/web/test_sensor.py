"""The phone as the sensor: a simulated squat set of five reps, fed to the page as
DeviceMotion events at 100 Hz, streams to the server; the page shows each rep as it is
detected, and Stop logs the set with five reps."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from replog.core.signal.sim import SimConfig, SimulatedSet, simulate_set
from tests.e2e.web.conftest import overflowing, sign_up
from tests.e2e.web.test_drive import snap

REPS = 5


@cache
def simulated() -> SimulatedSet:
    """Five squats at 70 % with a bar-mounted IMU in a random orientation, gravity included
    (what ``accelerationIncludingGravity`` reports), the rack and the rests around them."""
    cfg = SimConfig(lift="squat", reps=REPS, pct_1rm=0.7, rate_hz=100, grade="good_imu", seed=1)
    return simulate_set(cfg)


def motion_events(s: SimulatedSet) -> dict[str, list[Any]]:
    """The recording as DeviceMotion would give it: m/s² and deg/s, times in ms."""
    return {
        "t": (s.imu.t * 1000).round(3).tolist(),
        "acc": s.imu.acc.round(4).tolist(),
        "gyro": np.degrees(s.imu.gyro).round(4).tolist(),
    }


# Dispatch the trace as devicemotion events, 25 samples per 10 ms of wall time; each event
# carries its own timestamp (the recording's clock), as a phone's events do.
FEED = """async ({t, acc, gyro}) => {
  for (let i = 0; i < t.length; i += 25) {
    for (let j = i; j < Math.min(i + 25, t.length); j++) {
      const ev = new DeviceMotionEvent("devicemotion", {
        accelerationIncludingGravity: {x: acc[j][0], y: acc[j][1], z: acc[j][2]},
        rotationRate: {alpha: gyro[j][2], beta: gyro[j][0], gamma: gyro[j][1]},
        interval: 10,
      });
      Object.defineProperty(ev, "timeStamp", {value: t[j]});
      window.dispatchEvent(ev);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}"""


def test_a_set_recorded_with_the_phone_shows_each_rep_and_is_logged(web: Any, phone: Any) -> None:
    s = simulated()
    assert len(s.truth) == REPS
    sign_up(phone, web.url, "hana")
    phone.goto(f"{web.url}/drive?exercise=squat&load=100")
    phone.locator("label[for=rpe-8]").click()
    phone.get_by_role("button", name="Record with this phone").click()
    status = phone.locator("#rec-status")
    status.filter(has_text="Recording").wait_for()
    phone.evaluate(FEED, motion_events(s))
    count = phone.locator("#rec-count")
    count.filter(has_text=f"{REPS} reps").wait_for()
    phone.wait_for_timeout(500)  # nothing more arrives: exactly five
    assert count.inner_text().startswith(f"{REPS} reps · rep {REPS}: ")
    assert phone.locator("#rec-bars rect.bar").count() == REPS
    truth = [round(r.mcv, 2) for r in s.truth]
    label = phone.locator("#rec-bars svg").get_attribute("aria-label") or ""
    shown = [float(x) for x in label.split(": ")[1].removesuffix(" m/s").split(", ")]
    assert np.allclose(shown, truth, atol=0.06), (shown, truth)
    assert overflowing(phone) == []
    snap(phone, "sensor")

    phone.get_by_role("button", name="Stop and log").click()
    phone.locator("#sets li").first.wait_for()
    assert phone.locator("#rec-status").inner_text() == "Logged."
    assert phone.locator("#verdict svg.vbars rect.bar").count() == REPS
    assert phone.locator("#reps").input_value() == str(REPS)
    assert phone.locator("#rest").is_visible()

    me = phone.request.get(f"{web.api}/auth/me").json()
    sessions = phone.request.get(f"{web.api}/athletes/{me['athlete']['id']}/sessions").json()
    assert [x["set_count"] for x in sessions] == [1]
    assert sessions[0]["rep_count"] == REPS
    session = phone.request.get(f"{web.api}/sessions/{sessions[0]['id']}").json()
    (logged,) = session["sets"]
    assert logged["exercise"] == "back-squat"
    assert logged["reps"] == REPS
    assert logged["rpe"] == 8
    assert logged["load"]["value"] == "100"
    assert len([r for r in logged["rep_data"] if r["mcv"]]) == REPS


def test_refused_motion_access_is_said_plainly(web: Any, phone: Any) -> None:
    sign_up(phone, web.url, "ivo")
    phone.goto(f"{web.url}/drive?exercise=squat&load=100")
    # iOS: DeviceMotionEvent.requestPermission() exists and the lifter taps "Don't Allow"
    phone.evaluate("DeviceMotionEvent.requestPermission = async () => 'denied'")
    phone.get_by_role("button", name="Record with this phone").click()
    status = phone.locator("#rec-status")
    status.filter(has_text="refused").wait_for()
    assert "Motion access was refused" in status.inner_text()
    assert phone.get_by_role("button", name="Record with this phone").is_enabled()
    assert phone.locator("#sets li").count() == 0


TRACK_SOCKETS = """
window.__sockets = [];
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(...args) { super(...args); window.__sockets.push(this); }
};
"""


def test_a_lost_connection_keeps_the_reps_measured_for_logging_by_hand(
    web: Any, phone: Any
) -> None:
    s = simulated()
    sign_up(phone, web.url, "jon")
    phone.add_init_script(TRACK_SOCKETS)
    phone.goto(f"{web.url}/drive?exercise=squat&load=100")
    phone.get_by_role("button", name="Record with this phone").click()
    phone.locator("#rec-status").filter(has_text="Recording").wait_for()
    phone.evaluate(FEED, motion_events(s))
    phone.locator("#rec-count").filter(has_text=f"{REPS} reps").wait_for()
    phone.evaluate("window.__sockets.forEach((w) => w.close())")  # the connection drops
    status = phone.locator("#rec-status")
    status.filter(has_text="dropped").wait_for()
    assert "Log it by hand" in status.inner_text()
    assert phone.locator("#reps").input_value() == str(REPS)
    velocities = phone.locator("#velocities").input_value().split()
    assert len(velocities) == REPS
    phone.get_by_role("button", name="Log set").click()
    phone.locator("#sets li").first.wait_for()
    assert phone.locator("#verdict svg.vbars rect.bar").count() == REPS
