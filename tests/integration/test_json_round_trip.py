"""Export -> import into an empty database -> export again gives the identical document,
for generated histories: every field of athletes, exercises, sessions, sets, reps,
check-ins, warm-up anchors and import provenance survives, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replog.core.exercises import Equipment, Exercise, Pattern
from replog.core.gear import BarAndPlates, OwnGear, gear_to_dict
from replog.core.ids import new_id
from replog.core.model import (
    Athlete,
    CheckIn,
    Rep,
    RepSource,
    Session,
    SetKind,
    SetOrigin,
    SetRecord,
)
from replog.core.units import Load, Unit
from replog.io.replog_json import bundle_to_dict, loads
from replog.services.exchange import AthleteData, Bundle, export_bundle, import_bundle
from replog.services.ports import ActiveProgram, PlannedSession, StoredPlan
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork

TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs"), max_codepoint=0x1FFFF), max_size=12)
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    base = datetime(2020, 1, 1, tzinfo=UTC)
    t = base + timedelta(seconds=draw(st.integers(0, 5 * 365 * 86400)))
    return t.astimezone(draw(ZONES))


@st.composite
def reps_for(draw: st.DrawFn, n: int) -> tuple[Rep, ...]:
    indexes = draw(st.lists(st.integers(1, n), unique=True, max_size=n)) if n else []
    out = []
    for i in sorted(indexes):
        mcv = draw(st.none() | st.floats(0.05, 2.0))
        peak = None if mcv is None else mcv + draw(st.floats(0, 1.0))
        out.append(
            Rep(
                i,
                mcv=mcv,
                mpv=draw(st.none() | st.floats(0.05, 2.0)),
                peak_velocity=peak,
                rom=draw(st.none() | st.floats(0.1, 1.2)),
                concentric_s=draw(st.none() | st.floats(0.2, 5)),
                eccentric_s=draw(st.none() | st.floats(0.2, 5)),
                source=draw(st.sampled_from(list(RepSource))),
            )
        )
    return tuple(out)


@st.composite
def a_set(draw: st.DrawFn, session_id: str, position: int, at: datetime, keys: list[str]):
    reps = draw(st.integers(0, 12))
    load = Load(
        Decimal(draw(st.integers(0, 2000))) / Decimal(draw(st.sampled_from([2, 4, 10]))),
        draw(st.sampled_from(list(Unit))),
    )
    rpe = draw(st.none() | st.integers(2, 20).map(lambda x: x / 2))
    return SetRecord(
        new_id(),
        session_id,
        draw(st.sampled_from(keys)),
        position,
        load,
        reps,
        at + timedelta(minutes=position * 3),
        rpe=rpe,
        rir=None if rpe is not None else draw(st.none() | st.integers(0, 8).map(float)),
        kind=draw(st.sampled_from(list(SetKind))),
        rest_s=draw(st.none() | st.integers(0, 900)),
        tags=tuple(draw(st.lists(st.sampled_from(["belt", "pap", "cue: fast"]), max_size=2))),
        notes=draw(TEXT),
        rep_data=draw(reps_for(reps)),
    )


@st.composite
def own_gear(draw: st.DrawFn) -> OwnGear:
    """None, one or both units' own bar and plates."""
    units = draw(st.lists(st.sampled_from(list(Unit)), unique=True, max_size=2))
    plates = st.lists(st.sampled_from([25, 20, 15, 10, 5, 2.5, 1.25, 0.5, 0.25]), min_size=1,
                      max_size=9, unique=True)  # fmt: skip
    return tuple(
        (u, BarAndPlates(draw(st.sampled_from([20.0, 15.0, 45.0, 10.0])), tuple(draw(plates))))
        for u in units
    )


@st.composite
def athlete_data(draw: st.DrawFn, name: str) -> AthleteData:
    aid = new_id()
    athlete = Athlete(
        aid,
        name,
        draw(st.sampled_from(list(Unit))),
        draw(st.none() | st.floats(40, 200)),
        draw(instants()),
        draw(st.sampled_from([10.0, 7.5, 15.0])),
        draw(own_gear()),
    )
    custom = [
        Exercise(
            f"custom-{uuid.uuid4().hex[:12]}",
            f"Custom {i} {uuid.uuid4().hex[:6]}",
            draw(st.sampled_from(list(Equipment))),
            draw(st.sampled_from(list(Pattern))),
            mvt=draw(st.none() | st.floats(0.1, 1.0)),
            custom=True,
            athlete_id=aid,
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    keys = ["back-squat", "bench-press", "deadlift"] + [e.key for e in custom]
    sessions = []
    for _ in range(draw(st.integers(0, 3))):
        sid, start = new_id(), draw(instants())
        sets = [draw(a_set(sid, p, start, keys)) for p in range(1, draw(st.integers(0, 4)) + 1)]
        end = draw(st.none() | st.just(start + timedelta(hours=1)))
        sessions.append(Session(sid, aid, start, end, draw(TEXT), draw(TEXT), tuple(sets)))
    set_ids = [s.id for x in sessions for s in x.sets]
    origins = tuple(
        sorted(
            (
                SetOrigin(i, "strong", "strong.csv", draw(st.integers(2, 10_000)), draw(TEXT))
                for i in draw(st.lists(st.sampled_from(set_ids), unique=True))
            )
            if set_ids
            else (),
            key=lambda o: o.set_id,
        )
    )
    days = draw(st.lists(st.dates(date(2020, 1, 1), date(2026, 1, 1)), unique=True, max_size=3))
    checkins = tuple(
        CheckIn(
            new_id(),
            aid,
            d,
            sleep_h=draw(st.none() | st.floats(0, 14)),
            sleep_quality=draw(st.none() | st.integers(1, 5)),
            stress=draw(st.none() | st.integers(1, 5)),
            notes=draw(TEXT),
        )
        for d in sorted(days)
    )
    anchors = tuple(
        sorted({k: draw(st.floats(20, 200)) for k in draw(st.sets(st.sampled_from(keys)))}.items())
    )
    names = draw(st.lists(st.sampled_from(["Push", "Pull", "Legs A", "Ünïcode day"]),
                          unique=True, max_size=2))  # fmt: skip
    when = datetime(2025, 1, 1, tzinfo=UTC)
    plans = tuple(
        StoredPlan(new_id(), aid, n, json.dumps(_template(n), sort_keys=True), when, 1 + i)
        for i, n in enumerate(names)
    )
    source = draw(st.sampled_from(["builtin:novice-linear-3x5", *[p.id for p in plans]]))
    following = ActiveProgram(aid, source, "A program", json.dumps(_template("P")), when)
    program = draw(st.none() | st.just(following))
    planned = tuple(
        PlannedSession(x.id, aid, source, 0, i, json.dumps({"plan": {"name": "P"}}), x.started_at)
        for i, x in enumerate(sessions[: draw(st.integers(0, 2))])
    )
    return AthleteData(athlete, tuple(custom), tuple(sessions), checkins, origins, anchors,
                       plans, program, planned)  # fmt: skip


def _template(name: str) -> dict:
    return {
        "schema": "replog.template/1",
        "name": name,
        "exercises": [
            {"exercise": "back-squat", "sets": [{"reps": 5, "count": 3, "load": "100 kg"}]}
        ],
    }


@st.composite
def bundles(draw: st.DrawFn) -> Bundle:
    n = draw(st.integers(1, 2))
    return Bundle(tuple(draw(athlete_data(f"lifter {i}")) for i in range(n)))


def _export(url: str) -> dict:
    doc = bundle_to_dict(export_bundle(SqlUnitOfWork(Database(url))))
    return json.loads(json.dumps(doc))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundle=bundles())
def test_export_import_export_is_identical(bundle: Bundle, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("rt")
    first_url, second_url = f"sqlite:///{folder}/a.db", f"sqlite:///{folder}/b.db"
    import_bundle(SqlUnitOfWork(Database(first_url)), bundle)
    first = _export(first_url)
    import_bundle(SqlUnitOfWork(Database(second_url)), loads(json.dumps(first)))
    assert _export(second_url) == first
    # and the export holds what was generated
    sets = sum(len(s.sets) for a in bundle.athletes for s in a.sessions)
    assert sum(len(s["sets"]) for a in first["athletes"] for s in a["sessions"]) == sets
    origins = sum(len(a.origins) for a in bundle.athletes)
    assert sum(len(a["origins"]) for a in first["athletes"]) == origins
    gear = {a.athlete.name: gear_to_dict(a.athlete.gear) for a in bundle.athletes}
    assert {a["name"]: a["gear"] for a in first["athletes"]} == gear
    # the plans, the program followed and the sessions' plans go with the log
    plans = {a.athlete.name: sorted(p.name for p in a.plans) for a in bundle.athletes}
    assert {a["name"]: sorted(p["name"] for p in a["plans"]) for a in first["athletes"]} == plans
    programs = {a.athlete.name: a.program is not None for a in bundle.athletes}
    assert {a["name"]: a["program"] is not None for a in first["athletes"]} == programs
    planned = sum(len(a.planned) for a in bundle.athletes)
    assert sum(len(a["planned_sessions"]) for a in first["athletes"]) == planned


def test_round_trip_on_postgresql(database_url: str, tmp_path) -> None:
    """One fixed history through the other database too (the property runs on SQLite)."""
    bundle = _fixed_bundle()
    import_bundle(SqlUnitOfWork(Database(database_url)), bundle)
    first = _export(database_url)
    other = f"sqlite:///{tmp_path}/other.db"
    import_bundle(SqlUnitOfWork(Database(other)), loads(json.dumps(first)))
    assert _export(other) == first


def _fixed_bundle() -> Bundle:
    aid, sid, xid = new_id(), new_id(), new_id()
    start = datetime(2025, 3, 1, 18, 30, tzinfo=timezone(timedelta(hours=1)))
    s = SetRecord(
        xid, sid, "back-squat", 1, Load(Decimal("102.5"), Unit.KG), 3, start, rpe=8.5,
        rep_data=(Rep(1, 0.61, 0.7, 1.1, 0.55, 0.8, 1.2, RepSource.LPT), Rep(3, 0.5)),
    )  # fmt: skip
    return Bundle(
        (
            AthleteData(
                Athlete(
                    aid,
                    "pg lifter",
                    Unit.LB,
                    90.5,
                    start,
                    gear=((Unit.LB, BarAndPlates(35.0, (45.0, 25.0, 10.0, 2.5))),),
                ),
                (),
                (Session(sid, aid, start, None, "Heavy", "felt ok", (s,)),),
                (CheckIn(new_id(), aid, date(2025, 3, 1), 7.5, 4, 2),),
                (SetOrigin(xid, "hevy", "hevy.csv", 7, '"Squat",100,3'),),
                (("back-squat", 60.0),),
            ),
        )
    )
