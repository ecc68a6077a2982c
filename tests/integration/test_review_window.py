"""Primer and tag reviews read only the sessions near the marked ones (issue 20, item 10),
and answer exactly as a review of the whole log does."""

from __future__ import annotations

import pytest

from replog.core.pap import ReviewOptions, compare_tag, evaluate_pap
from replog.services.catalogue import catalogue_for
from replog.services.pap import dated_sets, pap_review, review_rows, tag_review
from replog.services.ports import UnitOfWork
from replog.services.trends import insights
from tests.integration.long_history import history


@pytest.fixture
def marked(uow: UnitOfWork) -> tuple[UnitOfWork, object]:
    """Three years of squats, about one session in twenty primed and one in twenty tagged."""
    return uow, history(uow, 3 * 365, seed=5, marked_every=20)


def test_reviews_read_around_the_marked_sessions_and_agree_with_the_whole_log(marked) -> None:
    uow, athlete = marked
    opt = ReviewOptions()
    with uow:
        whole = dated_sets(uow.sets.history(athlete.id, "back-squat"))
        squat = catalogue_for(uow, athlete.id).get("back-squat")
        found = uow.sets.markers(athlete.id, "back-squat")
        read = review_rows(uow, athlete, squat, [m for m in found if m.primer], opt.window_days)
    assert 0 < len(read) < len(whole)  # the log between the marked sessions is not read
    primer = pap_review(uow, athlete, "squat", opt).review
    assert primer == evaluate_pap(whole, opt)
    assert len(primer.sessions) >= 10
    assert sum(s.baseline is not None for s in primer.sessions) >= 5
    assert tag_review(uow, athlete, "squat", "belt", opt).review == compare_tag(whole, "belt", opt)
    _, found_all = insights(uow, athlete)
    assert [i.review for i in found_all] == [evaluate_pap(whole, opt), compare_tag(whole, "belt")]


def test_a_log_without_primers_or_tags_has_no_insights_to_read(uow: UnitOfWork) -> None:
    athlete = history(uow, 400, seed=6)
    with uow:
        assert uow.sets.markers(athlete.id) == []
    assert insights(uow, athlete) == (athlete, [])
