"""The SQL repositories and unit of work against real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from replog.core.errors import ConflictError
from replog.core.exercises import Equipment, Exercise, Pattern
from replog.core.ids import new_id
from replog.core.model import Athlete, CheckIn, Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load, Unit
from replog.io.replog_json import bundle_to_dict
from replog.services.exchange import AthleteData, Bundle, export_bundle, import_bundle
from replog.storage.memory import MemoryUnitOfWork
from replog.storage.uow import SqlUnitOfWork

EST = timezone(timedelta(hours=-5))
IST = timezone(timedelta(hours=5, minutes=30))
T0 = datetime(2026, 3, 2, 18, 0, tzinfo=EST)


class BoomError(Exception):
    """Something going wrong in the middle of a unit of work."""


def athlete(name: str = "Ana", unit: Unit = Unit.LB) -> Athlete:
    return Athlete(new_id(), name, unit, 72.5, datetime(2026, 1, 5, 9, 30, 15, 123456, IST))


def make_set(
    session: Session | str,
    position: int,
    exercise: str = "back-squat",
    load: Load | None = None,
    reps: int = 5,
    at: datetime | None = None,
    **kw: object,
) -> SetRecord:
    session_id = session if isinstance(session, str) else session.id
    return SetRecord(
        id=new_id(),
        session_id=session_id,
        exercise=exercise,
        position=position,
        load=load or Load(Decimal(100), Unit.KG),
        reps=reps,
        performed_at=at or T0 + timedelta(minutes=3 * position),
        **kw,  # type: ignore[arg-type]
    )


def store(uow: SqlUnitOfWork, *items: Athlete | Session) -> None:
    with uow:
        for item in items:
            if isinstance(item, Athlete):
                uow.athletes.add(item)
            else:
                uow.sessions.add(item)
        uow.commit()


def count(uow: SqlUnitOfWork | MemoryUnitOfWork, table: str) -> int:
    """Rows in a table (on the in-memory unit of work, the records that would be its rows)."""
    if isinstance(uow, MemoryUnitOfWork):
        db = uow.store
        sets = [s for s, _ in db.sets.values()]
        return {
            "athletes": len(db.athletes),
            "sessions": len(db.sessions),
            "sets": len(sets),
            "reps": sum(len(s.rep_data) for s in sets),
            "set_tags": sum(len(s.tags) for s in sets),
            "set_origins": len(db.origins),
            "checkins": len(db.checkins),
            "custom_exercises": len(db.exercises),
        }[table]
    with uow:
        assert uow.conn is not None
        return int(uow.conn.scalar(f"SELECT COUNT(*) FROM {table}"))


# ---------------------------------------------------------------------------- round trips
def test_athlete_round_trip(uow: SqlUnitOfWork) -> None:
    a = athlete()
    store(uow, a)
    with uow:
        got = uow.athletes.get(a.id)
        assert got == a
        assert got is not None
        assert got.created_at == a.created_at  # same instant, whatever the offset
        assert uow.athletes.by_name("ANA") == a
        assert uow.athletes.get(new_id()) is None
        uow.athletes.update(Athlete(a.id, "Ana B", Unit.KG, 70.0, a.created_at))
        uow.commit()
    with uow:
        assert uow.athletes.list() == [Athlete(a.id, "Ana B", Unit.KG, 70.0, a.created_at)]


@pytest.mark.sql_only
def test_session_with_sets_round_trip(uow: SqlUnitOfWork) -> None:
    a = athlete()
    sid = new_id()
    started = datetime(2026, 3, 2, 18, 0, 0, 250000, EST)
    reps = (
        Rep(
            1,
            mcv=0.61,
            mpv=0.55,
            peak_velocity=1.12,
            rom=0.58,
            concentric_s=0.9,
            eccentric_s=1.4,
            source=RepSource.IMU,
        ),
        Rep(
            2,
            mcv=0.52,
            mpv=0.47,
            peak_velocity=0.98,
            rom=0.57,
            concentric_s=1.05,
            eccentric_s=1.3,
            source=RepSource.IMU,
        ),
        Rep(3, mcv=0.41, source=RepSource.MANUAL),
    )
    sets = (
        SetRecord(
            id=new_id(),
            session_id=sid,
            exercise="back-squat",
            position=1,
            load=Load(Decimal("225"), Unit.LB),
            reps=3,
            performed_at=datetime(2026, 3, 2, 18, 5, 1, 999999, EST),
            rpe=8.5,
            rir=1.5,
            kind=SetKind.WORKING,
            rest_s=180,
            tags=("belt", "paused"),
            notes="felt fast; élan",
            rep_data=reps,
        ),
        SetRecord(
            id=new_id(),
            session_id=sid,
            exercise="bench-press",
            position=2,
            load=Load(Decimal("102.5"), Unit.KG),
            reps=5,
            performed_at=datetime(2026, 3, 3, 4, 40, tzinfo=IST),
            rir=2,
            kind=SetKind.BACKOFF,
        ),
        SetRecord(
            id=new_id(),
            session_id=sid,
            exercise="pull-up",
            position=3,
            load=Load(Decimal("0"), Unit.KG),
            reps=8,
            performed_at=started + timedelta(hours=1),
            kind=SetKind.AMRAP,
            rpe=10,
        ),
    )
    session = Session(
        sid, a.id, started, started + timedelta(hours=1, minutes=5), "Heavy day", "gym B", sets
    )
    store(uow, a, session)

    with uow:
        got = uow.sessions.get(sid)
        assert uow.conn is not None
        stored_kg = uow.conn.all("SELECT load_value, load_kg FROM sets ORDER BY position")
    assert got == session
    assert got is not None
    assert got.started_at == started
    assert got.started_at.utcoffset() is not None
    assert got.ended_at == session.ended_at
    squat, bench, pullup = got.sets
    assert squat.load == Load(Decimal("225"), Unit.LB)
    assert str(squat.load.value) == "225"
    assert squat.load.kg == 102.058
    assert [r["load_value"] for r in stored_kg] == ["225", "102.5", "0"]
    assert stored_kg[0]["load_kg"] == pytest.approx(102.058, abs=1e-9)
    assert str(bench.load.value) == "102.5"
    assert bench.load.value == Decimal("102.5")
    assert bench.load.kg == 102.5
    assert squat.rep_data == reps
    assert squat.tags == ("belt", "paused")
    assert (squat.rpe, squat.rir, squat.rest_s, squat.kind) == (8.5, 1.5, 180, SetKind.WORKING)
    assert squat.notes == "felt fast; élan"
    assert squat.performed_at == datetime(2026, 3, 2, 23, 5, 1, 999999, UTC)
    assert (bench.rpe, bench.rir, bench.rest_s, bench.kind) == (None, 2, None, SetKind.BACKOFF)
    assert bench.performed_at == datetime(2026, 3, 2, 23, 10, tzinfo=UTC)
    assert pullup.rep_data == ()
    assert pullup.tags == ()


def test_tags_come_back_as_given(uow: SqlUnitOfWork) -> None:
    a = athlete()
    session = Session(new_id(), a.id, T0)
    s = make_set(session, 1, tags=("Paused", "belt", "  competition   grip "))
    store(uow, a, session.with_sets([s]))
    with uow:
        got = uow.sets.get(s.id)
    assert got is not None
    assert set(got.tags) == {"paused", "belt", "competition grip"}


def test_checkin_upsert_keeps_one_per_day(uow: SqlUnitOfWork) -> None:
    a = athlete()
    day = date(2026, 3, 2)
    store(uow, a)
    with uow:
        uow.checkins.upsert(CheckIn(new_id(), a.id, day, sleep_h=7.5, sleep_quality=4))
        uow.commit()
    with uow:
        uow.checkins.upsert(
            CheckIn(
                new_id(),
                a.id,
                day,
                sleep_h=5.5,
                sleep_quality=2,
                stress=4,
                soreness=3,
                resting_hr=58.0,
                hrv_ms=61.5,
                notes="bad night",
            )
        )
        uow.checkins.upsert(CheckIn(new_id(), a.id, day + timedelta(days=1), sleep_h=8.0))
        uow.commit()
    with uow:
        listed = uow.checkins.list(a.id)
        got = uow.checkins.get(a.id, day)
        missing = uow.checkins.get(a.id, date(2026, 1, 1))
    assert [c.day for c in listed] == [day, day + timedelta(days=1)]
    assert got == listed[0]
    assert (got.sleep_h, got.sleep_quality, got.stress, got.soreness) == (5.5, 2, 4, 3)
    assert (got.resting_hr, got.hrv_ms, got.notes) == (58.0, 61.5, "bad night")
    assert missing is None
    assert count(uow, "checkins") == 2


def test_custom_exercises(uow: SqlUnitOfWork) -> None:
    a, b = athlete("Ana"), athlete("Ben")
    store(uow, a, b)
    mine = Exercise(
        "zercher-squat",
        "Zercher Squat",
        Equipment.BARBELL,
        Pattern.SQUAT,
        ("zercher", "z squat"),
        0.32,
        False,
        custom=True,
        athlete_id=a.id,
    )
    shared = Exercise(
        "sled-push", "Sled Push", Equipment.OTHER, Pattern.CARRY, concentric_first=True, custom=True
    )
    with uow:
        uow.exercises.add(mine)
        uow.exercises.add(shared)
        uow.commit()
    with uow:
        assert uow.exercises.list(a.id) == [shared, mine]
        assert uow.exercises.list(b.id) == [shared]
        assert uow.exercises.list(None) == [shared, mine]  # every key, for importers


# ---------------------------------------------------------------------------- queries
def test_session_summaries(uow: SqlUnitOfWork) -> None:
    a, other = athlete("Ana"), athlete("Ben")
    early = Session(new_id(), a.id, T0, T0 + timedelta(hours=1), "Day 1")
    early = early.with_sets(
        [
            make_set(early, 1, "back-squat", Load(Decimal(100), Unit.KG), 5),
            make_set(early, 2, "bench-press", Load(Decimal(80), Unit.KG), 5),
            make_set(early, 3, "back-squat", Load(Decimal(110), Unit.KG), 3),
            make_set(early, 4, "deadlift", Load(Decimal("225"), Unit.LB), 2),
        ]
    )
    empty = Session(new_id(), a.id, T0 + timedelta(days=2), name="Nothing yet")
    middle = Session(new_id(), a.id, T0 + timedelta(days=1))
    middle = middle.with_sets([make_set(middle, 1, "bench-press", reps=10)])
    theirs = Session(new_id(), other.id, T0 + timedelta(days=5))
    theirs = theirs.with_sets([make_set(theirs, 1)])
    store(uow, a, other, middle, early, empty, theirs)

    with uow:
        summaries = uow.sessions.summaries(a.id)
        limited = uow.sessions.summaries(a.id, limit=2)
        since = uow.sessions.summaries(a.id, since=T0 + timedelta(hours=12))
    assert [s.id for s in summaries] == [empty.id, middle.id, early.id]
    first = summaries[2]
    assert (first.set_count, first.rep_count) == (4, 15)
    assert first.volume_kg == pytest.approx(100 * 5 + 80 * 5 + 110 * 3 + 102.058 * 2)
    assert first.exercises == ("back-squat", "bench-press", "deadlift")
    assert first.name == "Day 1"
    assert first.started_at == T0
    assert first.ended_at == T0 + timedelta(hours=1)
    assert (summaries[0].set_count, summaries[0].rep_count, summaries[0].volume_kg) == (0, 0, 0)
    assert summaries[0].exercises == ()
    assert summaries[0].ended_at is None
    assert summaries[1].exercises == ("bench-press",)
    assert [s.id for s in limited] == [empty.id, middle.id]
    assert [s.id for s in since] == [empty.id, middle.id]


def test_history_is_in_time_order(uow: SqlUnitOfWork) -> None:
    a = athlete()
    # later on the wall clock but earlier in time: 08:00 in +09:00 is 23:00 UTC the day before
    jst = timezone(timedelta(hours=9))
    tokyo = Session(new_id(), a.id, datetime(2026, 3, 10, 8, 0, tzinfo=jst))
    london = Session(new_id(), a.id, datetime(2026, 3, 10, 1, 0, tzinfo=UTC))
    first = Session(new_id(), a.id, datetime(2026, 3, 1, 12, 0, tzinfo=EST))
    london = london.with_sets([make_set(london, i, reps=i) for i in (2, 1, 3)])
    tokyo = tokyo.with_sets([make_set(tokyo, 1, reps=9), make_set(tokyo, 2, "bench-press")])
    first = first.with_sets([make_set(first, 1, reps=7)])
    store(uow, a, london, tokyo, first)
    with uow:
        rows = uow.sets.history(a.id, "back-squat")
        bench = uow.sets.history(a.id, "bench-press")
        none = uow.sets.history(a.id, "deadlift")
    assert [(r.session_id, r.set.reps) for r in rows] == [
        (first.id, 7),
        (tokyo.id, 9),
        (london.id, 1),
        (london.id, 2),
        (london.id, 3),
    ]
    assert [r.session_started_at for r in rows] == [
        first.started_at,
        tokyo.started_at,
        *[london.started_at] * 3,
    ]
    assert [r.set.exercise for r in bench] == ["bench-press"]
    assert none == []


def test_next_position_last_for_count_and_exercises_used(uow: SqlUnitOfWork) -> None:
    a = athlete()
    one = Session(new_id(), a.id, T0)
    two = Session(new_id(), a.id, T0 + timedelta(days=1))
    latest = make_set(one, 5, "bench-press", at=T0 + timedelta(days=3))  # performed last
    one = one.with_sets([make_set(one, 1), make_set(one, 2), latest])
    store(uow, a, one, two)
    with uow:
        assert uow.sets.next_position(one.id) == 6
        assert uow.sets.next_position(two.id) == 1
        assert uow.sets.next_position(new_id()) == 1
        assert uow.sets.last_for(a.id) == latest
        assert uow.sets.last_for(new_id()) is None
        assert uow.sets.count(a.id) == 3
        assert uow.sets.exercises_used(a.id) == {"back-squat": 2, "bench-press": 1}


def test_latest_and_on_day(uow: SqlUnitOfWork) -> None:
    a = athlete()
    day1 = Session(new_id(), a.id, datetime(2026, 3, 2, 23, 30, tzinfo=EST))  # 04:30 UTC on 3rd
    day2 = Session(new_id(), a.id, datetime(2026, 3, 3, 9, 0, tzinfo=EST))
    store(uow, a, day1, day2)
    start = datetime(2026, 3, 2, tzinfo=EST)
    with uow:
        assert uow.sessions.latest(a.id) == day2
        assert [s.id for s in uow.sessions.on_day(a.id, start, start + timedelta(days=1))] == [
            day1.id
        ]
        assert uow.sessions.latest(new_id()) is None


def test_delete_set_removes_its_reps_and_tags(uow: SqlUnitOfWork) -> None:
    a = athlete()
    session = Session(new_id(), a.id, T0)
    gone = make_set(session, 1, reps=2, tags=("x", "y"), rep_data=(Rep(1, 0.5), Rep(2, 0.4)))
    kept = make_set(session, 2, reps=1, tags=("x",), rep_data=(Rep(1, 0.3),))
    store(uow, a, session.with_sets([gone, kept]))
    with uow:
        uow.sets.delete(gone.id)
        uow.commit()
    with uow:
        assert uow.sets.get(gone.id) is None
        assert uow.sets.get(kept.id) == kept
    assert count(uow, "reps") == 1
    assert count(uow, "set_tags") == 1


@pytest.mark.sql_only
def test_foreign_keys_cascade_in_the_database(uow: SqlUnitOfWork) -> None:
    a = athlete()
    session = Session(new_id(), a.id, T0)
    s = make_set(session, 1, reps=1, tags=("x",), rep_data=(Rep(1, 0.5),))
    store(uow, a, session.with_sets([s]))
    with uow:
        assert uow.conn is not None
        uow.conn.execute("DELETE FROM athletes WHERE id = :id", {"id": a.id})
        uow.commit()
    for table in ("sessions", "sets", "reps", "set_tags"):
        assert count(uow, table) == 0, table


def test_delete_session(uow: SqlUnitOfWork) -> None:
    a = athlete()
    gone = Session(new_id(), a.id, T0)
    gone = gone.with_sets(
        [make_set(gone, i, reps=1, tags=("t",), rep_data=(Rep(1, 0.5),)) for i in (1, 2)]
    )
    kept = Session(new_id(), a.id, T0 + timedelta(days=1))
    kept = kept.with_sets([make_set(kept, 1, reps=1, tags=("t",), rep_data=(Rep(1, 0.5),))])
    store(uow, a, gone, kept)
    with uow:
        uow.sessions.delete(gone.id)
        uow.commit()
    with uow:
        assert uow.sessions.get(gone.id) is None
        assert uow.sessions.get(kept.id) == kept
        assert uow.sets.count(a.id) == 1
    assert (count(uow, "sets"), count(uow, "reps"), count(uow, "set_tags")) == (1, 1, 1)


def test_find_ids_by_prefix(uow: SqlUnitOfWork) -> None:
    a, b = athlete("Ana"), athlete("Ben")
    ids = [
        "0195aaaa-1111-7000-8000-000000000001",
        "0195aaaa-2222-7000-8000-000000000002",
        "0195bbbb-1111-7000-8000-000000000003",
    ]
    theirs = "0195aaaa-3333-7000-8000-000000000004"
    store(uow, a, b, *(Session(i, a.id, T0) for i in ids), Session(theirs, b.id, T0))
    with uow:
        assert uow.sessions.find_ids(a.id, "0195aaaa") == ids[:2]
        assert uow.sessions.find_ids(a.id, "0195AAAA-2") == ids[1:2]
        assert uow.sessions.find_ids(a.id, "0195b") == ids[2:]
        assert uow.sessions.find_ids(a.id, "ffff") == []
        assert uow.sessions.find_ids(a.id, "0195%b") == ids[2:]  # LIKE wildcards are dropped
        assert uow.sessions.find_ids(b.id, "0195aaaa") == [theirs]


# ---------------------------------------------------------------------------- transactions
def test_failed_unit_of_work_writes_nothing(uow: SqlUnitOfWork) -> None:
    a = athlete()
    session = Session(new_id(), a.id, T0)

    def fail_half_way() -> None:
        with uow:
            uow.athletes.add(a)
            uow.sessions.add(session.with_sets([make_set(session, 1, rep_data=(Rep(1, 0.5),))]))
            raise BoomError

    with pytest.raises(BoomError):
        fail_half_way()
    with uow:
        assert uow.athletes.list() == []
    for table in ("athletes", "sessions", "sets", "reps"):
        assert count(uow, table) == 0, table


def test_uncommitted_work_is_rolled_back_without_an_error(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.athletes.add(athlete())
    assert count(uow, "athletes") == 0


def test_commit_then_error_keeps_the_committed_part(uow: SqlUnitOfWork) -> None:
    a = athlete()
    session = Session(new_id(), a.id, T0)
    first = make_set(session, 1)

    def commit_then_fail() -> None:
        with uow:
            uow.athletes.add(a)
            uow.sessions.add(session.with_sets([first]))
            uow.commit()
            uow.sets.add(make_set(session, 2))
            uow.checkins.upsert(CheckIn(new_id(), a.id, date(2026, 3, 2), sleep_h=8))
            raise BoomError

    with pytest.raises(BoomError):
        commit_then_fail()
    with uow:
        assert uow.sessions.get(session.id) == session.with_sets([first])
        assert uow.checkins.list(a.id) == []


def test_duplicate_id_is_a_conflict_and_keeps_nothing(uow: SqlUnitOfWork) -> None:
    a = athlete()
    session = Session(new_id(), a.id, T0)
    existing = make_set(session, 1)
    store(uow, a, session.with_sets([existing]))

    other = Session(new_id(), a.id, T0 + timedelta(days=1))
    clash = SetRecord(existing.id, other.id, "bench-press", 1, Load(Decimal(60), Unit.KG), 8, T0)

    def write_clash() -> None:
        with uow:
            uow.sessions.add(other)
            uow.sets.add(make_set(session, 2))
            uow.sets.add(clash)
            uow.commit()

    with pytest.raises(ConflictError, match="conflicts with stored data") as caught:
        write_clash()
    assert caught.value.code == "conflict"
    # what it says is the kind of clash, never the database's own words (issue 20, item 9)
    said = caught.value.message.lower()
    assert "already in use" in said
    assert not any(w in said for w in ("unique", "constraint", "sets.id", "pkey", "duplicate"))
    with uow:
        assert uow.sessions.get(other.id) is None
        assert uow.sessions.get(session.id) == session.with_sets([existing])
    assert count(uow, "sets") == 1
    # the connection is usable afterwards
    with uow:
        assert uow.sets.next_position(session.id) == 2


def test_duplicate_position_is_a_conflict(uow: SqlUnitOfWork) -> None:
    a = athlete()
    session = Session(new_id(), a.id, T0)
    store(uow, a, session.with_sets([make_set(session, 1)]))

    def write_same_position() -> None:
        with uow:
            uow.sets.add(make_set(session, 1))
            uow.commit()

    with pytest.raises(ConflictError):
        write_same_position()
    assert count(uow, "sets") == 1


# ---------------------------------------------------------------------------- exchange
def _bundle() -> Bundle:
    a = athlete("Ana")
    zercher = Exercise(
        "zercher-squat",
        "Zercher Squat",
        Equipment.BARBELL,
        Pattern.SQUAT,
        ("zercher",),
        0.32,
        custom=True,
        athlete_id=a.id,
    )
    one = Session(new_id(), a.id, T0, T0 + timedelta(hours=1), "Heavy", "notes")
    one = one.with_sets(
        [
            make_set(
                one,
                1,
                load=Load(Decimal("225"), Unit.LB),
                reps=3,
                rpe=8.5,
                rest_s=240,
                tags=("belt",),
                rep_data=(Rep(1, 0.5, 0.45, 0.9, 0.6, 1.0, 1.5, "imu"),),
            ),
            make_set(
                one,
                2,
                "zercher-squat",
                Load(Decimal("102.5"), Unit.KG),
                reps=5,
                rir=2,
                kind=SetKind.BACKOFF,
                notes="ok",
            ),
        ]
    )
    two = Session(new_id(), a.id, datetime(2026, 3, 4, 7, 15, tzinfo=IST))
    two = two.with_sets([make_set(two, 1, "bench-press", at=two.started_at + timedelta(minutes=5))])
    checkins = (
        CheckIn(new_id(), a.id, date(2026, 3, 2), 7.0, 4, 2, 3, 55.0, 70.0, "fine"),
        CheckIn(new_id(), a.id, date(2026, 3, 4), sleep_h=6.0),
    )
    b = athlete("Ben", Unit.KG)
    three = Session(new_id(), b.id, T0)
    three = three.with_sets([make_set(three, 1, "deadlift")])
    return Bundle((AthleteData(a, (zercher,), (one, two), checkins), AthleteData(b, (), (three,))))


def test_import_bundle_twice_is_idempotent(uow: SqlUnitOfWork) -> None:
    bundle = _bundle()
    report = import_bundle(uow, bundle)
    assert (report.athletes, report.sessions_added, report.sets) == (2, 3, 4)
    assert (report.checkins, report.exercises) == (2, 1)
    first = bundle_to_dict(export_bundle(uow))

    again = import_bundle(uow, bundle)
    assert (again.sessions_added, again.sessions_replaced, again.exercises) == (0, 3, 0)
    second = bundle_to_dict(export_bundle(uow))
    assert second == first

    # and the export is the bundle itself, up to how times are written (UTC on the way out)
    exported = export_bundle(uow)
    assert sorted(exported.athletes, key=lambda d: d.athlete.name) == list(bundle.athletes)
    for table, n in (
        ("athletes", 2),
        ("sessions", 3),
        ("sets", 4),
        ("reps", 1),
        ("set_tags", 1),
        ("checkins", 2),
        ("custom_exercises", 1),
    ):
        assert count(uow, table) == n, table


def test_athlete_without_created_at_is_stored_with_the_time_of_writing(
    uow: SqlUnitOfWork,
) -> None:
    before = datetime.now(UTC)
    a = Athlete(new_id(), "No Date")
    store(uow, a)
    with uow:
        got = uow.athletes.get(a.id)
    assert got is not None
    assert got.created_at is not None
    assert before - timedelta(seconds=1) <= got.created_at <= datetime.now(UTC)
