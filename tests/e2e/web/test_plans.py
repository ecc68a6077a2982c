"""Plans in the browser at phone size: the library and Follow, the template editor (a bad
document is refused with its path named and nothing saved; a good one is kept), today's
plan on Today with warm-ups and velocity-prescribed work sets, the session started from it,
Drive's plan line steered set by set (a drop-off holds the load), and a coach planning for
a lifter who gave write access."""

# ruff: noqa: RUF001 - the page writes the multiplication sign; so do the tests
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.e2e.web.conftest import overflowing, shoot, sign_up
from tests.e2e.web.test_drive import log_set, snap

VBT = "Velocity-based strength block (20% cut-off)"


def csrf(page: Any) -> str:
    return str(next(c["value"] for c in page.context.cookies() if c["name"] == "replog_csrf"))


def my_athlete(page: Any, web: Any) -> str:
    return str(page.request.get(f"{web.api}/auth/me").json()["athlete"]["id"])


def bad_and_good_documents(page: Any) -> None:
    """The editor: a document with an RPE of 12 is refused with its path, and saved fixed."""
    doc = json.loads(page.locator("#plan-doc").input_value())
    assert doc["schema"] == "replog.template/1"  # the starter
    doc["exercises"][0]["sets"][0] = {"reps": 5, "rpe": 12}
    page.fill("#plan-doc", json.dumps(doc))
    page.get_by_role("button", name="Save plan").click()
    error = page.locator("#plan-error")
    error.wait_for()
    assert error.inner_text().startswith("exercises[0].sets[0].rpe: ")
    assert "12" in error.inner_text()
    assert page.locator(".plan-item", has_text="My squat day").count() == 0
    page.reload()
    assert page.locator(".plan-item", has_text="My squat day").count() == 0  # nothing saved
    doc["exercises"][0]["sets"][0] = {"reps": 5, "count": 3, "rpe": 8}
    page.fill("#plan-doc", json.dumps(doc))
    page.get_by_role("button", name="Save plan").click()
    page.wait_for_url("**/plans?edit=*")
    mine = page.locator(".plan-item", has_text="My squat day")
    assert "Yours" in mine.inner_text()
    assert json.loads(page.locator("#plan-doc").input_value())["name"] == "My squat day"


def test_the_library_and_the_template_editor(web: Any, phone: Any, desktop: Any) -> None:
    page = phone
    sign_up(page, web.url, "pia")
    desktop.context.add_cookies(page.context.cookies())
    page.goto(f"{web.url}/more")
    page.get_by_role("link", name="Programs and templates").click()
    page.wait_for_url(f"{web.url}/plans")
    names = page.locator(".plan-item h3").all_inner_texts()
    assert VBT in names
    assert "Novice linear 3x5" in names
    assert page.locator("#following-none").is_visible()
    bad_and_good_documents(page)
    # the form adds an exercise to the document as the schema spells it
    page.locator("#builder summary").click()
    page.select_option("#b-exercise", "bench-press")
    page.select_option("#b-basis", "percent_e1rm")
    page.fill("#b-value", "75")
    page.get_by_role("button", name="Add to the document").click()
    added = json.loads(page.locator("#plan-doc").input_value())["weeks"][0]["days"][0]
    assert added["exercises"][-1]["exercise"] == "bench-press"
    assert added["exercises"][-1]["sets"][0]["percent_e1rm"] == 75
    with page.expect_navigation():
        page.get_by_role("button", name="Save changes").click()
    kept = json.loads(page.locator("#plan-doc").input_value())["weeks"][0]["days"][0]
    assert [e["exercise"] for e in kept["exercises"]] == ["back-squat", "bench-press"]
    page.get_by_role("button", name=f"Follow {VBT}").click()
    page.locator("#following-name").wait_for()
    assert page.locator("#following-name").inner_text() == VBT
    assert page.get_by_role("button", name=f"Follow {VBT}").count() == 0  # followed already
    assert overflowing(page) == []
    snap(page, "plans")
    desktop.goto(f"{web.url}/plans")
    assert overflowing(desktop) == []
    shoot(desktop, "plans")
    page.get_by_role("button", name="Stop following").click()
    page.locator("#following-none").wait_for()


def seed_squat_profile(page: Any, web: Any) -> None:
    """Squats with bar speed at two loads four days ago: a load-velocity profile, so the
    velocity block's loads can be found."""
    athlete = my_athlete(page, web)
    at = (datetime.now(UTC) - timedelta(days=4)).isoformat()
    for load, vs in ((60, [1.02, 1.0, 0.99]), (80, [0.84, 0.82, 0.8]), (100, [0.62, 0.6, 0.58])):
        r = page.request.post(
            f"{web.api}/athletes/{athlete}/sets",
            data={"exercise": "squat", "load": load, "reps": 3, "performed_at": at,
                  "velocities": vs},
            headers={"X-CSRF-Token": csrf(page)},
        )  # fmt: skip
        assert r.status == 201, r.text()


def test_a_new_lifter_follows_the_velocity_block_into_drive(
    web: Any, phone: Any, desktop: Any
) -> None:
    page = phone
    sign_up(page, web.url, "quinn")
    desktop.context.add_cookies(page.context.cookies())
    seed_squat_profile(page, web)
    page.goto(f"{web.url}/plans")
    page.get_by_role("button", name=f"Follow {VBT}").click()
    page.locator("#following-name").wait_for()
    page.get_by_role("link", name="Today").first.click()
    page.wait_for_url(f"{web.url}/")
    card = page.locator("#program")
    assert f"{VBT}: Week 1 day 1" in card.inner_text()
    squat = card.locator(".tp-ex[data-exercise=back-squat]")
    warmups = squat.locator("ol.warmups li")
    assert warmups.count() >= 2  # a ramp to the first work set
    work = squat.locator("ol.work li")
    assert work.count() == 3
    first = work.first.inner_text()
    assert "× 8" in first
    assert "at 0.80 m/s" in first
    assert "stop at 20 % loss (0.64 m/s)" in first
    assert "load to find" not in first  # the profile gave a load
    assert "rest 4 min" in squat.inner_text()
    # the bench has no profile yet: said so, not guessed
    assert "load-velocity profile" in card.locator(".tp-ex[data-exercise=bench-press]").inner_text()
    assert overflowing(page) == []
    snap(page, "today-plan")
    desktop.goto(f"{web.url}/")
    assert overflowing(desktop) == []
    shoot(desktop, "today-plan")

    page.get_by_role("button", name="Start this session").click()
    page.wait_for_url(f"{web.url}/drive?exercise=back-squat")
    line = page.locator("#plan-line")
    assert line.inner_text().startswith("Plan: set 1 of 3: 82.5 kg × 8")
    assert "at 0.80 m/s · stop at 20 % loss (0.64 m/s)" in line.inner_text()
    assert page.locator("#load").input_value() == "82.5"  # the planned set, filled in
    assert page.locator("#reps").input_value() == "8"

    # on target: the next set stays at the load
    log_set(page, 82.5, 8, "7", "0.84 0.84 0.83 0.83 0.82 0.82 0.81 0.81")
    line.filter(has_text="set 2 of 3").wait_for()
    assert line.inner_text().startswith("Plan: set 2 of 3: 82.5 kg × 8")
    assert "within 0.05 of the 0.80 target: stay at 82.5 kg" in line.inner_text()
    assert page.locator("#rest-target").inner_text() == "Target 4 min (the plan's rest)"
    # the second set is 12 % slower on average: a drop-off, and the cap holds the load even
    # though its first rep was fast enough to add weight
    log_set(page, 82.5, 8, "8", "0.86 0.80 0.76 0.72 0.70 0.68 0.66 0.64")
    line.filter(has_text="set 3 of 3").wait_for()
    assert page.locator("#verdict .cap").count() == 1
    assert line.inner_text().startswith("Plan: set 3 of 3: 82.5 kg × 8")
    assert "held at 82.5 kg (drop-off)" in line.inner_text()
    assert page.locator("#load").input_value() == "82.5"
    # one prescription: the program's, not a PAP block from the seeded history beside it
    assert page.locator("#pap-slot").inner_text().strip() == ""
    assert overflowing(page) == []
    snap(page, "drive-plan")
    desktop.goto(f"{web.url}/drive?exercise=back-squat")
    assert "held at 82.5 kg (drop-off)" in desktop.locator("#plan-line").inner_text()
    assert overflowing(desktop) == []
    shoot(desktop, "drive-plan")
    page.goto(f"{web.url}/")
    assert "Started: open Drive" in page.locator("#program").inner_text()
    # finished: Today turns to the program's next day, its loads by the program's rule from
    # how this session went
    page.goto(f"{web.url}/drive?exercise=back-squat")
    page.get_by_role("button", name="Finish session").click()
    page.get_by_text("Session finished").wait_for()
    page.goto(f"{web.url}/")
    card = page.locator("#program")
    assert f"{VBT}: Week 1 day 2" in card.inner_text()
    last = card.locator(".tp-ex[data-exercise=back-squat] .tp-last").inner_text()
    assert last.startswith("Last session: all reps in; ")
    day2 = card.locator(".tp-ex[data-exercise=back-squat] ol.work li").first.inner_text()
    assert "the load you move at 0.80 m/s on your profile" in day2  # the block's rule
    assert "load to find" not in day2
    assert page.get_by_role("button", name="Start this session").is_visible()
    snap(page, "today-plan-next")


def test_the_phone_sounds_each_rep_against_the_planned_target(web: Any, phone: Any) -> None:
    """Recording a planned set sends its target; the server's cue for each rep shows under
    the bars (a cue comes only with a target, so seeing one proves the target was sent)."""
    from tests.e2e.web.test_sensor import FEED, REPS, motion_events, simulated

    sign_up(phone, web.url, "rita")
    athlete = my_athlete(phone, web)
    headers = {"X-CSRF-Token": csrf(phone)}
    r = phone.request.put(f"{web.url}/api/v1/athletes/{athlete}/program",
                          data={"plan": "vbt-20-strength-block"}, headers=headers)  # fmt: skip
    assert r.status == 200, r.text()
    r = phone.request.post(f"{web.url}/api/v1/athletes/{athlete}/plan/start", headers=headers)
    assert r.status == 200, r.text()
    phone.goto(f"{web.url}/drive?exercise=back-squat&load=100")
    assert "Needs a load-velocity profile" in phone.locator("#plan-line").inner_text()
    phone.get_by_role("button", name="Record with this phone").click()
    phone.locator("#rec-status").filter(has_text="Recording").wait_for()
    cue = phone.locator("#rec-cue")
    assert cue.is_hidden()
    phone.evaluate(FEED, motion_events(simulated()))
    phone.locator("#rec-count").filter(has_text=f"{REPS} reps").wait_for()
    assert cue.is_visible()
    # the simulated reps move at 0.6-0.7 m/s: under the plan's 0.80 by more than 0.05, and
    # less than 20 % slower than the first: the last rep's cue is "slow", against 0.80
    assert cue.get_attribute("data-kind") == "slow"
    assert "target 0.80" in cue.inner_text()
    assert "slow" in (cue.get_attribute("class") or "")
    snap(phone, "drive-cue")
    # each kind's sound: a low tone when slow, two high ones when fast, a long triple one
    # and a buzz at the stop, a rising chime when done
    played = phone.evaluate(CUES)
    assert played["tones"]["slow"][0] < played["tones"]["on"][0]
    assert len(played["tones"]["fast"]) == 2
    assert len(played["tones"]["stop"]) == 3
    assert played["tones"]["done"] == sorted(played["tones"]["done"])
    assert len(played["buzzes"]) == 1  # only the stop buzzes
    assert (played["text"], played["kind"]) == ("T done", "done")


CUES = """async () => {
  const m = await import("/static/drive_plan.js");
  const buzzes = [];
  navigator.vibrate = (p) => { buzzes.push(p); return true; };
  const el = document.createElement("p"), tones = {};
  for (const k of ["on", "slow", "fast", "stop", "done"]) {
    tones[k] = m.playCue({kind: k, text: "T " + k}, el);
  }
  return {tones, buzzes, text: el.textContent, kind: el.dataset.kind};
}"""


def test_a_coach_with_write_access_plans_for_a_lifter(web: Any, phone: Any) -> None:
    from tests.e2e.api_support import Lifter

    lifter = Lifter(web)
    sign_up(phone, web.url, "coach-plan")
    r = lifter.http.post("/grants", json={"coach": "coach-plan", "can_write": True})
    assert r.status_code == 201, r.text
    phone.goto(f"{web.url}/team")
    phone.get_by_role("link", name="Plans").first.click()
    phone.wait_for_url(f"{web.url}/plans?athlete={lifter.athlete_id}")
    assert "you may log for them" in phone.get_by_role("note").inner_text()
    doc = json.loads(phone.locator("#plan-doc").input_value())
    doc["name"] = "Coach's squat day"
    phone.fill("#plan-doc", json.dumps(doc))
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save plan").click()
    assert f"athlete={lifter.athlete_id}" in phone.url
    phone.get_by_role("button", name="Follow Coach's squat day").click()
    phone.locator("#following-name").wait_for()
    assert phone.locator("#following-name").inner_text() == "Coach's squat day"
    # the lifter's own Today shows it, and the coach's view of it too
    phone.goto(f"{web.url}/?athlete={lifter.athlete_id}")
    assert "Coach's squat day" in phone.locator("#program").inner_text()
    # the coach's own log is untouched
    phone.goto(f"{web.url}/plans")
    assert phone.locator("#following-none").is_visible()
    lifter.close()


def test_a_read_only_coach_sees_the_plans_but_cannot_change_them(web: Any, phone: Any) -> None:
    from tests.e2e.api_support import Lifter

    lifter = Lifter(web)
    sign_up(phone, web.url, "coach-look")
    r = lifter.http.post("/grants", json={"coach": "coach-look", "can_write": False})
    assert r.status_code == 201, r.text
    phone.goto(f"{web.url}/plans?athlete={lifter.athlete_id}")
    assert phone.locator(".plan-item").count() >= 4
    assert phone.get_by_role("button", name="Follow").count() == 0
    assert phone.locator("#plan-form").count() == 0
    r = phone.request.put(f"{web.url}/api/v1/athletes/{lifter.athlete_id}/program",
                          data={"plan": "novice-linear-3x5"},
                          headers={"X-CSRF-Token": csrf(phone)})  # fmt: skip
    assert r.status == 403
    assert r.json()["error"]["code"] == "forbidden"
    lifter.close()
