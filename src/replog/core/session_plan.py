"""The session a plan asks for today, and the next set while it is being lifted.

One rule, one place: :func:`prescribe_session` turns a day of a plan
(:class:`~replog.core.plan.Template`) and what RepLog knows of the lifter today
(:class:`SessionState`) into a :class:`SessionPlan`; :func:`plan_next_set` adjusts the next
set from the ones just lifted; :func:`replog.core.plan_compare.compare_set` says how a set
went against its plan. Every surface renders their ``to_dict()`` documents and adds no
rule of its own.

Order of the rules for each work set:

1. the prescription's load (:func:`replog.core.prescription.prescribe_load`), at the rep
   target a double progression has reached;
2. the readiness advice (:class:`~replog.core.readiness_advice.Advice`, taken as given):
   its RPE cap lowers RPE targets (an RPE-based load is found again at the capped RPE),
   its load change (<= 0) comes off the other work sets, rounded down to the plates; a
   primer is dropped when the advice says to skip it;
3. the cap in force for the lift (:func:`replog.core.advice.in_force`'s item, taken as
   given): no work set heavier than its held load, and no primer (a cap rules out a PAP
   primer, as :func:`replog.core.advice.primer_blocked` says).

Warm-ups (:func:`replog.core.warmup.warmup_ramp`) ramp to the first work set of each
barbell lift and include the readiness anchor when the lift has one. Lifts that are not
barbell lifts are rounded to steps of 2.5 kg / 5 lb from zero (dumbbells, machines).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from replog.core.analysis import Recommendation
from replog.core.autoregulate import cap_kg, next_load
from replog.core.exercises import BUILTIN, Equipment
from replog.core.gear import BarAndPlates
from replog.core.model import SetKind, SetRecord
from replog.core.plan import SetPrescription, Template
from replog.core.plate_math import loadable
from replog.core.prescription import LiftState, in_unit, prescribe_load, to_load
from replog.core.progression import WORK_KINDS, set_failed
from replog.core.readiness_advice import Advice
from replog.core.training_goals import GOALS
from replog.core.units import Load, Unit
from replog.core.warmup import warmup_ramp

BARBELL_LIFTS = frozenset(e.key for e in BUILTIN if e.equipment is Equipment.BARBELL)
UNBARRED = {Unit.KG: BarAndPlates(0, (1.25,)), Unit.LB: BarAndPlates(0, (2.5,))}
"""Dumbbells, machines, cables: steps of 2.5 kg or 5 lb from zero."""
ADJUSTED_KINDS = frozenset({SetKind.WORKING, SetKind.BACKOFF, SetKind.AMRAP, SetKind.FAILURE})


@dataclass(frozen=True, slots=True)
class SessionState:
    """What the services gather for a session; the rulebook's results are inputs here."""

    unit: Unit
    gear: BarAndPlates  # the lifter's bar and plates in ``unit``
    lifts: Mapping[str, LiftState] = field(default_factory=dict)
    goal: str | None = None  # a preset of training_goals.GOALS, over the program's
    readiness: Advice | None = None
    caps: Mapping[str, Recommendation] = field(default_factory=dict)  # exercise -> in force
    barbell: Container[str] = BARBELL_LIFTS

    def gear_for(self, exercise: str) -> BarAndPlates:
        return self.gear if exercise in self.barbell else UNBARRED[self.unit]


@dataclass(frozen=True, slots=True)
class PlannedSet:
    exercise: str
    number: int  # 1-based among the exercise's work sets (warm-ups: among the warm-ups)
    kind: SetKind
    reps: int | None
    load: Load | None
    why: str
    basis: str = ""
    reps_max: int | None = None
    target_rpe: float | None = None
    target_velocity: float | None = None
    stop_velocity_loss_pct: float | None = None
    anchor: bool = False
    missing: str | None = None
    prescription: int = 0  # which prescription of the exercise it comes from

    @property
    def stop_velocity(self) -> float | None:
        """The rep velocity that ends the set, when a target velocity and cut-off exist."""
        if self.target_velocity is None or self.stop_velocity_loss_pct is None:
            return None
        return round(self.target_velocity * (1 - self.stop_velocity_loss_pct / 100), 3)

    def to_dict(self) -> dict[str, Any]:
        load = self.load
        return {
            "exercise": self.exercise,
            "number": self.number,
            "kind": self.kind.value,
            "reps": self.reps,
            "reps_max": self.reps_max,
            "load": None if load is None else {"value": float(load.value), "unit": load.unit.value},
            "load_text": None if load is None else load.text,
            "load_kg": None if load is None else load.kg,
            "basis": self.basis,
            "why": self.why,
            "target_rpe": self.target_rpe,
            "target_velocity": self.target_velocity,
            "stop_velocity_loss_pct": self.stop_velocity_loss_pct,
            "stop_velocity": self.stop_velocity,
            "anchor": self.anchor,
            "missing": self.missing,
        }


@dataclass(frozen=True, slots=True)
class ExercisePlan:
    exercise: str
    warmups: tuple[PlannedSet, ...]
    sets: tuple[PlannedSet, ...]
    rest_s: int | None = None
    group: str | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "group": self.group,
            "rest_s": self.rest_s,
            "warmups": [s.to_dict() for s in self.warmups],
            "sets": [s.to_dict() for s in self.sets],
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class SessionPlan:
    name: str
    unit: Unit
    exercises: tuple[ExercisePlan, ...]
    goal: str | None = None
    readiness: str | None = None  # the advice's text, when one was applied
    notes: tuple[str, ...] = ()

    def exercise(self, key: str) -> ExercisePlan | None:
        return next((e for e in self.exercises if e.exercise == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit.value,
            "goal": self.goal,
            "readiness": self.readiness,
            "exercises": [e.to_dict() for e in self.exercises],
            "notes": list(self.notes),
        }


def _at_rep_target(p: SetPrescription, lift: LiftState) -> SetPrescription:
    if p.reps is None or p.reps_max is None or lift.rep_target is None:
        return p
    return replace(p, reps=max(p.reps, min(p.reps_max, lift.rep_target)), reps_max=p.reps_max)


def _adjusted(
    p: SetPrescription,
    number: int,
    index: int,
    exercise: str,
    lift: LiftState,
    state: SessionState,
    goal: str | None,
) -> tuple[PlannedSet, list[str]]:
    notes: list[str] = []
    gear = state.gear_for(exercise)
    advice = state.readiness
    work = p.kind in ADJUSTED_KINDS
    capping = work and advice is not None and advice.rpe_cap is not None
    if capping and advice and advice.rpe_cap and p.target_rpe and p.target_rpe > advice.rpe_cap:
        notes.append(f"readiness caps RPE at {advice.rpe_cap:g} (planned {p.target_rpe:g})")
        p = replace(p, rpe=advice.rpe_cap, rir=None)
    target = prescribe_load(p, lift, state.unit, gear, goal)
    load, why = target.load, target.why
    notes += [n for n in target.notes if n not in notes]
    # an RPE-based load already comes down with the capped RPE: no second cut
    rpe_based = p.intensity.value in ("rpe", "rir")
    cut = advice.load_change_pct if advice is not None else 0.0
    if work and load is not None and advice is not None and cut < 0 and not rpe_based:
        value = float(load.value) * (1 + cut / 100)
        load = to_load(loadable(value, gear, "down"), state.unit)
        why += f"; {cut:g}% for readiness ({advice.level})"
    held = cap_kg(state.caps.get(exercise))
    if work and load is not None and held is not None and load.kg > held + 1e-9:
        load = to_load(loadable(in_unit(held, state.unit) + 1e-6, gear, "down"), state.unit)
        why += f"; held at {load.text} by today's drop-off cap"
    planned = PlannedSet(
        exercise,
        number,
        p.kind,
        p.reps,
        load,
        why,
        target.basis.value,
        p.reps_max,
        target.target_rpe,
        target.target_velocity,
        target.stop_velocity_loss_pct,
        missing=target.missing,
        prescription=index,
    )
    return planned, notes


def prescribe_session(
    template: Template, state: SessionState, goal: str | None = None
) -> SessionPlan:
    """Today's session from a day of a plan (see the module docstring). ``goal`` is the
    program's; the state's goal, when set, wins."""
    goal = state.goal or goal
    if goal is not None and goal not in GOALS:
        goal = None
    advice = state.readiness
    skip_primer = advice is not None and advice.skip_primer
    plans: list[ExercisePlan] = []
    for ex in template.exercises:
        lift = state.lifts.get(ex.exercise, LiftState())
        sets: list[PlannedSet] = []
        notes: list[str] = []
        for index, p in enumerate(ex.sets):
            if p.kind is SetKind.PRIMER and (skip_primer or ex.exercise in state.caps):
                reason = "readiness advises against it" if skip_primer else "the lift is capped"
                notes.append(f"primer skipped: {reason} today")
                continue
            for _ in range(p.count):
                planned, why = _adjusted(
                    _at_rep_target(p, lift), len(sets) + 1, index, ex.exercise, lift, state, goal
                )
                sets.append(planned)
                notes += [n for n in why if n not in notes]
        warmups = _warmups(ex.exercise, sets, lift, state, notes)
        plans.append(
            ExercisePlan(ex.exercise, warmups, tuple(sets), ex.rest_s, ex.group, tuple(notes))
        )
    text = None if advice is None or advice.level == "none" else advice.text
    return SessionPlan(template.name, state.unit, tuple(plans), goal, text)


def _warmups(
    exercise: str, sets: list[PlannedSet], lift: LiftState, state: SessionState, notes: list[str]
) -> tuple[PlannedSet, ...]:
    first = next((s.load for s in sets if s.load is not None and s.kind in WORK_KINDS), None)
    if first is None or exercise not in state.barbell:
        return ()
    ramp = warmup_ramp(first, state.gear, anchor_kg=lift.anchor_kg)
    if ramp.note:
        notes.append(ramp.note)
    return tuple(
        PlannedSet(
            exercise,
            i + 1,
            SetKind.WARMUP,
            w.reps,
            w.load,
            "readiness anchor: record its velocity" if w.anchor else "warm-up",
            "warmup",
            anchor=w.anchor,
        )
        for i, w in enumerate(ramp.sets)
    )


def plan_next_set(
    plan: SessionPlan, exercise: str, performed: Sequence[SetRecord], state: SessionState
) -> PlannedSet | None:
    """The exercise's next work set given the sets ``performed`` so far this session
    (None when all planned sets are done). A set of the same prescription as the last one
    is steered by it (:func:`replog.core.autoregulate.next_load`: velocity, else RPE; never
    heavier after a failure, never over the cap in force); another prescription keeps its
    planned load, under the cap."""
    ex = plan.exercise(exercise)
    if ex is None:
        return None
    done = sorted(
        (s for s in performed if s.exercise == exercise and s.kind in WORK_KINDS),
        key=lambda s: s.position,
    )
    if len(done) >= len(ex.sets):
        return None
    nxt = ex.sets[len(done)]
    if not done:
        return nxt
    before, last = ex.sets[len(done) - 1], done[-1]
    gear = state.gear_for(exercise)
    cap = state.caps.get(exercise)
    if before.prescription != nxt.prescription or nxt.load is None:
        held = cap_kg(cap)
        if nxt.load is not None and held is not None and nxt.load.kg > held + 1e-9:
            value = loadable(in_unit(held, nxt.load.unit) + 1e-6, gear, "down")
            return replace(
                nxt, load=to_load(value, nxt.load.unit), why=nxt.why + "; held by the cap"
            )
        return nxt
    lift = state.lifts.get(exercise, LiftState())
    base = last.load if last.load.unit is plan.unit else (nxt.load or last.load)
    step = next_load(
        base,
        last.reps,
        gear,
        next_reps=nxt.reps or last.reps,
        last_velocity=last.velocities[0] if last.velocities else None,
        target_velocity=nxt.target_velocity,
        model=lift.model,
        last_rpe=last.effective_rpe,
        target_rpe=nxt.target_rpe,
        failed=set_failed(_as_prescription(before), last),
        cap=cap,
        readiness=state.readiness,
    )
    return replace(nxt, load=step.load, why=step.why, basis=f"autoregulated by {step.basis}")


def _as_prescription(s: PlannedSet) -> SetPrescription:
    return SetPrescription(s.reps, kind=s.kind)
