"""Helpers for service tests: log a set or a check-in for an athlete by name, as the CLI
does (it finds the athlete once, then runs the use case by id)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from replog.core.entry import SetEntry
from replog.core.model import Athlete, CheckIn
from replog.services.athletes import athlete_or_new, find_athlete
from replog.services.log_set import log_set
from replog.services.ports import UnitOfWork
from replog.services.sessions import put_checkin
from replog.services.training import Logged, SetDetails
from replog.storage.memory import MemoryUnitOfWork
from replog.storage.uow import SqlUnitOfWork

T = TypeVar("T")


def log_for(
    uow: UnitOfWork,
    athlete_name: str | None,
    entry: SetEntry | list[str],
    details: SetDetails = SetDetails(),
    now: datetime | None = None,
) -> Logged:
    """Log ``entry`` for the athlete called ``athlete_name`` (made on first use)."""
    athlete, new = athlete_or_new(uow, athlete_name)
    return log_set(uow, athlete, entry, details, now=now, new_athlete=new).logged


def checkin_for(uow: UnitOfWork, athlete_name: str | None, day: date, **fields: object) -> CheckIn:
    """Record the day's check-in as ``replog checkin`` does: given fields edit the stored ones."""
    athlete, new = athlete_or_new(uow, athlete_name)
    given = {k: v for k, v in fields.items() if v is not None}
    made = athlete if new else None
    return put_checkin(uow, athlete.id, day, None, given, edit=True, new_athlete=made)[0].value


def named(uow: UnitOfWork, name: str | None) -> Athlete:
    """The athlete called ``name`` (the CLI's ``--athlete``), found once as the CLI does."""
    return find_athlete(uow, name)


def for_name(
    use_case: Callable[..., T], uow: UnitOfWork, name: str | None, *args: Any, **kw: Any
) -> T:
    """Run a use case that may be an athlete's first write (an import, a sleep import, an
    anchor) for the athlete called ``name``, made by that write when new."""
    athlete, new = athlete_or_new(uow, name)
    return use_case(uow, athlete, *args, new_athlete=new, **kw)


def another(uow: UnitOfWork) -> UnitOfWork:
    """A new unit of work on the same store (a second request, a coach's page)."""
    if isinstance(uow, MemoryUnitOfWork):
        return MemoryUnitOfWork(uow.store)
    assert isinstance(uow, SqlUnitOfWork)
    return SqlUnitOfWork(uow.db)
