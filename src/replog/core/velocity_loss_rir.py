"""Reps in reserve from a set's velocity loss: the share of the possible reps already done.

Within a set to failure the loss of velocity from the fastest rep tracks the share of the
possible reps already done (%Rep) closely, and much the same at every load, particularly at
50-70 % 1RM: Gonzalez-Badillo, Yanez-Garcia, Mora-Custodio & Rodriguez-Rosell 2017 (Int J
Sports Med 38:217; bench press, 22 men, 50-85 % 1RM). Rodriguez-Rosell et al. 2020 (J
Strength Cond Res 34:2537; bench press and full back squat, 20 men, 50-80 % 1RM) compared the
two lifts and gave each its own relationship. With %Rep known and ``reps`` done,

    reps possible = reps / (%Rep / 100),   RIR = reps (100 / %Rep - 1).

Published equations (what RepLog could and could not find):

* **Bench press**, Gonzalez-Badillo et al. 2017, 50-70 % 1RM pooled:
  %Rep = -0.00855 VL^2 + 1.83311 VL + 5.55281 (VL in %). RepLog could not read the paper
  itself; these coefficients are from a secondary transcription (the LiftPod project's notes
  "RIR from repetitions and rep-speed trajectories", 2026), and the paper's R^2, SEE and
  tables were not available to check them. Treat the curve as a population prior with an
  error of about 7-10 % of the set: later bench press studies of the same relationship found
  a standard error of the estimate of 7-10 % (R^2 .83-.94; Sanchez-Moreno et al. 2024, Int J
  Sports Physiol Perform, doi 10.1123/ijspp.2024-0194) and lifters differing by a CV of 5-20 %
  in %Rep at a given loss (Int J Sports Physiol Perform, doi 10.1123/ijspp.2020-0214).
  :data:`BENCH_PRESS_2017` is used from 0 to 75 % loss (95 % of the set done at 75 %).
* **Back squat**: no equation or table from Rodriguez-Rosell et al. 2020 could be found, so
  there is no squat prior: :func:`percent_reps_done` refuses ``lift="squat"`` rather than
  borrow the bench press curve for a lift the paper treats separately.

The better answer in both lifts is the lifter's own curve (individual velocity-RIR
relationships predicted later back squat sessions better than general ones: Jukic et al.
2024, PMC10901726):
fit it with :func:`fit_velocity_loss_profile` from a few sets to failure, where every rep
after the first is one point (VL from the fastest rep so far, %Rep = rep number / reps in the
set), and pass it as ``profile``. Velocity loss is measured as
:func:`replog.core.velocity.loss_pct` does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from replog.core.errors import ValidationError

__all__ = [
    "BENCH_PRESS_2017",
    "VelocityLossProfile",
    "fit_velocity_loss_profile",
    "percent_reps_done",
    "rir_from_velocity_loss",
]

MIN_PROFILE_SETS = 2
MIN_SET_REPS = 4


@dataclass(frozen=True, slots=True)
class VelocityLossProfile:
    """%Rep = a + b VL + c VL^2 (VL and %Rep in %), valid for losses ``vl_low``..``vl_high``."""

    a: float
    b: float
    c: float
    vl_low: float
    vl_high: float
    source: str
    residual_se: float | None = None  # in % of the set; None for a published curve
    n: int = 0  # points (reps) the curve was fitted on; 0 for a published curve

    def percent_reps(self, velocity_loss_pct: float) -> float:
        vl = velocity_loss_pct
        return self.a + self.b * vl + self.c * vl * vl


BENCH_PRESS_2017 = VelocityLossProfile(
    a=5.55281,
    b=1.83311,
    c=-0.00855,
    vl_low=0.0,
    vl_high=75.0,
    source="Gonzalez-Badillo et al. 2017, Int J Sports Med 38:217 (bench press, 50-70 % 1RM; "
    "coefficients from a secondary transcription)",
)

PUBLISHED = {"bench_press": BENCH_PRESS_2017}
NOT_FOUND = {"squat", "back_squat"}


def _number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"expected a finite number, got {value!r}", field)
    return float(value)


def _profile(lift: str, profile: VelocityLossProfile | None) -> VelocityLossProfile:
    if profile is not None:
        return profile
    key = "_".join(lift.lower().replace("-", " ").split()) if isinstance(lift, str) else ""
    if key in PUBLISHED:
        return PUBLISHED[key]
    if key in NOT_FOUND:
        msg = (
            "no published velocity-loss equation for the squat was found (Rodriguez-Rosell et "
            "al. 2020 give it its own); fit the lifter's own profile"
        )
        raise ValidationError(msg, "lift")
    raise ValidationError(f"no velocity-loss curve for {lift!r}; give a profile", "lift")


def percent_reps_done(
    velocity_loss_pct: float,
    lift: str = "bench_press",
    *,
    profile: VelocityLossProfile | None = None,
) -> float:
    """% of the reps possible at the set's load already done when the set has lost
    ``velocity_loss_pct`` % of its fastest rep's velocity, by ``profile`` or the lift's
    published curve (module notes: bench press from Gonzalez-Badillo et al. 2017, no squat).
    Losses outside the curve's range are refused, not extrapolated."""
    curve = _profile(lift, profile)
    vl = _number(velocity_loss_pct, "velocity_loss_pct")
    if not curve.vl_low <= vl <= curve.vl_high:
        raise ValidationError(
            f"the curve covers {curve.vl_low:g}-{curve.vl_high:g} % loss, got {vl:g}",
            "velocity_loss_pct",
        )
    return min(100.0, max(0.0, curve.percent_reps(vl)))


def rir_from_velocity_loss(
    velocity_loss_pct: float,
    reps_done: int,
    lift: str = "bench_press",
    *,
    profile: VelocityLossProfile | None = None,
) -> float:
    """Reps in reserve after ``reps_done`` reps that lost ``velocity_loss_pct`` % of the
    set's fastest rep: reps_done (100 / %Rep - 1), %Rep from :func:`percent_reps_done`."""
    if isinstance(reps_done, bool) or not isinstance(reps_done, int) or reps_done < 1:
        raise ValidationError(f"expected a whole number of reps >= 1, got {reps_done!r}", "reps")
    share = percent_reps_done(velocity_loss_pct, lift, profile=profile)
    if share <= 0:
        raise ValidationError("the curve puts no reps done at this loss", "velocity_loss_pct")
    return reps_done * (100.0 / share - 1.0)


def fit_velocity_loss_profile(sets: Sequence[Sequence[float]]) -> VelocityLossProfile:
    """The lifter's own %Rep-velocity-loss curve from sets taken to failure.

    ``sets``: each set's rep velocities (m/s, any velocity measure used consistently), the
    last rep the last one completed. Every rep after the first gives one point: its loss
    from the fastest rep so far and %Rep = 100 x rep number / reps in the set (the first
    rep's loss is 0 by definition and says nothing of the curve). A quadratic in VL is fitted
    by least squares as in Gonzalez-Badillo et al. 2017. Needs 2 sets of at least 4 reps."""
    if len(sets) < MIN_PROFILE_SETS:
        raise ValidationError(f"need at least {MIN_PROFILE_SETS} sets to failure", "sets")
    losses: list[float] = []
    shares: list[float] = []
    for i, velocities in enumerate(sets):
        if len(velocities) < MIN_SET_REPS:
            raise ValidationError(f"need at least {MIN_SET_REPS} reps a set", f"sets[{i}]")
        best = 0.0
        for j, v in enumerate(velocities):
            speed = _number(v, f"sets[{i}][{j}]")
            if speed <= 0:
                raise ValidationError(f"a velocity must be above 0, got {speed:g}", f"sets[{i}]")
            best = max(best, speed)
            if j > 0:
                losses.append(100.0 * (best - speed) / best)
                shares.append(100.0 * (j + 1) / len(velocities))
    x, y = np.asarray(losses), np.asarray(shares)
    if len(set(np.round(x, 9))) < 3:
        raise ValidationError("the reps lost too few distinct amounts of velocity", "sets")
    design = np.column_stack([np.ones_like(x), x, x * x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    dof = x.size - 3
    se = math.sqrt(float(resid @ resid) / dof) if dof > 0 else None
    a, b, c = (float(v) for v in coef)
    return VelocityLossProfile(
        a, b, c, float(x.min()), float(x.max()), "fitted", residual_se=se, n=int(x.size)
    )
