"""Analyse sessions: the stored ones, a whole history, or sessions in an export file.

Each exercise's load-velocity model is fitted on the lifter's own sets from the eight weeks
*before* the session (the session never explains itself): the best rep of each set, the
fastest set per load and day, as :mod:`replog.core.profile_data` chooses them, less its ROM
outlier check (a median over every rep of every window would cost more than the whole
analysis; ``replog profile`` applies it). With fewer than two loads, the population %1RM-velocity
table stands in, when the lift has a published table, scaled by the lift's e1RM just before
the session (:func:`replog.core.e1rm.estimate_e1rm`; without a line there is no profile to
qualify, so it is the Epley-with-RIR estimate of the six weeks before).
"""

from __future__ import annotations

import gc
import json
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from replog.core.analysis import (
    ANALYSIS_VERSION,
    MODEL_WINDOW_DAYS,
    AnalysisSettings,
    LinearModel,
    SessionAnalysis,
    VelocityModel,
    analyze_session,
)
from replog.core.analysis_doc import session_analysis_to_dict
from replog.core.e1rm import estimate_e1rm
from replog.core.entry import SetEntry
from replog.core.exercises import Catalogue, Exercise
from replog.core.model import Athlete, Session, SetRecord
from replog.core.profile_data import VELOCITY_RANGE
from replog.services.athletes import resolve_athlete
from replog.services.catalogue import catalogue_for
from replog.services.exchange import Bundle
from replog.services.ports import StoredAnalysis, UnitOfWork, VelocityFacts
from replog.services.queries import find_session
from replog.services.training import Logged, SetDetails, aware, write_entry

MODEL_WINDOW = timedelta(days=MODEL_WINDOW_DAYS)


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    athlete: Athlete
    analysis: SessionAnalysis
    exercises: dict[str, Exercise]
    models: dict[str, str]  # exercise -> "profile" | "population"


class PopulationModel:
    """The population %1RM-velocity relationship scaled by an e1RM estimate."""

    def __init__(self, exercise: str, e1rm_kg: float):
        self.exercise, self.e1rm_kg = exercise, e1rm_kg

    def predict_velocity(self, load_kg: float) -> float:
        from replog.core.population import velocity_at_percent

        return velocity_at_percent(self.exercise, load_kg / self.e1rm_kg)

    def predict_load(self, velocity: float) -> float:
        from replog.core.population import percent_at_velocity

        return percent_at_velocity(self.exercise, velocity) * self.e1rm_kg


_LOW, _HIGH = VELOCITY_RANGE


def best_rep(s: SetRecord) -> float | None:
    """The set's fastest plausible rep (mean concentric velocity), None without one."""
    best = None
    for r in s.rep_data:
        v = r.mcv
        if v is not None and _LOW <= v <= _HIGH and (best is None or v > best):
            best = v
    return best if s.load.kg > 0 else None


def facts_of(at: datetime, s: SetRecord) -> VelocityFacts:
    return VelocityFacts(at, s.load.kg, best_rep(s), s.kind, s.reps, s.effective_rpe)


@dataclass(slots=True)
class ExerciseHistory:
    """What the models of one exercise are made of, in time order: each set's facts, and the
    profile points (the best rep of the fastest set per load and day) with their times."""

    facts: list[VelocityFacts]
    times: list[datetime]
    points: list[tuple[datetime, float, float]]  # (when, load kg, velocity)
    point_times: list[datetime]
    sums: list[tuple[float, float, float, float, float]]  # running sums of x, y, xx, xy, yy

    @classmethod
    def of(cls, rows: Iterable[tuple[datetime, SetRecord]]) -> ExerciseHistory:
        return cls.from_facts(facts_of(at, s) for at, s in rows)

    @classmethod
    def from_facts(cls, facts: Iterable[VelocityFacts]) -> ExerciseHistory:
        ordered = sorted(facts, key=lambda f: f.at)
        best: dict[tuple[object, float], tuple[datetime, float, float]] = {}
        for f in ordered:
            v = f.best_velocity
            if v is None or f.load_kg <= 0:
                continue
            key = (f.at.date(), f.load_kg)
            if key not in best or v > best[key][2]:
                best[key] = (f.at, f.load_kg, v)
        points = sorted(best.values(), key=lambda p: p[0])
        sums = [(0.0, 0.0, 0.0, 0.0, 0.0)]
        for _, x, y in points:
            sx, sy, sxx, sxy, syy = sums[-1]
            sums.append((sx + x, sy + y, sxx + x * x, sxy + x * y, syy + y * y))
        return cls(ordered, [f.at for f in ordered], points, [p[0] for p in points], sums)

    def _line(self, lo: int, hi: int) -> tuple[float, float, float | None] | None:
        """Least squares over points[lo:hi] from the running sums, in constant time (a
        history's analysis fits 6,000 windows); None without two distinct loads."""
        n = hi - lo
        if n < 2:
            return None
        (ax, ay, axx, axy, ayy), (bx, by, bxx, bxy, byy) = self.sums[hi], self.sums[lo]
        sx, sy, sxx, sxy, syy = ax - bx, ay - by, axx - bxx, axy - bxy, ayy - byy
        cxx = sxx - sx * sx / n  # centred sums
        if cxx <= 1e-9 * max(1.0, sxx):
            return None
        cxy = sxy - sx * sy / n
        cyy = syy - sy * sy / n
        slope = cxy / cxx
        intercept = (sy - slope * sx) / n
        see = math.sqrt(max(0.0, cyy - slope * cxy) / (n - 2)) if n > 2 else None
        return intercept, slope, see

    def model_before(self, exercise: str, end: datetime) -> tuple[VelocityModel | None, str | None]:
        """The exercise's model from the eight weeks before ``end``."""
        start = end - MODEL_WINDOW
        line = self._line(bisect_left(self.point_times, start), bisect_left(self.point_times, end))
        if line is not None and line[1] < 0:
            return LinearModel(*line), "profile"
        from replog.core.population import has_population_table

        if not has_population_table(exercise):
            return None, None
        # no line, so no profile: the e1RM is the sets' (its window is within the facts')
        window = self.facts[bisect_left(self.times, start) : bisect_left(self.times, end)]
        e1rm = estimate_e1rm(window, end)
        if e1rm is None:
            return None, None
        return PopulationModel(exercise, e1rm.value_kg), "population"


def models_before(
    history: Mapping[str, ExerciseHistory], end: datetime
) -> tuple[dict[str, VelocityModel], dict[str, str]]:
    models: dict[str, VelocityModel] = {}
    kinds: dict[str, str] = {}
    for exercise, h in history.items():
        model, kind = h.model_before(exercise, end)
        if model is not None and kind is not None:
            models[exercise], kinds[exercise] = model, kind
    return models, kinds


def settings_for(athlete: Athlete) -> AnalysisSettings:
    return AnalysisSettings(dropoff_threshold_pct=athlete.dropoff_threshold_pct)


def analysis_version(athlete: Athlete) -> str:
    """What a stored analysis depends on besides the log: the code and the athlete's settings."""
    return f"{ANALYSIS_VERSION}/{athlete.dropoff_threshold_pct:g}"


def to_stored(r: AnalysisResult) -> StoredAnalysis:
    a = r.analysis
    return StoredAnalysis(
        a.session.id,
        r.athlete.id,
        a.session.started_at,
        analysis_version(r.athlete),
        len(a.sets),
        len(a.flagged("neural_dropoff")),
        ",".join(sorted({x.kind for x in a.recommendations})),
        json.dumps(session_analysis_to_dict(a, r.athlete.name), ensure_ascii=False),
    )


def analyze_stored(uow: UnitOfWork, athlete_name: str | None, ref: str = "last") -> AnalysisResult:
    """Analyse one stored session (id, prefix, ``last`` or a date).

    Not stored: this runs on every logged set, while the session is still changing;
    :func:`history_analyses` stores what it computes.
    """
    with uow:
        athlete = resolve_athlete(uow, athlete_name)
        session = find_session(uow, athlete, ref)
        cat = catalogue_for(uow, athlete.id)
        history = histories_before(uow, athlete, session)
    return analyze_with(athlete, session, cat, history)


def histories_before(
    uow: UnitOfWork, athlete: Athlete, session: Session
) -> dict[str, ExerciseHistory]:
    """What the models of the session's exercises are fitted on (one query, inside a unit of
    work): the eight weeks of the athlete's sets of each before the session."""
    keys = sorted({s.exercise for s in session.sets})
    since = session.started_at - MODEL_WINDOW  # all the models look at
    facts = uow.sets.velocity_facts(athlete.id, keys, since, session.started_at)
    return {k: ExerciseHistory.from_facts(facts[k]) for k in keys}


def analyze_with(
    athlete: Athlete, session: Session, cat: Catalogue, history: Mapping[str, ExerciseHistory]
) -> AnalysisResult:
    """Analyse the session with the models of :func:`histories_before` (no database)."""
    exercises = {k: cat.get(k) for k in history if k in cat}
    models, kinds = models_before(history, session.started_at)
    analysis = analyze_session(session, exercises, models, settings_for(athlete))
    return AnalysisResult(athlete, analysis, exercises, kinds)


@dataclass(frozen=True, slots=True)
class LoggedAnalysis:
    logged: Logged
    version: int  # the set's version: 1, or a retried set's, which edits may have moved on
    result: AnalysisResult  # of the session the set went into, as it now stands


def log_and_analyze(
    uow: UnitOfWork,
    athlete: Athlete,
    entry: SetEntry,
    details: SetDetails,
    now: datetime | None = None,
) -> LoggedAnalysis:
    """Log a set as :func:`~replog.services.training.log_entry` does, for an athlete already
    found, and analyse its session as :func:`analyze_stored` would just after: a server's
    logged set with its live verdict, in one transaction, from the rows the write read."""
    now = aware(now)
    with uow:
        cat = catalogue_for(uow, athlete.id)
        logged = write_entry(uow, athlete, cat, entry, details, now, with_sets=True)
        version = 1
        if logged.already_logged:
            set_id = logged.sets[0].id
            version = uow.sets.versions([set_id]).get(set_id, 1)
        history = histories_before(uow, athlete, logged.session)
        if not logged.already_logged:
            uow.commit()
    return LoggedAnalysis(logged, version, analyze_with(athlete, logged.session, cat, history))


def analyze_sessions(
    athlete: Athlete, sessions: list[Session], exercises: Mapping[str, Exercise]
) -> list[AnalysisResult]:
    """Analyse every session in time order, each against the eight weeks before it."""
    with _cyclic_gc_paused():
        return _analyze_sessions(athlete, sessions, exercises)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a batch that makes no reference cycles.

    Analysing a history allocates ~200,000 objects beside the ~400,000 of the history
    itself, and each automatic full collection re-scans them all: a third of the time. The
    objects are still freed by reference counting; collection resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyze_sessions(
    athlete: Athlete, sessions: list[Session], exercises: Mapping[str, Exercise]
) -> list[AnalysisResult]:
    ordered = sorted(sessions, key=lambda s: s.started_at)
    rows: dict[str, list[tuple[datetime, SetRecord]]] = defaultdict(list)
    for session in ordered:
        for s in session.sets:
            rows[s.exercise].append((session.started_at, s))
    history = {key: ExerciseHistory.of(r) for key, r in rows.items()}
    cfg = settings_for(athlete)
    out = []
    for session in ordered:
        keys = {s.exercise for s in session.sets}
        models, kinds = models_before({k: history[k] for k in keys}, session.started_at)
        ex = {k: exercises[k] for k in keys if k in exercises}
        out.append(AnalysisResult(athlete, analyze_session(session, ex, models, cfg), ex, kinds))
    return out


def history_analyses(
    uow: UnitOfWork, athlete_name: str | None
) -> tuple[Athlete, list[StoredAnalysis], int]:
    """Every session's analysis, oldest first, and how many had to be computed.

    Stored analyses are current (writes remove the ones they change), so only sessions
    without one are analysed, each with the eight weeks before it, and then stored.
    """
    with uow:
        athlete = resolve_athlete(uow, athlete_name)
        version = analysis_version(athlete)
        stored = {e.session_id: e for e in uow.analyses.stored(athlete.id, version)}
        missing = {sid: at for sid, at in uow.sessions.starts(athlete.id) if sid not in stored}
        if missing:
            since = min(missing.values()) - MODEL_WINDOW
            with _cyclic_gc_paused():
                sessions = uow.sessions.all_for(athlete.id, since=since)
            cat = catalogue_for(uow, athlete.id)
            with _cyclic_gc_paused():
                fresh = [
                    to_stored(r)
                    for r in analyze_sessions(athlete, sessions, {e.key: e for e in cat})
                    if r.analysis.session.id in missing
                ]
            uow.analyses.store(fresh)
            uow.commit()
            stored.update((e.session_id, e) for e in fresh)
    ordered = sorted(stored.values(), key=lambda e: (e.started_at, e.session_id))
    return athlete, ordered, len(missing)


def analyze_bundle(bundle: Bundle, ref: str | None = None) -> list[AnalysisResult]:
    """Analyse sessions from an export (no database): ``ref`` picks one session by id
    prefix; otherwise every session, each against the ones before it in the file."""
    from replog.core.errors import NotFoundError, ValidationError
    from replog.core.exercises import BUILTIN

    results: list[AnalysisResult] = []
    for data in bundle.athletes:
        cat = Catalogue(BUILTIN)
        for ex in data.exercises:
            cat.add(ex)
        results += analyze_sessions(data.athlete, list(data.sessions), {e.key: e for e in cat})
    if not results:
        raise ValidationError("the file holds no sessions", field="file")
    if ref is None or ref == "all":
        return results
    if ref == "last":
        return [max(results, key=lambda r: r.analysis.session.started_at)]
    chosen = [r for r in results if r.analysis.session.id.startswith(ref.lower())]
    if len(chosen) != 1:
        raise NotFoundError(f"{len(chosen)} sessions in the file match {ref!r}", field="session")
    return chosen
