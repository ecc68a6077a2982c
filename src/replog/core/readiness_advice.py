"""What the CNS battery (:mod:`replog.core.readiness`) means for the next session, and its trend.

Advice (:func:`advise`) by score band: >= 80 "go" (train as planned, a PAP primer is fine),
65-79 "steady" (same loads, RPE cap 8.5), 45-64 "easy" (~5 % off, RPE cap 8, no primer),
< 45 "rest" (~10 % off, RPE cap 7, no primer, technique work only if anything); without a
score (no reading: nothing to read that day) "none", which changes nothing and says so
rather than inventing a "go". The bands
sit so that one short night or one sore day alone stays "go", two or three drains together
reach "steady", and a clearly slower warm-up or a bad night stacked on more reaches "easy".

A warm-up measurably slower than usual makes the day at least "easy" and cuts the working
load by at least its velocity deficit, at most 10 %. Why: take the lifter's linear
load-velocity line from v0 (no load) to v1 (at 1RM). If today the lifter is uniformly weaker
by a share s (each load moves like a load s heavier on a usual day), today's 1RM is lower by
s, and at a warm-up at a share p of 1RM the velocity is lower by d = s p (v0 - v1) / v(p):
about 0.7 s at p = 0.5 for a line from 1.8 to 0.3 m/s, so d understates s. If instead the
whole line moves down in parallel, 1RM falls by only d v(p) / (v0 - v1), about 0.7 d. A cut
of d lies between the two readings of "slower", about the share of today's 1RM that is
missing. Past 10 % the day is better spent on technique than on a recalculated heavy session.

:func:`apply_advice` rounds the adjusted load down to the plates, so it never adds weight.

:func:`trend` reads exactly the series a surface shows (days without a reading are None and
count for nothing): the latest reading against the reading before it and against the median
of all the readings before it (a median, so one planted bad night does not make every
ordinary day after it "rising"); the larger of the two moves names the direction, so a fall
from 94 to 67 is "falling" even after a week of climbing, and a week that sank to 60 is
still "falling" when today edges up to 62. Moves under 5 points are "flat" (less than one
wellness step worse than usual, 6 points); with fewer than two readings there is no trend.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from replog.core.errors import ValidationError

BANDS = ((80, "go"), (65, "steady"), (45, "easy"), (0, "rest"))
MAX_VELOCITY_CUT = 10.0  # %
FLAT_POINTS = 5.0  # a smaller move of the battery is "flat"

# level: (load change %, RPE cap, skip the PAP primer, what to do)
LEVELS: dict[str, tuple[float, float | None, bool, str]] = {
    "go": (0.0, None, False, "go for it: train as planned; a PAP primer is fine"),
    "steady": (0.0, 8.5, False, "steady: keep the planned loads and stop sets at RPE 8.5"),
    "easy": (-5.0, 8.0, True, "easy: take ~5 % off the working loads, cap RPE at 8, no primer"),
    "rest": (
        -10.0,
        7.0,
        True,
        "rest: take ~10 % off, cap RPE at 7, no primer; consider technique work only",
    ),
}
_ORDER = list(LEVELS)
NO_READING_TEXT = "no reading yet: nothing to adjust, so the plan stays as written"


@dataclass(frozen=True, slots=True)
class Advice:
    level: str  # "go" | "steady" | "easy" | "rest", or "none" without a reading
    load_change_pct: float  # <= 0, on the working loads
    rpe_cap: float | None
    skip_primer: bool
    text: str


@dataclass(frozen=True, slots=True)
class Trend:
    """The direction of the battery over the days shown, from those very figures."""

    days: tuple[tuple[date, int | None], ...]  # the series shown, oldest first; None: no reading
    direction: str  # "rising" | "falling" | "flat" | "none" (fewer than two readings)
    latest: int | None  # the last reading in ``days``
    previous: int | None  # the reading before it
    usual: float | None  # the median of every reading before it
    change: float | None  # the move that names the direction (latest - previous or - usual)
    text: str  # the direction and why, in words


def number(value: object, field: str, *, low: float = 0.0, strict: bool = True) -> float:
    """``value`` as a float, refusing bools, non-numbers, NaN, infinities and values at or
    below ``low`` (below it with ``strict=False``)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or (value <= low if strict else value < low):  # type: ignore[operator]
        sign = ">" if strict else ">="
        raise ValidationError(f"expected a finite number {sign} {low:g}, got {value!r}", field)
    return float(value)  # type: ignore[arg-type]


def advise(score: int | None, slower_by_pct: float | None = None) -> Advice:
    """The advice for a battery ``score`` (None: no reading, advice "none", no change);
    ``slower_by_pct``: how much slower than usual the warm-up moved, when it was beyond the
    noise band (the warm-up verdict "slower")."""
    if score is None:
        return Advice("none", 0.0, None, False, NO_READING_TEXT)
    level = next(name for low, name in BANDS if score >= low)
    change, cap, skip, text = LEVELS[level]
    if slower_by_pct is not None and slower_by_pct > 0:
        if _ORDER.index(level) < _ORDER.index("easy"):
            level = "easy"
            change, cap, skip, text = LEVELS[level]
        text += f"; the warm-up moved {slower_by_pct:.0f} % slower than usual"
        cut = (
            math.ceil(min(MAX_VELOCITY_CUT, slower_by_pct) * 10 - 1e-9) / 10
        )  # never under the deficit
        if -cut < change:
            change = -cut
            text += f", so the working loads come down {cut:g} %"
    return Advice(level, change, cap, skip, text)


def apply_advice(load_kg: float, advice: Advice, increment_kg: float = 2.5) -> float:
    """The working load (kg) after ``advice``, rounded down to the plates: never heavier."""
    load = number(load_kg, "load_kg", strict=False)
    step = number(increment_kg, "increment")
    target = load * (1 + min(0.0, advice.load_change_pct) / 100)
    plates = math.floor(target / step + 1e-9)  # the 1e-9 keeps 40 x 2.5 from becoming 39
    while plates > 0 and plates * step > load:
        plates -= 1
    return round(plates * step, 6)


def trend(series: Sequence[tuple[date, int | None]]) -> Trend:
    """The direction of the battery over ``series``: (day, score or None), the days a
    surface shows, in any order (see the module's note)."""
    days = tuple(sorted(series, key=lambda p: p[0]))
    for _, s in days:
        if s is not None and number(s, "score", strict=False) > 100:
            raise ValidationError(f"a score is 0-100, got {s!r}", "score")
    readings = [s for _, s in days if s is not None]
    if len(readings) < 2:
        text = "no trend: no reading yet" if not readings else "no trend: one reading so far"
        latest = readings[-1] if readings else None
        return Trend(days, "none", latest, None, None, None, text)
    *before, latest = readings
    previous, usual = before[-1], float(statistics.median(before))
    by_last, by_usual = latest - previous, latest - usual
    change = by_last if abs(by_last) >= abs(by_usual) else by_usual
    if abs(change) < FLAT_POINTS:
        direction = "flat"
        text = (
            f"flat: {latest} is within {FLAT_POINTS:g} points of the reading before "
            f"({previous}) and of the median before it ({usual:g})"
        )
    else:
        direction = "rising" if change > 0 else "falling"
        side = "over" if change > 0 else "under"
        what = (
            f"the reading before ({previous})"
            if change == by_last
            else f"the median of the {len(before)} readings before it ({usual:g})"
        )
        text = f"{direction}: {latest} is {abs(change):g} {side} {what}"
    return Trend(days, direction, latest, previous, usual, float(change), text)
