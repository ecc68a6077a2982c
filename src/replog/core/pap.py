"""Post-activation performance enhancement (PAPE): primer singles, and "does this help me?".

* Wilson et al. 2013 (J Strength Cond Res 27:854; 141 effect sizes, 32 studies): a moderate
  pooled effect on power (ES 0.38), larger after multiple sets than one (0.66 vs 0.24), in
  athletes than in untrained people (0.81 vs 0.14), after 7-10 min of rest (0.70) than 3-7
  (0.54), and gone after more than 10 min (0.02); moderate conditioning loads (60-84 %) did
  better than heavy ones above 85 % (1.06 vs 0.31).
* Seitz & Haff 2016 (Sports Med 46:231; 47 studies, 1954 participants): small to moderate
  effects (jumps 0.29, sprints 0.51), larger in stronger and more experienced lifters, after
  multiple sets (0.69 vs 0.24) and longer rather than short recoveries (0.44-0.49 vs 0.17).
  Seitz, de Villarreal & Haff 2014 (J Strength Cond Res 28:706): after 3 squats at 90 %,
  lifters squatting >= 2.0 x body mass potentiated sooner (from 3 min, peak at 6) and more
  than weaker ones (from 6 min, peak at 9).

:func:`prescribe_pap` turns an e1RM into a primer single (~90 %, on the lifter's plates), a
rest (7-10 min aiming at 8; 5-8 aiming at 6 at >= 2.0 x body mass) and working sets (~75 %).
Heavy single primers being the variant with the smaller pooled effect, each lifter should
check their own response: :func:`evaluate_pap` and :func:`compare_tag` compare the working
sets after a primer (or carrying a tag) with the same lifter's working sets in sessions
without it, one value per session (its sets are not independent), matching loads within
+-2.5 % and moving them to the same load along the lifter's own load-velocity slope (fitted
on the baseline sessions within reach of a treated one). The baseline spans 8 weeks either
side, so a steady strength trend cancels instead of passing for potentiation; set 1 is
compared with set 1 (no credit to a cue for fresh first sets).

:func:`effect_of`: mean difference and Hedges' g (Cohen's d over the pooled SD times the
exact correction J), with the exact 95 % CI for the population effect from the noncentral t
distribution (Steiger & Fouladi 1997, as MBESS ``ci.smd``; :mod:`replog.core.effect_size`).
Verdict: "helps" when g >= 0.2 (the usual smallest worthwhile change) and the CI lies above
0 (the pooled t-test at 5 %), "hurts" mirrored, "not enough data" under 3 sessions a side,
else "no clear effect".
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from replog.core.e1rm import epley_rir
from replog.core.effect_size import SWC as SWC  # re-exported: the PAP verdict's threshold
from replog.core.effect_size import Effect as Effect
from replog.core.effect_size import Verdict as Verdict
from replog.core.effect_size import effect_of as effect_of
from replog.core.effect_size import group_effect
from replog.core.effect_size import hedges_j as hedges_j
from replog.core.errors import ValidationError
from replog.core.model import SetKind, SetRecord, normalise_tags
from replog.core.units import KG_PER_LB, MAX_LOAD_KG, Unit, round_to_increment

MIN_SESSIONS = 3
LOAD_TOLERANCE = 0.025
WINDOW_DAYS = 56
PAPE_REST_S = (420, 600)
STRONG_RATIO = 2.0  # e1RM / body mass, Seitz et al. 2014 (back squat)
_LB = float(KG_PER_LB)

WILSON = "Wilson et al. 2013, J Strength Cond Res 27:854"
SEITZ_HAFF = "Seitz & Haff 2016, Sports Med 46:231"
SEITZ_2014 = "Seitz, de Villarreal & Haff 2014, J Strength Cond Res 28:706"


@dataclass(frozen=True, slots=True)
class Rest:
    low_s: int
    target_s: int
    high_s: int
    why: str


@dataclass(frozen=True, slots=True)
class Block:
    role: str  # "primer" | "working"
    sets: int
    reps: int
    load: float  # in the lifter's unit, on the plates
    load_kg: float
    pct_e1rm: float  # of the e1RM, after rounding to the plates
    expected_rpe: float  # implied by Epley at that load
    rest_between_s: int | None
    why: str


@dataclass(frozen=True, slots=True)
class PapPrescription:
    e1rm_kg: float
    e1rm: float  # in ``unit``
    unit: Unit
    increment: float  # in ``unit``
    primer: Block
    rest: Rest  # after the primer, before the first working set
    working: Block
    sources: tuple[str, ...]


def e1rm_rir(load_kg: float, reps: int, *, rpe: float | None = None) -> float:
    """Epley with reps in reserve (:func:`replog.core.e1rm.epley_rir`), for one set."""
    return epley_rir(load_kg, reps, rpe)


def _check(value: float, name: str, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"expected a finite number, got {value!r}", field=name)
    if not low <= value <= high:
        raise ValidationError(f"must be between {low:g} and {high:g}, got {value:g}", field=name)


_PRIMER_WHY = (
    "one single at {load} ({pct:.1f} % of your e1RM, about RPE {rpe:g} by Epley), far from "
    f"failure; heavy single sets had the smaller pooled effect in {WILSON} (> 85 %: 0.31 vs "
    "1.06 at 60-84 %; one set 0.24 vs several 0.66): check your own response afterwards"
)
_WORK_WHY = (
    "{sets} x {reps} at {load} ({pct:.1f} %, about RPE {rpe:g}): fast sets whose bar speed "
    "shows whether the primer worked, {rest:g} min apart (2-3 min for multi-joint strength "
    "sets, ACSM 2009 position stand); later sets drift past the 10-min window"
)
_REST_STRONG = (
    "rest 6 min (5-8): your e1RM is {ratio:.2f} x body mass; lifters squatting >= "
    f"{STRONG_RATIO:g} x body mass potentiated from 3 min with a peak at 6 min, weaker ones "
    f"at 9 ({SEITZ_2014}; stronger lifters gain more, {SEITZ_HAFF}); after more than 10 min "
    f"the effect was gone ({WILSON})"
)
_REST = (
    "rest 8 min (7-10) after the primer: the pooled effect was largest after 7-10 min (ES "
    f"0.70), smaller after 3-7 (0.54) and gone after more than 10 (0.02) ({WILSON})"
)


def prescribe_pap(
    e1rm_kg: float,
    *,
    unit: Unit = Unit.KG,
    increment: float | None = None,
    primer_pct: float = 0.90,
    working_pct: float = 0.75,
    working_sets: int = 3,
    working_reps: int = 5,
    working_rest_s: int = 180,
    relative_strength: float | None = None,
) -> PapPrescription:
    """A PAP block from an e1RM in kg; loads in ``unit`` rounded to ``increment`` (default
    2.5 kg or 5 lb). ``relative_strength`` is the e1RM over body mass, if known."""
    inc = (2.5 if unit is Unit.KG else 5.0) if increment is None else increment
    for value, name, low, high in [
        (e1rm_kg, "e1rm", 1e-9, float(MAX_LOAD_KG)), (primer_pct, "primer_pct", 0.5, 1.0),
        (working_pct, "working_pct", 0.3, primer_pct - 1e-9), (inc, "increment", 1e-6, 50),
        (working_sets, "working_sets", 1, 10), (working_reps, "working_reps", 1, 20),
        (working_rest_s, "working_rest_s", 30, 900),
        (1 if relative_strength is None else relative_strength, "relative_strength", 0.05, 10),
    ]:  # fmt: skip
        _check(value, name, low, high)
    e1rm = e1rm_kg if unit is Unit.KG else e1rm_kg / _LB

    def block(role: str, pct: float, sets: int, reps: int, rest: int | None, why: str) -> Block:
        load = round_to_increment(e1rm * pct, inc)
        if load <= 0:
            raise ValidationError(f"increment {inc:g} {unit} is too coarse", "increment")
        p, kg = load / e1rm, load if unit is Unit.KG else load * _LB
        rir = 30 * (1 / p - 1) - reps  # Epley: reps + RIR = 30 (1/p - 1)
        rpe = min(10.0, max(1.0, round((10 - rir) * 2) / 2))
        text = why.format(load=f"{load:g} {unit}", pct=p * 100, rpe=rpe, sets=sets, reps=reps)
        return Block(role, sets, reps, load, kg, p, rpe, rest, text)

    primer = block("primer", primer_pct, 1, 1, None, _PRIMER_WHY)
    work_why = _WORK_WHY.replace("{rest:g}", f"{working_rest_s / 60:g}")
    working = block("working", working_pct, working_sets, working_reps, working_rest_s, work_why)
    if relative_strength is not None and relative_strength >= STRONG_RATIO:
        rest = Rest(300, 360, 480, _REST_STRONG.format(ratio=relative_strength))
    else:
        tail = "" if relative_strength is not None else "; give your body mass to tailor it"
        rest = Rest(420, 480, 600, _REST + tail)
    sources = (WILSON, SEITZ_HAFF, SEITZ_2014)
    return PapPrescription(e1rm_kg, e1rm, unit, inc, primer, rest, working, sources)


History = Sequence[tuple[date | datetime, SetRecord]]


@dataclass(frozen=True, slots=True)
class ReviewOptions:
    metric: str = "first_rep"  # or "mean": a set's first-rep or mean concentric velocity
    tolerance: float = LOAD_TOLERANCE  # loads match within this fraction
    window_days: int = WINDOW_DAYS  # baseline sessions this close in time, either side
    rest_window_s: tuple[int, int] = PAPE_REST_S  # a note flags rests after a primer outside

    def __post_init__(self) -> None:
        if self.metric not in {"first_rep", "mean"}:
            raise ValidationError(f"metric is first_rep or mean, got {self.metric!r}", "metric")
        _check(self.tolerance, "tolerance", 0, 0.2)
        _check(self.window_days, "window_days", 1, 3650)


@dataclass(frozen=True, slots=True)
class SessionComparison:
    session_id: str
    day: date
    load_kg: float
    load_text: str  # as entered: "140 kg"
    sets: int  # working sets compared
    velocity: float  # m/s, mean over those sets
    baseline: float | None  # mean of the matched baseline sessions, moved to this load, m/s
    baseline_sessions: int
    diff_pct: float | None
    rest_s: int | None  # after the primer or tagged set, when logged
    note: str = ""


@dataclass(frozen=True, slots=True)
class Review:
    subject: str  # "primer" or the tag
    metric: str
    effect: Effect
    sessions: tuple[SessionComparison, ...]
    load_slope: float  # m/s per kg that moved baselines to the treated load (0: none)


@dataclass(slots=True)
class _Obs:
    session_id: str
    day: date
    load_kg: float
    load_text: str
    v: dict[int, float]  # the set's place among the session's working sets at this load -> m/s
    rest_s: int | None = None


def _velocity(s: SetRecord, metric: str) -> float | None:
    if metric == "mean":
        return statistics.fmean(s.velocities) if s.velocities else None
    return s.rep_data[0].mcv if s.rep_data and s.rep_data[0].index == 1 else None


def _observations(
    history: History, is_marker: Callable[[SetRecord], bool], metric: str
) -> tuple[list[_Obs], list[_Obs]]:
    """(treated, baseline): one observation per treated session, one per load otherwise."""
    if len({s.exercise for _, s in history}) > 1:
        raise ValidationError("the history must hold one exercise", field="history")
    sessions: dict[str, tuple[date, list[SetRecord]]] = {}
    for when, s in history:
        day = when.date() if isinstance(when, datetime) else when
        sessions.setdefault(s.session_id, (day, []))[1].append(s)
    treated, baseline = list[_Obs](), list[_Obs]()
    for sid, (day, sets) in sessions.items():
        sets.sort(key=lambda s: s.position)
        marker = next((s for s in sets if is_marker(s)), None)
        after = marker is not None and marker.kind is not SetKind.WORKING
        obs: dict[float, _Obs] = {}
        counts: dict[float, int] = {}
        for s in (s for s in sets if s.kind is SetKind.WORKING and s.reps > 0):
            kg = s.load.kg
            number = counts[kg] = counts.get(kg, 0) + 1
            if marker is not None and not (s.position > marker.position if after else is_marker(s)):
                continue
            v = _velocity(s, metric)
            if v is None or v <= 0:  # no velocity logged (or a 0 that cannot be a ratio)
                continue
            o = obs.setdefault(kg, _Obs(sid, day, kg, s.load.text, {}))
            if not o.v and after and marker is not None:  # the rest after the marker
                gaps = [x.rest_s for x in sets if marker.position < x.position <= s.position]
                o.rest_s = None if None in gaps else sum(g or 0 for g in gaps)
            o.v[number] = v
        if marker is None:
            baseline.extend(obs.values())
        elif obs:  # a treated session counts once: at its load with the most sets
            treated.append(max(obs.values(), key=lambda o: len(o.v)))
    return treated, baseline


def _slope(baseline: list[_Obs]) -> float:
    """The lifter's load-velocity slope over baseline sets (m/s per kg; 0 if not estimable)."""
    xs = [o.load_kg for o in baseline for _ in o.v]
    ys = [v for o in baseline for v in o.v.values()]
    if len(set(xs)) < 3 or max(xs) - min(xs) < 0.05 * statistics.fmean(xs):
        return 0.0
    return min(0.0, statistics.linear_regression(xs, ys).slope)


def _nearby(baseline: list[_Obs], days: list[date], day: date, window_days: int) -> list[_Obs]:
    """The observations of ``baseline`` (sorted by day, ``days`` their days) within
    ``window_days`` of ``day``: a bisection, so a review is n log n in the sessions."""
    span = timedelta(days=window_days)
    return baseline[bisect_left(days, day - span) : bisect_right(days, day + span)]


def _matched(t: _Obs, nearby: list[_Obs], opt: ReviewOptions, slope: float) -> dict[str, float]:
    """Baseline sessions near ``t`` in load and time, each moved to ``t``'s load (m/s)."""
    best: dict[str, _Obs] = {}
    for b in nearby:
        gap, prev = abs(b.load_kg - t.load_kg), best.get(b.session_id)
        near = abs((b.day - t.day).days) <= opt.window_days and bool(set(t.v) & set(b.v))
        better = prev is None or gap < abs(prev.load_kg - t.load_kg)
        if near and better and gap <= opt.tolerance * t.load_kg + 1e-9:
            best[b.session_id] = b
    return {
        sid: statistics.fmean(b.v[k] for k in set(t.v) & set(b.v)) + slope * (t.load_kg - b.load_kg)
        for sid, b in best.items()
    }


def _review(
    history: History, subject: str, is_marker: Callable[[SetRecord], bool], opt: ReviewOptions
) -> Review:
    treated, baseline = _observations(history, is_marker, opt.metric)
    treated.sort(key=lambda o: (o.day, o.session_id))
    baseline.sort(key=lambda o: o.day)
    days = [b.day for b in baseline]
    near = [_nearby(baseline, days, t.day, opt.window_days) for t in treated]
    # the slope from the baseline sessions a treated one may be matched with, each once
    slope = _slope(list({id(b): b for group in near for b in group}.values()))
    rows, b_ratio = list[SessionComparison](), dict[str, float]()
    pairs: list[tuple[float, float]] = []  # (treated value, its baseline mean)
    for t, nearby in zip(treated, near, strict=True):
        value, moved = statistics.fmean(t.v.values()), _matched(t, nearby, opt, slope)
        notes = []
        w = opt.rest_window_s
        if t.rest_s is not None and not w[0] <= t.rest_s <= w[1]:
            notes.append(f"rest {t.rest_s / 60:.1f} min, outside {w[0] / 60:g}-{w[1] / 60:g} min")
        mean = m if moved and (m := statistics.fmean(moved.values())) > 0 else None
        if mean is None:
            notes.append(f"no session without it at {t.load_text} +-{opt.tolerance:.1%} nearby")
        else:
            pairs.append((value, mean))
            for sid, v in moved.items():
                b_ratio.setdefault(sid, v / mean)
        pct = None if mean is None else (value / mean - 1) * 100
        detail = (t.load_kg, t.load_text, len(t.v), value, mean, len(moved), pct, t.rest_s)
        rows.append(SessionComparison(t.session_id, t.day, *detail, "; ".join(notes)))
    ref = statistics.fmean(m for _, m in pairs) if pairs else 1.0  # ratios back to m/s
    t_vals, b_vals = [v / m * ref for v, m in pairs], [r * ref for r in b_ratio.values()]
    effect = group_effect(t_vals, b_vals, SWC, MIN_SESSIONS)
    return Review(subject, opt.metric, effect, tuple(rows), slope)


def evaluate_pap(history: History, options: ReviewOptions | None = None) -> Review:
    """Working sets after a primer vs the same load in sessions without one (one exercise)."""
    is_primer: Callable[[SetRecord], bool] = lambda s: s.kind is SetKind.PRIMER  # noqa: E731
    return _review(history, "primer", is_primer, options or ReviewOptions())


def compare_tag(history: History, tag: str, options: ReviewOptions | None = None) -> Review:
    """Does a tag help? Working sets carrying it (or, when it marks a non-working set such as
    a primer, the working sets after that set) vs sessions where it was not used."""
    clean = normalise_tags([tag])
    if not clean:
        raise ValidationError("the tag is empty", field="tag")
    return _review(history, clean[0], lambda s: clean[0] in s.tags, options or ReviewOptions())
