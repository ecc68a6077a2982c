"""Velocity metrics of one set: the signal RepLog reads the nervous system from.

*Velocity loss* within a set is the percentage drop from the first (or the fastest) rep to
the last: ``100 * (v_ref - v_last) / v_ref`` (Sanchez-Medina & Gonzalez-Badillo 2011, Med
Sci Sports Exerc 43:1725, who showed it tracks metabolic and mechanical fatigue). RepLog's
default reference is the **first rep**, as in that paper and in Pareja-Blanco et al. 2017
(Scand J Med Sci Sports 27:724, training to 20% vs 40% loss); the loss from the fastest rep
is reported beside it because a lifter's second rep is often the fastest.

A *grinding* rep moves close to the lift's velocity at 1RM (the minimum velocity threshold,
MVT): RepLog flags reps slower than ``GRIND_FACTOR * MVT`` (1.25 x: within roughly the last
rep or two before failure for the big lifts, whose MVTs are 0.15-0.30 m/s).

Reps in reserve from velocity: the last rep's distance to the MVT divided by how much
velocity the set lost per rep, ``(v_last - MVT) / ((v_first - v_last) / (n - 1))``. Velocity
falls almost linearly across a set taken towards failure (Gonzalez-Badillo et al. 2017,
Int J Sports Med 38:217; Moran-Navarro et al. 2019), so the line reaches the MVT about that
many reps later. It needs at least three reps and a measurable slope.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from replog.core.model import SetRecord

GRIND_FACTOR = 1.25
MIN_LOSS_PER_REP = 0.005  # m/s; below this the set shows no measurable slope
MAX_RIR_ESTIMATE = 10.0


@dataclass(frozen=True, slots=True)
class SetVelocity:
    """Velocity summary of a set's measured reps (mean concentric velocity, m/s)."""

    n: int
    mean: float
    first: float
    best: float
    last: float
    best_index: int
    loss_pct: float  # from the first rep (RepLog's default)
    loss_from_best_pct: float


def set_velocity(s: SetRecord) -> SetVelocity | None:
    """The set's velocity summary, or None when no rep has a velocity."""
    reps = [(r.index, r.mcv) for r in s.rep_data if r.mcv is not None]
    if not reps:
        return None
    values = [v for _, v in reps]
    first, last = values[0], values[-1]
    best_i = max(range(len(values)), key=values.__getitem__)
    best = values[best_i]
    return SetVelocity(
        n=len(values),
        mean=math.fsum(values) / len(values),
        first=first,
        best=best,
        last=last,
        best_index=reps[best_i][0],
        loss_pct=_loss(first, last),
        loss_from_best_pct=_loss(best, last),
    )


def _loss(reference: float, last: float) -> float:
    return 0.0 if reference <= 0 else 100.0 * (reference - last) / reference


def grinding_reps(s: SetRecord, mvt: float) -> list[int]:
    """Indexes of reps slower than ``GRIND_FACTOR`` x the lift's MVT."""
    limit = GRIND_FACTOR * mvt
    return [r.index for r in s.rep_data if r.mcv is not None and r.mcv < limit]


def rir_from_velocity(s: SetRecord, mvt: float) -> float | None:
    """Reps in reserve implied by the set's velocity decline (None when it cannot tell)."""
    values = [r.mcv for r in s.rep_data if r.mcv is not None]
    if len(values) < 3 or len(values) != s.reps:
        return None
    per_rep = (values[0] - values[-1]) / (len(values) - 1)
    if per_rep < MIN_LOSS_PER_REP:
        return None
    return max(0.0, min(MAX_RIR_ESTIMATE, (values[-1] - mvt) / per_rep))


def dropoff_pct(reference_velocity: float, velocity: float) -> float:
    """How much slower ``velocity`` is than the reference, in percent (negative: faster)."""
    return _loss(reference_velocity, velocity)
