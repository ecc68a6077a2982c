"""Progression across sessions: the next working load of a lift from what was performed.

Rules (:class:`~replog.core.plan.Progression`):

* ``linear``: after a session where every planned set was done for its reps, add the
  increment (a novice's "add weight every session", as in the classic 3x5 programs); after
  ``deload_after`` failed sessions in a row, take ``deload_pct`` off and build again.
* ``double``: a rep range (``reps``-``reps_max``) at one load; once every set reaches the
  top of the range, add the increment and start again at the bottom (double progression:
  reps first, then load). A set below the bottom is a failure, as in ``linear``.
* ``rpe``: the next load is the one the last top set's e1RM gives for the planned reps at
  the planned RPE (RTS chart, :func:`replog.core.prescription.effort_share`): a set that
  felt easier than planned raises it, a harder one lowers it. The e1RM is kept in the state.
* ``velocity``: the next load moves along the lifter's load-velocity line by the gap between
  the first rep's velocity and the target (:func:`replog.core.autoregulate.next_load`).

The rule above all: **a failed session never raises the load.** A set failed when it fell
short of its planned reps or was logged as kind ``failure``; then the next load is at most
the last one, whatever the rule computes. Changes under the smallest plate jump and velocity
gaps under the smallest detectable change are no change (see :mod:`replog.core.autoregulate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from replog.core.autoregulate import next_load
from replog.core.gear import BarAndPlates
from replog.core.model import SetKind, SetRecord
from replog.core.plan import PlannedExercise, SetPrescription
from replog.core.plate_math import loadable
from replog.core.prescription import LiftState, effort_share, in_unit, target_velocity, to_load
from replog.core.training_goals import VELOCITY_SDC
from replog.core.units import Load, Unit

WORK_KINDS = frozenset({SetKind.WORKING, SetKind.BACKOFF, SetKind.AMRAP, SetKind.FAILURE})
"""Kinds a progression reads: the sets done for work, not warm-ups, primers or drops."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The lift's state for the next session, and the session's verdict in words."""

    state: LiftState
    met: bool  # every planned set done for its reps
    failed: bool
    why: str

    def to_dict(self) -> dict[str, object]:
        w = self.state.working_load
        return {
            "working_load": None if w is None else {"value": float(w.value), "unit": w.unit.value},
            "working_load_text": None if w is None else w.text,
            "e1rm_kg": self.state.e1rm_kg,
            "failures": self.state.failures,
            "rep_target": self.state.rep_target,
            "met": self.met,
            "failed": self.failed,
            "why": self.why,
        }


def set_failed(planned: SetPrescription | None, done: SetRecord) -> bool:
    """A set failed: logged as kind ``failure``, or short of its planned reps."""
    if done.kind is SetKind.FAILURE:
        return True
    return planned is not None and planned.reps is not None and done.reps < planned.reps


def pair_sets(
    exercise: PlannedExercise, performed: Sequence[SetRecord]
) -> list[tuple[SetPrescription, SetRecord | None]]:
    """Each planned work set with the performed set in the same place (None: not done)."""
    plan = [p for p in exercise.expanded() if p.kind in WORK_KINDS]
    done = sorted(
        (s for s in performed if s.exercise == exercise.exercise and s.kind in WORK_KINDS),
        key=lambda s: s.position,
    )
    return [(p, done[i] if i < len(done) else None) for i, p in enumerate(plan)]


def _add(last: Load, increment: Load, gear: BarAndPlates) -> Load:
    wanted = float(last.value) + in_unit(increment.kg, last.unit)
    value = loadable(wanted, gear)
    if value <= float(last.value):  # an increment under a plate jump still moves up one jump
        value = loadable(float(last.value) + 1e-6, gear, "up")
    return to_load(value, last.unit)


def _deload(last: Load, pct: float, gear: BarAndPlates) -> Load:
    return to_load(loadable(float(last.value) * (1 - pct / 100), gear, "down"), last.unit)


def progress(
    exercise: PlannedExercise,
    performed: Sequence[SetRecord],
    state: LiftState,
    gear: BarAndPlates,
    unit: Unit,
    *,
    sdc: float = VELOCITY_SDC,
) -> Outcome:
    """The next session's state of ``exercise`` after ``performed`` (the session's sets;
    other exercises' are ignored). ``gear`` is the lifter's bar and plates in ``unit``."""
    pairs = pair_sets(exercise, performed)
    done = [(p, s) for p, s in pairs if s is not None]
    if not done:
        return Outcome(state, False, False, "not done this session: the plan stays")
    failed = any(set_failed(p, s) for p, s in done)
    met = not failed and len(done) == len(pairs)
    first = done[0][1]
    rule = exercise.progression
    # an autoregulated lift moves on from what was lifted; a stepwise one from its plan
    steered = rule is not None and rule.rule in ("rpe", "velocity")
    last = first.load if steered or state.working_load is None else state.working_load
    if last.unit is not unit:
        last = to_load(loadable(in_unit(last.kg, unit), gear), unit)
    if rule is None:
        return Outcome(replace(state, working_load=last), met, failed, "no progression rule")
    if rule.rule in ("linear", "double"):
        outcome = _stepwise(exercise, done, state, last, met, failed, gear)
    else:
        outcome = _autoregulated(rule.rule, done, state, last, failed, gear, sdc)
    new = outcome.state.working_load
    if failed and new is not None and new.kg > last.kg:  # the rule above all rules
        outcome = replace(outcome, state=replace(outcome.state, working_load=last))
    return outcome


def _stepwise(
    exercise: PlannedExercise,
    done: list[tuple[SetPrescription, SetRecord]],
    state: LiftState,
    last: Load,
    met: bool,
    failed: bool,
    gear: BarAndPlates,
) -> Outcome:
    rule = exercise.progression
    assert rule is not None
    assert rule.increment is not None
    if failed:
        failures = state.failures + 1
        if failures >= rule.deload_after:
            load = _deload(last, rule.deload_pct, gear)
            why = f"{failures} failed sessions in a row: deload {rule.deload_pct:g}% to {load.text}"
            return Outcome(replace(state, working_load=load, failures=0), met, failed, why)
        why = f"a set fell short ({failures} of {rule.deload_after} before a deload): stay"
        return Outcome(replace(state, working_load=last, failures=failures), met, failed, why)
    if rule.rule == "double":
        tops = [p.reps_max or p.reps or 0 for p, _ in done]
        reached = met and all(s.reps >= top for (_, s), top in zip(done, tops, strict=True))
        bottom = min((p.reps or 0) for p, _ in done)
        if not reached:
            target = min(max(tops), min(s.reps for _, s in done) + 1)
            why = f"not every set reached the top of its range: same load, aim for {target}"
            keep = replace(state, working_load=last, failures=0, rep_target=target)
            return Outcome(keep, met, failed, why)
        load = _add(last, rule.increment, gear)
        why = f"every set reached its top reps: {load.text}, back to {bottom} reps"
        up = replace(state, working_load=load, failures=0, rep_target=bottom)
        return Outcome(up, met, failed, why)
    if not met:
        return Outcome(replace(state, working_load=last), met, failed, "sets missing: stay")
    load = _add(last, rule.increment, gear)
    why = f"all sets done: add {rule.increment.text} -> {load.text}"
    return Outcome(replace(state, working_load=load, failures=0), met, failed, why)


def _autoregulated(
    rule: str,
    done: list[tuple[SetPrescription, SetRecord]],
    state: LiftState,
    last: Load,
    failed: bool,
    gear: BarAndPlates,
    sdc: float,
) -> Outcome:
    if rule == "rpe":
        for p, s in done:
            rpe, want = s.effective_rpe, p.target_rpe
            if rpe is None or want is None or p.reps is None or s.reps < 1:
                continue
            e1rm = s.load.kg / effort_share(min(s.reps, 30), rpe)
            step = next_load(
                s.load if s.load.unit is last.unit else last,
                min(s.reps, 30),
                gear,
                next_reps=p.reps,
                last_rpe=rpe,
                target_rpe=want,
                failed=failed,
            )
            new = replace(state, working_load=step.load, e1rm_kg=e1rm, failures=0)
            return Outcome(new, not failed, failed, step.why)
        return Outcome(replace(state, working_load=last), not failed, failed, "no RPE logged")
    for p, s in done:
        target = target_velocity(p)
        if target is None or not s.velocities or state.model is None:
            continue
        step = next_load(
            s.load if s.load.unit is last.unit else last,
            s.reps,
            gear,
            last_velocity=s.velocities[0],
            target_velocity=target,
            model=state.model,
            failed=failed,
            sdc=sdc,
        )
        new = replace(state, working_load=step.load, failures=0)
        return Outcome(new, not failed, failed, step.why)
    why = "no velocity against a target and a profile"
    return Outcome(replace(state, working_load=last), not failed, failed, why)
