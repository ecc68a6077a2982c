"""A lift's e1RM and profile from a windowed read of its log equal those from the whole log
(issue 20, item 11): the exercise page, ``replog history`` and the API read only the
windows their days need, so a long history costs no more than a short one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from replog.core.exercises import Catalogue
from replog.services.e1rm import LiftHistory, lift_e1rm
from replog.services.ports import UnitOfWork
from tests.integration.long_history import TODAY, history


@pytest.mark.parametrize(("seed", "efforts_until"), [(1, 0), (2, 400)])
def test_a_windowed_read_answers_as_the_whole_log(
    uow: UnitOfWork, seed: int, efforts_until: int
) -> None:
    athlete = history(uow, 700, seed, efforts_until)
    squat = Catalogue().get("back-squat")
    with uow:
        whole = LiftHistory.of_rows(squat, uow.sets.history(athlete.id, "back-squat"))
    first = TODAY - timedelta(days=120)
    with uow:
        window = LiftHistory.read(uow, athlete, squat, first)
    assert len(window.sets) < len(whole.sets) / 3  # it did read less
    days = [d for d in whole.session_days() if d >= first] + [TODAY]
    assert window.series(days) == whole.series(days)
    for d in (first, TODAY):
        a, b = window.report(d), whole.report(d)
        assert (a.points, a.dropped, a.mvt, a.mvt_source, a.mvt_samples, a.e1rm) == (
            b.points, b.dropped, b.mvt, b.mvt_source, b.mvt_samples, b.e1rm,
        )  # fmt: skip
    assert whole.report(TODAY).mvt_source == "learned"  # the max efforts were found
    with pytest.raises(ValueError, match="read from"):
        window.estimate(first - timedelta(days=30))


def test_the_page_series_and_the_api_agree_at_any_span(uow: UnitOfWork) -> None:
    athlete = history(uow, 500, 3)
    now = datetime(2026, 6, 30, 20, tzinfo=UTC)
    year = lift_e1rm(uow, athlete, "squat", now=now, since=TODAY - timedelta(days=365))
    every = lift_e1rm(uow, athlete, "squat", now=now, every_day=True)
    today = lift_e1rm(uow, athlete, "squat", now=now)
    assert year.estimate == every.estimate == today.estimate
    assert year.estimate is not None
    days = [d for d in every.lift.session_days() if d >= TODAY - timedelta(days=365)]
    assert year.lift.series(days) == every.lift.series(days)
