"""Load-velocity profiles from the log: which points, which MVT, which 1RM, and how sure.

:func:`build_profile` reads an athlete's history of one exercise, keeps the points a profile
should use (:mod:`replog.core.profile_data`), picks the MVT (given > learned from the
lifter's own max efforts > the literature value of the lift) and fits a
:class:`~replog.core.profile.LoadVelocityProfile`. With fewer than two usable loads, or
when the points do not make a profile (velocity not falling with load), it falls back to
the population relationship of :mod:`replog.core.population` at the heaviest recent point,
and says so. :func:`profile_from_points` does the same for points given directly (no log).

The load where a line meets the MVT is a candidate for the lift's e1RM, not the e1RM
itself: :class:`replog.services.e1rm.LiftHistory` asks
:func:`replog.core.e1rm.estimate_e1rm` for that, day by day, with the profile of the
default options (last 8 weeks by calendar day, least squares, the MVT chosen as above),
and every report carries the answer in ``e1rm``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from replog.core import population
from replog.core.e1rm import E1rm, ProfileFit, estimate_e1rm
from replog.core.errors import ValidationError
from replog.core.exercises import Exercise
from replog.core.model import Athlete, SetRecord
from replog.core.profile import (
    GENERIC_MVT,
    LEARNED_MVT_RANGE,
    LoadVelocityProfile,
    check_mvt,
    default_mvt,
    learned_mvt,
    normalise_method,
)
from replog.core.profile_data import (
    DEFAULT_DAYS,
    OUTSIDE_WINDOW,
    ProfilePoint,
    max_effort_last_reps,
    profile_points,
)
from replog.services.ports import UnitOfWork

LEARN_FROM_LAST = 5
"""The learned MVT averages the final reps of at most this many most recent max efforts."""

MVT_GIVEN = "given"
MVT_LEARNED = "learned"
MVT_LITERATURE = "literature"
MVT_DEFAULT = "default"  # no published MVT for the lift: GENERIC_MVT


@dataclass(frozen=True, slots=True)
class PopulationEstimate:
    """An e1RM from the population %1RM-velocity relationship at one point."""

    source: str
    measure: str
    point: ProfilePoint
    percent_1rm: float
    e1rm_kg: float


@dataclass(frozen=True, slots=True)
class ProfileReport:
    """Everything :func:`build_profile` found, for a command or an API to show."""

    athlete: str | None
    exercise: Exercise | None
    method: str  # "ols" | "two_point"
    days: int | None
    points: tuple[ProfilePoint, ...]
    dropped: dict[str, int]
    mvt: float
    mvt_source: str  # "given" | "learned" | "literature" | "default"
    mvt_samples: int  # max-effort last reps averaged into a learned MVT (0 otherwise)
    profile: LoadVelocityProfile | None
    population: PopulationEstimate | None = None
    notes: tuple[str, ...] = field(default=())
    e1rm: E1rm | None = None
    """The lift's e1RM on the report's day (:mod:`replog.core.e1rm`): from the default
    profile, whatever this report's options, else from the recent working sets."""

    @property
    def load_at_mvt_kg(self) -> float | None:
        """The 1RM the velocity data predict: the profile's load at the MVT, else the
        population fallback's. A candidate for the e1RM; ``e1rm`` is the e1RM."""
        if self.profile is not None:
            return self.profile.e1rm_
        return self.population.e1rm_kg if self.population is not None else None

    @property
    def fit(self) -> ProfileFit | None:
        """The fitted profile as :func:`replog.core.e1rm.estimate_e1rm` takes it."""
        if self.profile is None:
            return None
        return ProfileFit(self.profile, self.points, self.mvt_source)


def _choose_mvt(
    exercise: Exercise | None, given: float | None, max_efforts: Sequence[float]
) -> tuple[float, str, int]:
    if given is not None:
        return check_mvt(given), MVT_GIVEN, 0
    low, high = LEARNED_MVT_RANGE
    recent = [v for v in max_efforts if low <= v <= high][-LEARN_FROM_LAST:]
    learned = learned_mvt(recent)
    if learned is not None:
        return learned, MVT_LEARNED, len(recent)
    if exercise is not None and exercise.mvt is not None:
        return default_mvt(exercise), MVT_LITERATURE, 0
    return GENERIC_MVT, MVT_DEFAULT, 0


def _population(
    exercise: Exercise | None, points: Sequence[ProfilePoint]
) -> tuple[PopulationEstimate | None, str]:
    """The population e1RM at the heaviest (then most recent) point, and a note."""
    if not points:
        return None, "no usable velocity data, so no estimate"
    if exercise is None or not population.has_population_table(exercise.key):
        what = exercise.name if exercise is not None else "this lift"
        return None, f"no population load-velocity table for {what}, so no estimate"
    point = max(points, key=lambda p: (p.load_kg, p.day or date.min))
    table = population.population_table(exercise.key)
    try:
        pct = population.percent_at_velocity(exercise.key, point.velocity)
    except ValidationError as exc:
        return None, f"population fallback not possible: {exc.message}"
    if point.load_kg <= 0 or pct <= 0:
        return None, "population fallback not possible at zero load"
    estimate = PopulationEstimate(table.source, table.measure, point, pct, point.load_kg / pct)
    when = f" on {point.day.isoformat()}" if point.day else ""
    note = (
        f"e1RM from the population table ({table.source}, {table.measure}) at "
        f"{point.load_kg:g} kg moved at {point.velocity:.2f} m/s{when}: "
        f"{pct:.0%} 1RM; an average lifter's relationship, not this lifter's"
    )
    return estimate, note


def _fit(
    exercise: Exercise | None,
    points: tuple[ProfilePoint, ...],
    method: str,
    mvt: float,
    notes: list[str],
) -> tuple[LoadVelocityProfile | None, PopulationEstimate | None]:
    loads = {p.load_kg for p in points}
    if len(loads) >= 2:
        try:
            profile = LoadVelocityProfile(method, mvt).fit(
                [p.load_kg for p in points], [p.velocity for p in points]
            )
        except ValidationError as exc:
            if exc.field == "loads_kg":
                raise
            notes.append(f"no profile: {exc.message}")
        else:
            return profile, None
    else:
        notes.append(
            f"no profile: {len(loads)} usable load{'' if len(loads) == 1 else 's'}; "
            "a profile needs at least 2 different loads with velocity"
        )
    estimate, note = _population(exercise, points)
    notes.append(note)
    return None, estimate


def profile_of(
    exercise: Exercise | None,
    sets: Sequence[SetRecord],
    *,
    method: str = "ols",
    days: int | None = DEFAULT_DAYS,
    mvt: float | None = None,
    now: datetime,
    max_efforts: Sequence[float] | None = None,
    athlete: str | None = None,
    older: int = 0,
) -> ProfileReport:
    """The profile of one exercise's ``sets`` over the ``days`` before ``now`` (no log:
    pure). ``max_efforts`` are the last-rep velocities of the max efforts before ``now``,
    oldest first (default: found in ``sets``); ``older`` counts sets left out before
    ``sets`` for being older than the window."""
    method = normalise_method(method)
    if mvt is not None:
        check_mvt(mvt)
    data = profile_points(sets, days=days, now=now)
    dropped = data.dropped_counts
    dropped[OUTSIDE_WINDOW] += older
    if max_efforts is None:
        max_efforts = [v for _, v in max_effort_last_reps(sets)]
    chosen, source, samples = _choose_mvt(exercise, mvt, max_efforts)
    notes: list[str] = []
    if source == MVT_DEFAULT:
        name = exercise.name if exercise is not None else "this lift"
        notes.append(f"no published MVT for {name}; using {GENERIC_MVT:g} m/s")
    profile, estimate = _fit(exercise, data.points, method, chosen, notes)
    return ProfileReport(
        athlete,
        exercise,
        method,
        days,
        data.points,
        dropped,
        chosen,
        source,
        samples,
        profile,
        estimate,
        tuple(notes),
    )


def build_profile(
    uow: UnitOfWork,
    athlete: Athlete,
    exercise_name: str,
    *,
    method: str = "ols",
    days: int | None = DEFAULT_DAYS,
    mvt: float | None = None,
    now: datetime | None = None,
) -> ProfileReport:
    """The athlete's load-velocity profile of one exercise over the last ``days`` days
    (today and the days before it, by calendar day), and the lift's e1RM of the day.

    ``days=None`` uses all history. ``mvt`` overrides the MVT; otherwise the mean last-rep
    velocity of the lifter's latest max efforts (failure, AMRAP or RPE 10 sets; see
    :func:`replog.core.profile.learned_mvt`) is used when there are at least two, else the
    catalogue's literature value.
    """
    method = normalise_method(method)
    if mvt is not None:
        check_mvt(mvt)
    from replog.services.e1rm import lift_e1rm  # it builds on this module

    return lift_e1rm(
        uow, athlete, exercise_name, now=now, method=method, days=days, mvt=mvt
    ).profile


def profile_from_points(
    points: Sequence[tuple[float, float]],
    *,
    exercise: Exercise | None = None,
    method: str = "ols",
    mvt: float | None = None,
    now: datetime | None = None,
) -> ProfileReport:
    """A profile of ``(load_kg, velocity)`` pairs given directly, e.g. on the command line.

    The MVT is ``mvt``, else the exercise's literature value, else the generic default.
    Unlike :func:`build_profile`, points that cannot make a profile are an error. Its
    ``e1rm`` is the profile's when the rule of :mod:`replog.core.e1rm` accepts it (there
    are no sets to fall back on).
    """
    method = normalise_method(method)
    chosen, source, _ = _choose_mvt(exercise, mvt, ())
    pts = tuple(ProfilePoint(float(load), float(v)) for load, v in points)
    profile = LoadVelocityProfile(method, chosen).fit(
        [p.load_kg for p in pts], [p.velocity for p in pts]
    )
    notes: tuple[str, ...] = ()
    if source == MVT_DEFAULT:
        notes = (f"no MVT given; using the generic {GENERIC_MVT:g} m/s",)
    fit = ProfileFit(profile, pts, source)
    e1rm = estimate_e1rm((), now or datetime.now(UTC), fit)
    return ProfileReport(
        None, exercise, method, None, pts, {}, chosen, source, 0, profile, None, notes, e1rm
    )
