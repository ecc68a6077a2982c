"""Bad input never gets a 500: malformed JSON, wrong types, out-of-range values, oversized
and garbage bodies all get a 4xx in the one error envelope, naming the field."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from tests.e2e.api_support import Lifter, Server

ENVELOPE_KEYS = {"code", "message", "field", "line"}


def _error(r: Any, status: int, field: str | None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ENVELOPE_KEYS
    assert body["error"]["field"] == field, body
    assert body["error"]["message"]
    return dict(body["error"])


@pytest.fixture
def lifter(server: Server) -> Any:
    me = Lifter(server)
    yield me
    me.close()


SQUAT = {"exercise": "squat", "load": 100, "reps": 5}


@pytest.mark.parametrize(
    ("body", "status", "field", "code"),
    [
        (b"{bad json", 400, "body", "malformed_json"),
        (b'{"exercise": "squat", "load": 100, "reps": 5', 400, "body", "malformed_json"),
        (b"[1, 2, 3]", 422, "body", "invalid"),
        (b"null", 422, "body", "invalid"),
        (b"\xff\xfe\x00garbage", 400, "body", "malformed_json"),
        (json.dumps({**SQUAT, "reps": "five"}).encode(), 422, "reps", "invalid"),
        (json.dumps({**SQUAT, "reps": 201}).encode(), 422, "reps", "invalid"),
        (json.dumps({**SQUAT, "load": -5}).encode(), 422, "load", "invalid"),
        (json.dumps({**SQUAT, "load": 1e300}).encode(), 422, "load", "invalid"),
        (json.dumps({**SQUAT, "rpe": 8.3}).encode(), 422, "rpe", "invalid"),
        (json.dumps({**SQUAT, "rpe": 11}).encode(), 422, "rpe", "invalid"),
        (json.dumps({**SQUAT, "unit": "stone"}).encode(), 422, "unit", "invalid"),
        (json.dumps({**SQUAT, "kind": "heavy"}).encode(), 422, "kind", "invalid"),
        (
            json.dumps({**SQUAT, "velocities": [0.5, "fast"]}).encode(),
            422,
            "velocities[1]",
            "invalid",
        ),
        (json.dumps({**SQUAT, "velocities": [0.5] * 6}).encode(), 422, "velocities", "invalid"),
        (json.dumps({**SQUAT, "id": "not-a-uuid"}).encode(), 422, "id", "invalid"),
        (
            json.dumps({**SQUAT, "performed_at": "yesterday"}).encode(),
            422,
            "performed_at",
            "invalid",
        ),
        (json.dumps({**SQUAT, "reeps": 5}).encode(), 422, "reeps", "invalid"),
        (json.dumps({"load": 100, "reps": 5}).encode(), 422, "exercise", "invalid"),
        (
            json.dumps({**SQUAT, "exercise": "underwater basket"}).encode(),
            422,
            "exercise",
            "unknown_exercise",
        ),
        (json.dumps({**SQUAT, "session_id": "nope"}).encode(), 404, "session", "not_found"),
    ],
)
def test_bad_set_bodies_get_one_envelope_naming_the_field(
    lifter: Lifter, body: bytes, status: int, field: str, code: str
) -> None:
    r = lifter.http.post(
        f"/athletes/{lifter.athlete_id}/sets",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert _error(r, status, field)["code"] == code
    assert lifter.http.get(f"/athletes/{lifter.athlete_id}/sessions").json() == []


def test_oversized_bodies_are_refused_before_they_are_read(server: Server, lifter: Lifter) -> None:
    limit = server.app.state.settings.max_body_bytes
    path = f"/athletes/{lifter.athlete_id}/sets"
    big = json.dumps({**SQUAT, "notes": "x" * (limit + 10)})
    assert (
        _error(
            lifter.http.post(path, content=big, headers={"Content-Type": "application/json"}),
            413,
            "body",
        )["code"]
        == "too_large"
    )

    def chunks() -> Any:  # no Content-Length: counted as it streams
        yield b'{"exercise": "squat", "load": 100, "reps": 5, "notes": "'
        for _ in range(limit // 1000 + 2):
            yield b"y" * 1000
        yield b'"}'

    r = lifter.http.post(path, content=chunks(), headers={"Content-Type": "application/json"})
    _error(r, 413, "body")


def test_garbage_on_the_wire_gets_a_4xx_not_a_crash(server: Server) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    for garbage in (
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
        b"HELLO\r\n\r\n",
    ):
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(garbage)
            reply = sock.recv(200)
        assert reply == b"" or reply.startswith(b"HTTP/1.1 4"), reply
    with server.client() as c:  # and the server still answers
        assert c.get("/health").json() == {"status": "ok", "schema_revision": None}


def test_unknown_routes_methods_and_missing_auth(server: Server, lifter: Lifter) -> None:
    with server.client() as anon:
        _error(anon.get("/nowhere"), 404, None)
        _error(anon.delete("/health"), 405, None)
        # 405 names every method the path takes (Starlette named only its first route's)
        r = lifter.http.put("/sets/some-id")
        _error(r, 405, None)
        assert r.headers["allow"] == "DELETE, GET, PATCH"
        assert r.json()["error"]["message"].endswith("this path takes DELETE, GET, PATCH")
        err = _error(anon.get(f"/athletes/{lifter.athlete_id}"), 401, "authorization")
        assert err["code"] == "unauthenticated"
        r = anon.get("/auth/me", headers={"Authorization": "Bearer forged"})
        _error(r, 401, "authorization")
    _error(lifter.http.get("/sessions/x" * 40), 404, None)
    _error(lifter.http.get(f"/athletes/{lifter.athlete_id}/sessions?limit=0"), 422, "limit")
    _error(lifter.http.get(f"/athletes/{lifter.athlete_id}/readiness?day=someday"), 422, "day")
    r = lifter.http.put(f"/athletes/{lifter.athlete_id}/checkins/2026-11-20", json={"stress": 9})
    _error(r, 422, "stress")
    r = lifter.http.put(f"/athletes/{lifter.athlete_id}/checkins/2026-11-20", json={})
    _error(r, 422, "body")


def test_health_readiness_docs_and_openapi(server: Server) -> None:
    with server.client() as anon:
        assert anon.get("/health").json()["status"] == "ok"
        ready = anon.get("/ready").json()
        assert ready["status"] == "ready"
        assert ready["schema_revision"]
        spec = anon.get("/openapi.json").json()
        assert spec["openapi"].startswith("3.")
        paths = set(spec["paths"])
        for p in ("/api/v1/athletes/{athlete_id}/sets", "/api/v1/sets/{set_id}", "/api/v1/team"):
            assert p in paths
        docs = anon.get("/docs")
        assert docs.status_code == 200
        assert "/api/v1/athletes/{athlete_id}/sets" in docs.text
        assert "<script" not in docs.text  # works with no network
        assert "x-request-id" in docs.headers


def test_a_day_is_a_date_and_a_score_is_a_number(server, lifter_on) -> None:
    """Issue 20, item 9: ``?day=0`` is not 1970-01-01, and ``{"soreness": true}`` is not 1."""
    lifter = lifter_on(server)
    for bad in ("0", "1700000000", "2026-1-5"):
        r = lifter.http.get(f"/athletes/{lifter.athlete_id}/readiness", params={"day": bad})
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["error"]["field"] == "day"
    assert (
        lifter.http.get(
            f"/athletes/{lifter.athlete_id}/readiness", params={"day": "2026-11-05"}
        ).status_code
        == 200
    )
    url = f"/athletes/{lifter.athlete_id}/checkins/2026-11-05"
    for field in ("soreness", "stress", "sleep_quality"):
        r = lifter.http.put(url, json={field: True})
        assert r.status_code == 422, (field, r.text)
        assert r.json()["error"]["field"] == field
    assert lifter.http.put(url, json={"soreness": 2}).status_code == 201
    assert lifter.http.put("/athletes/x/checkins/0", json={"soreness": 2}).status_code in {404, 422}
    r = lifter.log("squat", 100, 5)
    assert r["set"]["reps"] == 5
    bad = lifter.http.post(
        f"/athletes/{lifter.athlete_id}/sets", json={"exercise": "squat", "load": 100, "reps": True}
    )
    assert bad.status_code == 422
