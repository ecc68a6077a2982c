"""PAP blocks and "does this help me?": prescription, effect sizes, and evaluation on
synthetic histories with a known planted effect (or a known confound and no effect)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from scipy.stats import nct, ttest_ind

from replog.core.errors import ValidationError
from replog.core.model import Rep, SetKind, SetRecord
from replog.core.pap import (
    ReviewOptions,
    Verdict,
    compare_tag,
    e1rm_rir,
    effect_of,
    evaluate_pap,
    hedges_j,
    prescribe_pap,
)
from replog.core.strength import e1rm_epley
from replog.core.units import KG_PER_LB, Load, Unit

LB = float(KG_PER_LB)

# --- effect size ---------------------------------------------------------------------------

TREATED = [0.62, 0.65, 0.63, 0.66]
BASELINE = [0.60, 0.61, 0.59]


def test_hedges_g_matches_a_hand_computed_example():
    # By hand: means 0.64 and 0.60; sums of squares 0.0010 and 0.0002, so the pooled
    # variance is 0.0012 / 5 = 0.00024 and d = 0.04 / sqrt(0.00024) = 2.5819889.
    # J(5) = G(2.5) / (sqrt(2.5) G(2)) = 0.75 sqrt(pi) / sqrt(2.5) = 0.8407487; g = 2.1708038
    d = 0.04 / math.sqrt(0.0012 / 5)
    j = 0.75 * math.sqrt(math.pi) / math.sqrt(2.5)
    assert d == pytest.approx(2.5819889, abs=1e-6)
    assert j == pytest.approx(0.8407487, abs=1e-6)
    e = effect_of(TREATED, BASELINE)
    assert e.g == pytest.approx(d * j, abs=1e-6)
    assert e.g == pytest.approx(2.1708038, abs=1e-6)
    assert (e.n_treated, e.n_baseline) == (4, 3)
    assert e.diff == pytest.approx(0.04, abs=1e-9)
    assert e.diff_pct == pytest.approx(0.04 / 0.60 * 100, abs=1e-9)
    # the CI is now the exact one for delta from d (noncentral t, as MBESS ci.smd), no longer
    # g +- 1.96 sqrt((n1+n2)/(n1 n2) + g^2/(2(n1+n2))), which was too narrow for 4 vs 3:
    # t = d sqrt(12/7) = 3.3806 on 5 df puts its noncentrality at 0.4844 .. 6.1331
    t = d * math.sqrt(12 / 7)
    low, high = e.ci_low, e.ci_high
    assert low is not None
    assert high is not None
    assert nct.cdf(t, 5, low * math.sqrt(12 / 7)) == pytest.approx(0.975, abs=1e-9)
    assert nct.cdf(t, 5, high * math.sqrt(12 / 7)) == pytest.approx(0.025, abs=1e-9)
    normal = e.g - 1.959964 * math.sqrt(7 / 12 + e.g**2 / 14)
    assert low > normal  # the normal approximation's 0.291 understated the low end here
    # CI above 0 exactly when the pooled t-test rejects: p = 0.0197
    assert ttest_ind(TREATED, BASELINE).pvalue < 0.05


def test_exact_correction_is_close_to_the_usual_approximation():
    for df in (2, 5, 10, 40, 200):
        approx = 1 - 3 / (4 * df - 1)
        assert hedges_j(df) == pytest.approx(approx, abs=0.01)
        assert hedges_j(df) < 1
    assert hedges_j(1000) == pytest.approx(1, abs=1e-3)


def test_confidence_interval_leans_away_from_zero():
    # the exact (noncentral t) interval is skewed away from 0, unlike the normal g +- z SE
    e = effect_of([0.55, 0.58, 0.52, 0.57, 0.6], [0.5, 0.56, 0.54, 0.53])
    assert e.g is not None
    assert e.ci_low is not None
    assert e.ci_high is not None
    assert e.ci_low < e.g < e.ci_high
    assert e.ci_high - e.g > e.g - e.ci_low
    # not significant by the pooled t-test, so the interval spans 0: no clear effect
    assert ttest_ind([0.55, 0.58, 0.52, 0.57, 0.6], [0.5, 0.56, 0.54, 0.53]).pvalue > 0.05
    assert e.ci_low < 0
    assert e.verdict is Verdict.NO_CLEAR


def test_swapping_the_groups_flips_the_sign():
    a, b = effect_of(TREATED, BASELINE), effect_of(BASELINE, TREATED)
    assert b.g == pytest.approx(-a.g)
    assert b.ci_low == pytest.approx(-a.ci_high)
    assert (a.verdict, b.verdict) == (Verdict.HELPS, Verdict.HURTS)


def test_too_few_sessions_is_not_enough_data_even_with_a_big_difference():
    e = effect_of([0.7, 0.71], [0.5, 0.51, 0.52])
    assert e.g is not None  # computed, but not trusted
    assert e.verdict is Verdict.NOT_ENOUGH
    assert effect_of([0.7], [0.5, 0.51, 0.52]).g is None


def test_verdict_edges_at_the_smallest_worthwhile_change():
    e = effect_of(TREATED, BASELINE)
    assert e.g is not None
    assert e.ci_low is not None
    assert e.ci_low > 0
    assert effect_of(TREATED, BASELINE, swc=e.g).verdict is Verdict.HELPS
    assert effect_of(TREATED, BASELINE, swc=e.g + 1e-9).verdict is Verdict.NO_CLEAR


def test_worthwhile_g_with_a_ci_spanning_zero_is_no_clear_effect():
    e = effect_of([0.60, 0.66, 0.57, 0.63], [0.59, 0.64, 0.56, 0.62])
    assert e.g is not None
    assert e.g >= 0.2
    assert e.ci_low is not None
    assert e.ci_low < 0
    assert e.verdict is Verdict.NO_CLEAR


def test_a_clear_but_trivial_difference_is_no_clear_effect():
    base = [(-1.0) ** i for i in range(2000)]  # mean 0, SD ~1
    e = effect_of([x + 0.15 for x in base], base)
    assert e.ci_low is not None
    assert e.ci_low > 0
    assert e.g is not None
    assert e.g < 0.2
    assert e.verdict is Verdict.NO_CLEAR


def test_identical_groups_are_no_clear_effect():
    e = effect_of([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
    assert (e.g, e.verdict) == (0.0, Verdict.NO_CLEAR)


@pytest.mark.parametrize(
    ("treated", "baseline", "field"),
    [
        ([], [0.5, 0.6], "treated"),
        ([0.5, 0.6], [], "baseline"),
        ([0.5, math.nan, 0.6], [0.5, 0.6, 0.7], "treated"),
        ([0.5, 0.6, 0.7], [0.5, math.inf, 0.6], "baseline"),
        ([0.5, "0.6", 0.7], [0.5, 0.6, 0.7], "treated"),
        ([0.5, True, 0.7], [0.5, 0.6, 0.7], "treated"),
    ],
)
def test_effect_of_refuses_empty_and_non_finite_values(treated, baseline, field):
    with pytest.raises(ValidationError) as err:
        effect_of(treated, baseline)
    assert err.value.field == field


# --- prescription ----------------------------------------------------------------------------


def test_e1rm_with_reps_in_reserve():
    assert e1rm_rir(100, 5) == pytest.approx(e1rm_epley(100, 5))
    assert e1rm_rir(100, 5, rpe=8) == pytest.approx(100 * (1 + 7 / 30))
    assert e1rm_rir(100, 5, rpe=7.5) == pytest.approx(100 * (1 + 7.5 / 30))
    assert e1rm_rir(100, 1, rpe=10) == 100
    assert e1rm_rir(100, 1, rpe=9) == pytest.approx(100 * (1 + 2 / 30))
    assert e1rm_rir(100, 0) == 0


def test_primer_and_working_loads_round_to_kilogram_plates():
    p = prescribe_pap(180)
    assert (p.unit, p.increment, p.e1rm) == (Unit.KG, 2.5, 180)
    assert (p.primer.load, p.primer.load_kg, p.primer.reps, p.primer.sets) == (162.5, 162.5, 1, 1)
    assert p.working.load == 135.0
    assert (p.working.sets, p.working.reps, p.working.rest_between_s) == (3, 5, 180)
    assert p.primer.pct_e1rm == pytest.approx(162.5 / 180)
    assert 0.85 <= p.primer.pct_e1rm <= 0.95
    assert "162.5 kg" in p.primer.why
    assert "Wilson" in p.primer.why
    assert "135 kg" in p.working.why
    # the RPE Epley implies: 162.5 kg is 90.3 % -> reps + RIR = 3.23 -> RIR 2.2 -> RPE 8
    assert p.primer.expected_rpe == 8.0
    assert p.working.expected_rpe == 5.0  # 75 %: reps + RIR = 10, 5 in reserve


def test_a_pound_lifter_gets_pound_loads_on_five_pound_steps():
    p = prescribe_pap(405 * LB, unit=Unit.LB)
    assert p.unit is Unit.LB
    assert p.increment == 5.0
    assert p.e1rm == pytest.approx(405)
    assert p.primer.load == 365.0  # 0.9 x 405 = 364.5 -> 365
    assert p.working.load == 305.0  # 0.75 x 405 = 303.75 -> 305
    assert p.primer.load % 5 == 0
    assert p.working.load % 5 == 0
    assert p.primer.load_kg == pytest.approx(365 * LB)
    assert "365 lb" in p.primer.why


def test_a_custom_increment_in_the_lifters_unit():
    assert prescribe_pap(180, increment=1).primer.load == 162
    assert prescribe_pap(405 * LB, unit=Unit.LB, increment=2.5).primer.load == 365.0


def test_rest_after_the_primer_is_seven_to_ten_minutes():
    for hint in (None, 1.4, 1.99):
        rest = prescribe_pap(180, relative_strength=hint).rest
        assert 420 <= rest.low_s <= rest.target_s <= rest.high_s <= 600
        assert "7-10" in rest.why
        assert "Wilson" in rest.why


def test_stronger_lifters_rest_less():
    strong = prescribe_pap(200, relative_strength=2.4).rest
    normal = prescribe_pap(200, relative_strength=1.5).rest
    assert strong.target_s < normal.target_s
    assert strong.high_s <= 600  # never past the 10 min where the effect was gone
    assert "Seitz" in strong.why


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"e1rm_kg": math.nan}, "e1rm"),
        ({"e1rm_kg": 0}, "e1rm"),
        ({"e1rm_kg": -100}, "e1rm"),
        ({"e1rm_kg": 180, "increment": 0}, "increment"),
        ({"e1rm_kg": 180, "increment": math.inf}, "increment"),
        ({"e1rm_kg": 180, "working_pct": 0.9}, "working_pct"),
        ({"e1rm_kg": 180, "primer_pct": 1.2}, "primer_pct"),
        ({"e1rm_kg": 180, "working_sets": 0}, "working_sets"),
        ({"e1rm_kg": 180, "relative_strength": math.nan}, "relative_strength"),
    ],
)
def test_prescription_refuses_impossible_inputs(kwargs, field):
    with pytest.raises(ValidationError) as err:
        prescribe_pap(**kwargs)
    assert err.value.field == field


# --- evaluation on synthetic histories -----------------------------------------------------

START = date(2026, 1, 5)
_ids = iter(range(10**6))


def true_velocity(load_kg: float) -> float:
    """The synthetic lifter's first-rep velocity at a load: v = 1.7 - 0.0085 kg."""
    return 1.7 - 0.0085 * load_kg


def session(
    day: date,
    load: float,
    *,
    primer: bool = False,
    boost: float = 1.0,
    noise: float = 0.0,
    sets: int = 3,
    rest_after_primer: int = 480,
    tag_first: str | None = None,
    exercise: str = "back-squat",
) -> list[tuple[date, SetRecord]]:
    """A session of ``sets`` working sets at ``load`` (kg), each set 1 % slower than the one
    before; with a primer single at 110 % of ``load`` before them."""
    sid = f"session-{day.isoformat()}-{next(_ids)}"
    at = datetime(day.year, day.month, day.day, 17, tzinfo=UTC)
    out: list[SetRecord] = []

    def add(kind: SetKind, kg: float, v: float, rest: int | None, tags: tuple[str, ...]) -> None:
        reps = 1 if kind is SetKind.PRIMER else 3
        data = tuple(Rep(i + 1, mcv=round(v * (1 - 0.04 * i), 4)) for i in range(reps))
        out.append(
            SetRecord(
                f"set-{next(_ids)}",
                sid,
                exercise,
                len(out) + 1,
                Load(Decimal(str(kg)), Unit.KG),
                reps,
                at + timedelta(minutes=4 * len(out)),
                rpe=8.0 if kind is SetKind.PRIMER else 7.0,
                kind=kind,
                rest_s=rest,
                tags=tags,
                rep_data=data,
            )
        )

    add(SetKind.WARMUP, load * 0.6, true_velocity(load * 0.6), None, ())
    if primer:
        add(SetKind.PRIMER, load * 1.1, true_velocity(load * 1.1), 180, ("pap",))
    for k in range(sets):
        v = true_velocity(load) * (1 + noise) * (1 - 0.01 * k) * boost
        rest = rest_after_primer if primer and k == 0 else 180
        tags = (tag_first,) if tag_first and k == 0 else ()
        add(SetKind.WORKING, load, v, rest, tags)
    return [(day, s) for s in out]


NOISE = [0.012, -0.008, 0.004, -0.013, 0.009, -0.003, 0.014, -0.011, 0.002, -0.006, 0.007]


def block(
    primer_loads: dict[int, float],
    *,
    boost: float = 1.0,
    baseline_loads: tuple[float, ...] = (120, 130, 140),
    weeks: int = 10,
    **kw: object,
) -> list[tuple[date, SetRecord]]:
    """Two sessions a week; sessions numbered in ``primer_loads`` get a primer at that load."""
    history: list[tuple[date, SetRecord]] = []
    for n in range(2 * weeks):
        day = START + timedelta(days=7 * (n // 2) + 3 * (n % 2))
        noise = NOISE[n % len(NOISE)]
        if n in primer_loads:
            history += session(day, primer_loads[n], primer=True, boost=boost, noise=noise, **kw)
        else:
            history += session(day, baseline_loads[n % len(baseline_loads)], noise=noise)
    return history


PRIMERS = {3: 130, 7: 120, 10: 140, 14: 130, 17: 120}


def test_a_planted_five_percent_potentiation_helps():
    review = evaluate_pap(block(PRIMERS, boost=1.05))
    e = review.effect
    assert e.verdict is Verdict.HELPS
    assert e.n_treated == 5
    assert e.n_baseline >= 5
    assert e.diff_pct == pytest.approx(5, abs=1.5)
    assert e.diff is not None
    assert e.diff > 0
    assert [r.day for r in review.sessions] == sorted(r.day for r in review.sessions)
    for row in review.sessions:
        assert row.diff_pct == pytest.approx(5, abs=3)
        assert row.baseline is not None
        assert row.baseline_sessions >= 1
        assert row.sets == 3
        assert row.rest_s == 480
        assert row.note == ""


def test_no_difference_is_no_clear_effect():
    e = evaluate_pap(block(PRIMERS)).effect
    assert e.verdict is Verdict.NO_CLEAR
    assert abs(e.diff_pct) < 1.5


def test_load_matching_keeps_lighter_primer_sessions_from_looking_potentiated():
    history = block({3: 120, 7: 120, 10: 120, 14: 120, 17: 120})  # no real effect
    # the confound: compared with all other working sets, lighter sets look faster
    primed = {s.session_id for _, s in history if s.kind is SetKind.PRIMER}
    firsts: dict[str, float] = {}
    for _, s in history:
        if s.kind is SetKind.WORKING:
            firsts.setdefault(s.session_id, s.rep_data[0].mcv or 0)
    naive = effect_of(
        [v for sid, v in firsts.items() if sid in primed],
        [v for sid, v in firsts.items() if sid not in primed],
    )
    assert naive.verdict is Verdict.HELPS
    assert naive.diff_pct > 5
    matched = evaluate_pap(history).effect
    assert matched.verdict is Verdict.NO_CLEAR
    assert abs(matched.diff_pct) < 1.5
    assert all(r.load_kg == 120 for r in evaluate_pap(history).sessions)


def test_primer_sessions_at_a_load_never_done_without_one_are_not_enough_data():
    review = evaluate_pap(block({3: 105, 7: 105, 10: 105, 14: 105}))
    assert review.effect.verdict is Verdict.NOT_ENOUGH
    assert review.effect.n_treated == 0
    assert all(r.baseline is None and "105 kg" in r.note for r in review.sessions)


def test_loads_within_two_and_a_half_percent_match_along_the_lifters_slope():
    # primer sessions at 122.5 kg (2 % above 120) with no effect: matched with the 120 kg
    # sessions after moving them along the slope the lifter shows across 120-140 kg
    review = evaluate_pap(block({3: 122.5, 7: 122.5, 10: 122.5, 14: 122.5}))
    assert review.load_slope == pytest.approx(-0.0085, rel=0.2)
    assert review.effect.verdict is Verdict.NO_CLEAR
    assert abs(review.effect.diff_pct) < 1.5


def test_a_steady_strength_trend_is_not_read_as_potentiation():
    history = []
    for n in range(24):  # one load, 0.5 % faster every session, a primer every fourth
        day = START + timedelta(days=3 * n)
        noise = 0.005 * n + NOISE[n % len(NOISE)] / 4
        history += session(day, 130, primer=n % 4 == 2 and 2 < n < 22, noise=noise)
    e = evaluate_pap(history).effect
    assert e.verdict is not Verdict.HELPS
    assert abs(e.diff_pct) < 1.5


def test_rest_outside_seven_to_ten_minutes_is_noted():
    review = evaluate_pap(block(PRIMERS, rest_after_primer=240))
    assert all(r.rest_s == 240 for r in review.sessions)
    assert all("outside 7-10 min" in r.note for r in review.sessions)
    wide = evaluate_pap(
        block(PRIMERS, rest_after_primer=240), ReviewOptions(rest_window_s=(200, 600))
    )
    assert all(r.note == "" for r in wide.sessions)


def test_a_cue_on_fresh_first_sets_gets_no_credit_for_their_freshness():
    history: list[tuple[date, SetRecord]] = []
    for n in range(16):
        day = START + timedelta(days=3 * n)
        cue = "Cue:  Push the floor away" if n % 3 == 0 else None
        history += session(day, (120, 130)[n % 2], noise=NOISE[n % 11], tag_first=cue)
    review = compare_tag(history, "cue: push the floor away")
    assert review.subject == "cue: push the floor away"
    assert all(r.sets == 1 for r in review.sessions)
    assert review.effect.verdict is Verdict.NO_CLEAR
    assert abs(review.effect.diff_pct) < 1.5


def test_a_tag_on_the_primer_is_the_same_comparison_as_the_primer():
    history = block(PRIMERS, boost=1.05)
    by_tag, by_kind = compare_tag(history, "PAP"), evaluate_pap(history)
    assert by_tag.effect == by_kind.effect
    assert by_tag.sessions == by_kind.sessions


def test_mean_velocity_metric_sees_the_same_effect():
    e = evaluate_pap(block(PRIMERS, boost=1.05), ReviewOptions(metric="mean")).effect
    assert e.verdict is Verdict.HELPS
    assert e.diff_pct == pytest.approx(5, abs=1.5)


def test_sets_without_velocities_are_left_out():
    history = [(d, s) for d, s in block(PRIMERS, boost=1.05) if s.kind is not SetKind.WORKING]
    review = evaluate_pap(history)
    assert review.sessions == ()
    assert review.effect.verdict is Verdict.NOT_ENOUGH


def test_an_empty_history_is_not_enough_data():
    review = evaluate_pap([])
    assert review.sessions == ()
    assert review.effect.verdict is Verdict.NOT_ENOUGH
    assert review.effect.g is None


def test_evaluation_refuses_bad_options_and_mixed_exercises():
    with pytest.raises(ValidationError):
        ReviewOptions(metric="peak")
    with pytest.raises(ValidationError):
        ReviewOptions(tolerance=math.nan)
    mixed = session(START, 100) + session(START, 60, exercise="bench-press")
    with pytest.raises(ValidationError) as err:
        evaluate_pap(mixed)
    assert err.value.field == "history"
    with pytest.raises(ValidationError):
        compare_tag(block(PRIMERS), "   ")


def test_zero_velocities_count_as_missing():
    history = [
        (d, s)
        if s.kind is not SetKind.WORKING or d != START + timedelta(days=10)
        else (d, SetRecord(**{**_fields(s), "rep_data": (Rep(1, mcv=0.0),)}))
        for d, s in block(PRIMERS, boost=1.05)
    ]
    assert evaluate_pap(history).effect.verdict is Verdict.HELPS


def _fields(s: SetRecord) -> dict[str, object]:
    return {name: getattr(s, name) for name in SetRecord.__dataclass_fields__}
