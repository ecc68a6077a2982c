"""A lifter's own load-velocity profile for one lift, and the 1RM it predicts.

Mean concentric velocity falls about linearly with load in the barbell lifts (R^2 ~ 0.97-0.99
for individual profiles: Gonzalez-Badillo & Sanchez-Medina 2010, Int J Sports Med 31:347;
Garcia-Ramos 2024, Int J Sports Med 45:257, reviews how to build them). The profile is the
line ``v = intercept_ + slope_ * load``; the load where it reaches the minimum velocity
threshold (MVT, the velocity of a 1RM) is the estimated 1RM (Jidovtseff et al. 2011, J
Strength Cond Res 25:267; Jukic et al. 2022, J Strength Cond Res 36:902).

:class:`LoadVelocityProfile` has the shape of a scikit-learn estimator: ``__init__`` only
stores the parameters, :meth:`~LoadVelocityProfile.fit` returns the estimator, and what it
learns ends in ``_``. Two methods:

``"ols"``
    Least squares through every point (the multiple-point method).
``"two_point"``
    The straight line through the lightest and the heaviest load only (Garcia-Ramos &
    Jaric 2018, Strength Cond J 40(2):54; two distant loads, e.g. 40 and 90 % 1RM as in
    Jukic et al. 2022). Several points at one of those two loads are averaged.

The 1RM interval
----------------
``e1rm_interval_`` is Fieller's interval (Fieller 1954, J R Stat Soc B 16:175) for the load
``x0`` at which the *mean* line reaches the MVT: the set of loads ``x`` whose pointwise
``confidence`` band of the fitted mean, ``a + b x +- t s sqrt(1/n + (x - xbar)^2 / Sxx)``,
contains the MVT, with ``t`` the two-sided Student quantile on ``n - 2`` degrees of freedom
(:func:`t_critical`) and ``s`` the standard error of estimate. This is the classical
inverse-regression interval (Draper & Smith, Applied Regression Analysis, 3rd ed., section
3.2) with the MVT treated as a known constant, so under normal, independent errors it
covers the true load-at-MVT with probability ``confidence`` exactly. It is not symmetric
about ``e1rm_``, and it leaves out the spread of the MVT itself, which varies from day to
day (velocity of the 1RM CV ~16-23 %: Ruf et al. 2018, J Strength Cond Res 32:681; Banyard
et al. 2017, J Strength Cond Res 31:1897). It is ``None`` when it cannot be bounded: always
for the two-point method (with one point per load it has no residual degrees of freedom,
so no error estimate), for fewer than 3 points, and when the slope is not clearly below
zero at this confidence (Fieller's set is then unbounded).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Self

from replog.core.errors import ValidationError
from replog.core.exercises import Exercise

METHODS = ("ols", "two_point")

GENERIC_MVT = 0.30
"""m/s. The MVT assumed for a lift without a published one: the full squat's velocity at
1RM (Sanchez-Medina et al. 2017), in the middle of the barbell lifts' range (bench press
~0.17, prone bench pull ~0.50). A placeholder until the lifter's own max efforts teach it."""

MIN_LEARNED_SAMPLES = 2
"""Max-effort last reps needed before a lifter's own MVT replaces the literature value."""

LEARNED_MVT_RANGE = (0.05, 1.0)
"""m/s. Last-rep velocities outside this are not a max effort (or are a typo) and are ignored."""


def normalise_method(method: str) -> str:
    """``"ols"`` or ``"two_point"`` (``"two-point"`` is accepted); else a ValidationError."""
    name = str(method).strip().lower().replace("-", "_")
    if name not in METHODS:
        raise ValidationError(
            f"method must be 'ols' or 'two-point', got {method!r}", field="method"
        )
    return name


def check_mvt(mvt: float, field: str = "mvt") -> float:
    """A minimum velocity threshold: a finite number of m/s strictly between 0 and 2."""
    if isinstance(mvt, bool) or not isinstance(mvt, int | float) or not math.isfinite(mvt):
        raise ValidationError(f"MVT must be a finite number of m/s, got {mvt!r}", field=field)
    if not 0 < mvt < 2:
        raise ValidationError(f"MVT must be between 0 and 2 m/s, got {mvt:g}", field=field)
    return float(mvt)


@dataclass(frozen=True, slots=True)
class Line:
    """A least-squares line ``y = intercept + slope * x`` and its sums."""

    n: int
    intercept: float
    slope: float
    xbar: float
    ybar: float
    sxx: float
    syy: float
    sse: float

    @property
    def see(self) -> float:
        """Standard error of estimate; NaN without residual degrees of freedom."""
        return math.sqrt(self.sse / (self.n - 2)) if self.n > 2 else math.nan


def ols_line(x: Sequence[float], y: Sequence[float]) -> Line:
    """Ordinary least squares on checked, paired values with at least two distinct ``x``."""
    n = len(x)
    xbar, ybar = sum(x) / n, sum(y) / n
    dx = [a - xbar for a in x]
    dy = [b - ybar for b in y]
    sxx = sum(a * a for a in dx)
    sxy = sum(a * b for a, b in zip(dx, dy, strict=True))
    syy = sum(b * b for b in dy)
    slope = sxy / sxx
    intercept = ybar - slope * xbar
    # the residuals of centred data: dy - slope * dx (the sums are centred, so plain
    # floating-point sums are accurate; fsum would cost a third of a history's analysis)
    sse = max(0.0, syy - slope * sxy)
    return Line(n, intercept, slope, xbar, ybar, sxx, syy, sse)


def _values(raw: Iterable[float], field: str, *, positive: bool) -> list[float]:
    if isinstance(raw, str | bytes):
        raise ValidationError(f"expected a list of numbers, got {raw!r}", field=field)
    out: list[float] = []
    for i, value in enumerate(raw):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(f"value {i + 1} is not a number: {value!r}", field=field)
        x = float(value)
        if not math.isfinite(x):
            raise ValidationError(f"value {i + 1} is {x!r}; expected a finite number", field)
        if x < 0 or (positive and x == 0):
            need = "positive" if positive else "zero or more"
            raise ValidationError(f"value {i + 1} is {x:g}; it must be {need}", field=field)
        out.append(x)
    return out


def _t_central(theta: float, dof: int) -> float:
    """P(|T| <= sqrt(dof) tan(theta)) for Student's t: Abramowitz & Stegun 26.7.3-4."""
    s, c = math.sin(theta), math.cos(theta)
    c2 = c * c
    if dof % 2:  # odd
        if dof == 1:
            return 2 * theta / math.pi
        term = total = c
        for k in range(1, (dof - 1) // 2):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        return 2 / math.pi * (theta + s * total)
    term = total = 1.0
    for k in range(1, dof // 2):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return s * total


@functools.lru_cache(maxsize=256)
def t_critical(confidence: float, dof: int) -> float:
    """The t with P(|T| <= t) = ``confidence`` on ``dof`` degrees of freedom (the two-sided
    Student quantile), from the exact finite series for whole ``dof``, solved by bisection.
    Pure Python so the CLI need not import SciPy (~0.3 s) for one number."""
    if not 0 < confidence < 1:
        raise ValidationError(f"confidence must be between 0 and 1, got {confidence}", "confidence")
    if isinstance(dof, bool) or not isinstance(dof, int) or dof < 1:
        raise ValidationError(f"degrees of freedom must be 1 or more, got {dof!r}", "dof")
    low, high = 0.0, math.pi / 2
    for _ in range(200):
        mid = (low + high) / 2
        if mid in (low, high):
            break
        if _t_central(mid, dof) < confidence:
            low = mid
        else:
            high = mid
    return math.sqrt(dof) * math.tan((low + high) / 2)


class LoadVelocityProfile:
    """Velocity as a straight line of load for one lifter and one lift.

    Parameters are stored as given and checked by :meth:`fit`:

    ``method``
        ``"ols"`` (default) or ``"two_point"``.
    ``mvt``
        The velocity of a 1RM in m/s (0 < mvt < 2). ``None`` uses :data:`GENERIC_MVT`; pass
        :func:`default_mvt` of the exercise, or the lifter's :func:`learned_mvt`.
    ``confidence``
        Level of ``e1rm_interval_``, between 0 and 1 (default 0.95).

    Learned by :meth:`fit`: ``slope_`` (m/s per kg, negative), ``intercept_`` (m/s),
    ``n_`` (points the line was drawn from), ``r2_``, ``see_`` (standard error of
    estimate in m/s; NaN when there are no residual degrees of freedom), ``mvt_``,
    ``e1rm_`` (kg), ``e1rm_interval_`` ((low, high) kg or ``None``), ``v0_`` (velocity at
    zero load) and ``l0_`` (load at zero velocity, kg).
    """

    slope_: float
    intercept_: float
    n_: int
    r2_: float
    see_: float
    mvt_: float
    e1rm_: float
    e1rm_interval_: tuple[float, float] | None
    v0_: float
    l0_: float

    def __init__(self, method: str = "ols", mvt: float | None = None, confidence: float = 0.95):
        self.method = method
        self.mvt = mvt
        self.confidence = confidence

    def get_params(self) -> dict[str, object]:
        return {"method": self.method, "mvt": self.mvt, "confidence": self.confidence}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"LoadVelocityProfile({params})"

    @property
    def is_fitted(self) -> bool:
        return hasattr(self, "slope_")

    def fit(self, loads_kg: Sequence[float], velocities: Sequence[float]) -> Self:
        """Fit the line to paired loads (kg) and mean concentric velocities (m/s)."""
        method = normalise_method(self.method)
        mvt = GENERIC_MVT if self.mvt is None else check_mvt(self.mvt)
        confidence = self.confidence
        if (
            isinstance(confidence, bool)
            or not isinstance(confidence, int | float)
            or not 0 < confidence < 1
        ):
            raise ValidationError(
                f"confidence must be between 0 and 1, got {confidence!r}", field="confidence"
            )
        x = _values(loads_kg, "loads_kg", positive=False)
        y = _values(velocities, "velocities", positive=True)
        if len(x) != len(y):
            raise ValidationError(
                f"{len(x)} loads but {len(y)} velocities; give one velocity per load",
                field="velocities",
            )
        if len(x) < 2:
            raise ValidationError(
                f"a profile needs at least 2 points, got {len(x)}", field="loads_kg"
            )
        if len(set(x)) < 2:
            raise ValidationError(
                f"a profile needs at least 2 different loads, got only {x[0]:g} kg",
                field="loads_kg",
            )
        if method == "two_point":
            # least squares over points at two loads is the line through the two means
            ends = (min(x), max(x))
            pairs = [(a, b) for a, b in zip(x, y, strict=True) if a in ends]
            x, y = [a for a, _ in pairs], [b for _, b in pairs]

        line = ols_line(x, y)
        n, slope, intercept = line.n, line.slope, line.intercept
        xbar, ybar, sxx, syy, sse, see = (
            line.xbar,
            line.ybar,
            line.sxx,
            line.syy,
            line.sse,
            line.see,
        )
        if not slope < 0:
            raise ValidationError(
                f"velocity does not fall with load (slope {slope:+.5f} m/s per kg); "
                "the points cannot describe a load-velocity profile",
                field="velocities",
            )
        if not mvt < intercept:
            raise ValidationError(
                f"the MVT {mvt:g} m/s is not below the profile's velocity at zero load "
                f"({intercept:.3f} m/s)",
                field="mvt",
            )
        self.slope_ = slope
        self.intercept_ = intercept
        self.n_ = n
        self.r2_ = max(0.0, 1.0 - sse / syy) if syy > 0 else 1.0
        self.see_ = see
        self.mvt_ = mvt
        self.e1rm_ = (mvt - intercept) / slope
        self.v0_ = intercept
        self.l0_ = -intercept / slope
        self.e1rm_interval_ = None
        if method == "ols" and n > 2:
            self.e1rm_interval_ = self._fieller(xbar, ybar, sxx, n, see, confidence)
        return self

    def _fieller(
        self, xbar: float, ybar: float, sxx: float, n: int, s: float, confidence: float
    ) -> tuple[float, float] | None:
        """Loads ``x = xbar + d`` with (c0 + b d)^2 <= t^2 s^2 (1/n + d^2/Sxx), c0 = ybar - mvt."""
        b = self.slope_
        q = t_critical(confidence, n - 2) ** 2 * s * s
        qa = b * b - q / sxx
        if qa <= 0:  # slope not distinguishable from 0: the set is unbounded
            return None
        c0 = ybar - self.mvt_
        qb = 2 * b * c0
        qc = c0 * c0 - q / n
        root = math.sqrt(max(qb * qb - 4 * qa * qc, 0.0))
        d1, d2 = (-qb - root) / (2 * qa), (-qb + root) / (2 * qa)
        low, high = xbar + min(d1, d2), xbar + max(d1, d2)
        # guard rounding: the interval always holds the point estimate
        return min(low, self.e1rm_), max(high, self.e1rm_)

    def _require_fit(self) -> None:
        if not self.is_fitted:
            raise ValidationError(
                "the profile is not fitted yet; call fit(loads, velocities) first",
                field="profile",
            )

    def predict_velocity(self, load_kg: float) -> float:
        """Mean velocity (m/s) the line predicts at ``load_kg`` (negative past ``l0_``)."""
        self._require_fit()
        (load,) = _values([load_kg], "load_kg", positive=False)
        return self.intercept_ + self.slope_ * load

    def predict_load(self, velocity: float) -> float:
        """The load (kg) the line predicts moves at ``velocity`` m/s."""
        self._require_fit()
        (v,) = _values([velocity], "velocity", positive=False)
        if v > self.intercept_:
            raise ValidationError(
                f"{v:g} m/s is faster than the profile's velocity at zero load "
                f"({self.intercept_:.3f} m/s)",
                field="velocity",
            )
        return (v - self.intercept_) / self.slope_

    def percent_1rm(self, load_kg: float) -> float:
        """``load_kg`` as a fraction of ``e1rm_``."""
        self._require_fit()
        (load,) = _values([load_kg], "load_kg", positive=False)
        return load / self.e1rm_


def default_mvt(exercise: Exercise) -> float:
    """The literature MVT of the exercise (catalogue ``mvt``), else :data:`GENERIC_MVT`."""
    # No published value (curls, machines, custom lifts): 0.30 m/s, see GENERIC_MVT.
    return exercise.mvt if exercise.mvt is not None else GENERIC_MVT


def learned_mvt(last_rep_velocities: Iterable[float]) -> float | None:
    """The lifter's own MVT from the last reps of their max efforts, or ``None``.

    Give the mean velocity of the final rep of sets taken to failure, AMRAP sets and 1RM
    attempts (RPE 10), most recent first or last, as the caller prefers. Rule: values
    outside :data:`LEARNED_MVT_RANGE` are ignored; with at least
    :data:`MIN_LEARNED_SAMPLES` left, the MVT is their mean, otherwise ``None`` (use the
    literature value). The last rep of a set to failure is about as slow as a 1RM
    (Izquierdo et al. 2006, Int J Sports Med 27:718), and individual MVTs differ from the
    group value (Jukic et al. 2022, J Strength Cond Res 36:902; Garcia-Ramos 2024, Int J
    Sports Med 45:257). One effort is not enough: the velocity of the 1RM varies from day to
    day by a CV of ~16-23 % (Ruf et al. 2018; Banyard et al. 2017), so several are averaged.
    """
    low, high = LEARNED_MVT_RANGE
    usable = [
        float(v)
        for v in last_rep_velocities
        if not isinstance(v, bool)
        and isinstance(v, int | float)
        and math.isfinite(v)
        and low <= v <= high
    ]
    if len(usable) < MIN_LEARNED_SAMPLES:
        return None
    return math.fsum(usable) / len(usable)
