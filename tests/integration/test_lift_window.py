"""A lift's e1RM and profile from a windowed read of its log equal those from the whole log
(issue 20, item 11): the exercise page, ``replog history`` and the API read only the
windows their days need, so a long history costs no more than a short one."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from replog.core.exercises import Catalogue
from replog.core.ids import new_id
from replog.core.model import Athlete, Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load, Unit
from replog.services.e1rm import LiftHistory, lift_e1rm
from replog.services.ports import UnitOfWork

TODAY = date(2026, 6, 30)
KINDS = [SetKind.WORKING] * 6 + [SetKind.WARMUP, SetKind.FAILURE, SetKind.AMRAP, SetKind.BACKOFF]


def history(uow: UnitOfWork, days: int, seed: int, efforts_until: int = 0) -> Athlete:
    """A squat session every second or third day for ``days`` days before TODAY: random
    kinds, RPEs (some 10), ROMs (some outliers) and velocities, some max efforts (none in
    the last ``efforts_until`` days)."""
    rng = random.Random(seed)
    athlete = Athlete(new_id(), f"lifter-{seed}", Unit.KG, 80.0, datetime(2020, 1, 1, tzinfo=UTC))
    day = TODAY - timedelta(days=days)
    with uow:
        uow.athletes.add(athlete)
        while day < TODAY:
            at = datetime(day.year, day.month, day.day, 17, tzinfo=UTC)
            sid, sets = new_id(int(at.timestamp() * 1000)), []
            for pos in range(1, rng.randint(2, 6)):
                kg = rng.choice([60, 80, 100, 110, 120, 130])
                reps = rng.randint(1, 6)
                v = 1.6 - 0.01 * kg + rng.gauss(0, 0.04)
                late = (TODAY - day).days < efforts_until
                rpe = rng.choice([None, 7.0, 8.0, 9.0] + ([] if late else [10.0]))
                kind = SetKind.WORKING if late else rng.choice(KINDS)
                sets.append(SetRecord(
                    new_id(), sid, "back-squat", pos, Load(Decimal(kg), Unit.KG), reps,
                    at + timedelta(minutes=4 * pos), rpe=rpe, kind=kind,
                    rep_data=tuple(
                        Rep(i + 1, round(max(0.12, v - 0.04 * i), 3),
                            rom=rng.choice([None, 0.6, 0.62, 0.58, 0.3]),
                            source=RepSource.DEVICE)
                        for i in range(reps) if rng.random() > 0.1
                    ),
                ))  # fmt: skip
            uow.sessions.add(Session(sid, athlete.id, at, sets=tuple(sets)))
            day += timedelta(days=rng.choice([2, 3]))
        uow.commit()
    return athlete


@pytest.mark.parametrize(("seed", "efforts_until"), [(1, 0), (2, 400)])
def test_a_windowed_read_answers_as_the_whole_log(
    uow: UnitOfWork, seed: int, efforts_until: int
) -> None:
    athlete = history(uow, 700, seed, efforts_until)
    squat = Catalogue().get("back-squat")
    with uow:
        whole = LiftHistory.of_rows(squat, uow.sets.history(athlete.id, "back-squat"))
    first = TODAY - timedelta(days=120)
    with uow:
        window = LiftHistory.read(uow, athlete, squat, first)
    assert len(window.sets) < len(whole.sets) / 3  # it did read less
    days = [d for d in whole.session_days() if d >= first] + [TODAY]
    assert window.series(days) == whole.series(days)
    for d in (first, TODAY):
        a, b = window.report(d), whole.report(d)
        assert (a.points, a.dropped, a.mvt, a.mvt_source, a.mvt_samples, a.e1rm) == (
            b.points, b.dropped, b.mvt, b.mvt_source, b.mvt_samples, b.e1rm,
        )  # fmt: skip
    assert whole.report(TODAY).mvt_source == "learned"  # the max efforts were found
    with pytest.raises(ValueError, match="read from"):
        window.estimate(first - timedelta(days=30))


def test_the_page_series_and_the_api_agree_at_any_span(uow: UnitOfWork) -> None:
    athlete = history(uow, 500, 3)
    now = datetime(2026, 6, 30, 20, tzinfo=UTC)
    year = lift_e1rm(uow, athlete, "squat", now=now, since=TODAY - timedelta(days=365))
    every = lift_e1rm(uow, athlete, "squat", now=now, every_day=True)
    today = lift_e1rm(uow, athlete, "squat", now=now)
    assert year.estimate == every.estimate == today.estimate
    assert year.estimate is not None
    days = [d for d in every.lift.session_days() if d >= TODAY - timedelta(days=365)]
    assert year.lift.series(days) == every.lift.series(days)
