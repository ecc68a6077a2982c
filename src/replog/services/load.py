"""Training load from the log: per-day loads, monotony and strain, ACWR, fitness-fatigue.

Two daily loads are derived from the sets (:mod:`replog.core.training_load` holds the models):

* **Session RPE load** (Foster et al. 2001): the session's RPE times its minutes. RepLog asks
  for no separate session rating, so the session's RPE is the mean RPE of its rated
  non-warm-up sets (RPE as logged, or 10 - RIR). Foster's rating is a whole-session CR-10
  rating given 30 minutes later; a mean of set RPEs runs close to it for strength sessions
  but is not the same measure. The minutes are the session's own (start to end), or first to
  last set plus 5 min while it is open, kept within 10-180. A session without a rated set
  takes the lifter's median RPE, or 7 without any.
* **Volume load**: kilograms times reps over the non-warm-up sets.

The session RPE load drives the ACWR, the monotony and the fitness-fatigue model, because it
carries intensity as well as volume. A day's load counts from the next day on: readiness is
judged before training, the convention of :func:`replog.core.training_load.banister`. The
model is fitted to the e1RM (:mod:`replog.core.e1rm`, the one every surface shows) of the
lifter's most trained lift on each of its session days; a fit explaining less than half the
variance, or with a time constant at its search limit, is reported and not used.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from replog.core.errors import ValidationError
from replog.core.exercises import Catalogue
from replog.core.model import Athlete, Session, SetKind
from replog.core.training_load import (
    DEFAULT_BANISTER,
    BanisterFit,
    BanisterParams,
    acwr,
    banister,
    fit_banister,
    monotony,
    predict,
    session_rpe_load,
    strain,
    weekly_load,
)
from replog.services.catalogue import catalogue_for
from replog.services.e1rm import LiftE1rms
from replog.services.ports import UnitOfWork

HISTORY_DAYS = 180  # how far back the load series reaches
DEFAULT_SESSION_RPE = 7.0
MIN_R2 = 0.5  # a fitted fitness-fatigue model explaining less is not used


def local_day(at: datetime) -> date:
    return at.astimezone().date()


def session_minutes(s: Session) -> float:
    """The session's length: start to end, or start to the last set plus 5 min."""
    end = s.ended_at
    if end is None:
        last = max((x.performed_at for x in s.sets if x.performed_at), default=s.started_at)
        end = last + timedelta(minutes=5)
    return min(180.0, max(10.0, (end - s.started_at).total_seconds() / 60))


def session_rpe(s: Session) -> float | None:
    """Mean RPE of the session's rated sets other than warm-ups, None without one."""
    rated = [
        x.effective_rpe
        for x in s.sets
        if x.kind is not SetKind.WARMUP and x.effective_rpe is not None
    ]
    return statistics.fmean(r for r in rated if r is not None) if rated else None


def volume_load(s: Session) -> float:
    return sum(x.load.kg * x.reps for x in s.sets if x.kind is not SetKind.WARMUP)


@dataclass(frozen=True, slots=True)
class DayLoad:
    day: date
    srpe: float  # session-RPE load, AU
    volume_kg: float
    sessions: int


@dataclass(frozen=True, slots=True)
class LoadReport:
    athlete: Athlete
    day: date  # the day the figures are for, before its training
    days: tuple[DayLoad, ...]  # oldest first, up to the day before ``day``
    weekly: float
    monotony: float | None
    strain: float | None
    acwr: float | None
    banister: BanisterState
    rpe_estimated_sessions: int  # sessions whose RPE fell back to a default


@dataclass(frozen=True, slots=True)
class BanisterState:
    params: BanisterParams
    fitted: bool
    fit: BanisterFit | None
    exercise: str | None  # whose e1RM the model was fitted to
    fitness: float
    fatigue: float
    performance: float  # today, before training (e1RM kg when fitted, else AU)
    why: str


def daily_loads(sessions: Sequence[Session], start: date, end: date) -> tuple[list[DayLoad], int]:
    """One :class:`DayLoad` per calendar day from ``start`` to ``end`` inclusive, and how
    many sessions had no rated set."""
    if end < start:
        raise ValidationError("the end day is before the start day", field="day")
    rated = [r for s in sessions if (r := session_rpe(s)) is not None]
    fallback = statistics.median(rated) if rated else DEFAULT_SESSION_RPE
    srpe: dict[date, float] = defaultdict(float)
    volume: dict[date, float] = defaultdict(float)
    count: dict[date, int] = defaultdict(int)
    estimated = 0
    for s in sessions:
        d = local_day(s.started_at)
        if not start <= d <= end or not s.sets:
            continue
        rpe = session_rpe(s)
        estimated += rpe is None
        srpe[d] += session_rpe_load(session_minutes(s), fallback if rpe is None else rpe)
        volume[d] += volume_load(s)
        count[d] += 1
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    out = [DayLoad(d, round(srpe[d], 1), round(volume[d], 1), count[d]) for d in days]
    return out, estimated


def _e1rm_observations(
    sessions: Sequence[Session], start: date, end: date, catalogue: Catalogue | None = None
) -> tuple[str | None, list[tuple[int, float]]]:
    """The most trained lift's e1RM on each of its session days (day index from
    ``start``), as :mod:`replog.core.e1rm` gives it."""
    counts: dict[str, int] = defaultdict(int)
    for s in sessions:
        for x in s.sets:
            if x.kind is SetKind.WORKING:
                counts[x.exercise] += 1
    if not counts:
        return None, []
    lift = max(sorted(counts), key=lambda k: counts[k])
    e1rms = LiftE1rms(sessions, catalogue)
    out: list[tuple[int, float]] = []
    for d in e1rms.lift(lift).session_days():
        e = e1rms.on(lift, d) if start <= d <= end else None
        if e is not None:
            out.append(((d - start).days, e.value_kg))
    return lift, out


def _banister_state(
    sessions: Sequence[Session],
    loads: list[float],
    start: date,
    today: date,
    catalogue: Catalogue | None = None,
) -> BanisterState:
    lift, obs = _e1rm_observations(sessions, start, today - timedelta(days=1), catalogue)
    n = (today - start).days
    fit: BanisterFit | None = None
    why = ""
    if lift is not None:
        try:
            fit = fit_banister(loads, obs)
        except ValidationError as exc:
            why = f"not fitted ({exc.message}); textbook time constants, form in AU"
    r2 = fit.r2 if fit is not None and fit.r2 is not None else 0.0
    fitted = fit is not None and fit.converged and r2 >= MIN_R2 and not fit.at_bounds
    if fit is not None and fitted:
        why = (
            f"fitted to your {lift} e1RM on {fit.n} session days: RMSE {fit.rmse:.1f} kg, "
            f"R^2 {r2:.2f}"
        )
    elif fit is not None:
        stuck = f", {' and '.join(fit.at_bounds)} at the search limit" if fit.at_bounds else ""
        why = (
            f"your {lift} e1RM history does not pin the model down (R^2 {r2:.2f}{stuck}); "
            "textbook time constants, form in AU"
        )
    elif not why:
        why = "no working sets to fit to; textbook time constants, form in AU"
    params = fit.params if fit is not None and fitted else DEFAULT_BANISTER
    series = banister([*loads, 0.0], params)
    fitness, fatigue = series.fitness[n], series.fatigue[n]
    performance = predict(loads, params, n)
    return BanisterState(params, fitted, fit, lift, fitness, fatigue, performance, why)


def load_report(uow: UnitOfWork, athlete: Athlete, day: date | None = None) -> LoadReport:
    """Training load up to the day before ``day`` (default today)."""
    today = day or datetime.now().astimezone().date()
    start = today - timedelta(days=HISTORY_DAYS)
    since = datetime.combine(start - timedelta(days=1), datetime.min.time()).astimezone()
    with uow:
        sessions = uow.sessions.all_for(athlete.id, since=since)
        catalogue = catalogue_for(uow, athlete.id)
    return load_from_sessions(athlete, sessions, today, catalogue)


def load_from_sessions(
    athlete: Athlete, sessions: Sequence[Session], today: date, catalogue: Catalogue | None = None
) -> LoadReport:
    start = today - timedelta(days=HISTORY_DAYS)
    first = min((local_day(s.started_at) for s in sessions), default=today)
    start = max(start, first)
    if start >= today:
        empty = BanisterState(DEFAULT_BANISTER, False, None, None, 0.0, 0.0, 0.0, "no training")
        return LoadReport(athlete, today, (), 0.0, None, None, None, empty, 0)
    days, estimated = daily_loads(sessions, start, today - timedelta(days=1))
    loads = [d.srpe for d in days]
    ratio = acwr(loads)[-1]
    state = _banister_state(sessions, loads, start, today, catalogue)
    return LoadReport(
        athlete,
        today,
        tuple(days),
        weekly_load(loads),
        monotony(loads),
        strain(loads),
        ratio,
        state,
        estimated,
    )
