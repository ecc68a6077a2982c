"""Plans: set prescriptions, exercises in order, training days, programs of weeks.

The shapes, innermost first:

* :class:`SetPrescription`: ``count`` sets of ``reps`` (or a range ``reps``-``reps_max``)
  at one intensity (see :data:`INTENSITIES`), optionally with a target effort (``rpe`` or
  ``rir``), a target mean velocity or a velocity zone, and a velocity-loss cut-off that
  ends the set (Sanchez-Medina & Gonzalez-Badillo 2011, Med Sci Sports Exerc 43:1725).
  With no intensity at all, the load is the lifter's current working load for the lift
  (what the exercise's progression rule carries from session to session).
* :class:`PlannedExercise`: an exercise key of the catalogue (:mod:`replog.core.exercises`),
  its prescriptions in order, the rest between its sets, an optional group label that ties
  exercises into a superset or circuit (same label, consecutive), and a progression rule.
* :class:`Template`: one training day (a routine): a name and its exercises in order.
* :class:`Program`: weeks of days, a goal and a description.

All are frozen and check themselves on construction; their document form (JSON) and its
schema are in :mod:`replog.core.plan_doc` and ``docs/programs.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from replog.core.errors import ValidationError
from replog.core.model import SetKind
from replog.core.training_goals import GOALS, ZONES
from replog.core.units import Load
from replog.core.validate import coerce_enum

RPE_RANGE = (5.0, 10.0)
"""RPE targets a plan may set: below 5 the RIR-based scale (Zourdos et al. 2016, J Strength
Cond Res 30:267) stops describing reps in reserve."""
RIR_RANGE = (0.0, 5.0)
PERCENT_RANGE = (20.0, 105.0)  # % of today's e1RM
VELOCITY_RANGE = (0.05, 3.0)  # m/s: slower than any MVT to faster than any barbell lift
VELOCITY_LOSS_RANGE = (1.0, 60.0)  # %
MAX_PLANNED_REPS = 100
MAX_SETS = 20
MAX_REST_S = 1800
PROGRESSION_RULES = ("linear", "double", "rpe", "velocity")


class Intensity(StrEnum):
    """How a set's load is found, in the order a prescription is read."""

    LOAD = "load"  # a load as written
    PERCENT = "percent_e1rm"  # a share of today's e1RM
    VELOCITY = "velocity"  # the load the lifter moves at a target mean velocity
    ZONE = "zone"  # the same, at the middle of a named velocity zone
    RPE = "rpe"  # the load for the reps at an RPE (RTS chart)
    RIR = "rir"
    CURRENT = "current"  # nothing given: the lift's working load carried by progression


INTENSITIES = tuple(Intensity)


def _number(value: object, name: str, low: float, high: float, unit: str = "") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"expected a number, got {value!r}", field=name)
    if not low <= value <= high:
        raise ValidationError(f"expected {low:g}-{high:g}{unit}, got {value:g}{unit}", name)
    return float(value)


def _whole(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"expected a whole number, got {value!r}", field=name)
    if not low <= value <= high:
        raise ValidationError(f"expected {low}-{high}, got {value}", field=name)
    return value


def _half(value: float, name: str) -> None:
    if value * 2 != int(value * 2):
        raise ValidationError(f"expected half points (8, 8.5), got {value:g}", field=name)


@dataclass(frozen=True, slots=True)
class SetPrescription:
    """``count`` alike sets. Give at most one of ``load``, ``percent_e1rm``, ``velocity``,
    ``zone``; ``rpe`` or ``rir`` (not both) is then the target effort, or, alone, what
    sets the load. ``reps`` None means as many as the cut-off or effort allows (AMRAP)."""

    reps: int | None
    count: int = 1
    reps_max: int | None = None  # the top of a rep range (double progression)
    kind: SetKind = SetKind.WORKING
    load: Load | None = None
    percent_e1rm: float | None = None
    rpe: float | None = None
    rir: float | None = None
    velocity: float | None = None  # target mean concentric velocity, m/s
    zone: str | None = None
    velocity_loss_pct: float | None = None  # end the set at this loss from the first rep

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", coerce_enum(SetKind, self.kind, "kind"))
        _whole(self.count, "count", 1, MAX_SETS)
        if self.reps is not None:
            _whole(self.reps, "reps", 1, MAX_PLANNED_REPS)
        if self.reps_max is not None:
            if self.reps is None:
                raise ValidationError("a rep range needs its bottom in reps", "reps_max")
            _whole(self.reps_max, "reps_max", self.reps, MAX_PLANNED_REPS)
        if self.percent_e1rm is not None:
            _number(self.percent_e1rm, "percent_e1rm", *PERCENT_RANGE, "%")
        if self.rpe is not None:
            _half(_number(self.rpe, "rpe", *RPE_RANGE), "rpe")
        if self.rir is not None:
            _half(_number(self.rir, "rir", *RIR_RANGE), "rir")
        if self.rpe is not None and self.rir is not None:
            raise ValidationError("give an RPE or an RIR, not both", field="rir")
        if self.velocity is not None:
            _number(self.velocity, "velocity", *VELOCITY_RANGE, " m/s")
        if self.zone is not None and (not isinstance(self.zone, str) or self.zone not in ZONES):
            raise ValidationError(f"expected one of {', '.join(ZONES)}; got {self.zone!r}", "zone")
        if self.velocity_loss_pct is not None:
            _number(self.velocity_loss_pct, "velocity_loss_pct", *VELOCITY_LOSS_RANGE, "%")
        given = [
            n for n in ("load", "percent_e1rm", "velocity", "zone") if getattr(self, n) is not None
        ]
        if len(given) > 1:
            raise ValidationError(f"give one intensity, got {' and '.join(given)}", given[1])
        if (
            self.reps is None
            and self.velocity_loss_pct is None
            and self.intensity
            in (
                Intensity.RPE,
                Intensity.RIR,
            )
        ):
            raise ValidationError("an RPE sets a load only for a number of reps", "reps")

    @property
    def intensity(self) -> Intensity:
        """What sets the load (see :class:`Intensity`)."""
        for basis, value in (
            (Intensity.LOAD, self.load),
            (Intensity.PERCENT, self.percent_e1rm),
            (Intensity.VELOCITY, self.velocity),
            (Intensity.ZONE, self.zone),
            (Intensity.RPE, self.rpe),
            (Intensity.RIR, self.rir),
        ):
            if value is not None:
                return basis
        return Intensity.CURRENT

    @property
    def target_rpe(self) -> float | None:
        """The effort asked for, as RPE (RPE = 10 - RIR: Helms et al. 2016)."""
        if self.rpe is not None:
            return self.rpe
        return None if self.rir is None else 10.0 - self.rir


@dataclass(frozen=True, slots=True)
class Progression:
    """How the working load moves from one session to the next (:mod:`replog.core.progression`).

    ``rule``: ``linear`` (add ``increment`` after every session that met the prescription),
    ``double`` (add it once every set reached the top of its rep range), ``rpe`` (the next
    load from the e1RM of the last top set at its RPE), ``velocity`` (the load the lifter
    moves at the target velocity). ``deload_after`` failed sessions in a row cut the load by
    ``deload_pct`` (linear and double only).
    """

    rule: str
    increment: Load | None = None
    deload_after: int = 3
    deload_pct: float = 10.0

    def __post_init__(self) -> None:
        if not isinstance(self.rule, str) or self.rule not in PROGRESSION_RULES:
            raise ValidationError(
                f"expected one of {', '.join(PROGRESSION_RULES)}; got {self.rule!r}", field="rule"
            )
        if self.rule in ("linear", "double") and (
            self.increment is None or self.increment.value <= 0
        ):
            raise ValidationError(f"the {self.rule} rule needs an increment", "increment")
        _whole(self.deload_after, "deload_after", 1, 10)
        _number(self.deload_pct, "deload_pct", 0, 50, "%")


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    exercise: str  # catalogue key
    sets: tuple[SetPrescription, ...]
    rest_s: int | None = None  # between this exercise's sets
    group: str | None = None  # superset / circuit label: alike labels go round together
    progression: Progression | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        if not self.sets:
            raise ValidationError("an exercise needs at least one set", field="sets")
        if self.rest_s is not None:
            _whole(self.rest_s, "rest_s", 0, MAX_REST_S)
        if self.group is not None and (not isinstance(self.group, str) or not self.group.strip()):
            raise ValidationError(f"a group label is text, got {self.group!r}", field="group")
        if not isinstance(self.notes, str):
            raise ValidationError(f"expected text, got {self.notes!r}", field="notes")

    def expanded(self) -> tuple[SetPrescription, ...]:
        """One prescription per set, ``count`` unrolled."""
        return tuple(p for p in self.sets for _ in range(p.count))


@dataclass(frozen=True, slots=True)
class Template:
    """One training day: exercises in order (a group's members stand next to each other)."""

    name: str
    exercises: tuple[PlannedExercise, ...]

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("a day needs a name", field="name")
        if not self.exercises:
            raise ValidationError("a day needs at least one exercise", field="exercises")
        closed: set[str] = set()
        previous: str | None = None
        for i, ex in enumerate(self.exercises):
            if ex.group is not None and ex.group != previous and ex.group in closed:
                raise ValidationError(
                    f"group {ex.group!r} is split; its exercises must stand together",
                    field=f"exercises[{i}].group",
                )
            if previous is not None:
                closed.add(previous)
            previous = ex.group

    def groups(self) -> tuple[tuple[PlannedExercise, ...], ...]:
        """The exercises as blocks: a lone exercise, or a superset/circuit's members."""
        blocks: list[list[PlannedExercise]] = []
        for ex in self.exercises:
            if ex.group is not None and blocks and blocks[-1][0].group == ex.group:
                blocks[-1].append(ex)
            else:
                blocks.append([ex])
        return tuple(tuple(b) for b in blocks)


@dataclass(frozen=True, slots=True)
class Week:
    days: tuple[Template, ...]

    def __post_init__(self) -> None:
        if not self.days:
            raise ValidationError("a week needs at least one day", field="days")


@dataclass(frozen=True, slots=True)
class Program:
    name: str
    weeks: tuple[Week, ...]
    goal: str | None = None  # a preset of replog.core.training_goals.GOALS
    description: str = ""
    source: str = ""  # where the idea comes from, in words
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("a program needs a name", field="name")
        if not self.weeks:
            raise ValidationError("a program needs at least one week", field="weeks")
        if self.goal is not None and (not isinstance(self.goal, str) or self.goal not in GOALS):
            raise ValidationError(f"expected one of {', '.join(GOALS)}; got {self.goal!r}", "goal")

    def next_day(self, week: int, day: int) -> tuple[int, int]:
        """The (week, day) after ``(week, day)``, wrapping round the program."""
        w = week % len(self.weeks)
        if day + 1 < len(self.weeks[w].days):
            return w, day + 1
        return (w + 1) % len(self.weeks), 0

    def day(self, week: int, day: int) -> Template:
        """The day to train (0-based, wrapping round the weeks: programs repeat)."""
        w = self.weeks[week % len(self.weeks)]
        return w.days[day % len(w.days)]
