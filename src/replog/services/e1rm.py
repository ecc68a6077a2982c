"""The e1RM of a lift on a day, as every surface shows it. :mod:`replog.core.e1rm` holds the
rule; :class:`LiftHistory` applies it to a lift's log, day by day.

* :func:`lift_e1rm` reads one lift's log once and answers today's e1RM, its profile, and
  the e1RM of any earlier day: ``replog history``, ``replog profile``, the API's ``/e1rm``
  and ``/profiles`` and the exercise page all read it, so they agree to the gram.
* :class:`LiftE1rms` answers the same for every lift of a list of sessions (readiness'
  warm-up anchor, the fitness-fatigue fit), each lift's history built once.
* :func:`e1rm_doc` is its one JSON document, wherever it is shown.

"The e1RM on a day" counts every set of the day: it is the estimate at the day's end
(:func:`replog.core.e1rm.day_end`), and its profile is fitted on the 8 weeks up to then,
by calendar day.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from replog.core.e1rm import EPLEY_WINDOW_DAYS, E1rm, Effort, day_end, estimate_e1rm
from replog.core.exercises import Catalogue, Equipment, Exercise, Pattern
from replog.core.model import Athlete, Session, SetRecord
from replog.core.profile import normalise_method
from replog.core.profile_data import DEFAULT_DAYS, max_effort_last_reps
from replog.services.catalogue import catalogue_for
from replog.services.ports import HistoryRow, UnitOfWork
from replog.services.profiles import ProfileReport, profile_of

MAX_EFFORTS_LOOKED_AT = 50
"""A windowed read looks for the learned MVT's max efforts among this many of the newest
sets marked as max efforts before its window (those with a usable final rep count)."""


def local_today(now: datetime | None = None) -> date:
    """The local day of ``now`` (default: now)."""
    return (now or datetime.now(UTC)).astimezone().date()


def effort_of(at: datetime, s: SetRecord) -> Effort:
    """A logged set as :func:`replog.core.e1rm.estimate_e1rm` reads it."""
    return Effort(at, s.load.kg, s.reps, s.effective_rpe, s.kind, s.id, s.load.text)


class LiftHistory:
    """One lift's log (its sets with their sessions' starts), ready to answer, for any
    day, the profile and the e1RM of that day from the sets up to its end."""

    def __init__(
        self,
        exercise: Exercise,
        rows: Iterable[tuple[datetime, SetRecord]],
        athlete: str | None = None,
        *,
        since: datetime | None = None,
        earlier: int = 0,
        earlier_max_efforts: Sequence[SetRecord] = (),
    ):
        """``rows`` are the lift's sets; when they are only those of sessions started from
        ``since`` on (a windowed read), ``earlier`` counts the sets before and
        ``earlier_max_efforts`` are the newest max efforts before (for the learned MVT)."""
        ordered = sorted(rows, key=lambda r: (r[0], r[1].performed_at, r[1].position))
        self.exercise = exercise
        self.athlete = athlete
        self.since = since
        self.earlier = earlier
        self.starts = [at for at, _ in ordered]
        self.sets = [s for _, s in ordered]
        self.efforts = [effort_of(at, s) for at, s in ordered]
        found = max_effort_last_reps([*earlier_max_efforts, *self.sets])
        self._effort_times = [t for t, _ in found]
        self._effort_velocities = [v for _, v in found]

    @classmethod
    def of_rows(
        cls, exercise: Exercise, rows: Iterable[HistoryRow], athlete: str | None = None
    ) -> LiftHistory:
        return cls(exercise, ((r.session_started_at, r.set) for r in rows), athlete)

    @classmethod
    def read(
        cls,
        uow: UnitOfWork,
        athlete: Athlete,
        exercise: Exercise,
        first_day: date | None,
        days: int | None = DEFAULT_DAYS,
    ) -> LiftHistory:
        """The lift's log as needed to answer from ``first_day`` on (None: every day), with
        profiles of ``days`` days; call inside an open unit of work. A day's answer reads
        only its window, so a long history costs no more than a short one."""
        if first_day is None or days is None:
            return cls.of_rows(exercise, uow.sets.history(athlete.id, exercise.key), athlete.name)
        since = day_end(first_day) - timedelta(days=max(days, DEFAULT_DAYS, EPLEY_WINDOW_DAYS) + 2)
        rows = uow.sets.history(athlete.id, exercise.key, since=since)
        earlier, maximal = uow.sets.earlier(athlete.id, exercise.key, since, MAX_EFFORTS_LOOKED_AT)
        return cls(
            exercise, ((r.session_started_at, r.set) for r in rows), athlete.name,
            since=since, earlier=earlier, earlier_max_efforts=maximal,
        )  # fmt: skip

    def _check_read(self, start: datetime) -> None:
        if self.since is not None and start < self.since:
            raise ValueError(f"the lift's log was read from {self.since}, not from {start}")

    @classmethod
    def of_sessions(cls, exercise: Exercise, sessions: Iterable[Session]) -> LiftHistory:
        """The lift's sets in ``sessions`` (which may hold other lifts too)."""
        key = exercise.key
        return cls(
            exercise, ((s.started_at, x) for s in sessions for x in s.sets if x.exercise == key)
        )

    def session_days(self) -> list[date]:
        """The local days with a session of the lift, oldest first."""
        return sorted({at.astimezone().date() for at in self.starts})

    def profile(
        self,
        day: date,
        *,
        method: str = "ols",
        days: int | None = DEFAULT_DAYS,
        mvt: float | None = None,
    ) -> ProfileReport:
        """The profile on ``day``: the ``days`` calendar days up to it (``None``: all)."""
        at = day_end(day)
        hi = bisect_left(self.starts, at)
        # a day's margin: the window is over the sets' own times, which follow the start
        start = datetime.min.replace(tzinfo=UTC) if days is None else at - timedelta(days=days + 1)
        self._check_read(start)
        lo = bisect_left(self.starts, start)
        max_efforts = self._effort_velocities[: bisect_left(self._effort_times, at)]
        return profile_of(
            self.exercise,
            self.sets[lo:hi],
            method=method,
            days=days,
            mvt=mvt,
            now=at,
            max_efforts=max_efforts,
            athlete=self.athlete,
            older=lo + self.earlier,
        )

    def estimate(self, day: date, profile: ProfileReport | None = None) -> E1rm | None:
        """The lift's e1RM on ``day`` (:func:`replog.core.e1rm.estimate_e1rm`); pass the
        day's default profile when it is at hand, to save fitting it again."""
        at = day_end(day)
        report = profile if profile is not None else self.profile(day)
        self._check_read(at - timedelta(days=EPLEY_WINDOW_DAYS))
        lo = bisect_left(self.starts, at - timedelta(days=EPLEY_WINDOW_DAYS))
        return estimate_e1rm(self.efforts[lo : bisect_left(self.starts, at)], at, report.fit)

    def report(
        self,
        day: date,
        *,
        method: str = "ols",
        days: int | None = DEFAULT_DAYS,
        mvt: float | None = None,
    ) -> ProfileReport:
        """The profile on ``day`` with these options, carrying the day's e1RM."""
        report = self.profile(day, method=method, days=days, mvt=mvt)
        default = normalise_method(method) == "ols" and days == DEFAULT_DAYS and mvt is None
        return replace(report, e1rm=self.estimate(day, report if default else None))

    def series(self, days: Iterable[date] | None = None) -> list[tuple[date, E1rm | None]]:
        """The e1RM on each of ``days`` (default: every session day), oldest first."""
        wanted = self.session_days() if days is None else sorted(set(days))
        return [(d, self.estimate(d)) for d in wanted]


class LiftE1rms:
    """The e1RM of each lift of ``sessions`` on any day, each lift's history built on first
    use. A lift missing from ``catalogue`` (default: the built-in one) has no published MVT,
    so its profile cannot qualify: its e1RM is its sets'."""

    def __init__(self, sessions: Sequence[Session], catalogue: Catalogue | None = None):
        self._sessions = sessions
        self._catalogue = catalogue if catalogue is not None else Catalogue()
        self._lifts: dict[str, LiftHistory] = {}
        self._known: dict[tuple[str, date], E1rm | None] = {}

    def lift(self, key: str) -> LiftHistory:
        if key not in self._lifts:
            cat = self._catalogue
            exercise = (
                cat.get(key)
                if key in cat
                else Exercise(key, key, Equipment.OTHER, Pattern.OTHER, custom=True)
            )
            self._lifts[key] = LiftHistory.of_sessions(exercise, self._sessions)
        return self._lifts[key]

    def on(self, key: str, day: date) -> E1rm | None:
        """The e1RM of lift ``key`` on ``day`` (from the sets up to the day's end)."""
        if (key, day) not in self._known:
            self._known[key, day] = self.lift(key).estimate(day)
        return self._known[key, day]


@dataclass(frozen=True, slots=True)
class LiftE1rm:
    athlete: Athlete
    exercise: Exercise
    day: date  # "today": the day the estimate and the profile are for
    profile: ProfileReport  # the profile with the options asked for; ``.e1rm`` is the e1RM
    lift: LiftHistory  # for the e1RM of other days

    @property
    def estimate(self) -> E1rm | None:
        return self.profile.e1rm


def lift_e1rm(
    uow: UnitOfWork,
    athlete: Athlete,
    exercise_name: str,
    *,
    now: datetime | None = None,
    method: str = "ols",
    days: int | None = DEFAULT_DAYS,
    mvt: float | None = None,
    since: date | None = None,
    every_day: bool = False,
) -> LiftE1rm:
    """One lift's e1RM today (the local day of ``now``), with its profile fitted with the
    options given (the e1RM always uses the default profile), from one read of the log:
    the windows the answers of today and of the days from ``since`` on need (``lift.series``
    over them), or of every day with ``every_day``."""
    today = local_today(now)
    with uow:
        exercise = catalogue_for(uow, athlete.id).resolve(exercise_name)
        first = None if every_day else min(since or today, today)
        lift = LiftHistory.read(uow, athlete, exercise, first, days)
    report = lift.report(today, method=method, days=days, mvt=mvt)
    return LiftE1rm(athlete, exercise, today, report, lift)


def e1rm_doc(e: E1rm | None) -> dict[str, Any] | None:
    """The one e1RM document (:mod:`replog.core.e1rm`): what ``replog history``, ``replog
    profile``, ``replog pap``, the API's ``/e1rm`` and ``/profiles`` all carry as ``e1rm``."""
    if e is None:
        return None
    effort = e.effort
    from_set = None
    if effort is not None:
        named = effort if isinstance(effort, Effort) else None
        from_set = {
            "id": (named.set_id or None) if named else None,
            "date": effort.at.astimezone().date().isoformat(),
            "load": (named.load_text or None) if named else None,
            "load_kg": round(effort.load_kg, 3),
            "reps": effort.reps,
            "rpe": effort.rpe,
        }
    interval = e.interval_kg
    return {
        "value_kg": round(e.value_kg, 1),
        "source": e.source,
        "method": e.method,
        "basis": e.basis,
        "why": e.why,
        "day": (e.at - timedelta(microseconds=1)).astimezone().date().isoformat(),
        "newest_data": e.day.isoformat() if e.day else None,
        "interval_kg": [round(interval[0], 1), round(interval[1], 1)] if interval else None,
        "confidence": e.confidence if interval else None,
        "see_m_s": None if e.see is None else round(e.see, 4),
        "points": e.points or None,
        "sets_considered": e.sets_considered or None,
        "from_set": from_set,
    }
