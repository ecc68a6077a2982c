"""The demo generator: twelve weeks that look like training and carry what analytics look for."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from replog.core.errors import ValidationError
from replog.core.ids import id_time_ms, new_id
from replog.core.model import Session, SetKind, SetRecord
from replog.core.units import Unit
from replog.io.replog_json import bundle_to_dict
from replog.services.demo import DEMO_ATHLETE, DROP_OFF_NOTE, LIFTS, generate_demo
from replog.services.exchange import AthleteData, Bundle

CET = timezone(timedelta(hours=1))
END = datetime(2026, 3, 20, 21, 15, tzinfo=CET)  # a Friday evening
ID_KEYS = {"id", "session_id", "athlete_id"}


@pytest.fixture(scope="module")
def data() -> AthleteData:
    return generate_demo(END)


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in ID_KEYS}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _exported(data: AthleteData) -> Any:
    return _without_ids(bundle_to_dict(Bundle((data,))))


def _sets(data: AthleteData, kind: SetKind | None = None) -> list[tuple[Session, SetRecord]]:
    return [(s, x) for s in data.sessions for x in s.sets if kind is None or x.kind is kind]


def _mean_v(s: SetRecord) -> float:
    return statistics.fmean(s.velocities)


def _first_working(session: Session, exercise: str) -> SetRecord:
    return next(x for x in session.sets if x.kind is SetKind.WORKING and x.exercise == exercise)


def _bad_days(data: AthleteData) -> set[date]:
    return {c.day for c in data.checkins if c.sleep_h is not None and c.sleep_h < 6}


def test_same_seed_gives_the_same_log_and_another_seed_another() -> None:
    first, again = generate_demo(END, seed=3), generate_demo(END, seed=3)
    assert _exported(first) == _exported(again)
    assert _exported(first) != _exported(generate_demo(END, seed=4))


def test_ids_are_unique_and_the_athlete_id_can_be_given() -> None:
    data = generate_demo(END, athlete_id="0190f2b4-5c3e-7d00-8000-000000000001")
    assert data.athlete.id == "0190f2b4-5c3e-7d00-8000-000000000001"
    assert {s.athlete_id for s in data.sessions} == {data.athlete.id}
    assert {c.athlete_id for c in data.checkins} == {data.athlete.id}
    ids = [s.id for s in data.sessions] + [x.id for _, x in _sets(data)]
    ids += [c.id for c in data.checkins]
    assert len(ids) == len(set(ids))


def test_ids_carry_their_records_own_time(data: AthleteData) -> None:
    new_id()  # an id made now must not drag the demo's past ids to the present
    again = generate_demo(END)
    for session in (data.sessions[0], again.sessions[0], again.sessions[-1]):
        assert id_time_ms(session.id) == session.started_at.timestamp() * 1000
        for x in session.sets:
            assert id_time_ms(x.id) == x.performed_at.timestamp() * 1000
    for c in again.checkins:
        assert datetime.fromtimestamp(id_time_ms(c.id) / 1000, CET).date() == c.day


def test_the_athlete() -> None:
    athlete = generate_demo(END).athlete
    assert athlete.name == DEMO_ATHLETE
    assert athlete.default_unit is Unit.KG
    assert athlete.body_mass_kg == pytest.approx(83, abs=3)


def test_twelve_weeks_of_four_sessions_ending_before_the_end(data: AthleteData) -> None:
    sessions = data.sessions
    assert 40 <= len(sessions) <= 50
    assert all(s.started_at.tzinfo is not None for s in sessions)
    assert sessions[-1].ended_at is not None
    assert sessions[-1].ended_at <= END
    weeks = {s.started_at.isocalendar()[:2] for s in sessions}
    assert len(weeks) == 12
    span = sessions[-1].started_at.date() - sessions[0].started_at.date()
    assert timedelta(weeks=11) <= span < timedelta(weeks=12)
    assert [s.started_at for s in sessions] == sorted(s.started_at for s in sessions)
    for s in sessions:
        assert 17 <= s.started_at.hour <= 19
        assert s.ended_at is not None
        assert timedelta(minutes=45) <= s.ended_at - s.started_at <= timedelta(minutes=95)
    lifts = {x.exercise for _, x in _sets(data)}
    assert (
        lifts
        == set(LIFTS)
        == {
            "back-squat",
            "bench-press",
            "deadlift",
            "overhead-press",
            "barbell-row",
        }
    )


def test_the_end_must_be_timezone_aware() -> None:
    with pytest.raises(ValidationError):
        generate_demo(datetime(2026, 3, 20, 21, 15))


def test_loads_are_whole_plates_in_kg(data: AthleteData) -> None:
    for _, x in _sets(data):
        assert x.load.unit is Unit.KG
        assert x.load.value % Decimal("2.5") == 0, x.load.text
        assert x.load.value >= 20


def test_each_exercise_warms_up_with_rising_loads_then_works(data: AthleteData) -> None:
    for session in data.sessions:
        by_exercise: dict[str, list[SetRecord]] = defaultdict(list)
        for x in session.sets:
            by_exercise[x.exercise].append(x)
        for sets in by_exercise.values():
            warmups = [x for x in sets if x.kind is SetKind.WARMUP]
            working = [x for x in sets if x.kind is SetKind.WORKING]
            assert 2 <= len(warmups) <= 4
            assert 3 <= len(working) <= 5
            loads = [x.load.value for x in warmups]
            assert loads == sorted(set(loads))
            assert loads[-1] < working[0].load.value
            for x in working:
                assert 3 <= x.reps <= 8
                assert x.rpe is not None
                assert 6 <= x.rpe <= 9.5


def test_deload_weeks_are_lighter(data: AthleteData) -> None:
    first_day = data.sessions[0].started_at.date()
    monday = first_day - timedelta(days=first_day.weekday())
    squat: dict[int, list[float]] = defaultdict(list)
    for session, x in _sets(data, SetKind.WORKING):
        if x.exercise == "back-squat":
            squat[(session.started_at.date() - monday).days // 7 + 1].append(x.load.kg)
    top = {week: max(loads) for week, loads in squat.items()}
    assert top[4] < top[3]
    assert top[8] < top[7]
    assert top[12] > top[1] * 1.15  # progressive overload


def test_primer_singles_come_before_the_working_sets(data: AthleteData) -> None:
    primers = _sets(data, SetKind.PRIMER)
    assert len(primers) >= 3
    assert {x.exercise for _, x in primers} == {"back-squat", "bench-press"}
    for session, primer in primers:
        first = _first_working(session, primer.exercise)
        assert "pap" in primer.tags
        assert primer.reps == 1
        assert primer.position < first.position
        assert primer.load.value > first.load.value


def test_velocity_falls_as_the_load_rises(data: AthleteData) -> None:
    squats = [x for _, x in _sets(data, SetKind.WORKING) if x.exercise == "back-squat"]
    # reference 1RM: the median of the sets' estimates from reps and RPE (Epley with RIR)
    e1rm = statistics.median(x.load.kg * (1 + (x.reps + 10 - (x.rpe or 10)) / 30) for x in squats)
    heavy = [x.velocities[0] for x in squats if x.load.kg >= 0.80 * e1rm]
    light = [x.velocities[0] for x in squats if x.load.kg <= 0.70 * e1rm]
    assert len(heavy) >= 5
    assert len(light) >= 5
    assert statistics.fmean(heavy) < statistics.fmean(light) - 0.1


def test_reps_carry_plausible_device_kinematics(data: AthleteData) -> None:
    for _, x in _sets(data):
        assert len(x.rep_data) == x.reps
        for r in x.rep_data:
            assert r.mcv is not None
            assert r.mpv is not None
            assert r.peak_velocity is not None
            assert 0.1 < r.mcv < 2.0
            assert r.mcv <= r.mpv <= 1.16 * r.mcv
            assert 1.55 * r.mcv <= r.peak_velocity <= 2.05 * r.mcv
            assert r.rom is not None
            assert r.concentric_s == pytest.approx(r.rom / r.mcv, abs=0.01)


def test_velocity_falls_within_every_working_set(data: AthleteData) -> None:
    losses = []
    for _, x in _sets(data, SetKind.WORKING):
        v = x.velocities
        assert v == sorted(v, reverse=True)
        assert v[-1] < v[0]
        losses.append(1 - v[-1] / v[0])
    assert max(losses) <= 0.32
    assert statistics.quantiles(losses, n=10)[0] >= 0.04  # 90 % lose 4 % or more
    assert 0.08 <= statistics.median(losses) <= 0.25


def test_planted_drop_offs_are_slower_at_the_same_load_and_effort(data: AthleteData) -> None:
    planted = [(s, x) for s, x in _sets(data, SetKind.WORKING) if x.notes == DROP_OFF_NOTE]
    assert len(planted) >= 5
    assert {s.started_at.date() for s, _ in planted} & _bad_days(data)
    for session, x in planted:
        first = _first_working(session, x.exercise)
        assert x.load == first.load
        assert _mean_v(x) < 0.90 * _mean_v(first)
        assert x.rpe is not None
        assert first.rpe is not None
        assert x.rpe - first.rpe <= 0.5


def test_other_working_sets_at_the_first_load_stay_close(data: AthleteData) -> None:
    for session, x in _sets(data, SetKind.WORKING):
        first = _first_working(session, x.exercise)
        if x.notes != DROP_OFF_NOTE and x.load == first.load:
            assert _mean_v(x) >= 0.94 * _mean_v(first)
            assert _mean_v(x) <= 1.03 * _mean_v(first)  # later sets are not faster


def test_bad_days_are_slower_at_the_same_warm_up_load(data: AthleteData) -> None:
    bad = _bad_days(data)
    by_load: dict[tuple[str, Decimal], list[tuple[bool, float]]] = defaultdict(list)
    for session, x in _sets(data, SetKind.WARMUP):
        by_load[x.exercise, x.load.value].append(
            (session.started_at.date() in bad, x.velocities[0])
        )
    ratios = []
    for rows in by_load.values():
        normal = [v for is_bad, v in rows if not is_bad]
        if len(normal) >= 3:
            ratios += [v / statistics.median(normal) for is_bad, v in rows if is_bad]
    assert len(ratios) >= 5
    assert statistics.fmean(ratios) < 0.96


def test_daily_check_ins_with_a_few_short_nights(data: AthleteData) -> None:
    days = [c.day for c in data.checkins]
    assert days == sorted(set(days))
    covered = (days[-1] - days[0]).days + 1
    assert covered >= 80
    assert len(days) >= 0.9 * covered
    assert days[0] <= data.sessions[0].started_at.date() + timedelta(days=2)
    assert days[-1] <= END.date()
    assert len(_bad_days(data)) >= 4
    for c in data.checkins:
        assert c.sleep_h is not None
        assert 4 <= c.sleep_h <= 9.5
        assert c.resting_hr is not None
        assert c.hrv_ms is not None
        if c.sleep_h < 6:
            assert c.stress is not None
            assert c.stress >= 4
    session_days = {s.started_at.date() for s in data.sessions}
    assert _bad_days(data) <= session_days | {d - timedelta(days=1) for d in session_days}


def test_sets_are_timed_by_their_rests(data: AthleteData) -> None:
    for session in data.sessions:
        times = [x.performed_at for x in session.sets]
        assert [x.position for x in session.sets] == list(range(1, len(times) + 1))
        assert all(a < b for a, b in itertools.pairwise(times))
        assert session.started_at < times[0]
        assert session.ended_at is not None
        assert times[-1] <= session.ended_at
        assert session.sets[0].rest_s is None
        for prev, x in zip(session.sets, session.sets[1:], strict=False):
            assert x.rest_s == (x.performed_at - prev.performed_at).total_seconds()
            assert 60 <= (x.rest_s or 0) <= 600
