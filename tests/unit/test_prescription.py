"""Prescriptions made concrete, and warm-up ramps that carry the readiness anchor."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.analysis import LinearModel
from replog.core.gear import DEFAULT_GEAR
from replog.core.plan import Intensity, SetPrescription
from replog.core.plate_math import loadable, plates_per_side, smallest_jump
from replog.core.prescription import LiftState, goal_defaults, prescribe_load, to_load
from replog.core.rpe_chart import load_for
from replog.core.training_goals import GOALS, ZONES, zone_of
from replog.core.units import Load, Unit
from replog.core.warmup import ANCHOR_REPS, warmup_ramp

KG, LB = DEFAULT_GEAR[Unit.KG], DEFAULT_GEAR[Unit.LB]
LINE = LinearModel(1.8, -0.01)  # 1.8 m/s empty, 0.30 m/s at 150 kg
LIFT = LiftState(working_load=Load(Decimal(100), Unit.KG), e1rm_kg=150.0, model=LINE)


def test_each_intensity_gives_a_plate_load() -> None:
    cases = [
        (SetPrescription(5, load=Load(Decimal(225), Unit.LB)), 102.5),
        (SetPrescription(5), 100.0),
        (SetPrescription(5, percent_e1rm=80), 120.0),
        (SetPrescription(5, rpe=8), 122.5),  # 150 x 0.811 = 121.7
        (SetPrescription(3, velocity=0.8), 100.0),
        (SetPrescription(3, zone="strength_speed"), 92.5),  # 0.875 m/s -> 92.5
    ]
    for p, kg in cases:
        target = prescribe_load(p, LIFT, Unit.KG, KG)
        assert target.load is not None, p
        assert float(target.load.value) == kg, (p, target)
        assert target.missing is None


def test_rpe_prescriptions_use_the_rts_chart() -> None:
    t = prescribe_load(SetPrescription(5, rpe=8), LIFT, Unit.KG, KG)
    assert abs(load_for(150.0, 5, 8) - 121.65) < 0.01
    assert "RPE 8" in t.why
    easy = prescribe_load(SetPrescription(10, rpe=5), LIFT, Unit.KG, KG)
    assert easy.load is not None
    assert easy.load.kg < 100  # off the chart: modified Epley with 5 in reserve


def test_what_is_missing_is_named_not_guessed() -> None:
    bare = LiftState()
    for p, says in [
        (SetPrescription(5), "working load"),
        (SetPrescription(5, percent_e1rm=80), "e1RM"),
        (SetPrescription(5, rpe=8), "e1RM"),
        (SetPrescription(3, velocity=0.8), "profile"),
    ]:
        t = prescribe_load(p, bare, Unit.KG, KG)
        assert t.load is None
        assert t.missing is not None
        assert says in t.missing
    fast = prescribe_load(SetPrescription(3, velocity=2.5), LiftState(model=LINE), Unit.KG, KG)
    assert fast.load is None


def test_the_working_load_stands_in_for_a_missing_e1rm_or_profile() -> None:
    lift = LiftState(working_load=Load(Decimal(80), Unit.KG))
    t = prescribe_load(SetPrescription(3, velocity=0.6), lift, Unit.KG, KG)
    assert t.load == Load(Decimal(80), Unit.KG)
    assert t.missing is None
    assert "stands in" in t.notes[0]


def test_goal_presets_cite_and_fill_the_cut_off() -> None:
    assert GOALS["strength"].velocity_loss_pct == 20
    assert GOALS["hypertrophy"].velocity_loss_pct == 40
    assert "Pareja-Blanco" in GOALS["strength"].source
    assert "Galiano" in GOALS["power"].source
    t = prescribe_load(SetPrescription(3), LIFT, Unit.KG, KG, goal="power")
    assert t.stop_velocity_loss_pct == 10
    own = prescribe_load(SetPrescription(3, velocity_loss_pct=15), LIFT, Unit.KG, KG, "power")
    assert own.stop_velocity_loss_pct == 15
    assert goal_defaults("strength")["zone_velocity"] == [0.15, 0.5]
    assert zone_of(0.9) is ZONES["strength_speed"]
    assert zone_of(5.0) is None


def test_pound_lifters_get_pound_plates() -> None:
    t = prescribe_load(SetPrescription(5, percent_e1rm=80), LIFT, Unit.LB, LB)
    assert t.load is not None
    assert t.load.unit is Unit.LB
    assert float(t.load.value) % 5 == 0
    assert t.basis is Intensity.PERCENT


def test_a_warm_up_ramps_to_the_working_set() -> None:
    ramp = warmup_ramp(Load(Decimal(140), Unit.KG), KG)
    loads = [float(s.load.value) for s in ramp.sets]
    assert loads == [20, 55, 77.5, 97.5, 120]
    assert [s.reps for s in ramp.sets] == [8, 5, 3, 2, 1]
    assert not any(s.anchor for s in ramp.sets)


def test_the_anchor_load_is_in_the_ramp() -> None:
    ramp = warmup_ramp(Load(Decimal(140), Unit.KG), KG, anchor_kg=80.0)
    anchors = [s for s in ramp.sets if s.anchor]
    assert len(anchors) == 1
    assert anchors[0].load.kg == 80
    assert anchors[0].reps >= ANCHOR_REPS
    over = warmup_ramp(Load(Decimal(60), Unit.KG), KG, anchor_kg=100.0)
    assert not any(s.anchor for s in over.sets)
    assert "not below" in over.note


@given(
    working=st.floats(20, 400),
    unit=st.sampled_from([Unit.KG, Unit.LB]),
    anchor=st.one_of(st.none(), st.floats(20, 300)),
)
def test_ramps_rise_stay_below_and_are_loadable(working, unit, anchor) -> None:
    gear = DEFAULT_GEAR[unit]
    top = to_load(loadable(working, gear), unit)
    ramp = warmup_ramp(top, gear, anchor_kg=anchor)
    loads = [float(s.load.value) for s in ramp.sets]
    assert loads == sorted(loads)
    assert len(set(loads)) == len(loads)
    for s in ramp.sets:
        assert s.load.unit is unit
        assert float(s.load.value) <= float(top.value) - smallest_jump(gear) + 1e-9
        plates_per_side(float(s.load.value), gear)
    assert sum(s.anchor for s in ramp.sets) <= 1


@pytest.mark.parametrize("unit", [Unit.KG, Unit.LB])
def test_warm_up_sets_have_a_document(unit) -> None:
    ramp = warmup_ramp(to_load(100, unit), DEFAULT_GEAR[unit], anchor_kg=40)
    doc = ramp.sets[0].to_dict()
    assert doc["kind"] == "warmup"
    assert doc["load"] == {"value": float(DEFAULT_GEAR[unit].bar), "unit": unit.value}
