"""From a set prescription to a load on the bar, for one lifter on one day.

:func:`prescribe_load` reads the prescription's intensity (:class:`~replog.core.plan.Intensity`):

* ``load``: as written, converted to the lifter's unit.
* ``percent_e1rm``: that share of today's e1RM (the lift's one e1RM,
  :func:`replog.core.e1rm.estimate_e1rm`, or today's from the warm-ups,
  :func:`replog.core.autoregulate.todays_strength`).
* ``rpe`` / ``rir``: the load for the reps at that effort on the RTS chart
  (:func:`replog.core.rpe_chart.load_for`, RPE 6.5-10 and up to 30 reps); easier efforts
  (RPE 5-6) by the modified-Epley reps-max model with reps in reserve
  (:func:`replog.core.strength.percent_1rm`, Jovanovic's STMr) with the parameter that
  continues the chart (:data:`replog.core.rpe_chart.TAIL_KMOD`).
* ``velocity`` / ``zone``: the load the lifter's own load-velocity line says moves at the
  target velocity (a zone's middle: :mod:`replog.core.training_goals`). Interpolation on the
  lifter's line, never a population table: zones are averages, lifters are not.
* nothing: the working load the lift's progression carries.

Every load is rounded to what the lifter's bar and plates make (:mod:`replog.core.plate_math`).
Without what a basis needs (no e1RM, no profile, no working load) the target is ``None``
and ``missing`` says what would give one: nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from replog.core.analysis import VelocityModel
from replog.core.errors import ReplogError
from replog.core.gear import BarAndPlates
from replog.core.plan import Intensity, SetPrescription
from replog.core.plate_math import loadable
from replog.core.rpe_chart import CHART_MIN_RPE, MAX_REPS, TAIL_KMOD, load_for
from replog.core.strength import percent_1rm
from replog.core.training_goals import GOALS, ZONES
from replog.core.units import KG_PER_LB, Load, Unit


@dataclass(frozen=True, slots=True)
class LiftState:
    """What RepLog knows of one lift for a session, gathered by the services.

    ``working_load``: carried by the progression rule; ``e1rm_kg``: today's e1RM (or the
    lift's latest); ``model``: the lifter's load-velocity line for the lift; ``anchor_kg``:
    the readiness check's warm-up anchor (:func:`replog.core.readiness.choose_anchor_load`);
    ``failures``: failed sessions in a row (for deloads); ``rep_target``: where a double
    progression stands within its range.
    """

    working_load: Load | None = None
    e1rm_kg: float | None = None
    model: VelocityModel | None = None
    anchor_kg: float | None = None
    failures: int = 0
    rep_target: int | None = None


@dataclass(frozen=True, slots=True)
class LoadTarget:
    """A prescription made concrete: the load, and why (in words), or what is missing."""

    load: Load | None
    basis: Intensity
    why: str
    target_velocity: float | None = None  # m/s, for velocity and zone sets
    stop_velocity_loss_pct: float | None = None
    target_rpe: float | None = None
    missing: str | None = None
    notes: tuple[str, ...] = field(default=())


def in_unit(load_kg: float, unit: Unit) -> float:
    return load_kg if unit is Unit.KG else load_kg / float(KG_PER_LB)


def to_load(value: float, unit: Unit) -> Load:
    """A float in ``unit`` as a :class:`Load`, without float noise (102.50000001 -> 102.5)."""
    text = f"{round(value, 3):.3f}".rstrip("0").rstrip(".")
    return Load(Decimal(text), unit)


def plate_load(load_kg: float, unit: Unit, gear: BarAndPlates, direction: str = "nearest") -> Load:
    """``load_kg`` in the lifter's unit, rounded to their plates."""
    value = loadable(in_unit(load_kg, unit), gear, direction)  # type: ignore[arg-type]
    return to_load(value, unit)


def effort_share(reps: int, rpe: float) -> float:
    """Share of 1RM for ``reps`` at ``rpe``: the RTS chart where it reaches, else the
    modified-Epley model with RIR = 10 - RPE (STMr) fitted to the chart's last cell."""
    if rpe >= CHART_MIN_RPE and reps <= MAX_REPS:
        return load_for(1.0, reps, rpe)
    return percent_1rm(min(reps, 30), 10.0 - rpe, "modified_epley", kmod=TAIL_KMOD)


def target_velocity(p: SetPrescription) -> float | None:
    """The velocity a set aims at: as written, or its zone's middle."""
    if p.velocity is not None:
        return p.velocity
    return None if p.zone is None else ZONES[p.zone].target


def stop_loss(p: SetPrescription, goal: str | None) -> float | None:
    """The set's velocity-loss cut-off: as written, else the goal's preset."""
    if p.velocity_loss_pct is not None:
        return p.velocity_loss_pct
    return None if goal is None else GOALS[goal].velocity_loss_pct


def _kg_for(
    p: SetPrescription, lift: LiftState, unit: Unit
) -> tuple[float | None, str, str | None]:
    """(load kg before rounding, why, what is missing)."""
    basis = p.intensity
    if basis is Intensity.LOAD:
        assert p.load is not None
        return p.load.kg, f"{p.load.text} as written", None
    if basis is Intensity.CURRENT:
        if lift.working_load is None:
            return None, "", "a working load for the lift (log a session or write a load)"
        return lift.working_load.kg, f"your working load {lift.working_load.text}", None
    if basis is Intensity.PERCENT:
        assert p.percent_e1rm is not None
        if lift.e1rm_kg is None:
            return None, "", "an e1RM for the lift (a set with RPE, or bar velocity)"
        e1rm_text = f"{in_unit(lift.e1rm_kg, unit):.1f} {unit.value}"
        return lift.e1rm_kg * p.percent_e1rm / 100, f"{p.percent_e1rm:g}% of {e1rm_text}", None
    if basis in (Intensity.RPE, Intensity.RIR):
        rpe = p.target_rpe
        assert rpe is not None
        if p.reps is None:
            return None, "", "a number of reps: an RPE gives a load only for a rep count"
        if lift.e1rm_kg is None:
            return None, "", "an e1RM for the lift (a set with RPE, or bar velocity)"
        share = effort_share(p.reps, rpe)
        return lift.e1rm_kg * share, f"{p.reps} reps at RPE {rpe:g}: {share:.1%} of e1RM", None
    v = target_velocity(p)
    assert v is not None
    if lift.model is None:
        return None, "", "a load-velocity profile for the lift (velocities at 2+ loads)"
    try:
        kg = lift.model.predict_load(v)
    except ReplogError:
        kg = -1.0
    if not kg > 0:
        return None, "", f"a profile that reaches {v:.2f} m/s"
    zone = f" ({ZONES[p.zone].label})" if p.zone is not None else ""
    return kg, f"the load you move at {v:.2f} m/s{zone} on your profile", None


def prescribe_load(
    p: SetPrescription,
    lift: LiftState,
    unit: Unit,
    gear: BarAndPlates,
    goal: str | None = None,
) -> LoadTarget:
    """The load for prescription ``p`` today (see the module docstring). When the basis
    lacks what it needs but the lift has a working load, the working load stands in and
    ``notes`` says so (a new lifter can start a velocity or RPE plan from a logged load)."""
    kg, why, missing = _kg_for(p, lift, unit)
    notes: tuple[str, ...] = ()
    if kg is None and lift.working_load is not None and p.intensity is not Intensity.CURRENT:
        notes = (f"without {missing}, your working load stands in",)
        kg, why = lift.working_load.kg, f"your working load {lift.working_load.text}"
    load = None if kg is None else plate_load(kg, unit, gear)
    return LoadTarget(
        load,
        p.intensity,
        why,
        target_velocity(p),
        stop_loss(p, goal),
        p.target_rpe,
        missing if kg is None else None,
        notes,
    )


def goal_defaults(goal: str | None) -> Mapping[str, object]:
    """The preset of ``goal`` as a document (what the surfaces show beside a plan)."""
    if goal is None:
        return {}
    g = GOALS[goal]
    return {
        "goal": g.key,
        "velocity_loss_pct": g.velocity_loss_pct,
        "zone": g.zone,
        "zone_velocity": [ZONES[g.zone].low, ZONES[g.zone].high],
        "rpe": g.rpe,
        "reps": list(g.reps),
        "source": g.source,
    }
