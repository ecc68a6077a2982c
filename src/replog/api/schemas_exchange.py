"""Bodies of the import and export endpoints (``routes_exchange.py``), and their builder."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from replog.services.import_report import summary_doc
from replog.services.importing import ImportSummary


class SessionCounts(BaseModel):
    created: int = Field(description="Workouts added to the log (would be, in a dry run).")
    skipped: int = Field(description="Workouts already in the log, left as they are.")
    replaced: int = Field(
        description="RepLog JSON of this same log: sessions put back as the file has them."
    )


class SetCounts(BaseModel):
    created: int
    skipped: int = Field(description="Sets of the workouts already in the log.")
    unmapped: int = Field(description="Sets under a name RepLog's catalogue does not know.")


class UnmappedOut(BaseModel):
    name: str = Field(description="The exercise name as the file writes it.")
    sets: int
    filed_as: str = Field(description="The lifter's own exercise it goes to (its key).")
    suggestions: list[str] = Field(description="The nearest catalogue lifts, for ?map=.")


class RejectedOut(BaseModel):
    line: int = Field(description="The file's line (1-based, header included).")
    column: str = Field(description="The column as the file names it, and its position.")
    value: str = Field(description="The cell as written (empty when the whole row is wrong).")
    reason: str = Field(description="What was expected.")


class ImportOut(BaseModel):
    """What an import did, or would do (``dry_run``)."""

    file: str
    format: str = Field(description="The format read: replog, strong, hevy, fitnotes, ...")
    athlete: str
    dry_run: bool
    sessions: SessionCounts
    sets: SetCounts
    rows_skipped: int = Field(description="Rows passed over on purpose (rest timers, cardio).")
    skipped_reasons: dict[str, int]
    rows_rejected: list[RejectedOut] = Field(
        description="Rows that could not be read, left out while the rest imported (with "
        "strict the first of them refuses the file)."
    )
    first_day: date | None = Field(description="The first workout's day in the file.")
    last_day: date | None
    volume_kg: float = Field(description="Load x reps of the sets created.")
    exercises_created: int
    checkins: int
    unmapped: list[UnmappedOut]
    mapped: dict[str, str] = Field(description="Each name in the file -> the exercise key.")
    unit_note: str | None = Field(
        None,
        description="The unit loads given as plain numbers were read in, and why (null when "
        "the file states every unit).",
    )
    warnings: list[str]


def import_out(s: ImportSummary) -> ImportOut:
    return ImportOut.model_validate(summary_doc(s))


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "The export file itself, as the raw body (not a form): a Strong, Hevy, FitNotes, "
            "Liftosaur, Fitbod or GymBook CSV, a JEFIT export, a Garmin FIT activity, "
            "OpenBarbell JSON, RepLog's JSON or per-rep CSV. Send the file's own Content-Type."
        ),
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "string"}},
        },
    }
}

EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as an attachment (Content-Disposition names it).",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}
