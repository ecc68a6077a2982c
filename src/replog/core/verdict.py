"""The verdict on one set: the document the CLI's ``--json``, the API and Drive all show.

Built from a session's analysis and its rulebook items (:mod:`replog.core.advice`): the
set's own items in their order, the cap in force for its exercise (triggered at this set
or an earlier one, never a later one), and a one-line headline made from the same items.
No surface adds a rule of its own.
"""

from __future__ import annotations

from typing import Any

from replog.core.advice import in_force
from replog.core.analysis import Recommendation, SessionAnalysis, SetAnalysis
from replog.core.analysis_doc import recommendation_to_dict, set_analysis_to_dict

__all__ = ["headline", "verdict_doc"]


def headline(a: SetAnalysis | None, items: list[Recommendation], cap: Recommendation | None,
             ref: int | None) -> str:  # fmt: skip
    """The verdict in one line: the first item's point, else the cap in force, else how
    the set moved."""
    if a is None or a.velocity is None:
        return "Logged. Add rep velocities to see drop-off and velocity loss."
    first = items[0] if items else None
    if first is not None and first.kind == "cap_intensity" and a.dropoff_pct is not None:
        return (
            f"Drop-off {a.dropoff_pct:.1f}% against set {ref}: cap intensity for the "
            "remaining sets."
        )
    if first is not None and first.kind == "over_cap":
        return f"Heavier than today's cap: back to {first.details['hold_load']} or lighter."
    if first is not None and first.kind == "stop_set":
        return f"Velocity loss {a.velocity.loss_pct:.0f}% within the set: stop sooner."
    if first is not None and first.kind in {"reduce_load", "grinding"}:
        return f"Grinding reps. {first.action}"
    if first is not None and first.kind == "cue":
        return f"Reps looked passive. {first.action}"
    if cap is not None:
        return f"Capped: {cap.details['hold_load']} or lighter for the remaining sets."
    against = "" if a.dropoff_pct is None else f", {a.dropoff_pct:+.1f}% against the reference"
    return f"Good set: {a.velocity.mean:.2f} m/s{against}."


def verdict_doc(sa: SessionAnalysis, set_id: str) -> dict[str, Any]:
    """The verdict on the set ``set_id`` of an analysed session."""
    mine = next((a for a in sa.sets if a.set.id == set_id), None)
    items = [r for r in sa.recommendations if r.set_id == set_id]
    cap = in_force(sa.recommendations, sa.sets, set_id)
    positions = {a.set.id: a.set.position for a in sa.sets}
    ref = positions.get(mine.reference_set) if mine and mine.reference_set else None
    loss = mine.velocity.loss_pct if mine and mine.velocity else None
    return {
        "dropoff_pct": None
        if mine is None or mine.dropoff_pct is None
        else round(mine.dropoff_pct, 1),
        "reference_set": mine.reference_set if mine else None,
        "reference_position": ref,
        "neural_dropoff": bool(mine and mine.flags.neural_dropoff),
        "velocity_loss_pct": None if loss is None else round(loss, 1),
        "grinding": bool(mine and mine.flags.grinding),
        "passive_intent": bool(mine and mine.flags.passive_intent),
        "rpe_velocity_mismatch": bool(mine and mine.flags.rpe_velocity_mismatch),
        "cap_intensity": cap is not None,
        "cap": None if cap is None else recommendation_to_dict(cap),
        "headline": headline(mine, items, cap, ref),
        "set": set_analysis_to_dict(mine) if mine else None,
        "recommendations": [recommendation_to_dict(r) for r in items],
    }
