"""The lifter's bar and plates over the API: on the athlete, replaced per unit by PUT (a
retry changes nothing more), reset by DELETE, owner-only, bad values named."""

from __future__ import annotations

from typing import Any

from tests.e2e.api_support import PASSWORD, Server


def test_gear_is_kept_on_the_account_per_unit(server: Server, lifter_on: Any) -> None:
    ana = lifter_on(server, "ana")
    me = ana.http.get(f"/athletes/{ana.athlete_id}").json()
    assert me["gear"]["kg"] == {
        "unit": "kg", "bar": 20.0, "plates": [20.0, 15.0, 10.0, 5.0, 2.5, 1.25], "own": False,
    }  # fmt: skip
    assert (me["gear"]["lb"]["bar"], me["gear"]["lb"]["own"]) == (45.0, False)
    path = f"/athletes/{ana.athlete_id}/gear/kg"
    body = {"bar": 15, "plates": [1.25, 20, 2.5, 0.5, 10, 5]}
    for _ in range(3):  # a phone's outbox may send it again
        r = ana.http.put(path, json=body)
        assert r.status_code == 200, r.text
    assert r.json() == {
        "unit": "kg",
        "bar": 15.0,
        "plates": [20, 10, 5, 2.5, 1.25, 0.5],
        "own": True,
    }
    again = ana.http.get(f"/athletes/{ana.athlete_id}").json()
    assert again["gear"]["kg"]["plates"] == [20, 10, 5, 2.5, 1.25, 0.5]
    assert again["gear"]["lb"]["own"] is False
    assert again["version"] == me["version"]  # the settings' version is for PATCH alone

    # another device (a new token) sees the same
    with server.client() as phone:
        r = phone.post("/auth/login", json={"username": "ana", "password": PASSWORD, "kind": "api"})
        mine = {"Authorization": f"Bearer {r.json()['token']}"}
        assert phone.get("/auth/me", headers=mine).json()["athlete"]["gear"]["kg"]["bar"] == 15.0

    r = ana.http.delete(path)
    assert r.status_code == 200
    assert (r.json()["bar"], r.json()["own"]) == (20.0, False)


def test_bad_gear_gets_one_error_naming_the_field(server: Server, lifter_on: Any) -> None:
    ana = lifter_on(server)
    path = f"/athletes/{ana.athlete_id}/gear"
    cases = [
        ("kg", {"bar": 75, "plates": [20]}, "bar"),
        ("kg", {"bar": 20, "plates": []}, "plates"),
        ("kg", {"bar": 20, "plates": [20, 20]}, "plates"),
        ("kg", {"bar": 20, "plates": [0]}, "plates[0]"),
        ("kg", {"bar": "heavy", "plates": [20]}, "bar"),
        ("kg", {"bar": 20, "plates": [20], "colour": "red"}, "colour"),
        ("st", {"bar": 20, "plates": [20]}, "unit"),
    ]
    for unit, body, field in cases:
        r = ana.http.put(f"{path}/{unit}", json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["error"]["field"] == field, (body, r.json())
    assert ana.http.get(f"/athletes/{ana.athlete_id}").json()["gear"]["kg"]["own"] is False


def test_only_the_owner_sets_their_gear(server: Server, lifter_on: Any) -> None:
    ana, coach, stranger = lifter_on(server), lifter_on(server), lifter_on(server)
    assert ana.http.post("/grants", json={"coach": coach.username, "can_write": True}).is_success
    path = f"/athletes/{ana.athlete_id}/gear/kg"
    body = {"bar": 15, "plates": [20]}
    assert coach.http.get(f"/athletes/{ana.athlete_id}").json()["gear"]["kg"]["bar"] == 20
    assert coach.http.put(path, json=body).status_code == 403
    assert stranger.http.put(path, json=body).status_code == 404
    assert stranger.http.delete(path).status_code == 404
    assert ana.http.get(f"/athletes/{ana.athlete_id}").json()["gear"]["kg"]["own"] is False
