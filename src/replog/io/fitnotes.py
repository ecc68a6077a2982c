"""FitNotes (Android) CSV exports.

Format
------
FitNotes' "Export workouts to CSV" writes one row per set, in date order, with the header
``Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time`` (the unit
column holds ``kgs`` or ``lbs``) or, in other versions, the unit in the header
(``Weight (kgs)``, ``Weight (lbs)``), with or without a trailing ``Comment`` column.
``Date`` is a day (``2025-04-29``); FitNotes records no time of day.

FitNotes does not quote exercise names that contain commas: a row such as
``2025-04-29,Overhead Press (Each Side, Dumbbells),Shoulders,8.0,kgs,5,,,`` has one field
more than the header. The reader joins the surplus fields back into ``Exercise`` (the only
free text before the numbers); when a ``Comment`` column exists and the row does not read
that way (a number, the unit word or the time out of place), the surplus is joined into
the comment instead. A row with fewer fields than the header is an error naming its line.

What the reader makes of it:

* one workout per day: ``session_key`` is the day (``2025-04-29``), the start that day at
  12:00 local time (``tz``, default this machine's zone), the name ``"FitNotes"``;
* sets in file order; ``Comment`` becomes the set's notes;
* ``Category`` (the muscle group FitNotes files the exercise under) becomes the set's one
  tag, in lower case (``Chest`` -> ``("chest",)``);
* the equipment hint is taken from the name: a parenthesised Strong-style word first
  (:func:`replog.io.strong.equipment_hint`), else the words Smith (machine), Dumbbell,
  Barbell, Kettlebell, Cable, Machine anywhere in the name;
* rows without reps are skipped with a reason (cardio: distance or time only), as are
  empty sets (0 reps, no weight).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, tzinfo
from decimal import Decimal

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.exercises import Equipment
from replog.core.units import Load, Unit, parse_unit
from replog.io.strong import equipment_hint, located
from replog.io.table import (
    Row,
    Table,
    cell,
    check_width,
    datetime_cell,
    decimal_cell,
    exercise_cell,
    localize,
    read_table,
    rejecting,
    reps_cell,
    source_of,
    weight_column,
)
from replog.services.imported import ImportedSet, SkippedRow, SourceFile

FORMAT = "fitnotes"
SESSION_NAME = "FitNotes"
NOON = time(12, 0)
_EQUIPMENT_WORDS = (  # in order of precedence: a Smith machine bench is a machine
    (re.compile(r"\bsmith\b", re.IGNORECASE), Equipment.MACHINE),
    (re.compile(r"\bdumbbells?\b", re.IGNORECASE), Equipment.DUMBBELL),
    (re.compile(r"\bbarbells?\b", re.IGNORECASE), Equipment.BARBELL),
    (re.compile(r"\bkettlebells?\b", re.IGNORECASE), Equipment.KETTLEBELL),
    (re.compile(r"\bcables?\b", re.IGNORECASE), Equipment.CABLE),
    (re.compile(r"\bmachines?\b", re.IGNORECASE), Equipment.MACHINE),
)
_ZERO_TIME = re.compile(r"^[0:.]*$")  # "0", "0:00", "0:00:00": no time recorded
_TIME = re.compile(r"^[0-9:.]*$")  # "0:30:00", "90": what a Time cell holds
_UNIT_WORDS = {"kg", "kgs", "lb", "lbs"}


def fitnotes_equipment(name: str) -> Equipment | None:
    """The equipment a FitNotes exercise name suggests, or None (see the module docstring)."""
    hint = equipment_hint(name)
    if hint is not None:
        return hint
    for pattern, equipment in _EQUIPMENT_WORDS:
        if pattern.search(name):
            return equipment
    return None


@dataclass(frozen=True, slots=True)
class _Columns:
    date: int
    exercise: int
    category: int | None
    weight: int
    header_unit: Unit | None
    unit: int | None
    reps: int
    distance: int | None
    time: int | None
    comment: int | None

    @classmethod
    def of(cls, table: Table) -> _Columns:
        weight, header_unit = weight_column(table)
        return cls(
            date=table.require("Date"),
            exercise=table.require("Exercise"),
            category=table.column("Category"),
            weight=weight,
            header_unit=header_unit,
            unit=None if header_unit else table.column("Weight Unit"),
            reps=table.require("Reps"),
            distance=table.column("Distance"),
            time=table.column("Time", "Duration"),
            comment=table.column("Comment", "Notes"),
        )

    def numbers(self) -> tuple[int | None, ...]:
        return (self.weight, self.reps, self.distance)


def read_fitnotes(text: str, *, name: str = "fitnotes.csv", tz: tzinfo | None = None) -> SourceFile:
    """Read a FitNotes CSV export into a SourceFile (see the module docstring).

    A row with a malformed value or too few fields is left out and listed in
    ``rejected``, with its line and column.
    """
    table = read_table(text, name, same_width=False)
    cols = _Columns.of(table)
    out = source_of(FORMAT, table)
    if cols.header_unit is None and cols.unit is None:
        out.warnings.append(f"{name}: no weight unit in the file; weights read as kg")
    for raw_row in table.rows:
        with rejecting(out, table, raw_row):
            row = _mend(table, raw_row, cols)
            day = _day(table, row, cols.date, tz)
            exercise = exercise_cell(table, row, cols.exercise)
            reps = reps_cell(table, row, cols.reps)
            weight = decimal_cell(table, row, cols.weight)
            skip = _skip_reason(table, row, cols, reps, weight)
            if skip:
                out.skipped.append(SkippedRow(row.line, skip))
                continue
            assert reps is not None
            category = " ".join(cell(row, cols.category).lower().split())
            if len(category) > 64:
                assert cols.category is not None
                raise ImportFormatError(
                    "a category is at most 64 characters", table.where(cols.category), line=row.line
                )
            out.sets.append(
                ImportedSet(
                    session_key=day.date().isoformat(),
                    started_at=day,
                    exercise=exercise,
                    load=_load(table, row, cols, weight or Decimal(0)),
                    reps=reps,
                    line=row.line,
                    raw=row.raw,
                    session_name=SESSION_NAME,
                    notes=cell(row, cols.comment),
                    tags=(category,) if category else (),
                    equipment=fitnotes_equipment(exercise),
                )
            )
    return out


def _mend(table: Table, row: Row, cols: _Columns) -> Row:
    """The row with an unquoted name's commas joined back (see the module docstring)."""
    check_width(table, row, at_least=len(table.header))
    surplus = len(row.cells) - len(table.header)
    if not surplus:
        return row
    candidates = [cols.exercise]
    if cols.comment is not None and cols.comment != cols.exercise:
        candidates.append(cols.comment)
    mended = [_joined(table, row, i, surplus) for i in candidates]
    for candidate in mended:
        if _plausible(table, candidate, cols):
            return candidate
    return mended[0]  # a cell of it does not read: the error names the column


def _joined(table: Table, row: Row, i: int, surplus: int) -> Row:
    cells = row.cells
    merged = table.delimiter.join(cells[i : i + surplus + 1])
    return Row(row.line, [*cells[:i], merged, *cells[i + surplus + 1 :]], row.raw)


def _plausible(table: Table, row: Row, cols: _Columns) -> bool:
    """Whether the mended row's fixed-format cells read: numbers, unit word, time."""
    try:
        for i in cols.numbers():
            decimal_cell(table, row, i)
    except ImportFormatError:
        return False
    unit = cell(row, cols.unit).lower()
    return (not unit or unit in _UNIT_WORDS) and bool(_TIME.match(cell(row, cols.time)))


def _day(table: Table, row: Row, i: int, tz: tzinfo | None) -> datetime:
    """The row's day at noon, local time in ``tz`` (default: this machine's zone)."""
    parsed = datetime_cell(table, row, i, ("%Y-%m-%d",), UTC, example="2025-04-29")
    try:
        return localize(datetime.combine(parsed.date(), NOON), tz)
    except (OverflowError, ValueError, OSError):  # a day at the ends of the calendar
        raise ImportFormatError(
            f"date {cell(row, i)[:40]!r} is out of range", table.where(i), line=row.line
        ) from None


def _skip_reason(
    table: Table, row: Row, cols: _Columns, reps: int | None, weight: Decimal | None
) -> str | None:
    """Why a row without reps is not a set, or None when it is one."""
    if reps:
        return None
    distance = decimal_cell(table, row, cols.distance)
    duration = cell(row, cols.time)
    if (distance or 0) > 0 or not _ZERO_TIME.match(duration):
        return "no reps: a timed or distance entry"
    if not weight:
        return "empty set"
    return None if reps == 0 else "no reps"


def _load(table: Table, row: Row, cols: _Columns, weight: Decimal) -> Load:
    unit = cols.header_unit or Unit.KG
    if cols.unit is not None:
        text = cell(row, cols.unit)
        if text:
            try:
                unit = parse_unit(text)
            except ValidationError as exc:
                raise located(exc, table, row, cols.unit) from None
        elif weight:
            raise ImportFormatError(
                "expected kgs or lbs for a weight, found nothing",
                table.where(cols.unit),
                line=row.line,
            )
    try:
        return Load(weight, unit)
    except ValidationError as exc:
        raise located(exc, table, row, cols.weight) from None
