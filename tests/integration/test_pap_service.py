"""PAP plans and reviews over the demo athlete's twelve weeks, through a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from replog.core.e1rm import PROFILE
from replog.core.errors import UnknownExerciseError
from replog.core.pap import Verdict
from replog.core.units import Unit
from replog.services.athletes import configure_athlete
from replog.services.demo import DEMO_ATHLETE, load_demo
from replog.services.pap import pap_plan, pap_review, tag_review
from replog.services.profiles import build_profile
from tests.support import named


@pytest.fixture
def demo(uow):
    load_demo(uow)
    return uow


def test_a_squat_plan_from_the_demo_log(demo):
    plan = pap_plan(demo, named(demo, DEMO_ATHLETE), "squat")
    assert plan.exercise.key == "back-squat"
    e, p = plan.estimate, plan.prescription
    assert e is not None
    assert p is not None
    assert plan.message == ""
    # the demo squats 160 kg at the start and gains 7 % over the block
    assert 150 <= e.value_kg <= 185
    # twelve weeks of bar velocity: the lift's e1RM is its profile's, as everywhere else
    assert e.source == PROFILE
    assert e.method == "load-velocity profile at MVT 0.30 m/s"
    assert e.value_kg == build_profile(demo, named(demo, DEMO_ATHLETE), "squat").e1rm.value_kg
    assert e.interval_kg[0] <= e.value_kg <= e.interval_kg[1]
    assert e.day >= (datetime.now(UTC) - timedelta(days=8)).date()
    assert e.points > 10
    assert p.unit is Unit.KG
    assert p.e1rm_kg == e.value_kg
    assert 0.85 <= p.primer.load_kg / e.value_kg <= 0.95
    assert 0.70 <= p.working.load_kg / e.value_kg <= 0.80
    assert p.primer.load % 2.5 == 0
    assert p.working.load % 2.5 == 0
    # 83 kg body mass and a ~2 x body-mass squat: Seitz et al.'s stronger group or not
    assert 300 <= p.rest.target_s <= 600


def test_a_pound_athlete_gets_a_plan_in_pounds(demo):
    configure_athlete(demo, DEMO_ATHLETE, unit=Unit.LB)
    p = pap_plan(demo, named(demo, DEMO_ATHLETE), "bench").prescription
    assert p is not None
    assert p.unit is Unit.LB
    assert p.increment == 5
    assert p.primer.load % 5 == 0
    assert p.working.load % 5 == 0
    assert 0.85 <= p.primer.pct_e1rm <= 0.95
    assert (
        pap_plan(demo, named(demo, DEMO_ATHLETE), "bench", increment=2.5).prescription.increment
        == 2.5
    )


def test_the_squat_review_finds_the_demo_primer_sessions(demo):
    result = pap_review(demo, named(demo, DEMO_ATHLETE), "squat")
    review = result.review
    assert review.subject == "primer"
    assert len(review.sessions) >= 2
    for row in review.sessions:
        assert 0.2 < row.velocity < 1.2
        assert row.rest_s is not None
        assert 300 <= row.rest_s <= 720  # the demo rests 7-9 min after a primer
        if row.baseline is not None:
            assert abs(row.diff_pct) < 20
    e = review.effect
    assert e.verdict in set(Verdict)
    assert e.n_treated <= len(review.sessions)
    # the demo plants no potentiation: it must not be found
    assert e.verdict is not Verdict.HELPS


def test_a_tag_review_and_an_unknown_tag(demo):
    cue = tag_review(demo, named(demo, DEMO_ATHLETE), "squat", "cue: spread the floor").review
    assert cue.subject == "cue: spread the floor"
    assert all(row.sets == 1 for row in cue.sessions)  # the demo cues the first set only
    none = tag_review(demo, named(demo, DEMO_ATHLETE), "squat", "no such tag").review
    assert none.sessions == ()
    assert none.effect.verdict is Verdict.NOT_ENOUGH


def test_no_recent_working_sets_means_no_plan(demo):
    later = datetime.now(UTC) + timedelta(days=365)
    plan = pap_plan(demo, named(demo, DEMO_ATHLETE), "squat", now=later)
    assert plan.prescription is None
    assert plan.estimate is None
    assert "6 weeks" in plan.message


def test_an_unknown_exercise_is_refused(demo):
    with pytest.raises(UnknownExerciseError):
        pap_plan(demo, named(demo, DEMO_ATHLETE), "sqaut")
    with pytest.raises(UnknownExerciseError):
        pap_review(demo, named(demo, DEMO_ATHLETE), "sqaut")
