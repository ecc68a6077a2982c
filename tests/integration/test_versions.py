"""Row versions and edits on real databases: every write bumps the version, a stale edit is
refused without writing, and another athlete's rows look like missing ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, pool, text

from replog.core.errors import ConflictError, NotFoundError, UnknownExerciseError, ValidationError
from replog.core.model import RepSource, SetKind, SetOrigin
from replog.core.signal.types import DetectedRep
from replog.core.units import Load, Unit
from replog.services.analytics import history_analyses
from replog.services.athletes import configure_athlete
from replog.services.editing import (
    SetChanges,
    delete_session,
    delete_set,
    edit_session,
    edit_set,
    session_version,
    set_version,
)
from replog.services.sensors import attach_reps
from replog.services.training import SetDetails, end_session
from replog.storage import migrate
from replog.storage.database import Database
from tests.support import checkin_for, log_for, named

T0 = datetime(2026, 4, 6, 17, 0, tzinfo=UTC)


def log(uow, athlete: str, words: str, at: datetime = T0, **details):
    return log_for(uow, athlete, words.split(), SetDetails(**details), now=at)


def detected(*mcvs: float) -> list[DetectedRep]:
    return [
        DetectedRep(i, i + 0.6, v, v * 0.95, v * 1.4, 0.55, 0.6, 1.1) for i, v in enumerate(mcvs)
    ]


def test_a_sets_version_rises_through_attach_and_edit_and_keeps_provenance(uow) -> None:
    logged = log(uow, "ana", "squat 100kg x3 @8", velocities=(0.6, 0.58, 0.55))
    s = logged.sets[0]
    athlete_id = logged.athlete.id
    with uow:
        assert uow.sets.versions([s.id, "missing"]) == {s.id: 1}
        uow.origins.add_many([SetOrigin(s.id, "strong", "w.csv", 7, "row as written")])
        uow.commit()
    attached = attach_reps(uow, named(uow, "ana"), s.id, detected(0.61, 0.57, 0.52), RepSource.IMU)
    assert set_version(uow, s.id) == 2
    assert [r.source for r in attached.rep_data] == [RepSource.IMU] * 3
    edited, version = edit_set(uow, athlete_id, s.id, 2, SetChanges(notes="felt fast"))
    assert version == 3 == set_version(uow, s.id)
    assert edited.rep_data == attached.rep_data  # untouched fields stay
    with uow:
        stored = uow.sets.get(s.id)
        origin = uow.origins.get(s.id)
    assert stored == edited
    assert origin is not None
    assert origin.row == "row as written"
    assert set_version(uow, "missing") is None


def test_session_athlete_and_checkin_versions_rise_with_each_write(uow) -> None:
    logged = log(uow, "ana", "bench 80kg x5")
    athlete_id, session_id = logged.athlete.id, logged.session.id
    assert session_version(uow, session_id) == 1
    end_session(uow, named(uow, "ana"), T0 + timedelta(hours=1))
    assert session_version(uow, session_id) == 2
    session, version = edit_session(uow, athlete_id, session_id, 2, name="  Upper   day ")
    assert (session.name, version) == ("Upper day", 3)
    assert session_version(uow, "missing") is None
    with uow:
        assert uow.athletes.version(athlete_id) == 1
    configure_athlete(uow, "ana", body_mass_kg=70.0)
    configure_athlete(uow, "ana", unit=Unit.LB)
    day = date(2026, 4, 6)
    checkin_for(uow, "ana", day, sleep_h=7.5)
    with uow:
        assert uow.athletes.version(athlete_id) == 3
        assert uow.athletes.version("missing") is None
        assert uow.checkins.version(athlete_id, day) == 1
    checkin_for(uow, "ana", day, stress=2)
    with uow:
        assert uow.checkins.version(athlete_id, day) == 2
        assert uow.checkins.version(athlete_id, day + timedelta(days=1)) is None
        assert uow.checkins.get(athlete_id, day).sleep_h == 7.5


def test_edit_set_applies_each_change_and_validates_it(uow) -> None:
    logged = log(uow, "ana", "squat 100kg x5 rir2", rest_s=180, tags=("belt",))
    s, athlete_id = logged.sets[0], logged.athlete.id
    changes = SetChanges(
        exercise="Bench Press",
        load=Load(Decimal("225"), Unit.LB),
        reps=3,
        rpe=9.0,  # replaces the RIR 2 it disagrees with
        kind=SetKind.BACKOFF,
        tags=("Paused", "paused "),
        velocities=(0.4, 0.35),
        clear=frozenset({"rest_s"}),
    )
    edited, version = edit_set(uow, athlete_id, s.id, 1, changes)
    assert version == 2
    assert (edited.exercise, edited.load.kg, edited.reps) == ("bench-press", 102.058, 3)
    assert (edited.rpe, edited.rir, edited.rest_s, edited.kind) == (9.0, None, None, "backoff")
    assert edited.tags == ("paused",)
    assert [(r.index, r.mcv, r.source) for r in edited.rep_data] == [
        (1, 0.4, RepSource.MANUAL),
        (2, 0.35, RepSource.MANUAL),
    ]
    assert (edited.id, edited.position, edited.performed_at) == (s.id, s.position, s.performed_at)
    with uow:
        assert uow.sets.get(s.id) == edited
    bad = [
        (SetChanges(rpe=11), "rpe"),
        (SetChanges(reps=1), "velocities"),  # two reps of velocity for a set of one
        (SetChanges(rpe=8, rir=1), "rir"),
        (SetChanges(rpe=8, clear=frozenset({"rpe"})), "rpe"),
        (SetChanges(clear=frozenset({"notes"})), "clear"),
        (SetChanges(velocities=(0.5, 42.0)), "mcv"),
    ]
    for change, field in bad:
        with pytest.raises(ValidationError) as caught:
            edit_set(uow, athlete_id, s.id, 2, change)
        assert caught.value.field == field
    with pytest.raises(UnknownExerciseError):
        edit_set(uow, athlete_id, s.id, 2, SetChanges(exercise="sqaut"))
    assert set_version(uow, s.id) == 2
    with uow:
        assert uow.sets.get(s.id) == edited


def test_a_stale_edit_is_refused_and_writes_nothing(uow) -> None:
    logged = log(uow, "ana", "squat 100kg x5")
    s, athlete_id = logged.sets[0], logged.athlete.id
    first, _ = edit_set(uow, athlete_id, s.id, 1, SetChanges(notes="first"))
    for stale in (1, 3):
        with pytest.raises(ConflictError, match=r"was changed \(version 2\); reload") as caught:
            edit_set(uow, athlete_id, s.id, stale, SetChanges(notes="second", reps=4))
        assert caught.value.field == "version"
    with pytest.raises(ConflictError):
        delete_set(uow, athlete_id, s.id, 1)
    with uow:
        assert uow.sets.get(s.id) == first
        assert uow.sets.versions([s.id]) == {s.id: 2}
    session_id = logged.session.id
    with pytest.raises(ConflictError) as caught:
        edit_session(uow, athlete_id, session_id, 7, notes="late")
    assert caught.value.field == "version"
    with pytest.raises(ConflictError):
        delete_session(uow, athlete_id, session_id, 2)
    with uow:
        assert uow.sessions.get(session_id).notes == ""
        assert uow.sessions.version(session_id) == 1


def test_another_athletes_set_or_session_looks_missing(uow) -> None:
    ana = log(uow, "ana", "squat 100kg x5")
    bea = log(uow, "bea", "bench 60kg x5")
    s = ana.sets[0]
    for set_id in (s.id, "0190a3b2-0000-7000-8000-000000000000"):
        with pytest.raises(NotFoundError) as caught:
            edit_set(uow, bea.athlete.id, set_id, 1, SetChanges(notes="mine now"))
        assert caught.value.field == "set"
        with pytest.raises(NotFoundError) as caught:
            delete_set(uow, bea.athlete.id, set_id)
        assert caught.value.field == "set"
    for call in (
        lambda: edit_session(uow, bea.athlete.id, ana.session.id, 1, name="mine"),
        lambda: delete_session(uow, bea.athlete.id, ana.session.id),
    ):
        with pytest.raises(NotFoundError) as caught:
            call()
        assert caught.value.field == "session"
    with uow:
        assert uow.sets.get(s.id) == s
        assert uow.sets.versions([s.id]) == {s.id: 1}
        assert uow.sessions.get(ana.session.id) is not None


def test_edit_and_delete_sessions_and_sets(uow) -> None:
    logged = log(uow, "ana", "squat 100kg 3x5")
    athlete_id, session_id = logged.athlete.id, logged.session.id
    with pytest.raises(ValidationError) as caught:
        edit_session(uow, athlete_id, session_id, 1, ended_at=T0 - timedelta(minutes=1))
    assert caught.value.field == "ended_at"
    with pytest.raises(ValidationError) as caught:
        edit_session(uow, athlete_id, session_id, 1, ended_at=datetime(2026, 4, 6, 18))
    assert caught.value.field == "ended_at"
    end = T0 + timedelta(minutes=50)
    session, version = edit_session(uow, athlete_id, session_id, 1, notes="good", ended_at=end)
    assert (session.notes, session.ended_at, version, len(session.sets)) == ("good", end, 2, 3)
    gone = delete_set(uow, athlete_id, logged.sets[1].id, 1)
    assert gone == logged.sets[1]
    assert delete_set(uow, athlete_id, logged.sets[2].id) == logged.sets[2]
    with uow:
        assert [s.id for s in uow.sessions.get(session_id).sets] == [logged.sets[0].id]
    deleted = delete_session(uow, athlete_id, session_id, 2)
    assert deleted.id == session_id
    with uow:
        assert uow.sessions.get(session_id) is None
        assert uow.sets.get(logged.sets[0].id) is None


def test_a_client_set_id_is_idempotent_for_its_athlete_only(uow) -> None:
    set_id = "0190a3b2-1111-7000-8000-000000000001"
    first = log(uow, "ana", "squat 100kg x5", set_id=set_id)
    again = log(uow, "ana", "squat 100kg x5", T0 + timedelta(minutes=3), set_id=set_id)
    assert (first.already_logged, again.already_logged) == (False, True)
    assert again.sets == first.sets
    with pytest.raises(ConflictError, match="already used") as caught:
        log(uow, "bea", "squat 100kg x5", set_id=set_id)
    assert caught.value.field == "id"
    with uow:
        ana = uow.athletes.by_name("ana")
        assert uow.sets.count(ana.id) == 1
        bea = uow.athletes.by_name("bea")
        assert bea is None or uow.sets.count(bea.id) == 0


def test_an_edit_forgets_the_stored_analyses_it_changes(uow) -> None:
    first = log(uow, "ana", "squat 100kg x3", velocities=(0.6, 0.58, 0.57))
    log(uow, "ana", "squat 100kg x3", velocities=(0.5, 0.49, 0.48))
    end_session(uow, named(uow, "ana"), T0 + timedelta(hours=1))
    log(uow, "ana", "squat 100kg x3", T0 + timedelta(days=2), velocities=(0.6, 0.6, 0.6))
    _, stored, computed = history_analyses(uow, named(uow, "ana"))
    assert computed == 2
    assert stored[0].dropoff_sets == 1
    assert history_analyses(uow, named(uow, "ana"))[2] == 0
    changes = SetChanges(velocities=(0.45, 0.44, 0.43))
    edit_set(uow, first.athlete.id, first.sets[0].id, 1, changes)
    _, after, computed = history_analyses(uow, named(uow, "ana"))
    assert computed == 2  # its own session and the one after it, within the model window
    assert after[0].dropoff_sets == 0  # the second set is now the faster one


def test_migrating_an_older_database_gives_existing_rows_version_one(database_url: str) -> None:
    db = Database(database_url)
    migrate.upgrade(db, "0005")
    engine = create_engine(db.sqlalchemy_url, poolclass=pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO athletes (id, name, default_unit, created_at) "
                    "VALUES ('a1', 'Ana', 'kg', :t)"
                ),
                {"t": T0},
            )
            conn.execute(
                text("INSERT INTO sessions (id, athlete_id, started_at) VALUES ('s1', 'a1', :t)"),
                {"t": T0},
            )
    finally:
        engine.dispose()
    from replog.storage.uow import SqlUnitOfWork

    uow = SqlUnitOfWork(Database(database_url))  # connecting migrates to the head
    with uow:
        assert uow.athletes.version("a1") == 1
        assert uow.sessions.version("s1") == 1
        assert uow.users.by_athlete("a1") is None
