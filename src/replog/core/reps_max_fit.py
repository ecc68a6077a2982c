"""A lifter's own reps-max profile: the parameter of an STMr reps-max model fitted to their sets.

Mladen Jovanovic's STMr R package (*Strength Training Manual R-functions*, CRAN "STMr",
functions ``estimate_k``, ``estimate_kmod``, ``estimate_klin`` and their ``_1RM`` variants)
fits the three reps-max models of :mod:`replog.core.strength` to sets of known reps to
failure, ``nRM = reps + RIR``, by nonlinear least squares (R's ``nls``/``nlsLM``):

* Epley: nRM = (1 - p) / (k p), with p = load / 1RM
* modified Epley: nRM = ((kmod - 1) p + 1) / (kmod p) = 1 + (1 - p) / (kmod p)
* linear (Brzycki-like): nRM = (1 - p) klin + 1

:func:`fit_reps_max` does the same with ``scipy.optimize.least_squares``. With a known 1RM
only the parameter is fitted (STMr's ``estimate_k`` ...); without one the 1RM is fitted
together with it (STMr's ``estimate_k_1RM`` ...). As in STMr the residuals are in reps by
default (``target="reps"``; STMr's ``reverse = FALSE``) and in load with ``target="load"``
(STMr's ``reverse = TRUE``, the model written as load = 1RM x %1RM(nRM)). Unweighted, as
STMr's default ``weighted = "none"``.

Epley's model puts 100 % at nRM = 0, not 1: the scale it fits is what STMr calls the "0RM",
and the load for a single to failure is 0RM / (1 + k) (STMr's
``get_predicted_1RM_from_k_model``). :class:`RepsMaxFit` keeps both: ``one_rm`` is the scale
:func:`replog.core.strength.percent_1rm` divides by (the 0RM for Epley), ``single`` the load
for one rep to failure. For the other two models they are the same.

Standard errors are the usual nonlinear least-squares ones, as R's ``summary.nls`` reports:
s^2 (J'J)^-1 with s^2 = SSE / (n - p), from the Jacobian at the optimum; they are None when
there are no more sets than parameters (the fit is then exact and s undefined).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares

from replog.core.errors import ValidationError
from replog.core.rpe_chart import require_load, require_number
from replog.core.strength import REPS_MAX_MODELS

__all__ = ["RepsMaxFit", "fit_reps_max"]

Floats = NDArray[np.float64]
MAX_RIR = 10.0
MAX_1RM_RATIO = 5.0  # a fitted 1RM beyond 5 x the heaviest set is a fit running away


@dataclass(frozen=True, slots=True)
class RepsMaxFit:
    """One fitted reps-max profile (see the module notes)."""

    model: str  # "epley" | "modified_epley" | "linear"
    param_name: str  # "k" | "kmod" | "klin"
    param: float
    param_se: float | None
    one_rm: float  # the model's 100 % load: the 0RM for Epley; the 1RM given, if it was
    one_rm_se: float | None  # None when the 1RM was given, or no residual degrees of freedom
    single: float  # the load for one rep to failure
    residual_se: float | None  # sqrt(SSE / (n - parameters)), in reps or in the load unit
    n: int
    target: str  # "reps" or "load": what the residuals were measured in
    one_rm_fitted: bool


def _model(model: object) -> str:
    key = "_".join(model.lower().replace("-", " ").split()) if isinstance(model, str) else ""
    if key not in REPS_MAX_MODELS:
        known = ", ".join(REPS_MAX_MODELS)
        raise ValidationError(f"unknown reps-max model {model!r}; one of {known}", "model")
    return key


def _series(values: object, n: int, field: str) -> list[float]:
    """A number per set: a sequence of ``n`` numbers, or one number for every set."""
    if isinstance(values, Sequence) and not isinstance(values, str):
        if len(values) != n:
            raise ValidationError(f"expected {n} values, one per set, got {len(values)}", field)
        return [require_number(v, f"{field}[{i}]") for i, v in enumerate(values)]
    return [require_number(values, field)] * n


def _reserve(rir: object, rpe: object, n: int) -> list[float]:
    if rir is not None and rpe is not None:
        raise ValidationError("give reps in reserve or RPE, not both", "rpe")
    if rpe is not None:
        out = [10.0 - x for x in _series(rpe, n, "rpe")]
        field = "rpe"
    else:
        out = _series(0.0 if rir is None else rir, n, "rir")
        field = "rir"
    for i, x in enumerate(out):
        if not 0 <= x <= MAX_RIR:
            raise ValidationError(f"reps in reserve must be 0 to 10, got {x:g}", f"{field}[{i}]")
    return out


def _predict(key: str, param: float, p: Floats) -> Floats:
    """nRM at fraction ``p`` of the model's 100 % load."""
    out: Floats
    if key == "epley":
        out = (1.0 - p) / (param * p)
    elif key == "modified_epley":
        out = 1.0 + (1.0 - p) / (param * p)
    else:
        out = (1.0 - p) * param + 1.0
    return out


def _fraction(key: str, param: float, n_rm: Floats) -> Floats:
    """%1RM (as a fraction) allowing ``n_rm`` reps to failure: the inverse of :func:`_predict`."""
    out: Floats
    if key == "epley":
        out = 1.0 / (1.0 + param * n_rm)
    elif key == "modified_epley":
        out = 1.0 / (1.0 + param * (n_rm - 1.0))
    else:
        out = (param - n_rm + 1.0) / param
    return out


def fit_reps_max(
    loads: Sequence[float],
    reps: Sequence[float],
    *,
    rir: Sequence[float] | float | None = None,
    rpe: Sequence[float] | float | None = None,
    one_rm: float | None = None,
    model: str = "epley",
    target: str = "reps",
) -> RepsMaxFit:
    """Fit ``model``'s parameter (and the 1RM, unless ``one_rm`` is given) to a lifter's sets.

    ``loads[i]`` was lifted for ``reps[i]`` with ``rir[i]`` in reserve (or at ``rpe[i]``,
    RIR = 10 - RPE; none given means to failure). To fit %1RM values, as STMr's
    ``estimate_k(perc_1RM, reps)`` does, pass them as ``loads`` with ``one_rm=1``.
    Nonlinear least squares as STMr's ``estimate_*`` functions (Jovanovic, STMr, CRAN); see
    the module notes for the models, ``target`` and the standard errors. STMr's documented
    example ``estimate_k(c(0.7, 0.8, 0.9), c(10, 5, 3))`` gives k = 0.04404789.

    Refuses, with a :class:`ValidationError` naming the field: fewer sets than parameters,
    a single load when the 1RM is fitted too (k and the 1RM cannot be told apart), sets
    heavier than a given 1RM or all at it, reps + RIR under 1, and data whose best fit is not
    a positive parameter and a 1RM within 5 x the heaviest set (reps that do not fall as the
    load rises send the fitted 1RM off to infinity).
    """
    key, kind = _model(model), target
    if kind not in ("reps", "load"):
        raise ValidationError(f"target is 'reps' or 'load', got {target!r}", "target")
    count = len(loads)
    if len(reps) != count:
        raise ValidationError(f"expected {count} values, one per set, got {len(reps)}", "reps")
    w = np.array([require_load(x, f"loads[{i}]") for i, x in enumerate(loads)])
    done = np.array([require_number(r, f"reps[{i}]") for i, r in enumerate(reps)])
    n_rm = done + np.array(_reserve(rir, rpe, count))
    if count and float(n_rm.min()) < 1:
        raise ValidationError("reps + RIR must be at least 1 in every set", "reps")
    fitted = one_rm is None
    needed = 2 if fitted else 1
    if count < needed:
        what = "the parameter and the 1RM" if fitted else "the parameter"
        raise ValidationError(f"need at least {needed} sets to fit {what}, got {count}", "loads")
    if fitted and float(w.max() - w.min()) <= 1e-9 * float(w.max()):
        raise ValidationError("all sets at one load: the 1RM cannot be fitted; give it", "loads")
    scale = 1.0 if one_rm is None else require_load(one_rm, "one_rm")
    if not fitted and float((w / scale).max()) > 1 + 1e-12:
        raise ValidationError(f"a set is heavier than the 1RM given ({scale:g})", "loads")
    if not fitted and float((w / scale).min()) >= 1 - 1e-12:
        raise ValidationError("every set is at the 1RM: nothing pins the parameter", "loads")

    def residuals(x: Floats) -> Floats:
        top = float(x[1]) if fitted else scale
        out: Floats
        if kind == "reps":
            out = _predict(key, float(x[0]), w / top) - n_rm
        else:
            out = top * _fraction(key, float(x[0]), n_rm) - w
        return out

    start_param = REPS_MAX_MODELS[key][1]
    x0 = [start_param]
    if fitted:  # the default model's own estimate from each set, the heaviest of them
        x0.append(float(np.max(w / _fraction(key, start_param, n_rm))))
        x0[1] = max(x0[1], 1.01 * float(w.max()))
    fit = least_squares(residuals, np.array(x0), method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15)
    x = np.asarray(fit.x, dtype=np.float64)
    runaway = fitted and not 0 < x[1] <= MAX_1RM_RATIO * float(w.max())
    if not fit.success or not np.all(np.isfinite(x)) or x[0] <= 0 or runaway:
        raise ValidationError(
            f"no positive {REPS_MAX_MODELS[key][0]} fits these sets (do reps fall as load rises?)",
            "reps",
        )
    params = len(x)
    sse = float(np.sum(fit.fun**2))
    dof = count - params
    se: list[float | None] = [None] * params
    residual_se = None
    if dof > 0:
        residual_se = math.sqrt(sse / dof)
        jac = np.asarray(fit.jac, dtype=np.float64)
        try:
            cov = np.linalg.inv(jac.T @ jac) * (sse / dof)
        except np.linalg.LinAlgError:
            cov = np.full((params, params), np.nan)
        se = [math.sqrt(v) if math.isfinite(v) and v >= 0 else None for v in np.diag(cov)]
    param = float(x[0])
    top = float(x[1]) if fitted else scale
    single = top * float(_fraction(key, param, np.array([1.0]))[0])
    return RepsMaxFit(
        model=key,
        param_name=REPS_MAX_MODELS[key][0],
        param=param,
        param_se=se[0],
        one_rm=top,
        one_rm_se=se[1] if fitted else None,
        single=single,
        residual_se=residual_se,
        n=count,
        target=kind,
        one_rm_fitted=fitted,
    )
