"""The CNS battery of a day, its trend, and what it does to the next session's plan.

Evidence (see :mod:`replog.core.readiness` for the scoring):

* the day's check-in against the earlier ones;
* the warm-up: the first lift of the day with a velocity baseline at its **anchor load**,
  the warm-up load the lifter has lifted on the most days (35-70 % of the lift's e1RM of
  the day before, :mod:`replog.core.e1rm`), or the one they set; today's mean velocity
  there against the last sessions';
* training load up to the day before (session-RPE load, :mod:`replog.services.load`).

The advice is applied to the plan: :func:`plan_for` takes each lift trained in the last
three weeks, its latest top working set, and gives today's load after the advice (rounded
down to the plates) with the RPE cap and whether a PAP primer belongs in it.

A day with nothing to read has no reading (no score, advice "none"): the trend's series
holds None there, and the plan stays as written. The trend is computed from the very series
every surface shows (:attr:`Readiness.trend` ``.days``: the day and the
:data:`TREND_DAYS` before it), and :func:`replog.services.documents.readiness_doc` is the
one document the CLI, the API, the web pages and the coach's view render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from replog.core.errors import ValidationError
from replog.core.ids import new_id
from replog.core.model import Athlete, CheckIn, Session, SetKind, SetRecord
from replog.core.readiness import (
    Advice,
    Battery,
    Trend,
    WarmupReading,
    apply_advice,
    assess,
    choose_anchor_load,
    trend,
    warmup_reading,
)
from replog.core.training_load import acwr, monotony
from replog.core.units import KG_PER_LB, Unit
from replog.core.velocity import set_velocity
from replog.services.athletes import write_new_athlete
from replog.services.catalogue import catalogue_for
from replog.services.e1rm import LiftE1rms
from replog.services.load import daily_loads, local_day
from replog.services.ports import UnitOfWork

LOOKBACK_DAYS = 120
TREND_DAYS = 7  # the trend shows (and reads) the day and the 7 days before it
PLAN_DAYS = 21  # lifts trained this recently get a line in the prescription
SAME_LOAD = 0.01  # a warm-up within 1 % of the anchor is at the anchor


@dataclass(frozen=True, slots=True)
class PlannedLift:
    exercise: str
    last_day: date
    reps: int
    last_load_kg: float
    load_kg: float  # after the advice, on the plates
    rpe_cap: float | None
    primer: bool  # a PAP primer single may go first


@dataclass(frozen=True, slots=True)
class Readiness:
    athlete: Athlete
    day: date
    checkin: CheckIn | None
    battery: Battery
    warmup: WarmupReading | None
    acwr: float | None
    monotony: float | None
    trend: Trend  # over ``trend.days``: the day and the TREND_DAYS before it, as shown
    plan: tuple[PlannedLift, ...]


def _warmups(sessions: Sequence[Session], exercise: str) -> list[tuple[date, float, float]]:
    out = []
    for s in sessions:
        for x in s.sets:
            if x.exercise == exercise and x.kind is SetKind.WARMUP:
                v = set_velocity(x)
                if v is not None:
                    out.append((local_day(s.started_at), x.load.kg, v.mean))
    return out


def warmup_for_day(
    sessions: Sequence[Session],
    day: date,
    anchors: dict[str, float] | None = None,
    e1rms: LiftE1rms | None = None,
) -> WarmupReading | None:
    """The day's warm-up reading: the first lift of the day that has one with a baseline
    (else the first with any reading); None when nothing was lifted at an anchor load.
    ``e1rms`` gives each lift's e1RM (default: from ``sessions`` and the built-in lifts)."""
    before = [s for s in sessions if local_day(s.started_at) < day]
    e1rms = e1rms if e1rms is not None else LiftE1rms(sessions)
    today = [s for s in sessions if local_day(s.started_at) == day]
    order = list(dict.fromkeys(x.exercise for s in today for x in s.sets))
    found: WarmupReading | None = None
    for exercise in order:
        past = _warmups(before, exercise)
        anchor = (anchors or {}).get(exercise)
        if anchor is None and past:  # the e1RM the day before: today's sets come after
            e1rm = e1rms.on(exercise, day - timedelta(days=1))
            anchor = choose_anchor_load(past, e1rm.value_kg if e1rm is not None else None)
        if anchor is None:
            continue
        near = [
            v for _, kg, v in _warmups(today, exercise) if abs(kg - anchor) <= SAME_LOAD * anchor
        ]
        if not near:
            continue
        history = [(d, v) for d, kg, v in past if abs(kg - anchor) <= SAME_LOAD * anchor]
        reading = warmup_reading(
            history, sum(near) / len(near), load_kg=anchor, exercise=exercise.replace("-", " ")
        )
        if reading.verdict != "no_baseline":
            return reading
        found = found or reading
    return found


@dataclass(frozen=True, slots=True)
class TrainingLog:
    """What the battery reads, loaded once for a day and the days before it."""

    athlete: Athlete
    sessions: list[Session]  # up to and including the day
    checkins: dict[date, CheckIn]
    anchors: dict[str, float]
    e1rms: LiftE1rms  # each lift's e1RM by day, from ``sessions``
    start: date  # the first training day
    srpe: list[float]  # daily session-RPE load from ``start`` to the day before the last
    ratios: list[float | None]  # the ACWR of each of those days (an EWMA only looks back)

    def battery(
        self, day: date
    ) -> tuple[Battery, WarmupReading | None, float | None, float | None]:
        """The battery of ``day``, on the check-ins before it and the loads up to the day
        before (so today's training does not drain today's battery)."""
        history = [c for d, c in sorted(self.checkins.items()) if d < day]
        warm = warmup_for_day(self.sessions, day, self.anchors, self.e1rms)
        n = (day - self.start).days
        ratio, mono = (self.ratios[n - 1], monotony(self.srpe[:n])) if n > 0 else (None, None)
        b = assess(self.checkins.get(day), history, warmup=warm, acwr=ratio, monotony=mono)
        return b, warm, ratio, mono


def read_log(uow: UnitOfWork, athlete: Athlete, today: date) -> TrainingLog:
    """What the battery of ``today`` and the days before it reads, in one unit of work."""
    since = datetime.combine(today - timedelta(days=LOOKBACK_DAYS), datetime.min.time())
    with uow:
        sessions = uow.sessions.all_for(athlete.id, since=since.astimezone())
        checkins = {c.day: c for c in uow.checkins.list(athlete.id) if c.day <= today}
        anchors = uow.anchors.list(athlete.id)
        catalogue = catalogue_for(uow, athlete.id)
    sessions = [s for s in sessions if local_day(s.started_at) <= today]
    start = min((local_day(s.started_at) for s in sessions), default=today)
    srpe: list[float] = []
    if today > start:
        srpe = [d.srpe for d in daily_loads(sessions, start, today - timedelta(days=1))[0]]
    e1rms = LiftE1rms(sessions, catalogue)
    return TrainingLog(
        athlete, sessions, checkins, anchors, e1rms, start, srpe, acwr(srpe) if srpe else []
    )


def plan_of_day(uow: UnitOfWork, athlete: Athlete, day: date) -> tuple[PlannedLift, ...]:
    """The advised plan of ``day`` alone, as :func:`readiness` gives it, without reading
    the battery of the days before (the trend): what Drive prefills from."""
    log = read_log(uow, athlete, day)
    return plan_for(log.sessions, day, log.battery(day)[0], log.athlete.default_unit)


def battery_of_day(uow: UnitOfWork, athlete: Athlete, day: date) -> Battery:
    """The battery of ``day`` alone, without the trend or the plan (score None: no reading)."""
    return read_log(uow, athlete, day).battery(day)[0]


@dataclass(frozen=True, slots=True)
class PlanBattery:
    """The day's battery as :mod:`replog.services.pap` reads it: its score (None: no
    reading yet) and its advice ("none" then: nothing to adjust)."""

    score: int | None
    advice: Advice


def day_battery(uow: UnitOfWork, athlete: Athlete, day: date) -> PlanBattery:
    """The battery of ``day`` for the PAP block (see :class:`PlanBattery`)."""
    b = battery_of_day(uow, athlete, day)
    return PlanBattery(b.score, b.advice)


def plan_for(
    sessions: Sequence[Session], day: date, battery: Battery, unit: Unit
) -> tuple[PlannedLift, ...]:
    """Each lift trained in the last :data:`PLAN_DAYS` days up to ``day`` (today's sets
    too: two sets logged this morning are training, not "nothing in three weeks"): its
    latest top working set, and that load after today's advice."""
    inc = 2.5 if unit is Unit.KG else 5 * float(KG_PER_LB)
    latest: dict[str, tuple[date, SetRecord]] = {}
    for s in sorted(sessions, key=lambda s: s.started_at):
        d = local_day(s.started_at)
        if not day - timedelta(days=PLAN_DAYS) <= d <= day:  # today's sets count too
            continue
        working = [x for x in s.sets if x.kind is SetKind.WORKING and x.reps > 0]
        for ex in dict.fromkeys(x.exercise for x in working):
            top = max((x for x in working if x.exercise == ex), key=lambda x: x.load.kg)
            latest[ex] = (d, top)
    advice = battery.advice
    out = []
    for ex, (d, top) in sorted(latest.items(), key=lambda kv: kv[1][0], reverse=True):
        load = apply_advice(top.load.kg, advice, inc)
        out.append(
            PlannedLift(ex, d, top.reps, top.load.kg, load, advice.rpe_cap, not advice.skip_primer)
        )
    return tuple(out)


def readiness(uow: UnitOfWork, athlete: Athlete, day: date | None = None) -> Readiness:
    """The battery of ``day`` (default today), the days before it, and the advised plan."""
    today = day or datetime.now().astimezone().date()
    log = read_log(uow, athlete, today)
    b, warm, ratio, mono = log.battery(today)
    days = [today - timedelta(days=i) for i in range(TREND_DAYS, 0, -1)]
    shown = [*((d, log.battery(d)[0].score) for d in days), (today, b.score)]
    plan = plan_for(log.sessions, today, b, log.athlete.default_unit)
    return Readiness(
        log.athlete, today, log.checkins.get(today), b, warm, ratio, mono, trend(shown), plan
    )


@dataclass(frozen=True, slots=True)
class SleepImport:
    nights: int
    added: int  # new check-ins
    updated: int  # check-ins that got their sleep from the file
    kept: int  # check-ins whose own sleep entry was kept


def import_sleep(
    uow: UnitOfWork,
    athlete: Athlete,
    nights: Sequence[tuple[date, float, int | None]],
    *,
    overwrite: bool = False,
    new_athlete: bool = False,
) -> SleepImport:
    """Sleep history (day, hours asleep, quality or None) into the check-ins, in one
    transaction. A night fills the sleep of that day's check-in; a check-in that already
    has a sleep (typed, or from an earlier import: check-ins do not record where their sleep
    came from) keeps it unless ``overwrite``, and ``kept`` counts those that differ.
    Importing the same nights again changes nothing."""
    added = updated = kept = 0
    with uow:
        if new_athlete:  # their first write makes them
            athlete = write_new_athlete(uow, athlete)
        for n, (day, hours, quality) in enumerate(nights, start=1):
            old = uow.checkins.get(athlete.id, day)
            base = old or CheckIn(new_id(), athlete.id, day)
            if old is not None and old.sleep_h is not None and not overwrite:
                kept += old.sleep_h != round(hours, 2)
                continue
            try:
                new = replace(
                    base,
                    sleep_h=round(hours, 2),
                    sleep_quality=base.sleep_quality if quality is None else quality,
                )
            except ValidationError as exc:
                raise exc.located(field=f"nights[{n}]") from None
            if new != old:
                uow.checkins.upsert(new)
                added += old is None
                updated += old is not None
        uow.commit()
    return SleepImport(len(nights), added, updated, kept)


@dataclass(frozen=True, slots=True)
class Anchor:
    exercise: str  # key
    name: str
    set_kg: float | None  # chosen by the lifter
    auto_kg: float | None  # chosen from the warm-up history
    days: int  # days with a warm-up at the anchor in use


def set_anchor(
    uow: UnitOfWork,
    athlete: Athlete,
    exercise_name: str,
    load_kg: float | None,
    *,
    new_athlete: bool = False,
) -> Anchor:
    """Set (or with ``None`` clear) a lift's warm-up anchor load, and show what is in use."""
    if load_kg is not None and not 0 < load_kg <= 1000:
        raise ValidationError(f"an anchor load must be 0-1000 kg, got {load_kg:g}", "load")
    with uow:
        if new_athlete:  # their first write makes them
            athlete = write_new_athlete(uow, athlete)
        exercise = catalogue_for(uow, athlete.id).resolve(exercise_name)
        if load_kg is None:
            uow.anchors.clear(athlete.id, exercise.key)
        else:
            uow.anchors.set(athlete.id, exercise.key, load_kg)
        uow.commit()
    return next(a for a in anchors(uow, athlete) if a.exercise == exercise.key)


def anchors(uow: UnitOfWork, athlete: Athlete, exercise_name: str | None = None) -> list[Anchor]:
    """Every lift with a warm-up history or a set anchor (or only ``exercise_name``): the
    anchor the lifter set and the one chosen from history."""
    now = datetime.now().astimezone()
    since = now - timedelta(days=LOOKBACK_DAYS)
    with uow:
        sessions = uow.sessions.all_for(athlete.id, since=since)
        chosen = uow.anchors.list(athlete.id)
        names = catalogue_for(uow, athlete.id)
    keys = {x.exercise for s in sessions for x in s.sets if x.kind is SetKind.WARMUP}
    if exercise_name is not None:
        keys = {names.resolve(exercise_name).key}
        chosen = {k: v for k, v in chosen.items() if k in keys}
    e1rms, today = LiftE1rms(sessions, names), now.date()
    out = []
    for key in sorted(keys | set(chosen)):
        past = _warmups(sessions, key)
        e1rm = e1rms.on(key, today) if past else None
        auto = choose_anchor_load(past, e1rm.value_kg if e1rm is not None else None)
        use = chosen.get(key, auto)
        days = len({d for d, kg, _ in past if use and abs(kg - use) <= SAME_LOAD * use})
        out.append(Anchor(key, names.resolve(key).name, chosen.get(key), auto, days))
    return out
