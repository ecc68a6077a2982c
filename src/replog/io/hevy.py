"""Hevy's CSV export (Profile > Settings > Export & Import Data > Export Workouts).

Format
------
One row per set, every workout's sets together, comma-separated, UTF-8, under the header::

    title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,
    set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe

An account set to pounds writes ``weight_lbs`` and ``distance_miles`` instead; the unit of
every load is taken from the weight column's name, and the number is kept as written (Hevy
writes a kilogram account's plate-rounded pounds as ``40.82``: that stays ``40.82 kg``).

- ``title`` is the workout's name, ``description`` its notes; ``start_time`` and
  ``end_time`` are wall-clock times in the phone's language, e.g. ``7 Apr 2026, 10:14``
  (English, day first), ``Apr 7, 2026, 10:14 AM`` (US order, 12-hour clock),
  ``7 abr 2026, 10:14``, ``7. Apr. 2026, 10:14``, ``7 avr. 2026, 10:14``, ``7 de abr. de
  2026 10:14`` or ISO ``2026-04-07 10:14:00``. Month names and abbreviations are read in
  English, Spanish, German, French, Portuguese, Italian and Dutch, with or without accents
  and a trailing dot (:func:`parse_hevy_datetime`). Times are made aware in ``tz`` (default:
  this computer's zone).
- ``exercise_title`` is the exercise as Hevy names it, equipment in brackets
  (``Bench Press (Barbell)``), which gives the set's equipment hint.
- ``set_index`` counts from 0 within an exercise; it is checked, not used: the sets keep the
  file's order and the import service numbers them.
- ``set_type``: ``normal`` (working set), ``warmup``, ``failure`` or ``dropset``.
- ``weight_*`` empty means no external load (pull-ups, push-ups): a load of 0.
- ``reps`` empty with a distance or a duration is a cardio or timed entry (a run, a
  plank): passed over as a :class:`SkippedRow` with the reason; so is a row with nothing.
- ``rpe`` is 1-10 in half points, or empty.
- ``superset_id`` numbers the supersets within a workout (0, 1, ...): exercises sharing one
  are alternated. The set gets the tag ``superset <id>`` with the id as Hevy wrote it, so
  ``superset 0`` groups the sets of a workout's first superset.

Each workout's key is ``"<start_time>|<title>"`` as written, the same in every export of
the same history. Any other problem raises :class:`ImportFormatError` naming the line and
the column.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, tzinfo
from decimal import Decimal

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.exercises import Equipment
from replog.core.model import SetKind, check_rpe
from replog.core.units import Load, Unit
from replog.io.strong import equipment_hint
from replog.io.table import (
    Row,
    Table,
    cell,
    decimal_cell,
    exercise_cell,
    float_cell,
    int_cell,
    localize,
    read_table,
    rejecting,
    reps_cell,
    source_of,
)
from replog.services.imported import ImportedSet, SkippedRow, SourceFile

FORMAT = "hevy"
EXAMPLE_DATE = "7 Apr 2026, 10:14"
SET_KINDS: dict[str, SetKind] = {
    "normal": SetKind.WORKING,
    "warmup": SetKind.WARMUP,
    "failure": SetKind.FAILURE,
    "dropset": SetKind.DROP,
}
SKIP_DISTANCE = "cardio: a distance, no reps"
SKIP_DURATION = "timed set: a duration, no reps"
SKIP_EMPTY = "no reps recorded"
SKIP_REASONS = (SKIP_DISTANCE, SKIP_DURATION, SKIP_EMPTY)
MIN_YEAR, MAX_YEAR = 1900, 2200  # a training log's dates; outside them the cell is garbage
_MAX_SUPERSET = 10_000

# --------------------------------------------------------------------------- month names
_MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    # English, Spanish, German, French, Portuguese, Italian, Dutch
    ("january", "enero", "januar", "janvier", "janeiro", "gennaio", "januari"),
    ("february", "febrero", "februar", "fevrier", "fevereiro", "febbraio", "februari"),
    ("march", "marzo", "marz", "mars", "marco", "maart"),
    ("april", "abril", "avril", "aprile"),
    ("may", "mayo", "mai", "maio", "maggio", "mei"),
    ("june", "junio", "juni", "juin", "junho", "giugno"),
    ("july", "julio", "juli", "juillet", "julho", "luglio"),
    ("august", "agosto", "aout", "augustus"),
    ("september", "septiembre", "setiembre", "septembre", "setembro", "settembre"),
    ("october", "octubre", "oktober", "octobre", "outubro", "ottobre"),
    ("november", "noviembre", "novembre", "novembro"),
    ("december", "diciembre", "dezember", "decembre", "dezembro", "dicembre"),
)
_EXTRA_ABBREVIATIONS = {"mrz": 3}  # German "Mrz": not a prefix of a name


def _month_table() -> dict[str, int]:
    """Every name and every prefix of 3+ letters that names one month only."""
    seen: dict[str, set[int]] = {}
    for month, names in enumerate(_MONTH_NAMES, start=1):
        for name in names:
            for end in range(3, len(name) + 1):
                seen.setdefault(name[:end], set()).add(month)
    table = {prefix: next(iter(months)) for prefix, months in seen.items() if len(months) == 1}
    table.update(_EXTRA_ABBREVIATIONS)
    return table


MONTHS = _month_table()
_FILLER = frozenset({"de", "del", "um", "at", "a", "à", "às", "alle", "le", "ore", "om"})
_TIME_RE = re.compile(
    r"(?<![0-9])([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?:\s*([ap])\.?\s*m\.?)?\s*$", re.IGNORECASE
)
# numbers (ASCII digits: int("²") fails), words, and any other character but a separator
_TOKEN_RE = re.compile(r"[0-9]+|[^\W\d_]+|[^\s,.]")
_ISO_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def month_number(word: str) -> int | None:
    """``'Apr'``, ``'abr.'``, ``'Mär'``, ``'févr.'``, ``'settembre'`` -> the month, 1-12."""
    folded = unicodedata.normalize("NFKD", word.strip().rstrip(".").casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return MONTHS.get(folded)


def parse_hevy_datetime(text: str) -> datetime | None:
    """A Hevy timestamp in any of its languages and orders, naive (or aware if ISO with an
    offset); None if ``text`` is not one. The year must be four digits, the day one or two,
    the month a word; a missing time is midnight."""
    text = text.strip()
    if _ISO_RE.match(text):
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if MIN_YEAR <= parsed.year <= MAX_YEAR else None
    hour = minute = second = 0
    time = _TIME_RE.search(text)
    if time is not None:
        hour, minute = int(time[1]), int(time[2])
        second = int(time[3]) if time[3] else 0
        if time[4]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if time[4].lower() == "p" else 0)
        text = text[: time.start()]
    day = year = month = None
    for token in _TOKEN_RE.findall(text):
        if token[0] in "0123456789":
            if len(token) == 4 and year is None:
                year = int(token)
            elif len(token) <= 2 and day is None:
                day = int(token)
            else:
                return None
        elif token.casefold() not in _FILLER:
            found = month_number(token)
            if found is None or month is not None:
                return None
            month = found
    if day is None or year is None or month is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


# --------------------------------------------------------------------------- the reader
class _Columns:
    """Where each of Hevy's columns is in this file's header."""

    def __init__(self, table: Table) -> None:
        self.title = table.require("title")
        self.start = table.require("start_time")
        self.end = table.column("end_time")
        self.description = table.column("description")
        self.exercise = table.require("exercise_title")
        self.superset = table.column("superset_id")
        self.notes = table.column("exercise_notes")
        self.index = table.column("set_index")
        self.kind = table.require("set_type")
        self.reps = table.require("reps")
        self.duration = table.column("duration_seconds")
        self.rpe = table.column("rpe")
        kg, lb = table.column("weight_kg"), table.column("weight_lbs", "weight_lb")
        if kg is not None:
            self.weight, self.unit = kg, Unit.KG
        elif lb is not None:
            self.weight, self.unit = lb, Unit.LB
        else:
            raise ImportFormatError(
                f"{table.name}: no weight_kg or weight_lbs column; the header has "
                + ", ".join(repr(h) for h in table.header),
                field="weight_kg",
                line=1,
            )
        self.distance = table.column("distance_km", "distance_miles")


class _Reader:
    """One file's reading state: its columns and the caches that make 10,000 rows quick
    (a workout's dates repeat on every set; loads and exercise names repeat across sets)."""

    def __init__(self, table: Table, tz: tzinfo | None) -> None:
        self.table = table
        self.tz = tz
        self.col = _Columns(table)
        self.dates: dict[str, datetime | None] = {}
        self.loads: dict[str, Load] = {}
        self.hints: dict[str, Equipment | None] = {}
        self.warned: set[str] = set()

    def error(self, row: Row, i: int, message: str) -> ImportFormatError:
        return ImportFormatError(message, self.table.where(i), line=row.line)

    def date(self, row: Row, i: int, *, required: bool) -> datetime | None:
        text = cell(row, i)
        if not text:
            if required:
                raise self.error(row, i, f"expected a date like {EXAMPLE_DATE!r}, found nothing")
            return None
        if text not in self.dates:
            parsed = parse_hevy_datetime(text)
            self.dates[text] = None if parsed is None else localize(parsed, self.tz)
        value = self.dates[text]
        if value is None:
            raise self.error(row, i, f"expected a date like {EXAMPLE_DATE!r}, found {text[:40]!r}")
        return value

    def load(self, row: Row) -> Load:
        i = self.col.weight
        text = cell(row, i)
        found = self.loads.get(text)
        if found is None:
            value = decimal_cell(self.table, row, i) or Decimal(0)
            try:
                found = Load(value, self.col.unit)
            except ValidationError as exc:
                raise self.error(row, i, exc.message) from None
            self.loads[text] = found
        return found

    def hint(self, exercise: str) -> Equipment | None:
        if exercise not in self.hints:
            self.hints[exercise] = equipment_hint(exercise)
        return self.hints[exercise]

    def kind(self, row: Row) -> SetKind:
        text = cell(row, self.col.kind)
        kind = SET_KINDS.get(text.lower())
        if kind is None:
            raise self.error(
                row,
                self.col.kind,
                f"expected a set type {', '.join(SET_KINDS)}, found {text[:40]!r}",
            )
        return kind

    def reps(self, row: Row) -> int | None:
        return reps_cell(self.table, row, self.col.reps)

    def rpe(self, row: Row) -> float | None:
        rpe = float_cell(self.table, row, self.col.rpe)
        try:
            check_rpe(rpe)
        except ValidationError as exc:
            assert self.col.rpe is not None
            raise self.error(row, self.col.rpe, exc.message) from None
        return rpe

    def tags(self, row: Row) -> tuple[str, ...]:
        superset = int_cell(self.table, row, self.col.superset)
        if superset is None:
            return ()
        assert self.col.superset is not None
        if not 0 <= superset < _MAX_SUPERSET:
            raise self.error(
                row,
                self.col.superset,
                f"expected a superset number 0 to {_MAX_SUPERSET - 1}, "
                f"found {cell(row, self.col.superset)[:40]!r}",
            )
        return (f"superset {superset}",)

    def check_index(self, row: Row) -> None:
        index = int_cell(self.table, row, self.col.index)
        if index is not None and index < 0:
            assert self.col.index is not None
            raise self.error(row, self.col.index, "a set's index counts from 0, found a negative")

    def skip_reason(self, row: Row) -> str:
        """Why a row without reps is passed over (one of :data:`SKIP_REASONS`, so the
        import's summary can count them); the distance and duration must be numbers."""
        distance = decimal_cell(self.table, row, self.col.distance)
        duration = decimal_cell(self.table, row, self.col.duration)
        if distance is not None:
            return SKIP_DISTANCE
        if duration is not None:
            return SKIP_DURATION
        return SKIP_EMPTY

    def row(self, row: Row, source: SourceFile) -> None:
        col = self.col
        started = self.date(row, col.start, required=True)
        assert started is not None
        ended = self.date(row, col.end, required=False) if col.end is not None else None
        start_text, title = cell(row, col.start), cell(row, col.title)
        key = f"{start_text}|{title}"
        if ended is not None and ended < started:
            if key not in self.warned:
                self.warned.add(key)
                source.warnings.append(
                    f"line {row.line}: workout {title!r} ends before it starts; end time ignored"
                )
            ended = None
        exercise = exercise_cell(self.table, row, col.exercise)
        self.check_index(row)
        kind = self.kind(row)
        reps = self.reps(row)
        load = self.load(row)
        rpe = self.rpe(row)
        tags = self.tags(row)
        if reps is None:
            source.skipped.append(SkippedRow(row.line, self.skip_reason(row)))
            return
        source.sets.append(
            ImportedSet(
                session_key=key,
                started_at=started,
                exercise=exercise,
                load=load,
                reps=reps,
                line=row.line,
                raw=row.raw,
                session_name=title,
                ended_at=ended,
                session_notes=cell(row, col.description),
                rpe=rpe,
                kind=kind,
                notes=cell(row, col.notes),
                tags=tags,
                equipment=self.hint(exercise),
            )
        )


def read_hevy(text: str, *, name: str = "hevy.csv", tz: tzinfo | None = None) -> SourceFile:
    """Read a Hevy CSV export (see the module's docstring) into its sets, in file order."""
    table = read_table(text, name)
    reader = _Reader(table, tz)
    source = source_of(FORMAT, table)
    for row in table.rows:
        with rejecting(source, table, row):
            reader.row(row, source)
    return source
