"""Velocity metrics of one set: the signal RepLog reads the nervous system from.

*Velocity loss* within a set is the percentage drop from the first (or the fastest) rep to
the last: ``100 * (v_ref - v_last) / v_ref`` (Sanchez-Medina & Gonzalez-Badillo 2011, Med
Sci Sports Exerc 43:1725, who showed it tracks metabolic and mechanical fatigue). RepLog's
default reference is the **first rep**, as in that paper and in Pareja-Blanco et al. 2017
(Scand J Med Sci Sports 27:724, training to 20% vs 40% loss); the loss from the fastest rep
is reported beside it because a lifter's second rep is often the fastest.

A *grinding* rep moves close to the lift's velocity at 1RM (the minimum velocity threshold,
MVT): within 25% or 0.07 m/s of it, whichever is closer, which is about the last rep or two
before failure for the big lifts (MVTs 0.15-0.30 m/s) without catching every rep of a lift
whose MVT is high (a row's ~0.50 m/s).

Reps in reserve from velocity: the set's first rep places today's lifter on their
load-velocity line (shifted by how much slower or faster than usual it moved); where that
line reaches the MVT is today's 1RM; the load's share of it gives the reps possible on the
RTS RPE chart (the scale lifters rate RPE on, read at RPE 10: rpe_chart.reps_to_failure),
and RIR is those minus the reps done. Velocity
at a given %1RM is stable within a lifter (Gonzalez-Badillo & Sanchez-Medina 2010), which is
what lets the first rep stand for the day's readiness.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from replog.core.errors import ReplogError
from replog.core.model import SetRecord
from replog.core.rpe_chart import reps_to_failure_unchecked

GRIND_FACTOR = 1.25
GRIND_MARGIN = 0.07  # m/s
MAX_RIR_ESTIMATE = 10.0


@dataclass(frozen=True, slots=True)
class SetVelocity:
    """Velocity summary of a set's measured reps (mean concentric velocity, m/s)."""

    n: int
    mean: float
    first: float
    best: float
    last: float
    slowest: float
    best_index: int  # the rep number of the fastest rep
    loss_pct: float  # from the first rep (RepLog's default)
    loss_from_best_pct: float


def set_velocity(s: SetRecord) -> SetVelocity | None:
    """The set's velocity summary, or None when no rep has a velocity."""
    reps = s.rep_data
    values = [r.mcv for r in reps if r.mcv is not None]
    if not values:
        return None
    first, last, best = values[0], values[-1], max(values)
    at = values.index(best)
    best_index = reps[at].index if len(values) == len(reps) else _rep_number(s, at)
    return SetVelocity(
        len(values),
        sum(values) / len(values),
        first,
        best,
        last,
        min(values),
        best_index,
        _loss(first, last),
        _loss(best, last),
    )


def _rep_number(s: SetRecord, position: int) -> int:
    """The rep number of the ``position``-th rep that has a velocity."""
    return [r.index for r in s.rep_data if r.mcv is not None][position]


def _loss(reference: float, last: float) -> float:
    return loss_pct(reference, last)


SLOWING_PCT = 10.0  # a rep this much slower than the first: the set is slowing
SLOW_PCT = 20.0  # this much: the limit most velocity-loss programmes stop at


def loss_pct(reference: float, value: float) -> float:
    """How much slower ``value`` is than ``reference`` (% of it; 0 for no reference): the
    one velocity-loss rule of RepLog, within a set and rep by rep."""
    return 0.0 if reference <= 0 else 100.0 * (reference - value) / reference


def loss_band(loss: float) -> str:
    """A rep's loss from the first as Drive colours it: ``fine`` under 10 %, ``slowing``
    to 20 %, ``slow`` past it."""
    return "slow" if loss > SLOW_PCT else "slowing" if loss > SLOWING_PCT else "fine"


def rep_losses(velocities: list[float]) -> list[float]:
    """Each rep's loss from the first rep (%), in order."""
    return [loss_pct(velocities[0], v) for v in velocities] if velocities else []


def grind_limit(mvt: float) -> float:
    return min(GRIND_FACTOR * mvt, mvt + GRIND_MARGIN)


def grinding_reps(s: SetRecord, mvt: float) -> list[int]:
    """Indexes of reps slower than :func:`grind_limit` of the lift's MVT."""
    limit = grind_limit(mvt)
    return [r.index for r in s.rep_data if r.mcv is not None and r.mcv < limit]


def rir_from_velocity(
    load_kg: float,
    reps: int,
    first_rep: float,
    expected_first_rep: float,
    mvt: float,
    load_at: Callable[[float], float],
) -> float | None:
    """Reps in reserve implied by the first rep's velocity (see the module docstring).

    ``expected_first_rep`` is what the lifter's model predicts at ``load_kg``;
    ``load_at(v)`` is the model's load for velocity ``v``.
    """
    shift = expected_first_rep - first_rep  # positive: slower than usual today
    try:
        todays_1rm = load_at(mvt + shift)
    except ReplogError:
        return None
    if not math.isfinite(todays_1rm) or todays_1rm <= 0 or load_kg <= 0:
        return None
    possible = reps_to_failure_unchecked(load_kg / todays_1rm)
    return max(0.0, min(MAX_RIR_ESTIMATE, possible - reps))


def dropoff_pct(reference_velocity: float, velocity: float) -> float:
    """How much slower ``velocity`` is than the reference, in percent (negative: faster)."""
    return _loss(reference_velocity, velocity)
