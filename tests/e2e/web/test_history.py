"""History and charts: a lifter's sessions (set up over the API) seen in the browser, the
session with its drop-off and chart, the exercise's records and profile, the battery and
the "does it help me?" page; and nobody else's sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.e2e.api_support import Lifter
from tests.e2e.web.conftest import overflowing, shoot, sign_in

SQUAT_DAYS = (
    # (days ago, working sets at 100 kg: (rpe, velocities)), after a ramp of single loads
    (9, [(7, [0.70, 0.69, 0.67, 0.66, 0.64]), (7.5, [0.69, 0.68, 0.66, 0.64, 0.62])]),
    (5, [(7, [0.71, 0.70, 0.68, 0.66, 0.65]), (7.5, [0.70, 0.68, 0.67, 0.65, 0.63])]),
    (0, [
        (7, [0.70, 0.69, 0.67, 0.66, 0.64]),
        (7.5, [0.69, 0.68, 0.66, 0.64, 0.63]),
        (8, [0.60, 0.58, 0.56, 0.54, 0.52]),  # 16.7 % slower than set 1: a drop-off
    ]),
)  # fmt: skip
RAMP = ((60, 3, 1.02), (80, 2, 0.86), (120, 1, 0.47))  # load, reps, velocity


def squat_sessions(lifter: Lifter, server: Any) -> list[str]:
    """Three squat sessions over nine days; the last one ends in a drop-off."""
    now = datetime.now(UTC)
    ids = []
    for days_ago, working in SQUAT_DAYS:
        start = now - timedelta(days=days_ago, hours=2)
        r = lifter.http.post(
            f"/athletes/{lifter.athlete_id}/sessions",
            json={"started_at": start.isoformat(), "name": "Heavy squat"},
        )
        assert r.status_code == 201, r.text
        sid = r.json()["id"]
        ids.append(sid)
        at = start
        for load, reps, v in RAMP:
            at += timedelta(minutes=4)
            lifter.log("squat", load, reps, kind="warmup", velocities=[v] * reps,
                       session_id=sid, performed_at=at.isoformat())  # fmt: skip
        for rpe, velocities in working:
            at += timedelta(minutes=4)
            lifter.log(
                "squat", 100, 5, rpe=rpe, velocities=velocities, session_id=sid,
                performed_at=at.isoformat(), tags=["cue: knees out"] if days_ago == 0 else [],
            )  # fmt: skip
    today = now.astimezone().date()
    for i, (sleep, quality) in enumerate(((7.5, 4), (6, 2), (8, 4))):
        day = (today - timedelta(days=2 - i)).isoformat()
        r = lifter.http.put(
            f"/athletes/{lifter.athlete_id}/checkins/{day}",
            json={"sleep_h": sleep, "sleep_quality": quality, "stress": 2, "soreness": 3},
        )
        assert r.status_code in (200, 201), r.text
    return ids


def test_history_session_exercise_battery_insights(web: Any, phone: Any, desktop: Any) -> None:
    ana = Lifter(web, "ana-history")
    session_ids = squat_sessions(ana, web)
    ana.close()
    sign_in(phone, web.url, "ana-history")

    # the sessions, newest first, the last with its drop-off
    phone.get_by_role("link", name="History").first.click()
    phone.wait_for_url(f"{web.url}/history")
    rows = phone.locator("ol.sessions > li")
    assert rows.count() == 3
    newest = rows.first
    assert "Heavy squat" in newest.inner_text()
    assert "Drop-off 16.7 %" in newest.locator(".drop").inner_text()
    assert phone.get_by_role("link", name="Sessions").get_attribute("aria-current") == "page"
    assert overflowing(phone) == []
    shoot(phone, "history")

    # the session: its sets, the drop-off banner, and a chart with one bar per set
    newest.get_by_role("link").click()
    phone.wait_for_url(f"{web.url}/history/{session_ids[-1]}")
    banner = phone.get_by_role("alert")
    assert "drop-off" in banner.inner_text().lower()
    assert "set 6" in banner.inner_text()  # three warm-ups, then the third working set
    block = phone.locator("section.exercise-block")
    chart = block.locator("svg[role=img]")
    assert chart.count() == 1
    assert "Back Squat" in (chart.get_attribute("aria-label") or "")
    assert chart.locator("rect.mark").count() == 6
    assert chart.locator("rect.mark.ref").count() == 1
    assert chart.locator("rect.mark.drop").count() == 1
    assert chart.locator("line.threshold").count() >= 1
    assert "dropped" in (block.locator("li.set").nth(5).get_attribute("class") or "")
    assert overflowing(phone) == []
    shoot(phone, "session")

    # the exercise: its records and its load-velocity profile with the band
    block.get_by_role("link", name="Back Squat").click()
    phone.wait_for_url(f"{web.url}/exercises/back-squat")
    records = phone.locator(".prs").inner_text()
    assert "Heaviest" in records
    assert "100 kg \u00d7 5" in records  # warm-ups set no records
    profile = phone.locator("svg.profile")
    assert profile.get_attribute("role") == "img"
    assert profile.locator("polygon.band").count() == 1
    assert profile.locator("rect.e1rm-band").count() == 1
    assert profile.locator("circle.mark").count() >= 6
    assert phone.locator("svg.series circle.mark").count() == 3  # e1RM of each session
    assert phone.locator("table.repmax tbody tr").count() == 1  # a 5RM
    assert overflowing(phone) == []
    shoot(phone, "exercise")

    phone.get_by_role("link", name="Exercises", exact=True).click()
    phone.wait_for_url(f"{web.url}/exercises")
    assert phone.get_by_role("link", name="Back Squat").is_visible()

    phone.get_by_role("link", name="Battery", exact=True).click()
    phone.wait_for_url(f"{web.url}/battery")
    # a reading on the 3 days with a check-in; none on the other 25 (the sessions 5 and 9
    # days ago had no check-in, no warm-up baseline, not a week of training behind them):
    # no point is drawn for them, and the table shows a dash rather than a made-up 100
    assert phone.locator("svg.series[role=img] circle.mark").count() == 3
    scores = phone.locator("table.checkins td.score").all_inner_texts()
    assert [s.isdigit() for s in scores] == [True, True, True, False, False]
    assert scores[3:] == ["\N{EN DASH}", "\N{EN DASH}"]
    assert phone.locator("table.checkins tbody tr").count() >= 3
    assert phone.evaluate(  # the table fits its card: no column scrolled out of sight
        "(() => { const w = document.querySelector('.table-wrap');"
        " return w.scrollWidth <= w.clientWidth; })()"
    )
    assert overflowing(phone) == []
    shoot(phone, "battery")

    phone.get_by_role("link", name="Insights", exact=True).click()
    phone.wait_for_url(f"{web.url}/insights")
    card = phone.locator("section.insight")
    assert card.count() == 1
    assert "knees out" in card.inner_text()
    assert "Not enough data" in card.inner_text()
    assert phone.locator("svg.effects[role=img]").count() == 1
    assert overflowing(phone) == []
    shoot(phone, "insights")

    desktop.context.add_cookies(phone.context.cookies())
    for path, name in (
        ("/history", "history"), (f"/history/{session_ids[-1]}", "session"),
        ("/exercises/back-squat", "exercise"), ("/battery", "battery"),
        ("/insights", "insights"),
    ):  # fmt: skip
        desktop.goto(web.url + path)
        assert desktop.locator("main h1").count() == 1
        assert overflowing(desktop) == []
        shoot(desktop, name)


def test_another_lifters_session_is_not_found(web: Any, phone: Any) -> None:
    ben = Lifter(web, "ben-history")
    theirs = ben.log("squat", 100, 5, velocities=[0.6] * 5)["session"]["id"]
    ben.close()
    ana = Lifter(web, "ana-private")
    ana.close()
    sign_in(phone, web.url, "ana-private")
    response = phone.goto(f"{web.url}/history/{theirs}")
    assert response is not None
    assert response.status == 404
    assert "No such session" in phone.locator("main").inner_text()
    response = phone.goto(f"{web.url}/exercises/not-a-lift")
    assert response is not None
    assert response.status == 404
    # the empty states of a lifter with nothing logged
    for path in ("/history", "/exercises", "/battery", "/insights"):
        response = phone.goto(web.url + path)
        assert response is not None
        assert response.status == 200
        assert overflowing(phone) == []
