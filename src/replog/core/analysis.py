"""Session analysis: what each set says about the nervous system (DESIGN.md 2.3).

For every set: velocity summary and loss (:mod:`replog.core.velocity`); for working sets,
the *neural drop-off* against the session's reference set. RepLog's own metric: the
reference is the first working set of that exercise in the session at the same load
(+-2.5%); a later set at that load whose mean velocity (over the reps both sets have) is
more than the threshold (10% by default, an athlete setting) slower flags ``neural_dropoff``.
The first set at a new load is compared through the lifter's load-velocity model instead:
each set's best rep as a fraction of the velocity the model expects at its load, relative
to the same fraction for the session's first working set, which cancels the day's form.

Intent: each rep's velocity over the model's expectation at that load (the model is fitted
on best reps, so 1.0 is a typical all-out rep). A set whose best rep scores under 0.85 with
little velocity loss and moderate effort looks like a lifter not trying to move fast:
``passive_intent``. RIR estimated from velocity (see velocity.py) that differs by two reps or
more from the reported RIR (RPE = 10 - RIR, Zourdos et al. 2016) flags
``rpe_velocity_mismatch``. Recommendations come from :mod:`replog.core.advice`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from replog.core.exercises import Exercise
from replog.core.model import Session, SetKind, SetRecord
from replog.core.velocity import (
    SetVelocity,
    dropoff_pct,
    grind_limit,
    grinding_reps,
    rir_from_velocity,
    set_velocity,
)

MODEL_WINDOW_DAYS = 56
"""Load-velocity models are fitted on the eight weeks before a session: a set can change the
analysis of its own session and of the sessions in the eight weeks after it."""
ANALYSIS_VERSION = "2"
"""Bump when a change to the analysis changes its results: stored analyses of another
version are recomputed. 2: the population model scales from the lift's one e1RM
(:mod:`replog.core.e1rm`: RPE counts, six weeks, working sets)."""
COMPARED_KINDS = frozenset({SetKind.WORKING, SetKind.BACKOFF})
NO_INTENT_KINDS = frozenset({SetKind.FAILURE, SetKind.AMRAP})
DEFAULT_MVT = 0.30
DEFAULT_SEE = 0.05  # m/s: a model without its own standard error of estimate


class VelocityModel(Protocol):
    """What analysis needs from a load-velocity profile (or a population fallback)."""

    def predict_velocity(self, load_kg: float) -> float: ...
    def predict_load(self, velocity: float) -> float: ...


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A fitted line ``v = intercept + slope * load`` as a :class:`VelocityModel`: the plain
    arithmetic, for the hot path of analysing thousands of sets."""

    intercept: float
    slope: float
    see_: float | None = None

    def predict_velocity(self, load_kg: float) -> float:
        return self.intercept + self.slope * load_kg

    def predict_load(self, velocity: float) -> float:
        return (velocity - self.intercept) / self.slope


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    dropoff_threshold_pct: float = 10.0
    load_tolerance_pct: float = 2.5
    velocity_loss_limit_pct: float = 20.0  # stop sets here (Pareja-Blanco et al. 2017)
    stop_set_loss_pct: float = 30.0  # sets beyond this earn a stop_set recommendation
    passive_intent_score: float = 0.85
    passive_max_loss_pct: float = 10.0
    passive_max_rpe: float = 8.0
    rpe_mismatch_reps: float = 1.0  # beyond the RIR range the first rep allows (+-1 SEE)
    rir_judged_up_to: float = 3.0
    effort_hidden_rpe_rise: float = 0.5


@dataclass(frozen=True, slots=True)
class SetFlags:
    neural_dropoff: bool = False
    grinding: bool = False
    passive_intent: bool = False
    rpe_velocity_mismatch: bool = False


@dataclass(frozen=True, slots=True)
class SetAnalysis:
    set: SetRecord
    velocity: SetVelocity | None
    flags: SetFlags
    dropoff_pct: float | None = None
    reference_set: str | None = None
    comparison: str | None = None  # "same_load" | "profile"
    effort_hid_dropoff: bool | None = None
    rpe_change: float | None = None
    grinding_reps: tuple[int, ...] = ()
    expected_velocity: float | None = None  # the model's velocity for a fresh rep at the load
    intent_score: float | None = None
    estimated_rir: float | None = None
    reported_rir: float | None = None
    reference_velocity: float | None = None
    compared_velocity: float | None = None

    @property
    def intent_scores(self) -> tuple[float, ...]:
        """Each rep's velocity over the model's expectation for a fresh rep at the load."""
        e = self.expected_velocity
        if e is None:
            return ()
        return tuple(r.mcv / e for r in self.set.rep_data if r.mcv is not None)


@dataclass(frozen=True, slots=True)
class Recommendation:
    kind: str  # cap_intensity | stop_set | reduce_load | pap_block | cue | readiness_adjustment
    exercise: str
    reason: str
    action: str
    set_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SessionAnalysis:
    session: Session
    sets: tuple[SetAnalysis, ...]
    recommendations: tuple[Recommendation, ...]
    settings: AnalysisSettings

    def flagged(self, flag: str) -> list[SetAnalysis]:
        return [a for a in self.sets if getattr(a.flags, flag)]


def reported_rir(s: SetRecord) -> float | None:
    if s.rir is not None:
        return s.rir
    return None if s.rpe is None else 10.0 - s.rpe


def _mean_first(s: SetRecord, k: int) -> float | None:
    values = [r.mcv for r in s.rep_data if r.mcv is not None][:k]
    return math.fsum(values) / len(values) if values else None


def analyze_sets(
    sets: tuple[SetRecord, ...] | list[SetRecord],
    exercises: Mapping[str, Exercise],
    models: Mapping[str, VelocityModel],
    settings: AnalysisSettings = AnalysisSettings(),
) -> list[SetAnalysis]:
    """Analyse a session's sets in order (each set sees only the sets before it)."""
    out: list[SetAnalysis] = []
    refs: dict[str, list[tuple[SetRecord, SetVelocity]]] = {}  # exercise -> load references
    for s in sets:
        vel = set_velocity(s)
        ex = exercises.get(s.exercise)
        mvt = ex.mvt if ex is not None and ex.mvt else DEFAULT_MVT
        model = models.get(s.exercise)
        a = _analyze_one(s, vel, mvt, model, refs.setdefault(s.exercise, []), settings)
        out.append(a)
    return out


def _analyze_one(
    s: SetRecord,
    vel: SetVelocity | None,
    mvt: float,
    model: VelocityModel | None,
    refs: list[tuple[SetRecord, SetVelocity]],
    cfg: AnalysisSettings,
) -> SetAnalysis:
    rep_rir = reported_rir(s)
    if vel is None:
        return SetAnalysis(s, None, SetFlags(), reported_rir=rep_rir)
    load_kg, rpe = s.load.kg, s.effective_rpe
    grind = tuple(grinding_reps(s, mvt)) if vel.slowest < grind_limit(mvt) else ()
    intent = expected = est_rir = None
    mismatch = False
    if model is not None:
        expected = model.predict_velocity(load_kg)
        if expected > 0:
            intent = vel.best / expected
            if s.reps > 0:
                est_rir = rir_from_velocity(
                    load_kg, s.reps, vel.first, expected, mvt, model.predict_load
                )
                see = float(getattr(model, "see_", None) or DEFAULT_SEE)
                mismatch = _rir_mismatch(
                    est_rir, rep_rir, vel.first, see, s, expected, mvt, model, cfg
                )
        else:
            expected = None
    passive = (
        intent is not None
        and intent < cfg.passive_intent_score
        and s.kind not in NO_INTENT_KINDS
        and vel.loss_pct < cfg.passive_max_loss_pct
        and (rpe is None or rpe <= cfg.passive_max_rpe)
    )
    drop: float | None = None
    ref_set: SetRecord | None = None
    comparison: str | None = None
    ref_v = this_v = None
    if s.kind in COMPARED_KINDS:
        tolerance = cfg.load_tolerance_pct / 100.0
        same = None
        for r, rv in refs:
            if abs(r.load.kg - load_kg) <= tolerance * max(r.load.kg, load_kg):
                same = (r, rv)
                break
        if same is not None:
            ref_set, ref_vel = same
            if ref_vel.n == vel.n:
                ref_v, this_v = ref_vel.mean, vel.mean
            else:
                k = min(ref_vel.n, vel.n)
                ref_v, this_v = _mean_first(ref_set, k), _mean_first(s, k)
            comparison = "same_load"
        else:
            if refs and model is not None and expected is not None:
                ref_set, ref_vel = refs[0]
                exp_ref = model.predict_velocity(ref_set.load.kg)
                if exp_ref > 0:
                    ref_v, this_v = ref_vel.best / exp_ref, vel.best / expected
                    comparison = "profile"
            refs.append((s, vel))
        if ref_v is not None and this_v is not None:
            drop = dropoff_pct(ref_v, this_v)
    flagged = drop is not None and drop > cfg.dropoff_threshold_pct
    rpe_change = hid = None
    if ref_set is not None and rpe is not None:
        ref_rpe = ref_set.effective_rpe
        if ref_rpe is not None:
            rpe_change = rpe - ref_rpe
            hid = flagged and rpe_change <= cfg.effort_hidden_rpe_rise
    flags = SetFlags(flagged, bool(grind), passive, mismatch)
    return SetAnalysis(
        s,
        vel,
        flags,
        drop,
        ref_set.id if ref_set is not None else None,
        comparison,
        hid if flagged else None,
        rpe_change,
        grind,
        expected,
        intent,
        est_rir,
        rep_rir,
        ref_v,
        this_v,
    )


def _rir_mismatch(
    estimate: float | None,
    reported: float | None,
    first: float,
    see: float,
    s: SetRecord,
    expected: float,
    mvt: float,
    model: VelocityModel,
    cfg: AnalysisSettings,
) -> bool:
    """Does the reported RIR fall outside what the first rep allows?

    RIR ratings mean something near failure (Zourdos et al. 2016 found them most accurate
    there): a rating of RIR 3 or less is judged, and any rating when the velocity says the
    set was at failure; "RPE 6 but it was RPE 4" is not worth a flag. The velocity reading is
    only as sure as the model, so any RIR the first rep implies within one standard error of
    estimate is accepted, plus ``rpe_mismatch_reps``.
    """
    if estimate is None or reported is None:
        return False
    if reported > cfg.rir_judged_up_to and estimate >= 1:
        return False
    margin = cfg.rpe_mismatch_reps
    if abs(estimate - reported) <= margin:
        return False  # the estimate itself lies within [low, high]
    # the estimate rises with the first rep's velocity, so only the near edge matters
    below = reported < estimate
    edge = rir_from_velocity(
        s.load.kg, s.reps, first - see if below else first + see, expected, mvt, model.predict_load
    )
    if edge is None:
        return False
    return reported < edge - margin if below else reported > edge + margin


def analyze_session(
    session: Session,
    exercises: Mapping[str, Exercise],
    models: Mapping[str, VelocityModel] | None = None,
    settings: AnalysisSettings = AnalysisSettings(),
) -> SessionAnalysis:
    """Analyse every set of ``session`` and derive the recommendations for it."""
    from replog.core.advice import recommend

    analyses = analyze_sets(session.sets, exercises, models or {}, settings)
    recs = recommend(analyses, exercises, models or {}, settings)
    return SessionAnalysis(session, tuple(analyses), tuple(recs), settings)
