"""What an import did, as one document: the CLI's ``--json``, its printed summary and the
API's answer all render this, so they cannot disagree."""

from __future__ import annotations

from typing import Any

from replog.services.importing import ImportSummary

__all__ = ["summary_doc"]


def summary_doc(s: ImportSummary) -> dict[str, Any]:
    """The summary as plain JSON values (days as ISO dates, volume to the gram)."""
    return {
        "file": s.source,
        "format": s.format,
        "athlete": s.athlete,
        "dry_run": s.dry_run,
        "sessions": {
            "created": s.sessions_created,
            "skipped": s.sessions_skipped,
            "replaced": s.sessions_replaced,
        },
        "sets": {
            "created": s.sets_created,
            "skipped": s.sets_skipped,
            "unmapped": s.sets_unmapped,
        },
        "rows_skipped": s.rows_skipped,
        "skipped_reasons": dict(s.skipped_reasons),
        "rows_rejected": [
            {"line": r.line, "column": r.column, "value": r.value, "reason": r.reason}
            for r in s.rejected
        ],
        "first_day": s.first_day.isoformat() if s.first_day else None,
        "last_day": s.last_day.isoformat() if s.last_day else None,
        "volume_kg": round(s.volume_kg, 3),
        "exercises_created": s.exercises_created,
        "checkins": s.checkins,
        "unmapped": [
            {"name": u.name, "sets": u.sets, "filed_as": u.key, "suggestions": list(u.suggestions)}
            for u in s.unmapped
        ],
        "mapped": dict(s.mapped),
        "unit_note": s.unit_note,
        "warnings": list(s.warnings),
    }
