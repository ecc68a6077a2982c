"""GymBook (iOS) CSV exports, in English, Italian or any other language of the app.

Format
------
One row per set, comma-separated, names, muscle groups, reps and weights in double quotes,
the newest day first and each workout's sets in the order they were done. The header is in
the app's language, its twelve columns always in this order (English, then Italian)::

    Date,Workout,Time,Exercise,Region,Muscle groups (Primary),Muscle groups (Secondary),
    Set / Warm-up Set / Cool-down Set,Reps / Time,Weight / Distance,Notes,Skipped

    Data,Programma,Orario,Esercizio,Zona,Gruppi muscolari (Primari),Gruppi muscolari
    (Secondari),Set / Set di riscaldamento / Set di defaticamento,Ripetizioni / Tempo,
    Peso / Distanza,Appunti,Saltato

* ``Date`` is the workout's day in the phone's short form, ``09/01/25`` (9 January 2025 in
  the Italian export: day first). Day or month first is decided once for the file: a first
  number over 12 means day first, a second over 12 month first; when no date says, day
  first, with a warning. Years of two or four digits; ISO days are read too.
* ``Workout`` is the routine's name, empty for a free workout; ``Time`` the set's time of
  day (``19:30``; a 12-hour ``7:30 PM`` is read too).
* The set's kind is one of the three words in the 8th column's own header: the first a
  working set, the second a warm-up, the third a cool-down.
* ``Reps / Time`` holds ``20 ripetizioni`` / ``10 reps`` or a time (``60 secondi``,
  ``14 minuti``; ``60 sec``, ``1:30`` and the like are read as times too); ``Weight /
  Distance`` holds a load with its unit (``0,00 kg`` with a decimal comma, ``60.00 kg``,
  ``135.00 lb``) or a distance (``1,00 km``; ``400 m``, ``1.2 mi`` too).
* ``Skipped`` is ``No`` or ``Si`` (``Yes``, ``Sì``, ``Ja``, ... read too): a set planned
  but not done.
* ``Region`` is the exercise's body region (``Cardio`` for cardio); the muscle groups and
  ``Notes`` are free text.

What the reader makes of it:

* a workout is a day and a ``Workout`` name (``"2025-01-09|AltoScheda Giorno 4"``): two
  routines done one after the other on one day are two workouts, as in GymBook. It starts
  at its earliest set's time (a workout that runs past midnight keeps its order), or at
  12:00 when no set has a time; times are local in ``tz`` (default: this machine's zone).
  Each set's own time is its ``performed_at``. Its name is the routine's, or ``"GymBook"``;
* working sets are working, warm-ups are warm-ups, and a cool-down set, which is no part of
  the work, is a warm-up tagged ``cool-down`` (RepLog has no cool-down kind);
* the load keeps its unit and digits (``17,50 kg`` is ``Load(Decimal("17.50"), Unit.KG)``);
  a bare number with no unit is read in the unit the import picks (``unit_stated=False``);
* ``Region`` becomes the set's one tag, in lower case, and ``Notes`` its notes; the
  equipment hint comes from the name's words in English (as for FitNotes) or Italian
  (``Bilanciere`` barbell, ``Manubri`` dumbbell, ``Cavo`` cable, ``Macchina`` machine);
* not sets, reported as :class:`SkippedRow` with the reason: skipped sets, timed sets,
  distances (cardio), and sets of no reps.

Columns are found by their English or Italian names; a header in another language is read
by position when it has GymBook's shape (twelve columns, the 8th to 10th naming two or
three things with ``/``). A row with a malformed value is left out and listed in
``rejected`` with its line and column, and the rest of the file reads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.exercises import Equipment
from replog.core.model import MAX_REPS, SetKind
from replog.core.units import Load, Unit
from replog.io.fitnotes import fitnotes_equipment
from replog.io.strong import located
from replog.io.table import (
    Row,
    Table,
    cell,
    exercise_cell,
    localize,
    parse_datetime,
    read_table,
    rejecting,
    source_of,
)
from replog.services.imported import ImportedSet, SkippedRow, SourceFile

FORMAT = "gymbook"
SESSION_NAME = "GymBook"
NOON = time(12, 0)
SKIP_SKIPPED = "marked skipped in GymBook"
SKIP_TIMED = "timed set: a duration, no reps"
SKIP_DISTANCE = "a distance, not a load"
SKIP_EMPTY = "no reps recorded"

# role -> (English name, Italian name, position in GymBook's twelve columns)
_ROLES: dict[str, tuple[str, str, int]] = {
    "date": ("Date", "Data", 0),
    "workout": ("Workout", "Programma", 1),
    "time": ("Time", "Orario", 2),
    "exercise": ("Exercise", "Esercizio", 3),
    "region": ("Region", "Zona", 4),
    "kind": ("Set / Warm-up Set / Cool-down Set", "Set / Set di riscaldamento / Set di "
             "defaticamento", 7),
    "reps": ("Reps / Time", "Ripetizioni / Tempo", 8),
    "weight": ("Weight / Distance", "Peso / Distanza", 9),
    "notes": ("Notes", "Appunti", 10),
    "skipped": ("Skipped", "Saltato", 11),
}  # fmt: skip
_WIDTH = 12
_SLASHED = (7, 8, 9)
_KINDS = ((SetKind.WORKING, False), (SetKind.WARMUP, False), (SetKind.WARMUP, True))
_YES = {"yes", "y", "si", "ja", "oui", "sim", "true", "1"}
_NO = {"", "no", "n", "nein", "non", "nao", "nee", "false", "0"}
_WEIGHT_UNITS = {"kg": Unit.KG, "kgs": Unit.KG, "lb": Unit.LB, "lbs": Unit.LB}
_DISTANCE_UNITS = {"km", "m", "mi", "mile", "miles", "yd", "yds", "ft", "meters", "metres",
                   "metri", "meter", "metre", "kilometers", "kilometres", "chilometri"}  # fmt: skip
_TIME_WORDS = {"s", "m", "sec", "secs", "second", "seconds", "secondo", "secondi", "sekunde",
               "sekunden", "seconde", "secondes", "segundo", "segundos", "min", "mins",
               "minute", "minutes", "minuto", "minuti", "minuten", "minutos", "h", "hr",
               "hrs", "hour", "hours", "ora", "ore", "stunde", "stunden", "heure", "heures",
               "hora", "horas"}  # fmt: skip
_REP_PREFIXES = ("rep", "ripet", "wiederh", "wdh", "herhal", "powt")
_VALUE = re.compile(r"^([+-]?[0-9](?:[0-9.,' ]*[0-9])?)\s*([^\W\d_][\w/]*)?$")
_SLASH_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$")
_TIMES = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p", "%I:%M%p")
_ITALIAN_EQUIPMENT = (  # in order of precedence, like fitnotes_equipment's
    (re.compile(r"\bsmith\b", re.IGNORECASE), Equipment.MACHINE),
    (re.compile(r"\bmanubri[oi]?\b", re.IGNORECASE), Equipment.DUMBBELL),
    (re.compile(r"\bbilancier[ei]\b", re.IGNORECASE), Equipment.BARBELL),
    (re.compile(r"\bcav[oi]\b", re.IGNORECASE), Equipment.CABLE),
    (re.compile(r"\bmacchin[ae]\b", re.IGNORECASE), Equipment.MACHINE),
)


def plain(text: str) -> str:
    """Folded for matching: lower case, accents off, spaces single (``Sì`` -> ``si``)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def is_gymbook_shape(header: list[str]) -> bool:
    """Twelve columns, the 8th to 10th naming alternatives with ``/``: GymBook's header in
    any language."""
    return len(header) == _WIDTH and all("/" in header[i] for i in _SLASHED)


def gymbook_equipment(name: str) -> Equipment | None:
    hint = fitnotes_equipment(name)
    if hint is not None:
        return hint
    return next((eq for pattern, eq in _ITALIAN_EQUIPMENT if pattern.search(name)), None)


@dataclass(frozen=True, slots=True)
class _Columns:
    date: int
    workout: int | None
    time: int | None
    exercise: int
    region: int | None
    kind: int | None
    reps: int
    weight: int
    notes: int | None
    skipped: int | None
    kinds: dict[str, tuple[SetKind, bool]]  # the kind column's words -> kind, cool-down

    @classmethod
    def of(cls, table: Table) -> _Columns:
        shaped = is_gymbook_shape(table.header)
        found: dict[str, int | None] = {}
        for role, (english, italian, position) in _ROLES.items():
            i = table.column(english, italian)
            found[role] = position if i is None and shaped else i
        for role in ("date", "exercise", "reps", "weight"):
            if found[role] is None:
                found[role] = table.require(*_ROLES[role][:2])
        kinds: dict[str, tuple[SetKind, bool]] = {}
        words = table.header[found["kind"]] if found["kind"] is not None else ""
        for header in (words, _ROLES["kind"][0], _ROLES["kind"][1]):
            for word, kind in zip(header.split("/"), _KINDS, strict=False):
                kinds.setdefault(plain(word), kind)
        return cls(
            date=_must(found["date"]),
            workout=found["workout"],
            time=found["time"],
            exercise=_must(found["exercise"]),
            region=found["region"],
            kind=found["kind"],
            reps=_must(found["reps"]),
            weight=_must(found["weight"]),
            notes=found["notes"],
            skipped=found["skipped"],
            kinds=kinds,
        )


def _must(i: int | None) -> int:
    assert i is not None
    return i


def read_gymbook(text: str, *, name: str = "gymbook.csv", tz: tzinfo | None = None) -> SourceFile:
    """Read a GymBook CSV export, in any language (see the module docstring)."""
    table = read_table(text, name)
    cols = _Columns.of(table)
    out = source_of(FORMAT, table)
    day_first, guessed = _date_order(table, cols.date)
    if guessed:
        out.warnings.append(
            f"{name}: no date says whether the day or the month comes first; read day first"
        )
    for row in table.rows:
        with rejecting(out, table, row):
            item = _read(table, row, cols, day_first, tz)
            if isinstance(item, SkippedRow):
                out.skipped.append(item)
            else:
                out.sets.append(item)
    out.sets = _started(out.sets)
    return out


def _started(sets: list[ImportedSet]) -> list[ImportedSet]:
    """The sets with their workout's start: its earliest set's time. In a workout whose
    times span more than 12 hours, the morning times are after midnight (the next day)."""
    by_key: dict[str, list[datetime]] = {}
    for s in sets:
        by_key.setdefault(s.session_key, []).append(s.performed_at or s.started_at)
    late = {k: max(v) - min(v) > timedelta(hours=12) for k, v in by_key.items()}

    def when(s: ImportedSet) -> datetime | None:
        at = s.performed_at
        if at is not None and late[s.session_key] and at.time() < NOON:
            return at + timedelta(days=1)
        return at

    moved = [replace(s, performed_at=when(s)) for s in sets]
    starts: dict[str, datetime] = {}
    for s in moved:
        at = s.performed_at or s.started_at
        starts[s.session_key] = min(starts.get(s.session_key, at), at)
    return [replace(s, started_at=starts[s.session_key]) for s in moved]


def _read(
    table: Table, row: Row, cols: _Columns, day_first: bool, tz: tzinfo | None
) -> ImportedSet | SkippedRow:
    if _skipped(table, row, cols.skipped):
        return SkippedRow(row.line, SKIP_SKIPPED)
    day = _day(table, row, cols.date, day_first)
    clock = _time(table, row, cols.time)
    exercise = exercise_cell(table, row, cols.exercise)
    kind, cool_down = _kind(table, row, cols)
    reps = _reps(table, row, cols.reps)
    if isinstance(reps, SkippedRow):
        return reps
    load, stated = _load(table, row, cols.weight)
    if load is None:
        return SkippedRow(row.line, f"{SKIP_DISTANCE} ({cell(row, cols.weight)[:40]})")
    if not reps:
        return SkippedRow(row.line, SKIP_EMPTY)
    try:
        noon = localize(datetime.combine(day, NOON), tz)
        at = None if clock is None else localize(datetime.combine(day, clock), tz)
    except (OverflowError, ValueError, OSError):  # a day at the ends of the calendar
        raise ImportFormatError(
            f"date {cell(row, cols.date)[:40]!r} is out of range",
            table.where(cols.date),
            line=row.line,
        ) from None
    workout = cell(row, cols.workout)
    region = " ".join(cell(row, cols.region).lower().split())[:64]
    return ImportedSet(
        session_key=f"{day.isoformat()}|{workout}",
        started_at=noon,  # until _started knows the workout's first set
        exercise=exercise,
        load=load,
        reps=reps,
        line=row.line,
        raw=row.raw,
        session_name=workout or SESSION_NAME,
        performed_at=at,
        kind=kind,
        notes=cell(row, cols.notes),
        tags=tuple(t for t in (region, "cool-down" * cool_down) if t),
        equipment=gymbook_equipment(exercise),
        unit_stated=stated,
    )


def _skipped(table: Table, row: Row, i: int | None) -> bool:
    text = plain(cell(row, i))
    if text in _YES:
        return True
    if text in _NO:
        return False
    assert i is not None
    raise ImportFormatError(
        f"expected Yes or No, found {cell(row, i)[:40]!r}", table.where(i), line=row.line
    )


def _date_order(table: Table, i: int) -> tuple[bool, bool]:
    """Whether the file's dates are day first, and whether that is a guess (no date has a
    number over 12 and some date reads two ways)."""
    pairs = [m.group(1, 2) for row in table.rows if (m := _SLASH_DATE.match(cell(row, i)))]
    if any(int(a) > 12 for a, _ in pairs):
        return True, False
    if any(int(b) > 12 for _, b in pairs):
        return False, False
    return True, any(int(a) != int(b) for a, b in pairs)


def _day(table: Table, row: Row, i: int, day_first: bool) -> date:
    text = cell(row, i)
    match = _SLASH_DATE.match(text)
    try:
        if match:
            a, b, year = int(match[1]), int(match[2]), int(match[3])
            year += 2000 if len(match[3]) == 2 else 0
            return date(year, b, a) if day_first else date(year, a, b)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    example = "'09/01/25' (day first)" if day_first else "'01/09/25' (month first)"
    found = repr(text[:40]) if text else "nothing"
    raise ImportFormatError(
        f"expected a date like {example}, found {found}", table.where(i), line=row.line
    )


def _time(table: Table, row: Row, i: int | None) -> time | None:
    text = " ".join(cell(row, i).replace("\u202f", " ").replace(".", "").split()).upper()
    if not text:
        return None
    parsed = parse_datetime(text, _TIMES)
    if parsed is None:
        assert i is not None
        raise ImportFormatError(
            f"expected a time like '19:30', found {cell(row, i)[:40]!r}",
            table.where(i),
            line=row.line,
        )
    return parsed.time()


def _kind(table: Table, row: Row, cols: _Columns) -> tuple[SetKind, bool]:
    """The set's kind, and whether it is a cool-down."""
    text = plain(cell(row, cols.kind))
    if not text:
        return SetKind.WORKING, False
    kind = cols.kinds.get(text)
    if kind is None:
        assert cols.kind is not None
        raise ImportFormatError(
            f"expected one of {table.header[cols.kind]!r}, found {cell(row, cols.kind)[:40]!r}",
            table.where(cols.kind),
            line=row.line,
        )
    return kind


def _reps(table: Table, row: Row, i: int) -> int | SkippedRow:
    """The reps of ``20 ripetizioni`` / ``10 reps`` / ``8``, or the row skipped as a timed
    set (``60 secondi``, ``1:30``) or as one with no reps (empty)."""
    text = cell(row, i)
    words = plain(text)
    if not words:
        return SkippedRow(row.line, SKIP_EMPTY)
    match = _VALUE.match(words)
    if ":" in words or (match and match[2] in _TIME_WORDS):
        return SkippedRow(row.line, f"{SKIP_TIMED} ({text[:40]})")
    if match and (not match[2] or match[2].startswith(_REP_PREFIXES)) and match[1].isdigit():
        reps = int(match[1])
        if reps <= MAX_REPS:
            return reps
        raise ImportFormatError(
            f"reps must be 0 to {MAX_REPS}, found {text[:40]!r}", table.where(i), line=row.line
        )
    raise ImportFormatError(
        f"expected reps like '10 reps' or a time like '60 s', found {text[:40]!r}",
        table.where(i),
        line=row.line,
    )


def _load(table: Table, row: Row, i: int) -> tuple[Load | None, bool]:
    """The load of ``17,50 kg`` / ``135.00 lb`` / ``0`` and whether its unit is stated, or
    None for a distance (``1,00 km``). An empty cell is no load."""
    text = cell(row, i)
    words = plain(text)
    if not words:
        return Load(Decimal(0), Unit.KG), True
    match = _VALUE.match(words)
    unit_word = match[2] if match else None
    if match and unit_word in _DISTANCE_UNITS:
        return None, True
    value = _number(match[1]) if match else None
    if match is None or value is None or (unit_word and unit_word not in _WEIGHT_UNITS):
        raise ImportFormatError(
            f"expected a weight like '60,00 kg' or a distance like '1,00 km', found {text[:40]!r}",
            table.where(i),
            line=row.line,
        )
    try:
        return Load(value, _WEIGHT_UNITS.get(unit_word or "", Unit.KG)), bool(unit_word)
    except ValidationError as exc:
        raise located(exc, table, row, i) from None


def _number(text: str) -> Decimal | None:
    """``0,00`` / ``60.00`` / ``1.234,50`` / ``1,234.50`` as a Decimal: the last of ``,``
    and ``.`` is the decimal mark (it may appear once), the other one groups thousands."""
    digits = text.replace(" ", "").replace("'", "")
    at = max(digits.rfind(","), digits.rfind("."))
    if at >= 0:
        mark = digits[at]
        if digits.count(mark) > 1:
            return None
        digits = digits.replace("." if mark == "," else ",", "").replace(mark, ".")
    try:
        return Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
