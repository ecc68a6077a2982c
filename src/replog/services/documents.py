"""JSON documents of the services' results, shared by the CLI's ``--json`` and the API.

One builder per document, so ``replog readiness --json`` and ``GET .../readiness`` cannot
drift apart. The e1RM's document is :func:`replog.services.e1rm.e1rm_doc` (kept light: the
commands that print it need not load the readiness models).
"""

from __future__ import annotations

import math
from typing import Any

from replog.core.model import CheckIn
from replog.core.population import has_population_table, velocity_at_percent
from replog.core.readiness import Battery, Trend
from replog.core.units import KG_PER_LB, Unit
from replog.services.e1rm import e1rm_doc
from replog.services.profiles import ProfileReport
from replog.services.readiness import Readiness

TABLE_PERCENTS = (40, 50, 60, 70, 80, 90, 100)


def _r(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


def _in_unit(kg: float, unit: Unit) -> float:
    return round(kg if unit is Unit.KG else kg / float(KG_PER_LB), 1)


def checkin_doc(c: CheckIn) -> dict[str, Any]:
    return {
        "day": c.day.isoformat(),
        "sleep_h": c.sleep_h,
        "sleep_quality": c.sleep_quality,
        "stress": c.stress,
        "soreness": c.soreness,
        "resting_hr": c.resting_hr,
        "hrv_ms": c.hrv_ms,
        "notes": c.notes,
    }


def battery_doc(b: Battery) -> dict[str, Any]:
    """The day's battery: the one document of it that every surface renders (the lifter's
    CLI, API and pages, and the coach's team view). ``score`` is None when nothing was
    read that day (``reading`` false, advice level "none"); ``needs`` then says what would
    give a reading, and otherwise what would make it fuller."""
    a = b.advice
    headline = f"battery {b.score}/100 ({a.level})" if b.score is not None else "no reading yet"
    return {
        "reading": b.reading,
        "score": b.score,
        "level": a.level,
        "headline": headline,
        "confidence": b.confidence,
        "summary": b.summary,
        "parts": [{"name": p.name, "points": p.points, "text": p.text} for p in b.parts],
        "missing": list(b.missing),
        "needs": list(b.needs),
        "advice": {
            "level": a.level,
            "load_change_pct": a.load_change_pct,
            "rpe_cap": a.rpe_cap,
            "skip_primer": a.skip_primer,
            "text": a.text,
        },
    }


def trend_doc(t: Trend) -> dict[str, Any]:
    """The trend and the very series it was computed from (the series every surface draws:
    a day without a reading has ``score`` None and no point)."""
    return {
        "direction": t.direction,
        "text": t.text,
        "latest": t.latest,
        "previous": t.previous,
        "usual": _r(t.usual, 1),
        "change": _r(t.change, 1),
        "days": [{"day": d.isoformat(), "score": s} for d, s in t.days],
    }


def readiness_doc(r: Readiness) -> dict[str, Any]:
    """``replog readiness --json``, ``GET /athletes/{id}/readiness`` and the Today page."""
    unit = r.athlete.default_unit
    w = r.warmup
    return {
        "athlete": r.athlete.name,
        "day": r.day.isoformat(),
        "unit": unit.value,
        "battery": battery_doc(r.battery),
        "checkin": None if r.checkin is None else checkin_doc(r.checkin),
        "warmup": None
        if w is None
        else {
            "exercise": w.exercise,
            "anchor_load": None if w.load_kg is None else _in_unit(w.load_kg, unit),
            "velocity": _r(w.today),
            "baseline": _r(w.baseline),
            "band": _r(w.band),
            "change_pct": _r(w.change_pct, 1),
            "sessions": w.sessions,
            "verdict": w.verdict,
        },
        "training_load": {"acwr": _r(r.acwr, 2), "monotony": _r(r.monotony, 2)},
        "trend": trend_doc(r.trend),
        "plan": [
            {
                "exercise": p.exercise,
                "last_day": p.last_day.isoformat(),
                "reps": p.reps,
                "last_load": _in_unit(p.last_load_kg, unit),
                "load": _in_unit(p.load_kg, unit),
                "rpe_cap": p.rpe_cap,
                "primer": p.primer,
            }
            for p in r.plan
        ],
    }


def _num(x: float | None, digits: int) -> float | None:
    return None if x is None or not math.isfinite(x) else round(x, digits)


def profile_table(report: ProfileReport) -> list[dict[str, Any]]:
    """Load and velocity at 40..100 % of the e1RM (of the profile's load at the MVT when
    the lift has no e1RM): the lifter's line, else the population's."""
    base = report.e1rm.value_kg if report.e1rm is not None else report.load_at_mvt_kg
    if base is None:
        return []
    if report.profile is None and (
        report.exercise is None or not has_population_table(report.exercise.key)
    ):
        return []  # no line of the lifter's and no table of the lift's to read velocity from
    rows = []
    for pct in TABLE_PERCENTS:
        load = base * pct / 100
        if report.profile is not None:
            velocity = report.profile.predict_velocity(load)
        else:
            assert report.exercise is not None
            velocity = velocity_at_percent(report.exercise.key, pct / 100)
        rows.append({"percent_1rm": pct, "load_kg": round(load, 1), "velocity": round(velocity, 3)})
    return rows


def profile_doc(report: ProfileReport) -> dict[str, Any]:
    """The profile, the load where it meets the MVT (``load_at_mvt_kg``: the velocity data's
    1RM, a candidate) and the lift's e1RM (``e1rm``: :func:`e1rm_doc`, the one to use)."""
    p = report.profile
    fallback = report.population
    interval = p.e1rm_interval_ if p is not None else None
    return {
        "athlete": report.athlete,
        "exercise": report.exercise.key if report.exercise else None,
        "method": "two-point" if report.method == "two_point" else report.method,
        "days": report.days,
        "points": [
            {
                "load_kg": round(x.load_kg, 3),
                "velocity": round(x.velocity, 3),
                "date": x.day.isoformat() if x.day else None,
            }
            for x in report.points
        ],
        "dropped": report.dropped,
        "n": p.n_ if p else None,
        "slope": _num(p.slope_, 6) if p else None,
        "intercept": _num(p.intercept_, 4) if p else None,
        "r2": _num(p.r2_, 4) if p else None,
        "see": _num(p.see_, 4) if p else None,
        "v0": _num(p.v0_, 4) if p else None,
        "l0_kg": _num(p.l0_, 1) if p else None,
        "mvt": round(report.mvt, 3),
        "mvt_source": report.mvt_source,
        "mvt_samples": report.mvt_samples,
        "load_at_mvt_kg": _num(report.load_at_mvt_kg, 1),
        "load_at_mvt_source": "profile" if p else ("population" if fallback else None),
        "load_at_mvt_interval_kg": (
            [round(interval[0], 1), round(interval[1], 1)] if interval else None
        ),
        "confidence": p.confidence if p else None,
        "interval_method": "fieller" if interval else None,
        "population": (
            {
                "source": fallback.source,
                "measure": fallback.measure,
                "load_kg": round(fallback.point.load_kg, 3),
                "velocity": round(fallback.point.velocity, 3),
                "percent_1rm": round(fallback.percent_1rm, 4),
            }
            if fallback
            else None
        ),
        "e1rm": e1rm_doc(report.e1rm),
        "table_of": "e1rm" if report.e1rm is not None else "load_at_mvt",
        "notes": list(report.notes),
        "table": profile_table(report),
    }
