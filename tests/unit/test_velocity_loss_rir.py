"""Reps in reserve from velocity loss: the bench press prior and the lifter's own curve."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.errors import ValidationError
from replog.core.velocity_loss_rir import (
    BENCH_PRESS_2017,
    VelocityLossProfile,
    fit_velocity_loss_profile,
    percent_reps_done,
    rir_from_velocity_loss,
)


@pytest.mark.parametrize(
    ("loss", "share"),
    [
        # %Rep = -0.00855 VL^2 + 1.83311 VL + 5.55281 (Gonzalez-Badillo et al. 2017, bench
        # press, as transcribed; see the module notes), worked by hand:
        (0.0, 5.55281),  # the first rep of the set is done before any loss
        (10.0, 23.02891),  # -0.855 + 18.3311 + 5.55281
        (20.0, 38.79501),  # -3.42 + 36.6622 + 5.55281
        (40.0, 65.19721),  # -13.68 + 73.3244 + 5.55281
        (50.0, 75.83331),  # -21.375 + 91.6555 + 5.55281
    ],
)
def test_bench_press_prior_worked_by_hand(loss, share):
    assert percent_reps_done(loss) == pytest.approx(share, abs=1e-9)


def test_rir_from_the_share_of_the_set_done():
    # 6 reps at 40 % loss: 65.19721 % of the set, so 6 / 0.6519721 = 9.2029 possible, 3.2 left
    assert rir_from_velocity_loss(40.0, 6) == pytest.approx(6 * (100 / 65.19721 - 1), rel=1e-9)
    assert rir_from_velocity_loss(40.0, 6) == pytest.approx(3.2029, abs=1e-4)


def test_more_loss_means_fewer_reps_left_for_the_same_reps_done():
    rirs = [rir_from_velocity_loss(v, 5) for v in range(5, 76, 5)]
    assert all(a > b for a, b in itertools.pairwise(rirs))
    assert rirs[-1] == pytest.approx(5 * (100 / BENCH_PRESS_2017.percent_reps(75) - 1))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: percent_reps_done(20.0, "squat"), "lift"),
        (lambda: percent_reps_done(20.0, "Back Squat"), "lift"),
        (lambda: percent_reps_done(20.0, "curl"), "lift"),
        (lambda: percent_reps_done(80.0), "velocity_loss_pct"),
        (lambda: percent_reps_done(-1.0), "velocity_loss_pct"),
        (lambda: percent_reps_done(float("nan")), "velocity_loss_pct"),
        (lambda: rir_from_velocity_loss(20.0, 0), "reps"),
        (lambda: rir_from_velocity_loss(20.0, True), "reps"),
    ],
)
def test_refusals_name_the_field(call, field):
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.field == field


def _set_to_failure(curve: VelocityLossProfile, reps: int, v0: float) -> list[float]:
    """Velocities whose losses put every rep exactly on ``curve``: solve the quadratic."""
    out = [v0]  # the first rep: the reference, no loss (and no point of the fit)
    for i in range(2, reps + 1):
        share = 100 * i / reps
        # c VL^2 + b VL + (a - share) = 0, the root in 0..100
        disc = curve.b**2 - 4 * curve.c * (curve.a - share)
        loss = (-curve.b + disc**0.5) / (2 * curve.c)
        out.append(v0 * (1 - loss / 100))
    return out


def test_fits_the_curve_the_sets_were_made_from():
    truth = VelocityLossProfile(a=4.0, b=1.9, c=-0.007, vl_low=0, vl_high=60, source="truth")
    sets = [_set_to_failure(truth, n, v0) for n, v0 in ((8, 0.62), (12, 0.81), (5, 0.45))]
    fit = fit_velocity_loss_profile(sets)
    assert (fit.a, fit.b, fit.c) == pytest.approx((4.0, 1.9, -0.007), rel=1e-6)
    assert fit.n == 22  # every rep but each set's first
    assert fit.residual_se == pytest.approx(0, abs=1e-6)
    assert fit.vl_low > 0
    # the lifter's own curve then answers for any lift, the squat too
    rir = rir_from_velocity_loss(30.0, 6, "squat", profile=fit)
    assert rir == pytest.approx(6 * (100 / truth.percent_reps(30.0) - 1), rel=1e-6)


def test_the_loss_is_from_the_fastest_rep_so_far():
    # a second rep faster than the first is the reference from then on
    fit_input = [[0.50, 0.55, 0.50, 0.44, 0.33], [0.60, 0.58, 0.52, 0.45]]
    fit = fit_velocity_loss_profile(fit_input)
    assert fit.vl_high == pytest.approx(40.0)  # 0.33 against 0.55


@pytest.mark.parametrize(
    ("sets", "field"),
    [
        ([[0.6, 0.5, 0.4, 0.3]], "sets"),  # one set
        ([[0.6, 0.5, 0.4, 0.3], [0.6, 0.5, 0.4]], "sets[1]"),  # a set of 3 reps
        ([[0.6, 0.5, 0.4, 0.3], [0.6, 0.5, 0.0, 0.3]], "sets[1]"),
        ([[0.6, 0.5, 0.4, 0.3], [0.6, 0.5, float("inf"), 0.3]], "sets[1][2]"),
        ([[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]], "sets"),  # no loss at all
    ],
)
def test_fit_refuses_too_few_or_degenerate_sets(sets, field):
    with pytest.raises(ValidationError) as err:
        fit_velocity_loss_profile(sets)
    assert err.value.field == field


@given(st.floats(0.0, 75.0))
def test_the_prior_stays_a_share_of_the_set(loss):
    share = percent_reps_done(loss)
    assert 5.5 <= share <= 100.0
