"""What a reader of another app's export hands to the import service.

Every importer in ``replog.io`` turns its file into one :class:`SourceFile`: the sets it
found, in file order, each with the workout it belongs to, the app's own exercise name and
the source row it came from; plus the rows it passed over on purpose and why. Readers know
nothing of athletes, ids or the catalogue: the import service maps names, makes ids that
are the same on every import of the same workout (so a second import adds nothing), and
writes everything in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from replog.core.exercises import Equipment
from replog.core.model import Rep, SetKind
from replog.core.units import Load


@dataclass(frozen=True, slots=True)
class ImportedSet:
    """One set as another app recorded it.

    ``session_key`` identifies the workout within the app's history and must come out the
    same from every export of that history (a start time and the workout's name, say): it
    is what makes re-importing a newer, longer export add only the new workouts.
    """

    session_key: str
    started_at: datetime  # the workout's start, timezone-aware
    exercise: str  # the app's exercise name, exactly as written
    load: Load
    reps: int
    line: int  # where the set is in the file: 1-based line (or FIT message number)
    raw: str  # the source row as written, kept for provenance
    session_name: str = ""
    ended_at: datetime | None = None
    session_notes: str = ""
    performed_at: datetime | None = None  # when the set was done, if the app says
    rpe: float | None = None
    rir: float | None = None
    kind: SetKind = SetKind.WORKING
    rest_s: int | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    rep_data: tuple[Rep, ...] = ()
    equipment: Equipment | None = None  # the app's hint, used if a new exercise is made
    unit_stated: bool = True  # False: the file gave a plain number; the import picks the unit


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row the reader passed over on purpose (a rest timer, a cardio entry)."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row the reader could not read (a malformed or impossible value): left out of the
    import and listed, so that one bad cell never blocks the rest of the file."""

    line: int
    column: str  # the column as the file names it, with its position; "" for the whole row
    value: str  # the cell as written ("" when the row as a whole is wrong)
    reason: str  # what was expected


@dataclass(slots=True)
class SourceFile:
    format: str  # "strong", "hevy", ...: the reader's name
    name: str  # the file's name, for provenance and messages
    sets: list[ImportedSet] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
