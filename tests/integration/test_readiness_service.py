"""The CNS battery over the demo athlete's twelve weeks, through a real database: the planted
bad nights and slow warm-ups show, and the advice changes the next session's plan."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta

import pytest

from replog.core.errors import ValidationError
from replog.services.demo import DEMO_ATHLETE, generate_demo, load_demo
from replog.services.documents import readiness_doc
from replog.services.load import load_report
from replog.services.pap import pap_plan
from replog.services.readiness import (
    anchors,
    day_battery,
    import_sleep,
    readiness,
    set_anchor,
)
from replog.services.trends import battery_history
from tests.support import checkin_for, for_name, named

END = datetime(2026, 11, 24, 12, 0).astimezone()


@pytest.fixture
def demo(uow):
    load_demo(uow, end=END)
    data = generate_demo(END)
    days = {s.started_at.astimezone().date(): s for s in data.sessions}
    bad = sorted(d for d, s in days.items() if s.notes.startswith("rough night"))
    good = sorted(d for d, s in days.items() if not s.notes and d not in bad)
    return uow, bad, good


def test_bad_nights_and_slow_warmups_show_in_the_battery(demo):
    uow, bad, good = demo
    assert len(bad) >= 4
    bad_r = [readiness(uow, named(uow, DEMO_ATHLETE), d) for d in bad]
    good_r = [readiness(uow, named(uow, DEMO_ATHLETE), d) for d in good[-20:]]
    assert max(r.battery.score for r in bad_r) < 65  # at most "easy" on every bad day
    assert statistics.median(r.battery.score for r in good_r) >= 90
    assert all(r.battery.advice.level in {"easy", "rest"} for r in bad_r)
    for r in bad_r:
        sleep = next(p for p in r.battery.parts if p.name == "sleep")
        assert sleep.points < -10
        assert f"sleep {r.checkin.sleep_h:g} h" in sleep.text
    # the demo makes bad days 5-8 % slower: wherever a warm-up baseline exists it reads slower
    read = [r.warmup for r in bad_r if r.warmup and r.warmup.verdict != "no_baseline"]
    assert len(read) >= 2
    assert all(w.verdict == "slower" for w in read)
    assert all(-9 <= w.change_pct <= -3 for w in read)
    usual = [r.warmup.verdict for r in good_r if r.warmup and r.warmup.verdict != "no_baseline"]
    assert usual.count("slower") <= len(usual) // 10


def test_the_advice_changes_the_next_sessions_plan(demo):
    uow, bad, good = demo
    rough = readiness(uow, named(uow, DEMO_ATHLETE), bad[-1])
    fine = next(
        r for d in reversed(good) if (r := readiness(uow, named(uow, DEMO_ATHLETE), d)).plan
    )
    assert fine.battery.advice.level == "go"
    assert all(p.load_kg == p.last_load_kg and p.primer for p in fine.plan)
    assert rough.plan
    assert all(p.load_kg < p.last_load_kg for p in rough.plan)
    assert all(not p.primer and p.rpe_cap is not None for p in rough.plan)
    for p in rough.plan:  # the advised cut, rounded down to 2.5 kg plates
        cut = -rough.battery.advice.load_change_pct / 100
        assert p.load_kg <= p.last_load_kg * (1 - cut) + 1e-9
        assert p.load_kg > p.last_load_kg * (1 - cut) - 2.5
        assert p.load_kg % 2.5 == pytest.approx(0)
    # and the PAP block of that day drops the primer and lightens the working sets
    when = datetime.combine(bad[-1], datetime.min.time()).astimezone() + timedelta(hours=7)
    plan = pap_plan(uow, named(uow, DEMO_ATHLETE), "squat", now=when)
    assert plan.today is not None
    assert plan.today.skip_primer
    assert plan.prescription is not None
    assert plan.today.working_load < plan.prescription.working.load


def test_no_checkin_degrades_to_velocity_and_load(demo):
    uow, _, _ = demo
    r = readiness(
        uow, named(uow, DEMO_ATHLETE), END.date()
    )  # the demo has no check-in on its end day
    assert r.checkin is None
    assert r.battery.confidence == "partial"
    assert "no check-in today" in r.battery.missing[0]
    assert "velocity and training load alone" in r.battery.missing[0]
    assert r.acwr is not None
    assert r.battery.score is not None  # velocity and load are a reading
    days = [d for d, _ in r.trend.days]
    assert days == [END.date() - timedelta(days=k) for k in range(7, -1, -1)]  # 7 + today
    assert r.trend.days[-1] == (END.date(), r.battery.score)


def test_a_checkin_is_edited_not_duplicated_and_refuses_the_impossible(uow):
    day = date(2026, 11, 20)
    checkin_for(uow, "ann", day, sleep_h=6.5, sleep_quality=3, stress=4)
    checkin_for(uow, "ann", day, soreness=2)
    r = readiness(uow, named(uow, "ann"), day)
    assert r.checkin is not None
    assert (r.checkin.sleep_h, r.checkin.stress, r.checkin.soreness) == (6.5, 4, 2)
    for bad in ({"sleep_h": 30.0}, {"stress": 9}, {"sleep_quality": 0}):
        with pytest.raises(ValidationError) as err:
            checkin_for(uow, "ann", day, **bad)
        assert err.value.field == next(iter(bad))
    with pytest.raises(ValidationError):
        checkin_for(uow, "ann", day)
    after = readiness(uow, named(uow, "ann"), day).checkin
    assert after == r.checkin


def test_sleep_import_fills_checkins_once_and_keeps_typed_sleep(uow):
    checkin_for(uow, "bo", date(2026, 11, 2), sleep_h=8.0)
    nights = [(date(2026, 11, d), 6.0 + d / 10, None) for d in (1, 2, 3)]
    first = for_name(import_sleep, uow, "bo", nights)
    assert (first.added, first.updated, first.kept) == (2, 0, 1)
    again = for_name(import_sleep, uow, "bo", nights)
    assert (again.added, again.updated) == (0, 0)
    assert readiness(uow, named(uow, "bo"), date(2026, 11, 2)).checkin.sleep_h == 8.0
    forced = for_name(import_sleep, uow, "bo", nights, overwrite=True)
    assert forced.updated == 1
    assert readiness(uow, named(uow, "bo"), date(2026, 11, 2)).checkin.sleep_h == pytest.approx(6.2)


def test_sleep_import_is_all_or_nothing(uow):
    nights = [(date(2026, 11, 1), 7.0, None), (date(2026, 11, 2), 31.0, None)]
    with pytest.raises(ValidationError) as err:
        for_name(import_sleep, uow, "cy", nights)
    assert err.value.field.startswith("nights[2]")
    with pytest.raises(Exception):  # noqa: B017,PT011 - nothing was written, not even the athlete
        readiness(uow, named(uow, "cy"), date(2026, 11, 1))


def test_load_report_on_the_demo(demo):
    uow, _, _ = demo
    r = load_report(uow, named(uow, DEMO_ATHLETE), END.date())
    assert r.days[-1].day == END.date() - timedelta(days=1)
    assert all(d.srpe >= 0 for d in r.days)
    trained = [d for d in r.days if d.sessions]
    # four sessions a week of 60-80 min at RPE ~7-8: a few hundred AU each
    assert 250 <= statistics.median(d.srpe for d in trained) <= 800
    assert r.weekly == pytest.approx(sum(d.srpe for d in r.days[-7:]), abs=1)
    assert r.acwr is not None
    assert 0.5 < r.acwr < 1.6
    assert r.monotony is not None
    assert r.rpe_estimated_sessions == 0
    assert r.banister.why


def test_a_set_anchor_replaces_the_one_from_history(demo):
    uow, bad, _ = demo
    auto = {a.exercise: a for a in anchors(uow, named(uow, DEMO_ATHLETE))}
    squat = auto["back-squat"]
    assert squat.set_kg is None
    assert squat.auto_kg is not None
    assert squat.days >= 3
    day = next(d for d in reversed(bad) if readiness(uow, named(uow, DEMO_ATHLETE), d).warmup)
    before = readiness(uow, named(uow, DEMO_ATHLETE), day).warmup
    # anchor the day's first lift on a load never warmed up with: no reading from it
    chosen = for_name(set_anchor, uow, DEMO_ATHLETE, before.exercise, 41.0)
    assert (chosen.set_kg, chosen.days) == (41.0, 0)
    after = readiness(uow, named(uow, DEMO_ATHLETE), day).warmup
    assert after is None or after.exercise != before.exercise
    cleared = for_name(set_anchor, uow, DEMO_ATHLETE, before.exercise, None)
    assert cleared.set_kg is None
    assert readiness(uow, named(uow, DEMO_ATHLETE), day).warmup == before
    with pytest.raises(ValidationError):
        for_name(set_anchor, uow, DEMO_ATHLETE, "squat", -5.0)


# --- issue 19, item 3: honest readiness ------------------------------------------------------

DAY = date(2026, 11, 20)
CLIMB = ((7, 4.0), (6, 4.5), (5, 5.0), (4, 5.5), (3, 6.0), (2, 6.0))  # (days back, sleep h)


def test_with_nothing_to_read_there_is_no_score_no_go_and_no_drawn_days(uow):
    """A lifter with a check-in of notes only: no part anywhere, so no reading (not 100, not
    "go for it"), what would give one, a trend of empty days, and the plan as written."""
    checkin_for(uow, "nil", DAY, notes="new here")
    r = readiness(uow, named(uow, "nil"), DAY)
    b = r.battery
    assert (b.score, b.reading, b.confidence, b.advice.level) == (None, False, "none", "none")
    assert b.advice.load_change_pct == 0
    assert len(b.needs) == 3
    assert any("check-in" in n for n in b.needs)
    assert any("warm-up" in n and "anchor load" in n for n in b.needs)
    assert any("training" in n for n in b.needs)
    assert [s for _, s in r.trend.days] == [None] * 8  # no point for a day without a reading
    assert (r.trend.direction, r.trend.latest) == ("none", None)
    assert r.plan == ()
    doc = readiness_doc(r)["battery"]
    assert (doc["score"], doc["reading"], doc["headline"]) == (None, False, "no reading yet")
    assert doc["needs"] == list(b.needs)
    history = battery_history(uow, named(uow, "nil"), DAY, 28)
    assert [d.score for d in history.days] == [None] * 28
    assert {d.level for d in history.days} == {"none"}
    # the PAP block still reads an int, but it advises nothing made up either
    plan_battery = day_battery(uow, named(uow, "nil"), DAY)
    assert (plan_battery.advice.level, plan_battery.advice.load_change_pct) == ("none", 0)


def test_only_the_checkin_fields_given_are_stored_and_scored(uow):
    """A field never given (the web form's soreness that started on 3) is not stored and
    costs nothing; giving another field later keeps it absent."""
    checkin_for(uow, "gia", DAY, sleep_h=7.5)
    r = readiness(uow, named(uow, "gia"), DAY)
    assert r.checkin is not None
    c = r.checkin
    assert (c.sleep_h, c.sleep_quality, c.stress, c.soreness) == (7.5, None, None, None)
    assert [p.name for p in r.battery.parts] == ["sleep"]
    assert r.battery.score == 100
    checkin_for(uow, "gia", DAY, stress=2)
    r = readiness(uow, named(uow, "gia"), DAY)
    assert r.checkin is not None
    assert (r.checkin.sleep_h, r.checkin.stress, r.checkin.soreness) == (7.5, 2, None)
    assert sorted(p.name for p in r.battery.parts) == ["sleep", "stress"]
    assert readiness_doc(r)["checkin"]["soreness"] is None


def test_the_trend_is_read_from_the_series_shown_and_94_then_67_falls(uow):
    """Issue 19: the CLI showed "... 94 94 -> 67 (rising)": the trend read other figures
    than those shown. Now the series shown is the series read, and it says falling."""
    for back, hours in CLIMB:
        checkin_for(uow, "ivo", DAY - timedelta(days=back), sleep_h=hours)
    checkin_for(uow, "ivo", DAY - timedelta(days=1), sleep_h=6.0)
    checkin_for(uow, "ivo", DAY, sleep_h=6.5, sleep_quality=2, stress=5, soreness=5)
    r = readiness(uow, named(uow, "ivo"), DAY)
    assert r.battery.score == 67
    shown = [s for _, s in r.trend.days]
    assert shown == [70, 76, 82, 88, 94, 94, 94, 67]
    assert r.trend.direction == "falling"
    assert (r.trend.previous, r.trend.change) == (94, -27)
    for d, s in r.trend.days:  # each day's figure is that day's own battery
        assert readiness(uow, named(uow, "ivo"), d).battery.score == s
    doc = readiness_doc(r)["trend"]
    assert [d["score"] for d in doc["days"]] == shown
    assert doc["direction"] == "falling"
    history = battery_history(uow, named(uow, "ivo"), DAY, 28)
    assert [d.score for d in history.days[-8:]] == shown  # the battery page: same figures
    assert all(d.score is None for d in history.days[:-8])
