"""What the live-session page needs to open: the exercises to pick from (recent first), the
last set of each recent exercise (to prefill the next one), and today's open session.

Reading only: nothing here opens a session; the first set logged does that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from replog.core.advice import primer_blocked
from replog.core.analysis import Recommendation
from replog.core.exercises import Exercise
from replog.core.model import Athlete, Session, SetKind, SetRecord
from replog.core.units import KG_PER_LB, Unit
from replog.services.catalogue import catalogue_for
from replog.services.ports import UnitOfWork
from replog.services.readiness import PlannedLift
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
    working: SetRecord | None = None  # the newest working set of that session, if any


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
        working = [s for s in sets if s.kind is SetKind.WORKING]
        top = max(working, key=lambda s: s.position) if working else None
        last[key] = LastSet(newest_set, day, day == today, top)
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


@dataclass(frozen=True, slots=True)
class NextSet:
    """What Drive prefills for an exercise, and why (one rule for the page and its JS)."""

    load: float  # in ``unit``
    unit: str
    reps: int
    rpe: float | None
    kind: str
    why: str


def next_sets(
    state: DriveState, plan: Sequence[PlannedLift], items: Sequence[Recommendation]
) -> dict[str, NextSet]:
    """Each exercise's next set: the last working set logged today; else today's plan (the
    one the Today page shows); else the last working set of its newest session (never a
    warm-up or back-off set when a working one is there). A cap (or a ground-out set) in
    force today lowers it to the load held."""
    unit = state.athlete.default_unit
    today_sets = state.session.sets if state.session else ()
    planned = {p.exercise: p for p in plan}
    out: dict[str, NextSet] = {}
    for key in dict.fromkeys([*state.last, *planned]):
        working = [s for s in today_sets if s.exercise == key and s.kind is SetKind.WORKING]
        last = state.last.get(key)
        if working:
            s = max(working, key=lambda x: x.position)
            nxt = _from_set(s, "your last working set today")
        elif key in planned:
            p = planned[key]
            value = p.load_kg if unit is Unit.KG else p.load_kg / float(KG_PER_LB)
            nxt = NextSet(round(value, 2), unit.value, p.reps, None, "working", "today's plan")
        elif last is not None and last.working is not None:
            nxt = _from_set(last.working, "your last working set")
        elif last is not None:
            nxt = _from_set(last.set, "your last set")
        else:
            continue
        out[key] = _held(nxt, primer_blocked(items, key))
    return out


def _from_set(s: SetRecord, why: str) -> NextSet:
    return NextSet(float(s.load.value), s.load.unit.value, s.reps, s.rpe, s.kind.value, why)


def _held(nxt: NextSet, block: Recommendation | None) -> NextSet:
    if block is None or not isinstance(block.details.get("hold"), dict):
        return nxt
    hold = block.details["hold"]
    factor = 1.0 if nxt.unit == "kg" else float(KG_PER_LB)
    if nxt.load * factor <= float(hold["kg"]) + 1e-9:
        return nxt
    value = hold["value"] if hold["unit"] == nxt.unit else round(float(hold["kg"]) / factor, 2)
    return replace(nxt, load=float(value), why=f"today's cap: {block.details['hold_load']}")
