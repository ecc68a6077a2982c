"""Which logged sets a load-velocity profile is fitted to, and why the others are left out.

From an exercise's sets, :func:`profile_points` keeps one point per set and per load per day:

1. Sets older than the window (default the last 8 weeks) are dropped. The line moves as the
   lifter gets stronger: Gonzalez-Badillo & Sanchez-Medina (2010, Int J Sports Med 31:347)
   saw 1RM rise 9.3 % in 6 weeks while the velocity at each %1RM stayed put, so every load
   moved faster. Data from several blocks ago describe a weaker lifter. But one day is not
   enough either: velocity at a given load, and the 1RM predicted from one session's
   profile, vary from day to day (Banyard, Nosaka & Haff 2017, J Strength Cond Res 31:1897:
   predicted-1RM CV 5.7 %), so a profile pools several weeks of sessions. Eight weeks is
   about one training block: many sessions to average over, little drift.
2. Sets without any rep velocity are dropped.
3. Reps whose mean concentric velocity is outside :data:`VELOCITY_RANGE` are dropped, as
   are reps whose range of motion is an outlier for the exercise: outside the median +- 3
   scaled MADs of all the ROMs considered (Leys et al. 2013, J Exp Soc Psychol 49:764; the
   MAD is scaled by 1.4826 so it estimates a standard deviation, and floored at 1 cm). A
   half rep or a mis-detected rep is fast for its load and would bend the line. The ROM
   check needs :data:`MIN_ROMS` known ROMs, and reps without a ROM pass it.
4. The fastest remaining rep stands for the set: velocity-load profiles use the best rep
   (Gonzalez-Badillo & Sanchez-Medina 2010); later reps are slowed by fatigue, not load.
5. Per day and load, only the fastest set is kept: later sets at the same load are slower
   from fatigue, and one point per load and day keeps a day of many sets from outweighing
   the others.

Sets of every kind count, warm-ups included (they are the classic profile loads: Banyard
et al. 2017 built profiles from warm-up sets), because step 4 takes each set's best rep.

Dropped counts are keyed by reason; keys starting ``sets_`` count sets, ``reps_`` count reps.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol, TypeVar

from replog.core.errors import ValidationError
from replog.core.model import Rep, SetKind, SetRecord

DEFAULT_DAYS = 56
VELOCITY_RANGE = (0.05, 2.5)
"""m/s. Mean concentric velocity of a barbell rep with intent: slower than 0.05 m/s is a
stalled rep, faster than 2.5 m/s faster than a loaded jump; either is a measuring fault."""
ROM_MADS = 3.0
ROM_MAD_FLOOR = 0.01  # m
MIN_ROMS = 5
MAD_TO_SD = 1.4826

OUTSIDE_WINDOW = "sets_outside_window"
NO_VELOCITY = "sets_without_velocity"
VELOCITY_OUT_OF_RANGE = "reps_velocity_out_of_range"
ROM_OUTLIER = "reps_rom_outlier"
NO_USABLE_REP = "sets_without_usable_rep"
SLOWER_SAME_LOAD_DAY = "sets_slower_at_same_load_and_day"
REASONS = (
    OUTSIDE_WINDOW,
    NO_VELOCITY,
    VELOCITY_OUT_OF_RANGE,
    ROM_OUTLIER,
    NO_USABLE_REP,
    SLOWER_SAME_LOAD_DAY,
)


@dataclass(frozen=True, slots=True)
class ProfilePoint:
    """One (load, velocity) point: the fastest rep of the fastest set at a load on a day.

    Points given directly (not from the log) have only a load and a velocity.
    """

    load_kg: float
    velocity: float  # mean concentric velocity, m/s
    day: date | None = None
    performed_at: datetime | None = None
    set_id: str | None = None
    rep_index: int | None = None
    kind: SetKind | None = None


@dataclass(frozen=True, slots=True)
class ProfileData:
    points: tuple[ProfilePoint, ...]  # by day, then load
    dropped: tuple[tuple[str, int], ...]  # (reason, count) for every reason, in REASONS order
    rom_range: tuple[float, float] | None  # the ROMs accepted, m; None when not checked

    @property
    def dropped_counts(self) -> dict[str, int]:
        return dict(self.dropped)

    @property
    def loads(self) -> list[float]:
        return [p.load_kg for p in self.points]

    @property
    def velocities(self) -> list[float]:
        return [p.velocity for p in self.points]

    @property
    def distinct_loads(self) -> int:
        return len({p.load_kg for p in self.points})


class RepVelocity(Protocol):
    """What the best-rep rule reads of a rep: a :class:`~replog.core.model.Rep` is one."""

    @property
    def mcv(self) -> float | None: ...
    @property
    def rom(self) -> float | None: ...


R = TypeVar("R", bound=RepVelocity)


def point_day(at: datetime, tz: tzinfo | None) -> date:
    """The calendar day (in ``tz``, default local) a set counts for."""
    return at.astimezone(tz).date()


def rom_limits(roms: Sequence[float]) -> tuple[float, float] | None:
    """The ROMs a rep may have (step 3 of the module doc), from the known ROMs of every rep
    considered; None (no check) with fewer than :data:`MIN_ROMS` of them."""
    if len(roms) < MIN_ROMS:
        return None
    median = statistics.median(roms)
    mad = statistics.median([abs(x - median) for x in roms]) * MAD_TO_SD
    spread = ROM_MADS * max(mad, ROM_MAD_FLOOR)
    return median - spread, median + spread


def best_rep(
    reps: Iterable[R],
    limits: tuple[float, float] | None,
    dropped: dict[str, int] | None = None,
) -> R | None:
    """The rep that stands for a set in a profile (steps 3-4): its fastest rep with a
    velocity in :data:`VELOCITY_RANGE` and a ROM within ``limits`` (a rep without a ROM
    passes); the first of equals; None without one. Reps without a velocity are skipped;
    ``dropped`` counts the reps left out, by reason."""
    low_v, high_v = VELOCITY_RANGE
    best: R | None = None
    best_v = 0.0
    for r in reps:
        v = r.mcv
        if v is None:
            continue
        if not low_v <= v <= high_v:
            if dropped is not None:
                dropped[VELOCITY_OUT_OF_RANGE] += 1
        elif limits and r.rom is not None and not limits[0] <= r.rom <= limits[1]:
            if dropped is not None:
                dropped[ROM_OUTLIER] += 1
        elif best is None or v > best_v:
            best, best_v = r, v
    return best


def profile_points(
    sets: Iterable[SetRecord],
    *,
    days: int | None = DEFAULT_DAYS,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> ProfileData:
    """The points of one exercise's ``sets`` a profile should be fitted to (see module doc).

    ``days`` is the window ending at ``now`` (default: the newest set's time); ``None``
    keeps all history. Days are calendar days in ``tz`` (default: the local time zone).
    """
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise ValidationError(f"days must be a whole number of 1 or more, got {days!r}", "days")
    if now is not None and now.tzinfo is None:
        raise ValidationError("expected a timezone-aware time", field="now")
    dropped = dict.fromkeys(REASONS, 0)
    candidates = list(sets)
    if days is not None and candidates:
        end = now or max(s.performed_at for s in candidates)
        start = end - timedelta(days=days)
        kept = [s for s in candidates if s.performed_at >= start]
        dropped[OUTSIDE_WINDOW] = len(candidates) - len(kept)
        candidates = kept

    timed: list[tuple[SetRecord, list[Rep]]] = []
    for s in candidates:
        reps = [r for r in s.rep_data if r.mcv is not None]
        if reps:
            timed.append((s, reps))
        else:
            dropped[NO_VELOCITY] += 1

    limits = rom_limits([r.rom for _, reps in timed for r in reps if r.rom is not None])
    best: dict[tuple[date, float], ProfilePoint] = {}
    for s, reps in timed:
        rep = best_rep(reps, limits, dropped)
        if rep is None or rep.mcv is None:
            dropped[NO_USABLE_REP] += 1
            continue
        day = point_day(s.performed_at, tz)
        point = ProfilePoint(s.load.kg, rep.mcv, day, s.performed_at, s.id, rep.index, s.kind)
        key = (day, round(point.load_kg, 3))
        other = best.get(key)
        if other is None:
            best[key] = point
        else:
            dropped[SLOWER_SAME_LOAD_DAY] += 1
            if rep.mcv > other.velocity:
                best[key] = point
    points = tuple(sorted(best.values(), key=_order))
    return ProfileData(points, tuple(dropped.items()), limits)


def _order(p: ProfilePoint) -> tuple[date, float]:
    assert p.day is not None
    return p.day, p.load_kg


def max_effort_last_reps(sets: Iterable[SetRecord]) -> list[tuple[datetime, float]]:
    """(time, velocity) of the final rep of each max effort, oldest first.

    A max effort is a set of kind failure or AMRAP, or one at RPE 10 (RIR 0), such as a 1RM
    attempt. Its final rep counts only if that rep's velocity was logged and lies in
    :data:`VELOCITY_RANGE`. Feed the velocities to :func:`replog.core.profile.learned_mvt`.
    """
    low, high = VELOCITY_RANGE
    out: list[tuple[datetime, float]] = []
    for s in sets:
        if s.reps < 1:
            continue
        maximal = s.kind in (SetKind.FAILURE, SetKind.AMRAP) or s.effective_rpe == 10
        if not maximal:
            continue
        last = next((r for r in s.rep_data if r.index == s.reps), None)
        if last is None or last.mcv is None or not low <= last.mcv <= high:
            continue
        out.append((s.performed_at, last.mcv))
    return sorted(out, key=lambda pair: pair[0])
