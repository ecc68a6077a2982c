"""RepLog's per-rep CSV: written as an export, read back as the generic velocity import.

One row per rep (``docs/formats/velocity-csv.md`` documents the columns). The export
writes every column of :data:`REP_COLUMNS`; a set without rep data gets one row with the
rep columns empty, so the file still carries every set. The reader takes that file back
exactly (loads as typed, floats to the last bit, sessions by start and name, sets in
order) and is lenient enough for a file reshaped from another velocity device
(GymAware, Metric, Vmaxpro) or typed into a spreadsheet:

* required columns: ``date`` (or ``session_start``), ``exercise``, ``load``, ``rep`` and
  ``mcv`` (or ``mean_velocity``/``velocity``); the others are optional, names are matched
  case-insensitively, ``,`` ``;`` or tab separated. Columns RepLog does not know are
  ignored with a warning; ``athlete`` and ``exercise_key`` are ignored silently (the
  import goes to the athlete chosen on the command line, the exercise is matched by name).
* the load's unit comes from a ``unit`` column, the header (``load_kg``, ``load (lb)``) or
  the cell (``100kg``); two sources that disagree are an error, none at all too.
* without a ``set`` column a new set starts when the session, the exercise, the load or
  the kind changes, or the rep number does not go up; with one, the rows of a set may be
  anywhere in the file and must agree on those.
* a row with an empty ``rep`` is a set without rep data (it needs ``reps``).
* set values given on some of a set's rows only (``reps``, ``rpe``, ``rir``) apply to the
  set; two different values are an error.

Every problem raises :class:`ImportFormatError` with the line and the column; a velocity
over 10 m/s says it is probably in mm/s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.model import (
    MAX_DURATION_S,
    MAX_REPS,
    MAX_ROM,
    MAX_VELOCITY,
    Rep,
    RepSource,
    SetKind,
    SetRecord,
)
from replog.core.units import Load, Unit, parse_unit
from replog.core.validate import coerce_enum
from replog.io.set_csv import REP_COLUMNS, write_reps_csv, write_sets_csv
from replog.io.table import Row, Table, cell, float_cell, int_cell, parse_datetime, read_table
from replog.services.imported import ImportedSet, SourceFile

__all__ = ["REP_COLUMNS", "read_rep_csv", "write_reps_csv", "write_sets_csv"]

FORMAT = "velocity-csv"
MEASURES = ("mcv", "mpv", "peak_velocity", "rom", "concentric_s", "eccentric_s")
MIN_YEAR, MAX_YEAR = 1900, 2199
DEFAULT_SOURCE = RepSource.DEVICE


# ---------------------------------------------------------------------------- reading
_NAMES = {  # the header names each column is known by (case and spacing folded)
    "start": "session_start|date|started_at|start|datetime|timestamp",
    "session_name": "session_name|workout|workout_name",
    "exercise": "exercise|exercise_name|lift",
    "set": "set|set_number|set_no|set #",
    "kind": "kind|set_kind|set_type",
    "unit": "unit|units|load_unit|weight_unit",
    "reps": "reps|set_reps",
    "rpe": "rpe",
    "rir": "rir",
    "rep": "rep|rep_number|rep_no|rep #|repetition",
    "mcv": "mcv|mean_velocity|velocity|mcv (m/s)|mean velocity|mean velocity (m/s)",
    "mpv": "mpv|mean_propulsive_velocity|mpv (m/s)",
    "peak_velocity": "peak_velocity|peak velocity|peak velocity (m/s)|pv",
    "rom": "rom|rom_m|rom (m)|range_of_motion",
    "concentric_s": "concentric_s|concentric_time|concentric time (s)",
    "eccentric_s": "eccentric_s|eccentric_time|eccentric time (s)",
    "source": "source",
}
_ALIASES = {role: tuple(names.split("|")) for role, names in _NAMES.items()}
_LOADS: tuple[tuple[tuple[str, ...], Unit | None], ...] = (
    (("load", "weight"), None),
    (("load_kg", "load (kg)", "weight_kg", "weight (kg)"), Unit.KG),
    (("load_lb", "load (lb)", "load_lbs", "load (lbs)", "weight_lb", "weight (lb)"), Unit.LB),
)
_SILENT = ("athlete", "exercise_key")
_REQUIRED = ("start", "exercise", "rep", "mcv")
_LOAD_RE = re.compile(r"^(?P<num>[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(?P<unit>[a-z#]*)$", re.I)
_SPEED = (MAX_VELOCITY, "m/s", "velocities go in m/s: is it mm/s (divide by 1000) or cm/s (100)?")
_TIME = (MAX_DURATION_S, "s", "durations go in seconds: is this column in ms (divide by 1000)?")
_LIMITS: dict[str, tuple[float, str, str]] = {  # the most a measure can be, its unit, a hint
    **dict.fromkeys(("mcv", "mpv", "peak_velocity"), _SPEED),
    "rom": (MAX_ROM, "m", "range of motion goes in metres: is this column in cm or mm?"),
    **dict.fromkeys(("concentric_s", "eccentric_s"), _TIME),
}
# the fields of Rep, SetRecord and Load whose errors are about a column
_FIELD_ROLE = {"index": "rep", "velocities": "rep"}


class _Columns:
    """Where each column RepLog reads is in the file's header."""

    def __init__(self, table: Table):
        self.table = table
        self.at: dict[str, int | None] = {role: table.column(*n) for role, n in _ALIASES.items()}
        self.header_unit: Unit | None = None
        for role in _REQUIRED:
            self.at[role] = table.require(*_ALIASES[role])
        for load_names, unit in _LOADS:
            i = table.column(*load_names)
            if i is not None:
                self.at["load"], self.header_unit = i, unit
                break
        else:
            table.require("load", "load_kg", "load_lb")

    def i(self, role: str) -> int | None:
        return self.at.get(role)

    def error(self, message: str, row: Row, role: str | None) -> ImportFormatError:
        i = None if role is None else self.at.get(role)
        where = self.table.where(i) if i is not None else role or "row"
        return ImportFormatError(message, where, line=row.line)

    def located(self, exc: ValidationError, row: Row) -> ImportFormatError:
        """A domain object's validation error, placed at the row and its column."""
        role = _FIELD_ROLE.get(exc.field or "", exc.field)
        return self.error(exc.message, row, role)

    def unknown(self) -> list[str]:
        known = set(self.at.values())
        return [
            h
            for i, h in enumerate(self.table.header)
            if i not in known and h and self.table.column(h) == i and h.lower() not in _SILENT
        ]


@dataclass(frozen=True, slots=True)
class _Line:
    """One row, typed."""

    row: Row
    session_key: str
    started_at: datetime
    session_name: str
    exercise: str
    load: Load
    kind: SetKind
    set_no: int | None
    rep: Rep | None
    reps: int | None
    rpe: float | None
    rir: float | None


@dataclass(slots=True)
class _Set:
    """The rows of one set as they are gathered."""

    first: _Line
    lines: list[_Line] = field(default_factory=list)
    reps: dict[int, Rep] = field(default_factory=dict)
    given: dict[str, tuple[float, _Line]] = field(default_factory=dict)  # reps, rpe, rir

    def add(self, line: _Line, cols: _Columns) -> None:
        if line.rep is not None:
            if line.rep.index in self.reps:
                raise cols.error(f"rep {line.rep.index} of this set appears twice", line.row, "rep")
            self.reps[line.rep.index] = line.rep
        for role in ("reps", "rpe", "rir"):
            value: float | None = getattr(line, role)
            if value is None:
                continue
            before = self.given.setdefault(role, (value, line))
            if before[0] != value:
                raise cols.error(
                    f"{role} {cell(line.row, cols.i(role))} differs from "
                    f"{cell(before[1].row, cols.i(role))} on line {before[1].row.line}, "
                    "same set",
                    line.row,
                    role,
                )
        self.lines.append(line)

    def continues(self, line: _Line) -> bool:
        """Whether ``line`` goes on this set in a file without a ``set`` column."""
        f = self.first
        same = (f.session_key, f.exercise, f.load, f.kind) == (
            line.session_key,
            line.exercise,
            line.load,
            line.kind,
        )
        return same and line.rep is not None and bool(self.reps) and line.rep.index > max(self.reps)


def read_rep_csv(text: str, *, name: str = "reps.csv", tz: tzinfo | None = None) -> SourceFile:
    """The sets of a per-rep velocity CSV (RepLog's own export or another device's).

    ``tz`` is the zone of times written without a UTC offset (default: this computer's).
    Sessions are keyed by the start as written and the session name; sets come in file
    order (with a ``set`` column: by set number within each session).
    """
    table = read_table(text, name)
    cols = _Columns(table)
    out = SourceFile(FORMAT, name)
    unknown = cols.unknown()
    if unknown:
        out.warnings.append(f"{name}: ignored columns {', '.join(map(repr, unknown))}")
    at = table.column("athlete")
    athletes = sorted({a for r in table.rows if (a := cell(r, at))})
    if len(athletes) > 1:
        out.warnings.append(
            f"{name}: rows of {len(athletes)} athletes ({', '.join(athletes[:5])}); "
            "all go to the athlete the import is for"
        )
    groups = _group([_line(cols, row, tz) for row in table.rows], cols)
    out.sets.extend(_finish(g, cols) for g in groups)
    return out


def _group(lines: list[_Line], cols: _Columns) -> list[_Set]:
    if cols.i("set") is None:
        sets: list[_Set] = []
        for line in lines:
            if not sets or not sets[-1].continues(line):
                sets.append(_Set(line))
            sets[-1].add(line, cols)
        return sets
    by_number: dict[tuple[str, int], _Set] = {}
    sessions: dict[str, int] = {}
    for line in lines:
        sessions.setdefault(line.session_key, len(sessions))
        if line.set_no is None:
            raise cols.error("expected a set number, found nothing", line.row, "set")
        group = by_number.setdefault((line.session_key, line.set_no), _Set(line))
        first = group.first
        for role, differs in (
            ("exercise", first.exercise != line.exercise),
            ("load", first.load != line.load),
            ("kind", first.kind != line.kind),
        ):
            if differs:
                here, there = (cell(x.row, cols.i(role))[:40] for x in (line, first))
                raise cols.error(
                    f"set {line.set_no} has {role} {here!r} here but {there!r} on line "
                    f"{first.row.line}; give different sets different numbers",
                    line.row,
                    role,
                )
        group.add(line, cols)
    return sorted(
        by_number.values(),
        key=lambda g: (sessions[g.first.session_key], g.first.set_no or 0),
    )


def _finish(group: _Set, cols: _Columns) -> ImportedSet:
    first = group.first
    top = max(group.reps, default=0)
    reps = top
    if "reps" in group.given:
        count, given_at = group.given["reps"]
        reps = int(count)
        if reps < top:
            raise cols.error(
                f"the set has {reps} reps but a row for rep {top}", given_at.row, "reps"
            )
    elif not group.reps:
        raise cols.error("a set without rep rows needs its rep count in 'reps'", first.row, "reps")
    rpe, rir = (v[0] if (v := group.given.get(k)) else None for k in ("rpe", "rir"))
    rep_data = tuple(sorted(group.reps.values(), key=lambda r: r.index))
    try:  # everything a stored set must satisfy, checked here to name the line
        SetRecord(
            "-",
            "-",
            first.exercise,
            1,
            first.load,
            reps,
            first.started_at,
            rpe,
            rir,
            kind=first.kind,
            rep_data=rep_data,
        )
    except ValidationError as exc:
        role = exc.field or "row"
        at = group.given[role][1].row if role in group.given else first.row
        raise cols.located(exc, at) from None
    return ImportedSet(
        session_key=first.session_key,
        started_at=first.started_at,
        exercise=first.exercise,
        load=first.load,
        reps=reps,
        line=first.row.line,
        raw="\n".join(line.row.raw for line in group.lines),
        session_name=first.session_name,
        rpe=rpe,
        rir=rir,
        kind=first.kind,
        rep_data=rep_data,
    )


def _line(cols: _Columns, row: Row, tz: tzinfo | None) -> _Line:
    table = cols.table
    start = cell(row, cols.i("start"))
    session_name = cell(row, cols.i("session_name"))
    exercise = cell(row, cols.i("exercise"))
    if not exercise:
        raise cols.error("expected an exercise name, found nothing", row, "exercise")
    set_no = _count(cols, row, "set", 1, None)
    reps = _count(cols, row, "reps", 0, MAX_REPS)
    try:
        rpe = float_cell(table, row, cols.i("rpe"))
        rir = float_cell(table, row, cols.i("rir"))
        kind = coerce_enum(SetKind, cell(row, cols.i("kind")).lower() or "working", "kind")
    except ValidationError as exc:
        raise cols.located(exc, row) from None
    return _Line(
        row,
        f"{start}|{session_name}",
        _start(cols, row, start, tz),
        session_name,
        exercise,
        _load(cols, row),
        kind,
        set_no,
        _rep(cols, row),
        reps,
        rpe,
        rir,
    )


def _start(cols: _Columns, row: Row, text: str, tz: tzinfo | None) -> datetime:
    example = "2026-01-31 or 2026-01-31T18:05:00+01:00"
    parsed = parse_datetime(text, ("iso",)) if text else None
    if parsed is None:
        found = repr(text[:40]) if text else "nothing"
        raise cols.error(f"expected a date like {example!r}, found {found}", row, "start")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise cols.error(f"the year {parsed.year} is not a training date; a typo?", row, "start")
    if parsed.tzinfo is not None:
        return parsed
    try:
        return parsed.replace(tzinfo=tz) if tz is not None else parsed.astimezone()
    except (OverflowError, ValueError, OSError):  # pragma: no cover - platform time limits
        raise cols.error(
            f"{text[:40]!r} is out of this computer's time range", row, "start"
        ) from None


def _count(cols: _Columns, row: Row, role: str, low: int, high: int | None) -> int | None:
    value = int_cell(cols.table, row, cols.i(role))
    if value is not None and (value < low or (high is not None and value > high)):
        bounds = f"{low} or more" if high is None else f"between {low} and {high}"
        raise cols.error(
            f"expected a whole number {bounds}, found {cell(row, cols.i(role))[:40]!r}", row, role
        )
    return value


def _load(cols: _Columns, row: Row) -> Load:
    text = cell(row, cols.i("load"))
    match = _LOAD_RE.match(text)
    if match is None:
        found = repr(text[:40]) if text else "nothing"
        raise cols.error(f"expected a load like 100, 102.5kg or 225lb, found {found}", row, "load")
    units = {cols.header_unit} if cols.header_unit is not None else set()
    for role, word in (("load", match["unit"]), ("unit", cell(row, cols.i("unit")))):
        try:
            units |= {parse_unit(word[:40], role)} if word else set()
        except ValidationError as exc:
            raise cols.error(exc.message, row, role) from None
    if not units:
        raise cols.error(
            f"load {text[:40]!r} has no unit: give kg or lb in a 'unit' column, the header "
            "(load_kg, load_lb) or the cell (100kg)",
            row,
            "load",
        )
    if len(units) > 1:
        raise cols.error(
            f"load {text[:40]!r} is said to be in both kg and lb (by the cell, the header or "
            "the 'unit' column); give one unit",
            row,
            "load",
        )
    try:
        return Load(Decimal(match["num"].replace(",", ".")), units.pop())
    except ValidationError as exc:
        raise cols.error(exc.message, row, "load") from None


def _rep(cols: _Columns, row: Row) -> Rep | None:
    index = _count(cols, row, "rep", 1, MAX_REPS)
    values: dict[str, float | None] = {}
    for role in MEASURES:
        value = float_cell(cols.table, row, cols.i(role))
        limit, unit, hint = _LIMITS[role]
        if value is not None and value > limit:
            text = cell(row, cols.i(role))[:40]
            raise cols.error(
                f"{text} {unit} is over the limit of {limit:g} {unit}; {hint}", row, role
            )
        if value is not None and index is None:
            raise cols.error(f"a {role} needs a rep number in the 'rep' column", row, role)
        values[role] = value
    source = cell(row, cols.i("source")).lower()
    if index is None:
        return None
    try:
        return Rep(
            index, source=coerce_enum(RepSource, source or DEFAULT_SOURCE, "source"), **values
        )
    except ValidationError as exc:
        raise cols.located(exc, row) from None
