"""Today's session of the program a lifter follows, and the next set while it is lifted.

The rules are core's (:func:`replog.core.session_plan.prescribe_session`,
:func:`~replog.core.session_plan.plan_next_set`, :func:`replog.core.progression.progress`);
this module gathers what they take: the day after the last session planned from the
program, each lift's state carried from it (working load, failures in a row, the double
progression's rep target) moved on by how that session went, today's e1RM and profile,
the readiness anchor, the day's readiness advice and the caps in force. A session started
from the plan keeps the plan as prescribed beside what is performed (``planned_sessions``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from replog.core.analysis import Recommendation, VelocityModel
from replog.core.errors import NotFoundError
from replog.core.ids import new_id
from replog.core.model import Athlete, Session, SetKind
from replog.core.plan import Program, Template
from replog.core.plan_compare import SetComparison, review_session
from replog.core.plan_doc import load_from_doc
from replog.core.prescription import LiftState
from replog.core.progression import Outcome, progress
from replog.core.session_plan import (
    PlannedSet,
    SessionPlan,
    SessionState,
    plan_next_set,
    prescribe_session,
)
from replog.services.analytics import analyze_stored
from replog.services.e1rm import lift_e1rm, local_today
from replog.services.plans import active_program
from replog.services.ports import PlannedSession, UnitOfWork
from replog.services.queries import find_session
from replog.services.readiness import anchors, battery_of_day
from replog.services.training import open_today

WORKING_LOOKBACK = timedelta(days=90)
"""How far back a lift's working load (the newest session's top working set) stands in when
the program has none yet."""


@dataclass(frozen=True, slots=True)
class TodayPlan:
    """The day of the program to train and its plan for this lifter today."""

    program: str
    source: str
    week: int
    day: int
    plan: SessionPlan
    lifts: Mapping[str, LiftState]
    outcomes: Mapping[str, Outcome]  # how each lift of the last planned session went
    session_id: str | None = None  # the session started from it today, if any
    state: SessionState | None = None  # what the rules were given (not in the document)

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "source": self.source,
            "week": self.week + 1,
            "day": self.day + 1,
            "session_id": self.session_id,
            "plan": self.plan.to_dict(),
            "last_session": {k: o.to_dict() for k, o in self.outcomes.items()},
        }


def _after(program: Program, last: PlannedSession | None) -> tuple[int, int]:
    if last is None:
        return 0, 0
    week = program.weeks[last.week % len(program.weeks)]
    if last.day + 1 < len(week.days):
        return last.week, last.day + 1
    return (last.week + 1) % len(program.weeks), 0


def _state_doc(lifts: Mapping[str, LiftState]) -> dict[str, Any]:
    return {k: {"working_load": None if s.working_load is None else s.working_load.text,
                "failures": s.failures, "rep_target": s.rep_target}
            for k, s in lifts.items()}  # fmt: skip


def _carried(doc: Mapping[str, Any]) -> dict[str, LiftState]:
    out = {}
    for k, s in doc.get("lifts", {}).items():
        load = s.get("working_load")
        out[k] = LiftState(
            working_load=None if load is None else load_from_doc(load, "working_load"),
            failures=int(s.get("failures", 0)),
            rep_target=s.get("rep_target"),
        )
    return out


def _moved_on(
    uow: UnitOfWork, athlete: Athlete, program: Program, last: PlannedSession | None
) -> tuple[dict[str, LiftState], dict[str, Outcome]]:
    """Each lift's state after the last planned session, and how that session went."""
    if last is None:
        return {}, {}
    carried = _carried(json.loads(last.doc))
    session = uow.sessions.get(last.session_id)
    if session is None:
        return carried, {}
    unit = athlete.default_unit
    outcomes = {}
    for ex in program.day(last.week, last.day).exercises:
        before = carried.get(ex.exercise, LiftState())
        gear = SessionState(unit, athlete.gear_for(unit)).gear_for(ex.exercise)
        outcome = progress(ex, session.sets, before, gear, unit)
        outcomes[ex.exercise] = outcome
        carried[ex.exercise] = outcome.state
    return carried, outcomes


def _last_working(uow: UnitOfWork, athlete: Athlete, exercise: str, now: datetime) -> Any:
    rows = uow.sets.history(athlete.id, exercise, since=now - WORKING_LOOKBACK)
    working = [r for r in rows if r.set.kind is SetKind.WORKING and r.set.reps > 0]
    if not working:
        return None
    last = max(r.session_started_at for r in working)  # the newest session's top set
    top = max((r.set for r in working if r.session_started_at == last), key=lambda s: s.load.kg)
    return top.load


def _caps(uow: UnitOfWork, athlete: Athlete, session: Session | None) -> dict[str, Recommendation]:
    if session is None:
        return {}
    result = analyze_stored(uow, athlete, session.id)
    return {r.exercise: r for r in result.analysis.recommendations if r.kind == "cap_intensity"}


def _lift_state(
    uow: UnitOfWork, athlete: Athlete, key: str, carried: LiftState, anchor: float | None,
    now: datetime,
) -> LiftState:  # fmt: skip
    found = lift_e1rm(uow, athlete, key, now=now)
    estimate = found.estimate
    model: VelocityModel | None = found.profile.profile
    working = carried.working_load
    if working is None:
        with uow:
            working = _last_working(uow, athlete, key, now)
    return replace(
        carried,
        working_load=working,
        e1rm_kg=None if estimate is None else estimate.value_kg,
        model=model,
        anchor_kg=anchor,
    )


def todays_plan(uow: UnitOfWork, athlete: Athlete, now: datetime) -> TodayPlan | None:
    """Today's plan of the program the lifter follows (None: they follow none). Once a
    session is started from it, the same day from the same state, prescribed again with
    what is known now (a cap that fell during the session holds the rest of it); the plan
    as first prescribed stays stored with the session."""
    with uow:
        found = active_program(uow, athlete)
        if found is None:
            return None
        active, program = found
        opened = open_today(uow, athlete.id, now)
        started = None if opened is None else uow.plans.session(opened.id)
        last = uow.plans.last_session(athlete.id, active.source)
        before = last if started is None else _previous(uow, started)
        lifts, outcomes = _moved_on(uow, athlete, program, before)
    week, day = (started.week, started.day) if started else _after(program, before)
    template = program.day(week, day)
    state = session_state(uow, athlete, template, lifts, now)
    plan = prescribe_session(template, state, program.goal)
    label = f"{program.name}: {template.name}"
    sid = None if started is None else started.session_id
    kept = {k: state.lifts[k] for k in state.lifts}
    return TodayPlan(label, active.source, week, day, plan, kept, outcomes, sid, state)


def _previous(uow: UnitOfWork, started: PlannedSession) -> PlannedSession | None:
    """The planned session before ``started`` (its state is what ``started`` began from)."""
    prev = json.loads(started.doc).get("previous")
    return None if prev is None else uow.plans.session(prev)


def session_state(
    uow: UnitOfWork, athlete: Athlete, template: Template, lifts: Mapping[str, LiftState],
    now: datetime,
) -> SessionState:  # fmt: skip
    """What the rules take for ``template`` today (reads in units of work of its own)."""
    unit = athlete.default_unit
    chosen = {a.exercise: a.set_kg or a.auto_kg for a in anchors(uow, athlete)}
    states = {}
    for ex in template.exercises:
        if ex.exercise not in states:
            carried = lifts.get(ex.exercise, LiftState())
            states[ex.exercise] = _lift_state(
                uow, athlete, ex.exercise, carried, chosen.get(ex.exercise), now
            )
    advice = battery_of_day(uow, athlete, local_today(now)).advice
    with uow:
        opened = open_today(uow, athlete.id, now)
        session = None if opened is None else uow.sessions.get(opened.id)
    caps = _caps(uow, athlete, session)
    return SessionState(unit, athlete.gear_for(unit), states, readiness=advice, caps=caps)


def start_planned_session(uow: UnitOfWork, athlete: Athlete, now: datetime) -> TodayPlan:
    """Open today's session from the program's next day and keep its plan beside it (a
    session already started from the plan today is returned as it is)."""
    today = todays_plan(uow, athlete, now)
    if today is None:
        raise NotFoundError("you follow no program: pick one first", field="program")
    if today.session_id is not None:
        return today
    with uow:
        last = uow.plans.last_session(athlete.id, today.source)
        opened = open_today(uow, athlete.id, now)
        if opened is not None and uow.plans.session(opened.id) is None:
            session = opened
        else:
            session = Session(new_id(), athlete.id, now, name=today.program)
            uow.sessions.add(session)
        doc = {"plan": today.plan.to_dict(), "lifts": _state_doc(today.lifts),
               "previous": None if last is None else last.session_id}  # fmt: skip
        uow.plans.add_session(PlannedSession(
            session.id, athlete.id, today.source, today.week, today.day,
            json.dumps(doc, sort_keys=True), now,
        ))  # fmt: skip
        uow.commit()
    return replace(today, session_id=session.id)


@dataclass(frozen=True, slots=True)
class NextPlanned:
    """A lift's next set in today's planned session, steered by the sets done so far (None:
    its sets are done), with its number of work sets and its rest."""

    exercise: str
    set: PlannedSet | None
    total: int
    rest_s: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "next": None if self.set is None else self.set.to_dict(),
                "total": self.total, "rest_s": self.rest_s}  # fmt: skip


def next_planned(
    uow: UnitOfWork, athlete: Athlete, now: datetime, exercises: Sequence[str] | None = None
) -> dict[str, NextPlanned]:
    """Each lift's (or only ``exercises``') next set in today's planned session; empty when
    no session was started from the program today. Lifts not in the plan are left out."""
    today = todays_plan(uow, athlete, now)
    if today is None or today.session_id is None or today.state is None:
        return {}
    with uow:
        session = uow.sessions.get(today.session_id)
    if session is None:
        return {}
    wanted = [e.exercise for e in today.plan.exercises] if exercises is None else exercises
    out = {}
    for key in dict.fromkeys(wanted):
        ex = today.plan.exercise(key)
        if ex is not None:
            nxt = plan_next_set(today.plan, key, session.sets, today.state)
            out[key] = NextPlanned(key, nxt, len(ex.sets), ex.rest_s)
    return out


@dataclass(frozen=True, slots=True)
class PlanReview:
    """A session started from a plan: each planned work set and how it went."""

    session_id: str
    program: str
    rows: list[tuple[PlannedSet, SetComparison | None]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "program": self.program,
            "sets": [
                {"planned": p.to_dict(), "done": None if c is None else c.to_dict()}
                for p, c in self.rows
            ],
            "met": sum(1 for _, c in self.rows if c is not None and c.met),
            "planned": len(self.rows),
        }


def review_planned_session(uow: UnitOfWork, athlete: Athlete, ref: str = "last") -> PlanReview:
    """Planned against performed for a session started from a plan (``ref``: an id, a
    prefix, ``last`` or a date), from the plan as it was prescribed when it started."""
    with uow:
        session = find_session(uow, athlete, ref)
        planned = uow.plans.session(session.id)
    if planned is None:
        raise NotFoundError("that session was not started from a plan", field="session")
    doc = json.loads(planned.doc)["plan"]
    return PlanReview(session.id, doc["name"], review_session(doc, session.sets))
