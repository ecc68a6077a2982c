"""Following a program end to end through the services, on every store: the library, a
plan written and checked, today's plan with warm-ups, a session started from it, the next
set steered by the last one, and the next session's loads by the program's rule (a failed
set never raises them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from replog.core.errors import ConflictError, NotFoundError, ValidationError
from replog.core.ids import new_id
from replog.core.model import Athlete
from replog.core.plan_doc import template_from_dict
from replog.core.units import Unit
from replog.services.log_set import log_set
from replog.services.plan_today import (
    next_planned,
    session_state,
    start_planned_session,
    todays_plan,
)
from replog.services.plans import (
    delete_plan,
    follow_program,
    plan_library,
    save_plan,
    stop_program,
)
from replog.services.ports import UnitOfWork
from replog.services.training import SetDetails, end_session

MON = datetime(2026, 3, 2, 17, tzinfo=UTC)

SQUAT_DAY = {
    "schema": "replog.template/1",
    "name": "Squat day",
    "exercises": [{"exercise": "back-squat", "rest_s": 180, "sets": [{"reps": 5, "count": 3}],
                   "progression": {"rule": "linear", "increment": "2.5 kg"}}],
}  # fmt: skip


SQUAT_TEMPLATE = template_from_dict(SQUAT_DAY)


def _athlete(uow: UnitOfWork) -> Athlete:
    a = Athlete(new_id(), "ana", Unit.KG, 80.0, MON - timedelta(days=30))
    with uow:
        uow.athletes.add(a)
        uow.commit()
    return a


def _squats(uow: UnitOfWork, athlete: Athlete, load: str, reps: list[int], at: datetime) -> None:
    for r in reps:
        log_set(uow, athlete, ["squat", load, "x", str(r)], now=at)
    end_session(uow, athlete, at + timedelta(hours=1))


def test_the_library_and_plans_written_and_checked(uow: UnitOfWork) -> None:
    ana = _athlete(uow)
    shipped = [p.ref for p in plan_library(uow, ana)]
    assert "novice-linear-3x5" in shipped
    bad = {
        **SQUAT_DAY,
        "exercises": [{**SQUAT_DAY["exercises"][0], "sets": [{"reps": 5, "rpe": 12}]}],
    }
    with pytest.raises(ValidationError) as e:
        save_plan(uow, ana, bad, now=MON)
    assert e.value.field == "exercises[0].sets[0].rpe"
    mine = save_plan(uow, ana, SQUAT_DAY, now=MON)
    assert (mine.program.name, mine.version) == ("Squat day", 1)
    assert [p.ref for p in plan_library(uow, ana)][-1] == "Squat day"
    with pytest.raises(ConflictError):
        save_plan(
            uow, ana, {**SQUAT_DAY, "name": "Leg day"}, plan_id=mine.source, version=7, now=MON
        )
    again = save_plan(
        uow, ana, {**SQUAT_DAY, "name": "Leg day"}, plan_id=mine.source, version=1, now=MON
    )
    assert (again.program.name, again.version) == ("Leg day", 2)
    assert delete_plan(uow, ana, "leg day") == "Leg day"
    with pytest.raises(NotFoundError, match="novice-linear-3x5"):
        follow_program(uow, ana, "no such plan", now=MON)


def test_a_program_steers_today_and_the_next_session(uow: UnitOfWork) -> None:
    ana = _athlete(uow)
    _squats(uow, ana, "90kg", [5], MON - timedelta(days=14))
    for minutes, load in ((0, "100kg"), (5, "60kg")):  # the top set stands in, not the last
        at = MON - timedelta(days=7, minutes=-minutes)
        log_set(uow, ana, ["squat", load, "x", "5"], now=at)
    assert todays_plan(uow, ana, MON) is None
    save_plan(uow, ana, SQUAT_DAY, now=MON)
    follow_program(uow, ana, "Squat day", now=MON)

    today = todays_plan(uow, ana, MON)
    assert today is not None
    squat = today.plan.exercises[0]
    assert [s.load.text for s in squat.sets if s.load] == ["100 kg"] * 3  # the last working load
    assert squat.warmups  # a plate-loadable ramp to the first work set
    assert squat.warmups[0].load is not None
    assert squat.warmups[0].load.kg < 100
    assert squat.rest_s == 180

    started = start_planned_session(uow, ana, MON)
    assert started.session_id is not None
    assert start_planned_session(uow, ana, MON).session_id == started.session_id  # once
    found = next_planned(uow, ana, MON)["back-squat"]
    assert (found.total, found.rest_s) == (3, 180)
    first = found.set
    assert first is not None
    assert (first.number, first.reps) == (1, 5)
    _squats(uow, ana, "100kg", [5, 5, 5], MON)

    wed = MON + timedelta(days=2)
    nxt = todays_plan(uow, ana, wed)
    assert nxt is not None
    assert nxt.outcomes["back-squat"].met
    assert {s.load.text for s in nxt.plan.exercises[0].sets if s.load} == {"102.5 kg"}
    start_planned_session(uow, ana, wed)
    _squats(uow, ana, "102.5kg", [5, 4, 3], wed)  # short: a failed session

    fri = MON + timedelta(days=4)
    after = todays_plan(uow, ana, fri)
    assert after is not None
    assert after.outcomes["back-squat"].failed
    loads = {s.load.kg for s in after.plan.exercises[0].sets if s.load}
    assert loads
    assert max(loads) <= 102.5 + 1e-9  # a failed set never raises the next load
    assert stop_program(uow, ana) is True
    assert todays_plan(uow, ana, fri) is None


def test_a_cap_in_the_session_holds_the_rest_of_the_plan(uow: UnitOfWork) -> None:
    ana = _athlete(uow)
    save_plan(uow, ana, {**SQUAT_DAY, "exercises": [{**SQUAT_DAY["exercises"][0],
              "sets": [{"reps": 3, "count": 4, "load": "120 kg"}]}]}, now=MON)  # fmt: skip
    follow_program(uow, ana, "Squat day", now=MON)
    start_planned_session(uow, ana, MON)
    for v in ("0.60,0.59,0.58", "0.50,0.49,0.48"):  # 17 % slower: drop-off caps intensity
        log_set(uow, ana, ["squat", "120kg", "x", "3"], SetDetails(velocities=tuple(
            float(x) for x in v.split(","))), now=MON)  # fmt: skip
    today = todays_plan(uow, ana, MON)
    assert today is not None
    nxt = next_planned(uow, ana, MON, ["back-squat"])["back-squat"].set
    assert nxt is not None
    assert nxt.load is not None
    assert nxt.load.kg <= 120  # never over the load the cap holds
    state = session_state(uow, ana, SQUAT_TEMPLATE, {}, MON)
    assert state.caps["back-squat"].kind == "cap_intensity"  # the drop-off reached the plan
