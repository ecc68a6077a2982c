"""The history page analyses only the sessions it shows (issue 20, item 11): the first view
of a 16-year log took 3.8 s to analyse every session; its answers are those the whole
history gives."""

from __future__ import annotations

from replog.services.analytics import history_analyses
from replog.services.ports import UnitOfWork
from tests.integration.long_history import history


def test_a_page_of_sessions_is_analysed_alone_and_as_in_the_whole(uow: UnitOfWork) -> None:
    athlete = history(uow, 400, seed=7)
    with uow:
        starts = uow.sessions.starts(athlete.id)
    page = sorted(starts, key=lambda s: s[1])[-20:]
    _, shown, computed = history_analyses(uow, athlete, page)
    assert computed == 20
    assert [a.session_id for a in shown] == [sid for sid, _ in page]
    assert history_analyses(uow, athlete, page)[2] == 0  # stored now
    _, every, computed = history_analyses(uow, athlete)
    assert computed == len(starts) - 20
    whole = {a.session_id: a.doc for a in every}
    assert {a.session_id: a.doc for a in shown} == {sid: whole[sid] for sid, _ in page}
