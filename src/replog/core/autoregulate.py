"""Autoregulation within a session: today's strength from the warm-ups, the next set's load.

Today's strength (:func:`todays_strength`). The warm-ups are lifted at known loads with
maximal intent, so each is a point against the lifter's own load-velocity line
(:mod:`replog.core.profile`, :mod:`replog.core.lift_model`). Their mean residual is how much
faster or slower than usual the lifter moves today. RepLog shifts the line by it and reads
the load at the *target* velocity of the working sets, inside the range the line was
fitted on, rather than extrapolating today's few warm-up points to the minimum velocity
threshold: the velocity of a 1RM varies from day to day by a CV of ~16-23 % (Ruf et al.
2018, J Strength Cond Res 32:681; Banyard et al. 2017, J Strength Cond Res 31:1897) and
heavy-load velocities are the least reliable (Banyard et al. 2018, Int J Sports Physiol
Perform 13:763: mean velocity reliable at 20-90 % 1RM, not at 100 %). Today's e1RM is the
lift's usual e1RM (:func:`replog.core.e1rm.estimate_e1rm`) scaled by today's load at the
target velocity over the usual one. A shift smaller than the smallest detectable change
(:data:`~replog.core.training_goals.VELOCITY_SDC`) is noise and changes nothing.

The next set (:func:`next_load`): from the last set's velocity when there is a target
velocity and a profile (the load moves along the line by the velocity gap), else from its
RPE (the last set's e1RM on the RTS chart, :func:`replog.core.rpe_chart.e1rm_rpe`, then the
load for the next reps at the target RPE). Then the rulebook's limits, taken as given and
never recomputed here: the cap in force (:func:`replog.core.advice.in_force`: the held
load of a ``cap_intensity`` item) and the readiness advice
(:func:`replog.core.readiness.battery`'s :class:`~replog.core.readiness_advice.Advice`: its
RPE cap). A failed set never raises the load. Gaps under the SDC or under half an RPE point
(RPE is rated in half points), and load changes under the smallest plate jump, are ignored.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from replog.core.analysis import Recommendation, VelocityModel
from replog.core.errors import ReplogError, ValidationError
from replog.core.gear import BarAndPlates
from replog.core.plate_math import loadable, smallest_jump
from replog.core.prescription import LiftState, effort_share, in_unit, to_load
from replog.core.readiness_advice import Advice
from replog.core.training_goals import RPE_RESOLUTION, VELOCITY_SDC
from replog.core.units import Load


@dataclass(frozen=True, slots=True)
class TodayStrength:
    """How strong the lifter is today against their profile."""

    shift: float  # m/s: today's warm-ups minus the profile, mean over the warm-ups
    counted: bool  # False: |shift| under the SDC, read as no change
    target_velocity: float
    usual_load_kg: float  # the profile's load at the target velocity
    today_load_kg: float  # the same today
    ratio: float  # today / usual (1.0 when not counted)
    e1rm_kg: float | None  # the usual e1RM x ratio, when the usual one is known
    points: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {
            "shift": round(self.shift, 3),
            "counted": self.counted,
            "target_velocity": self.target_velocity,
            "usual_load_kg": round(self.usual_load_kg, 2),
            "today_load_kg": round(self.today_load_kg, 2),
            "ratio": round(self.ratio, 4),
            "e1rm_kg": None if self.e1rm_kg is None else round(self.e1rm_kg, 2),
            "points": self.points,
            "text": self.text,
        }


def todays_strength(
    warmups: Sequence[tuple[float, float]],
    model: VelocityModel,
    *,
    target_velocity: float | None = None,
    usual_e1rm_kg: float | None = None,
    sdc: float = VELOCITY_SDC,
) -> TodayStrength | None:
    """Today's strength from warm-ups ``(load kg, mean velocity m/s)`` against ``model``
    (see the module docstring). ``target_velocity`` defaults to the heaviest warm-up's
    velocity, the nearest point that was measured. None without a usable warm-up."""
    points = [
        (float(kg), float(v))
        for kg, v in warmups
        if math.isfinite(kg) and math.isfinite(v) and kg > 0 and v > 0
    ]
    if not points:
        return None
    shift = statistics.fmean(v - model.predict_velocity(kg) for kg, v in points)
    target = max(points)[1] if target_velocity is None else float(target_velocity)
    counted = abs(shift) >= sdc
    try:
        usual = model.predict_load(target)
        today = model.predict_load(target - shift) if counted else usual
    except ReplogError:
        return None
    if not (usual > 0 and today > 0):
        return None
    ratio = today / usual
    e1rm = None if usual_e1rm_kg is None else usual_e1rm_kg * ratio
    if counted:
        side = "faster" if shift > 0 else "slower"
        text = (
            f"warm-ups {abs(shift):.2f} m/s {side} than your profile: {today:.1f} kg moves at "
            f"{target:.2f} m/s today (usually {usual:.1f} kg), {ratio - 1:+.1%}"
        )
    else:
        text = (
            f"warm-ups within {sdc:.2f} m/s of your profile (off by {shift:+.2f}): "
            "as strong as usual"
        )
    return TodayStrength(shift, counted, target, usual, today, ratio, e1rm, len(points), text)


@dataclass(frozen=True, slots=True)
class ShiftedModel:
    """A lifter's line moved by today's shift: each load moves ``shift`` m/s faster (or,
    negative, slower) than on a usual day."""

    base: VelocityModel
    shift: float

    def predict_velocity(self, load_kg: float) -> float:
        return self.base.predict_velocity(load_kg) + self.shift

    def predict_load(self, velocity: float) -> float:
        return self.base.predict_load(velocity - self.shift)


def apply_today(lift: LiftState, today: TodayStrength | None) -> LiftState:
    """``lift`` as it stands today: today's e1RM, and the line shifted by today's warm-ups,
    when the shift was beyond the SDC (otherwise the lift is unchanged). Re-plan the session
    with it (:func:`replog.core.session_plan.prescribe_session`) once the warm-ups are in."""
    if today is None or not today.counted or lift.model is None:
        return lift
    e1rm = today.e1rm_kg if today.e1rm_kg is not None else lift.e1rm_kg
    return replace(lift, e1rm_kg=e1rm, model=ShiftedModel(lift.model, today.shift))


@dataclass(frozen=True, slots=True)
class NextLoad:
    load: Load
    change: float  # in the load's unit; 0 when unchanged
    basis: str  # "velocity" | "rpe" | "hold"
    why: str
    target_rpe: float | None = None
    capped_by: str | None = None  # "cap_intensity" | "failed" | None


def cap_kg(rec: Recommendation | None) -> float | None:
    """The load (kg) a rulebook item holds the lift to, from its ``hold`` detail."""
    if rec is None:
        return None
    hold = rec.details.get("hold")
    if isinstance(hold, dict) and isinstance(hold.get("kg"), int | float):
        return float(hold["kg"])
    return None


def _velocity_step(
    last_kg: float, last_v: float, target_v: float, model: VelocityModel, sdc: float
) -> tuple[float, str] | None:
    gap = last_v - target_v
    if abs(gap) < sdc:
        return last_kg, f"{last_v:.2f} m/s is within {sdc:.2f} of the {target_v:.2f} target"
    slope = model.predict_velocity(last_kg + 1.0) - model.predict_velocity(last_kg)
    if not slope < 0:
        return None
    side = "faster" if gap > 0 else "slower"
    return last_kg + gap / -slope, f"{last_v:.2f} m/s, {abs(gap):.2f} {side} than {target_v:.2f}"


def _rpe_step(
    last_kg: float, reps: int, last_rpe: float, target_rpe: float, next_reps: int
) -> tuple[float, str]:
    if abs(last_rpe - target_rpe) < RPE_RESOLUTION and reps == next_reps:
        return last_kg, f"RPE {last_rpe:g} is the target"
    e1rm = last_kg / effort_share(reps, last_rpe)
    text = f"{reps} at RPE {last_rpe:g} -> {next_reps} at RPE {target_rpe:g}"
    return e1rm * effort_share(next_reps, target_rpe), text


def next_load(
    last: Load,
    reps: int,
    gear: BarAndPlates,
    *,
    next_reps: int | None = None,
    last_velocity: float | None = None,
    target_velocity: float | None = None,
    model: VelocityModel | None = None,
    last_rpe: float | None = None,
    target_rpe: float | None = None,
    failed: bool = False,
    cap: Recommendation | None = None,
    readiness: Advice | None = None,
    sdc: float = VELOCITY_SDC,
) -> NextLoad:
    """The next set's load after a set of ``reps`` at ``last`` (see the module docstring).

    ``gear`` is the lifter's bar and plates in ``last``'s unit. Velocity decides when there
    are a velocity, a target and a profile; else RPE when both efforts are known; else the
    load holds."""
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 0:
        raise ValidationError(f"expected a whole number of reps, got {reps!r}", "reps")
    unit = last.unit
    last_kg = last.kg
    nxt = reps if next_reps is None else next_reps
    rpe_goal = target_rpe
    if readiness is not None and readiness.rpe_cap is not None and rpe_goal is not None:
        rpe_goal = min(rpe_goal, readiness.rpe_cap)
    step: tuple[float, str] | None = None
    basis = "hold"
    if last_velocity is not None and target_velocity is not None and model is not None:
        step = _velocity_step(last_kg, last_velocity, target_velocity, model, sdc)
        basis = "velocity" if step is not None else basis
    if step is None and last_rpe is not None and rpe_goal is not None and reps > 0 and nxt > 0:
        step = _rpe_step(last_kg, min(reps, 30), last_rpe, rpe_goal, min(nxt, 30))
        basis = "rpe"
    kg, why = step if step is not None else (last_kg, "nothing to steer by: same load")
    ceiling, capped_by = None, None
    if failed:
        ceiling = last_kg
        if kg > last_kg:
            capped_by, why = "failed", why + "; the set failed, so no heavier"
    held = cap_kg(cap)
    if held is not None and (ceiling is None or held < ceiling):
        ceiling = held
        if kg > held:
            capped_by = "cap_intensity"
            why += f"; held at {in_unit(held, unit):g} {unit.value} (drop-off)"
    return _rounded(last, kg, gear, why, basis, rpe_goal, ceiling, capped_by)


def _rounded(
    last: Load,
    kg: float,
    gear: BarAndPlates,
    why: str,
    basis: str,
    rpe: float | None,
    ceiling_kg: float | None,
    capped_by: str | None,
) -> NextLoad:
    unit, before = last.unit, float(last.value)
    wanted = in_unit(max(kg, 0.0), unit)
    small = abs(wanted - before) < smallest_jump(gear) - 1e-9  # under a plate jump: no change
    value = before if small else loadable(wanted, gear)
    if ceiling_kg is not None:
        ceiling = in_unit(ceiling_kg, unit) + 1e-6
        if value > ceiling:
            value = loadable(ceiling, gear, "down")
    if abs(value - before) < 1e-9:
        return NextLoad(last, 0.0, basis, why + f": stay at {last.text}", rpe, capped_by)
    load = to_load(value, unit)
    return NextLoad(load, round(value - before, 3), basis, why + f": {load.text}", rpe, capped_by)
