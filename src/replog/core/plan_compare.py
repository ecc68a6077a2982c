"""Planned against performed: how a logged set went against the set the plan asked for.

:func:`compare_set` pairs a :class:`~replog.core.session_plan.PlannedSet` with the
:class:`~replog.core.model.SetRecord` lifted in its place and gives each difference
(performed minus planned): reps, load (in the plan's unit and in kg), RPE, the first rep's
velocity against the target, and the set's velocity loss (Sanchez-Medina & Gonzalez-Badillo
2011, from the first rep: :func:`replog.core.velocity.set_velocity`) against its cut-off.
A set *failed* when it fell short of its planned reps or was logged as kind ``failure``
(:func:`replog.core.progression.set_failed`); it *met* the plan when it did not fail, was
not lighter than planned by a plate jump or more, and did not go past its RPE target by
half a point or more. Velocity differences under the smallest detectable change are
reported but do not count against the set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from replog.core.model import SetKind, SetRecord
from replog.core.progression import WORK_KINDS
from replog.core.rep_cues import SetTarget, rep_cue
from replog.core.session_plan import PlannedSet
from replog.core.training_goals import RPE_RESOLUTION, VELOCITY_SDC
from replog.core.units import Load, Unit
from replog.core.velocity import set_velocity

LOAD_TOLERANCE_KG = 1.25
"""Lighter than planned by less than this (half the smallest kilogram jump) is the plan:
a 225 lb set for a planned 102.5 kg is 102.06 kg."""


@dataclass(frozen=True, slots=True)
class SetComparison:
    planned: PlannedSet
    performed: SetRecord
    reps_diff: int | None
    load_diff: float | None  # in the planned load's unit
    load_diff_kg: float | None
    rpe_diff: float | None
    velocity_diff: float | None  # first rep minus the target, m/s
    velocity_loss_pct: float | None
    over_cut_off: bool  # lost more velocity than the cut-off allowed
    failed: bool
    met: bool
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "planned": self.planned.to_dict(),
            "performed_set": self.performed.id,
            "reps_diff": self.reps_diff,
            "load_diff": self.load_diff,
            "load_diff_kg": self.load_diff_kg,
            "rpe_diff": self.rpe_diff,
            "velocity_diff": self.velocity_diff,
            "velocity_loss_pct": self.velocity_loss_pct,
            "over_cut_off": self.over_cut_off,
            "failed": self.failed,
            "met": self.met,
            "notes": list(self.notes),
        }


def planned_set_from_dict(d: Mapping[str, Any]) -> PlannedSet:
    """A planned set back from its document (:meth:`PlannedSet.to_dict`), as a session's
    plan is stored beside it."""
    load = d.get("load")
    return PlannedSet(
        d["exercise"], int(d["number"]), SetKind(d["kind"]), d.get("reps"),
        None if load is None else Load(Decimal(str(load["value"])), Unit(load["unit"])),
        d.get("why", ""), d.get("basis", ""), d.get("reps_max"), d.get("target_rpe"),
        d.get("target_velocity"), d.get("stop_velocity_loss_pct"), bool(d.get("anchor")),
        d.get("missing"),
    )  # fmt: skip


def review_session(
    plan: Mapping[str, Any], performed: Sequence[SetRecord]
) -> list[tuple[PlannedSet, SetComparison | None]]:
    """Each planned work set of a session's plan document (:meth:`SessionPlan.to_dict`)
    with how the set lifted in its place went (None: not lifted): the n-th work set of an
    exercise against its n-th planned one, as progressions pair them."""
    out: list[tuple[PlannedSet, SetComparison | None]] = []
    for ex in plan["exercises"]:
        done = sorted((s for s in performed if s.exercise == ex["exercise"]
                       and s.kind in WORK_KINDS), key=lambda s: s.position)  # fmt: skip
        for i, d in enumerate(ex["sets"]):
            p = planned_set_from_dict(d)
            out.append((p, compare_set(p, done[i]) if i < len(done) else None))
    return out


def compare_set(planned: PlannedSet, performed: SetRecord) -> SetComparison:
    """The differences between ``performed`` and ``planned`` (see the module docstring)."""
    notes: list[str] = []
    reps_diff = None if planned.reps is None else performed.reps - planned.reps
    failed = performed.kind is SetKind.FAILURE or (reps_diff is not None and reps_diff < 0)
    if failed:
        notes.append("short of the planned reps" if reps_diff else "logged as a failed set")
    load_diff = load_diff_kg = None
    if planned.load is not None:
        unit = planned.load.unit
        load_diff = round(float(performed.load.in_unit(unit) - planned.load.value), 3)
        load_diff_kg = round(performed.load.kg - planned.load.kg, 3)
    lighter = load_diff_kg is not None and load_diff_kg <= -LOAD_TOLERANCE_KG
    if lighter:
        notes.append("lighter than planned")
    rpe = performed.effective_rpe
    rpe_diff = None if rpe is None or planned.target_rpe is None else rpe - planned.target_rpe
    harder = rpe_diff is not None and rpe_diff >= RPE_RESOLUTION
    if harder:
        notes.append("harder than the RPE target")
    v = set_velocity(performed)
    velocity_diff = None
    if v is not None and planned.target_velocity is not None:
        velocity_diff = round(v.first - planned.target_velocity, 3)
        if abs(velocity_diff) < VELOCITY_SDC:
            notes.append("on the target velocity (within the smallest detectable change)")
    loss = None if v is None or v.n < 2 else round(v.loss_pct, 1)
    cut = planned.stop_velocity_loss_pct
    over = loss is not None and cut is not None and loss > cut
    if over:
        notes.append(f"lost {loss:g}% velocity, past the {cut:g}% cut-off")
    met = not (failed or lighter or harder)
    return SetComparison(
        planned,
        performed,
        reps_diff,
        load_diff,
        load_diff_kg,
        rpe_diff,
        velocity_diff,
        loss,
        over,
        failed,
        met,
        tuple(notes),
    )


def stop_set_now(planned: PlannedSet, rep_velocities: list[float]) -> bool:
    """Whether the set should end after the reps so far (mean velocities, m/s, in order):
    the last rep lost more than the planned cut-off from the first (Sanchez-Medina &
    Gonzalez-Badillo 2011), or the planned reps are done. For the live stream."""
    target = SetTarget(planned.target_velocity, planned.stop_velocity_loss_pct, planned.reps)
    cue = rep_cue(target, rep_velocities)
    return cue is not None and cue.kind in ("stop", "done")
