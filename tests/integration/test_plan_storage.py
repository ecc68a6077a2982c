"""Plans kept by every store alike (memory, SQLite, PostgreSQL): documents with versions and
unique names per lifter, the program a lifter follows, the plan a session started from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from replog.core.errors import ConflictError
from replog.core.ids import new_id
from replog.core.model import Athlete, Session
from replog.core.units import Unit
from replog.services.ports import ActiveProgram, PlannedSession, StoredPlan, UnitOfWork

T0 = datetime(2026, 3, 2, 17, tzinfo=UTC)


def _athlete(uow: UnitOfWork, name: str) -> Athlete:
    a = Athlete(new_id(), name, Unit.KG, 80.0, T0)
    with uow:
        uow.athletes.add(a)
        uow.commit()
    return a


def _add_and_commit(uow: UnitOfWork, plan: StoredPlan) -> None:
    uow.plans.add(plan)
    uow.commit()


def test_plans_keep_versions_and_names(uow: UnitOfWork) -> None:
    ana, ben = _athlete(uow, "ana"), _athlete(uow, "ben")
    plan = StoredPlan(new_id(), ana.id, "Push day", '{"name": "Push day"}', T0)
    with uow:
        uow.plans.add(plan)
        uow.plans.add(StoredPlan(new_id(), ben.id, "Push day", "{}", T0))  # another lifter's
        uow.commit()
    with uow:
        assert uow.plans.get(plan.id) == plan
        assert [p.name for p in uow.plans.list(ana.id)] == ["Push day"]
        version = uow.plans.update(StoredPlan(plan.id, ana.id, "Push A", "[]", T0, 1))
        uow.commit()
    assert version == 2
    with uow:
        got = uow.plans.get(plan.id)
        assert got is not None
        assert (got.name, got.doc, got.version) == ("Push A", "[]", 2)
    with pytest.raises(ConflictError), uow:
        _add_and_commit(uow, StoredPlan(new_id(), ana.id, "Push A", "{}", T0))
    with uow:
        assert uow.plans.delete(plan.id) is True
        assert uow.plans.delete(plan.id) is False
        uow.commit()
    with uow:
        assert uow.plans.list(ana.id) == []


def test_the_program_followed_and_the_sessions_it_planned(uow: UnitOfWork) -> None:
    ana = _athlete(uow, "ana")
    with uow:
        assert uow.plans.active(ana.id) is None
        uow.plans.set_active(ActiveProgram(ana.id, "builtin:novice", "Novice", "{}", T0))
        uow.plans.set_active(ActiveProgram(ana.id, "builtin:vbt", "VBT", '{"a": 1}', T0))
        uow.commit()
    with uow:
        active = uow.plans.active(ana.id)
        assert active == ActiveProgram(ana.id, "builtin:vbt", "VBT", '{"a": 1}', T0)
        sessions = [Session(new_id(), ana.id, T0 + timedelta(days=i)) for i in range(3)]
        for i, s in enumerate(sessions):
            uow.sessions.add(s)
            uow.plans.add_session(PlannedSession(
                s.id, ana.id, "builtin:vbt", 0, i, f'{{"day": {i}}}', s.started_at
            ))  # fmt: skip
        uow.commit()
    with uow:
        last = uow.plans.last_session(ana.id, "builtin:vbt")
        assert last is not None
        assert (last.session_id, last.day, last.doc) == (sessions[2].id, 2, '{"day": 2}')
        assert uow.plans.last_session(ana.id, "builtin:novice") is None
        uow.sessions.delete(sessions[2].id)  # its plan goes with it
        uow.commit()
    with uow:
        assert uow.plans.session(sessions[2].id) is None
        last = uow.plans.last_session(ana.id, "builtin:vbt")
        assert last is not None
        assert last.session_id == sessions[1].id
        assert uow.plans.clear_active(ana.id) is True
        assert uow.plans.active(ana.id) is None
