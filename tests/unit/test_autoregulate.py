"""Today's strength from the warm-ups, and the next set's load from the last set."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from replog.core.analysis import LinearModel, Recommendation
from replog.core.autoregulate import apply_today, cap_kg, next_load, todays_strength
from replog.core.gear import DEFAULT_GEAR
from replog.core.plan import PlannedExercise, SetPrescription, Template
from replog.core.prescription import LiftState
from replog.core.readiness_advice import advise
from replog.core.session_plan import SessionState, prescribe_session
from replog.core.units import Load, Unit

KG = DEFAULT_GEAR[Unit.KG]
LINE = LinearModel(1.8, -0.01)  # 0.30 m/s at 150 kg


def kg(v: float) -> Load:
    return Load(Decimal(str(v)), Unit.KG)


def test_a_slower_day_lowers_the_load_at_the_target_velocity() -> None:
    # warm-ups 0.08 m/s under the line
    warmups = [(60.0, 1.2 - 0.08), (80.0, 1.0 - 0.08), (100.0, 0.8 - 0.08)]
    t = todays_strength(warmups, LINE, target_velocity=0.6, usual_e1rm_kg=150.0)
    assert t is not None
    assert t.counted
    assert abs(t.shift + 0.08) < 1e-9
    assert abs(t.usual_load_kg - 120.0) < 1e-9
    assert abs(t.today_load_kg - 112.0) < 1e-9
    assert t.e1rm_kg is not None
    assert abs(t.e1rm_kg - 150.0 * 112 / 120) < 1e-9
    assert "slower" in t.text


def test_a_shift_under_the_sdc_changes_nothing() -> None:
    t = todays_strength([(60.0, 1.23), (100.0, 0.83)], LINE, usual_e1rm_kg=150.0)
    assert t is not None
    assert not t.counted
    assert t.ratio == 1.0
    assert t.e1rm_kg == 150.0
    assert t.target_velocity == 0.83  # the heaviest warm-up's velocity
    assert todays_strength([], LINE) is None


def test_next_load_by_velocity() -> None:
    fast = next_load(kg(100), 3, KG, last_velocity=0.75, target_velocity=0.60, model=LINE)
    assert fast.basis == "velocity"
    assert fast.load.kg == 115.0  # 0.15 m/s faster at 0.01 m/s per kg
    near = next_load(kg(100), 3, KG, last_velocity=0.64, target_velocity=0.60, model=LINE)
    assert near.load == kg(100)  # within the SDC
    assert near.change == 0


def test_next_load_by_rpe() -> None:
    easy = next_load(kg(100), 5, KG, last_rpe=7, target_rpe=8.5)
    assert easy.basis == "rpe"
    assert easy.load.kg > 100
    same = next_load(kg(100), 5, KG, last_rpe=8, target_rpe=8)
    assert same.change == 0
    # readiness caps the target effort
    steady = next_load(kg(100), 5, KG, last_rpe=7, target_rpe=9, readiness=advise(70))
    assert steady.target_rpe == 8.5


def test_changes_under_a_plate_jump_are_ignored() -> None:
    # 100 x 5 @ 8 -> 5 @ 8.5 is about 1.9 kg: under the 2.5 kg jump
    small = next_load(kg(100), 5, KG, last_rpe=8, target_rpe=8.5)
    assert small.change == 0


def test_caps_and_failures_hold_the_load() -> None:
    cap = Recommendation("cap_intensity", "back-squat", "r", "a", "s1", {"hold": {"kg": 100.0}})
    assert cap_kg(cap) == 100.0
    assert cap_kg(None) is None
    capped = next_load(kg(100), 3, KG, last_velocity=0.9, target_velocity=0.6, model=LINE, cap=cap)
    assert capped.load == kg(100)
    assert capped.capped_by == "cap_intensity"
    failed = next_load(kg(100), 3, KG, last_rpe=6.5, target_rpe=9, failed=True)
    assert failed.load == kg(100)
    assert failed.capped_by == "failed"
    below_cap = Recommendation("cap_intensity", "x", "r", "a", "s1", {"hold": {"kg": 90.0}})
    down = next_load(kg(100), 3, KG, cap=below_cap)
    assert down.load == kg(90)


@given(
    last=st.integers(8, 100).map(lambda n: n * 2.5),
    reps=st.integers(0, 12),
    velocity=st.one_of(st.none(), st.floats(0.1, 1.6)),
    rpe=st.one_of(st.none(), st.sampled_from([6.5, 7.0, 8.0, 9.0, 10.0])),
    target_rpe=st.sampled_from([6.5, 8.0, 9.5]),
)
def test_a_failed_set_never_raises_the_next_load(last, reps, velocity, rpe, target_rpe) -> None:
    step = next_load(
        kg(last),
        reps,
        KG,
        next_reps=5,
        last_velocity=velocity,
        target_velocity=0.5,
        model=LINE,
        last_rpe=rpe,
        target_rpe=target_rpe,
        failed=True,
    )
    assert step.load.kg <= last + 1e-9
    assert step.change <= 0


def test_today_re_plans_the_session() -> None:
    lift = LiftState(e1rm_kg=150.0, model=LINE)
    slow = todays_strength(
        [(60.0, 1.1), (100.0, 0.7)], LINE, target_velocity=0.6, usual_e1rm_kg=150.0
    )
    today = apply_today(lift, slow)
    assert today.e1rm_kg is not None
    assert today.e1rm_kg < 150
    assert today.model is not None
    assert abs(today.model.predict_velocity(100.0) - 0.7) < 1e-9
    day = Template("D", (PlannedExercise("back-squat", (SetPrescription(3, velocity=0.6),)),))
    usual = prescribe_session(day, SessionState(Unit.KG, KG, {"back-squat": lift}))
    now = prescribe_session(day, SessionState(Unit.KG, KG, {"back-squat": today}))
    assert now.exercises[0].sets[0].load.kg < usual.exercises[0].sets[0].load.kg  # type: ignore[union-attr]
    same = todays_strength([(100.0, 0.82)], LINE)
    assert apply_today(lift, same) is lift
    assert slow is not None
    assert slow.to_dict()["counted"] is True
