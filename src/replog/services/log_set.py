"""Log a set: the one way every surface does it (``replog log``, the API's POST, the live
stream), returning the set as stored and its verdict.

:func:`log_set` writes the set and analyses its session in one transaction, from the rows
the write read, so the verdict is the one :func:`replog.core.verdict.verdict_doc` gives on
every other screen. A session with no bar velocity needs no load-velocity model (nothing
to compare), so none is fitted: a plain set is logged without loading numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from replog.core.entry import SetEntry
from replog.core.model import Athlete
from replog.core.verdict import verdict_doc
from replog.services.analytics import AnalysisResult, analyze_given, models_for
from replog.services.athletes import write_new_athlete
from replog.services.catalogue import catalogue_for
from replog.services.live_records import records_set
from replog.services.ports import UnitOfWork
from replog.services.training import Logged, SetDetails, aware, write_entry


@dataclass(frozen=True, slots=True)
class LoggedSets:
    """What logging gave: the sets as stored, the first one's version (1, or a retried
    set's, which edits may have moved on), and the session's analysis as it now stands.
    """

    logged: Logged
    version: int
    result: AnalysisResult
    records: dict[str, list[str]] = field(default_factory=dict)
    """Set id -> the records it broke (:mod:`replog.services.live_records`)."""

    def verdict(self, set_id: str) -> dict[str, Any]:
        """The verdict document on one of the sets."""
        return verdict_doc(self.result.analysis, set_id)


def log_set(
    uow: UnitOfWork,
    athlete: Athlete,
    entry: SetEntry | list[str],
    details: SetDetails = SetDetails(),
    *,
    now: datetime | None = None,
    new_athlete: bool = False,
) -> LoggedSets:
    """Log ``entry`` (one or more identical sets, as typed or parsed) for ``athlete`` into
    today's session (or ``details.session_id``), and judge it; ``new_athlete`` writes the
    athlete in the same transaction. A retry with the same ``details.set_id`` writes
    nothing and answers what the first attempt did."""
    now = aware(now)
    with uow:
        if new_athlete:  # their first write makes them
            athlete = write_new_athlete(uow, athlete)
        cat = catalogue_for(uow, athlete.id)
        logged = write_entry(uow, athlete, cat, entry, details, now, with_sets=True)
        version = 1
        if logged.already_logged:
            set_id = logged.sets[0].id
            version = uow.sets.versions([set_id]).get(set_id, 1)
        session = logged.session
        measured = any(r.mcv is not None for s in session.sets for r in s.rep_data)
        # the models before the session: stored with it, fitted by its first measured set
        fitted = models_for(uow, athlete, session) if measured else ({}, {})
        keys = {s.exercise for s in session.sets} if measured else set()
        records = records_set(uow, session, logged.sets)
        if not logged.already_logged:
            uow.commit()
    analysis = analyze_given(athlete, session, cat, keys, fitted)
    return LoggedSets(logged, version, analysis, records)
