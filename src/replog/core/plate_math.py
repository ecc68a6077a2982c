"""Loads a bar can actually carry: the bar plus the same plates on each side.

A planned load is only useful if the lifter can put it on the bar. With the bar and plate
sizes of :class:`~replog.core.gear.BarAndPlates` (enough of each size, loaded in pairs), the
loadable totals are ``bar + 2 x`` any sum of plate sizes. Sizes are counted in hundredths
of the unit so that 1.25 kg and 2.5 lb plates add up exactly; the reachable per-side sums
are found once per set of plates as a bit set (each size usable any number of times).

Rounding is explicit about its direction: ``"down"`` for anything advice caps (a cut never
adds weight, as :func:`replog.core.readiness_advice.apply_advice`), ``"nearest"`` for
targets, ``"up"`` on request. Below the empty bar the bar itself is the lightest load.
"""

from __future__ import annotations

import functools
import math
from typing import Literal

from replog.core.errors import ValidationError
from replog.core.gear import BarAndPlates

Direction = Literal["nearest", "down", "up"]
SCALE = 100  # hundredths of a kg or lb
MAX_TOTAL = 2205.0  # in either unit: 1000 kg (units.MAX_LOAD_KG) is 2204.6 lb


def _units(value: float) -> int:
    return round(value * SCALE)


@functools.lru_cache(maxsize=64)
def _reachable(sizes: tuple[int, ...]) -> int:
    """A bit set: bit i is on when i hundredths are a sum of ``sizes`` (each any number of
    times), up to :data:`MAX_TOTAL`. Built with big-integer shifts: adding a size s, then
    2s, 4s... closes the set under adding s in log steps."""
    limit = int(MAX_TOTAL * SCALE) + max(sizes)
    mask = (1 << (limit + 1)) - 1
    bits = 1
    for size in sizes:
        shift = size
        while shift <= limit:
            bits = (bits | (bits << shift)) & mask
            shift *= 2
    return bits


def _has(bits: int, i: int) -> bool:
    return i >= 0 and bool((bits >> i) & 1)


def smallest_jump(gear: BarAndPlates) -> float:
    """The smallest change of total load the plates allow: a pair of the smallest plates
    (or finer, if two sizes differ by less, e.g. 2.5 and 1.25 and 1.0 make 0.25 per side)."""
    sizes = [_units(p) for p in gear.plates]
    step = functools.reduce(math.gcd, sizes)
    return 2 * step / SCALE


def loadable(target: float, gear: BarAndPlates, direction: Direction = "nearest") -> float:
    """``target`` (in the gear's unit) rounded to a load the bar and plates make.

    Ties between two loadable totals go to the lighter. Never below the empty bar; a target
    over :data:`MAX_TOTAL` is refused.
    """
    if isinstance(target, bool) or not isinstance(target, int | float) or not math.isfinite(target):
        raise ValidationError(f"expected a finite load, got {target!r}", field="load")
    if target > MAX_TOTAL:
        raise ValidationError(f"{target:g} is more than a bar carries", field="load")
    bar = _units(gear.bar)
    want = _units(max(target, gear.bar)) - bar  # both sides together
    sizes = tuple(sorted({2 * _units(p) for p in gear.plates}))
    low, high = max(0, want - max(sizes)), want + max(sizes)
    window = (_reachable(sizes) >> low) & ((1 << (high - low + 1)) - 1)  # one shift, not many
    below = next(i for i in range(want, low - 1, -1) if _has(window, i - low))
    above = next(i for i in range(want, high + 1) if _has(window, i - low))
    if direction == "down":
        chosen = below
    elif direction == "up":
        chosen = above
    else:
        chosen = below if want - below <= above - want else above
    return (bar + chosen) / SCALE


def plates_per_side(total: float, gear: BarAndPlates) -> tuple[float, ...]:
    """The plates for one side of ``total`` (a loadable total), largest first, fewest plates
    by the greedy rule; a total the plates cannot make exactly is refused."""
    per_side = _units(total) - _units(gear.bar)
    if per_side < 0 or per_side % 2:
        raise ValidationError(f"{total:g} cannot be loaded on a {gear.bar:g} bar", "load")
    per_side //= 2
    sizes = sorted((_units(p) for p in gear.plates), reverse=True)
    reachable = _reachable(tuple(sorted(sizes)))
    if not _has(reachable, per_side):
        raise ValidationError(f"{total:g} cannot be made with these plates", field="load")
    out: list[float] = []
    left = per_side
    while left:  # largest plate that leaves a makeable remainder
        size = next(s for s in sizes if s <= left and _has(reachable, left - s))
        out.append(size / SCALE)
        left -= size
    return tuple(out)
