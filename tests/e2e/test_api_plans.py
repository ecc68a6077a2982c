"""Plans over HTTP: a coach with write access writes a program for a lifter and sets them
on it; the lifter reads today's plan, starts it, is steered set by set; a bad document is
422 naming its path, a stale edit 409, another lifter's plans 404."""

from __future__ import annotations

from typing import Any

from tests.e2e.api_support import Lifter, Server

DAY: dict[str, Any] = {
    "schema": "replog.template/1",
    "name": "Velocity squat",
    "exercises": [{"exercise": "back-squat", "rest_s": 180,
                   "sets": [{"reps": 5, "count": 3, "load": "100 kg", "velocity_loss_pct": 20}],
                   "progression": {"rule": "linear", "increment": "2.5 kg"}}],
}  # fmt: skip


def test_a_coach_writes_a_plan_and_the_lifter_follows_it(server: Server) -> None:
    ana, coach, ben = Lifter(server, "ana"), Lifter(server, "coach-kim"), Lifter(server, "ben")
    base = f"/athletes/{ana.athlete_id}"
    assert coach.http.post(f"{base}/plans", json=DAY).status_code == 404  # no grant yet
    ana.http.post("/grants", json={"coach": "coach-kim", "can_write": True})

    bad = {**DAY, "exercises": [{**DAY["exercises"][0], "sets": [{"reps": 5, "rpe": 12}]}]}
    r = coach.http.post(f"{base}/plans", json=bad)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["field"] == "exercises[0].sets[0].rpe"
    r = coach.http.post(f"{base}/plans", json=DAY)
    assert r.status_code == 201, r.text
    plan = r.json()
    assert (plan["name"], plan["version"], plan["builtin"]) == ("Velocity squat", 1, False)
    assert plan["document"]["weeks"][0]["days"][0]["name"] == "Velocity squat"

    renamed = {**DAY, "name": "Squat A"}
    stale = coach.http.put(f"{base}/plans/{plan['id']}", json={"version": 9, "document": renamed})
    assert stale.status_code == 409
    r = coach.http.put(f"{base}/plans/{plan['id']}", json={"version": 1, "document": renamed})
    assert r.json()["version"] == 2
    names = [p["name"] for p in ana.http.get(f"{base}/plans").json()["plans"]]
    assert "Novice linear 3x5" in names
    assert names[-1] == "Squat A"
    assert ben.http.get(f"{base}/plans").status_code == 404

    assert coach.http.put(f"{base}/program", json={"plan": "Squat A"}).status_code == 200
    today = ana.http.get(f"{base}/plan/today").json()["today"]
    squat = today["plan"]["exercises"][0]
    assert [s["load_text"] for s in squat["sets"]] == ["100 kg"] * 3
    assert squat["sets"][0]["stop_velocity_loss_pct"] == 20
    assert squat["warmups"][0]["load_text"] == "20 kg"
    started = ana.http.post(f"{base}/plan/start").json()["today"]
    assert started["session_id"]
    nxt = ana.http.get(f"{base}/plan/next", params={"exercise": "squat"}).json()["next"]
    assert (nxt["number"], nxt["load_text"]) == (1, "100 kg")
    ana.log("squat", 100, 5, velocities=[0.6, 0.59, 0.58, 0.57, 0.56])
    ana.log("squat", 100, 5, velocities=[0.5, 0.49, 0.48, 0.47, 0.46])  # 17 % slower
    nxt = ana.http.get(f"{base}/plan/next", params={"exercise": "squat"}).json()["next"]
    assert nxt["number"] == 3
    assert nxt["load"]["value"] <= 100  # the cap holds it
    review = ana.http.get(f"{base}/plan/review").json()
    assert (review["session_id"], review["planned"]) == (started["session_id"], 3)
    assert [r["done"] is not None for r in review["sets"]] == [True, True, False]
    today = ana.http.get(f"{base}/plan/today").json()["today"]
    assert today["session_id"] == started["session_id"]
    assert all(s["load_kg"] <= 100 for s in today["plan"]["exercises"][0]["sets"])

    assert coach.http.delete(f"{base}/program").status_code == 204
    assert ana.http.get(f"{base}/plan/today").json()["today"] is None
    assert coach.http.delete(f"{base}/plans/{plan['id']}").status_code == 204
    assert ana.http.get(f"{base}/plans/{plan['id']}").status_code == 404
    for lifter in (ana, coach, ben):
        lifter.close()
