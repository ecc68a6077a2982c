"""Reading the log back: sessions, one session, an exercise's history and records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from replog.core.errors import NotFoundError, ValidationError
from replog.core.exercises import Exercise
from replog.core.model import Athlete, Session, SetRecord
from replog.core.records import Records, compute_records
from replog.services.catalogue import catalogue_for
from replog.services.ports import SessionSummary, UnitOfWork
from replog.services.training import local_day_bounds


def list_sessions(
    uow: UnitOfWork, athlete: Athlete, limit: int | None = 20
) -> tuple[Athlete, list[SessionSummary], dict[str, str]]:
    """The newest sessions, and the display name of each exercise key they use."""
    with uow:
        rows = uow.sessions.summaries(athlete.id, limit)
        cat = catalogue_for(uow, athlete.id)
    names = {k: cat.get(k).name for r in rows for k in r.exercises if k in cat}
    return athlete, rows, names


@dataclass(frozen=True, slots=True)
class SessionView:
    athlete: Athlete
    session: Session
    exercises: dict[str, Exercise]


def get_session(uow: UnitOfWork, athlete: Athlete, ref: str = "last") -> SessionView:
    """A session by id, unique id prefix (4+ characters), ``last``, or a date ``YYYY-MM-DD``."""
    with uow:
        session = find_session(uow, athlete, ref)
        cat = catalogue_for(uow, athlete.id)
        exercises = {s.exercise: cat.get(s.exercise) for s in session.sets if s.exercise in cat}
        return SessionView(athlete, session, exercises)


def find_session(uow: UnitOfWork, athlete: Athlete, ref: str) -> Session:
    """A session by id, unique id prefix, `last`, `today` or a date; inside a unit of work."""
    ref = ref.strip().lower()
    if ref in {"last", "latest", ""}:
        found = uow.sessions.latest(athlete.id)
        if found is None:
            raise NotFoundError("no sessions logged yet", field="session")
        return found
    if ref == "today" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", ref):
        try:
            day = date.today() if ref == "today" else date.fromisoformat(ref)
        except ValueError:
            raise ValidationError(f"not a date: {ref!r}", field="session") from None
        start, end = local_day_bounds(datetime(day.year, day.month, day.day).astimezone())
        on_day = uow.sessions.on_day(athlete.id, start, end)
        if not on_day:
            raise NotFoundError(f"no session on {day.isoformat()}", field="session")
        found = uow.sessions.get(on_day[-1].id)
        assert found is not None
        return found
    if len(ref) == 36:  # a whole id: no prefix search
        found = uow.sessions.get(ref)
        if found is not None and found.athlete_id == athlete.id:
            return found
    if not re.fullmatch(r"[0-9a-f-]{4,36}", ref):
        raise ValidationError(
            f"expected a session id, 'last' or a date YYYY-MM-DD, got {ref!r}", field="session"
        )
    ids = uow.sessions.find_ids(athlete.id, ref)
    if not ids:
        raise NotFoundError(f"no session {ref!r}", field="session")
    if len(ids) > 1 and ref not in ids:
        raise ValidationError(
            f"{ref!r} matches several sessions ({', '.join(i[:13] for i in ids)}); give more",
            field="session",
        )
    found = uow.sessions.get(ref if ref in ids else ids[0])
    assert found is not None
    return found


@dataclass(frozen=True, slots=True)
class SessionSets:
    session_id: str
    started_at: datetime
    sets: list[SetRecord]


@dataclass(frozen=True, slots=True)
class History:
    athlete: Athlete
    exercise: Exercise
    sessions: list[SessionSets]  # newest first
    total_sessions: int
    total_sets: int
    records: Records


def exercise_history(
    uow: UnitOfWork, athlete: Athlete, exercise_name: str, limit: int | None = 10
) -> History:
    """Sets of one exercise over time (newest sessions first, ``limit`` of them) and the
    records computed over the whole history."""
    with uow:
        exercise = catalogue_for(uow, athlete.id).resolve(exercise_name)
        lifts = uow.sets.lifts(athlete.id, exercise.key)
        started = {x.session_id: x.at for x in lifts}
        newest = sorted(started, key=lambda sid: (started[sid], sid), reverse=True)
        shown_ids = newest if limit is None else newest[:limit]
        rows = uow.sets.history(athlete.id, exercise.key, shown_ids)
    grouped: dict[str, SessionSets] = {sid: SessionSets(sid, started[sid], []) for sid in shown_ids}
    for r in rows:
        grouped[r.session_id].sets.append(r.set)
    return History(
        athlete, exercise, list(grouped.values()), len(newest), len(lifts), compute_records(lifts)
    )


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    exercise: Exercise
    sets_logged: int


def list_exercises(uow: UnitOfWork, athlete: Athlete | None) -> list[CatalogueEntry]:
    """The catalogue (the athlete's, or the built-in one without an athlete), most used first."""
    with uow:
        cat = catalogue_for(uow, athlete.id if athlete else None)
        used = uow.sets.exercises_used(athlete.id) if athlete else {}
    entries = [CatalogueEntry(ex, used.get(ex.key, 0)) for ex in cat]
    return sorted(entries, key=lambda e: (-e.sets_logged, e.exercise.name))
