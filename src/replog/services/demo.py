"""A demo athlete: twelve plausible weeks of barbell training with bar velocity and check-ins.

``generate_demo`` is pure and deterministic for a seed (apart from the random bits of the
UUIDv7 ids); ``load_demo`` writes the result through a unit of work in one transaction.

The data is made for the analytics to find something in it:

* Mean concentric velocity follows a linear load-velocity relationship per lift,
  ``v = v0 - (v0 - v1RM) * %1RM``, with the velocity at 1RM from the catalogue's sources
  (squat 0.30, bench 0.17, deadlift 0.15, press 0.19, row 0.50 m/s).
* Velocity falls within a set by 5-30 % of the first rep, more with more reps and a higher
  RPE (Sanchez-Medina & Gonzalez-Badillo 2011); later working sets are 1-4 % slower.
* Mean propulsive velocity exceeds the mean velocity at light loads and meets it near 1RM
  (Sanchez-Medina, Perez & Gonzalez-Badillo 2010).
* A few "bad days" (short sleep, high stress) make every set 5-8 % slower at the same load
  and feel 0.5-1 RPE harder.
* Six sessions hold a planted neural drop-off: a working set at the first working set's load
  more than 10 % slower at (nearly) the same RPE, with the note ``DROP_OFF_NOTE``.
* Weeks 4 and 8 are deloads; primer singles at ~90 % (tag ``pap``) come every other week.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from replog.core.errors import ValidationError
from replog.core.ids import new_id
from replog.core.model import Athlete, CheckIn, Rep, RepSource, Session, SetKind, SetRecord
from replog.core.rpe_chart import reps_to_failure
from replog.core.units import Load, Unit
from replog.services.exchange import AthleteData
from replog.services.ports import UnitOfWork

DEMO_ATHLETE = "demo"
DROP_OFF_NOTE = "demo: planted drop-off"
BODY_MASS_KG = 83.0


@dataclass(frozen=True, slots=True)
class DemoReport:
    athlete: str
    sessions: int
    sets: int
    reps: int
    checkins: int
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class _Lift:
    one_rm: float  # kg at the start of the block
    gain: float  # fraction of 1RM gained by the last week
    v0: float  # mean concentric velocity extrapolated to 0 % 1RM, m/s
    v1rm: float  # mean concentric velocity at 1RM, m/s
    rom: tuple[float, float]  # m
    eccentric_s: tuple[float, float] | None  # None: the lift starts from the floor
    first_warmup_kg: float


LIFTS: dict[str, _Lift] = {
    "back-squat": _Lift(160, 0.07, 1.70, 0.30, (0.55, 0.65), (1.3, 2.1), 20),
    "bench-press": _Lift(110, 0.05, 1.60, 0.17, (0.40, 0.48), (1.2, 1.9), 20),
    "deadlift": _Lift(200, 0.06, 1.20, 0.15, (0.50, 0.55), None, 60),
    "overhead-press": _Lift(67.5, 0.055, 1.45, 0.19, (0.45, 0.55), (1.0, 1.6), 20),
    "barbell-row": _Lift(100, 0.06, 1.50, 0.50, (0.30, 0.40), (0.9, 1.4), 20),
}
_CUES = {
    "back-squat": "cue: spread the floor",
    "bench-press": "cue: leg drive",
    "deadlift": "cue: push the floor away",
    "overhead-press": "cue: squeeze the glutes",
    "barbell-row": "cue: elbows back",
}


@dataclass(frozen=True, slots=True)
class _Slot:
    """One exercise of a training day, relative to the week's plan."""

    exercise: str
    pct_offset: float = 0.0
    extra_reps: int = 0
    extra_sets: int = 0
    tag: str = ""


_DAYS: tuple[tuple[int, str, tuple[_Slot, ...]], ...] = (
    (
        0,
        "Squat, bench, row",
        (_Slot("back-squat"), _Slot("bench-press"), _Slot("barbell-row", -0.05, 0, -1)),
    ),
    (1, "Deadlift, press", (_Slot("deadlift", 0, 0, -1), _Slot("overhead-press"))),
    (3, "Squat, bench", (_Slot("back-squat", -0.05, 1, -1), _Slot("bench-press", -0.025, 1))),
    (
        5,
        "Deadlift, press, paused row",
        (
            _Slot("deadlift", -0.075, 0, -1),
            _Slot("overhead-press", -0.05, 1, -1),
            _Slot("barbell-row", -0.10, 2, 0, "paused row"),
        ),
    ),
)

# by intensity step k (0..6): %1RM = 70 + 2.5k
_REPS = (8, 7, 6, 5, 5, 4, 3)
_SETS = (4, 4, 4, 5, 4, 5, 5)
_RPE = (7.0, 7.0, 7.5, 7.5, 8.0, 8.0, 8.5)
_BAD_NOTES = ("up with the kids at night", "work deadline, slept badly", "late flight home")


@dataclass(frozen=True, slots=True)
class _Week:
    pct: float
    reps: int
    sets: int
    rpe: float
    deload: bool


def _week(week: int, weeks: int) -> _Week:
    """Three building weeks then a deload, 2.5 % heavier each week, capped at 85 %."""
    block, step = divmod(week, 4)
    if step == 3 and week != weeks - 1:
        return _Week(0.60 + 0.025 * min(block, 2), 5, 3, 6.0, True)
    k = min(6, 2 * block + step)
    peak = 0.5 if week == weeks - 1 else 0.0
    return _Week(0.70 + 0.025 * k, _REPS[k], _SETS[k], _RPE[k] + peak, False)


@dataclass(slots=True)
class _Draft:
    """A set before it has an id, a position and a time."""

    exercise: str
    kind: SetKind
    load: Decimal
    reps: int
    rpe: float | None
    rest_s: int  # the gap before it
    rep_data: tuple[Rep, ...]
    tags: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class _Plan:
    """What happens on one training day, decided before anything is generated."""

    when: date
    week: int
    name: str
    slots: tuple[_Slot, ...]
    bad: bool = False
    drop_off: bool = False
    pap: str | None = None  # the exercise that gets a primer single


def _kg(value: float) -> Decimal:
    """Round to 2.5 kg and write it as a lifter would: 110, 112.5."""
    d = Decimal(round(value / 2.5)) * Decimal("2.5")
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _clip(x: float, low: float, high: float) -> float:
    return min(high, max(low, x))


def _chart_rpe(pct: float, reps: int) -> float:
    """The RPE an honest lifter reports for ``reps`` at ``pct`` of 1RM, per the RTS chart."""
    return _half(10 - (reps_to_failure(pct) - reps), 6, 9.5)


def _half(x: float, low: float, high: float) -> float:
    return _clip(round(x * 2) / 2, low, high)


def _id(at: datetime) -> str:
    """A UUIDv7 stamped with the record's own time, so demo ids sort like real ones."""
    return new_id(int(at.timestamp() * 1000))


class _Generator:
    """One random stream, drawn in a fixed order, and the state of the session being built."""

    def __init__(self, end: datetime, weeks: int, seed: int, athlete_id: str | None):
        if end.tzinfo is None:
            raise ValidationError("expected a timezone-aware end time", field="end")
        if not 1 <= weeks <= 104:
            raise ValidationError(f"weeks must be between 1 and 104, got {weeks}", field="weeks")
        self.rng = random.Random(seed)
        self.end, self.weeks, self.tz = end, weeks, end.tzinfo
        last = end.date() - timedelta(days=1)  # the last Saturday before the end day
        last -= timedelta(days=(last.weekday() - 5) % 7)
        self.first_day = last - timedelta(days=5 + 7 * (weeks - 1))
        self.athlete_id = athlete_id
        self.speed, self.rpe_bump = 1.0, 0.0  # today's readiness: velocity factor, extra RPE
        self.rom: dict[str, float] = {}  # today's range of motion per lift

    def _at(self, day: date, hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def plans(self) -> list[_Plan]:
        rng = self.rng
        plans = [
            _Plan(self.first_day + timedelta(days=7 * w + wd), w, name, slots)
            for w in range(self.weeks)
            for wd, name, slots in _DAYS
        ]
        hard = [i for i, p in enumerate(plans) if not _week(p.week, self.weeks).deload]
        missed = set(rng.sample(hard, min(3, len(hard) // 8)))
        hard = [i for i in hard if i not in missed]
        bad = rng.sample(hard, min(5, len(hard) // 3))
        others = [i for i in hard if i not in bad]
        drops = set(bad[:3] + rng.sample(others, min(3, len(others) // 3)))
        pap_at: dict[int, str] = {}  # every other hard week: Thursday, or Monday if missed
        hard_weeks = [w for w in range(self.weeks) if not _week(w, self.weeks).deload]
        for n, w in enumerate(hard_weeks[1::2]):
            days = [i for i in (4 * w + 2, 4 * w) if i not in missed]
            if days:
                pap_at[days[0]] = ("back-squat", "bench-press")[n % 2]
        return [
            _Plan(p.when, p.week, p.name, p.slots, i in bad, i in drops, pap_at.get(i))
            for i, p in enumerate(plans)
            if i not in missed
        ]

    def one_rm(self, exercise: str, week: int) -> float:
        lift = LIFTS[exercise]
        return lift.one_rm * (1 + lift.gain * week / max(1, self.weeks - 1))

    def reps(
        self, exercise: str, pct: float, n: int, rpe: float | None, slow: float = 1.0
    ) -> tuple[Rep, ...]:
        """Per-rep kinematics for ``n`` reps at ``pct`` of today's 1RM."""
        rng, lift = self.rng, LIFTS[exercise]
        first = (lift.v0 - (lift.v0 - lift.v1rm) * pct) * self.speed * slow
        if rpe is None:  # warm-ups: a little slower by the last rep
            loss = 0.02 + 0.008 * n
        else:
            loss = _clip(0.04 + 0.055 * (rpe - 6) + 0.01 * (n - 3), 0.05, 0.30)
        speeds = [
            first * (1 - loss * (i / (n - 1)) ** 1.6 if n > 1 else 1.0)
            + _clip(rng.gauss(0, 0.008 * first), -0.02, 0.02)
            for i in range(n)
        ]
        propulsive = _clip(0.3 * (0.85 - pct), 0.0, 0.15)
        base_rom = self.rom.setdefault(exercise, rng.uniform(*lift.rom))
        out = []
        for i, v in enumerate(sorted(speeds, reverse=True)):
            mcv = round(v, 3)
            rom = round(_clip(base_rom + rng.gauss(0, 0.005), *lift.rom), 3)
            ecc = None if lift.eccentric_s is None else round(rng.uniform(*lift.eccentric_s), 2)
            mpv = round(mcv * (1 + propulsive * rng.uniform(0.85, 1.0)), 3)
            peak = round(mcv * rng.uniform(1.6, 2.0), 3)
            out.append(Rep(i + 1, mcv, mpv, peak, rom, round(rom / mcv, 3), ecc, RepSource.DEVICE))
        return tuple(out)

    def exercise_sets(self, plan: _Plan, slot: _Slot, first: bool) -> list[_Draft]:
        rng, wk, ex = self.rng, _week(plan.week, self.weeks), slot.exercise
        one_rm = self.one_rm(ex, plan.week)
        load = _kg((wk.pct + slot.pct_offset) * one_rm)
        pct = float(load) / one_rm
        n_reps = min(8, max(3, wk.reps + slot.extra_reps))
        n_sets = min(5, max(3, wk.sets + slot.extra_sets))
        rpe = _chart_rpe(pct, n_reps)
        lift = LIFTS[ex]
        warm = [f * float(load) for f in (0.4, 0.6, 0.75, 0.87)[: 4 if pct >= 0.75 else 3]]
        anchor = 0.45 * lift.one_rm  # a fixed warm-up load, for readiness baselines
        if 0.5 <= anchor / float(load) <= 0.7:
            warm[1] = anchor
        loads = sorted({_kg(max(w, lift.first_warmup_kg)) for w in warm} - {load})
        loads = loads[-(4 if first else 2 if ex == "barbell-row" else 3) :]  # already warm
        loads = loads if len(loads) > 1 else sorted({Decimal(20), *loads})  # the empty bar
        drafts = []
        for j, w in enumerate(loads):
            reps = (5, 3, 2, 1)[j]
            gap = rng.randint(240, 420) if j == 0 and not first else rng.randint(100, 160)
            data = self.reps(ex, float(w) / one_rm, reps, None)
            drafts.append(_Draft(ex, SetKind.WARMUP, w, reps, None, gap, data))
        if plan.pap == ex:
            primer = _kg(0.9 * one_rm)
            data = self.reps(ex, float(primer) / one_rm, 1, 8.0)
            rpe_p = _half(8.0 + self.rpe_bump, 6, 9.5)
            drafts.append(
                _Draft(ex, SetKind.PRIMER, primer, 1, rpe_p, rng.randint(150, 210), data, ("pap",))
            )
        belt = ("belt",) if ex in {"back-squat", "deadlift"} and pct >= 0.75 else ()
        first_rpe = 0.0
        for k in range(n_sets):
            set_rpe = _half(rpe + (0.5 if k >= (n_sets + 1) // 2 else 0.0) + self.rpe_bump, 6, 9.5)
            slow = 1 - min(0.04, 0.006 * k + rng.uniform(0, 0.008))
            notes, tags = "", belt
            if k == 0:
                first_rpe = set_rpe
                if rng.random() < 0.3:
                    tags = (*belt, _CUES[ex])
            elif k == n_sets - 1 and plan.drop_off and first:
                set_rpe = _half(first_rpe + rng.choice((0.0, 0.5)), 6, 9.5)
                slow = 1 - rng.uniform(0.13, 0.18)
                notes = DROP_OFF_NOTE
            if k == 0:
                gap = rng.randint(420, 540) if plan.pap == ex else rng.randint(150, 240)
            else:
                gap = rng.randint(150, 300) if ex != "deadlift" else rng.randint(200, 300)
            data = self.reps(ex, pct, n_reps, set_rpe, slow)
            drafts.append(
                _Draft(
                    ex,
                    SetKind.WORKING,
                    load,
                    n_reps,
                    set_rpe,
                    gap,
                    data,
                    (*tags, slot.tag) if slot.tag else tags,
                    notes,
                )
            )
        if not wk.deload and ex != "barbell-row" and rng.random() < 0.25:
            back = _kg(0.87 * float(load))
            b_reps = min(10, n_reps + 2)
            b_rpe = _half(_chart_rpe(float(back) / one_rm, b_reps) + self.rpe_bump, 6, 9.5)
            data = self.reps(ex, float(back) / one_rm, b_reps, b_rpe, 0.97)
            drafts.append(
                _Draft(ex, SetKind.BACKOFF, back, b_reps, b_rpe, rng.randint(150, 240), data)
            )
        return drafts

    def session(self, plan: _Plan) -> Session:
        rng = self.rng
        bad_speed = 1 - rng.uniform(0.05, 0.08)  # 5-8 % slower at the same load
        speed = bad_speed if plan.bad else 1 + _clip(rng.gauss(0, 0.012), -0.03, 0.03)
        self.speed, self.rpe_bump = speed, rng.choice((0.5, 1.0)) if plan.bad else 0.0
        self.rom = {}
        start = self._at(plan.when, 17, 30) + timedelta(minutes=rng.randint(0, 75))
        session_id = _id(start)
        drafts = [d for n, s in enumerate(plan.slots) for d in self.exercise_sets(plan, s, n == 0)]
        # stretch or squeeze the rests a little so the session lasts 60-80 minutes,
        # but leave the 7-9 min after a primer alone (the PAPE window, Wilson et al. 2013)
        lead, tail = rng.randint(6, 10) * 60, rng.randint(180, 420)
        pape = [i for i in range(1, len(drafts)) if drafts[i - 1].kind is SetKind.PRIMER]
        fixed = sum(drafts[i].rest_s for i in pape)
        flex = sum(d.rest_s for d in drafts[1:]) - fixed
        target = rng.uniform(60, 80) * 60 - lead - tail - fixed
        scale = min(1.25, max(0.85, target / max(1, flex)))
        clock = start + timedelta(seconds=lead)
        sets: list[SetRecord] = []
        for i, d in enumerate(drafts):
            rest: int | None = None
            if i:
                rest = d.rest_s if i in pape else round(d.rest_s * scale)
                clock += timedelta(seconds=rest)
            sets.append(
                SetRecord(
                    id=_id(clock),
                    session_id=session_id,
                    exercise=d.exercise,
                    position=i + 1,
                    load=Load(d.load, Unit.KG),
                    reps=d.reps,
                    performed_at=clock,
                    rpe=d.rpe,
                    kind=d.kind,
                    rest_s=rest,
                    tags=d.tags,
                    notes=d.notes,
                    rep_data=d.rep_data,
                )
            )
        ended = clock + timedelta(seconds=tail)
        deload = _week(plan.week, self.weeks).deload
        notes = "deload week" if deload else ("rough night, slept badly" if plan.bad else "")
        return Session(
            session_id, self.athlete_id or "", start, ended, plan.name, notes, tuple(sets)
        )

    def checkin(self, day: date, bad: bool, sore: bool) -> CheckIn:
        rng = self.rng
        at = self._at(day, 7, rng.randint(0, 40))
        if bad:
            sleep = round(rng.uniform(4.5, 5.5), 1)
            values = (
                sleep,
                rng.randint(1, 2),
                rng.randint(4, 5),
                rng.randint(2, 4),
                round(rng.uniform(60, 65)),
                round(rng.uniform(42, 52), 1),
            )
            note = rng.choice(_BAD_NOTES)
        else:
            sleep = round(_clip(rng.gauss(7.6, 0.45), 6.3, 8.9), 1)
            quality = max(3, (4 if sleep >= 7.3 else 3) + rng.choice((-1, 0, 0, 1)))
            soreness = max(1, 2 + (sore and rng.random() < 0.6) - (rng.random() < 0.3))
            values = (
                sleep,
                quality,
                rng.randint(1, 3),
                soreness,
                round(_clip(rng.gauss(56, 1.8), 52, 60)),
                round(_clip(rng.gauss(70, 7), 55, 85), 1),
            )
            note = ""
        return CheckIn(_id(at), self.athlete_id or "", day, *values, notes=note)

    def run(self) -> AthleteData:
        plans = self.plans()  # every random choice about the block comes first
        created = self._at(self.first_day, 6, 30)
        if self.athlete_id is None:
            self.athlete_id = _id(created)
        athlete = Athlete(self.athlete_id, DEMO_ATHLETE, Unit.KG, BODY_MASS_KG, created)
        by_day = {p.when: p for p in plans}
        bad_days = {p.when for p in plans if p.bad}
        span = range((self.end.date() - self.first_day).days + 1)
        days = [self.first_day + timedelta(days=i) for i in span]
        quiet = [d for d in days if d not in bad_days]
        skipped = set(self.rng.sample(quiet, min(6, len(quiet) // 10)))
        sessions, checkins = [], []
        for d in days:
            if d not in skipped and self._at(d, 7, 40) <= self.end:
                checkins.append(self.checkin(d, d in bad_days, d - timedelta(days=1) in by_day))
            if d in by_day:
                sessions.append(self.session(by_day[d]))
        return AthleteData(athlete, (), tuple(sessions), tuple(checkins))


def generate_demo(
    end: datetime, weeks: int = 12, seed: int = 7, athlete_id: str | None = None
) -> AthleteData:
    """The demo athlete's block of ``weeks`` weeks ending on or before ``end`` (no I/O)."""
    return _Generator(end, weeks, seed, athlete_id).run()


def load_demo(
    uow: UnitOfWork,
    *,
    end: datetime | None = None,
    weeks: int = 12,
    seed: int = 7,
    replace: bool = False,
) -> DemoReport:
    """Write the demo athlete in one transaction; an existing demo is kept unless ``replace``."""
    end = end or datetime.now().astimezone()
    with uow:
        existing = uow.athletes.by_name(DEMO_ATHLETE)
        if existing is not None and not replace:
            return DemoReport(existing.name, 0, 0, 0, 0, skipped=True)
        data = generate_demo(end, weeks, seed, existing.id if existing else None)
        if existing is None:
            uow.athletes.add(data.athlete)
        else:
            for summary in uow.sessions.summaries(existing.id):
                uow.sessions.delete(summary.id)
            uow.athletes.update(data.athlete)
        for session in data.sessions:
            uow.sessions.add(session)
        for checkin in data.checkins:
            uow.checkins.upsert(checkin)
        uow.commit()
    sets = [s for session in data.sessions for s in session.sets]
    reps = sum(s.reps for s in sets)
    return DemoReport(data.athlete.name, len(data.sessions), len(sets), reps, len(data.checkins))
