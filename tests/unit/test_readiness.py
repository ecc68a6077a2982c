"""The CNS battery: check-in, warm-up velocity and training-load parts, the score, the
advice it gives the next session, and the trend."""

from __future__ import annotations

import math
import statistics
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.errors import ValidationError
from replog.core.model import CheckIn
from replog.core.readiness import (
    NEEDS,
    Advice,
    Part,
    WarmupReading,
    advise,
    apply_advice,
    assess,
    battery,
    checkin_parts,
    choose_anchor_load,
    load_part,
    trend,
    warmup_part,
    warmup_reading,
)

TODAY = date(2024, 5, 20)


def checkin(day: date = TODAY, athlete: str = "a1", **fields: float | int | None) -> CheckIn:
    return CheckIn(f"c-{athlete}-{day.isoformat()}", athlete, day, **fields)  # type: ignore[arg-type]


def days_before(n: int, **fields: float | int | None) -> list[CheckIn]:
    """Check-ins on each of the ``n`` days before TODAY, all with ``fields``."""
    return [checkin(TODAY - timedelta(days=k), **fields) for k in range(1, n + 1)]


def by_name(parts: list[Part]) -> dict[str, Part]:
    return {p.name: p for p in parts}


SLOW = [0.80, 0.81, 0.79, 0.80, 0.82, 0.80]
SLOW_HISTORY = [(TODAY - timedelta(days=3 * (6 - k)), v) for k, v in enumerate(SLOW)]

# --- check-in ----------------------------------------------------------------------------


def test_a_rested_usual_day_is_a_full_battery_and_go():
    parts = checkin_parts(checkin(sleep_h=8, sleep_quality=3, stress=3, soreness=3))
    assert [p.points for p in parts] == [0, 0, 0, 0]
    b = battery(parts)
    assert (b.score, b.advice.level, b.confidence) == (100, "go", "full")
    assert (b.advice.load_change_pct, b.advice.rpe_cap, b.advice.skip_primer) == (0, None, False)


@pytest.mark.parametrize(
    ("hours", "points"),
    [(10, 0), (7, 0), (6.5, -3), (6, -6), (5.5, -12), (5, -18), (4, -30), (3, -40), (0, -40)],
)
def test_sleep_drains_from_seven_hours_and_faster_below_six(hours, points):
    (part,) = checkin_parts(checkin(sleep_h=hours))
    assert part.points == pytest.approx(points)
    assert part.value == hours


def test_part_text_shows_the_value_and_the_points():
    (part,) = checkin_parts(checkin(sleep_h=5.5))
    assert part.text == "sleep 5.5 h: -12"
    (part,) = checkin_parts(checkin(sleep_h=8))
    assert part.text == "sleep 8 h: 0"


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("stress", 4, "stress 4/5: -6"),
        ("stress", 5, "stress 5/5: -12"),
        ("stress", 2, "stress 2/5: +2"),
        ("stress", 1, "stress 1/5: +4"),
        ("soreness", 4, "soreness 4/5: -6"),
        ("sleep_quality", 2, "sleep quality 2/5: -6"),
        ("sleep_quality", 1, "sleep quality 1/5: -12"),
        ("sleep_quality", 5, "sleep quality 5/5: +4"),
    ],
)
def test_wellness_items_drain_when_worse_than_neutral_and_credit_a_little_when_better(
    field, value, text
):
    (part,) = checkin_parts(checkin(**{field: value}))
    assert part.text == text
    assert part.name == field


def test_only_fields_logged_give_parts():
    assert checkin_parts(checkin()) == []
    assert [p.name for p in checkin_parts(checkin(stress=3, hrv_ms=60))] == ["stress"]


def test_the_lifters_own_median_is_neutral_after_fourteen_ratings():
    today = checkin(stress=4)
    (part,) = checkin_parts(today, days_before(14, stress=4))
    assert part.points == 0
    assert part.text == "stress 4/5 (your usual 4): 0"
    (part,) = checkin_parts(today, days_before(13, stress=4))  # not yet: neutral is 3
    assert part.text == "stress 4/5: -6"


def test_a_personal_neutral_stays_within_two_and_four():
    (part,) = checkin_parts(checkin(stress=5), days_before(20, stress=5))
    assert part.points == -6  # neutral 4, not 5: the worst rating always drains


def test_hrv_part_is_absent_with_fewer_than_seven_readings():
    today = checkin(hrv_ms=40)
    assert checkin_parts(today, days_before(6, hrv_ms=60)) == []
    b = assess(checkin(hrv_ms=40, sleep_h=8), days_before(6, hrv_ms=60))
    assert "HRV: 6 readings in 60 days, 7 needed for a baseline" in b.missing
    assert b.confidence == "partial"
    assert "HRV: 6 readings" in b.summary
    assert [p.name for p in checkin_parts(today, days_before(7, hrv_ms=60))] == ["hrv"]


def test_hrv_below_the_baseline_band_drains_by_standard_deviations():
    ln = [4.0 + (0.1 if k % 2 else -0.1) for k in range(14)]  # days 1..14 before today
    history = [checkin(TODAY - timedelta(days=k + 1), hrv_ms=math.exp(v)) for k, v in enumerate(ln)]
    ref = statistics.fmean(ln[:7])  # the previous 7 days
    sd = statistics.stdev(ln)  # the previous 60 days (all 14 here)
    hrv = math.exp(3.7)
    (part,) = checkin_parts(checkin(hrv_ms=hrv), history)
    z = (3.7 - ref) / sd
    assert z < -0.5
    assert part.points == pytest.approx(round(max(-15, 8 * (z + 0.5)), 1))
    pct = (1 - hrv / math.exp(ref)) * 100
    assert f"{pct:.0f} % under your 7-day baseline" in part.text
    assert part.text.startswith(f"HRV {hrv:g} ms")
    assert part.text.endswith(f": {part.points:g}")
    # inside the band, or above the baseline: nothing (a high HRV earns no credit)
    for inside in (math.exp(ref - 0.4 * sd), math.exp(ref + 3 * sd)):
        (part,) = checkin_parts(checkin(hrv_ms=inside), history)
        assert part.points == 0


def test_resting_hr_drains_beyond_five_bpm_over_the_baseline():
    history = days_before(10, resting_hr=50)
    (part,) = checkin_parts(checkin(resting_hr=60), history)
    assert part.text == "resting HR 60 bpm, +10 on your 7-day 50: -10"
    (part,) = checkin_parts(checkin(resting_hr=55), history)
    assert part.points == 0
    (part,) = checkin_parts(checkin(resting_hr=90), history)
    assert part.points == -12  # capped


def test_resting_hr_falls_back_to_the_60_day_mean_without_a_recent_week():
    history = [checkin(TODAY - timedelta(days=k), resting_hr=50) for k in range(20, 30)]
    (part,) = checkin_parts(checkin(resting_hr=58), history)
    assert "your 60-day 50" in part.text
    assert part.points == -6


def test_other_athletes_and_later_days_are_not_a_baseline():
    others = [checkin(TODAY - timedelta(days=k), athlete="b2", hrv_ms=60) for k in range(1, 20)]
    later = [checkin(TODAY + timedelta(days=k), hrv_ms=60) for k in range(1, 20)]
    assert checkin_parts(checkin(hrv_ms=40), others + later) == []


# --- warm-up velocity --------------------------------------------------------------------


def test_anchor_is_the_load_lifted_on_most_days():
    d = [TODAY - timedelta(days=k) for k in range(10)]
    warmups = [(d[k], 60.0, 1.0) for k in range(5)]  # 5 days
    warmups += [(d[k], 80.0, 0.9) for k in (1, 3, 5)]  # 3 days
    warmups += [(d[k], 100.0, 0.8) for k in (1, 2)] + [(d[1], 100.0, 0.8)]  # 2 days
    assert choose_anchor_load(warmups) == 60
    # with an e1RM of 200 kg, 60 kg (30 %) is below the 35-70 % band and 80 kg is inside it
    assert choose_anchor_load(warmups, e1rm_kg=200) == 80
    # nothing inside the band: fall back to the most frequent load
    assert choose_anchor_load(warmups, e1rm_kg=400) == 60
    assert choose_anchor_load([(d[k], 60.0, 1.0) for k in range(2)]) is None
    assert choose_anchor_load([]) is None


def test_anchor_ties_go_to_the_most_recent_then_the_heavier():
    d = [TODAY - timedelta(days=k) for k in range(10)]
    warmups = [(d[k], 60.0, 1.0) for k in (0, 2, 4)] + [(d[k], 80.0, 0.9) for k in (1, 3, 5)]
    assert choose_anchor_load(warmups) == 60  # lifted today
    warmups = [(d[k], 60.0, 1.0) for k in (1, 3, 5)] + [(d[k], 80.0, 0.9) for k in (1, 3, 5)]
    assert choose_anchor_load(warmups) == 80


def test_a_slow_warm_up_is_slower_with_about_a_ten_percent_deficit():
    r = warmup_reading(SLOW_HISTORY, 0.72, load_kg=100, exercise="squat")
    base = statistics.fmean(SLOW)
    sd = statistics.stdev(SLOW)
    assert (r.verdict, r.sessions) == ("slower", 6)
    assert r.baseline == pytest.approx(base)
    assert r.sd == pytest.approx(sd)
    assert r.swc == pytest.approx(0.2 * sd)
    assert r.band == pytest.approx(0.03 * base)  # the 3 % floor beats 0.2 SD and 0.02 m/s
    assert r.change == pytest.approx(0.72 - base)
    assert r.change_pct == pytest.approx((0.72 / base - 1) * 100)
    assert r.change_pct == pytest.approx(-10.37, abs=0.01)
    part = warmup_part(r)
    assert part is not None
    assert part.points == pytest.approx(round(3 * (r.change_pct + 3), 1))
    assert (
        part.text
        == f"warm-up squat 100 kg at 0.72 m/s, 10 % under your baseline 0.80: {part.points:g}"
    )
    b = battery([part], warmup=r)
    assert b.advice.load_change_pct <= -9
    assert b.advice.load_change_pct == -10  # the deficit, clipped to 10 %
    assert b.advice.level in {"easy", "rest"}
    assert b.advice.skip_primer
    assert "10 % slower than usual" in b.advice.text


def test_a_tiny_between_day_sd_does_not_flag_noise():
    history = [(TODAY - timedelta(days=k), 0.80) for k in range(1, 9)]  # SD 0
    assert warmup_reading(history, 0.785).verdict == "usual"  # -1.9 %, inside 3 %
    assert warmup_reading(history, 0.77).verdict == "slower"  # -3.75 %
    assert warmup_reading(history, 0.83).verdict == "faster"
    part = warmup_part(warmup_reading(history, 0.90))
    assert part is not None
    assert part.points == 5  # +1 per % beyond the band, at most +5
    part = warmup_part(warmup_reading(history, 0.79))
    assert part is not None
    assert part.points == 0
    assert "within your usual range around 0.80" in part.text


def test_the_baseline_is_one_mean_per_session_over_the_last_window_sessions():
    history = [(TODAY - timedelta(days=20), 0.50)]  # outside a window of 3
    history += [(TODAY - timedelta(days=k), v) for k, v in ((3, 0.78), (3, 0.82), (2, 0.8))]
    history += [(TODAY - timedelta(days=1), 0.8)]
    r = warmup_reading(history, 0.8, window=3)
    assert r.sessions == 3
    assert r.baseline == pytest.approx(0.8)


def test_fewer_than_three_sessions_is_no_baseline():
    r = warmup_reading(SLOW_HISTORY[:2], 0.6)
    assert (r.verdict, r.sessions, r.baseline) == ("no_baseline", 2, None)
    assert warmup_part(r) is None
    b = assess(checkin(sleep_h=8), warmup=r, acwr=1.0)
    assert "warm-up velocity: 2 earlier sessions, 3 needed" in b.missing
    assert b.confidence == "partial"


@pytest.mark.parametrize(
    ("history", "today", "window", "field"),
    [
        (SLOW_HISTORY, 0.0, 8, "today"),
        (SLOW_HISTORY, math.nan, 8, "today"),
        ([(TODAY, -0.5)], 0.7, 8, "history"),
        ([(TODAY, True)], 0.7, 8, "history"),
        (SLOW_HISTORY, 0.7, 2, "window"),
    ],
)
def test_warmup_reading_refuses_impossible_values(history, today, window, field):
    with pytest.raises(ValidationError) as err:
        warmup_reading(history, today, window=window)
    assert err.value.field == field


def test_choose_anchor_load_refuses_impossible_values():
    with pytest.raises(ValidationError) as err:
        choose_anchor_load([(TODAY, -60.0, 1.0)])
    assert err.value.field == "load_kg"
    with pytest.raises(ValidationError) as err:
        choose_anchor_load([(TODAY, 60.0, 1.0)], e1rm_kg=0)
    assert err.value.field == "e1rm_kg"


# --- training load -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("acwr", "points"), [(0.6, 0), (1.3, 0), (1.4, -2.5), (1.5, -5), (1.6, -7), (3.0, -15)]
)
def test_acwr_drains_a_little_above_1_3_and_more_above_1_5(acwr, points):
    (part,) = load_part(acwr, None)
    assert part.points == pytest.approx(points)
    assert f"acute:chronic load {acwr:.2f}" in part.text


def test_monotony_above_two_drains_a_little():
    (part,) = load_part(None, 2.5)
    assert part.points == -2
    assert part.text == "training monotony 2.5, every day alike: -2"
    assert load_part(None, 1.5)[0].points == 0
    assert load_part(None, 9.0)[0].points == -6
    assert load_part(None, None) == []
    with pytest.raises(ValidationError):
        load_part(-1.0, None)


# --- the battery ---------------------------------------------------------------------------


def test_a_missing_check_in_is_said_in_words_and_makes_confidence_partial():
    r = warmup_reading(SLOW_HISTORY, 0.80)
    b = assess(None, warmup=r, acwr=1.1)
    assert b.missing[0] == "no check-in today: the score is from velocity and training load alone"
    assert b.confidence == "partial"
    assert "no check-in today" in b.summary
    assert (b.score, b.advice.level) == (100, "go")


def test_nothing_at_all_is_no_reading_not_a_full_battery():
    """Issue 19: with nothing to read the battery said "100/100, go for it"."""
    b = assess(None)
    assert (b.score, b.reading, b.confidence, b.parts) == (None, False, "none", ())
    assert (b.advice.level, b.advice.load_change_pct, b.advice.rpe_cap) == ("none", 0, None)
    assert b.advice.text.startswith("no reading yet")
    assert "go for it" not in b.summary
    assert "100" not in b.summary
    assert b.summary.startswith("No reading yet")
    assert b.missing[0] == "no check-in today"
    # what would give a reading: a check-in, a warm-up at the anchor load, training history
    assert b.needs == (NEEDS["checkin"], NEEDS["warmup"], NEEDS["load"])
    assert all(n in b.summary for n in b.needs)
    empty = battery([])
    assert (empty.score, empty.confidence, empty.advice.level) == (None, "none", "none")
    assert empty.needs == tuple(NEEDS.values())


def test_a_checkin_without_a_scored_field_is_no_reading_and_says_why():
    b = assess(checkin(notes="felt fine"))
    assert (b.score, b.advice.level) == (None, "none")
    assert "today's check-in has no sleep, sleep quality, stress or soreness" in b.missing
    assert b.needs[0] == NEEDS["checkin"]


def test_a_reading_says_what_would_make_it_fuller():
    b = assess(checkin(sleep_h=8))
    assert (b.score, b.confidence) == (100, "partial")  # measured: 8 h costs nothing
    assert b.needs == (NEEDS["warmup"], NEEDS["load"])
    assert (assess(checkin(sleep_h=8), acwr=1.0).needs) == (NEEDS["warmup"],)


def test_only_the_fields_given_count():
    """Issue 19: a soreness the lifter never gave must not cost points."""
    given = assess(checkin(sleep_h=8, stress=2))
    assert {p.name for p in given.parts} == {"sleep", "stress"}
    assert given.score == 100
    with_default = assess(checkin(sleep_h=8, stress=2, soreness=4))
    assert with_default.score < given.score  # what a default soreness would have cost


def test_a_full_picture_is_confidence_full_and_lists_the_drains():
    r = warmup_reading(SLOW_HISTORY, 0.80, load_kg=100, exercise="squat")
    b = assess(checkin(sleep_h=5.5, stress=4), warmup=r, acwr=1.0, monotony=1.2)
    assert (b.confidence, b.missing) == ("full", ())
    assert b.score == 100 - 12 - 6
    assert b.advice.level == "go"  # 82: one short night and a tense day stay "go"
    assert "sleep 5.5 h: -12" in b.summary
    assert "stress 4/5: -6" in b.summary
    assert b.summary.startswith("Battery 82/100")


def test_the_score_is_clipped_to_zero():
    b = battery([Part("x", -80, "x: -80"), Part("y", -70, "y: -70")])
    assert (b.score, b.advice.level) == (0, "rest")
    assert battery([Part("x", 30, "x: +30")]).score == 100


@pytest.mark.parametrize(
    ("score", "level", "change", "cap", "skip"),
    [
        (100, "go", 0, None, False),
        (80, "go", 0, None, False),
        (79, "steady", 0, 8.5, False),
        (65, "steady", 0, 8.5, False),
        (64, "easy", -5, 8, True),
        (45, "easy", -5, 8, True),
        (44, "rest", -10, 7, True),
        (0, "rest", -10, 7, True),
    ],
)
def test_advice_bands(score, level, change, cap, skip):
    a = advise(score)
    assert (a.level, a.load_change_pct, a.rpe_cap, a.skip_primer) == (level, change, cap, skip)
    assert a.text.startswith(level if level != "go" else "go for it")


@pytest.mark.parametrize(
    ("score", "slower", "level", "change"),
    [(95, 4, "easy", -5), (95, 7.5, "easy", -7.5), (95, 15, "easy", -10), (30, 4, "rest", -10)],
)
def test_a_slower_warm_up_cuts_at_least_its_deficit_and_at_most_ten_percent(
    score, slower, level, change
):
    a = advise(score, slower)
    assert (a.level, a.load_change_pct) == (level, change)
    assert f"{slower:.0f} % slower than usual" in a.text


@pytest.mark.parametrize(
    ("load", "level", "increment", "expected"),
    [
        (100, "go", 2.5, 100),
        (101, "go", 2.5, 100),  # rounded down to the plates
        (100, "easy", 2.5, 95),
        (102.5, "easy", 2.5, 95),  # 97.375, down to the plates
        (100, "rest", 2.5, 90),
        (100, "easy", 1.25, 95),
        (100, "easy", 5, 95),
        (60, "rest", 5, 50),  # 54
        (1, "go", 2.5, 0),
    ],
)
def test_apply_advice_rounds_down_to_the_increment(load, level, increment, expected):
    assert apply_advice(load, advise({"go": 90, "easy": 50, "rest": 10}[level]), increment) == (
        pytest.approx(expected)
    )


def test_apply_advice_refuses_a_bad_increment():
    with pytest.raises(ValidationError) as err:
        apply_advice(100, advise(90), 0)
    assert err.value.field == "increment"


# --- trend -----------------------------------------------------------------------------------


def scores_on(values: list[int | None], end: date = TODAY) -> list[tuple[date, int | None]]:
    return [(end - timedelta(days=len(values) - 1 - k), v) for k, v in enumerate(values)]


def test_trend_94_then_67_is_falling():
    """Issue 19: the trend said "rising" after 94 then 67 (it read a longer series than the
    one shown, and a slope over a week's climb outvoted the last fall)."""
    assert trend(scores_on([94, 67])).direction == "falling"
    t = trend(scores_on([None, 70, 76, 82, 88, 94, 94, 67]))  # the series the CLI showed
    assert t.direction == "falling"
    assert (t.latest, t.previous, t.change) == (67, 94, -27)
    assert t.text == "falling: 67 is 27 under the reading before (94)"


def test_trend_reads_exactly_the_series_given():
    series = scores_on([None, 60, None, 62, 64, None, 66, 72])
    t = trend(series)
    assert t.days == tuple(series)  # the series shown is the series read
    assert t.direction == "rising"  # 72 is 9 over the median before it (63)
    assert t.usual == pytest.approx(63)
    assert t.text == "rising: 72 is 9 over the median of the 4 readings before it (63)"
    assert trend(list(reversed(series))) == t  # any order: read by day


def test_trend_falling_and_flat():
    t = trend(scores_on([90, 85, 80, 75, 70, 65, 60, 62]))
    assert t.direction == "falling"  # today edged up 2, but sits 13 under the week's median
    assert (t.previous, t.usual, t.change) == (60, 75, -13)
    t = trend(scores_on([80, 81, 80, 82, 80, 81, 82, 81]))
    assert t.direction == "flat"
    assert t.text.startswith("flat: 81 is within 5 points")
    assert trend(scores_on([50, 55, 60, 65, 70, 75, 80, 78])).direction == "rising"
    # one planted bad night does not make an ordinary day after it "rising"
    t = trend(scores_on([90, 100, 3, 100, 89, 94, 100, 96]))
    assert (t.direction, t.usual) == ("flat", 94)


def test_trend_with_too_little_data():
    t = trend([])
    assert (t.direction, t.latest, t.days) == ("none", None, ())
    assert trend(scores_on([None] * 8)).text == "no trend: no reading yet"
    t = trend(scores_on([None, None, 70]))
    assert (t.direction, t.latest, t.previous, t.change) == ("none", 70, None, None)
    assert t.text == "no trend: one reading so far"
    with pytest.raises(ValidationError):
        trend([(TODAY, 120)])
    with pytest.raises(ValidationError):
        trend([(TODAY, -1)])


# --- properties ------------------------------------------------------------------------------

ratings = st.none() | st.integers(1, 5)
hours = st.floats(0, 24, allow_nan=False)


def score_of(today: CheckIn, history: list[CheckIn]) -> int:
    score = battery(checkin_parts(today, history)).score
    assert score is not None  # each test gives a field that always scores
    return score


@given(hours, hours, ratings, ratings, ratings, st.lists(st.integers(1, 5), max_size=20))
def test_more_sleep_never_lowers_the_score(a, b, quality, stress, soreness, past_stress):
    low, high = sorted((a, b))
    history = [checkin(TODAY - timedelta(days=k + 1), stress=s) for k, s in enumerate(past_stress)]
    rest = {"sleep_quality": quality, "stress": stress, "soreness": soreness}
    short = checkin(sleep_h=low, **rest)
    long = checkin(sleep_h=high, **rest)
    assert score_of(long, history) >= score_of(short, history)
    assert (
        by_name(checkin_parts(long))["sleep"].points
        >= by_name(checkin_parts(short))["sleep"].points
    )


@given(
    st.integers(1, 5),
    st.integers(1, 5),
    st.none() | hours,
    st.lists(st.integers(1, 5), max_size=30),
)
def test_higher_stress_never_raises_the_score(a, b, sleep, past_stress):
    low, high = sorted((a, b))
    history = [checkin(TODAY - timedelta(days=k + 1), stress=s) for k, s in enumerate(past_stress)]
    calm = checkin(sleep_h=sleep, stress=low, soreness=4)
    tense = checkin(sleep_h=sleep, stress=high, soreness=4)
    assert score_of(tense, history) <= score_of(calm, history)


@given(st.lists(st.floats(-200, 50, allow_nan=False), max_size=12))
def test_score_is_always_within_0_and_100(points):
    b = battery([Part(f"p{k}", p, f"p{k}") for k, p in enumerate(points)])
    if not points:
        assert (b.score, b.advice.level) == (None, "none")
        return
    assert b.score is not None
    assert 0 <= b.score <= 100
    assert b.advice.level in {"go", "steady", "easy", "rest"}
    assert b.advice.load_change_pct <= 0


@given(
    hours,
    ratings,
    ratings,
    ratings,
    st.none() | st.floats(0, 4, allow_nan=False),
    st.none() | st.floats(0, 10, allow_nan=False),
    st.floats(0.3, 1.5),
)
def test_assess_always_scores_within_0_and_100(sleep, quality, stress, soreness, acwr, mono, v):
    r = warmup_reading(SLOW_HISTORY, v)
    b = assess(
        checkin(sleep_h=sleep, sleep_quality=quality, stress=stress, soreness=soreness),
        warmup=r,
        acwr=acwr,
        monotony=mono,
    )
    assert b.score is not None  # the warm-up reading alone is a reading
    assert 0 <= b.score <= 100
    if r.verdict == "slower":
        assert r.change_pct is not None
        assert b.advice.load_change_pct <= -min(10, -r.change_pct) + 1e-9
        assert b.advice.skip_primer


@given(
    st.floats(0, 500, allow_nan=False),
    st.sampled_from([None, 0, 30, 50, 70, 90, 100]),
    st.floats(0, 20, allow_nan=False),
    st.sampled_from([0.5, 1.0, 1.25, 2.5, 5.0]),
)
def test_apply_advice_never_raises_the_load_and_lands_on_the_plates(load, score, slow, step):
    advice = advise(score, slow or None)
    new = apply_advice(load, advice, step)
    assert 0 <= new <= load
    assert new / step == pytest.approx(round(new / step), abs=1e-6)
    assert new >= load * (1 + advice.load_change_pct / 100) - step - 1e-6  # no more than asked


def test_advice_and_reading_are_plain_frozen_values():
    a = Advice("go", 0.0, None, False, "go")
    with pytest.raises(AttributeError):
        a.level = "rest"  # type: ignore[misc]
    r = WarmupReading(0.8, 0, "no_baseline")
    assert warmup_part(r) is None
