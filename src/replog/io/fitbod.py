"""Fitbod's CSV export of workout history.

Format
------
One row per logged set (or per group of identical sets), comma-separated, the newest day
first. Two layouts are known, both read here by their column names:

* the older one, ``Date,Exercise,Sets,Reps,Weight,isWarmup,Note``: ``Date`` is a day
  (``2019-02-13``), no time of day;
* the newer one names more columns and the unit of each:
  ``Date,[Workout Name,]Exercise,[Sets,]Reps,Weight(kg),Duration(s),Distance(m),Incline,
  Resistance,isWarmup,Note,multiplier``; its ``Date`` is the workout's start with its UTC
  offset (``2024-11-26 17:18:41 +0000``), numbers may carry a leading space (`` 6``).

The columns:

* ``Sets`` is how many identical sets the row stands for (absent: 1); a row of 3 becomes
  3 sets, each keeping the row's line and text;
* ``Reps``: a row with no reps (empty or 0) is not a set; with a ``Duration`` or
  ``Distance`` above 0 it is a timed or cardio entry, otherwise a row with nothing done
  (the older layout exports runs and planks with 0 reps and no time): both are reported as
  :class:`SkippedRow` with the reason;
* ``Weight`` / ``Weight(kg)`` is always kilograms, whatever unit the lifter logs in:
  Fitbod converts a pound load with 2.20462 lb per kg and writes the result with ten or
  more significant digits (15 lb is ``6.803893642``, 25 lb ``11.339822735890994``). A
  negative weight is the help of an assisted machine (``Assisted Chin Up``,
  ``-36.28743275``: 80 lb of help);
* ``isWarmup`` is ``TRUE``/``true`` for a warm-up set, empty or ``false`` otherwise;
* ``Note`` is the set's note; ``Incline``, ``Resistance`` (cardio machines) and
  ``multiplier`` (a factor Fitbod keeps per exercise, 0 for cardio, 2 or more on some
  dumbbell lifts) are not read: the load is kept as written.

What the reader makes of it:

* pounds: the whole file is judged at once. When more than half of its non-zero weights are
  converted pounds (more than 3 decimals, and times 2.20462, or divided by the exact
  0.45359237, within 1e-4 lb of a quarter pound), it is a pound lifter's file and those
  weights become exact pounds (``Load(Decimal("15"), Unit.LB)``); its other weights stay the
  kilograms written, and a warning counts both. Otherwise every weight is the kilograms
  written. Plate-made kilogram loads have at most 3 decimals, so a kilogram lifter is never
  read as a pound one. Every load's unit is stated (``unit_stated=True``);
* an assisted set (negative weight) imports with no external load, ``assisted`` as its tag
  and the help in its notes (``assistance 80 lb``), with a warning: RepLog's loads are
  never negative;
* workouts: with a day only, one workout per day (``session_key`` is the day, starting at
  12:00 local time in ``tz``, default this machine's zone); with a start time, one workout
  per local day and ``Workout Name`` (``"2024-11-26|Upper"``; the day alone without that
  column), starting at its earliest time; named ``Workout Name`` or ``"Fitbod"``;
* the equipment hint comes from the name's words (``Dumbbell Row`` -> dumbbell), as for
  FitNotes (:func:`replog.io.fitnotes.fitnotes_equipment`); ``Assisted`` -> body weight.

A row with a malformed value is left out and listed in ``rejected`` with its line and
column, and the rest of the file reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.exercises import Equipment
from replog.core.model import SetKind
from replog.core.units import KG_PER_LB, Load, Unit, format_decimal
from replog.io.fitnotes import fitnotes_equipment
from replog.io.strong import located
from replog.io.table import (
    Row,
    Table,
    bounded_cell,
    cell,
    decimal_cell,
    exercise_cell,
    localize,
    parse_datetime,
    read_table,
    rejecting,
    reps_cell,
    source_of,
)
from replog.services.imported import ImportedSet, SkippedRow, SourceFile

FORMAT = "fitbod"
SESSION_NAME = "Fitbod"
FITBOD_LB_PER_KG = Decimal("2.20462")  # the factor Fitbod converts pounds with
LB_TOLERANCE = Decimal("1e-4")  # how close to a quarter pound a converted weight must be
MAX_SETS_PER_ROW = 100  # a row standing for more identical sets is a broken cell
NOON = time(12, 0)
SKIP_TIMED = "no reps: a timed or distance entry"
SKIP_EMPTY = "no reps recorded"
_DAY_FORMATS = ("%Y-%m-%d",)
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "iso",
)
_DATE_EXAMPLE = "2019-02-13 or 2024-11-26 17:18:41 +0000"
_TRUE = {"true", "yes", "1"}
_FALSE = {"", "false", "no", "0"}


def stored_pounds(value: Decimal) -> Decimal | None:
    """The pounds a kilogram weight from Fitbod stands for (its size, whatever the sign),
    when it is a converted pound load (see the module docstring); else None."""
    exponent = value.normalize().as_tuple().exponent
    if value == 0 or not isinstance(exponent, int) or -exponent <= 3:
        return None
    for factor in (FITBOD_LB_PER_KG, 1 / KG_PER_LB):
        pounds = abs(value) * factor
        quarters = (pounds * 4).to_integral_value(rounding=ROUND_HALF_EVEN)
        if quarters > 0 and abs(pounds - quarters / 4) <= LB_TOLERANCE:
            return quarters / 4
    return None


@dataclass(frozen=True, slots=True)
class _Columns:
    date: int
    workout: int | None
    exercise: int
    sets: int | None
    reps: int
    weight: int
    duration: int | None
    distance: int | None
    warmup: int | None
    note: int | None

    @classmethod
    def of(cls, table: Table) -> _Columns:
        return cls(
            date=table.require("Date"),
            workout=table.column("Workout Name", "Workout"),
            exercise=table.require("Exercise"),
            sets=table.column("Sets"),
            reps=table.require("Reps"),
            weight=table.require("Weight(kg)", "Weight (kg)", "Weight"),
            duration=table.column("Duration(s)", "Duration (s)", "Duration"),
            distance=table.column("Distance(m)", "Distance (m)", "Distance"),
            warmup=table.column("isWarmup", "Is Warmup", "Warmup"),
            note=table.column("Note", "Notes"),
        )


@dataclass(frozen=True, slots=True)
class _Read:
    """A row read, before its workout's start is known."""

    row: Row
    key: str
    at: datetime
    timed: bool  # the file gave a time of day, not just the day
    workout: str
    exercise: str
    load: Load
    reps: int
    count: int
    kind: SetKind
    notes: str
    assisted: bool


def read_fitbod(text: str, *, name: str = "fitbod.csv", tz: tzinfo | None = None) -> SourceFile:
    """Read a Fitbod CSV export (either layout of the module docstring) into a SourceFile.

    ``tz`` is the zone of the lifter's days (default: this machine's). A row with a
    malformed value is left out and listed in ``rejected`` with its line and column.
    """
    table = read_table(text, name)
    cols = _Columns.of(table)
    out = source_of(FORMAT, table)
    pound_file = _pound_file(table, cols)
    found: list[_Read] = []
    as_pounds: list[int] = []
    as_kg: list[int] = []
    for row in table.rows:
        with rejecting(out, table, row):
            item = _read(table, row, cols, pound_file, tz)
            if isinstance(item, SkippedRow):
                out.skipped.append(item)
                continue
            found.append(item)
            if pound_file and (item.load.value or item.assisted):
                (as_pounds if item.load.unit is Unit.LB else as_kg).append(row.line)
    starts: dict[str, datetime] = {}
    for item in found:
        starts[item.key] = min(starts.get(item.key, item.at), item.at)
    for item in found:
        for _ in range(item.count):
            out.sets.append(
                ImportedSet(
                    session_key=item.key,
                    started_at=starts[item.key],
                    exercise=item.exercise,
                    load=item.load,
                    reps=item.reps,
                    line=item.row.line,
                    raw=item.row.raw,
                    session_name=item.workout or SESSION_NAME,
                    performed_at=item.at if item.timed else None,
                    kind=item.kind,
                    notes=item.notes,
                    tags=("assisted",) if item.assisted else (),
                    equipment=Equipment.BODYWEIGHT if item.assisted else _equipment(item),
                )
            )
    out.warnings.extend(_warnings(name, found, as_pounds, as_kg))
    return out


def _equipment(item: _Read) -> Equipment | None:
    if "assisted" in item.exercise.lower():
        return Equipment.BODYWEIGHT
    return fitnotes_equipment(item.exercise)


def _warnings(name: str, found: list[_Read], as_pounds: list[int], as_kg: list[int]) -> list[str]:
    notes = []
    if as_pounds:
        notes.append(
            f"{name}: {len(as_pounds)} weight(s) read as pounds: Fitbod exports kilograms "
            "(15 lb is written 6.803893642)"
        )
    if as_kg:
        where = ", ".join(str(line) for line in as_kg[:3]) + (", ..." if len(as_kg) > 3 else "")
        notes.append(
            f"{name}: {len(as_kg)} weight(s) in this pound lifter's file are not converted "
            f"pounds: kept as the kilograms written (lines {where})"
        )
    assisted = sum(item.count for item in found if item.assisted)
    if assisted:
        notes.append(
            f"{name}: {assisted} assisted set(s) (a negative weight) imported with no "
            "external load; the assistance is in each set's notes"
        )
    return notes


def _pound_file(table: Table, cols: _Columns) -> bool:
    """Whether most non-zero weights of the file are converted pounds (rows that do not
    read are left to the row-by-row reading, which lists them)."""
    weights = 0
    pounds = 0
    for row in table.rows:
        try:
            value = decimal_cell(table, row, cols.weight)
        except ImportFormatError:
            continue
        if value:
            weights += 1
            pounds += stored_pounds(value) is not None
    return pounds * 2 > weights


def _read(
    table: Table, row: Row, cols: _Columns, pound_file: bool, tz: tzinfo | None
) -> _Read | SkippedRow:
    at, timed = _when(table, row, cols.date, tz)
    exercise = exercise_cell(table, row, cols.exercise)
    reps = reps_cell(table, row, cols.reps)
    weight = decimal_cell(table, row, cols.weight) or Decimal(0)
    kind = _kind(table, row, cols.warmup)
    count = _count(table, row, cols.sets)
    if not reps:
        duration = decimal_cell(table, row, cols.duration) or 0
        distance = decimal_cell(table, row, cols.distance) or 0
        return SkippedRow(row.line, SKIP_TIMED if duration > 0 or distance > 0 else SKIP_EMPTY)
    load = _load(table, row, cols, weight, pound_file)
    notes = cell(row, cols.note)
    if weight < 0:
        help_ = f"assistance {format_decimal(load.value)} {load.unit.value}"
        notes = f"{help_}; {notes}" if notes else help_
        load = Load(Decimal(0), load.unit)
    workout = cell(row, cols.workout)
    day = at.date().isoformat()
    key = f"{day}|{workout}" if cols.workout is not None else day
    return _Read(row, key, at, timed, workout, exercise, load, reps, count, kind, notes, weight < 0)


def _when(table: Table, row: Row, i: int, tz: tzinfo | None) -> tuple[datetime, bool]:
    """The row's time, aware (a day alone is that day at noon in ``tz``), and whether the
    file gave a time of day."""
    text = cell(row, i)
    try:
        day = parse_datetime(text, _DAY_FORMATS)
        if day is not None:
            return localize(datetime.combine(day.date(), NOON), tz), False
        at = parse_datetime(text, _TIME_FORMATS)
        if at is not None:
            return (localize(at, tz) if at.tzinfo is None else at.astimezone(tz)), True
    except (OverflowError, ValueError, OSError):  # a date at the ends of the calendar
        raise ImportFormatError(
            f"date {text[:40]!r} is out of range", table.where(i), line=row.line
        ) from None
    found = repr(text[:40]) if text else "nothing"
    raise ImportFormatError(
        f"expected a date like {_DATE_EXAMPLE}, found {found}", table.where(i), line=row.line
    )


def _kind(table: Table, row: Row, i: int | None) -> SetKind:
    text = cell(row, i).lower()
    if text in _TRUE:
        return SetKind.WARMUP
    if text in _FALSE:
        return SetKind.WORKING
    assert i is not None
    raise ImportFormatError(
        f"expected TRUE, FALSE or nothing, found {text[:40]!r}", table.where(i), line=row.line
    )


def _count(table: Table, row: Row, i: int | None) -> int:
    """How many identical sets the row stands for (1 without a ``Sets`` column)."""
    count = bounded_cell(table, row, i, 1, MAX_SETS_PER_ROW, "sets")
    return 1 if count is None else count


def _load(table: Table, row: Row, cols: _Columns, weight: Decimal, pound_file: bool) -> Load:
    """The load's size (an assisted set's help, for a negative weight) in pounds when the
    file is a pound lifter's and the weight a converted pound load, else in kilograms."""
    pounds = stored_pounds(weight) if pound_file else None
    try:
        if pounds is not None:
            return Load(pounds, Unit.LB)
        return Load(abs(weight), Unit.KG)
    except ValidationError as exc:
        raise located(exc, table, row, cols.weight) from None
