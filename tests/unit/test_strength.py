"""Strength estimates: the RTS chart, classic e1RM formulas and STMr's reps-max models."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from replog.core.errors import ValidationError
from replog.core.rpe_chart import TAIL_KMOD
from replog.core.strength import (
    E1RM_FORMULAS,
    REPS_MAX_MODELS,
    RTS_CHART,
    e1rm,
    e1rm_epley,
    e1rm_reps_rir,
    e1rm_rpe,
    load_for,
    load_for_reps,
    max_reps,
    percent_1rm,
    rpe_percent,
)

CHART_RPES = [6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0]
PP = 1e-3  # 0.1 percentage point, as a fraction of 1RM

loads = st.floats(min_value=1, max_value=500, allow_nan=False, allow_infinity=False)
chart_rpes = st.sampled_from(CHART_RPES)
formulas = st.sampled_from(list(E1RM_FORMULAS))
models = st.sampled_from(list(REPS_MAX_MODELS))


# --- RTS chart --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reps", "rpe", "percent"),
    [
        (1, 10, 100.0),
        (5, 8, 81.1),
        (3, 9, 89.2),
        (1, 9.5, 97.8),
        (2, 9.5, 93.9),
        (10, 10, 73.9),
        (8, 7, 70.7),
        (12, 10, 68.0),
        (12, 6.5, 58.6),
    ],
)
def test_rts_chart_known_cells(reps, rpe, percent):
    assert rpe_percent(reps, rpe) == pytest.approx(percent / 100, abs=PP)


def test_every_published_cell_is_returned_and_rir_reads_the_same():
    for rpe, row in RTS_CHART.items():
        assert len(row) == 12
        for reps, percent in enumerate(row, start=1):
            assert rpe_percent(reps, rpe) == pytest.approx(percent / 100, abs=1e-12)
            assert rpe_percent(reps, rir=10 - rpe) == rpe_percent(reps, rpe)
            assert rpe_percent(reps, rpe, rir=10 - rpe) == rpe_percent(reps, rpe)


def test_the_chart_depends_only_on_reps_plus_rir():
    seen: dict[float, float] = {}
    for rpe, row in RTS_CHART.items():
        for reps, percent in enumerate(row, start=1):
            assert seen.setdefault(reps + 10 - rpe, percent) == percent


def test_past_twelve_reps_the_chart_diagonal_then_the_anchored_model():
    assert rpe_percent(13, 9) == rpe_percent(12, 8)  # 14 reps to failure: 62.6%
    assert rpe_percent(15, 9.5) == rpe_percent(12, 6.5)  # 15.5, the chart's last cell
    kmod = TAIL_KMOD
    assert kmod == pytest.approx((1 / 0.586 - 1) / 14.5)
    assert rpe_percent(16, 10) == pytest.approx(1 / (1 + TAIL_KMOD * 15))
    assert rpe_percent(30, 10) == pytest.approx(0.4144, abs=PP)
    assert rpe_percent(30, 6.5) == pytest.approx(0.3871, abs=PP)


def test_e1rm_and_load_from_the_chart():
    assert e1rm_rpe(100, 5, 8) == pytest.approx(100 / 0.811)
    assert e1rm_rpe(100, 5, rir=2) == e1rm_rpe(100, 5, 8)
    assert load_for(150, 3, 9) == pytest.approx(150 * 0.892)
    assert e1rm_rpe(140, 1, 10) == 140


@given(st.integers(1, 29), chart_rpes)
def test_chart_falls_with_reps(reps, rpe):
    assert rpe_percent(reps + 1, rpe) < rpe_percent(reps, rpe)


@given(st.integers(1, 30), st.sampled_from(CHART_RPES[:-1]))
def test_chart_rises_with_rpe(reps, rpe):
    assert rpe_percent(reps, rpe + 0.5) > rpe_percent(reps, rpe)


@given(loads, st.integers(1, 30), chart_rpes)
def test_chart_round_trip(w, reps, rpe):
    assert load_for(e1rm_rpe(w, reps, rpe), reps, rpe) == pytest.approx(w, rel=1e-9)
    assert e1rm_rpe(load_for(w, reps, rpe), reps, rpe) == pytest.approx(w, rel=1e-9)


# --- classic formulas ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("epley", 133.3),  # 100 (1 + 10/30)
        ("brzycki", 133.3),  # 100 * 36 / 27
        ("lander", 134.1),  # 100 * 100 / (101.3 - 26.7123)
        ("lombardi", 125.9),  # 100 * 10^0.1
        ("mayhew", 130.9),  # 100 * 100 / (52.2 + 41.9 e^-0.55)
        ("oconner", 125.0),  # 100 (1 + 0.25)
        ("wathan", 134.7),  # 100 * 100 / (48.8 + 53.8 e^-0.75)
    ],
)
def test_formulas_for_100_kg_x_10(formula, expected):
    assert e1rm(100, 10, formula) == pytest.approx(expected, abs=0.1)
    assert E1RM_FORMULAS[formula](100, 10) == e1rm(100, 10, formula)


def test_formulas_more_worked_examples():
    assert e1rm(140, 5, "brzycki") == pytest.approx(157.5)  # 140 * 36 / 32
    assert e1rm(140, 5, "oconner") == pytest.approx(157.5)  # 140 * 1.125
    assert e1rm(60, 20, "mayhew") == pytest.approx(6000 / (52.2 + 41.9 * math.exp(-1.1)))
    assert e1rm(100, 7.5) == pytest.approx(125.0)  # 5 reps + 2.5 in reserve, Epley


def test_a_single_is_its_own_max_for_every_formula():
    for name in E1RM_FORMULAS:
        assert e1rm(123.4, 1, name) == 123.4
        assert load_for_reps(123.4, 1, name) == 123.4


def test_formula_names_are_forgiving():
    assert e1rm(100, 5, "O'Conner") == e1rm(100, 5, "oconner")
    assert e1rm(100, 5, "Wathen") == e1rm(100, 5, "wathan")
    assert e1rm(100, 5, " Brzycki ") == e1rm(100, 5, "brzycki")


@pytest.mark.parametrize("reps", range(1, 31))
def test_epley_agrees_with_the_lenient_original(reps):
    assert e1rm(102.5, reps) == pytest.approx(e1rm_epley(102.5, reps))
    assert e1rm_epley(60, 0) == 0.0  # the original's behaviour is kept


@given(formulas, loads, st.integers(1, 29))
def test_formulas_do_not_fall_with_reps(formula, w, reps):
    assert e1rm(w, reps + 1, formula) >= e1rm(w, reps, formula)


@given(formulas, loads, loads, st.integers(1, 30))
def test_formulas_do_not_fall_with_load(formula, a, b, reps):
    low, high = sorted((a, b))
    assert e1rm(high, reps, formula) >= e1rm(low, reps, formula)


@given(formulas, loads, st.floats(1, 30))
def test_formula_round_trip(formula, w, reps):
    assert load_for_reps(e1rm(w, reps, formula), reps, formula) == pytest.approx(w, rel=1e-9)


# --- STMr reps-max models ----------------------------------------------------------------


def test_stmr_defaults():
    assert REPS_MAX_MODELS == {
        "epley": ("k", 0.0333),
        "modified_epley": ("kmod", 0.0353),
        "linear": ("klin", 33.0),
    }
    assert percent_1rm(5) == pytest.approx(1 / (1 + 0.0333 * 5))  # 0.8573
    assert percent_1rm(5, 2) == pytest.approx(1 / (1 + 0.0333 * 7))
    assert percent_1rm(5, model="modified_epley") == pytest.approx(1 / (1 + 0.0353 * 4))
    assert percent_1rm(5, model="modified epley") == percent_1rm(5, model="modified_epley")
    assert percent_1rm(5, model="linear") == pytest.approx(29 / 33)
    assert percent_1rm(1, model="modified_epley") == 1.0
    assert percent_1rm(1, model="linear") == 1.0
    assert max_reps(0.85) == pytest.approx(0.15 / (0.0333 * 0.85))  # 5.30
    assert max_reps(0.85, "modified_epley") == pytest.approx(1 + 0.15 / (0.0353 * 0.85))
    assert max_reps(0.85, "linear") == pytest.approx(0.15 * 33 + 1)  # 5.95
    assert max_reps(0.85, "linear", rir=2) == pytest.approx(3.95)


def test_stmr_parameters_and_e1rm():
    assert percent_1rm(5, model="epley", k=1 / 30) == pytest.approx(1 / (1 + 5 / 30))
    assert percent_1rm(5, model="linear", klin=36) == pytest.approx(32 / 36)
    assert e1rm_reps_rir(100, 5, 2) == pytest.approx(100 * (1 + 0.0333 * 7))
    assert e1rm_reps_rir(100, 10, 0, "epley", k=1 / 30) == pytest.approx(e1rm(100, 10))


@given(models, st.floats(1, 30), st.floats(0, 10))
def test_models_round_trip(model, reps, rir):
    if model == "linear" and reps + rir >= 34:
        return
    p = percent_1rm(reps, rir, model)
    assert max_reps(p, model, rir=rir) == pytest.approx(reps, rel=1e-9)
    back = max_reps(p, model, rir=rir)
    assume(1 <= back <= 30)  # 1 or 30 may come back a rounding error outside the range
    assert percent_1rm(back, rir, model) == pytest.approx(p, rel=1e-9)


@given(models, st.floats(1, 29), st.floats(0, 3))
def test_models_fall_with_reps(model, reps, rir):
    assert percent_1rm(reps + 1, rir, model) < percent_1rm(reps, rir, model)


# --- bad input ----------------------------------------------------------------------------

BAD_NUMBERS = [math.nan, math.inf, -math.inf, True, "100", None]


def raises(field, fn, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    assert info.value.field == field, info.value
    assert info.value.message


@pytest.mark.parametrize("load", [*BAD_NUMBERS, 0, -1, 0.0, -100.0])
def test_bad_loads_are_refused(load):
    raises("load_kg", e1rm_rpe, load, 5, 8)
    raises("load_kg", e1rm, load, 5)
    raises("load_kg", e1rm_reps_rir, load, 5, 2)
    for name in E1RM_FORMULAS:
        raises("load_kg", E1RM_FORMULAS[name], load, 5)
    raises("e1rm_kg", load_for, load, 5, 8)
    raises("e1rm_kg", load_for_reps, load, 5)


def test_decimal_loads_are_fine():
    assert e1rm(Decimal("100"), 10) == pytest.approx(133.333, abs=1e-3)


@pytest.mark.parametrize("reps", [*BAD_NUMBERS, 0, -1, 31, 2.5, 5.0])
def test_bad_chart_reps_are_refused(reps):
    raises("reps", rpe_percent, reps, 8)
    raises("reps", e1rm_rpe, 100, reps, 8)
    raises("reps", load_for, 100, reps, 8)


@pytest.mark.parametrize("reps", [*BAD_NUMBERS, 0, 0.5, -1, 30.5, 31, 37, 40])
def test_bad_formula_reps_are_refused(reps):
    for name in E1RM_FORMULAS:
        raises("reps", e1rm, 100, reps, name)
        raises("reps", load_for_reps, 100, reps, name)


def test_brzycki_and_lander_never_reach_their_poles():
    raises("reps", e1rm, 100, 37, "brzycki")
    raises("reps", e1rm, 100, 38, "lander")
    assert e1rm(100, 30, "brzycki") == pytest.approx(100 * 36 / 7)


@pytest.mark.parametrize("rpe", [*BAD_NUMBERS[:5], 6, 6.0, 5, 10.5, 11, 8.25, -8])
def test_bad_chart_rpe_is_refused(rpe):
    raises("rpe", rpe_percent, 5, rpe)
    raises("rpe", e1rm_rpe, 100, 5, rpe)
    raises("rpe", load_for, 100, 5, rpe)


@pytest.mark.parametrize("rir", [*BAD_NUMBERS[:5], -1, -0.5, 4, 3.75, 10])
def test_bad_chart_rir_is_refused(rir):
    raises("rir", rpe_percent, 5, rir=rir)
    raises("rir", e1rm_rpe, 100, 5, rir=rir)


def test_chart_needs_an_effort_that_agrees():
    raises("rpe", rpe_percent, 5)
    raises("rir", rpe_percent, 5, 8, rir=3)


@pytest.mark.parametrize("rir", [*BAD_NUMBERS[:5], -1, -0.01, 10.5])
def test_bad_model_rir_is_refused(rir):
    for model in REPS_MAX_MODELS:
        raises("rir", percent_1rm, 5, rir, model)
        raises("rir", max_reps, 0.8, model, rir=rir)
        raises("rir", e1rm_reps_rir, 100, 5, rir, model)


@pytest.mark.parametrize("reps", [*BAD_NUMBERS, 0, 0.99, 31])
def test_bad_model_reps_are_refused(reps):
    for model in REPS_MAX_MODELS:
        raises("reps", percent_1rm, reps, 0, model)


@pytest.mark.parametrize("p", [*BAD_NUMBERS, 0, -0.5, 1.01, 85])
def test_bad_percent_is_refused(p):
    for model in REPS_MAX_MODELS:
        raises("percent_1rm", max_reps, p, model)


def test_models_refuse_what_is_outside_them():
    raises("reps", percent_1rm, 30, 4, "linear")  # 34 reps to failure: zero load
    raises("percent_1rm", max_reps, 0.1)  # about 270 reps: no model knows
    raises("rir", max_reps, 0.95, "modified_epley", rir=3)  # 2.5 reps, not 3 in reserve
    raises("model", percent_1rm, 5, 0, "polynomial")
    raises("kmod", percent_1rm, 5, 0, "epley", kmod=0.04)
    raises("k", percent_1rm, 5, 0, "epley", k=0)
    raises("k", percent_1rm, 5, 0, "epley", k=math.nan)
    raises("klin", max_reps, 0.8, "linear", klin=-33)


@pytest.mark.parametrize("formula", ["", "epley2", "all", None, 3])
def test_unknown_formulas_are_refused(formula):
    raises("formula", e1rm, 100, 5, formula)
    raises("formula", load_for_reps, 100, 5, formula)


@pytest.mark.parametrize(
    ("fraction", "reps"), [(1.0, 1.0), (0.811, 7.0), (0.739, 10.0), (0.68, 12.0)]
)
def test_reps_to_failure_reads_the_chart_at_rpe_10(fraction, reps):
    from replog.core.rpe_chart import reps_to_failure

    assert reps_to_failure(fraction) == pytest.approx(reps, abs=1e-9)


@given(st.integers(1, 30), st.sampled_from([x / 2 for x in range(13, 21)]))
def test_reps_to_failure_inverts_the_chart(reps, rpe):
    from replog.core.rpe_chart import reps_to_failure

    total = reps + 10 - rpe
    if total <= 30:
        assert reps_to_failure(rpe_percent(reps, rpe)) == pytest.approx(min(total, 30), rel=1e-6)
