"""The one e1RM rule (replog.core.e1rm) on hand-computed answers: Epley with RIR, the
profile first when it qualifies, the sets when it does not, and the method named."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from replog.core.e1rm import (
    EPLEY,
    PROFILE,
    Effort,
    ProfileFit,
    day_end,
    epley_rir,
    estimate_e1rm,
    profile_shortfall,
)
from replog.core.model import SetKind
from replog.core.profile import LoadVelocityProfile
from replog.core.profile_data import ProfilePoint

AT = datetime(2026, 12, 7, 23, tzinfo=UTC)
W = SetKind.WORKING


def effort(days_ago: float, kg: float, reps: int, rpe: float | None = None, kind=W, sid=""):
    at = AT - timedelta(days=days_ago)
    return Effort(at, kg, reps, rpe, kind, sid or f"{kg}x{reps}", f"{kg:g} kg")


def fit(points, mvt_source="literature", method="ols", mvt=0.30):
    """A profile fitted on (load, velocity) points, one a day."""
    pts = [
        ProfilePoint(kg, v, (AT - timedelta(days=len(points) - i)).date())
        for i, (kg, v) in enumerate(points)
    ]
    p = LoadVelocityProfile(method, mvt).fit([x.load_kg for x in pts], [x.velocity for x in pts])
    return ProfileFit(p, pts, mvt_source)


# v = 1.5 - 0.01 load, so the load at MVT 0.30 m/s is 120 kg; small scatter, a real fit
GOOD = [(60, 0.905), (80, 0.695), (100, 0.502), (110, 0.398), (70, 0.80)]


@pytest.mark.parametrize(
    ("kg", "reps", "rpe", "expected"),
    [
        (100, 5, None, 100 * (1 + 5 / 30)),  # no RPE: RIR 0, plain Epley = 116.667
        (100, 5, 8, 100 * (1 + 7 / 30)),  # RIR 2: 123.333
        (100, 5, 10, 100 * (1 + 5 / 30)),  # RPE 10 is RIR 0
        (137.5, 4, 6.5, 137.5 * (1 + 7.5 / 30)),  # 171.875, the demo's old PAP figure
        (150, 1, 10, 150.0),  # a single at RPE 10 is its load (Epley's table)
        (150, 1, 9, 150 * (1 + 2 / 30)),  # a single at RPE 9: two reps to failure, 160
        (100, 0, 8, 0.0),  # no reps, no estimate
    ],
)
def test_epley_with_rir_by_hand(kg, reps, rpe, expected):
    assert epley_rir(kg, reps, rpe) == pytest.approx(expected)


def test_epley_wins_without_a_profile_and_names_its_set():
    sets = [
        effort(1, 100, 5, 8, sid="a"),  # 123.3
        effort(3, 110, 3, 9, sid="b"),  # 110 x (1 + 4/30) = 124.7: the best
        effort(2, 60, 10, None, SetKind.WARMUP),  # warm-ups never count (would be 80)
        effort(5, 120, 8, 8, SetKind.DROP),  # nor drop sets
        effort(0, 70, 12, 7),  # 15 reps to failure: past the formula's range
        effort(50, 130, 3, 9),  # older than six weeks
        effort(-1, 140, 3, 9),  # after the moment asked about
    ]
    e = estimate_e1rm(sets, AT)
    assert e is not None
    assert e.source == EPLEY
    assert e.value_kg == pytest.approx(110 * (1 + 4 / 30))
    assert e.method == "Epley with RIR from your best working set in the last 6 weeks"
    assert e.basis.startswith("110 kg x 3 @9 on ")
    assert "the best of 2 working sets in the last 6 weeks" in e.basis
    assert e.effort is not None
    assert e.effort.set_id == "b"
    assert e.sets_considered == 2
    assert e.interval_kg is None  # a formula has no error estimate for one lifter
    assert e.why.startswith("no load-velocity profile")
    assert e.day == (AT - timedelta(days=3)).date()


def test_the_profile_wins_when_it_qualifies():
    sets = [effort(1, 110, 3, 9)]  # Epley says 124.7
    f = fit(GOOD)
    assert profile_shortfall(f) is None
    e = estimate_e1rm(sets, AT, f)
    assert e is not None
    assert e.source == PROFILE
    assert e.value_kg == pytest.approx(f.profile.e1rm_)
    assert e.value_kg == pytest.approx(120.0, abs=1.5)
    assert e.method == "load-velocity profile at MVT 0.30 m/s"
    assert e.interval_kg == f.profile.e1rm_interval_
    low, high = e.interval_kg
    assert low < e.value_kg < high
    assert e.confidence == 0.95
    assert e.see == pytest.approx(f.profile.see_)
    assert e.points == 5
    assert "least squares over 5 points on 5 loads" in e.basis
    assert "published for the lift" in e.basis
    assert e.effort is None


def test_too_few_profile_points_and_epley_wins():
    sets = [effort(1, 110, 3, 9)]
    three = fit(GOOD[:3])  # a line, but three points: one residual degree of freedom
    assert profile_shortfall(three) == (
        "the profile has 3 points on 3 loads; it needs 4 on 3 different loads"
    )
    e = estimate_e1rm(sets, AT, three)
    assert e is not None
    assert e.source == EPLEY
    assert e.value_kg == pytest.approx(110 * (1 + 4 / 30))
    assert e.why == (
        "your load-velocity profile does not qualify: the profile has 3 points on 3 loads; "
        "it needs 4 on 3 different loads"
    )
    two_loads = fit([(60, 0.9), (60, 0.91), (100, 0.5), (100, 0.51)])
    assert "2 loads" in (profile_shortfall(two_loads) or "")


@pytest.mark.parametrize(
    ("points", "source", "method", "expected"),
    [
        # scattered: R^2 well below 0.90
        ([(60, 0.9), (80, 0.5), (100, 0.7), (110, 0.3), (70, 0.5)], "literature", "ols", "R²"),
        # no MVT of the lift's own or from the literature: a generic placeholder
        (GOOD, "default", "ols", "no published MVT"),
        (GOOD, "literature", "two_point", "two-point"),
        # a good R^2 but a long extrapolation from light loads: a wide interval
        ([(20, 1.31), (25, 1.245), (30, 1.21), (35, 1.15)], "literature", "ols", "interval"),
    ],
)
def test_a_profile_that_does_not_qualify_says_why(points, source, method, expected):
    f = fit(points, source, method)
    why = profile_shortfall(f)
    assert why is not None
    assert expected in why
    assert estimate_e1rm([], AT, f) is None  # and with no sets, there is no e1RM at all


def test_the_moment_decides_which_sets_count():
    sets = [effort(10, 100, 5, 8), effort(1, 120, 3, 8)]
    earlier = estimate_e1rm(sets, AT - timedelta(days=5))
    assert earlier is not None
    assert earlier.value_kg == pytest.approx(100 * (1 + 7 / 30))
    assert estimate_e1rm(sets, AT, window_days=7).value_kg == pytest.approx(120 * (1 + 5 / 30))
    assert estimate_e1rm([], AT) is None


def test_day_end_is_the_next_midnight():
    end = day_end(date(2026, 12, 7), UTC)
    assert end == datetime(2026, 12, 8, tzinfo=UTC)
    local = day_end(date(2026, 12, 7))
    assert local.tzinfo is not None
    assert (local - timedelta(microseconds=1)).date() == date(2026, 12, 7)
