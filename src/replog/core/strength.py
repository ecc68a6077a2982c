"""Strength estimates from what was lifted: e1RM formulas, reps-max models, the RPE chart.

Three families, all pure and all refusing input they cannot answer honestly (a
:class:`~replog.core.errors.ValidationError` naming the argument, never NaN or a guess):

* **Classic e1RM formulas** (:data:`E1RM_FORMULAS`, :func:`e1rm`, :func:`load_for_reps`):
  regressions of the 1RM on a load lifted for ``reps`` *to failure*, as compared by LeSuer
  et al. 1997 (J Strength Cond Res 11:211). Each takes reps to failure from 1 to
  :data:`MAX_FORMULA_REPS` (30), not necessarily whole: a set stopped short is
  ``reps + RIR`` reps to failure. Most were fitted on sets of about 10 reps or fewer and
  grow less trustworthy beyond; Brzycki's divides by zero at 37 reps and Lander's at 37.9,
  past the 30 allowed. A single is its own 1RM: every formula returns the load at one rep,
  as :func:`e1rm_epley` always has, although most regressions would not (Mayhew's puts a
  single at 91.9% of the 1RM).
* **Reps-max models** as in Mladen Jovanovic's STMr R package (*Strength Training Manual
  R-functions*, CRAN; functions ``max_perc_1RM_*``, ``max_reps_*``, ``adj_perc_1RM_RIR``):
  %1RM as a function of reps to failure, ``n = reps + RIR``, with STMr's defaults:

  - Epley: %1RM = 1 / (1 + k n), k = 0.0333
  - modified Epley: %1RM = 1 / (1 + kmod (n - 1)), kmod = 0.0353 (100% at one rep)
  - linear (Brzycki-like): %1RM = (klin - n + 1) / klin, klin = 33

  :func:`percent_1rm` and :func:`max_reps` are exact inverses; reps run from 1 to 30 and
  RIR from 0 to 10, and the linear model stops short of zero load (n < klin + 1).
* **The RTS RPE chart** lives in :mod:`replog.core.rpe_chart` and is re-exported here:
  :func:`rpe_percent`, :func:`e1rm_rpe`, :func:`load_for`.

Loads are in kilograms by convention, but every function is unit-free: the result is in the
unit of the load given.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from replog.core.errors import ValidationError
from replog.core.rpe_chart import (
    RTS_CHART,
    e1rm_rpe,
    load_for,
    require_load,
    require_number,
    require_reps,
    rpe_percent,
)

__all__ = [
    "E1RM_FORMULAS",
    "MAX_FORMULA_REPS",
    "REPS_MAX_MODELS",
    "RTS_CHART",
    "brzycki",
    "e1rm",
    "e1rm_epley",
    "e1rm_reps_rir",
    "e1rm_rpe",
    "epley",
    "formula_name",
    "lander",
    "load_for",
    "load_for_reps",
    "lombardi",
    "max_reps",
    "mayhew",
    "oconner",
    "percent_1rm",
    "rpe_percent",
    "wathan",
]

MAX_FORMULA_REPS = 30
MODEL_MAX_REPS = 30
MODEL_MAX_RIR = 10.0


def e1rm_epley(load_kg: float, reps: float) -> float:
    """Epley's e1RM in the load's unit; 0 for a set of no reps.

    The lenient original kept for personal records: no checks, 0 for no reps. New code should
    prefer :func:`epley` (same numbers, refuses bad input).
    """
    if reps <= 0:
        return 0.0
    if reps == 1:
        return load_kg
    return load_kg * (1 + reps / 30)


def _estimate(load_kg: float, reps: float, factor: Callable[[float], float]) -> float:
    load = require_load(load_kg, "load_kg")
    n = require_reps(reps, "reps", MAX_FORMULA_REPS, whole=False)
    return load if n == 1 else load * factor(n)


def epley(load_kg: float, reps: float) -> float:
    """Epley: 1RM = w (1 + r / 30) (Epley B. *Poundage chart*. Boyd Epley Workout, 1985).

    Unbounded in reps; 100 kg x 10 -> 133.3 kg.
    """
    return _estimate(load_kg, reps, lambda r: 1 + r / 30)


def brzycki(load_kg: float, reps: float) -> float:
    """Brzycki: 1RM = w 36 / (37 - r) (Brzycki M. Strength testing: predicting a one-rep max
    from reps-to-fatigue. J Phys Educ Recreat Dance 1993;64(1):88-90).

    Meant for up to 10 reps; infinite at 37 and negative beyond. 100 kg x 10 -> 133.3 kg.
    """
    return _estimate(load_kg, reps, lambda r: 36 / (37 - r))


def lander(load_kg: float, reps: float) -> float:
    """Lander: 1RM = 100 w / (101.3 - 2.67123 r) (Lander J. Maximums based on reps.
    Natl Strength Cond Assoc J 1985;6:60-61).

    Infinite at 37.9 reps. 100 kg x 10 -> 134.1 kg.
    """
    return _estimate(load_kg, reps, lambda r: 100 / (101.3 - 2.67123 * r))


def lombardi(load_kg: float, reps: float) -> float:
    """Lombardi: 1RM = w r^0.10 (Lombardi VP. *Beginning Weight Training*. Dubuque, IA:
    W.C. Brown, 1989).

    Rises ever more slowly with reps. 100 kg x 10 -> 125.9 kg.
    """
    return _estimate(load_kg, reps, lambda r: float(r**0.10))


def mayhew(load_kg: float, reps: float) -> float:
    """Mayhew et al.: 1RM = 100 w / (52.2 + 41.9 e^(-0.055 r)) (Mayhew JL, Ball TE, Arnold MD,
    Bowen JC. Relative muscular endurance performance as a predictor of bench press strength
    in college men and women. J Appl Sport Sci Res 1992;6(4):200-206).

    Levels off at 1.92 w for long sets. 100 kg x 10 -> 130.9 kg.
    """
    return _estimate(load_kg, reps, lambda r: 100 / (52.2 + 41.9 * math.exp(-0.055 * r)))


def oconner(load_kg: float, reps: float) -> float:
    """O'Conner et al.: 1RM = w (1 + 0.025 r) (O'Conner B, Simmons J, O'Shea P. *Weight
    Training Today*. St Paul, MN: West Publishing, 1989).

    The most conservative of the linear ones. 100 kg x 10 -> 125.0 kg.
    """
    return _estimate(load_kg, reps, lambda r: 1 + 0.025 * r)


def wathan(load_kg: float, reps: float) -> float:
    """Wathan (Dan Wathen): 1RM = 100 w / (48.8 + 53.8 e^(-0.075 r)) (Wathen D. Load
    assignment. In: Baechle TR, ed. *Essentials of Strength Training and Conditioning*.
    Champaign, IL: Human Kinetics, 1994:435-446).

    Levels off at 2.05 w for long sets. 100 kg x 10 -> 134.7 kg.
    """
    return _estimate(load_kg, reps, lambda r: 100 / (48.8 + 53.8 * math.exp(-0.075 * r)))


E1RM_FORMULAS: dict[str, Callable[[float, float], float]] = {
    "epley": epley,
    "brzycki": brzycki,
    "lander": lander,
    "lombardi": lombardi,
    "mayhew": mayhew,
    "oconner": oconner,
    "wathan": wathan,
}
"""Every classic formula by name: ``(load, reps to failure) -> e1RM`` in the load's unit."""

_FORMULA_ALIASES = {"wathen": "wathan", "oconnor": "oconner"}


def formula_name(name: str) -> str:
    """The key of :data:`E1RM_FORMULAS` meant by ``name`` ("O'Conner" -> "oconner")."""
    text: object = name
    if not isinstance(text, str):
        raise ValidationError(f"expected a formula name, got {name!r}", field="formula")
    key = "".join(c for c in text.lower() if c not in " '-_.")
    key = _FORMULA_ALIASES.get(key, key)
    if key not in E1RM_FORMULAS:
        known = ", ".join(E1RM_FORMULAS)
        raise ValidationError(f"unknown formula {name!r}; one of {known}", field="formula")
    return key


def e1rm(load_kg: float, reps: float, formula: str = "epley") -> float:
    """Estimated 1RM from ``load_kg`` lifted for ``reps`` to failure with a classic formula."""
    return E1RM_FORMULAS[formula_name(formula)](load_kg, reps)


def load_for_reps(e1rm_kg: float, reps: float, formula: str = "epley") -> float:
    """The load that ``formula`` says can be lifted for ``reps`` to failure: the inverse of
    :func:`e1rm`, so ``load_for_reps(e1rm(w, r, f), r, f) == w``."""
    fn = E1RM_FORMULAS[formula_name(formula)]
    target = require_load(e1rm_kg, "e1rm_kg")
    return target / fn(1.0, reps)


# --- reps-max models (STMr) ---------------------------------------------------------------

REPS_MAX_MODELS: dict[str, tuple[str, float]] = {
    "epley": ("k", 0.0333),
    "modified_epley": ("kmod", 0.0353),
    "linear": ("klin", 33.0),
}
"""Model name -> (its parameter, STMr's default value)."""


def _model(model: str, params: dict[str, float]) -> tuple[str, float]:
    text: object = model
    key = "_".join(text.lower().replace("-", " ").split()) if isinstance(text, str) else ""
    if key not in REPS_MAX_MODELS:
        known = ", ".join(REPS_MAX_MODELS)
        raise ValidationError(f"unknown reps-max model {model!r}; one of {known}", "model")
    name, default = REPS_MAX_MODELS[key]
    for other in params:
        if other != name:
            raise ValidationError(f"the {key} model takes only {name}, not {other}", other)
    value = require_number(params.get(name, default), name)
    if value <= 0:
        raise ValidationError(f"must be above 0, got {value:g}", name)
    return key, value


def percent_1rm(reps: float, rir: float = 0.0, model: str = "epley", **params: float) -> float:
    """Fraction of 1RM that allows ``reps`` with ``rir`` left in reserve (STMr models).

    ``percent_1rm(5, 2)`` is the Epley model at 7 reps to failure: 1 / (1 + 0.0333 * 7).
    Pass ``k``, ``kmod`` or ``klin`` to use your own parameter.
    """
    key, param = _model(model, params)
    n = require_reps(reps, "reps", MODEL_MAX_REPS, whole=False) + _rir(rir)
    if key == "epley":
        return 1.0 / (1.0 + param * n)
    if key == "modified_epley":
        return 1.0 / (1.0 + param * (n - 1.0))
    if n >= param + 1:
        raise ValidationError(
            f"reps + RIR = {n:g} is outside the linear model (below klin + 1 = {param + 1:g})",
            "reps",
        )
    return (param - n + 1.0) / param


def max_reps(
    percent_1rm: float, model: str = "epley", *, rir: float = 0.0, **params: float
) -> float:
    """Reps that can be done at ``percent_1rm`` leaving ``rir`` in reserve: the inverse of
    :func:`percent_1rm`, so ``max_reps(percent_1rm(r, q), rir=q) == r``.

    Not rounded: 0.85 gives 5.3 reps with Epley's model. Loads that allow more than 40 reps to
    failure are outside the models, and a load too heavy to leave ``rir`` in reserve is an
    error rather than a negative count.
    """
    key, param = _model(model, params)
    p = require_number(percent_1rm, "percent_1rm")
    if not 0 < p <= 1:
        raise ValidationError(f"must be a fraction of 1RM in (0, 1], got {p:g}", "percent_1rm")
    reserve = _rir(rir)
    if key == "epley":
        n = (1.0 - p) / (param * p)
    elif key == "modified_epley":
        n = 1.0 + (1.0 - p) / (param * p)
    else:
        n = (1.0 - p) * param + 1.0
    if n > MODEL_MAX_REPS + MODEL_MAX_RIR:
        raise ValidationError(
            f"{p:.1%} of 1RM allows about {n:.0f} reps, beyond the {key} model's range",
            "percent_1rm",
        )
    if n < reserve:
        raise ValidationError(
            f"{p:.1%} of 1RM allows {n:.1f} reps by the {key} model, fewer than {reserve:g} in "
            "reserve",
            "rir",
        )
    return n - reserve


def e1rm_reps_rir(
    load_kg: float, reps: float, rir: float = 0.0, model: str = "epley", **params: float
) -> float:
    """Estimated 1RM from a set of ``reps`` with ``rir`` in reserve, by an STMr model.

    Unlike :func:`e1rm_epley`, a single at RIR 0 is not its own 1RM under the Epley model
    (the model gives 96.8%), as in STMr.
    """
    load = require_load(load_kg, "load_kg")
    return load / percent_1rm(reps, rir, model, **params)


def _rir(value: object) -> float:
    rir = require_number(value, "rir")
    if not 0 <= rir <= MODEL_MAX_RIR:
        raise ValidationError(f"must be between 0 and {MODEL_MAX_RIR:g} reps, got {rir:g}", "rir")
    return rir
