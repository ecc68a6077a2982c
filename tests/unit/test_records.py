from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.model import SetKind
from replog.core.records import (
    Bests,
    Lift,
    compute_records,
    describe,
    load_band,
    records_broken,
    set_e1rm,
)
from replog.core.strength import e1rm_epley
from replog.core.units import Load, Unit

T0 = datetime(2026, 1, 5, 18, tzinfo=UTC)


def s(i, kg, reps, kind=SetKind.WORKING, unit=Unit.KG, rpe=None):
    load = Load(Decimal(str(kg)), unit)
    at = T0 + timedelta(minutes=i)
    return Lift(f"id{i}", "x", T0, at, i + 1, str(kg), unit.value, load.kg, reps, kind, rpe)


@pytest.mark.parametrize(
    ("kg", "reps", "expected"),
    [(100, 1, 100.0), (100, 10, 133.333), (140, 5, 163.333), (60, 0, 0.0)],
)
def test_epley_known_answers(kg, reps, expected):
    # Epley (1985): 1RM = w * (1 + reps/30); a single is its own 1RM
    assert e1rm_epley(kg, reps) == pytest.approx(expected, abs=1e-3)


def test_records_and_events_in_time_order():
    sets = [s(0, 60, 5, SetKind.WARMUP), s(1, 100, 5), s(2, 100, 5), s(3, 110, 3), s(4, 90, 10)]
    rec = compute_records(sets)
    assert "id0" not in rec.events  # warm-ups never count
    assert rec.events["id1"] == ["heaviest", "volume", "5rm", "e1rm"]
    assert "id2" not in rec.events  # equal is not a record
    assert rec.events["id3"] == ["heaviest", "3rm", "e1rm"]  # 110 x 3: 121 kg > 116.7
    assert rec.events["id4"] == ["volume", "10rm"]  # 90 x 10: 120 kg < 121
    assert rec.heaviest is not None
    assert rec.heaviest.set.set_id == "id3"
    assert sorted(rec.rep_maxes) == [3, 5, 10]
    # the e1RM record is the e1RM rule's own sets path (Epley with RIR), named as such
    assert rec.e1rm is not None
    assert rec.e1rm.set.set_id == "id3"
    assert {r.kind for r in rec.all()} == {"heaviest", "volume", "rep_max", "e1rm"}


def test_pounds_and_kilos_compare_by_mass():
    rec = compute_records([s(0, 100, 1), s(1, 225, 1, unit=Unit.LB)])
    assert rec.heaviest is not None
    assert rec.heaviest.set.set_id == "id1"  # 225 lb = 102.06 kg


@given(st.lists(st.tuples(st.integers(20, 300), st.integers(1, 12)), min_size=1, max_size=30))
def test_records_are_the_maxima(entries):
    sets = [s(i, kg, reps) for i, (kg, reps) in enumerate(entries)]
    rec = compute_records(sets)
    assert rec.heaviest is not None
    assert rec.heaviest.value == max(kg for kg, _ in entries)
    assert rec.volume is not None
    assert rec.volume.value == pytest.approx(max(kg * r for kg, r in entries))
    for reps, r in rec.rep_maxes.items():
        assert r.value == max(kg for kg, n in entries if n == reps)
    # the first set always breaks every record it can
    assert rec.events[sets[0].set_id][:2] == ["heaviest", "volume"]


_lifts = st.lists(
    st.tuples(
        st.sampled_from([40, 60, 60.5, 100, 102.5, 140]),
        st.integers(0, 25),
        st.sampled_from([SetKind.WORKING, SetKind.WARMUP, SetKind.FAILURE, SetKind.DROP]),
        st.sampled_from([None, 6.0, 8.0, 9.5, 10.0]),
    ),
    max_size=30,
)


@given(_lifts, st.integers(0, 30))
def test_records_from_a_summary_of_the_past_equal_the_whole_history(rows, split):
    """records_broken over Bests of the earlier sets says what compute_records says."""
    lifts = [s(i, kg, reps, kind, rpe=rpe) for i, (kg, reps, kind, rpe) in enumerate(rows)]
    past, today = lifts[:split], lifts[split:]
    counted = [x for x in past if x.kind is not SetKind.WARMUP and x.reps > 0]
    rep_max: dict[int, float] = {}
    for x in counted:
        if x.reps <= 20:
            rep_max[x.reps] = max(rep_max.get(x.reps, 0.0), x.load_kg)
    bests = Bests(
        max((x.load_kg for x in counted), default=0.0),
        max((x.load_kg * x.reps for x in counted), default=0.0),
        rep_max,
        e1rm=max((set_e1rm(x) for x in counted), default=0.0),
    )
    whole = compute_records(lifts).events
    assert records_broken(bests, today) == {
        x.set_id: whole[x.set_id] for x in today if x.set_id in whole
    }


def test_velocity_records_need_a_set_to_beat_within_the_band():
    a, b, c = s(0, 100, 3), s(1, 101, 3), s(2, 110, 3)
    assert load_band(100, 2.5) == pytest.approx((97.5, 102.5))
    fresh = Bests(500, 5000, {3: 500}, {110: 0.3}, 600)  # nothing near 100 kg: beats nothing
    assert records_broken(fresh, [a, b], {"id0": 0.5, "id1": 0.6}) == {"id1": ["velocity"]}
    seen = Bests(200, 2000, {3: 200}, {97.5: 0.55, 97: 0.9, 110: 0.95}, 250)
    assert seen.fastest_within(load_band(100, 2.5)) == 0.55  # 97 kg is just outside
    assert records_broken(seen, [a, c], {"id0": 0.6, "id2": 0.9}) == {"id0": ["velocity"]}
    assert describe(["heaviest", "volume", "3rm", "velocity", "e1rm"]) == (
        "heaviest ever, most volume in a set, 3-rep max, fastest at this load, best set e1RM"
    )


def test_the_best_set_e1rm_is_the_e1rm_rule_s_sets_path():
    """Epley with RIR over the kinds and rep range core/e1rm trusts (Epley 1985: 100 kg x 5
    at RPE 8 is 7 reps to failure: 100 x (1 + 7/30) = 123.3 kg)."""
    assert set_e1rm(s(0, 100, 5, rpe=8.0)) == pytest.approx(123.333, abs=1e-3)
    assert set_e1rm(s(0, 100, 1, rpe=10.0)) == 100  # a single at RPE 10 is its own 1RM
    assert set_e1rm(s(0, 100, 5, SetKind.WARMUP)) == 0  # warm-ups tell little
    assert set_e1rm(s(0, 100, 5, SetKind.DROP)) == 0
    assert set_e1rm(s(0, 60, 12, rpe=9.0)) == 0  # 13 reps to failure: past the 12 trusted
    rec = compute_records([s(0, 100, 5, rpe=8.0), s(1, 105, 3, rpe=9.0), s(2, 100, 6, rpe=8.0)])
    assert rec.e1rm is not None
    assert rec.e1rm.set.set_id == "id2"  # 100 x 6 @8: 126.7 > 123.3 and 119.0
    assert rec.events["id2"] == ["volume", "6rm", "e1rm"]
