"""Warm-up ramps to the first working set, in loads the bar and plates make.

The ramp: the empty bar for :data:`EMPTY_BAR_REPS`, then :data:`STEPS` of the first working
load, fewer reps as the load rises so the warm-up does not tire (about 40, 55, 70 and 85 %
for 5, 3, 2 and 1 reps). Specific warm-ups of a few reps at 40-80 % of the training load
prepared the squat and bench press better than light sets alone (Ribeiro et al. 2020, Int J
Environ Res Public Health, PMC7558980). Each step is rounded to the lifter's plates
(:func:`replog.core.plate_math.loadable`); a step that rounds onto the previous one, onto
the bar, or to within one plate jump of the working load is dropped.

The readiness check reads today's mean velocity at the lifter's anchor load
(:func:`replog.core.readiness.choose_anchor_load`, :func:`~replog.core.readiness.warmup_reading`).
When the anchor is given and lighter than the working load, the ramp includes it, for at
least :data:`ANCHOR_REPS` reps so that a mean velocity has something to average; the step
nearest to it, within :data:`ANCHOR_MERGE` of the working load, makes way. The warm-up
then doubles as the readiness reading, and its loads as today's load-velocity points
(:func:`replog.core.autoregulate.todays_strength`).
"""

from __future__ import annotations

from dataclasses import dataclass

from replog.core.gear import BarAndPlates
from replog.core.plate_math import loadable, smallest_jump
from replog.core.prescription import in_unit, to_load
from replog.core.units import Load, Unit

EMPTY_BAR_REPS = 8
STEPS = ((0.40, 5), (0.55, 3), (0.70, 2), (0.85, 1))
"""(share of the first working load, reps)."""
ANCHOR_REPS = 3
ANCHOR_MERGE = 0.10  # a step this close to the anchor (share of the working load) gives way


@dataclass(frozen=True, slots=True)
class WarmupSet:
    load: Load
    reps: int
    anchor: bool = False  # the readiness check's anchor load: record its velocity

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": "warmup",
            "load": {"value": float(self.load.value), "unit": self.load.unit.value},
            "load_text": self.load.text,
            "reps": self.reps,
            "anchor": self.anchor,
        }


@dataclass(frozen=True, slots=True)
class Ramp:
    sets: tuple[WarmupSet, ...]
    note: str = ""  # why the anchor is not in the ramp, when it is not


def warmup_ramp(
    working: Load,
    gear: BarAndPlates,
    *,
    anchor_kg: float | None = None,
    empty_bar: bool = True,
) -> Ramp:
    """The warm-up sets before a first working set of ``working`` (see the module doc);
    ``gear`` is the lifter's bar and plates in ``working``'s unit."""
    unit = working.unit
    top = float(working.value)
    jump = smallest_jump(gear)
    steps: list[WarmupSet] = []
    if empty_bar and top > gear.bar + jump / 2:
        steps.append(WarmupSet(to_load(gear.bar, unit), EMPTY_BAR_REPS))
    for share, reps in STEPS:
        value = loadable(top * share, gear)
        last = float(steps[-1].load.value) if steps else gear.bar
        if last < value <= top - jump + 1e-9:
            steps.append(WarmupSet(to_load(value, unit), reps))
    note = ""
    if anchor_kg is not None:
        anchor = loadable(in_unit(anchor_kg, unit), gear)
        steps, note = _with_anchor(steps, anchor, top, jump, gear.bar, unit)
    return Ramp(tuple(steps), note)


def _with_anchor(
    steps: list[WarmupSet], anchor: float, top: float, jump: float, bar: float, unit: Unit
) -> tuple[list[WarmupSet], str]:
    if anchor > top - jump + 1e-9:
        return steps, (
            f"your warm-up anchor ({anchor:g}) is not below today's first working set "
            f"({top:g}): no readiness reading from this warm-up"
        )
    same = [s for s in steps if abs(float(s.load.value) - anchor) < 1e-9]
    if same:
        out = [WarmupSet(s.load, max(s.reps, ANCHOR_REPS), True) if s in same else s for s in steps]
        return out, ""
    near = [  # the empty bar always stays
        s
        for s in steps
        if float(s.load.value) > bar and abs(float(s.load.value) - anchor) <= ANCHOR_MERGE * top
    ]
    nearest = min(near, key=lambda s: abs(float(s.load.value) - anchor), default=None)
    kept = [s for s in steps if s is not nearest]
    kept.append(WarmupSet(to_load(anchor, unit), ANCHOR_REPS, True))
    return sorted(kept, key=lambda s: float(s.load.value)), ""
