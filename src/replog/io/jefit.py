"""JEFIT's "Export Data" file: a text file of several CSV sections.

Format
------
JEFIT (jefit.com, "My JEFIT" > Settings > Data Controls > Export Data) writes one text file
made of sections. A section starts with a banner line, ``### EXERCISE LOGS ###`` (newer
exports pad it with more ``#``), its first non-blank line is that section's CSV header,
and it ends at a line of ``#`` only, or at the next banner. The sections read here:

* ``WORKOUT SESSIONS``: ``_id``, ``mydate`` (``2024-01-15``), ``starttime`` (Unix seconds;
  some exports spell it ``starttimie``) and ``total_time`` (seconds; 0 when unknown).
* ``EXERCISE LOGS``: one row per exercise per workout, with ``mydate``, ``ename`` (the
  exercise's name), ``belongsession`` (the ``_id`` of its workout) and ``logs``, the sets
  packed as ``weight x reps`` tokens: ``"60x10,65x8,65x8"`` is three sets. A token with 0
  reps is a set not done and is skipped; ``0x12`` is a body-weight set.
* ``SETTING``: the lifter's settings; a column whose name says *unit* with ``kg`` or
  ``lb``/``lbs`` states the unit of the packed weights.
* ``EXERCISE SET LOGS`` (newer exports): one row per set with ``exercise_log_id``,
  ``set_index`` and ``weight_lbs``. When no unit is stated, the first set's ``weight_lbs``
  against its packed weight tells it: equal, the log is in pounds; 2.2046 times it, in
  kilograms.

Other sections (profile, body stats, routines) are ignored. A workout is the session the
log belongs to (its start and length from ``WORKOUT SESSIONS``); a log whose session is
not listed is a workout of its day, started at noon. When nothing in the file says the
unit, weights are plain numbers, read in the unit the import is given or the athlete's
(``unit_stated=False``, :mod:`replog.services.import_units`). A malformed token or cell
leaves its row out, listed with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from decimal import Decimal

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.exercises import Equipment
from replog.core.model import MAX_REPS
from replog.core.units import KG_PER_LB, Load, Unit, parse_unit
from replog.io.table import (
    Row,
    Table,
    cell,
    decimal_cell,
    exercise_cell,
    localize,
    read_table,
    rejecting,
    source_of,
)
from replog.services.imported import ImportedSet, SkippedRow, SourceFile

FORMAT = "jefit"
LOGS = "EXERCISE LOGS"
_BANNER = re.compile(r"^\s*#{3}\s*([A-Za-z][A-Za-z _-]*?)\s*#{3,}\s*$")
_DIVIDER = re.compile(r"^\s*#+\s*$")
_TOKEN = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[xX\u00d7]\s*(\d+)\s*$")
_FIRST_WORDS = {
    "barbell": Equipment.BARBELL,
    "dumbbell": Equipment.DUMBBELL,
    "machine": Equipment.MACHINE,
    "smith": Equipment.MACHINE,
    "lever": Equipment.MACHINE,
    "cable": Equipment.CABLE,
    "kettlebell": Equipment.KETTLEBELL,
}
_LB_PER_KG = 1 / KG_PER_LB


def is_jefit(text: str) -> bool:
    """Whether ``text`` is a JEFIT export: it has an ``EXERCISE LOGS`` section."""
    return any(_section_name(line) == LOGS for line in text[:200_000].splitlines())


def _section_name(line: str) -> str | None:
    match = _BANNER.match(line)
    return " ".join(match[1].upper().split()) if match else None


def sections(text: str, name: str) -> dict[str, Table]:
    """Each section of the file as a table whose line numbers are the file's own."""
    lines = text.splitlines()
    spans: dict[str, list[int]] = {}
    current: list[int] | None = None
    for i, line in enumerate(lines):
        title = _section_name(line)
        if title is not None:
            current = spans.setdefault(title, [])
        elif _DIVIDER.match(line):
            current = None
        elif current is not None:
            current.append(i)
    tables = {}
    for title, kept in spans.items():
        keep = set(kept)
        body = "\n".join(line if i in keep else "" for i, line in enumerate(lines))
        if body.strip():
            tables[title] = read_table(body, f"{name} [{title}]")
    return tables


@dataclass(frozen=True, slots=True)
class _Workout:
    started: datetime
    ended: datetime | None


def read_jefit(text: str, *, name: str = "jefit.csv", tz: tzinfo | None = None) -> SourceFile:
    """Read a JEFIT export (see the module's docstring) into its sets, in file order."""
    parts = sections(text.lstrip("\ufeff"), name)
    logs = parts.get(LOGS)
    if logs is None:
        raise ImportFormatError(
            f"{name}: no '### EXERCISE LOGS ###' section: not a JEFIT export", field="file"
        )
    out = source_of(FORMAT, logs)
    workouts = _workouts(parts.get("WORKOUT SESSIONS"), tz)
    unit = _stated_unit(parts.get("SETTING")) or _unit_from_set_logs(parts, logs)
    ename, packed = logs.require("ename"), logs.require("logs")
    day_col, session_col = logs.column("mydate"), logs.column("belongsession")
    for row in logs.rows:
        with rejecting(out, logs, row):
            exercise = exercise_cell(logs, row, ename)
            session = cell(row, session_col)
            workout = workouts.get(session) or _day_workout(logs, row, day_col, tz)
            key = f"session {session}" if session in workouts else f"day {workout.started:%F}"
            sets = _sets(logs, row, packed)
            if not sets:
                out.skipped.append(SkippedRow(row.line, "no sets logged"))
                continue
            for weight, reps in sets:
                out.sets.append(
                    ImportedSet(
                        session_key=key,
                        started_at=workout.started,
                        exercise=exercise,
                        load=Load(weight, unit or Unit.KG),
                        reps=reps,
                        line=row.line,
                        raw=row.raw,
                        session_name="JEFIT workout",
                        ended_at=workout.ended,
                        equipment=_FIRST_WORDS.get(exercise.split()[0].lower()),
                        unit_stated=unit is not None,
                    )
                )
    return out


def _sets(table: Table, row: Row, i: int) -> list[tuple[Decimal, int]]:
    """The packed ``weight x reps`` tokens of a log, without the sets not done (0 reps)."""
    text = cell(row, i)
    out = []
    for token in (t for t in text.split(",") if t.strip()):
        match = _TOKEN.match(token)
        if match is None:
            raise ImportFormatError(
                f"expected sets like '60x10,65x8', found {token.strip()[:40]!r}",
                table.where(i),
                line=row.line,
            )
        reps = int(match[2])
        if reps > MAX_REPS:
            raise ImportFormatError(
                f"reps must be 0 to {MAX_REPS}, found {token.strip()[:40]!r}",
                table.where(i),
                line=row.line,
            )
        try:
            Load(Decimal(match[1].replace(",", ".")), Unit.KG)  # the model's range check
        except ValidationError as exc:
            raise ImportFormatError(exc.message, table.where(i), line=row.line) from None
        if reps:
            out.append((Decimal(match[1].replace(",", ".")), reps))
    return out


def _workouts(table: Table | None, tz: tzinfo | None) -> dict[str, _Workout]:
    """Each listed session's start and end, by ``_id``; sessions that do not read are left
    to their logs' days."""
    if table is None or table.column("_id") is None:
        return {}
    ident = table.require("_id")
    start = table.column("starttime", "starttimie")
    spare = table.column("starttimie")
    length, day = table.column("total_time"), table.column("mydate")
    out = {}
    for row in table.rows:
        try:
            stamp = decimal_cell(table, row, start) or decimal_cell(table, row, spare)
            if stamp:
                started = datetime.fromtimestamp(float(stamp), UTC)
            else:
                started = _day_workout(table, row, day, tz).started
            seconds = decimal_cell(table, row, length)
            ended = started + timedelta(seconds=int(seconds)) if seconds else None
        except (ImportFormatError, OverflowError, ValueError, OSError):
            continue
        out[cell(row, ident)] = _Workout(started, ended)
    return out


def _day_workout(table: Table, row: Row, i: int | None, tz: tzinfo | None) -> _Workout:
    text = cell(row, i)
    try:
        day = datetime.strptime(text[:10], "%Y-%m-%d").date()
    except ValueError:
        where = table.where(i) if i is not None else "mydate"
        raise ImportFormatError(
            f"expected a date like '2024-01-15', found {text[:40]!r}", where, line=row.line
        ) from None
    return _Workout(localize(datetime.combine(day, time(12)), tz), None)


def _stated_unit(table: Table | None) -> Unit | None:
    """The unit the lifter's settings name, if a column of them says kg or lb."""
    if table is None or not table.rows:
        return None
    for i, title in enumerate(table.header):
        if "unit" in title.lower():
            try:
                return parse_unit(cell(table.rows[0], i))
            except ValidationError:
                continue
    return None


def _unit_from_set_logs(parts: dict[str, Table], logs: Table) -> Unit | None:
    """The unit of the packed weights, from the first set with a weight in both places."""
    sets = parts.get("EXERCISE SET LOGS")
    if sets is None or logs.column("_id") is None or sets.column("weight_lbs") is None:
        return None
    log_id, packed = logs.require("_id"), logs.require("logs")
    by_id = {cell(r, log_id): r for r in logs.rows}
    owner, index, pounds = (
        sets.column("exercise_log_id"), sets.column("set_index"), sets.require("weight_lbs"),
    )  # fmt: skip
    for row in sets.rows:
        log = by_id.get(cell(row, owner))
        lbs = _number(cell(row, pounds))
        position = _number(cell(row, index))
        if log is None or not lbs or position is None:
            continue
        tokens = [t for t in cell(log, packed).split(",") if t.strip()]
        match = _TOKEN.match(tokens[int(position)]) if int(position) < len(tokens) else None
        weight = _number(match[1]) if match else None
        if not weight:
            continue
        ratio = lbs / weight
        if abs(ratio - 1) < Decimal("0.02"):
            return Unit.LB
        if abs(ratio - _LB_PER_KG) < Decimal("0.05"):
            return Unit.KG
    return None


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except ArithmeticError:
        return None
