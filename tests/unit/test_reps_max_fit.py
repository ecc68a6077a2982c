"""Individual reps-max profiles fitted as STMr's estimate_k / estimate_kmod / estimate_klin."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.errors import ValidationError
from replog.core.reps_max_fit import fit_reps_max
from replog.core.strength import REPS_MAX_MODELS, percent_1rm

# STMr's documented examples (reference page "estimate_functions", STMr docs/reference,
# github.com/mladenjovanovic/STMr), printed by R to 7 significant digits: tolerance 5e-7
# relative, half a unit in the last printed digit or better.
PERC, REPS, WEIGHTS = [0.7, 0.8, 0.9], [10, 5, 3], [70.0, 110.0, 140.0]
PRINTED = 5e-7


@pytest.mark.parametrize(
    ("model", "expected"),
    [("epley", 0.04404789), ("modified_epley", 0.05089596), ("linear", 26.42857)],
)
def test_stmr_documented_parameter_with_a_known_1rm(model, expected):
    fit = fit_reps_max(PERC, REPS, one_rm=1.0, model=model)
    assert fit.param == pytest.approx(expected, rel=PRINTED)
    assert (fit.n, fit.one_rm, fit.one_rm_fitted, fit.target) == (3, 1.0, False, "reps")
    assert fit.param_name == {"epley": "k", "modified_epley": "kmod", "linear": "klin"}[model]


@pytest.mark.parametrize(
    ("model", "param", "one_rm"),
    [
        ("epley", 0.2542595, 248.2568809),  # STMr prints the Epley scale as "0RM"
        ("modified_epley", 0.2027168, 197.9310344),
        ("linear", 15.81081, 156.00000),
    ],
)
def test_stmr_documented_parameter_and_1rm_together(model, param, one_rm):
    fit = fit_reps_max(WEIGHTS, REPS, model=model)
    assert fit.param == pytest.approx(param, rel=PRINTED)
    assert fit.one_rm == pytest.approx(one_rm, rel=PRINTED)
    assert fit.one_rm_fitted
    assert fit.one_rm_se is not None
    assert fit.one_rm_se > 0


def test_stmr_documented_epley_1rm_both_ways():
    # estimate_k_1RM(150 * c(0.9, 0.8, 0.7), c(3, 6, 12)): k 0.03433858 (reps as the target),
    # 0.03518712 (reverse = TRUE); get_predicted_1RM_from_k_model: 142.3961 and 142.9047
    loads = [150 * p for p in (0.9, 0.8, 0.7)]
    by_reps = fit_reps_max(loads, [3, 6, 12])
    by_load = fit_reps_max(loads, [3, 6, 12], target="load")
    assert by_reps.param == pytest.approx(0.03433858, rel=PRINTED)
    assert by_load.param == pytest.approx(0.03518712, rel=PRINTED)
    assert by_reps.single == pytest.approx(142.3961, rel=PRINTED)
    assert by_load.single == pytest.approx(142.9047, rel=PRINTED)
    assert by_reps.single == pytest.approx(by_reps.one_rm / (1 + by_reps.param))


@pytest.mark.parametrize(
    ("model", "value"), [("epley", 0.041), ("modified_epley", 0.03), ("linear", 27.0)]
)
@pytest.mark.parametrize("target", ["reps", "load"])
def test_recovers_the_parameters_of_data_made_by_the_model(model, value, target):
    one_rm = 142.5
    rir = [0, 2, 1, 3, 0]
    reps = [2, 3, 6, 5, 11]
    loads = [
        one_rm * percent_1rm(r, q, model, **{fit_param(model): value})
        for r, q in zip(reps, rir, strict=True)
    ]
    fit = fit_reps_max(loads, reps, rir=rir, model=model, target=target)
    assert fit.param == pytest.approx(value, rel=1e-9)
    assert fit.one_rm == pytest.approx(one_rm, rel=1e-9)
    assert fit.residual_se == pytest.approx(0, abs=1e-6)
    known = fit_reps_max(loads, reps, rir=rir, one_rm=one_rm, model=model, target=target)
    assert known.param == pytest.approx(value, rel=1e-9)
    assert known.one_rm_se is None


def fit_param(model: str) -> str:
    return {"epley": "k", "modified_epley": "kmod", "linear": "klin"}[model]


def test_rpe_reads_as_ten_minus_rir():
    loads, reps = [100.0, 90.0, 80.0], [3, 5, 8]
    by_rpe = fit_reps_max(loads, reps, rpe=[8, 9, 7.5], model="modified_epley")
    by_rir = fit_reps_max(loads, reps, rir=[2, 1, 2.5], model="modified_epley")
    assert by_rpe == by_rir


def test_one_set_with_a_known_1rm_is_an_exact_fit_without_errors():
    fit = fit_reps_max([80.0], [5], rir=[2], one_rm=100.0)
    assert fit.param == pytest.approx((1 - 0.8) / (0.8 * 7), rel=1e-9)  # Epley, nRM = 7
    assert (fit.param_se, fit.residual_se) == (None, None)


def test_residual_and_standard_errors_as_r_summary_nls():
    # one parameter: s = sqrt(SSE / (n - 1)); se(k) = s / sqrt(sum(dn/dk ^ 2)), dn/dk = -n / k
    loads = [100.0, 90.0, 80.0, 70.0, 60.0]
    reps = [3, 7, 9, 14, 18]
    fit = fit_reps_max(loads, reps, one_rm=110.0)
    k = fit.param
    p = [w / 110.0 for w in loads]
    predicted = [(1 - q) / (k * q) for q in p]
    sse = sum((a - b) ** 2 for a, b in zip(predicted, reps, strict=True))
    s = math.sqrt(sse / 4)
    assert fit.residual_se == pytest.approx(s, rel=1e-9)
    assert fit.param_se == pytest.approx(s / math.sqrt(sum((n / k) ** 2 for n in predicted)))
    # the least-squares k solves sum(dn/dk (n_pred - n_obs)) = 0
    assert sum(n * (n - r) for n, r in zip(predicted, reps, strict=True)) == pytest.approx(
        0, abs=1e-9
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"loads": [100.0], "reps": [3]}, "loads"),  # 1RM fitted too: needs two sets
        ({"loads": [100.0, 100.0], "reps": [3, 4]}, "loads"),  # one load only
        ({"loads": [], "reps": [], "one_rm": 100.0}, "loads"),
        ({"loads": [100.0, 90.0], "reps": [3]}, "reps"),
        ({"loads": [100.0, 90.0], "reps": [3, 5], "rir": [1]}, "rir"),
        ({"loads": [100.0, 90.0], "reps": [3, 5], "rir": [1, 11]}, "rir[1]"),
        ({"loads": [100.0, 90.0], "reps": [3, 5], "rir": 1, "rpe": 9}, "rpe"),
        ({"loads": [100.0, -90.0], "reps": [3, 5]}, "loads[1]"),
        ({"loads": [100.0, 90.0], "reps": [0, 5]}, "reps"),
        ({"loads": [120.0, 90.0], "reps": [3, 5], "one_rm": 110.0}, "loads"),
        ({"loads": [110.0, 110.0], "reps": [1, 1], "one_rm": 110.0}, "loads"),
        ({"loads": [100.0, 90.0], "reps": [3, 5], "model": "lombardi"}, "model"),
        ({"loads": [100.0, 90.0], "reps": [3, 5], "target": "weight"}, "target"),
        ({"loads": [100.0, 90.0, 80.0], "reps": [8, 5, 3]}, "reps"),  # more reps when heavier
    ],
)
def test_refuses_too_few_or_degenerate_data(kwargs, field):
    with pytest.raises(ValidationError) as err:
        fit_reps_max(**kwargs)
    assert err.value.field == field


@given(
    st.sampled_from(["epley", "modified_epley", "linear"]),
    st.floats(0.8, 1.25),
    st.floats(60.0, 300.0),
)
def test_a_scaled_default_profile_is_found_again(model, factor, one_rm):
    name = fit_param(model)
    value = REPS_MAX_MODELS[model][1] * factor
    reps = [1, 3, 5, 8, 12]
    loads = [one_rm * percent_1rm(r, 0, model, **{name: value}) for r in reps]
    fit = fit_reps_max(loads, reps, model=model)
    assert fit.param == pytest.approx(value, rel=1e-7)
    assert fit.one_rm == pytest.approx(one_rm, rel=1e-7)
