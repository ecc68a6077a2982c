"""The live verdict of a set just logged: its analysis, in the same response."""

from __future__ import annotations

from replog.api.schemas import Verdict
from replog.core.analysis import Recommendation, SetAnalysis
from replog.core.analysis_doc import recommendation_to_dict, set_analysis_to_dict
from replog.services.analytics import AnalysisResult, analyze_stored
from replog.services.ports import UnitOfWork


def _headline(a: SetAnalysis | None, recs: list[Recommendation], ref: int | None) -> str:
    if a is None or a.velocity is None:
        return "Logged. Add rep velocities to see drop-off and velocity loss."
    parts = []
    kinds = {r.kind for r in recs}
    if a.flags.neural_dropoff and a.dropoff_pct is not None:
        parts.append(
            f"Drop-off {a.dropoff_pct:.1f}% against set {ref}: "
            "cap intensity for the remaining sets."
        )
    elif "cap_intensity" in kinds:
        parts.append("Cap intensity for the remaining sets.")
    if "stop_set" in kinds and a.velocity.loss_pct is not None:
        parts.append(f"Velocity loss {a.velocity.loss_pct:.0f}% within the set: stop sooner.")
    if a.flags.grinding:
        parts.append("Grinding reps.")
    if a.flags.passive_intent:
        parts.append("Reps looked passive: move the bar as fast as you can.")
    if not parts:
        ref = "" if a.dropoff_pct is None else f", {a.dropoff_pct:+.1f}% against the reference"
        parts.append(f"Good set: {a.velocity.mean:.2f} m/s{ref}.")
    return " ".join(parts)


def live_verdict(uow: UnitOfWork, athlete_name: str, session_id: str, set_id: str) -> Verdict:
    return verdict_of(analyze_stored(uow, athlete_name, session_id), set_id)


def verdict_of(result: AnalysisResult, set_id: str) -> Verdict:
    """The verdict on one set of an analysed session."""
    mine = next((a for a in result.analysis.sets if a.set.id == set_id), None)
    recs = [r for r in result.analysis.recommendations if r.set_id == set_id]
    exercise = mine.set.exercise if mine else None
    cap = any(
        r.kind == "cap_intensity" and (exercise is None or r.exercise == exercise)
        for r in result.analysis.recommendations
    )
    positions = {a.set.id: a.set.position for a in result.analysis.sets}
    ref = positions.get(mine.reference_set) if mine and mine.reference_set else None
    return Verdict(
        dropoff_pct=None
        if mine is None or mine.dropoff_pct is None
        else round(mine.dropoff_pct, 1),
        reference_set=mine.reference_set if mine else None,
        reference_position=ref,
        neural_dropoff=bool(mine and mine.flags.neural_dropoff),
        velocity_loss_pct=(
            round(mine.velocity.loss_pct, 1)
            if mine and mine.velocity and mine.velocity.loss_pct is not None
            else None
        ),
        grinding=bool(mine and mine.flags.grinding),
        passive_intent=bool(mine and mine.flags.passive_intent),
        rpe_velocity_mismatch=bool(mine and mine.flags.rpe_velocity_mismatch),
        cap_intensity=cap,
        headline=_headline(mine, recs, ref),
        set=set_analysis_to_dict(mine) if mine else None,
        recommendations=[recommendation_to_dict(r) for r in recs],
    )
