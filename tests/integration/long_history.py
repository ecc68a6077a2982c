"""A long, varied history of one lift for the tests of windowed reads (issue 20)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from replog.core.ids import new_id
from replog.core.model import Athlete, Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load, Unit
from replog.services.ports import UnitOfWork

TODAY = date(2026, 6, 30)
KINDS = [SetKind.WORKING] * 6 + [SetKind.WARMUP, SetKind.FAILURE, SetKind.AMRAP, SetKind.BACKOFF]


def history(
    uow: UnitOfWork, days: int, seed: int, efforts_until: int = 0, marked_every: int = 0
) -> Athlete:
    """A squat session every second or third day for ``days`` days before TODAY: random
    kinds, RPEs (some 10), ROMs (some outliers) and velocities, some max efforts (none in
    the last ``efforts_until`` days); with ``marked_every``, about one session in that many
    starts with a primer single, and one in that many has its sets tagged "belt"."""
    rng = random.Random(seed)
    athlete = Athlete(new_id(), f"lifter-{seed}", Unit.KG, 80.0, datetime(2020, 1, 1, tzinfo=UTC))
    day = TODAY - timedelta(days=days)
    with uow:
        uow.athletes.add(athlete)
        while day < TODAY:
            at = datetime(day.year, day.month, day.day, 17, tzinfo=UTC)
            sid, sets = new_id(int(at.timestamp() * 1000)), []
            primer = marked_every and rng.random() < 1 / marked_every
            belt = marked_every and rng.random() < 1 / marked_every
            if primer:
                sets.append(SetRecord(
                    new_id(), sid, "back-squat", 1, Load(Decimal(140), Unit.KG), 1, at,
                    kind=SetKind.PRIMER, rest_s=480,
                ))  # fmt: skip
            for pos in range(1 + len(sets), rng.randint(2, 6) + len(sets)):
                kg = rng.choice([60, 80, 100, 110, 120, 130])
                reps = rng.randint(1, 6)
                v = 1.6 - 0.01 * kg + rng.gauss(0, 0.04)
                late = (TODAY - day).days < efforts_until
                rpe = rng.choice([None, 7.0, 8.0, 9.0] + ([] if late else [10.0]))
                kind = SetKind.WORKING if late else rng.choice(KINDS)
                sets.append(SetRecord(
                    new_id(), sid, "back-squat", pos, Load(Decimal(kg), Unit.KG), reps,
                    at + timedelta(minutes=4 * pos), rpe=rpe, kind=kind,
                    tags=("belt",) if belt else (),
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
