"""Imports and exports over real HTTP, on SQLite and PostgreSQL: preview, import, import
again (nothing added), bad files (422 naming the line, nothing written), access, and the
round trip export -> import into another account -> the same sets."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from replog.api.settings import ApiSettings
from tests.e2e.api_support import STRONG, Lifter, Server, running

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "imports"


@pytest.fixture
def signup(server: Server) -> Iterator[Callable[..., Lifter]]:
    """Sign up lifters on the server; their clients are closed afterwards."""
    made: list[Lifter] = []

    def make(username: str | None = None) -> Lifter:
        made.append(Lifter(server, username))
        return made[-1]

    yield make
    for lifter in made:
        lifter.close()


def _import(who: Lifter, body: bytes | str, **params: Any) -> httpx.Response:
    data = body.encode() if isinstance(body, str) else body
    params.setdefault("filename", "strong.csv")
    return who.http.post(
        f"/athletes/{who.athlete_id}/imports",
        params=params,
        content=data,
        headers={"Content-Type": "text/csv"},
    )


def _sets(who: Lifter) -> list[tuple[Any, ...]]:
    """Every set of the lifter's log: what was lifted, not the ids it has."""
    out = []
    sessions = who.http.get(f"/athletes/{who.athlete_id}/sessions", params={"limit": 500})
    assert sessions.status_code == 200, sessions.text
    for s in sessions.json():
        doc = who.http.get(f"/sessions/{s['id']}").json()
        for x in doc["sets"]:
            out.append(
                (
                    doc["started_at"],
                    x["exercise"],
                    x["position"],
                    x["load"]["value"],
                    x["load"]["unit"],
                    x["reps"],
                    x["rpe"],
                    x["kind"],
                    tuple(r["mcv"] for r in x["rep_data"]),
                )
            )
    return sorted(out)


def test_preview_import_and_import_again(signup: Callable[..., Lifter]) -> None:
    ana = signup("ana")
    preview = _import(ana, STRONG, dry_run="true", tz="Europe/Madrid")
    assert preview.status_code == 200, preview.text
    doc = preview.json()
    assert doc["dry_run"] is True
    assert doc["format"] == "strong"
    assert doc["sessions"] == {"created": 2, "skipped": 0, "replaced": 0}
    assert doc["sets"]["created"] == 4
    assert (doc["first_day"], doc["last_day"]) == ("2024-03-01", "2024-03-04")
    assert [u["name"] for u in doc["unmapped"]] == ["Zercher Wobble Thing"]
    assert doc["mapped"]["Squat (Barbell)"] == "back-squat"
    assert _sets(ana) == []  # a preview writes nothing

    done = _import(ana, STRONG, tz="Europe/Madrid")
    assert done.status_code == 200, done.text
    assert done.json()["dry_run"] is False
    assert done.json()["sets"]["created"] == 4
    logged = _sets(ana)
    assert len(logged) == 4
    assert ("2024-03-01T06:30:00Z", "back-squat", 1, "100", "kg", 5, 8.0) in [
        (t.replace("+00:00", "Z"), *rest[:6]) for t, *rest in logged
    ]

    again = _import(ana, STRONG, tz="Europe/Madrid").json()  # the same file adds nothing
    assert again["sessions"] == {"created": 0, "skipped": 2, "replaced": 0}
    assert again["sets"]["created"] == 0
    assert again["sets"]["skipped"] == 4
    assert _sets(ana) == logged

    ben = signup("ben")  # map= files an app's name under a catalogue lift
    r = _import(ben, STRONG, dry_run="true", map="Zercher Wobble Thing=front-squat")
    assert r.json()["unmapped"] == []
    assert r.json()["mapped"]["Zercher Wobble Thing"] == "front-squat"
    r = _import(ben, STRONG, dry_run="true", map="Zercher Wobble Thing=no-such-lift")
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "map"


def test_bad_files_say_where_and_write_nothing(signup: Callable[..., Lifter]) -> None:
    ana = signup()
    bad = STRONG.replace("80,5,0,0", "eighty,5,0,0")
    r = _import(ana, bad, strict="true")
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "bad_import"
    assert err["line"] == 5
    assert err["field"]
    assert _sets(ana) == []  # not half of it either
    r = _import(ana, bad, dry_run="true")  # by default the row is left out and listed
    assert r.status_code == 200, r.text
    assert r.json()["rows_rejected"] == [
        {
            "line": 5,
            "column": "Weight (column 5)",
            "value": "eighty",
            "reason": "expected a number, found 'eighty'",
        }
    ]
    assert r.json()["sets"]["created"] == 3

    cases: list[tuple[bytes, dict[str, str], str]] = [
        (b"", {}, "body"),
        (b"hello,world\n1,2\n", {}, "format"),
        (b"\xff\xfe\x00garbage", {}, "file"),
        (b"{not json", {"filename": "x.json"}, ""),
        (b'{"format": "replog", "version": 9, "athletes": []}', {}, "version"),
        (b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00garbage", {}, ""),
        (b"0123456789", {"format": "fit"}, ""),
        (b"0123456789", {"format": "openbarbell"}, ""),
        (STRONG.encode(), {"tz": "Mars/Olympus"}, "tz"),
        (STRONG.encode(), {"map": "no equals sign"}, "map"),
    ]
    for body, params, field in cases:
        r = _import(ana, body, **params)
        assert 400 <= r.status_code < 500, (body[:20], r.status_code, r.text)
        err = r.json()["error"]
        assert err["message"], err
        if field:
            assert err["field"] == field, (body[:20], err)
    r = _import(ana, STRONG, format="hevy")
    assert r.status_code == 422
    assert r.json()["error"]["line"] == 1
    assert _sets(ana) == []


def test_only_writers_import_and_only_readers_export(
    server: Server, signup: Callable[..., Lifter]
) -> None:
    ana, coach, stranger = signup(), signup("coach-ex"), signup()
    ana.log("squat", 100, 3, velocities=[0.6, 0.58, 0.55])
    assert ana.http.post("/grants", json={"coach": "coach-ex"}).status_code == 201
    r = coach.http.post(f"/athletes/{ana.athlete_id}/imports", content=STRONG.encode())
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
    r = coach.http.get(f"/athletes/{ana.athlete_id}/export")
    assert r.status_code == 200
    assert '"back-squat"' in r.text
    for path in ("imports", "export"):
        method = stranger.http.post if path == "imports" else stranger.http.get
        r = method(f"/athletes/{ana.athlete_id}/{path}")
        assert r.status_code == 404, r.text
    with server.client() as anon:
        assert anon.get(f"/athletes/{ana.athlete_id}/export").status_code == 401


def _log_some(who: Lifter) -> None:
    who.log("squat", 100, 3, velocities=[0.62, 0.60, 0.58], rpe=7)
    who.log("squat", 100, 3, velocities=[0.52, 0.50, 0.49], rpe=8)
    who.log("bench", 82.5, 5, rpe=8.5, tags=["paused"], notes="slow off the chest")
    r = who.http.post(
        f"/athletes/{who.athlete_id}/exercises", json={"name": "Kettlebell Swing Plus"}
    )
    assert r.status_code == 201, r.text
    who.log("Kettlebell Swing Plus", 24, 15)
    r = who.http.put(
        f"/athletes/{who.athlete_id}/checkins/2024-05-01", json={"sleep_h": 7.5, "stress": 2}
    )
    assert r.status_code in (200, 201), r.text


def test_export_round_trips_into_another_account(signup: Callable[..., Lifter]) -> None:
    ana = signup("ana-rt")
    _log_some(ana)
    before = _sets(ana)

    r = ana.http.get(f"/athletes/{ana.athlete_id}/export")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="replog-ana-rt-' in disposition
    assert disposition.endswith('.json"')
    exported = r.content

    bo = signup("bo-rt")
    preview = _import(bo, exported, filename="export.json", dry_run="true").json()
    assert preview["format"] == "replog"
    assert preview["sessions"]["created"] == 1
    assert preview["sets"]["created"] == 4
    assert _sets(bo) == []
    done = _import(bo, exported, filename="export.json")
    assert done.status_code == 200, done.text
    moved = _sets(bo)
    swing = next(x for x in moved if x[1] != "back-squat" and x[1] != "bench-press")
    assert [x[:1] + x[2:] for x in moved] == [x[:1] + x[2:] for x in before]
    assert [x[1] for x in moved if x is not swing] == [x[1] for x in before if x[5] != 15]
    checkins = bo.http.get(f"/athletes/{bo.athlete_id}/checkins").json()
    assert [(c["day"], c["sleep_h"]) for c in checkins] == [("2024-05-01", 7.5)]
    assert bo.http.get(f"/athletes/{bo.athlete_id}").json()["name"] == "bo-rt"
    assert _sets(ana) == before  # the source account is untouched

    again = _import(bo, exported, filename="export.json").json()  # adds nothing
    assert again["sessions"]["created"] == 0
    assert again["sets"]["created"] == 0
    assert _sets(bo) == moved
    back = bo.http.get(f"/athletes/{bo.athlete_id}/export").content  # and back: nothing new
    home = _import(ana, back, filename="back.json").json()
    assert home["sessions"]["created"] == 0
    assert _sets(ana) == before
    own = _import(ana, exported, filename="mine.json").json()  # its own export: put back
    assert own["sessions"]["replaced"] == 1
    assert own["sessions"]["created"] == 0
    assert _sets(ana) == before

    csv = ana.http.get(f"/athletes/{ana.athlete_id}/export", params={"format": "csv"})
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.headers["content-disposition"].endswith('.reps.csv"')
    cy = signup("cy-rt")
    r = _import(cy, csv.content, filename="reps.csv")
    assert r.status_code == 200, r.text
    assert r.json()["format"] == "velocity-csv"
    from_csv = _sets(cy)
    assert [(x[0], x[2], x[3], x[4], x[5], x[6], x[8]) for x in from_csv] == [
        (x[0], x[2], x[3], x[4], x[5], x[6], x[8]) for x in before
    ]
    assert _import(cy, csv.content, filename="reps.csv").json()["sets"]["created"] == 0

    for fmt in ("sets-csv", "strong"):
        r = ana.http.get(f"/athletes/{ana.athlete_id}/export", params={"format": fmt})
        assert r.status_code == 200, (fmt, r.text)
        assert r.text.count("\n") >= 4, (fmt, r.text)
    r = ana.http.get(f"/athletes/{ana.athlete_id}/export", params={"format": "xml"})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "format"


def test_a_bundle_of_many_lifters_is_refused(signup: Callable[..., Lifter]) -> None:
    ana, bo = signup(), signup()
    ana.log("squat", 100, 3)
    doc = ana.http.get(f"/athletes/{ana.athlete_id}/export").json()
    doc["athletes"] = doc["athletes"] * 2
    r = _import(bo, json.dumps(doc), filename="two.json")
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "athletes"


def test_uploads_over_the_limit_are_413(database_url: str) -> None:
    settings = ApiSettings(
        database_url,
        log_requests=False,
        argon2_time_cost=1,
        argon2_memory_kib=8192,
        max_body_bytes=1000,
        max_upload_bytes=4000,
    )
    with running(settings) as srv:
        ana = Lifter(srv)
        body = STRONG + (
            '2024-03-05 18:00:00,"Pull","Deadlift (Barbell)",1,150,3,0,0,"","",\n' * 30
        )
        assert 1000 < len(body) < 4000
        assert _import(ana, body).status_code == 200  # more than a JSON body, within uploads
        r = _import(ana, body * 3)
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "too_large"
        ana.close()


def _shared(path: str) -> Path:
    file = SHARED / path
    if not file.is_file():
        pytest.skip(f"{file} is absent (the shared data folder is not here)")
    return file


@pytest.mark.parametrize(
    "path",
    [
        "strong/strong_semicolon_quoted_units_in_header.csv",
        "strong/strong_comma_no_duration.csv",
        "fitnotes/fitnotes_unit_column.csv",
        "liftosaur/liftosaur_example.csv",
        "hevy/hevy_lbs.csv",
    ],
)
def test_real_exports_import_once(signup: Callable[..., Lifter], path: str) -> None:
    file = _shared(path)
    ana = signup()
    data = file.read_bytes()
    first = _import(ana, data, filename=file.name, tz="UTC")
    assert first.status_code == 200, first.text
    doc = first.json()
    assert doc["sets"]["created"] > 0
    assert doc["sessions"]["created"] > 0
    again = _import(ana, data, filename=file.name, tz="UTC").json()
    assert again["sessions"]["created"] == 0
    assert again["sessions"]["skipped"] == doc["sessions"]["created"]


def test_real_malformed_export_is_a_422(signup: Callable[..., Lifter]) -> None:
    file = _shared("strong/strong_malformed.csv")
    ana = signup()
    r = _import(ana, file.read_bytes(), filename=file.name)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "bad_import"
    assert r.json()["error"]["line"] is not None
    assert _sets(ana) == []


def test_real_fit_file_imports(signup: Callable[..., Lifter]) -> None:
    files = sorted(SHARED.glob("fit/garmin_*.fit")) if SHARED.is_dir() else []
    if not files:
        pytest.skip("the shared FIT files are absent")
    ana = signup()
    results = [_import(ana, f.read_bytes(), filename=f.name).status_code for f in files]
    assert all(code in (200, 422) for code in results), results
    assert 200 in results


def test_a_pound_file_with_no_unit_takes_the_unit_asked_for(signup: Callable[..., Lifter]) -> None:
    file = _shared("strong/strong_lb_no_unit.csv")
    ana = signup()
    data = file.read_bytes()
    kg = _import(ana, data, filename=file.name, dry_run="true").json()
    assert kg["unit_note"].startswith("48 loads with no unit in the file read as kg")
    assert any("look like lb" in w for w in kg["warnings"])
    lb = _import(ana, data, filename=file.name, unit="lb").json()
    assert lb["unit_note"].startswith("48 loads with no unit in the file read as lb (as asked)")
    assert lb["volume_kg"] == pytest.approx(kg["volume_kg"] * 0.45359237, abs=0.5)
    assert _import(ana, data, filename=file.name, unit="stone").status_code == 422


def test_every_reader_can_be_named_in_the_api() -> None:
    from typing import get_args

    from replog.api.routes_exchange import ImportFormat
    from replog.io.formats import FORMATS

    assert set(get_args(ImportFormat)) == {"auto", *FORMATS}


def test_every_export_format_and_alias_can_be_named_in_the_api() -> None:
    from typing import get_args

    from replog.api.routes_exchange import ExportFormat
    from replog.io.exports import ALIASES, EXPORTS

    assert set(get_args(ExportFormat)) == {*EXPORTS, *ALIASES}


def test_a_program_and_its_sessions_move_with_an_export_to_another_account(
    signup: Callable[..., Lifter],
) -> None:
    ana = signup("ana-plan")
    squat = {"exercise": "back-squat", "sets": [{"reps": 5, "count": 2, "load": "100 kg"}]}
    day = {"schema": "replog.template/1", "name": "Squat A", "exercises": [squat]}
    base = f"/athletes/{ana.athlete_id}"
    plan = ana.http.post(f"{base}/plans", json=day).json()
    ana.http.put(f"{base}/program", json={"plan": plan["id"]})
    started = ana.http.post(f"{base}/plan/start").json()["today"]
    ana.log("squat", 100, 5)
    exported = ana.http.get(f"{base}/export").content

    bo = signup("bo-plan")
    assert _import(bo, exported, filename="export.json").status_code == 200
    mine = bo.http.get(f"/athletes/{bo.athlete_id}/plans").json()["plans"]
    adopted = next(p for p in mine if p["name"] == "Squat A")
    assert adopted["id"] != plan["id"]  # bo's own copy
    today = bo.http.get(f"/athletes/{bo.athlete_id}/plan/today").json()["today"]
    assert today["source"] == adopted["id"]  # the program points at bo's copy
    review = bo.http.get(f"/athletes/{bo.athlete_id}/plan/review").json()
    assert review["session_id"] != started["session_id"]  # bo's session, with its plan
    assert (review["planned"], review["met"]) == (2, 1)
    again = _import(bo, exported, filename="export.json")  # nothing twice
    assert again.status_code == 200, again.text
    assert len(bo.http.get(f"/athletes/{bo.athlete_id}/plans").json()["plans"]) == len(mine)
