"""Liftosaur's CSV export (Me > Export history to CSV file).

Format
------
One row per set, warm-ups included, comma-separated, under the header::

    Workout DateTime,Program,Day Name,Exercise,Is Warmup Set?,Required Reps,Completed Reps,
    Is AMRAP?,Required RPE,Completed RPE,Log RPE?,Required Weight Value,Required Weight Unit,
    Completed Weight Value,Completed Weight Unit,Ask Weight?,Completed Reps Time,
    Target Muscles,Synergist Muscles,Notes

Liftosaur is a programming app, so each row holds both what the program asked for
(``Required ...``) and what the lifter did (``Completed ...``). The set RepLog records is
what was **done**: ``Completed Reps``, ``Completed Weight Value`` and ``Unit`` (the number
kept as written), ``Completed RPE``. The prescription stays visible in the set's notes,
ahead of the exercise's ``Notes``: ``prescribed 5 x 100 lb @ 8`` (reps, weight, RPE; any
part the program left empty is left out), then ``; `` and the notes.

- ``Completed Reps`` empty: the set was not done (Liftosaur writes every planned set) and
  the row is passed over as ``SkippedRow("not completed")``. ``0`` is a set of 0 reps.
- ``Completed Weight Value`` empty: the required weight is taken (older histories recorded
  only that), and with neither the load is 0 (body weight). The unit is the one beside
  the value used; a load without a unit is an error.
- ``Is Warmup Set?`` 1 makes a warm-up, else ``Is AMRAP?`` 1 an AMRAP set, else a working
  set (flags are ``0``/``1``, ``true``/``false`` or empty).
- ``Workout DateTime`` is the workout's start, ISO 8601 in UTC (``2025-05-20T05:00:00.000Z``);
  ``Completed Reps Time`` when the set was ticked off, likewise (the set's
  ``performed_at``). A time without an offset is taken in ``tz`` (default: this computer's).
- ``Exercise`` is Liftosaur's full name, with the equipment after a comma when it is not
  the exercise's usual one (``Bench Press, Dumbbell``), which gives the equipment hint.
- ``Program``, ``Day Name``: the workout is named ``"<Program> <Day Name>"``; its key is
  ``"<Workout DateTime>|<Day Name>"`` as written, the same in every export.
- ``Log RPE?``, ``Ask Weight?``, ``Target Muscles``, ``Synergist Muscles`` are not read.

The older export, with ``RPE``, ``Weight Value`` and ``Weight Unit`` (what was lifted) and
an ``Equipment`` column, is read too. Any problem raises :class:`ImportFormatError` naming
the line and the column.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.exercises import Equipment
from replog.core.model import SetKind, check_rpe
from replog.core.units import Load, Unit, format_decimal, parse_unit
from replog.io.table import (
    Row,
    Table,
    cell,
    decimal_cell,
    exercise_cell,
    float_cell,
    localize,
    parse_datetime,
    read_table,
    rejecting,
    reps_cell,
    source_of,
)
from replog.services.imported import ImportedSet, SkippedRow, SourceFile

FORMAT = "liftosaur"
EXAMPLE_DATE = "2025-05-20T05:00:00.000Z"
NOT_COMPLETED = "not completed"
MIN_YEAR, MAX_YEAR = 1900, 2200  # a training log's dates; outside them the cell is garbage
_TRUE, _FALSE = frozenset({"1", "true", "yes"}), frozenset({"", "0", "false", "no"})
EQUIPMENT_NAMES: dict[str, Equipment] = {  # Liftosaur's equipment, as in "Squat, Smith Machine"
    "barbell": Equipment.BARBELL,
    "ez bar": Equipment.BARBELL,
    "ezbar": Equipment.BARBELL,
    "trap bar": Equipment.BARBELL,
    "trapbar": Equipment.BARBELL,
    "dumbbell": Equipment.DUMBBELL,
    "cable": Equipment.CABLE,
    "kettlebell": Equipment.KETTLEBELL,
    "bodyweight": Equipment.BODYWEIGHT,
    "leverage machine": Equipment.MACHINE,
    "leveragemachine": Equipment.MACHINE,
    "smith": Equipment.MACHINE,
    "smith machine": Equipment.MACHINE,
    "band": Equipment.OTHER,
    "medicine ball": Equipment.OTHER,
    "medicineball": Equipment.OTHER,
}


def equipment_of(exercise: str, column: str = "") -> Equipment | None:
    """The equipment ``Bench Press, Dumbbell`` names after its last comma (or the older
    export's Equipment ``column``), or None when it names none RepLog knows."""
    words = column or (exercise.rsplit(",", 1)[1] if "," in exercise else "")
    return EQUIPMENT_NAMES.get(" ".join(words.lower().split()))


class _Columns:
    """Where each of Liftosaur's columns is in this file's header."""

    def __init__(self, table: Table) -> None:
        self.start = table.require("Workout DateTime")
        self.program = table.column("Program")
        self.day = table.column("Day Name")
        self.exercise = table.require("Exercise")
        self.equipment = table.column("Equipment")
        self.warmup = table.column("Is Warmup Set?")
        self.amrap = table.column("Is AMRAP?")
        self.reps = table.require("Completed Reps")
        self.rpe = table.column("Completed RPE", "RPE")
        self.weight = table.require("Completed Weight Value", "Weight Value")
        self.unit = table.require("Completed Weight Unit", "Weight Unit")
        self.time = table.column("Completed Reps Time")
        self.notes = table.column("Notes")
        self.required_reps = table.column("Required Reps")
        self.required_rpe = table.column("Required RPE")
        self.required_weight = table.column("Required Weight Value")
        self.required_unit = table.column("Required Weight Unit")


class _Reader:
    """One file's reading state: its columns and a cache of parsed timestamps."""

    def __init__(self, table: Table, tz: tzinfo | None) -> None:
        self.table = table
        self.tz = tz
        self.col = _Columns(table)
        self.dates: dict[str, datetime | None] = {}

    def error(self, row: Row, i: int, message: str) -> ImportFormatError:
        return ImportFormatError(message, self.table.where(i), line=row.line)

    def date(self, row: Row, i: int) -> datetime | None:
        text = cell(row, i)
        if not text:
            return None
        if text not in self.dates:
            parsed = parse_datetime(text, ["iso"])
            ok = parsed is not None and MIN_YEAR <= parsed.year <= MAX_YEAR
            self.dates[text] = localize(parsed, self.tz) if ok and parsed else None
        value = self.dates[text]
        if value is None:
            raise self.error(row, i, f"expected a date like {EXAMPLE_DATE!r}, found {text[:40]!r}")
        return value

    def flag(self, row: Row, i: int | None) -> bool:
        text = cell(row, i).lower()
        if text in _TRUE:
            return True
        if text not in _FALSE:
            assert i is not None
            raise self.error(row, i, f"expected 0 or 1, found {text[:40]!r}")
        return False

    def unit(self, row: Row, i: int | None) -> Unit | None:
        text = cell(row, i)
        if not text:
            return None
        assert i is not None
        try:
            return parse_unit(text)
        except ValidationError as exc:
            raise self.error(row, i, exc.message) from None

    def rpe(self, row: Row, i: int | None) -> float | None:
        rpe = float_cell(self.table, row, i)
        try:
            check_rpe(rpe)
        except ValidationError as exc:
            assert i is not None
            raise self.error(row, i, exc.message) from None
        return rpe

    def reps(self, row: Row, i: int | None) -> int | None:
        return reps_cell(self.table, row, i)

    def load(self, row: Row) -> Load:
        """The completed weight, else the required one, else 0; in the unit beside it."""
        col = self.col
        value_i = col.weight
        unit_i: int | None = col.unit
        value = decimal_cell(self.table, row, value_i)
        if value is None:
            required = decimal_cell(self.table, row, col.required_weight)
            if required is not None and col.required_weight is not None:
                value, value_i, unit_i = required, col.required_weight, col.required_unit
        unit = self.unit(row, unit_i)
        if unit is None and value is None:
            unit = self.unit(row, col.required_unit)
        if unit is None:
            where = unit_i if unit_i is not None else col.unit
            raise self.error(row, where, "expected a weight unit kg or lb, found nothing")
        try:
            return Load(value if value is not None else Decimal(0), unit)
        except ValidationError as exc:
            raise self.error(row, value_i, exc.message) from None

    def prescription(self, row: Row) -> str:
        """``prescribed 5 x 100 lb @ 8``, or ``""`` when the program asked for nothing."""
        col = self.col
        reps = self.reps(row, col.required_reps)
        weight = decimal_cell(self.table, row, col.required_weight)
        rpe = decimal_cell(self.table, row, col.required_rpe)
        text = "" if reps is None else format_decimal(Decimal(reps))
        if weight is not None:
            unit = self.unit(row, col.required_unit)
            load = f"{format_decimal(weight)} {unit.value}" if unit else format_decimal(weight)
            text = f"{text} x {load}" if text else load
        if rpe is not None:
            text = f"{text} @ {format_decimal(rpe)}" if text else f"@ {format_decimal(rpe)}"
        return f"prescribed {text}" if text else ""

    def row(self, row: Row, source: SourceFile) -> None:
        col = self.col
        started = self.date(row, col.start)
        if started is None:
            raise self.error(
                row, col.start, f"expected a date like {EXAMPLE_DATE!r}, found nothing"
            )
        exercise = exercise_cell(self.table, row, col.exercise)
        gear = cell(row, col.equipment)
        if gear and "," not in exercise:  # the older export's column: the newer's spelling
            exercise = f"{exercise}, {' '.join(w.capitalize() for w in gear.split())}"
        warmup, amrap = self.flag(row, col.warmup), self.flag(row, col.amrap)
        kind = SetKind.WARMUP if warmup else SetKind.AMRAP if amrap else SetKind.WORKING
        reps = self.reps(row, col.reps)
        if reps is None:  # planned, never done: its weight may be blank too
            source.skipped.append(SkippedRow(row.line, NOT_COMPLETED))
            return
        load = self.load(row)
        rpe = self.rpe(row, col.rpe)
        performed = self.date(row, col.time) if col.time is not None else None
        notes = "; ".join(t for t in (self.prescription(row), cell(row, col.notes)) if t)
        program, day = cell(row, col.program), cell(row, col.day)
        source.sets.append(
            ImportedSet(
                session_key=f"{cell(row, col.start)}|{day}",
                started_at=started,
                exercise=exercise,
                load=load,
                reps=reps,
                line=row.line,
                raw=row.raw,
                session_name=f"{program} {day}".strip(),
                performed_at=performed,
                rpe=rpe,
                kind=kind,
                notes=notes,
                equipment=equipment_of(exercise, cell(row, col.equipment)),
            )
        )


def read_liftosaur(
    text: str, *, name: str = "liftosaur.csv", tz: tzinfo | None = None
) -> SourceFile:
    """Read a Liftosaur CSV export (see the module's docstring) into its completed sets, in
    file order, and the planned sets that were not done."""
    table = read_table(text, name)
    reader = _Reader(table, tz)
    source = source_of(FORMAT, table)
    for row in table.rows:
        with rejecting(source, table, row):
            reader.row(row, source)
    return source
