"""The one e1RM of a lift on a day: which estimate, from what, and how sure.

Every surface that shows or uses a lift's estimated one-rep max (the exercise page and its
chart, ``replog history``, ``replog profile``, the PAP plan, the API's ``/e1rm``, the
session analysis' population model, readiness' warm-up anchor, the fitness-fatigue fit)
asks :func:`estimate_e1rm` for it, so a lift has one e1RM per day, named with its method.

The rule, first that applies:

1. **The lifter's load-velocity profile** (:mod:`replog.core.profile`), when it is good
   enough to stand for the lifter: a least-squares line (the multiple-point method) over at
   least :data:`PROFILE_MIN_POINTS` points on at least :data:`PROFILE_MIN_LOADS` different
   loads, with R^2 of at least :data:`PROFILE_MIN_R2` (individual profiles reach ~0.97-0.99:
   Gonzalez-Badillo & Sanchez-Medina 2010, Int J Sports Med 31:347), a minimum velocity
   threshold that is the lifter's own, given, or published for the lift (not the generic
   placeholder), and a Fieller interval (Fieller 1954) whose half-width is at most
   :data:`PROFILE_MAX_HALF_WIDTH` of the estimate. The e1RM is the load at which the line
   reaches the MVT (Jidovtseff et al. 2011, J Strength Cond Res 25:267; Jukic et al. 2022,
   J Strength Cond Res 36:902), its uncertainty the profile's interval and SEE. Velocity
   measures the day's capacity without a max effort, and the profile pools eight weeks of
   days, so it is steadier than any one set (the 1RM one session's profile predicts varies
   by a CV of 5.7 % from day to day: Banyard, Nosaka & Haff 2017, J Strength Cond Res
   31:1897).
2. **Epley with reps in reserve over the recent working sets**: the best of
   ``load x (1 + (reps + RIR) / 30)`` (Epley 1985, *Poundage chart*) with RIR = 10 - RPE
   (Zourdos et al. 2016; Helms et al. 2016), over the sets lifted for work (not warm-ups or
   drop sets) of the last :data:`EPLEY_WINDOW_DAYS` days with at most
   :data:`EPLEY_MAX_REPS` reps to failure (reps + RIR; the classic formulas compared by
   LeSuer et al. 1997, J Strength Cond Res 11:211, were fitted on sets of about 10 reps or
   fewer and grow less trustworthy beyond, see :mod:`replog.core.strength`). A set
   without RPE or RIR counts as taken to failure (RIR 0), which can only underestimate.
   The best over six weeks, not the day's: a light day does not lower a 1RM. A single at
   RPE 10 is its own load. A formula has no error estimate for one lifter, so no interval.
3. Otherwise there is no e1RM (``None``), and the caller says so.

The "day" is the caller's: pass the moment the estimate is for (the end of a day for "the
e1RM on that day", the start of a session for "before this session"); only sets before it
count, and the profile passed must be fitted on data before it too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from replog.core.model import SetKind
from replog.core.profile import LoadVelocityProfile, normalise_method
from replog.core.profile_data import ProfilePoint
from replog.core.strength import e1rm_epley

__all__ = [
    "EPLEY",
    "EPLEY_KINDS",
    "EPLEY_MAX_REPS",
    "EPLEY_WINDOW_DAYS",
    "PROFILE",
    "PROFILE_MAX_HALF_WIDTH",
    "PROFILE_MIN_LOADS",
    "PROFILE_MIN_POINTS",
    "PROFILE_MIN_R2",
    "E1rm",
    "Effort",
    "Lifted",
    "ProfileFit",
    "day_end",
    "epley_rir",
    "estimate_e1rm",
    "profile_shortfall",
]

PROFILE = "profile"
EPLEY = "epley_rir"

PROFILE_MIN_POINTS = 4
"""Points (one per load and day): two residual degrees of freedom beyond a line's two."""
PROFILE_MIN_LOADS = 3
"""Different loads: two loads make a line but leave nothing to check its straightness."""
PROFILE_MIN_R2 = 0.90
PROFILE_MAX_HALF_WIDTH = 0.10
"""The Fieller interval's larger half, as a share of the estimate."""
USABLE_MVT_SOURCES = ("given", "learned", "literature")

EPLEY_WINDOW_DAYS = 42
EPLEY_MAX_REPS = 12.0
EPLEY_KINDS = frozenset(
    {SetKind.WORKING, SetKind.BACKOFF, SetKind.PRIMER, SetKind.FAILURE, SetKind.AMRAP}
)
"""Sets lifted for work at a known effort: warm-ups and drop sets (done fatigued, right
after another set) tell little about the 1RM."""

MVT_WORDS = {
    "given": "given",
    "learned": "learned from your max efforts",
    "literature": "published for the lift",
    "default": "a generic placeholder",
}


class Lifted(Protocol):
    """What the rule needs of a set: :class:`Effort`, or any object with these fields."""

    @property
    def at(self) -> datetime: ...  # when (its session's start)
    @property
    def load_kg(self) -> float: ...
    @property
    def reps(self) -> int: ...
    @property
    def rpe(self) -> float | None: ...  # as logged, or 10 - RIR; None without either
    @property
    def kind(self) -> SetKind: ...


@dataclass(frozen=True, slots=True)
class Effort:
    """One logged set as the rule reads it, with what a person needs to find it again."""

    at: datetime
    load_kg: float
    reps: int
    rpe: float | None
    kind: SetKind
    set_id: str = ""
    load_text: str = ""  # as entered, e.g. "137.5 kg"


@dataclass(frozen=True, slots=True)
class ProfileFit:
    """A fitted profile and what it was fitted on: the points, and where its MVT came from
    (``"given"``, ``"learned"``, ``"literature"`` or ``"default"``)."""

    profile: LoadVelocityProfile
    points: Sequence[ProfilePoint]
    mvt_source: str


@dataclass(frozen=True, slots=True)
class E1rm:
    """The e1RM of a lift at a moment, and everything needed to say where it came from."""

    value_kg: float
    source: str  # PROFILE | EPLEY
    method: str  # its name, e.g. "load-velocity profile at MVT 0.30 m/s"
    basis: str  # what it was computed from, in words
    why: str  # why this method and not the other
    at: datetime  # the moment it is the estimate for
    day: date | None  # the day of the newest data it rests on
    effort: Lifted | None = None  # Epley: the set it came from
    sets_considered: int = 0  # Epley: the sets it was the best of
    points: int = 0  # profile: the points of the line
    interval_kg: tuple[float, float] | None = None  # profile: Fieller's interval
    confidence: float | None = None
    see: float | None = None  # profile: standard error of estimate, m/s


def epley_rir(load_kg: float, reps: int, rpe: float | None = None) -> float:
    """Epley with reps in reserve: load * (1 + (reps + RIR) / 30), RIR = 10 - RPE (0 without
    RPE); a set worth one rep (a single at RPE 10) is its load, as in Epley's own table; 0
    for a set of no reps."""
    if reps <= 0:
        return 0.0
    return e1rm_epley(load_kg, reps + (10.0 - rpe if rpe is not None else 0.0))


def day_end(day: date, tz: tzinfo | None = None) -> datetime:
    """The moment ``day`` ends (the next midnight) in ``tz`` (default: the local zone): the
    ``at`` of "the e1RM on that day", which counts every set of the day."""
    midnight = datetime.combine(day + timedelta(days=1), time.min)
    return midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()


def _day(at: datetime) -> date:
    return at.astimezone().date()


def profile_shortfall(fit: ProfileFit) -> str | None:
    """Why ``fit`` may not give the e1RM (None: it may), in words."""
    p = fit.profile
    loads = len({round(x.load_kg, 3) for x in fit.points}) if fit.points else 0
    if normalise_method(p.method) != "ols":
        return "a two-point line has no error estimate; the rule needs a least-squares fit"
    if p.n_ < PROFILE_MIN_POINTS or loads < PROFILE_MIN_LOADS:
        return (
            f"the profile has {p.n_} point{'' if p.n_ == 1 else 's'} on {loads} "
            f"load{'' if loads == 1 else 's'}; it needs {PROFILE_MIN_POINTS} on "
            f"{PROFILE_MIN_LOADS} different loads"
        )
    if not p.r2_ >= PROFILE_MIN_R2:
        return f"the profile's R² is {p.r2_:.2f}, below {PROFILE_MIN_R2:.2f}"
    if fit.mvt_source not in USABLE_MVT_SOURCES:
        return "no published MVT for the lift and none learned from your max efforts"
    interval = p.e1rm_interval_
    if interval is None:
        return "the profile's slope is too uncertain to bound its 1RM"
    half = max(p.e1rm_ - interval[0], interval[1] - p.e1rm_) / p.e1rm_
    if half > PROFILE_MAX_HALF_WIDTH:
        return (
            f"the profile's {p.confidence:.0%} interval is ±{half:.0%}, "
            f"wider than ±{PROFILE_MAX_HALF_WIDTH:.0%}"
        )
    return None


def _from_profile(fit: ProfileFit, at: datetime) -> E1rm:
    p = fit.profile
    days = sorted(x.day for x in fit.points if x.day is not None)
    span = f" from {days[0].isoformat()} to {days[-1].isoformat()}" if days else ""
    see = p.see_ if math.isfinite(p.see_) else None
    loads = len({round(x.load_kg, 3) for x in fit.points})
    basis = (
        f"least squares over {p.n_} points on {loads} loads{span} (R² {p.r2_:.3f}"
        + (f", SEE {see:.3f} m/s" if see is not None else "")
        + f"); MVT {p.mvt_:.2f} m/s, {MVT_WORDS.get(fit.mvt_source, fit.mvt_source)}"
    )
    why = (
        f"your load-velocity profile qualifies (at least {PROFILE_MIN_POINTS} points on "
        f"{PROFILE_MIN_LOADS} loads, R² >= {PROFILE_MIN_R2:.2f}, interval within "
        f"±{PROFILE_MAX_HALF_WIDTH:.0%}), and it comes first"
    )
    return E1rm(
        p.e1rm_,
        PROFILE,
        f"load-velocity profile at MVT {p.mvt_:.2f} m/s",
        basis,
        why,
        at,
        days[-1] if days else None,
        points=p.n_,
        interval_kg=p.e1rm_interval_,
        confidence=p.confidence,
        see=see,
    )


def _from_sets(efforts: Iterable[Lifted], at: datetime, window_days: int, why: str) -> E1rm | None:
    since = at - timedelta(days=window_days)
    best: Lifted | None = None
    best_value = 0.0
    n = 0
    for e in efforts:  # one pass, no calls per set: the analysis runs this 6,000 times
        when, reps, load, rpe = e.at, e.reps, e.load_kg, e.rpe
        if not since <= when < at or reps <= 0 or load <= 0 or e.kind not in EPLEY_KINDS:
            continue
        to_failure = reps + (10.0 - rpe if rpe is not None else 0.0)
        if to_failure > EPLEY_MAX_REPS:
            continue
        n += 1
        value = load if to_failure == 1 else load * (1 + to_failure / 30)  # epley_rir
        if best is None or value > best_value or (value == best_value and when > best.at):
            best, best_value = e, value
    if best is None:
        return None
    effort = f" @{best.rpe:g}" if best.rpe is not None else " (no RPE: RIR 0)"
    text = best.load_text if isinstance(best, Effort) and best.load_text else f"{best.load_kg:g} kg"
    weeks = f"{window_days // 7} weeks" if window_days % 7 == 0 else f"{window_days} days"
    basis = (
        f"{text} x {best.reps}{effort} on {_day(best.at).isoformat()}, the best of {n} "
        f"working set{'' if n == 1 else 's'} in the last {weeks}: load x (1 + (reps + RIR) / 30), "
        "RIR = 10 - RPE"
    )
    return E1rm(
        best_value,
        EPLEY,
        f"Epley with RIR from your best working set in the last {weeks}",
        basis,
        why,
        at,
        _day(best.at),
        effort=best,
        sets_considered=n,
    )


def estimate_e1rm(
    efforts: Iterable[Lifted],
    at: datetime,
    profile: ProfileFit | None = None,
    *,
    window_days: int = EPLEY_WINDOW_DAYS,
) -> E1rm | None:
    """The lift's e1RM at ``at`` by the rule of this module, or None without the data.

    ``efforts`` are the lift's sets (any order; those at or after ``at`` are ignored);
    ``profile`` its load-velocity profile fitted on the points before ``at``, if any.
    """
    if profile is not None:
        shortfall = profile_shortfall(profile)
        if shortfall is None:
            return _from_profile(profile, at)
        why = f"your load-velocity profile does not qualify: {shortfall}"
    else:
        why = "no load-velocity profile (sets with bar velocity at several loads)"
    return _from_sets(efforts, at, window_days, why)
