"""Session analysis on known scenarios: the seed drop-off case and its neighbours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.analysis import AnalysisSettings, analyze_session
from replog.core.exercises import BUILTIN, Catalogue
from replog.core.model import Rep, Session, SetKind, SetRecord
from replog.core.units import Load, Unit
from replog.core.velocity import grind_limit, grinding_reps, rir_from_velocity, set_velocity

EX = {e.key: e for e in Catalogue(BUILTIN)}
T0 = datetime(2026, 11, 24, 18, tzinfo=UTC)


@dataclass
class Line:
    """A known load-velocity line: v = v0 - slope * load."""

    v0: float = 1.6
    slope: float = 0.008

    def predict_velocity(self, load_kg: float) -> float:
        return self.v0 - self.slope * load_kg

    def predict_load(self, velocity: float) -> float:
        return (self.v0 - velocity) / self.slope


def mk(pos, load, vs, rpe=8.0, kind=SetKind.WORKING, exercise="back-squat", reps=None):
    return SetRecord(
        f"s{pos}", "sess", exercise, pos,
        load if isinstance(load, Load) else Load(Decimal(str(load)), Unit.KG),
        reps or len(vs), T0 + timedelta(minutes=4 * pos), rpe=rpe, kind=kind,
        rep_data=tuple(Rep(i + 1, v) for i, v in enumerate(vs)),
    )  # fmt: skip


def session(*sets):
    return Session("sess", "ath", T0, sets=tuple(sets))


LB200 = Load(Decimal(200), Unit.LB)


def test_seed_scenario_flags_a_13_percent_dropoff_at_the_same_rpe():
    # squat 5 @ 200 lb: set 1 at 0.60 m/s mean, set 2 at 0.52 m/s mean, both @8
    a = analyze_session(
        session(mk(1, LB200, [0.60] * 5), mk(2, LB200, [0.52] * 5)), EX, {"back-squat": Line()}
    )
    first, second = a.sets
    assert first.dropoff_pct is None
    assert second.dropoff_pct == pytest.approx(13.3, abs=0.05)
    assert second.reference_set == "s1"
    assert second.flags.neural_dropoff
    assert second.effort_hid_dropoff is True
    (rec,) = [r for r in a.recommendations if r.kind == "cap_intensity"]
    assert rec.exercise == "back-squat"
    assert rec.set_id == "s2"
    assert "effort hid the drop-off" in rec.reason
    assert "hold 200 lb" in rec.action
    assert "0.42 m/s" in rec.action  # 20% below the set's first rep (0.52)
    # the restoring load, from the line: 0.08 m/s / 0.008 m/s/kg = 10 kg = 22 lb -> 175 lb
    assert rec.details["reduced_load"] == {"value": 175.0, "unit": "lb"}


def test_seed_scenario_at_0_55_is_not_flagged():
    a = analyze_session(session(mk(1, LB200, [0.60] * 5), mk(2, LB200, [0.55] * 5)), EX)
    assert a.sets[1].dropoff_pct == pytest.approx(8.3, abs=0.05)
    assert not a.sets[1].flags.neural_dropoff
    assert not [r for r in a.recommendations if r.kind == "cap_intensity"]


def test_threshold_is_a_setting_and_rpe_rise_means_effort_did_not_hide_it():
    sets = session(mk(1, 100, [0.60] * 3, rpe=7), mk(2, 100, [0.55] * 3, rpe=8.5))
    strict = analyze_session(sets, EX, settings=AnalysisSettings(dropoff_threshold_pct=5))
    assert strict.sets[1].flags.neural_dropoff
    assert strict.sets[1].effort_hid_dropoff is False
    assert "effort hid" not in strict.recommendations[0].reason


def test_reference_is_the_first_working_set_at_the_same_load_within_2_5_percent():
    a = analyze_session(
        session(
            mk(1, 60, [1.0, 0.98], kind=SetKind.WARMUP),
            mk(2, 140, [0.50] * 3),
            mk(3, 142.5, [0.44] * 3),  # within 2.5% of 140: compared with set 2
            mk(4, 150, [0.40] * 3),  # a new load and no model: its own reference
            mk(5, 150, [0.39] * 3),
        ),
        EX,
    )
    by_id = {x.set.id: x for x in a.sets}
    assert by_id["s1"].dropoff_pct is None  # warm-ups are not compared
    assert by_id["s3"].reference_set == "s2"
    assert by_id["s3"].dropoff_pct == pytest.approx(12.0)
    assert by_id["s4"].reference_set is None
    assert by_id["s5"].reference_set == "s4"
    assert by_id["s5"].dropoff_pct == pytest.approx(2.5)


def test_sets_with_different_rep_counts_compare_over_the_common_reps():
    a = analyze_session(session(mk(1, 100, [0.6, 0.58, 0.5]), mk(2, 100, [0.6, 0.58])), EX)
    assert a.sets[1].dropoff_pct == pytest.approx(0.0)


def test_across_loads_the_profile_carries_the_comparison():
    line = Line()  # expects 0.80 m/s at 100 kg and 0.72 at 110 kg
    on_form = analyze_session(
        session(mk(1, 100, [0.80] * 3), mk(2, 110, [0.72] * 3)), EX, {"back-squat": line}
    )
    assert on_form.sets[1].comparison == "profile"
    assert on_form.sets[1].dropoff_pct == pytest.approx(0.0, abs=1e-9)
    slow = analyze_session(
        session(mk(1, 100, [0.80] * 3), mk(2, 110, [0.60] * 3)), EX, {"back-squat": line}
    )
    assert slow.sets[1].dropoff_pct == pytest.approx((1 - 0.60 / 0.72) * 100, abs=0.05)
    assert slow.sets[1].flags.neural_dropoff


def test_grinding_passive_intent_and_rpe_mismatch():
    line = Line()
    grind = analyze_session(session(mk(1, 180, [0.45, 0.40, 0.36])), EX, {"back-squat": line})
    assert grind.sets[0].grinding_reps == (3,)  # 0.36 < 1.25 x 0.30
    assert any(r.kind == "reduce_load" for r in grind.recommendations)
    # expects 0.80 m/s at 100 kg; 0.62 with no slow-down at RPE 6: passive
    lazy = analyze_session(session(mk(1, 100, [0.62, 0.62, 0.61], rpe=6)), EX, {"back-squat": line})
    assert lazy.sets[0].flags.passive_intent
    assert lazy.sets[0].intent_score == pytest.approx(0.775)
    cue = next(r for r in lazy.recommendations if r.kind == "cue")
    assert "floor" in cue.action or "ceiling" in cue.action
    # at 150 kg the line expects 0.40 m/s; moving exactly that, today's 1RM is where the line
    # meets the MVT (0.30 m/s): 162.5 kg, so 150 kg is 92.3%: three reps on the RTS chart
    honest = analyze_session(
        session(mk(1, 150, [0.40, 0.36, 0.33], rpe=10)), EX, {"back-squat": line}
    )
    assert honest.sets[0].estimated_rir == pytest.approx(0.0)
    assert not honest.sets[0].flags.rpe_velocity_mismatch
    sandbagged = analyze_session(
        session(mk(1, 150, [0.40, 0.36, 0.33], rpe=6)), EX, {"back-squat": line}
    )
    assert sandbagged.sets[0].flags.rpe_velocity_mismatch
    # a single at 92.3%: about two reps were left
    single = analyze_session(session(mk(1, 150, [0.40], rpe=9.5)), EX, {"back-squat": line})
    # between the chart's 2.5-rep (93.9%) and 3-rep (92.2%) diagonals
    assert single.sets[0].estimated_rir == pytest.approx(
        2.5 + 0.5 * (93.9 - 100 * 150 / 162.5) / 1.7 - 1
    )
    assert analyze_session(session(mk(1, 150, [0.40], rpe=9.5)), EX).sets[0].estimated_rir is None


def test_big_within_set_loss_earns_stop_set():
    a = analyze_session(session(mk(1, 100, [0.8, 0.7, 0.6, 0.5])), EX)
    assert a.sets[0].velocity is not None
    assert a.sets[0].velocity.loss_pct == pytest.approx(37.5)
    assert [r.kind for r in a.recommendations] == ["stop_set"]


def test_velocity_summary_reports_both_loss_references():
    v = set_velocity(mk(1, 100, [0.70, 0.75, 0.60]))
    assert v is not None
    assert (v.first, v.best, v.last, v.best_index) == (0.70, 0.75, 0.60, 2)
    assert v.loss_pct == pytest.approx(100 * 0.10 / 0.70)
    assert v.loss_from_best_pct == pytest.approx(20.0)
    assert set_velocity(mk(2, 100, [], reps=5)) is None


@given(
    st.lists(st.floats(0.2, 1.5), min_size=1, max_size=12),
    st.floats(0.1, 0.5),
)
def test_velocity_properties(vs, mvt):
    s = mk(1, 100, vs)
    v = set_velocity(s)
    assert v is not None
    assert min(vs) - 1e-12 <= v.mean <= max(vs) + 1e-12
    assert v.loss_from_best_pct >= v.loss_pct - 1e-9
    assert all(s.rep_data[i - 1].mcv < grind_limit(mvt) for i in grinding_reps(s, mvt))
    assert grind_limit(mvt) <= 1.25 * mvt
    line = Line()
    rir = rir_from_velocity(100, len(vs), vs[0], line.predict_velocity(100), mvt, line.predict_load)
    assert rir is None or 0 <= rir <= 10


@given(st.floats(0.3, 1.2), st.floats(0.0, 0.4))
def test_dropoff_is_flagged_exactly_above_the_threshold(v_ref, drop):
    v = v_ref * (1 - drop)
    a = analyze_session(session(mk(1, 100, [v_ref] * 3), mk(2, 100, [v] * 3)), EX)
    assert a.sets[1].dropoff_pct == pytest.approx(drop * 100, abs=0.01)
    if drop * 100 > 10.01:
        assert a.sets[1].flags.neural_dropoff
    if drop * 100 < 9.99:
        assert not a.sets[1].flags.neural_dropoff
