"""Analyse sessions: the stored ones, a whole history, or sessions in an export file.

Each exercise's load-velocity model is the one :mod:`replog.core.lift_model` gives before
the session (the session never explains itself): the lifter's line on the profile points of
the eight weeks before, as ``replog profile`` chooses them, or the population table scaled
by the lift's e1RM. This module only finds the sets and runs the analyses.
"""

from __future__ import annotations

import gc
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

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
from replog.core.exercises import Catalogue, Exercise
from replog.core.model import Athlete, Session, SetRecord
from replog.services.catalogue import catalogue_for
from replog.services.exchange import Bundle
from replog.services.ports import StoredAnalysis, StoredModel, UnitOfWork
from replog.services.queries import find_session

if TYPE_CHECKING:  # it brings numpy: imported where a model is fitted
    from replog.core.lift_model import ExerciseHistory

MODEL_WINDOW = timedelta(days=MODEL_WINDOW_DAYS)
# sets performed in a model's window may belong to a session started up to a day before it
SESSION_SPAN = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    athlete: Athlete
    analysis: SessionAnalysis
    exercises: dict[str, Exercise]
    models: dict[str, str]  # exercise -> "profile" | "population"


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


def analyze_stored(uow: UnitOfWork, athlete: Athlete, ref: str = "last") -> AnalysisResult:
    """Analyse one stored session (id, prefix, ``last`` or a date).

    Not stored: this runs on every logged set, while the session is still changing;
    :func:`history_analyses` stores what it computes.
    """
    with uow:
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
    since = session.started_at - MODEL_WINDOW - SESSION_SPAN  # all the models look at
    facts = uow.sets.velocity_facts(athlete.id, keys, since, session.started_at)
    from replog.core.lift_model import ExerciseHistory

    return {k: ExerciseHistory(facts[k]) for k in keys}


def models_for(
    uow: UnitOfWork, athlete: Athlete, session: Session
) -> tuple[dict[str, VelocityModel], dict[str, str]]:
    """The models of the session's lifts before it, inside a writing unit of work: the ones
    stored for the session, the others fitted (one read of the weeks before) and stored.
    Every set logged into a session is judged against the same models, so logging the
    next one reads a row per lift instead of eight weeks of reps, whatever the history."""
    from replog.core.lift_model import POPULATION, PROFILE, PopulationModel

    keys = sorted({s.exercise for s in session.sets})
    stored = uow.analyses.models(session.id, ANALYSIS_VERSION)
    missing = [k for k in keys if k not in stored]
    if missing:
        fitted, _ = models_before(
            histories_before(uow, athlete, replace(session, sets=tuple(
                s for s in session.sets if s.exercise in missing))),
            session.started_at,
        )  # fmt: skip
        fresh = [_stored_model(athlete, session, k, fitted.get(k)) for k in missing]
        uow.analyses.store_models(fresh)
        stored.update((m.exercise, m) for m in fresh)
    models: dict[str, VelocityModel] = {}
    kinds: dict[str, str] = {}
    for k in keys:
        m = stored[k]
        if m.kind == PROFILE:
            models[k] = LinearModel(m.params[0], m.params[1],
                                    None if math.isnan(m.params[2]) else m.params[2])  # fmt: skip
        elif m.kind == POPULATION:
            models[k] = PopulationModel(k, m.params[0])
        else:
            continue
        kinds[k] = m.kind
    return models, kinds


def _stored_model(
    athlete: Athlete, session: Session, exercise: str, model: VelocityModel | None
) -> StoredModel:
    from replog.core.lift_model import POPULATION, PROFILE, PopulationModel

    kind, params = "none", tuple[float, ...]()
    if isinstance(model, LinearModel):
        see = math.nan if model.see_ is None else model.see_
        kind, params = PROFILE, (model.intercept, model.slope, see)
    elif isinstance(model, PopulationModel):
        kind, params = POPULATION, (model.e1rm_kg,)
    return StoredModel(session.id, exercise, athlete.id, session.started_at, ANALYSIS_VERSION,
                       kind, params)  # fmt: skip


def analyze_with(
    athlete: Athlete, session: Session, cat: Catalogue, history: Mapping[str, ExerciseHistory]
) -> AnalysisResult:
    """Analyse the session with the models of :func:`histories_before` (no database)."""
    models, kinds = models_before(history, session.started_at)
    return analyze_given(athlete, session, cat, list(history), (models, kinds))


def analyze_given(
    athlete: Athlete,
    session: Session,
    cat: Catalogue,
    keys: Iterable[str],
    fitted: tuple[dict[str, VelocityModel], dict[str, str]],
) -> AnalysisResult:
    """Analyse the session's lifts ``keys`` with models already fitted (no database)."""
    exercises = {k: cat.get(k) for k in keys if k in cat}
    analysis = analyze_session(session, exercises, fitted[0], settings_for(athlete))
    return AnalysisResult(athlete, analysis, exercises, fitted[1])


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
    from replog.core.lift_model import ExerciseHistory

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
    uow: UnitOfWork, athlete: Athlete, sessions: Sequence[tuple[str, datetime]] | None = None
) -> tuple[Athlete, list[StoredAnalysis], int]:
    """Every session's analysis (or those of ``sessions``: ids and starts, as a page lists
    them), oldest first, and how many had to be computed.

    Stored analyses are current (writes remove the ones they change), so only sessions
    without one are analysed, each with the eight weeks before it, and then stored.
    """
    with uow:
        version = analysis_version(athlete)
        ids = None if sessions is None else [sid for sid, _ in sessions]
        stored = {e.session_id: e for e in uow.analyses.stored(athlete.id, version, ids)}
        starts = uow.sessions.starts(athlete.id) if sessions is None else sessions
        missing = {sid: at for sid, at in starts if sid not in stored}
        if missing:
            since = min(missing.values()) - MODEL_WINDOW - SESSION_SPAN
            with _cyclic_gc_paused():
                loaded = uow.sessions.all_for(athlete.id, since=since)
            cat = catalogue_for(uow, athlete.id)
            with _cyclic_gc_paused():
                fresh = [
                    to_stored(r)
                    for r in analyze_sessions(athlete, loaded, {e.key: e for e in cat})
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
