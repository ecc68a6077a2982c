"""The live verdict of a set just logged: its analysis, in the same response, as
:func:`replog.core.verdict.verdict_doc` builds it for every surface."""

from __future__ import annotations

from replog.api.schemas import LoggedSetOut, RecordsOut, SessionRef, Verdict, set_out
from replog.core.model import Athlete
from replog.core.records import describe
from replog.core.verdict import verdict_doc
from replog.services.analytics import AnalysisResult, analyze_stored
from replog.services.log_set import LoggedSets
from replog.services.ports import UnitOfWork


def live_verdict(uow: UnitOfWork, athlete: Athlete, session_id: str, set_id: str) -> Verdict:
    return verdict_of(analyze_stored(uow, athlete, session_id), set_id)


def verdict_of(result: AnalysisResult, set_id: str) -> Verdict:
    """The verdict on one set of an analysed session."""
    return Verdict.model_validate(verdict_doc(result.analysis, set_id))


def logged_set_out(done: LoggedSets) -> LoggedSetOut:
    """The reply to a logged set (the POST and the live stream give the same)."""
    logged, record = done.logged, done.logged.sets[0]
    kinds = done.records.get(record.id)
    return LoggedSetOut(
        set=set_out(record, done.version),
        session=SessionRef(
            id=logged.session.id, started_at=logged.session.started_at, new=logged.new_session
        ),
        verdict=verdict_of(done.result, record.id),
        replayed=logged.already_logged,
        records=RecordsOut(kinds=kinds, text=describe(kinds)) if kinds else None,
    )
