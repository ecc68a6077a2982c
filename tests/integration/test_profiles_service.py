"""build_profile over a real database: sets logged through the training service, and the
demo athlete's twelve weeks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from replog.core import population
from replog.core.errors import NotFoundError, UnknownExerciseError, ValidationError
from replog.core.model import SetKind
from replog.core.profile_data import OUTSIDE_WINDOW, SLOWER_SAME_LOAD_DAY
from replog.services.demo import LIFTS, load_demo
from replog.services.profiles import build_profile, profile_from_points
from replog.services.training import SetDetails
from tests.support import log_for, named

CET = timezone(timedelta(hours=1))
NOW = datetime(2026, 3, 20, 19, 0, tzinfo=CET)


def log(uow, words: str, velocities=(), at=NOW, kind=SetKind.WORKING, athlete="ana"):
    return log_for(
        uow,
        athlete,
        words.split(),
        SetDetails(kind=kind, velocities=tuple(velocities)),
        now=at,
    )


def squat_day(uow, at: datetime, speed: float = 0.0) -> None:
    """v = 1.5 - 0.01 * load at 60-120 kg; each set's first rep is its fastest."""
    for minute, load in enumerate((60, 80, 100, 120)):
        v = 1.5 - 0.01 * load + speed
        log(uow, f"squat {load}kg x3", (v, v - 0.02, v - 0.05), at + timedelta(minutes=minute))


def test_a_profile_from_logged_sets(uow):
    squat_day(uow, NOW - timedelta(days=3))
    squat_day(uow, NOW - timedelta(days=1))
    # a later, slower set at 100 kg on the same day is left out
    log(uow, "squat 100kg x3", (0.45, 0.43, 0.40), NOW - timedelta(days=1) + timedelta(hours=1))
    report = build_profile(uow, named(uow, "ana"), "squat", now=NOW)
    p = report.profile
    assert p is not None
    assert p.slope_ == pytest.approx(-0.01)
    assert p.intercept_ == pytest.approx(1.5)
    assert (report.mvt, report.mvt_source) == (0.30, "literature")
    assert p.e1rm_ == pytest.approx(120.0)
    assert p.n_ == len(report.points) == 8
    assert report.dropped[SLOWER_SAME_LOAD_DAY] == 1
    assert report.exercise.key == "back-squat"
    assert report.load_at_mvt_kg == pytest.approx(120.0)
    # eight points on four loads on a straight line: the profile is the lift's e1RM
    assert report.e1rm is not None
    assert (report.e1rm.source, report.e1rm.value_kg) == ("profile", pytest.approx(120.0))
    assert report.population is None
    assert {x.day for x in report.points} == {
        (NOW - timedelta(days=3)).astimezone().date(),
        (NOW - timedelta(days=1)).astimezone().date(),
    }


def test_the_window_and_the_method(uow):
    squat_day(uow, NOW - timedelta(days=90), speed=-0.2)  # a weaker lifter, long ago
    squat_day(uow, NOW - timedelta(days=2))
    recent = build_profile(uow, named(uow, "ana"), "squat", now=NOW)
    assert recent.dropped[OUTSIDE_WINDOW] == 4
    assert recent.profile.e1rm_ == pytest.approx(120.0)
    everything = build_profile(uow, named(uow, "ana"), "squat", days=None, now=NOW)
    assert everything.dropped[OUTSIDE_WINDOW] == 0
    assert everything.profile.e1rm_ < 120.0
    two = build_profile(uow, named(uow, "ana"), "squat", method="two-point", mvt=0.5, now=NOW)
    assert two.method == "two_point"
    assert (two.mvt, two.mvt_source) == (0.5, "given")
    assert two.profile.e1rm_ == pytest.approx(100.0)
    assert two.profile.e1rm_interval_ is None


def test_the_mvt_is_learned_from_max_efforts(uow):
    squat_day(uow, NOW - timedelta(days=2))
    log(
        uow,
        "squat 110kg x3",
        (0.45, 0.35, 0.25),
        NOW - timedelta(days=2, hours=-1),
        SetKind.FAILURE,
    )
    one = build_profile(uow, named(uow, "ana"), "squat", now=NOW)
    assert one.mvt_source == "literature"  # one max effort is not enough
    log(uow, "squat 125kg x1 @10", (0.27,), NOW - timedelta(days=1))
    report = build_profile(uow, named(uow, "ana"), "squat", now=NOW)
    assert (report.mvt_source, report.mvt_samples) == ("learned", 2)
    assert report.mvt == pytest.approx(0.26)
    assert report.profile.mvt_ == pytest.approx(0.26)
    # a given MVT still wins
    assert build_profile(uow, named(uow, "ana"), "squat", mvt=0.31, now=NOW).mvt_source == "given"


def test_one_load_falls_back_to_the_population_table(uow):
    log(uow, "bench 100kg x2", (0.465, 0.44), NOW - timedelta(days=1))
    report = build_profile(uow, named(uow, "ana"), "bench", now=NOW)
    assert report.profile is None
    assert report.population is not None
    pct = population.percent_at_velocity("bench-press", 0.465)
    assert report.population.percent_1rm == pytest.approx(pct)
    assert report.load_at_mvt_kg == pytest.approx(100 / pct)
    assert 120 < report.load_at_mvt_kg < 130  # 0.465 m/s is about 80 % 1RM
    # an average lifter's table is not the lifter's e1RM: that is the set's, by Epley + RIR
    assert report.e1rm is not None
    assert (report.e1rm.source, report.e1rm.value_kg) == ("epley_rir", pytest.approx(100 * 32 / 30))
    assert "Gonzalez-Badillo" in report.population.source
    assert any("population" in n for n in report.notes)
    assert any("1 usable load" in n for n in report.notes)


def test_no_table_and_no_data_say_so(uow):
    log(uow, "deadlift 180kg x1", (0.35,), NOW - timedelta(days=1))
    report = build_profile(uow, named(uow, "ana"), "deadlift", now=NOW)
    assert report.profile is None
    assert report.population is None
    assert report.load_at_mvt_kg is None
    assert report.e1rm.value_kg == 180  # a single with no RPE counts as RIR 0: its load
    assert any("no population load-velocity table for Deadlift" in n for n in report.notes)
    log(uow, "press 50kg x5", (), NOW)
    empty = build_profile(uow, named(uow, "ana"), "press", now=NOW)
    assert empty.profile is None
    assert empty.points == ()
    assert empty.dropped["sets_without_velocity"] == 1


def test_points_that_do_not_make_a_profile_are_reported_not_raised(uow):
    log(uow, "squat 60kg x1", (0.70,), NOW - timedelta(days=1))
    log(uow, "squat 100kg x1", (0.90,), NOW - timedelta(days=1, minutes=-5))
    report = build_profile(uow, named(uow, "ana"), "squat", now=NOW)
    assert report.profile is None
    assert any("velocity does not fall with load" in n for n in report.notes)
    assert report.population is not None  # the 100 kg point, through the squat table


def test_lookups_and_arguments_are_checked(uow):
    with pytest.raises(NotFoundError):
        build_profile(uow, named(uow, "nobody"), "squat")
    squat_day(uow, NOW)
    with pytest.raises(UnknownExerciseError):
        build_profile(uow, named(uow, "ana"), "sqaut")
    with pytest.raises(ValidationError) as err:
        build_profile(uow, named(uow, "ana"), "squat", mvt=2.5)
    assert err.value.field == "mvt"
    with pytest.raises(ValidationError) as err:
        build_profile(uow, named(uow, "ana"), "squat", method="spline")
    assert err.value.field == "method"


def test_profile_from_points_needs_no_database():
    report = profile_from_points([(40, 1.0), (80, 0.5), (60, 0.75)], mvt=0.17)
    assert report.profile.e1rm_ == pytest.approx((0.17 - 1.5) / -0.0125)
    assert report.mvt_source == "given"
    assert report.points[0].day is None
    with pytest.raises(ValidationError):
        profile_from_points([(40, 1.0)])


def test_the_demo_squat_profile_finds_the_demo_1rm(uow):
    load_demo(uow, end=NOW)
    report = build_profile(uow, named(uow, "demo"), "squat", now=NOW)
    p = report.profile
    assert p is not None
    assert p.r2_ > 0.8
    lift = LIFTS["back-squat"]
    first, last = lift.one_rm, lift.one_rm * (1 + lift.gain)  # 160 -> 171.2 kg
    assert 0.9 * first <= p.e1rm_ <= 1.1 * last
    assert p.e1rm_interval_[0] <= p.e1rm_ <= p.e1rm_interval_[1]
    assert report.mvt_source == "literature"
    assert len(report.points) >= 20


def test_velocity_facts_carry_the_effort_as_an_rpe(uow):
    """The analysis reads sets through velocity_facts: an RPE, or an RIR as 10 - RIR."""
    log(uow, "bench 100kg x5 @8", (0.50,), NOW - timedelta(days=1))
    log(uow, "bench 90kg x5 rir3", (0.60,), NOW - timedelta(days=1, minutes=-5))
    log(uow, "bench 80kg x5", (0.70,), NOW - timedelta(days=1, minutes=-10))
    with uow:
        athlete = uow.athletes.by_name("ana")
        facts = uow.sets.velocity_facts(athlete.id, ["bench-press"], NOW - timedelta(days=9), NOW)
    assert [(f.load_kg, f.rpe) for f in facts["bench-press"]] == [(100, 8.0), (90, 7.0), (80, None)]
