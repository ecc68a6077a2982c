"""Load-velocity profiles: known answers, the 1RM interval, properties, refusals, and the
data-quality filters that choose the points."""

from __future__ import annotations

import math
import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from replog.core.errors import ValidationError
from replog.core.exercises import BUILTIN, Catalogue, Equipment, Exercise, Pattern
from replog.core.model import Rep, SetKind, SetRecord
from replog.core.profile import (
    GENERIC_MVT,
    LoadVelocityProfile,
    default_mvt,
    learned_mvt,
    normalise_method,
    t_critical,
)
from replog.core.profile_data import (
    NO_USABLE_REP,
    NO_VELOCITY,
    OUTSIDE_WINDOW,
    ROM_OUTLIER,
    SLOWER_SAME_LOAD_DAY,
    VELOCITY_OUT_OF_RANGE,
    max_effort_last_reps,
    profile_points,
)

LOADS = [20.0, 40.0, 60.0, 80.0, 100.0]


def line(intercept: float, slope: float, loads: list[float]) -> list[float]:
    return [intercept + slope * x for x in loads]


# ---------------------------------------------------------------- known answers


def test_a_perfect_line_gives_its_exact_slope_intercept_and_e1rm():
    p = LoadVelocityProfile(mvt=0.30).fit(LOADS, line(1.5, -0.0125, LOADS))
    assert p.slope_ == pytest.approx(-0.0125, abs=1e-12)
    assert p.intercept_ == pytest.approx(1.5, abs=1e-12)
    assert p.e1rm_ == pytest.approx(96.0, abs=1e-9)  # (0.30 - 1.5) / -0.0125
    assert p.v0_ == pytest.approx(1.5)
    assert p.l0_ == pytest.approx(120.0)
    assert p.r2_ == pytest.approx(1.0)
    assert p.see_ == pytest.approx(0.0, abs=1e-12)
    assert (p.n_, p.mvt_) == (5, 0.30)
    lo, hi = p.e1rm_interval_
    assert lo == pytest.approx(96.0, abs=1e-6)
    assert hi == pytest.approx(96.0, abs=1e-6)
    assert p.predict_velocity(80) == pytest.approx(0.5)
    assert p.predict_load(0.5) == pytest.approx(80.0)
    assert p.percent_1rm(48) == pytest.approx(0.5)


def test_the_estimator_only_stores_its_parameters_until_fit():
    p = LoadVelocityProfile("two-point", 0.17, 0.9)
    assert p.get_params() == {"method": "two-point", "mvt": 0.17, "confidence": 0.9}
    assert not p.is_fitted
    assert not hasattr(p, "slope_")
    assert "two-point" in repr(p)
    assert p.fit([40, 80], [1.0, 0.5]) is p
    assert p.is_fitted


def test_ols_matches_a_hand_computed_fit():
    # x = 20, 40, 60; y = 1.0, 0.8, 0.5: xbar 40, ybar 0.7667, Sxx 800, Sxy -10
    p = LoadVelocityProfile(mvt=0.2).fit([20, 40, 60], [1.0, 0.8, 0.5])
    assert p.slope_ == pytest.approx(-0.0125)
    assert p.intercept_ == pytest.approx(0.7666666667 + 0.0125 * 40)
    # residuals 1/60, -1/30, 1/60: SSE = 1/600, SEE = sqrt(SSE / 1)
    assert p.see_ == pytest.approx(math.sqrt(1 / 600))
    assert p.r2_ == pytest.approx(1 - (1 / 600) / 0.12666666667)


def test_two_point_uses_only_the_lightest_and_heaviest_load():
    # Garcia-Ramos & Jaric's two-point method: the line through 40 kg and 80 kg only
    p = LoadVelocityProfile("two_point", mvt=0.17).fit([40, 60, 80], [1.00, 0.90, 0.50])
    assert p.slope_ == pytest.approx(-0.0125)
    assert p.intercept_ == pytest.approx(1.5)
    assert p.e1rm_ == pytest.approx((0.17 - 1.5) / -0.0125)  # 106.4 kg
    assert p.n_ == 2
    assert math.isnan(p.see_)
    assert p.e1rm_interval_ is None  # no residual degrees of freedom


def test_two_point_averages_repeated_points_at_the_two_loads():
    p = LoadVelocityProfile("two-point", mvt=0.3).fit([40, 40, 70, 80], [1.02, 0.98, 0.6, 0.5])
    assert p.intercept_ + p.slope_ * 40 == pytest.approx(1.0)
    assert p.intercept_ + p.slope_ * 80 == pytest.approx(0.5)
    assert p.n_ == 3


def test_method_names():
    assert normalise_method("two-point") == "two_point"
    assert normalise_method(" OLS ") == "ols"
    with pytest.raises(ValidationError) as err:
        normalise_method("lasso")
    assert err.value.field == "method"


# ---------------------------------------------------------------- the interval


def test_fieller_bounds_sit_exactly_on_the_confidence_band():
    from scipy.stats import t

    loads = [40, 60, 80, 100, 120, 140]
    v = [1.36, 1.17, 1.02, 0.83, 0.66, 0.49]
    p = LoadVelocityProfile(mvt=0.30, confidence=0.9).fit(loads, v)
    n, xbar = len(loads), sum(loads) / len(loads)
    sxx = sum((x - xbar) ** 2 for x in loads)
    tq = t.ppf(0.95, n - 2)
    lo, hi = p.e1rm_interval_
    assert lo < p.e1rm_ < hi
    for x in (lo, hi):
        band = tq * p.see_ * math.sqrt(1 / n + (x - xbar) ** 2 / sxx)
        assert abs(p.intercept_ + p.slope_ * x - 0.30) == pytest.approx(band, rel=1e-9)
    # extrapolating to the MVT widens the interval more above the data than below
    assert hi - p.e1rm_ > p.e1rm_ - lo


@pytest.mark.parametrize("dof", [1, 2, 3, 4, 7, 10, 31, 120])
@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.95, 0.99])
def test_t_critical_matches_scipy(confidence, dof):
    from scipy.stats import t

    expected = t.ppf((1 + confidence) / 2, dof)
    assert t_critical(confidence, dof) == pytest.approx(expected, rel=1e-10)


def test_t_critical_refuses_nonsense():
    with pytest.raises(ValidationError):
        t_critical(1.0, 5)
    with pytest.raises(ValidationError):
        t_critical(0.95, 0)


def test_a_higher_confidence_gives_a_wider_interval():
    loads = [40, 60, 80, 100, 120]
    v = [1.15, 0.99, 0.86, 0.66, 0.55]
    widths = []
    for c in (0.5, 0.8, 0.95, 0.99):
        lo, hi = LoadVelocityProfile(mvt=0.3, confidence=c).fit(loads, v).e1rm_interval_
        widths.append(hi - lo)
    assert widths == sorted(widths)


def test_no_bounded_interval_when_the_slope_is_lost_in_the_noise():
    p = LoadVelocityProfile(mvt=0.3).fit([60, 70, 80], [0.80, 0.60, 0.79])
    assert p.slope_ < 0
    assert p.e1rm_interval_ is None


def test_the_interval_covers_the_true_1rm_95_percent_of_the_time():
    """800 noisy profiles (SEE 0.03 m/s, six loads 40-140 kg) of a lifter whose true line
    reaches the MVT at 160 kg: the 95 % interval holds 160 kg in 93-97 % of them (binomial
    SD at 800 trials is 0.8 %, so this band is about +-2.6 SD)."""
    rng = random.Random(20240607)
    true_v0, true_1rm, mvt, sd = 1.70, 160.0, 0.30, 0.03
    slope = (mvt - true_v0) / true_1rm
    loads = [40.0, 60.0, 80.0, 100.0, 120.0, 140.0]
    started = time.perf_counter()
    covered = trials = 0
    for _ in range(800):
        v = [true_v0 + slope * x + rng.gauss(0, sd) for x in loads]
        p = LoadVelocityProfile(mvt=mvt).fit(loads, v)
        assert p.e1rm_interval_ is not None
        lo, hi = p.e1rm_interval_
        covered += lo <= true_1rm <= hi
        trials += 1
    assert time.perf_counter() - started < 2.0
    assert 0.93 <= covered / trials <= 0.97


# ---------------------------------------------------------------- properties

profiles = st.builds(
    lambda intercept, slope, noise: (intercept, slope, noise),
    st.floats(0.8, 2.0),
    st.floats(-0.03, -0.002),
    st.lists(st.floats(-0.05, 0.05), min_size=5, max_size=5),
)


def _fit(intercept: float, slope: float, noise: list[float], mvt: float = 0.3):
    loads = [20.0, 40.0, 55.0, 70.0, 90.0]
    v = [intercept + slope * x + e for x, e in zip(loads, noise, strict=True)]
    assume(all(x > 0.05 for x in v))
    try:
        return LoadVelocityProfile(mvt=mvt).fit(loads, v), loads, v
    except ValidationError:
        assume(False)
        raise


@given(profiles, st.floats(0.0, 1.0))
def test_predict_load_inverts_predict_velocity(params, frac):
    p, _, _ = _fit(*params)
    x = frac * p.l0_ * 0.999
    assert p.predict_load(p.predict_velocity(x)) == pytest.approx(x, abs=1e-6)


@given(profiles, st.floats(0.005, 0.3))
def test_faster_at_every_load_means_a_higher_e1rm(params, delta):
    p, loads, v = _fit(*params)
    faster = LoadVelocityProfile(mvt=0.3).fit(loads, [x + delta for x in v])
    assert faster.e1rm_ > p.e1rm_
    assert faster.slope_ == pytest.approx(p.slope_, rel=1e-9, abs=1e-12)


@given(profiles, st.sampled_from([0.5, 0.9, 0.95, 0.99]))
def test_the_interval_contains_the_estimate(params, confidence):
    intercept, slope, noise = params
    loads = [20.0, 40.0, 55.0, 70.0, 90.0]
    v = [intercept + slope * x + e for x, e in zip(loads, noise, strict=True)]
    assume(all(x > 0.05 for x in v))
    try:
        p = LoadVelocityProfile(mvt=0.3, confidence=confidence).fit(loads, v)
    except ValidationError:
        assume(False)
        raise
    if p.e1rm_interval_ is not None:
        lo, hi = p.e1rm_interval_
        assert lo <= p.e1rm_ <= hi


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("loads", "velocities", "field"),
    [
        ([], [], "loads_kg"),
        ([60], [0.8], "loads_kg"),
        ([60, 60, 60], [0.8, 0.7, 0.75], "loads_kg"),  # one distinct load
        ([40, 80], [1.0], "velocities"),
        ([40, math.nan], [1.0, 0.5], "loads_kg"),
        ([40, 80], [1.0, math.inf], "velocities"),
        ([40, -80], [1.0, 0.5], "loads_kg"),
        ([40, 80], [1.0, -0.5], "velocities"),
        ([40, 80], [1.0, 0.0], "velocities"),
        ([40, 80], [0.5, 0.5], "velocities"),  # flat
        ([40, 80], [0.5, 0.9], "velocities"),  # rising
        ("40 80", [0.5, 0.9], "loads_kg"),
        ([40, "80"], [1.0, 0.5], "loads_kg"),
        ([40, True], [1.0, 0.5], "loads_kg"),
    ],
)
def test_bad_points_are_refused_naming_the_field(loads, velocities, field):
    with pytest.raises(ValidationError) as err:
        LoadVelocityProfile().fit(loads, velocities)
    assert err.value.field == field


def test_a_rising_line_says_why():
    with pytest.raises(ValidationError, match="velocity does not fall with load"):
        LoadVelocityProfile().fit([40, 80], [0.5, 0.9])


@pytest.mark.parametrize("mvt", [0, 0.0, 2, 2.5, -0.1, math.nan, math.inf, True, "0.3"])
def test_mvt_outside_0_2_is_refused(mvt):
    with pytest.raises(ValidationError) as err:
        LoadVelocityProfile(mvt=mvt).fit([40, 80], [1.0, 0.5])
    assert err.value.field == "mvt"


def test_an_mvt_above_the_zero_load_velocity_is_refused():
    with pytest.raises(ValidationError) as err:
        LoadVelocityProfile(mvt=1.6).fit([40, 80], [1.0, 0.5])  # v0 = 1.5
    assert err.value.field == "mvt"


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.2, math.nan, True])
def test_confidence_outside_0_1_is_refused(confidence):
    with pytest.raises(ValidationError) as err:
        LoadVelocityProfile(confidence=confidence).fit([40, 80], [1.0, 0.5])
    assert err.value.field == "confidence"


def test_unknown_method_is_refused():
    with pytest.raises(ValidationError) as err:
        LoadVelocityProfile(method="ridge").fit([40, 80], [1.0, 0.5])
    assert err.value.field == "method"


@pytest.mark.parametrize(
    ("call", "arg"), [("predict_velocity", 80), ("predict_load", 0.5), ("percent_1rm", 80)]
)
def test_predicting_before_fit_is_refused(call, arg):
    with pytest.raises(ValidationError, match="not fitted") as err:
        getattr(LoadVelocityProfile(), call)(arg)
    assert err.value.field == "profile"


def test_predictions_refuse_impossible_inputs():
    p = LoadVelocityProfile().fit([40, 80], [1.0, 0.5])
    for bad in (math.nan, -1.0):
        with pytest.raises(ValidationError):
            p.predict_velocity(bad)
        with pytest.raises(ValidationError):
            p.predict_load(bad)
    with pytest.raises(ValidationError, match="faster than"):
        p.predict_load(1.6)


def test_no_mvt_uses_the_generic_default():
    assert LoadVelocityProfile().fit([40, 80], [1.0, 0.5]).mvt_ == GENERIC_MVT


# ---------------------------------------------------------------- MVT


def test_default_mvt_is_the_catalogues_else_generic():
    cat = Catalogue(BUILTIN)
    assert default_mvt(cat.get("bench-press")) == 0.17
    assert default_mvt(cat.get("back-squat")) == 0.30
    curl = Exercise("zottman-curl", "Zottman Curl", Equipment.DUMBBELL, Pattern.ISOLATION)
    assert default_mvt(curl) == GENERIC_MVT


def test_learned_mvt_needs_two_max_efforts_and_averages_them():
    assert learned_mvt([]) is None
    assert learned_mvt([0.21]) is None
    assert learned_mvt([0.20, 0.24]) == pytest.approx(0.22)
    assert learned_mvt([0.20, 0.24, 0.25]) == pytest.approx(0.23)
    # implausible values are ignored, not averaged
    assert learned_mvt([0.20, math.nan, 0.0, 3.0, -0.1]) is None
    assert learned_mvt([0.20, 0.30, math.inf]) == pytest.approx(0.25)


# ---------------------------------------------------------------- choosing the points

T0 = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def a_set(
    load: float,
    velocities: list[float],
    at: datetime = T0,
    *,
    roms: list[float | None] | None = None,
    kind: SetKind = SetKind.WORKING,
    rpe: float | None = None,
    reps: int | None = None,
    position: int = 1,
) -> SetRecord:
    from replog.core.ids import new_id
    from replog.core.units import Load, Unit

    roms = roms or [None] * len(velocities)
    data = tuple(
        Rep(i + 1, mcv=v, rom=r) for i, (v, r) in enumerate(zip(velocities, roms, strict=True))
    )
    return SetRecord(
        new_id(),
        "s1",
        "back-squat",
        position,
        Load(Decimal(str(load)), Unit.KG),
        reps if reps is not None else max(1, len(velocities)),
        at,
        rpe=rpe,
        kind=kind,
        rep_data=data,
    )


def test_the_fastest_rep_of_each_set_is_its_point():
    data = profile_points([a_set(100, [0.60, 0.66, 0.58])], tz=UTC)
    (point,) = data.points
    assert (point.load_kg, point.velocity, point.rep_index, point.day) == (
        100.0,
        0.66,
        2,
        date(2026, 3, 2),
    )


def test_one_point_per_load_per_day_the_fastest():
    sets = [
        a_set(100, [0.60, 0.55], T0),
        a_set(100, [0.64, 0.58], T0 + timedelta(minutes=5)),
        a_set(100, [0.57], T0 + timedelta(minutes=10)),
        a_set(100, [0.62], T0 + timedelta(days=1)),
        a_set(80, [0.80], T0),
    ]
    data = profile_points(sets, tz=UTC)
    assert [(p.day.day, p.load_kg, p.velocity) for p in data.points] == [
        (2, 80.0, 0.80),
        (2, 100.0, 0.64),
        (3, 100.0, 0.62),
    ]
    assert data.dropped_counts[SLOWER_SAME_LOAD_DAY] == 2


def test_the_window_drops_old_sets():
    sets = [a_set(100, [0.6], T0 - timedelta(days=60)), a_set(90, [0.7], T0)]
    data = profile_points(sets, days=56, now=T0 + timedelta(hours=1))
    assert [p.load_kg for p in data.points] == [90.0]
    assert data.dropped_counts[OUTSIDE_WINDOW] == 1
    # the window ends at the newest set when no time is given; None keeps everything
    assert len(profile_points(sets, days=56).points) == 1
    assert len(profile_points(sets, days=None).points) == 2


def test_sets_without_velocity_and_implausible_reps_are_dropped_and_counted():
    sets = [
        a_set(100, [], reps=5),
        a_set(100, [0.01, 0.60]),  # a stalled reading
        a_set(60, [4.0, 9.5]),  # mm/s typed as... still m/s but impossible for a squat
    ]
    data = profile_points(sets, tz=UTC)
    counts = data.dropped_counts
    assert counts[NO_VELOCITY] == 1
    assert counts[VELOCITY_OUT_OF_RANGE] == 3
    assert counts[NO_USABLE_REP] == 1
    assert [(p.load_kg, p.velocity) for p in data.points] == [(100.0, 0.60)]


def test_reps_with_an_outlying_range_of_motion_are_dropped():
    normal = [
        a_set(load, [v], roms=[rom], at=T0 + timedelta(days=i))
        for i, (load, v, rom) in enumerate(
            [
                (60, 1.0, 0.60),
                (80, 0.85, 0.61),
                (100, 0.7, 0.59),
                (120, 0.55, 0.60),
                (140, 0.4, 0.62),
            ]
        )
    ]
    half_rep = a_set(140, [0.62, 0.41], roms=[0.35, 0.61], at=T0 + timedelta(days=4, minutes=5))
    unknown = a_set(90, [0.8], roms=[None], at=T0 + timedelta(days=6))
    data = profile_points([*normal, half_rep, unknown], tz=UTC)
    assert data.dropped_counts[ROM_OUTLIER] == 1
    low, high = data.rom_range
    assert low < 0.59
    assert high > 0.62
    # the half rep's set is represented by its full rep; the ROM-less rep passes
    day4 = [p for p in data.points if p.load_kg == 140]
    assert [p.velocity for p in day4] == [0.41]
    assert any(p.load_kg == 90 for p in data.points)


def test_the_rom_check_needs_enough_roms():
    sets = [a_set(60, [1.0, 1.2], roms=[0.6, 0.3])]
    data = profile_points(sets, tz=UTC)
    assert data.rom_range is None
    assert data.points[0].velocity == 1.2


@pytest.mark.parametrize("days", [0, -3, 1.5, True])
def test_bad_window_is_refused(days):
    with pytest.raises(ValidationError) as err:
        profile_points([], days=days)
    assert err.value.field == "days"


def test_points_feed_a_profile():
    sets = [
        a_set(load, [1.5 - 0.01 * load, 1.45 - 0.01 * load], T0 + timedelta(minutes=i))
        for i, load in enumerate([40, 60, 80, 100, 120])
    ]
    data = profile_points(sets, tz=UTC)
    p = LoadVelocityProfile(mvt=0.3).fit(data.loads, data.velocities)
    assert p.e1rm_ == pytest.approx(120.0)
    assert data.distinct_loads == 5


def test_max_efforts_are_failure_amrap_and_rpe_10_sets_with_a_logged_last_rep():
    sets = [
        a_set(140, [0.40, 0.30, 0.22], T0, kind=SetKind.FAILURE),
        a_set(100, [0.70, 0.50, 0.26], T0 + timedelta(days=1), kind=SetKind.AMRAP),
        a_set(160, [0.24], T0 + timedelta(days=2), rpe=10),
        a_set(150, [0.31], T0 + timedelta(days=3), rpe=9),  # not a max
        a_set(140, [0.40, 0.30], T0 + timedelta(days=4), kind=SetKind.FAILURE, reps=3),
    ]
    got = max_effort_last_reps(sets)
    assert [v for _, v in got] == [0.22, 0.26, 0.24]
    assert learned_mvt(v for _, v in got) == pytest.approx(0.24)
