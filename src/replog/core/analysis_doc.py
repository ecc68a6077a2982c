"""The session-analysis document of DESIGN.md 2.3: plain dicts, ready for JSON."""

from __future__ import annotations

from typing import Any

from replog.core.analysis import Recommendation, SessionAnalysis, SetAnalysis


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def set_analysis_to_dict(a: SetAnalysis) -> dict[str, Any]:
    from replog.core.velocity import loss_band, rep_losses

    s, v = a.set, a.velocity
    return {
        "set_id": s.id,
        "position": s.position,
        "exercise": s.exercise,
        "kind": s.kind.value,
        "load": str(s.load.value),
        "unit": s.load.unit.value,
        "load_kg": s.load.kg,
        "reps": s.reps,
        "rpe": s.rpe,
        "rir": s.rir,
        "velocities": s.velocities,
        "rep_bands": [loss_band(x) for x in rep_losses(s.velocities)],
        "mean_velocity": _r(v.mean if v else None),
        "first_rep_velocity": _r(v.first if v else None),
        "best_rep_velocity": _r(v.best if v else None),
        "velocity_loss_pct": _r(v.loss_pct if v else None, 1),
        "velocity_loss_from_best_pct": _r(v.loss_from_best_pct if v else None, 1),
        "dropoff_pct": _r(a.dropoff_pct, 1),
        "reference_set": a.reference_set,
        "comparison": a.comparison,
        "rpe_change": a.rpe_change,
        "effort_hid_dropoff": a.effort_hid_dropoff,
        "grinding_reps": list(a.grinding_reps),
        "intent_score": _r(a.intent_score),
        "intent_scores": [round(x, 3) for x in a.intent_scores],
        "estimated_rir": _r(a.estimated_rir, 1),
        "reported_rir": a.reported_rir,
        "flags": {
            "neural_dropoff": a.flags.neural_dropoff,
            "grinding": a.flags.grinding,
            "passive_intent": a.flags.passive_intent,
            "rpe_velocity_mismatch": a.flags.rpe_velocity_mismatch,
        },
    }


def recommendation_to_dict(r: Recommendation) -> dict[str, Any]:
    from replog.core.advice import SEVERITY

    return {
        "kind": r.kind,
        "severity": SEVERITY.get(r.kind, "info"),
        "exercise": r.exercise,
        "reason": r.reason,
        "action": r.action,
        "set_id": r.set_id,
        "details": r.details,
    }


def session_analysis_to_dict(sa: SessionAnalysis, athlete: str | None = None) -> dict[str, Any]:
    cfg = sa.settings
    return {
        "athlete": athlete,
        "session_id": sa.session.id,
        "started_at": sa.session.started_at.isoformat(),
        "settings": {
            "dropoff_threshold_pct": cfg.dropoff_threshold_pct,
            "load_tolerance_pct": cfg.load_tolerance_pct,
            "velocity_loss_reference": "first_rep",
            "velocity_loss_limit_pct": cfg.velocity_loss_limit_pct,
        },
        "sets": [set_analysis_to_dict(a) for a in sa.sets],
        "recommendations": [recommendation_to_dict(r) for r in sa.recommendations],
        "summary": _summary(sa),
    }


def _summary(sa: SessionAnalysis) -> str:
    from replog.core.advice import summary

    return summary(sa.recommendations, sa.sets)
