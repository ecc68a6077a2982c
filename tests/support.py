"""Helpers for service tests: log a set or a check-in for an athlete by name, as the CLI
does (it finds the athlete once, then runs the use case by id)."""

from __future__ import annotations

from datetime import date, datetime

from replog.core.entry import SetEntry
from replog.core.model import CheckIn
from replog.services.athletes import athlete_or_new
from replog.services.log_set import log_set
from replog.services.ports import UnitOfWork
from replog.services.sessions import put_checkin
from replog.services.training import Logged, SetDetails


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
