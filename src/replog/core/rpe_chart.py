"""The RTS RPE chart: what fraction of the 1RM a set of ``reps`` at a given RPE was.

Source: Mike Tuchscherer's RPE chart (Reactive Training Systems; *The Reactive Training
Manual*, 2008, and "Customizing your RPE chart", articles.reactivetrainingsystems.com,
2016-01-06). It covers sets of 1 to 12 reps at RPE 6.5 to 10 in half points, on the
reps-in-reserve reading of RPE (Zourdos et al. 2016, J Strength Cond Res 30:267; Helms et
al. 2016, Strength Cond J 38:42): RPE = 10 - RIR. The published chart is an image; the
values in :data:`RTS_CHART` are the ones most public transcriptions agree on (several
independent open-source calculators carry the same 96 cells; a few differ in single cells,
e.g. 11 reps @ 10 as 71.7 instead of 70.7), checked against the chart's own structure:
each cell depends only on the reps the lifter could have done in all, ``reps + RIR``, so
the chart is one decreasing sequence read along its diagonals (5 @ 8 = 7 @ 10 = 81.1%;
half points sit between whole ones: 1 @ 9.5 = 97.8%).

Beyond 12 reps the chart has no values. RepLog reads them off the same diagonals while
``reps + RIR`` is within the chart (13 @ 9 = 12 @ 8 = 62.6%), and past its last diagonal
(``reps + RIR`` > 15.5, e.g. 13 @ 7) extends it with the modified-Epley reps-max model of
Jovanovic's STMr package, %1RM = 1 / (1 + kmod (reps + RIR - 1)), whose one parameter is set
from the chart itself so that the model passes through the chart's last cell (12 reps @ 6.5,
58.6%): kmod = (1 / 0.586 - 1) / 14.5 = 0.04872. The extension is continuous with the chart
and keeps falling with reps, but it is an extrapolation (about 41% of 1RM for 30 reps at
RPE 10) and no published value backs it. Sets of more than 30 reps are refused.

Errors are :class:`~replog.core.errors.ValidationError` naming the argument; no function here
returns a number for input it cannot honestly answer. The small ``require_*`` checkers are
shared with :mod:`replog.core.strength`.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from decimal import Decimal
from numbers import Integral, Real

from replog.core.errors import ValidationError

RTS_CHART: dict[float, tuple[float, ...]] = {
    # RPE: %1RM for 1, 2, ..., 12 reps
    10.0: (100.0, 95.5, 92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0),
    9.5: (97.8, 93.9, 90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7),
    9.0: (95.5, 92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3),
    8.5: (93.9, 90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7, 64.0),
    8.0: (92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3, 62.6),
    7.5: (90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7, 64.0, 61.3),
    7.0: (89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3, 62.6, 59.9),
    6.5: (87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7, 64.0, 61.3, 58.6),
}
"""The published chart in percent of 1RM, by RPE, then reps (index 0 is one rep)."""

CHART_MIN_RPE = 6.5
MAX_REPS = 30
"""Longest set the chart (with its extension) answers for."""


def _diagonals() -> dict[float, float]:
    """The chart as one sequence: %1RM by reps + RIR (1, 1.5, ..., 15.5)."""
    out: dict[float, float] = {}
    for rpe, row in RTS_CHART.items():
        for index, percent in enumerate(row):
            out.setdefault(index + 1 + 10.0 - rpe, percent)
    return out


_BY_REPS_IN_TOTAL = _diagonals()
_LAST_TOTAL = max(_BY_REPS_IN_TOTAL)  # 15.5: 12 reps at RPE 6.5
TAIL_KMOD = (100.0 / _BY_REPS_IN_TOTAL[_LAST_TOTAL] - 1.0) / (_LAST_TOTAL - 1.0)
"""Modified-Epley parameter of the extension past the chart (about 0.04872)."""


def require_number(value: object, field: str) -> float:
    """``value`` as a finite float; booleans, text and NaN/infinity are refused."""
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise ValidationError(f"expected a number, got {value!r}", field=field)
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError(f"expected a finite number, got {value!r}", field=field)
    return number


def require_load(value: object, field: str) -> float:
    """A load or an e1RM: a finite number above zero."""
    load = require_number(value, field)
    if load <= 0:
        raise ValidationError(f"must be above 0, got {load:g}", field=field)
    return load


def require_reps(value: object, field: str, high: float, *, whole: bool = True) -> float:
    """A rep count from 1 to ``high``; whole unless ``whole`` is false."""
    if whole and (isinstance(value, bool) or not isinstance(value, Integral)):
        raise ValidationError(f"expected a whole number of reps, got {value!r}", field=field)
    reps = require_number(value, field)
    if not 1 <= reps <= high:
        raise ValidationError(f"must be between 1 and {high:g} reps, got {reps:g}", field=field)
    return reps


def chart_rir(rpe: float | None, rir: float | None) -> float:
    """The reps in reserve the chart reads, from an RPE or an RIR (RPE = 10 - RIR).

    Both may be given if they agree. The chart covers RPE 6.5 to 10 in half points, so RIR
    0 to 3.5 in half reps; anything else is refused rather than guessed.
    """
    if rpe is None and rir is None:
        raise ValidationError("give an RPE (6.5 to 10) or an RIR (0 to 3.5)", field="rpe")
    from_rpe = None if rpe is None else 10.0 - _chart_rpe(rpe)
    if rir is None and from_rpe is not None:
        return from_rpe
    from_rir = require_number(rir, "rir")
    if from_rir < 0:
        raise ValidationError(f"reps in reserve cannot be negative, got {from_rir:g}", "rir")
    if from_rir > 10 - CHART_MIN_RPE or not _half_step(from_rir):
        raise ValidationError(
            f"the RTS chart covers RIR 0 to 3.5 in half reps, got {from_rir:g}", "rir"
        )
    if from_rpe is not None and from_rpe != from_rir:
        raise ValidationError(
            f"RPE {10 - from_rpe:g} and RIR {from_rir:g} disagree (RPE = 10 - RIR); give one",
            "rir",
        )
    return from_rir


def _half_step(value: float) -> bool:
    return value * 2 == int(value * 2)


def _chart_rpe(rpe: object) -> float:
    value = require_number(rpe, "rpe")
    if not CHART_MIN_RPE <= value <= 10 or not _half_step(value):
        raise ValidationError(
            f"the RTS chart covers RPE 6.5 to 10 in half points, got {value:g}", "rpe"
        )
    return value


def rpe_percent(reps: int, rpe: float | None = None, *, rir: float | None = None) -> float:
    """Fraction of the 1RM that ``reps`` at ``rpe`` (or ``rir``) represents: 5 @ 8 -> 0.811.

    Exactly the published chart for 1 to 12 reps; 13 to 30 reps come from the chart's
    diagonals and then the modified-Epley extension described in the module docstring.
    """
    n = require_reps(reps, "reps", MAX_REPS)
    in_total = n + chart_rir(rpe, rir)
    if in_total <= _LAST_TOTAL:
        return _BY_REPS_IN_TOTAL[in_total] / 100.0
    return 1.0 / (1.0 + TAIL_KMOD * (in_total - 1.0))


def e1rm_rpe(
    load_kg: float, reps: int, rpe: float | None = None, *, rir: float | None = None
) -> float:
    """Estimated 1RM from a set on the RTS chart: 100 kg x 5 @ 8 -> 123.3 kg.

    The result is in the load's unit (kilograms by convention here).
    """
    load = require_load(load_kg, "load_kg")
    return load / rpe_percent(reps, rpe, rir=rir)


def load_for(
    e1rm_kg: float, reps: int, rpe: float | None = None, *, rir: float | None = None
) -> float:
    """The load for ``reps`` at ``rpe`` (or ``rir``) from an e1RM; inverse of :func:`e1rm_rpe`.

    Not rounded to plates: see :func:`replog.core.units.round_to_increment`.
    """
    e1rm = require_load(e1rm_kg, "e1rm_kg")
    return e1rm * rpe_percent(reps, rpe, rir=rir)


_TOTALS = sorted(_BY_REPS_IN_TOTAL)
_PERCENTS_DESC = [_BY_REPS_IN_TOTAL[t] for t in _TOTALS]
_NEG_PERCENTS = [-p for p in _PERCENTS_DESC]


def reps_to_failure(fraction_1rm: float) -> float:
    """How many reps a lifter could do at ``fraction_1rm`` of their 1RM, on the chart.

    The inverse of the chart's RPE-10 reading: linear between its diagonals, then the
    modified-Epley extension; 1.0 (or more) is a single, and below the extension's 30 reps
    the answer is capped at 30.
    """
    p = require_number(fraction_1rm, "fraction_1rm")
    if p <= 0:
        raise ValidationError(f"a share of 1RM must be positive, got {p:g}", "fraction_1rm")
    return reps_to_failure_unchecked(p)


def reps_to_failure_unchecked(fraction_1rm: float) -> float:
    """:func:`reps_to_failure` for a positive float computed by the caller (the hot path)."""
    p = 100.0 * fraction_1rm
    if p >= 100.0:
        return 1.0
    if p < _PERCENTS_DESC[-1]:
        return min(float(MAX_REPS), 1.0 + (100.0 / p - 1.0) / TAIL_KMOD)
    # the percents fall as the totals rise: bisect on their negatives, which rise
    i = bisect_left(_NEG_PERCENTS, -p)
    if i == 0:
        return _TOTALS[0]
    low, high = _TOTALS[i - 1], _TOTALS[i]
    p_low, p_high = _PERCENTS_DESC[i - 1], _PERCENTS_DESC[i]
    return low + (high - low) * (p_low - p) / (p_low - p_high)
