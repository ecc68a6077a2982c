"""Training load: session RPE, monotony and strain, the EWMA acute:chronic ratio, and
Banister's fitness-fatigue model.

Every function takes ``daily``: one load per calendar day, index 0 the first day, 0 on rest
days, in whatever unit the caller picks (session-RPE AU, tonnes lifted, ...) as long as it
is used throughout. Loads must be finite and >= 0. :func:`daily_totals` builds the series
from dated sessions.

* Session RPE, Foster et al. 2001 (J Strength Cond Res 15:109): load = CR-10 RPE of the whole
  session x its duration in minutes, in arbitrary units (AU).
* Monotony and strain, Foster 1998 (Med Sci Sports Exerc 30:1164) and Foster et al. 2001:
  over the last 7 days, monotony = mean daily load / SD of daily load (rest days count as 0)
  and strain = weekly load x monotony. Convention: the SD is the population SD (ddof = 0,
  divide by 7); some spreadsheets use the sample SD (divide by 6), which gives a monotony
  sqrt(6/7) ~ 0.926 times ours. Monotony above :data:`MONOTONY_HIGH` (2.0) is the level
  commonly flagged as high after Foster 1998.
* EWMA acute:chronic ratio, Williams et al. 2017 (Br J Sports Med 51:209): lambda = 2 /
  (N + 1), EWMA_today = lambda * load_today + (1 - lambda) * EWMA_yesterday, ACWR = EWMA(7) /
  EWMA(28). :func:`acwr` seeds both EWMAs with the first day's load (EWMA_0 = load_0) as the
  ACWR R package does (Fernandez-Santos, CRAN "ACWR", ``EWMA()``) and dorem (Jovanovic,
  ``TTR::EMA`` with n = 1), so steady training reads 1.0. ``seed="zero"`` keeps the older
  convention (nothing before the log, as Banister's model assumes): four weeks of 100 a day
  then read 1.156, the zero still weighing (27/29)^28 = 13.5 % in the 28-day EWMA. Either way
  the ACWR is given only once ``chronic`` days are logged.
  Gabbett 2016 (Br J Sports Med 50:273) called ratios above :data:`ACWR_SPIKE` (1.5) a spike
  ("danger zone"); its use for predicting injury is disputed: Impellizzeri et al. 2020 (Int
  J Sports Physiol Perform 15:907) set out its conceptual and statistical pitfalls and the
  lack of causal evidence. Treat it as a description of load, not an injury risk.
* Fitness-fatigue (impulse-response) model: Banister et al. 1975 (Aust J Sports Med 7:57),
  Calvert et al. 1976 (IEEE Trans Syst Man Cybern 6:94); fitting by least squares as in
  Busso 2003 (Med Sci Sports Exerc 35:1188), whose variable-gain extension is not used here.

  CONVENTION: performance on day n is measured BEFORE that day's training. Loads on days
  s < n count, today's load does not::

      fitness_n = sum_{s<n} w_s exp(-(n-s)/tau1)   (fatigue_n likewise with tau2)
      performance_n = p0 + k1 fitness_n - k2 fatigue_n

  computed exactly by the recursion fitness_n = exp(-1/tau1) (fitness_{n-1} + w_{n-1}),
  fitness_0 = 0. ``today_counts=True`` switches to s <= n (performance after the day's
  training): fitness_n = exp(-1/tau1) fitness_{n-1} + w_n. The two are related by
  after_n = before_n + w_n and before_{n+1} = exp(-1/tau) after_n.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares

from replog.core.errors import ValidationError

ACWR_SPIKE = 1.5  # Gabbett 2016, Br J Sports Med 50:273
MONOTONY_HIGH = 2.0  # Foster 1998, Med Sci Sports Exerc 30:1164
WEEK = 7
MAX_SESSION_MIN = 600.0
MIN_FIT_OBSERVATIONS = 8
MIN_FIT_SPAN_DAYS = 28
TAU1_BOUNDS = (5.0, 90.0)  # days
TAU2_BOUNDS = (1.0, 30.0)  # days; the fit also keeps tau2 <= tau1 - 1
_K_BOUNDS = (1e-9, 1e3)  # on the normalised scale (loads / mean load, performance / SD)

Floats = NDArray[np.float64]


def _number(value: object, field: str, *, load: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValidationError(f"expected a number, got {value!r}", field=field)
    if not math.isfinite(x := float(value)):
        raise ValidationError(f"must be finite, got {x}", field=field)
    if load and x < 0:
        raise ValidationError(f"a load cannot be negative, got {x:g}", field=field)
    return x


def _loads(daily: Sequence[float]) -> list[float]:
    return [_number(w, f"daily[{i}]", load=True) for i, w in enumerate(daily)]


def _days(value: object, field: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"expected a whole number of days, got {value!r}", field=field)
    if value < low:
        raise ValidationError(f"must be at least {low}, got {value}", field=field)
    return value


def session_rpe_load(duration_min: float, session_rpe: float) -> float:
    """Foster et al. 2001 session load: CR-10 session RPE (0-10) x minutes (0-600), in AU."""
    minutes = _number(duration_min, "duration_min")
    rpe = _number(session_rpe, "session_rpe")
    if not 0 <= rpe <= 10:
        raise ValidationError(f"a CR-10 RPE is between 0 and 10, got {rpe:g}", "session_rpe")
    if not 0 <= minutes <= MAX_SESSION_MIN:
        raise ValidationError(f"must be between 0 and 600 minutes, got {minutes:g}", "duration_min")
    return rpe * minutes


def _calendar_date(value: object, field: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        msg = f"expected a date, got {value!r} (convert datetimes in the lifter's time zone)"
        raise ValidationError(msg, field)
    return value


def daily_totals(items: Iterable[tuple[date, float]], start: date, end: date) -> list[float]:
    """Sum of the loads on each calendar day from ``start`` to ``end`` inclusive, 0 on days
    without items. Items dated outside the range are ignored, but every value is validated."""
    first, last = _calendar_date(start, "start"), _calendar_date(end, "end")
    if last < first:
        raise ValidationError(f"end {last} is before start {first}", "end")
    totals = [0.0] * ((last - first).days + 1)
    for i, item in enumerate(items):
        if not isinstance(item, tuple) or len(item) != 2:
            raise ValidationError(f"expected a (date, load) pair, got {item!r}", f"items[{i}]")
        day = _calendar_date(item[0], f"items[{i}].date")
        load = _number(item[1], f"items[{i}].load", load=True)
        if first <= day <= last:
            totals[(day - first).days] += load
    return totals


def weekly_load(daily: Sequence[float]) -> float:
    """Total load of the last 7 days (of all days when the series is shorter)."""
    return math.fsum(_loads(daily)[-WEEK:])


def monotony(daily: Sequence[float]) -> float | None:
    """Foster's monotony over the last 7 days: mean / population SD (ddof = 0).

    None when the series has fewer than 7 days or the SD is 0 (identical loads every day,
    including a week of rest): the ratio is then undefined, not infinite."""
    week = _loads(daily)[-WEEK:]
    if len(week) < WEEK:
        return None
    sd = statistics.pstdev(week)
    return None if sd == 0 else statistics.fmean(week) / sd


def strain(daily: Sequence[float]) -> float | None:
    """Foster's strain: weekly load x monotony over the last 7 days; None when monotony is."""
    m = monotony(daily)
    return None if m is None else weekly_load(daily) * m


def ewma(daily: Sequence[float], days: int, *, seed: str = "zero") -> list[float]:
    """Williams et al. 2017 EWMA, lambda = 2 / (days + 1), seeded with 0 or (``"first"``) with
    day 0's load, EWMA_0 = load_0, as the ACWR R package and dorem (module notes)."""
    lam = 2.0 / (_days(days, "days", 1) + 1)
    if seed not in ("zero", "first"):
        raise ValidationError(f"seed is 'zero' or 'first', got {seed!r}", "seed")
    out, loads = list[float](), _loads(daily)
    level = loads[0] if seed == "first" and loads else 0.0
    for w in loads:
        level = lam * w + (1.0 - lam) * level
        out.append(level)
    return out


def acwr(
    daily: Sequence[float], acute: int = 7, chronic: int = 28, *, seed: str = "first"
) -> list[float | None]:
    """EWMA acute:chronic ratio per day (Williams et al. 2017), both EWMAs seeded with the
    first day's load unless ``seed="zero"``. None before day index ``chronic - 1`` and while
    the chronic EWMA is 0. Above :data:`ACWR_SPIKE` is Gabbett's 2016 "spike"; the link to
    injury is disputed (Impellizzeri et al. 2020), see the module notes."""
    _days(acute, "acute", 1)
    if _days(chronic, "chronic", 2) <= acute:
        raise ValidationError(f"must be longer than acute ({acute}), got {chronic}", "chronic")
    fast, slow = ewma(daily, acute, seed=seed), ewma(daily, chronic, seed=seed)
    return [
        None if i < chronic - 1 or c == 0 else a / c
        for i, (a, c) in enumerate(zip(fast, slow, strict=True))
    ]


@dataclass(frozen=True, slots=True)
class BanisterParams:
    """Banister model parameters; ``p0`` (baseline performance, in the performance unit) is
    the caller's. The defaults are population-style starting points, not anyone's fit: tau1 =
    42 d and tau2 = 7 d are the chronic/acute constants of the Performance Manager chart
    (Allen & Coggan 2010, Training and Racing with a Power Meter), and k2 = 2 k1 is a common
    starting ratio: fatigue the stronger, shorter-lived component (Calvert et al. 1976).
    Fitted values vary widely: elite swimmers gave tau1 = 38 d (95 % CI 17-59) and tau2 =
    19 d (6-32) (Hellard et al. 2006, J Sports Sci 24:509)."""

    p0: float
    k1: float = 1.0
    k2: float = 2.0
    tau1: float = 42.0  # days, fitness
    tau2: float = 7.0  # days, fatigue

    def __post_init__(self) -> None:
        for name in ("p0", "k1", "k2", "tau1", "tau2"):
            _number(getattr(self, name), name)
        for name in ("k1", "k2", "tau2"):
            if getattr(self, name) <= 0:
                raise ValidationError(f"must be > 0, got {getattr(self, name):g}", name)
        if self.tau1 <= self.tau2:
            msg = f"must exceed tau2 (fitness outlasts fatigue), got {self.tau1:g} <= {self.tau2:g}"
            raise ValidationError(msg, "tau1")


DEFAULT_BANISTER = BanisterParams(p0=0.0)  # performance as change from baseline


@dataclass(frozen=True, slots=True)
class BanisterSeries:
    """One value per day of the input series (no extrapolation; see :func:`predict`)."""

    fitness: tuple[float, ...]
    fatigue: tuple[float, ...]
    performance: tuple[float, ...]


def _trace(loads: list[float], tau: float, today_counts: bool) -> list[float]:
    r = math.exp(-1.0 / tau)
    out: list[float] = []
    level = 0.0  # today_counts: level after day n-1's training; else: before day n
    for w in loads:
        level = r * level + w if today_counts else level
        out.append(level)
        if not today_counts:
            level = r * (level + w)
    return out


def banister(
    daily: Sequence[float], params: BanisterParams, today_counts: bool = False
) -> BanisterSeries:
    """Fitness, fatigue and performance on each day, by the exact recursion (module notes)."""
    loads = _loads(daily)
    fit = _trace(loads, params.tau1, today_counts)
    fat = _trace(loads, params.tau2, today_counts)
    perf = [params.p0 + params.k1 * f - params.k2 * g for f, g in zip(fit, fat, strict=True)]
    return BanisterSeries(tuple(fit), tuple(fat), tuple(perf))


def predict(
    daily: Sequence[float], params: BanisterParams, day: int, *, today_counts: bool = False
) -> float:
    """Performance on day index ``day`` by the explicit sum; days past the end of ``daily``
    are taken as rest days, so ``day = len(daily)`` is tomorrow's (before-training) value."""
    _days(day, "day", 0)
    w = np.asarray(_loads(daily), dtype=np.float64)[: day + 1 if today_counts else day]
    lag = day - np.arange(w.size, dtype=np.float64)
    fitness = float(np.exp(-lag / params.tau1) @ w)
    fatigue = float(np.exp(-lag / params.tau2) @ w)
    return params.p0 + params.k1 * fitness - params.k2 * fatigue


def peak_day_after_impulse(params: BanisterParams) -> float | None:
    """Days from a single impulse to the peak of its net effect (t_g of Fitz-Clarke et al.
    1991, J Appl Physiol 71:1151): k1 e^(-t/tau1) - k2 e^(-t/tau2) is largest at
    t* = tau1 tau2 / (tau1 - tau2) ln(k2 tau1 / (k1 tau2)). None when k2 tau1 <= k1 tau2: the
    effect is then largest right after the impulse and only decays."""
    ratio = params.k2 * params.tau1 / (params.k1 * params.tau2)
    if ratio <= 1:
        return None
    return params.tau1 * params.tau2 / (params.tau1 - params.tau2) * math.log(ratio)


def negative_window(params: BanisterParams) -> float | None:
    """Days after a single impulse until its net effect turns positive (t_n, Fitz-Clarke et
    al. 1991): t_n = tau1 tau2 / (tau1 - tau2) ln(k2 / k1). None when k2 <= k1: the effect is
    never negative."""
    if params.k2 <= params.k1:
        return None
    return params.tau1 * params.tau2 / (params.tau1 - params.tau2) * math.log(params.k2 / params.k1)


@dataclass(frozen=True, slots=True)
class BanisterFit:
    params: BanisterParams
    rmse: float  # of the observations, in the performance unit
    r2: float | None  # 1 - SSE / SS about the mean; None when all observations are equal
    n: int  # observations
    converged: bool  # the optimiser's own stopping test, for the best start
    message: str
    at_bounds: tuple[str, ...]  # parameters stuck at a search bound: poorly pinned down


def _taus(tau1: float, u: float) -> tuple[float, float]:
    """tau2 from a fraction u of its feasible range, so that 1 <= tau2 <= min(30, tau1 - 1)."""
    low, high = TAU2_BOUNDS[0], min(TAU2_BOUNDS[1], tau1 - 1.0)
    return tau1, low + u * (high - low)


def _observations(
    observations: Sequence[tuple[int, float]], n_days: int
) -> tuple[list[int], list[float]]:
    if len(observations) < MIN_FIT_OBSERVATIONS:
        raise ValidationError(
            f"need at least {MIN_FIT_OBSERVATIONS} observed performances to fit 5 parameters, "
            f"got {len(observations)}",
            "observations",
        )
    days: list[int] = []
    values: list[float] = []
    for i, pair in enumerate(observations):
        field = f"observations[{i}]"
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ValidationError(f"expected a (day, value) pair, got {pair!r}", field)
        days.append(_days(pair[0], f"{field}.day", 0))
        if days[-1] >= n_days:
            raise ValidationError(f"day {days[-1]} is past the {n_days}-day series", f"{field}.day")
        values.append(_number(pair[1], f"{field}.value"))
    if (span := max(days) - min(days)) < MIN_FIT_SPAN_DAYS:
        raise ValidationError(
            f"observations must span at least {MIN_FIT_SPAN_DAYS} days to separate fitness "
            f"from fatigue, got {span}",
            "observations",
        )
    return days, values


def fit_banister(
    daily: Sequence[float],
    observations: Sequence[tuple[int, float]],
    *,
    today_counts: bool = False,
) -> BanisterFit:
    """Fit p0, k1, k2, tau1, tau2 to observed performances (day index, value), e.g. e1RMs.

    Bounded nonlinear least squares (``scipy.optimize.least_squares``, trust region
    reflective) on loads divided by their mean and performances standardised, with tau1 in
    [5, 90] d and tau2 in [1, min(30, tau1 - 1)] d, the latter enforced by searching a fraction
    of tau2's feasible range. Starts: a grid of (tau1, tau2) pairs, each with the linear
    least-squares p0, k1, k2 for those taus; the four best are refined and the lowest cost
    kept. The time constants are weakly identified from few observations (Hellard et al.
    2006): trust the fitted curve more than the individual parameters.
    Needs >= 8 observations spanning >= 28 days and some nonzero load."""
    loads = _loads(daily)
    obs_days, obs_values = _observations(observations, len(loads))
    w = np.asarray(loads, dtype=np.float64)
    w_scale = float(w.mean())
    if w_scale == 0:
        raise ValidationError("all loads are 0: nothing to relate performance to", "daily")
    y = np.asarray(obs_values, dtype=np.float64)
    y_mean, y_sd = float(y.mean()), float(y.std())
    y_scale = y_sd if y_sd > 0 else 1.0
    z, wn = (y - y_mean) / y_scale, w / w_scale
    # lag[j, s] = d_j - s where day s counts towards observation j, +inf where it does not
    lag = np.asarray(obs_days, dtype=np.float64)[:, None] - np.arange(w.size, dtype=np.float64)
    lag[lag < (0 if today_counts else 1)] = np.inf

    def traces(tau1: float, tau2: float) -> tuple[Floats, Floats]:
        return np.exp(-lag / tau1) @ wn, np.exp(-lag / tau2) @ wn

    def residuals(x: Floats) -> Floats:
        fit, fat = traces(*_taus(float(x[3]), float(x[4])))
        out: Floats = x[0] + x[1] * fit - x[2] * fat - z
        return out

    lower = np.array([-np.inf, _K_BOUNDS[0], _K_BOUNDS[0], TAU1_BOUNDS[0], 0.0])
    upper = np.array([np.inf, _K_BOUNDS[1], _K_BOUNDS[1], TAU1_BOUNDS[1], 1.0])
    starts: list[tuple[float, Floats]] = []
    for tau1, tau2 in ((a, b) for a in (10.0, 25.0, 45.0, 70.0) for b in (2.0, 5.0, 10.0, 20.0)):
        if tau2 <= tau1 - 1.0:
            fit, fat = traces(tau1, tau2)
            design = np.column_stack([np.ones_like(fit), fit, -fat])
            coef = np.linalg.lstsq(design, z, rcond=None)[0]
            coef[1:] = np.clip(coef[1:], 10 * _K_BOUNDS[0], _K_BOUNDS[1] / 10)
            u = (tau2 - TAU2_BOUNDS[0]) / (min(TAU2_BOUNDS[1], tau1 - 1.0) - TAU2_BOUNDS[0])
            x0 = np.array([*coef, tau1, u])
            starts.append((float(np.sum(residuals(x0) ** 2)), x0))
    runs = [
        least_squares(residuals, x0, bounds=(lower, upper), x_scale="jac", xtol=1e-12, ftol=1e-12)
        for _, x0 in sorted(starts, key=lambda s: s[0])[:4]
    ]
    best = min(runs, key=lambda r: float(r.cost))
    x = np.asarray(best.x, dtype=np.float64)
    tau1, tau2 = _taus(float(x[3]), float(x[4]))
    k1, k2 = (y_scale / w_scale * float(v) for v in x[1:3])  # back on the caller's scales
    params = BanisterParams(y_mean + y_scale * float(x[0]), k1, k2, tau1, tau2)
    sse = float(np.sum((y_scale * residuals(x)) ** 2))
    sst = float(np.sum((y - y_mean) ** 2))
    names, near = ("p0", "k1", "k2", "tau1", "tau2"), 1e-6 * (upper - lower)
    stuck = [
        n
        for n, v, lo, hi, e in zip(names, x, lower, upper, near, strict=True)
        if e < np.inf and min(v - lo, hi - v) <= e
    ]
    return BanisterFit(
        params=params,
        rmse=math.sqrt(sse / y.size),
        r2=None if sst == 0 else 1.0 - sse / sst,
        n=int(y.size),
        converged=bool(best.status > 0),
        message=str(best.message),
        at_bounds=tuple(stuck),
    )
