"""The one JSON document of a set (and of a rep, and of a session with its sets): what
``replog log --json``, ``show``, ``history`` and ``undo`` print and what the API answers
(its ``SetOut`` is validated from this dict). The export file keeps its own, versioned
record shape (:mod:`replog.io.replog_json`): a file format is not a screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from replog.core.model import Rep, Session, SetRecord

__all__ = ["rep_doc", "session_doc", "set_doc"]


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def rep_doc(r: Rep) -> dict[str, Any]:
    return {"index": r.index, **r.measures()}


def set_doc(s: SetRecord, version: int | None = None) -> dict[str, Any]:
    """A set; ``version`` is its edit version where the caller read it (None: not read)."""
    return {
        "id": s.id,
        "session_id": s.session_id,
        "exercise": s.exercise,
        "position": s.position,
        "load": {"value": str(s.load.value), "unit": s.load.unit.value, "kg": s.load.kg},
        "reps": s.reps,
        "rpe": s.rpe,
        "rir": s.rir,
        "kind": s.kind.value,
        "rest_s": s.rest_s,
        "tags": list(s.tags),
        "notes": s.notes,
        "performed_at": _ts(s.performed_at),
        "rep_data": [rep_doc(r) for r in s.rep_data],
        "version": version,
    }


def session_doc(
    s: Session, version: int | None = None, set_versions: dict[str, int] | None = None
) -> dict[str, Any]:
    """A session with its sets (versions where the caller read them)."""
    versions = set_versions or {}
    return {
        "id": s.id,
        "athlete_id": s.athlete_id,
        "started_at": _ts(s.started_at),
        "ended_at": _ts(s.ended_at),
        "name": s.name,
        "notes": s.notes,
        "version": version,
        "sets": [set_doc(x, versions.get(x.id)) for x in s.sets],
    }
