"""PAP blocks and "does this help me?" over an athlete's own log.

``pap_plan`` takes the lift's e1RM of the day (:mod:`replog.core.e1rm`: the load-velocity
profile when it qualifies, else Epley with RIR over the working sets of the last 6 weeks) and
prescribes a primer block (:func:`replog.core.pap.prescribe_pap`); ``pap_review`` and
``tag_review`` compare the sessions with a primer (or a tag) against the athlete's other
sessions at the same load (:func:`replog.core.pap.evaluate_pap`,
:func:`replog.core.pap.compare_tag`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from replog.core.analysis import Recommendation
from replog.core.e1rm import E1rm
from replog.core.exercises import Exercise, Pattern
from replog.core.model import Athlete, SetRecord, normalise_tags
from replog.core.pap import (
    MIN_SESSIONS,
    STRONG_RATIO,
    SWC,
    WINDOW_DAYS,
    PapPrescription,
    Review,
    ReviewOptions,
    compare_tag,
    evaluate_pap,
    prescribe_pap,
)
from replog.services.catalogue import catalogue_for
from replog.services.e1rm import LiftHistory, local_today
from replog.services.ports import HistoryRow, Marker, UnitOfWork

EFFECT_METHOD = (
    "Hedges' g (pooled SD, exact small-sample correction J) with a 95 % CI g +- 1.96 SE, "
    "SE^2 = (n1+n2)/(n1 n2) + g^2/(2(n1+n2)), the normal approximation of Hedges & Olkin 1985"
)
VERDICT_RULE = (
    f"helps: g >= {SWC} (the smallest worthwhile change) and the whole CI above 0; hurts: "
    f"g <= -{SWC} and the CI below 0; not enough data: fewer than {MIN_SESSIONS} sessions on "
    "either side; otherwise no clear effect"
)
MATCHING = (
    "one value per session: the working sets' first-rep velocity; each session with the "
    f"primer/tag is compared with sessions without it within {WINDOW_DAYS // 7} weeks either "
    "side whose working load is within 2.5 % of its own, moved to its exact load along your "
    "own load-velocity slope, set 1 against set 1"
)


@dataclass(frozen=True, slots=True)
class TodayAdjustment:
    """What today's CNS battery does to the block: the primer kept or dropped, and the
    working load (in the athlete's unit, on the plates) after the advice."""

    score: int | None  # None: no reading yet today
    level: str
    skip_primer: bool
    working_load: float
    rpe_cap: float | None
    text: str


@dataclass(frozen=True, slots=True)
class PapPlan:
    athlete: Athlete
    exercise: Exercise
    estimate: E1rm | None  # the lift's e1RM of the day
    prescription: PapPrescription | None
    message: str = ""  # why there is no prescription
    today: TodayAdjustment | None = None
    blocked_by: Recommendation | None = None  # today's cap (or grinding) on this lift


@dataclass(frozen=True, slots=True)
class PapReview:
    athlete: Athlete
    exercise: Exercise
    review: Review


def pap_plan(
    uow: UnitOfWork,
    athlete: Athlete,
    exercise_name: str,
    *,
    increment: float | None = None,
    now: datetime | None = None,
    today_items: Sequence[Recommendation] | None = None,
) -> PapPlan:
    """A primer block for the next session of ``exercise_name``, in the athlete's unit;
    ``increment`` is the smallest load step of their plates in that unit. ``today_items``
    are today's session's rulebook items when the caller has analysed it already (Drive);
    else the session is analysed here."""
    day = local_today(now)
    with uow:
        exercise = catalogue_for(uow, athlete.id).resolve(exercise_name)
        estimate = LiftHistory.read(uow, athlete, exercise, day).estimate(day)
    if estimate is None:
        message = (
            f"no e1RM for {exercise.name}: no load-velocity profile good enough and no "
            "working sets in the last 6 weeks to estimate your 1RM from"
        )
        return PapPlan(athlete, exercise, None, None, message)
    prescription = prescribe_pap(
        estimate.value_kg,
        unit=athlete.default_unit,
        increment=increment,
        relative_strength=_relative_strength(athlete, exercise, estimate),
    )
    if today_items is not None:
        from replog.core.advice import primer_blocked

        block = primer_blocked(today_items, exercise.key)
    else:
        block = _blocked_today(uow, athlete, exercise, now)
    if block is not None:
        message = f"no PAP block for {exercise.name} today: {block.reason} {block.action}"
        return PapPlan(athlete, exercise, estimate, None, message, blocked_by=block)
    today = _today(uow, athlete, prescription, now)
    return PapPlan(athlete, exercise, estimate, prescription, today=today)


def _blocked_today(
    uow: UnitOfWork, athlete: Athlete, exercise: Exercise, now: datetime | None
) -> Recommendation | None:
    """Today's session's rulebook item that rules a primer out for ``exercise``
    (:func:`replog.core.advice.primer_blocked`): a cap overrides the block."""
    from replog.core.advice import primer_blocked
    from replog.services.analytics import analyze_stored

    day = (now or datetime.now(UTC)).astimezone().date()
    with uow:
        last = uow.sessions.latest(athlete.id)
    if last is None or last.started_at.astimezone().date() != day:
        return None  # nothing trained today: nothing to override
    if not any(s.exercise == exercise.key and s.rep_data for s in last.sets):
        return None
    result = analyze_stored(uow, athlete, last.id)
    return primer_blocked(result.analysis.recommendations, exercise.key)


def _today(
    uow: UnitOfWork, athlete: Athlete, p: PapPrescription, now: datetime | None
) -> TodayAdjustment:
    """Today's battery applied to the block (:mod:`replog.services.readiness`)."""
    from replog.core.readiness import apply_advice
    from replog.services.readiness import day_battery

    day = (now or datetime.now(UTC)).astimezone().date()
    b = day_battery(uow, athlete, day)
    a = b.advice
    load = apply_advice(p.working.load, a, p.increment)
    return TodayAdjustment(b.score, a.level, a.skip_primer, load, a.rpe_cap, a.text)


def _relative_strength(athlete: Athlete, exercise: Exercise, estimate: E1rm | None) -> float | None:
    """e1RM over body mass, for squats only: Seitz et al. 2014 classed lifters by back squat."""
    if estimate is None or not athlete.body_mass_kg or exercise.pattern is not Pattern.SQUAT:
        return None
    return estimate.value_kg / athlete.body_mass_kg


def review_options(uow: UnitOfWork, athlete: Athlete, exercise: Exercise) -> ReviewOptions:
    """Flag rests after a primer outside 7-10 min, or 5-10 for a lifter whose plan says 5-8."""
    ratio = None
    if athlete.body_mass_kg and exercise.pattern is Pattern.SQUAT:
        today = local_today()
        with uow:
            estimate = LiftHistory.read(uow, athlete, exercise, today).estimate(today)
        ratio = _relative_strength(athlete, exercise, estimate)
    strong = ratio is not None and ratio >= STRONG_RATIO
    return ReviewOptions(rest_window_s=(300, 600)) if strong else ReviewOptions()


def dated_sets(rows: list[HistoryRow]) -> list[tuple[date, SetRecord]]:
    """Each set with its session's local day, as the reviews take them."""
    return [(r.session_started_at.astimezone().date(), r.set) for r in rows]


def review_rows(
    uow: UnitOfWork, athlete: Athlete, exercise: Exercise, marked: Iterable[Marker],
    window_days: int,
) -> list[HistoryRow]:  # fmt: skip
    """The sets of ``exercise`` a review reads: those of the sessions within
    ``window_days`` of a marked session (a review matches no session farther away), so
    its cost follows the marked sessions, not the length of the log. Call inside an open
    unit of work."""
    reach = timedelta(days=window_days + 2)  # a margin for the sessions' local days
    spans: list[list[datetime]] = []
    for at in sorted({m.session_started_at for m in marked}):
        if spans and at - reach <= spans[-1][1]:
            spans[-1][1] = at + reach
        else:
            spans.append([at - reach, at + reach])
    return [
        row
        for since, until in spans
        for row in uow.sets.history(athlete.id, exercise.key, since=since, until=until)
    ]


def pap_review(
    uow: UnitOfWork,
    athlete: Athlete,
    exercise_name: str,
    options: ReviewOptions | None = None,
) -> PapReview:
    """Working sets after a primer vs the athlete's other sessions at the same load."""
    with uow:
        exercise = catalogue_for(uow, athlete.id).resolve(exercise_name)
    options = options or review_options(uow, athlete, exercise)
    with uow:
        primed = [m for m in uow.sets.markers(athlete.id, exercise.key) if m.primer]
        rows = review_rows(uow, athlete, exercise, primed, options.window_days)
    return PapReview(athlete, exercise, evaluate_pap(dated_sets(rows), options))


def tag_review(
    uow: UnitOfWork,
    athlete: Athlete,
    exercise_name: str,
    tag: str,
    options: ReviewOptions | None = None,
) -> PapReview:
    """Working sets with ``tag`` (or after a set with it) vs sessions without it."""
    clean = normalise_tags([tag])
    options = options or ReviewOptions()
    with uow:
        exercise = catalogue_for(uow, athlete.id).resolve(exercise_name)
        marked = [
            m
            for m in uow.sets.markers(athlete.id, exercise.key)
            if clean[:1] and clean[0] in m.tags
        ]
        rows = review_rows(uow, athlete, exercise, marked, options.window_days)
    return PapReview(athlete, exercise, compare_tag(dated_sets(rows), tag, options))
