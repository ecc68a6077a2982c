"""The live verdict of a set just logged: its analysis, in the same response, as
:func:`replog.core.verdict.verdict_doc` builds it for every surface."""

from __future__ import annotations

from replog.api.schemas import Verdict
from replog.core.model import Athlete
from replog.core.verdict import verdict_doc
from replog.services.analytics import AnalysisResult, analyze_stored
from replog.services.ports import UnitOfWork


def live_verdict(uow: UnitOfWork, athlete: Athlete, session_id: str, set_id: str) -> Verdict:
    return verdict_of(analyze_stored(uow, athlete, session_id), set_id)


def verdict_of(result: AnalysisResult, set_id: str) -> Verdict:
    """The verdict on one set of an analysed session."""
    return Verdict.model_validate(verdict_doc(result.analysis, set_id))
