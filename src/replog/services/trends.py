"""Longer views for the history pages: the battery day by day and every "does this primer /
tag help me?" review of a lifter, each in one read. (The e1RM day by day is
:meth:`replog.services.profiles.LiftHistory.series`.)

* :func:`battery_history` scores each of the last ``days`` days as
  :func:`replog.services.readiness.readiness` scores today (the check-ins before the day,
  the warm-up of the day, training load up to the day before), reading the log once; a day
  with nothing to read has no score (None), never a default.
* :func:`insights` runs :func:`replog.core.pap.evaluate_pap` for every lift with primer
  sets and :func:`replog.core.pap.compare_tag` for every tag used on it, one history read
  per lift. A tag that marks exactly the primer sessions is left out (the same comparison).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from replog.core.exercises import Exercise
from replog.core.model import Athlete, CheckIn
from replog.core.pap import Review, ReviewOptions, compare_tag, evaluate_pap
from replog.services.catalogue import catalogue_for
from replog.services.load import local_day
from replog.services.pap import dated_sets, review_options, review_rows
from replog.services.ports import Marker, UnitOfWork
from replog.services.readiness import LOOKBACK_DAYS, read_log

MAX_BATTERY_DAYS = LOOKBACK_DAYS - 28  # every day keeps four weeks of history behind it


@dataclass(frozen=True, slots=True)
class BatteryDay:
    day: date
    score: int | None  # None: no reading that day
    level: str  # the advice's level: go | steady | easy | rest, or none without a reading
    summary: str
    checkin: CheckIn | None
    trained: bool  # a session started that day


@dataclass(frozen=True, slots=True)
class BatteryHistory:
    athlete: Athlete
    days: tuple[BatteryDay, ...]  # oldest first, ending with ``today``


def battery_history(
    uow: UnitOfWork, athlete: Athlete, today: date, days: int = 84
) -> BatteryHistory:
    """The battery of each of the ``days`` days up to ``today`` (at most
    :data:`MAX_BATTERY_DAYS`), with the day's check-in and whether it had a session."""
    days = max(1, min(days, MAX_BATTERY_DAYS))
    log = read_log(uow, athlete, today)
    days_of = [local_day(s.started_at) for s in log.sessions]
    trained = set(days_of)
    rested = replace(log, sessions=[])  # a day without a session has no warm-up to read
    out = []
    for i in range(days - 1, -1, -1):
        d = today - timedelta(days=i)
        if d in trained:  # the warm-up reading looks at this day and the ones before only
            upto = [s for s, sd in zip(log.sessions, days_of, strict=True) if sd <= d]
            b = replace(log, sessions=upto).battery(d)[0]
        else:
            b = rested.battery(d)[0]
        out.append(
            BatteryDay(d, b.score, b.advice.level, b.summary, log.checkins.get(d), d in trained)
        )
    return BatteryHistory(log.athlete, tuple(out))


@dataclass(frozen=True, slots=True)
class Insight:
    exercise: Exercise
    review: Review  # review.subject: "primer" or the tag


def insights(uow: UnitOfWork, athlete: Athlete) -> tuple[Athlete, list[Insight]]:
    """Every primer and tag review of every lift the athlete has logged, by sets logged;
    each lift's log read only around its marked sessions (:func:`review_rows`)."""
    with uow:
        cat = catalogue_for(uow, athlete.id)
        used = uow.sets.exercises_used(athlete.id)
        marked: dict[str, list[Marker]] = defaultdict(list)
        for m in uow.sets.markers(athlete.id):
            marked[m.exercise].append(m)
    out: list[Insight] = []
    for key in sorted(marked, key=lambda k: (-used.get(k, 0), k)):
        if key not in cat:
            continue
        exercise = cat.get(key)
        primed = {m.session_id for m in marked[key] if m.primer}
        opt = review_options(uow, athlete, exercise) if primed else ReviewOptions()
        with uow:
            rows = review_rows(uow, athlete, exercise, marked[key], opt.window_days)
        pairs = dated_sets(rows)
        if primed:
            out.append(Insight(exercise, evaluate_pap(pairs, opt)))
        for tag in sorted({t for m in marked[key] for t in m.tags}):
            if {m.session_id for m in marked[key] if tag in m.tags} == primed:
                continue  # the same sessions as the primer's: the same comparison
            out.append(Insight(exercise, compare_tag(pairs, tag)))
    return athlete, out
