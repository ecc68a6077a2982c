"""Logging a set with its live analysis in one unit of work (what the server does for each
set), and the storage shortcuts it takes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from replog.core.analysis_doc import session_analysis_to_dict
from replog.core.entry import SetEntry
from replog.core.errors import ConflictError, NotFoundError, StorageError
from replog.core.ids import new_id
from replog.core.model import Athlete, Session, SetRecord
from replog.core.units import Load, Unit
from replog.services.analytics import analyze_stored, history_analyses
from replog.services.athletes import resolve_athlete
from replog.services.log_set import log_set
from replog.services.training import SetDetails
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork
from tests.support import log_for

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def _athlete(uow: SqlUnitOfWork, name: str = "ana") -> Athlete:
    with uow:
        found = resolve_athlete(uow, name, create=True)
        uow.commit()
    return found


def _history(uow: SqlUnitOfWork, name: str, weeks: int = 8) -> None:
    """Two sessions a week of squats with velocities, before T0."""
    for d in range(0, 7 * weeks, 3):
        at = T0 - timedelta(days=7 * weeks) + timedelta(days=d)
        for k, kg in enumerate((100, 110, 120)):
            v = 0.85 - 0.004 * kg - 0.01 * (d % 2)
            log_for(
                uow, name, SetEntry("squat", Load(Decimal(kg), Unit.KG), 3, 1, 8),
                SetDetails(velocities=(v, v - 0.02, v - 0.05)), now=at + timedelta(minutes=k),
            )  # fmt: skip


def _doc(result: object) -> dict[str, object]:
    return json.loads(json.dumps(session_analysis_to_dict(result.analysis, "x")))  # type: ignore[attr-defined]


@pytest.fixture
def ana(uow: SqlUnitOfWork) -> Athlete:
    athlete = _athlete(uow)
    _history(uow, athlete.name)
    return athlete


def _entry(kg: str = "105", reps: int = 3) -> SetEntry:
    return SetEntry("squat", Load(Decimal(kg), Unit.KG), reps, 1, 8)


def test_the_analysis_is_that_of_the_session_read_back(uow: SqlUnitOfWork, ana: Athlete) -> None:
    session_id = None
    for n in range(6):
        details = SetDetails(
            velocities=(0.62 - 0.02 * n, 0.6 - 0.02 * n, 0.55 - 0.03 * n),
            tags=("Belt", "paused") if n % 2 else (),
            session_id=session_id,
            set_id=new_id(),
        )
        done = log_set(uow, ana, _entry(("1E+2", "102.5", "105")[n % 3]), details, now=T0)
        session_id = done.logged.session.id
        assert done.version == 1
        assert not done.logged.already_logged
        assert done.logged.new_session == (n == 0)
        assert _doc(done.result) == _doc(analyze_stored(uow, ana, session_id))
        assert [s.position for s in done.logged.session.sets] == list(range(1, n + 2))


def test_todays_session_is_found_and_its_sets_read(uow: SqlUnitOfWork, ana: Athlete) -> None:
    first = log_set(uow, ana, _entry(), SetDetails(velocities=(0.6, 0.58, 0.5)), now=T0)
    later = T0 + timedelta(minutes=5)
    second = log_set(uow, ana, _entry(), SetDetails(velocities=(0.5, 0.45, 0.4)), now=later)
    assert first.logged.new_session
    assert not second.logged.new_session
    assert second.logged.session.id == first.logged.session.id
    assert [s.position for s in second.logged.session.sets] == [1, 2]
    assert _doc(second.result) == _doc(analyze_stored(uow, ana, first.logged.session.id))


def test_a_retry_logs_nothing_and_answers_with_the_set_as_it_is(
    uow: SqlUnitOfWork, ana: Athlete
) -> None:
    with uow:
        before = uow.sets.count(ana.id)
    details = SetDetails(velocities=(0.6, 0.58, 0.5), set_id=new_id())
    first = log_set(uow, ana, _entry(), details, now=T0)
    with uow:
        record = uow.sets.get(str(details.set_id))
        assert record is not None
        uow.sets.update(replace(record, notes="edited"))
        uow.commit()
    again = log_set(uow, ana, _entry(), details, now=T0 + timedelta(minutes=1))
    assert again.logged.already_logged
    assert again.version == 2
    assert again.logged.sets[0].notes == "edited"
    assert again.logged.session.id == first.logged.session.id
    assert _doc(again.result) == _doc(first.result)
    retry_into_session = replace(details, session_id=first.logged.session.id)
    assert log_set(uow, ana, _entry(), retry_into_session, now=T0).logged.already_logged
    with uow:
        assert uow.sets.count(ana.id) == before + 1


def test_a_set_id_asking_for_another_set_is_refused_not_replayed(
    uow: SqlUnitOfWork, ana: Athlete
) -> None:
    """Answering a retry that asks for something else with the original (200) drops the
    new data silently: it is a 409, as an idempotency key reused with another body is."""
    details = SetDetails(velocities=(0.6, 0.58, 0.5), set_id=new_id())
    first = log_set(uow, ana, _entry(), details, now=T0)
    for other in (
        replace(details, velocities=(0.6, 0.58, 0.49)),
        replace(details, notes="a different set"),
        replace(details, session_id=new_id()),
    ):
        with pytest.raises(ConflictError, match="already used for another set"):
            log_set(uow, ana, _entry(), other, now=T0)
    with pytest.raises(ConflictError, match="already used for another set"):
        log_set(uow, ana, ["squat", "100kg", "x4"], details, now=T0)
    # the same request again (another time, the session named) is still a retry
    same = replace(details, session_id=first.logged.session.id)
    assert log_set(uow, ana, _entry(), same, now=T0 + timedelta(hours=1)).logged.already_logged


def test_another_lifters_set_id_or_session_is_refused(uow: SqlUnitOfWork, ana: Athlete) -> None:
    bo = _athlete(uow, "bo")
    details = SetDetails(set_id=new_id())
    mine = log_set(uow, ana, _entry(), details, now=T0)
    with pytest.raises(ConflictError):
        log_set(uow, bo, _entry(), details, now=T0)
    with pytest.raises(NotFoundError):
        log_set(uow, bo, _entry(), SetDetails(session_id=mine.logged.session.id), now=T0)


def test_get_with_owner(uow: SqlUnitOfWork, ana: Athlete) -> None:
    logged = log_for(uow, ana.name, _entry(), SetDetails(set_id=new_id()), now=T0)
    set_id, session_id = logged.sets[0].id, logged.session.id
    with uow:
        session, owner = uow.sessions.get_with_owner(session_id, set_id)
        assert (session, owner) == (uow.sessions.get(session_id), ana.id)
        assert uow.sessions.get_with_owner(session_id, None)[1] is None
        assert uow.sessions.get_with_owner(session_id, new_id()) == (session, None)
        assert uow.sessions.get_with_owner(new_id(), set_id) == (None, ana.id)
        empty = Session(new_id(), ana.id, T0 + timedelta(days=1))
        uow.sessions.add(empty)
        assert uow.sessions.get_with_owner(empty.id, None) == (empty, None)


def test_tags_and_reps_come_back_in_order(uow: SqlUnitOfWork, ana: Athlete) -> None:
    session = Session(new_id(), ana.id, T0)
    tagged = SetRecord(
        new_id(), session.id, "back-squat", 1, Load(Decimal(100), Unit.KG), 3, T0,
        tags=("zeta", "Alpha", "belt", "b"),
    )  # fmt: skip
    bare = replace(tagged, id=new_id(), position=2, tags=())
    with uow:
        uow.sessions.add(session)
        uow.sets.add_many([tagged, bare])
        uow.commit()
    with uow:
        got = uow.sessions.get(session.id)
        one = uow.sets.get(tagged.id)
    assert got is not None
    assert [s.tags for s in got.sets] == [("alpha", "b", "belt", "zeta"), ()]
    assert one is not None
    assert one.tags == ("alpha", "b", "belt", "zeta")


def test_moving_a_session_forgets_the_analyses_around_both_places(
    uow: SqlUnitOfWork, ana: Athlete
) -> None:
    _, stored, _ = history_analyses(uow, ana)
    target = stored[-1]
    moved_to = target.started_at - timedelta(days=30)  # among sessions it did not feed
    with uow:
        session = uow.sessions.get(target.session_id)  # known where it was...
        assert session is not None
        uow.sessions.update(replace(session, started_at=moved_to))  # ...and where it goes
        uow.commit()
    horizon = timedelta(days=56)
    touched = {
        e.session_id
        for e in stored
        if target.started_at <= e.started_at <= target.started_at + horizon
        or moved_to <= e.started_at <= moved_to + horizon
    }
    assert history_analyses(uow, ana)[2] == len(touched)


def test_a_reader_cannot_write(database: Database) -> None:
    writer = SqlUnitOfWork(database)
    athlete = _athlete(writer)
    reader = SqlUnitOfWork(database, read_only=True)

    def write() -> None:
        with reader:
            reader.athletes.update(replace(athlete, name="renamed"))  # PostgreSQL: refused
            reader.commit()  # SQLite: refused

    with pytest.raises(Exception) as refused:  # noqa: PT011
        write()
    assert isinstance(refused.value, StorageError) or "read-only" in str(refused.value)
    with reader:
        assert reader.athletes.get(athlete.id) == athlete
