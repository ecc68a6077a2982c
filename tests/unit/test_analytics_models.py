"""Which velocity model a session is analysed against: the lifter's line, or the population
table when the eight weeks before hold fewer than two loads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from replog.core.e1rm import estimate_e1rm
from replog.core.model import SetKind
from replog.services.analytics import ExerciseHistory, LinearModel, PopulationModel
from replog.services.ports import VelocityFacts

T0 = datetime(2026, 11, 2, 18, tzinfo=UTC)


def facts(*rows):
    return ExerciseHistory.from_facts(
        VelocityFacts(T0 + timedelta(days=d), kg, v, SetKind.WORKING, reps, None)
        for d, kg, v, reps in rows
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
    h = ExerciseHistory.from_facts(
        [
            VelocityFacts(T0, 100, 0.80, SetKind.WORKING, 5, 8.0),  # 100 x (1 + 7/30)
            VelocityFacts(T0, 100, 0.82, SetKind.WARMUP, 10, None),  # would be 133.3
            VelocityFacts(T0 + timedelta(days=9), 140, None, SetKind.WORKING, 3, 9.0),  # later
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
