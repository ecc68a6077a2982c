"""Which velocity model a session is analysed against: the lifter's line, or the population
table when the eight weeks before hold fewer than two loads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.analysis import LinearModel
from replog.core.e1rm import estimate_e1rm
from replog.core.lift_model import ExerciseHistory, PopulationModel
from replog.core.model import SetKind
from replog.core.profile import ols_line
from replog.core.profile_data import profile_points
from replog.core.set_facts import RepFacts, SetFacts
from tests.unit.test_profile import a_set

T0 = datetime(2026, 11, 2, 18, tzinfo=UTC)


def fact(at, kg, v, kind, reps, rpe):
    velocities = () if v is None else (RepFacts(1, v, None),)
    return SetFacts(at, at, kg, velocities, kind, reps, rpe)


def facts(*rows):
    return ExerciseHistory(
        fact(T0 + timedelta(days=d), kg, v, SetKind.WORKING, reps, None) for d, kg, v, reps in rows
    )


def test_two_loads_give_the_lifters_own_line_fitted_before_the_session():
    h = facts((0, 100, 0.80, 3), (0, 140, 0.48, 3), (2, 120, 0.64, 3), (30, 150, 0.10, 3))
    model, kind = h.model_before("back-squat", T0 + timedelta(days=10))
    assert kind == "profile"
    assert isinstance(model, LinearModel)
    assert model.slope == pytest.approx(-0.008)  # the day-30 point is after the session
    assert model.intercept == pytest.approx(1.6)
    assert model.see_ == pytest.approx(0.0, abs=1e-6)


def test_old_points_fall_out_of_the_eight_week_window():
    h = facts((0, 100, 0.80, 3), (0, 140, 0.48, 3))
    assert h.model_before("back-squat", T0 + timedelta(days=57)) == (None, None)


def test_one_load_falls_back_to_the_population_table_when_the_lift_has_one():
    h = facts((0, 100, 0.80, 5), (1, 100, 0.78, 5))
    model, kind = h.model_before("back-squat", T0 + timedelta(days=3))
    assert kind == "population"
    assert isinstance(model, PopulationModel)
    assert model.e1rm_kg == pytest.approx(100 * (1 + 5 / 30))
    v = model.predict_velocity(model.e1rm_kg)
    assert v == pytest.approx(0.32, abs=0.02)  # squat velocity at 1RM (Sanchez-Medina 2017)
    assert model.predict_load(v) == pytest.approx(model.e1rm_kg, rel=1e-6)
    assert h.model_before("barbell-row", T0 + timedelta(days=3)) == (None, None)  # no table


def test_velocity_that_does_not_fall_with_load_gives_no_line():
    h = facts((0, 100, 0.60, 3), (0, 140, 0.70, 3))
    model, kind = h.model_before("deadlift", T0 + timedelta(days=1))
    assert (model, kind) == (None, None)


def test_the_population_model_scales_from_the_lifts_e1rm_with_its_rpe():
    """The model before a session is scaled by the e1RM of replog.core.e1rm at the session's
    start: Epley with RIR = 10 - RPE (an RPE, not only an RIR, counts), warm-ups left out."""
    h = ExerciseHistory(
        [
            fact(T0, 100, 0.80, SetKind.WORKING, 5, 8.0),  # 100 x (1 + 7/30)
            fact(T0, 100, 0.82, SetKind.WARMUP, 10, None),  # would be 133.3
            fact(T0 + timedelta(days=9), 140, None, SetKind.WORKING, 3, 9.0),  # later
        ]
    )
    end = T0 + timedelta(days=3)
    model, kind = h.model_before("back-squat", end)
    assert kind == "population"
    assert isinstance(model, PopulationModel)
    assert model.e1rm_kg == pytest.approx(100 * (1 + 7 / 30))
    assert model.e1rm_kg == estimate_e1rm(h.facts, end).value_kg
    # 43 days on, the first set is too old to count: the later one is the e1RM
    later, _ = h.model_before("back-squat", T0 + timedelta(days=43))
    assert later.e1rm_kg == pytest.approx(140 * (1 + 4 / 30))
    assert h.model_before("back-squat", T0 + timedelta(days=52)) == (None, None)


# --- one model: the live analysis fits what `replog profile` fits ----------------------


def test_a_fast_half_rep_does_not_bend_the_analysis_line():
    """The ROM check of profile_points applies to the analysis too: a half rep (0.30 m of a
    0.60 m squat) at 140 kg moving like 100 kg is not the set's best rep."""
    sets = [
        a_set(load, [v, v - 0.02], roms=[0.60, 0.61], at=T0 + timedelta(days=i))
        for i, (load, v) in enumerate([(60, 1.0), (80, 0.85), (100, 0.7), (120, 0.55)])
    ]
    sets.append(a_set(140, [0.70, 0.40], roms=[0.30, 0.60], at=T0 + timedelta(days=5)))
    h = ExerciseHistory.of((s.performed_at, s) for s in sets)
    loads, velocities = h.points_before(T0 + timedelta(days=6))
    assert (loads[-1], velocities[-1]) == (140.0, 0.40)
    model, kind = h.model_before("back-squat", T0 + timedelta(days=6))
    assert kind == "profile"
    assert model.slope == pytest.approx(-0.0075, abs=0.0005)  # not bent flat by 0.70


rep_strategy = st.tuples(
    st.floats(0.0, 2.8, allow_nan=False),  # some outside the velocity range
    st.one_of(st.none(), st.floats(0.1, 0.9), st.sampled_from([0.55, 0.6, 0.62])),
)
set_strategy = st.tuples(
    st.integers(0, 90),  # day
    st.integers(0, 23),  # hour
    st.sampled_from([60.0, 80.0, 100.0, 100.0, 120.0, 140.0]),
    st.lists(rep_strategy, min_size=0, max_size=5),
)


@given(st.lists(set_strategy, min_size=0, max_size=40), st.integers(0, 100), st.integers(0, 23))
def test_the_analysis_model_uses_exactly_the_profile_points(rows, end_day, end_hour):
    """Property: for any history and moment, the analysis' points are profile_points' points
    of the sets before that moment, in the same order, and its line is their OLS line."""
    sets = []
    for day, hour, load, reps in rows:
        at = T0 + timedelta(days=day, hours=hour)
        sets.append(a_set(load, [v for v, _ in reps], at, roms=[r for _, r in reps] or None))
    end = T0 + timedelta(days=end_day, hours=end_hour)
    h = ExerciseHistory.of(((s.performed_at, s) for s in sets), tz=UTC)
    before = [s for s in sets if s.performed_at < end]
    expected = profile_points(before, days=56, now=end, tz=UTC).points
    loads, velocities = h.points_before(end)
    assert loads == [p.load_kg for p in expected]
    assert velocities == [p.velocity for p in expected]
    model, kind = h.model_before("back-squat", end)
    if kind == "profile":
        line = ols_line(loads, velocities)
        assert (model.intercept, model.slope) == (line.intercept, line.slope)
