"""The server end to end over real HTTP: two lifters and a coach, sharing and revoking,
cookie sessions with CSRF, tokens, versioned edits, check-ins and analytics."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest

from tests.e2e.api_support import PASSWORD, Lifter, Server
from tests.support import named


def _session_sets(lifter: Lifter, session_id: str) -> list[dict[str, object]]:
    r = lifter.http.get(f"/sessions/{session_id}")
    assert r.status_code == 200, r.text
    sets: list[dict[str, object]] = r.json()["sets"]
    return sets


def test_two_lifters_and_a_coach(server: Server) -> None:
    ana, ben, coach = Lifter(server, "ana"), Lifter(server, "ben"), Lifter(server, "coach-kim")
    a1 = ana.log("squat", 100, 3, velocities=[0.62, 0.60, 0.58], rpe=7)
    a2 = ana.log("squat", 100, 3, velocities=[0.52, 0.50, 0.49], rpe=7)
    b1 = ben.log("bench", 80, 5, velocities=[0.45, 0.43, 0.41, 0.38, 0.35], rpe=8)

    # the live verdict comes with the set: ana's second set is 16% slower at the same load
    assert a1["verdict"]["neural_dropoff"] is False
    assert a2["verdict"]["neural_dropoff"] is True
    assert a2["verdict"]["dropoff_pct"] > 10
    assert a2["verdict"]["cap_intensity"] is True
    assert "cap intensity" in a2["verdict"]["headline"]

    # each lifter sees only their own log; another's objects are 404, never 403
    assert [a["name"] for a in ana.http.get("/athletes").json()] == ["ana"]
    for path in (
        f"/sets/{b1['set']['id']}",
        f"/sessions/{b1['session']['id']}",
        f"/sessions/{b1['session']['id']}/analysis",
        f"/athletes/{ben.athlete_id}",
        f"/athletes/{ben.athlete_id}/sessions",
        f"/athletes/{ben.athlete_id}/readiness",
    ):
        r = ana.http.get(path)
        assert r.status_code == 404, (path, r.text)
        assert r.json()["error"]["code"] == "not_found"
    r = ana.http.patch(f"/sets/{b1['set']['id']}", json={"version": 1, "reps": 1})
    assert r.status_code == 404
    r = ana.http.post(
        f"/athletes/{ben.athlete_id}/sets", json={"exercise": "squat", "load": 50, "reps": 1}
    )
    assert r.status_code == 404

    # the coach sees nobody until a lifter grants access, then only that lifter
    assert coach.http.get("/team").json()["athletes"] == []
    assert coach.http.get(f"/athletes/{ana.athlete_id}/sessions").status_code == 404
    grant = ana.http.post("/grants", json={"coach": "coach-kim"})
    assert grant.status_code == 201, grant.text
    team = coach.http.get("/team").json()["athletes"]
    assert [m["name"] for m in team] == ["ana"]
    assert team[0]["dropoffs"][0]["set_id"] == a2["set"]["id"]
    assert "cap_intensity" in team[0]["recommendations"]
    assert [a["name"] for a in coach.http.get("/athletes").json()] == ["coach-kim", "ana"]
    sessions = coach.http.get(f"/athletes/{ana.athlete_id}/sessions").json()
    assert sessions[0]["set_count"] == 2
    assert coach.http.get(f"/athletes/{ben.athlete_id}/sessions").status_code == 404

    # read access does not write; a write grant programs the lifter's sets
    r = coach.http.post(
        f"/athletes/{ana.athlete_id}/sets", json={"exercise": "squat", "load": 60, "reps": 5}
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
    ana.http.post("/grants", json={"coach": "coach-kim", "can_write": True})
    r = coach.http.post(
        f"/athletes/{ana.athlete_id}/sets", json={"exercise": "squat", "load": 60, "reps": 5}
    )
    assert r.status_code == 201, r.text
    assert r.json()["records"] == {"kinds": ["5rm"], "text": "5-rep max"}  # ana's first 5
    r = coach.http.post(
        f"/athletes/{ana.athlete_id}/sets", json={"exercise": "squat", "load": 101, "reps": 3}
    )
    assert r.json()["records"] == {
        "kinds": ["heaviest", "volume", "3rm"],
        "text": "heaviest ever, most volume in a set, 3-rep max",
    }
    r = coach.http.patch(f"/athletes/{ana.athlete_id}", json={"version": 1, "default_unit": "lb"})
    assert r.status_code == 403  # programming, yes; the lifter's own settings, no
    assert r.json()["error"]["message"] == "only ana can change this"

    # revoking takes effect at the very next request
    grants = ana.http.get("/grants").json()["given"]
    assert [g["coach_username"] for g in grants] == ["coach-kim"]
    assert ana.http.delete(f"/grants/{grants[0]['id']}").status_code == 204
    assert coach.http.get(f"/athletes/{ana.athlete_id}/sessions").status_code == 404
    assert coach.http.get(f"/sets/{a1['set']['id']}").status_code == 404
    assert coach.http.get("/team").json()["athletes"] == []
    for lifter in (ana, ben, coach):
        lifter.close()


def test_cookie_session_needs_csrf_and_logout_revokes(server: Server) -> None:
    lifter = Lifter(server)
    with server.client() as web:
        r = web.post("/auth/login", json={"username": lifter.username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["token"] is None  # a cookie session's secret never reaches script
        assert "httponly" in r.headers["set-cookie"].lower()
        assert "samesite=lax" in r.headers["set-cookie"].lower()
        csrf = body["csrf_token"]
        assert web.get("/auth/me").json()["user"]["username"] == lifter.username
        path = f"/athletes/{lifter.athlete_id}/sets"
        squat = {"exercise": "squat", "load": 100, "reps": 3}
        r = web.post(path, json=squat)
        assert r.status_code == 403
        assert r.json()["error"]["field"] == "X-CSRF-Token"
        r = web.post(path, json=squat, headers={"X-CSRF-Token": "wrong"})
        assert r.status_code == 403
        r = web.post(path, json=squat, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 201
        r = web.post("/auth/logout", headers={"X-CSRF-Token": csrf})
        assert r.status_code == 204
        assert web.get("/auth/me").status_code == 401
        stolen = httpx.Client(base_url=server.api, cookies={"replog_session": "x" * 43})
        assert stolen.get("/auth/me").status_code == 401
        stolen.close()
    lifter.close()


def test_api_tokens_are_listed_and_revoked_at_once(server: Server) -> None:
    lifter = Lifter(server)
    r = lifter.http.post("/auth/tokens", json={"name": "garage tablet"})
    assert r.status_code == 201
    extra = r.json()
    tablet = server.client(headers={"Authorization": f"Bearer {extra['token']}"})
    assert tablet.get("/auth/me").status_code == 200
    listed = lifter.http.get("/auth/tokens").json()
    assert {t["name"] for t in listed} >= {"garage tablet"}
    assert all("token" not in t for t in listed)
    assert lifter.http.delete(f"/auth/tokens/{extra['id']}").status_code == 204
    r = tablet.get("/auth/me")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"
    assert lifter.http.get("/auth/me").status_code == 200
    other = Lifter(server)
    assert other.http.delete(f"/auth/tokens/{listed[0]['id']}").status_code == 404
    tablet.close()
    lifter.close()
    other.close()


def test_sign_up_and_login_errors_and_rate_limit(server: Server) -> None:
    with server.client() as anon:
        r = anon.post("/auth/signup", json={"username": "Lee", "password": PASSWORD})
        assert r.status_code == 201
        r = anon.post("/auth/signup", json={"username": "lee", "password": PASSWORD})
        assert r.status_code == 409
        assert r.json()["error"]["field"] == "username"
        r = anon.post("/auth/signup", json={"username": "kai", "password": "short"})
        assert r.status_code == 422
        assert r.json()["error"]["field"] == "password"
        bad = {"username": "lee", "password": "not the password"}
        unknown = anon.post("/auth/login", json={"username": "nobody", "password": "whatever1"})
        assert unknown.status_code == 401
        codes = [anon.post("/auth/login", json=bad).status_code for _ in range(10)]
        assert codes == [401] * 10
        assert (
            unknown.json()["error"]["message"]
            == anon.post("/auth/login", json={"username": "ghost", "password": "x" * 9}).json()[
                "error"
            ]["message"]
        )
        r = anon.post("/auth/login", json={"username": "lee", "password": PASSWORD})
        assert r.status_code == 429  # locked out, even with the right password
        assert int(r.headers["retry-after"]) >= 1
        assert r.json()["error"]["code"] == "rate_limited"


def test_retried_post_logs_one_set_and_versions_guard_edits(server: Server) -> None:
    lifter = Lifter(server)
    set_id = str(uuid.uuid4())
    body = {"id": set_id, "exercise": "deadlift", "load": 180, "reps": 2, "rpe": 8}
    path = f"/athletes/{lifter.athlete_id}/sets"
    replies = [lifter.http.post(path, json=body) for _ in range(3)]
    assert [r.status_code for r in replies] == [201, 200, 200]
    assert [r.json()["replayed"] for r in replies] == [False, True, True]
    assert len({r.json()["set"]["id"] for r in replies}) == 1
    session_id = replies[0].json()["session"]["id"]
    assert len(_session_sets(lifter, session_id)) == 1

    # versioned edits: the second edit made on version 1 is stale
    r = lifter.http.patch(f"/sets/{set_id}", json={"version": 1, "reps": 3, "rpe": None})
    assert r.status_code == 200, r.text
    assert (r.json()["version"], r.json()["reps"], r.json()["rpe"]) == (2, 3, None)
    r = lifter.http.patch(f"/sets/{set_id}", json={"version": 1, "reps": 4})
    assert r.status_code == 409
    assert r.json()["error"]["field"] == "version"
    assert lifter.http.get(f"/sets/{set_id}").json()["reps"] == 3
    r = lifter.http.put(
        f"/sets/{set_id}/reps",
        json={
            "version": 2,
            "reps": [{"mcv": 0.41}, {"mcv": 0.38, "peak_velocity": 0.7}, {"mcv": 0.33}],
        },
    )
    assert r.status_code == 200, r.text
    assert [x["mcv"] for x in lifter.http.get(f"/sets/{set_id}/reps").json()] == [0.41, 0.38, 0.33]
    assert lifter.http.delete(f"/sets/{set_id}?version=2").status_code == 409
    assert lifter.http.delete(f"/sets/{set_id}?version=3").status_code == 204
    assert lifter.http.get(f"/sets/{set_id}").status_code == 404

    # a session is versioned too; another lifter cannot reuse a taken id
    s = lifter.http.patch(f"/sessions/{session_id}", json={"version": 1, "name": "Heavy pulls"})
    assert s.status_code == 200
    assert s.json()["version"] == 2
    assert (
        lifter.http.patch(f"/sessions/{session_id}", json={"version": 1, "name": "x"}).status_code
        == 409
    )
    other = Lifter(server)
    r = other.http.post(f"/athletes/{other.athlete_id}/sets", json=body)
    assert r.status_code in (201, 409)  # the first id was deleted; a live one conflicts
    live = lifter.log("squat", 100, 1)
    r = other.http.post(
        f"/athletes/{other.athlete_id}/sets", json={**body, "id": live["set"]["id"]}
    )
    assert r.status_code == 409
    lifter.close()
    other.close()


def test_checkins_exercises_and_analytics(server: Server) -> None:
    lifter = Lifter(server)
    base = f"/athletes/{lifter.athlete_id}"
    r = lifter.http.put(f"{base}/checkins/2026-11-20", json={"sleep_h": 7.5, "stress": 2})
    assert r.status_code == 201
    assert r.json()["version"] == 1
    again = lifter.http.put(f"{base}/checkins/2026-11-20", json={"sleep_h": 7.5, "stress": 2})
    assert again.status_code == 200  # a retry changes nothing
    r = lifter.http.put(f"{base}/checkins/2026-11-20", json={"sleep_h": 5})
    assert r.status_code == 409
    r = lifter.http.put(f"{base}/checkins/2026-11-20", json={"version": 1, "sleep_h": 5})
    assert (r.status_code, r.json()["version"], r.json()["stress"]) == (200, 2, 2)
    assert [c["sleep_h"] for c in lifter.http.get(f"{base}/checkins").json()] == [5.0]

    r = lifter.http.post(
        f"{base}/exercises",
        json={"name": "Zercher Squat", "equipment": "barbell", "pattern": "squat"},
    )
    assert r.status_code == 201, r.text
    assert lifter.log("zercher squat", 90, 5)["set"]["exercise"] == r.json()["key"]
    names = [e["name"] for e in lifter.http.get(f"{base}/exercises").json()]
    assert names[0] == "Zercher Squat"

    for load, v in ((60, 0.95), (80, 0.75), (100, 0.55)):
        lifter.log("bench press", load, 2, velocities=[v, v - 0.02], rpe=7)
    profile = lifter.http.get(f"{base}/profiles/bench").json()
    assert profile["exercise"] == "bench-press"
    assert profile["n"] == 3
    assert profile["slope"] < 0
    assert 100 < profile["load_at_mvt_kg"] < 160
    e1rm = lifter.http.get(f"{base}/e1rm/bench").json()
    # three points are too few for the profile to stand for the e1RM: Epley with RIR,
    # 100 kg x 2 @7 -> 100 x (1 + 5 / 30); the profile document carries the very same
    assert (e1rm["name"], e1rm["message"]) == ("Bench Press", None)
    assert e1rm["e1rm"]["source"] == "epley_rir"
    assert e1rm["e1rm"]["value_kg"] == pytest.approx(116.7)
    assert e1rm["e1rm"] == profile["e1rm"]
    battery = lifter.http.get(f"{base}/readiness").json()["battery"]
    if battery["reading"]:  # only a check-in dated today would give one here
        assert 0 <= battery["score"] <= 100
    else:  # no check-in today, no warm-up baseline, no training history: no score
        assert (battery["score"], battery["advice"]["level"]) == (None, "none")
    r = lifter.http.get(f"{base}/e1rm/unicycle")
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "exercise"
    lifter.close()


def test_readiness_is_honest_over_http(server: Server, database_url: str) -> None:
    """Issue 19 through the real app: no score without data, only the check-in fields sent
    are stored and scored, the trend is read from the series the document carries, and
    the coach gets the lifter's own battery document. The document is the services' one."""
    from replog.services.documents import readiness_doc
    from replog.services.readiness import readiness
    from replog.storage.database import Database
    from replog.storage.uow import SqlUnitOfWork

    lifter, coach = Lifter(server), Lifter(server)
    base = f"/athletes/{lifter.athlete_id}"
    today = date.today()

    doc = lifter.http.get(f"{base}/readiness").json()
    b = doc["battery"]
    assert (b["reading"], b["score"], b["confidence"], b["headline"]) == (
        False, None, "none", "no reading yet"
    )  # fmt: skip
    assert b["advice"]["level"] == "none"
    assert "go for it" not in b["advice"]["text"] + b["summary"]
    assert len(b["needs"]) == 3
    assert [d["score"] for d in doc["trend"]["days"]] == [None] * 8
    assert doc["trend"]["days"][-1]["day"] == today.isoformat()
    assert doc["trend"]["direction"] == "none"
    database = Database(database_url)
    try:
        uow = SqlUnitOfWork(database)
        same = readiness_doc(readiness(uow, named(uow, lifter.username), today))
    finally:
        database.dispose()
    assert doc == same  # built once, in the services

    # only the fields sent are stored, and only they are scored
    r = lifter.http.put(f"{base}/checkins/{today}", json={"stress": 2})
    assert r.status_code == 201, r.text
    stored = r.json()
    assert (stored["stress"], stored["sleep_h"], stored["sleep_quality"], stored["soreness"]) == (
        2, None, None, None
    )  # fmt: skip
    b = lifter.http.get(f"{base}/readiness").json()["battery"]
    assert [p["name"] for p in b["parts"]] == ["stress"]
    assert (b["reading"], b["score"]) == (True, 100)  # calm: credited, capped at 100

    # 94 then 67 is "falling", from the very days the document lists
    for back, hours in ((7, 4.0), (6, 4.5), (5, 5.0), (4, 5.5), (3, 6.0), (2, 6.0), (1, 6.0)):
        day = (today - timedelta(days=back)).isoformat()
        r = lifter.http.put(f"{base}/checkins/{day}", json={"sleep_h": hours})
        assert r.status_code == 201, r.text
    body = {"version": stored["version"], "sleep_h": 6.5, "sleep_quality": 2, "stress": 5,
            "soreness": 5}  # fmt: skip
    assert lifter.http.put(f"{base}/checkins/{today}", json=body).status_code == 200
    doc = lifter.http.get(f"{base}/readiness").json()
    assert [d["score"] for d in doc["trend"]["days"]] == [70, 76, 82, 88, 94, 94, 94, 67]
    assert doc["trend"]["direction"] == "falling"
    assert doc["battery"]["advice"]["text"] == (
        "steady: keep the planned loads and stop sets at RPE 8.5"
    )

    # the coach reads the lifter's own battery document, advice word for word
    assert lifter.http.post("/grants", json={"coach": coach.username}).status_code == 201
    (member,) = coach.http.get("/team").json()["athletes"]
    assert member["readiness"] == doc["battery"]
    assert (member["battery"], member["battery_label"]) == (67, "steady")
    lifter.close()
    coach.close()
