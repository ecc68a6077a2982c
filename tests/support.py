"""Helpers for service tests: log a set for an athlete by name, as ``replog log`` does."""

from __future__ import annotations

from datetime import datetime

from replog.core.entry import SetEntry
from replog.services.log_set import athlete_to_log_for, log_set
from replog.services.ports import UnitOfWork
from replog.services.training import Logged, SetDetails


def log_for(
    uow: UnitOfWork,
    athlete_name: str | None,
    entry: SetEntry | list[str],
    details: SetDetails = SetDetails(),
    now: datetime | None = None,
) -> Logged:
    """Log ``entry`` for the athlete called ``athlete_name`` (made on first use)."""
    athlete, new = athlete_to_log_for(uow, athlete_name)
    return log_set(uow, athlete, entry, details, now=now, new_athlete=new).logged
