"""The models a logged set is judged against are stored with its session (issue 20, item
6: logging a set read the eight weeks before the session again for every set). They give
the verdict a fresh fit gives, and every write that changes them removes them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from replog.core.analysis import ANALYSIS_VERSION
from replog.core.analysis_doc import session_analysis_to_dict
from replog.core.entry import SetEntry
from replog.core.units import Load, Unit
from replog.services.analytics import analyze_stored
from replog.services.athletes import athlete_or_new
from replog.services.editing import SetChanges, edit_set
from replog.services.log_set import log_set
from replog.services.ports import UnitOfWork
from replog.services.training import SetDetails
from tests.support import named

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def _doc(result: object) -> object:
    return json.loads(json.dumps(session_analysis_to_dict(result.analysis, "x")))  # type: ignore[attr-defined]


def _log(uow: UnitOfWork, kg: int, v: float, at: datetime, session: str | None = None):
    athlete, new = athlete_or_new(uow, "ana")
    entry = SetEntry("squat", Load(Decimal(kg), Unit.KG), 3, 1, 8)
    details = SetDetails(velocities=(v, v - 0.02, v - 0.05), session_id=session)
    return log_set(uow, athlete, entry, details, now=at, new_athlete=new)


def test_stored_models_judge_as_a_fresh_fit_and_go_when_the_weeks_before_change(
    uow: UnitOfWork,
) -> None:
    for week in range(6):  # a squat profile over six weeks: v = 1.5 - 0.008 kg
        for kg in (80, 100, 120):
            _log(uow, kg, 1.5 - 0.008 * kg, T0 - timedelta(days=45 - 7 * week, minutes=-kg))
    today = [_log(uow, 100, 0.70, T0), _log(uow, 100, 0.62, T0 + timedelta(minutes=5))]
    session = today[-1].logged.session
    with uow:
        stored = uow.analyses.models(session.id, ANALYSIS_VERSION)
    assert stored["back-squat"].kind == "profile"
    athlete = named(uow, "ana")
    fresh = analyze_stored(uow, athlete, session.id)
    assert _doc(today[-1].result) == _doc(fresh)
    assert today[-1].result.models == fresh.models == {"back-squat": "profile"}

    # a set of three weeks ago edited: the weeks before today changed, the model goes
    with uow:
        older = next(s for x in uow.sessions.all_for(athlete.id) for s in x.sets
                     if x.started_at < T0 - timedelta(days=20))  # fmt: skip
        version = uow.sets.versions([older.id])[older.id]
    edit_set(uow, athlete.id, older.id, version, SetChanges(velocities=(0.2, 0.19, 0.18)))
    with uow:
        assert uow.analyses.models(session.id, ANALYSIS_VERSION) == {}
    again = _log(uow, 100, 0.61, T0 + timedelta(minutes=10), session=session.id)
    assert _doc(again.result) == _doc(analyze_stored(uow, athlete, session.id))
    with uow:
        assert uow.analyses.models(session.id, ANALYSIS_VERSION)["back-squat"].kind
