"""What the live-session page needs to open: the exercises to pick from (recent first), the
last set of each recent exercise (to prefill the next one), and today's open session.

Reading only: nothing here opens a session; the first set logged does that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from replog.core.exercises import Exercise
from replog.core.model import Athlete, Session, SetRecord
from replog.services.catalogue import catalogue_for
from replog.services.ports import UnitOfWork
from replog.services.training import open_today

RECENT_SESSIONS = 30
"""How far back "recent exercises" and their last sets are looked for."""


@dataclass(frozen=True, slots=True)
class Pick:
    """An exercise in the picker: how often it was logged and whether it is recent."""

    exercise: Exercise
    sets_logged: int
    recent: bool


@dataclass(frozen=True, slots=True)
class LastSet:
    """The newest set of an exercise: what the next one is prefilled from."""

    set: SetRecord
    day: date
    today: bool


@dataclass(frozen=True, slots=True)
class DriveState:
    athlete: Athlete
    picks: list[Pick]  # recent ones first (newest first), then the most logged, then the
    # catalogue's order
    last: dict[str, LastSet]  # exercise key -> its newest set, for recent exercises
    session: Session | None  # today's open session with its sets, if there is one


def drive_state(uow: UnitOfWork, athlete: Athlete, now: datetime) -> DriveState:
    """The picker, the prefills and today's session of ``athlete`` at ``now``."""
    with uow:
        cat = catalogue_for(uow, athlete.id)
        used = uow.sets.exercises_used(athlete.id)
        rows = uow.sessions.summaries(athlete.id, RECENT_SESSIONS)
        newest: dict[str, str] = {}  # exercise key -> newest session id holding it
        for row in rows:  # newest first
            for key in row.exercises:
                newest.setdefault(key, row.id)
        sessions = {sid: uow.sessions.get(sid) for sid in dict.fromkeys(newest.values())}
        opened = open_today(uow, athlete.id, now)
        session = None if opened is None else uow.sessions.get(opened.id)
    today = now.astimezone().date()
    last: dict[str, LastSet] = {}
    for key, sid in newest.items():
        found = sessions.get(sid)
        sets = [s for s in (found.sets if found else ()) if s.exercise == key]
        if found is None or not sets:
            continue
        newest_set = max(sets, key=lambda s: s.position)
        day = found.started_at.astimezone().date()
        last[key] = LastSet(newest_set, day, day == today)
    order = {key: i for i, key in enumerate(newest)}
    listed = list(cat)  # the catalogue's own order: the big lifts first
    place = {ex.key: i for i, ex in enumerate(listed)}
    picks = [Pick(ex, used.get(ex.key, 0), ex.key in order) for ex in listed]
    picks.sort(
        key=lambda p: (
            order.get(p.exercise.key, len(order)),
            -p.sets_logged,
            place[p.exercise.key],
        )
    )
    return DriveState(athlete, picks, last, session)
