"""What the CNS battery (:mod:`replog.core.readiness`) means for the next session, and its trend.

Advice (:func:`advise`) by score band: >= 80 "go" (train as planned, a PAP primer is fine),
65-79 "steady" (same loads, RPE cap 8.5), 45-64 "easy" (~5 % off, RPE cap 8, no primer),
< 45 "rest" (~10 % off, RPE cap 7, no primer, technique work only if anything). The bands
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

:func:`trend`: mean of the last ``days`` days (counted back from the latest score), of the
same span before, and the least-squares slope over the recent span; "flat" under 0.5 points
a day (3.5 points over a week, less than one wellness step worse than usual: 6 points).
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
FLAT_SLOPE = 0.5  # points per day

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


@dataclass(frozen=True, slots=True)
class Advice:
    level: str  # "go" | "steady" | "easy" | "rest"
    load_change_pct: float  # <= 0, on the working loads
    rpe_cap: float | None
    skip_primer: bool
    text: str


@dataclass(frozen=True, slots=True)
class Trend:
    mean_recent: float | None
    mean_before: float | None  # the same number of days just before; None without scores
    slope_per_day: float | None  # None under 2 distinct days
    direction: str  # "rising" | "falling" | "flat"


def number(value: object, field: str, *, low: float = 0.0, strict: bool = True) -> float:
    """``value`` as a float, refusing bools, non-numbers, NaN, infinities and values at or
    below ``low`` (below it with ``strict=False``)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or (value <= low if strict else value < low):  # type: ignore[operator]
        sign = ">" if strict else ">="
        raise ValidationError(f"expected a finite number {sign} {low:g}, got {value!r}", field)
    return float(value)  # type: ignore[arg-type]


def advise(score: int, slower_by_pct: float | None = None) -> Advice:
    """The advice for a battery ``score``; ``slower_by_pct``: how much slower than usual the
    warm-up moved, when it was beyond the noise band (the warm-up verdict "slower")."""
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


def trend(scores: Sequence[tuple[date, int]], days: int = 7) -> Trend:
    """How the battery has been moving over the last ``days`` days (see the module's note)."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 2:
        raise ValidationError(f"days must be a whole number >= 2, got {days!r}", "days")
    for _, s in scores:
        if number(s, "score", strict=False) > 100:
            raise ValidationError(f"a score is 0-100, got {s!r}", "score")
    if not scores:
        return Trend(None, None, None, "flat")
    last = max(d for d, _ in scores)
    recent = [(float((d - last).days), float(s)) for d, s in scores if (last - d).days < days]
    before = [float(s) for d, s in scores if days <= (last - d).days < 2 * days]
    xs, ys = [x for x, _ in recent], [y for _, y in recent]
    slope = None
    if len(set(xs)) >= 2:
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in recent) / sxx
    direction = "flat"
    if slope is not None and abs(slope) >= FLAT_SLOPE:
        direction = "rising" if slope > 0 else "falling"
    mean_before = statistics.fmean(before) if before else None
    return Trend(statistics.fmean(ys), mean_before, slope, direction)
