"""The records a set breaks, found as it is logged (Strong's and Hevy's PR badge, plus the
fastest rep at a load): the rule is :func:`replog.core.records.records_broken`, the same the
exercise page applies over the whole history; storage sums up the sessions before this one
(:meth:`~replog.services.ports.SetRepository.bests`, kept per session and lift) so the log
is not read: logging the next set of a lift reads one row, whatever the history."""

from __future__ import annotations

from collections.abc import Sequence

from replog.core.analysis import AnalysisSettings
from replog.core.model import Session, SetRecord
from replog.core.records import counts_for_records, fastest_rep, lift_of, records_broken
from replog.services.ports import UnitOfWork


def records_set(
    uow: UnitOfWork, session: Session, new: Sequence[SetRecord]
) -> dict[str, list[str]]:
    """Set id -> the records each of ``new`` (sets just written to ``session``, one exercise)
    broke; sets that break none are left out. Call inside the unit of work's transaction."""
    lifts = [lift_of(session.started_at, s) for s in new]
    if not new or not any(counts_for_records(x) for x in lifts):
        return {}
    exercise = new[0].exercise
    bests = uow.sets.bests(session.athlete_id, exercise, session.id, session.started_at)
    today = [lift_of(session.started_at, s) for s in session.sets if s.exercise == exercise]
    speeds = {s.id: v for s in session.sets if s.exercise == exercise
              and (v := fastest_rep(s)) is not None}  # fmt: skip
    tolerance = AnalysisSettings().load_tolerance_pct
    broken = records_broken(bests, today, speeds, tolerance)
    return {s.id: broken[s.id] for s in new if s.id in broken}
