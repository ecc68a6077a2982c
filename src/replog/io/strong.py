"""Strong (strong.app) CSV exports: a reader for every header variant, and a writer.

Format
------
Strong's "Export workout data" writes one row per set, the workout's fields repeated on
every row of the workout. The variants seen in the wild (all read here, columns matched
case-insensitively and in any order):

* delimiter ``,`` (most locales) or ``;`` (locales with a decimal comma), every field
  quoted or only some;
* ``Workout #`` (optional, ignored), ``Date`` (``2019-03-28 15:24:28``; newer exports
  ``2024-01-15 6:30:12 PM``), ``Workout Name``, ``Exercise Name``, ``Set Order``, ``Reps``;
* the workout's length as ``Duration`` or ``Workout Duration`` (humanised: ``1h 5m``,
  ``45m``, ``1h``, ``30s``; a bare number is seconds) or ``Duration (sec)`` (seconds);
  missing in the oldest exports;
* the load as ``Weight`` with a ``Weight Unit`` column (``kg``/``lbs``), as ``Weight (kg)``
  or ``Weight (lbs)``, or as a bare ``Weight`` with no unit anywhere (see below);
* optional ``RPE``, ``Distance`` / ``Distance (meters)`` / ``Distance Unit``, ``Seconds``,
  ``Notes`` (the set's) and ``Workout Notes``.

``Set Order`` is the set's number within the exercise (from 1), or ``W`` (warm-up), ``F``
(to failure), ``D`` (drop set); a ``Rest Timer`` row is not a set: its ``Seconds`` become
the ``rest_s`` of the set just before it when that set is of the same exercise in the same
workout, and the row is reported as skipped ("rest timer").

Pounds in files without units: the old export (header ``Date,Workout Name,Exercise Name,
Set Order,Weight,Reps,...``) has no unit anywhere because Strong stores kilograms; a pound
user's 15 lb comes out as ``6.80388555`` (15 x 0.45359237). The rule applied: a weight with
more than 3 decimals whose value / 0.45359237 lies within 1e-4 of a multiple of 0.25 lb is
that many pounds (``Load(Decimal("15"), Unit.LB)``). Anything else is a plain number in the
unit the lifter logs in: newer unit-less exports write what the app showed (a pound lifter's
135 is 135 lb), so such a set is marked ``unit_stated=False`` and the import reads it in the
unit it is given (``--unit``) or the athlete's (:mod:`replog.services.import_units`); in a
file with stored pounds, every number is kilograms. Kilogram loads built from plates have at
most 3 decimals (1.125 kg), so the stored-kilograms rule does not misread a kilogram
lifter. A warning says how many weights were read as pounds. An empty ``Weight Unit`` cell
is read the same way.

Rows that are not sets are reported as :class:`SkippedRow`: rest timers, rows without reps
but with a distance or time (cardio, planks), and empty sets (0 or no reps and no weight).

The writer, :func:`write_strong`, produces the layout of Strong's own export that Hevy and
other apps import: ``Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,
Distance,Seconds,Notes,Workout Notes,RPE``, the weight in exact kilograms so that pound
loads come back as pounds through the rule above.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.exercises import Equipment
from replog.core.model import MAX_REST_S, Session, SetKind, check_rpe
from replog.core.units import KG_PER_LB, Load, Unit, format_decimal, parse_unit
from replog.io.strong_header import read_as_english
from replog.io.table import (
    Row,
    Table,
    cell,
    datetime_cell,
    decimal_cell,
    exercise_cell,
    float_cell,
    int_cell,
    read_table,
    rejecting,
    reps_cell,
    source_of,
    spreadsheet_safe,
    weight_column,
)
from replog.services.exchange import AthleteData
from replog.services.imported import ImportedSet, SkippedRow, SourceFile

FORMAT = "strong"
CHUNK_ROWS = 1000  # rows of CSV text handed on at a time
HEADER_LINE = (  # what write_strong writes: Strong's own export, as Hevy and others import it
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE"
)
STRONG_HEADER = tuple(HEADER_LINE.split(","))
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %I:%M:%S %p",  # newer exports: "2024-01-15 6:30:12 PM" (narrow no-break space)
    "%Y-%m-%d %I:%M %p",
    "iso",
)
_DATE_EXAMPLE = "2019-03-28 15:24:28"
_LB_TOLERANCE = Decimal("1e-4")  # lb: how close to a quarter pound a stored kg must be
_ORDER_KINDS = {"w": SetKind.WARMUP, "f": SetKind.FAILURE, "d": SetKind.DROP}
_KIND_MARKS = {kind: mark.upper() for mark, kind in _ORDER_KINDS.items()}
_HUMAN_DURATION = re.compile(
    r"^(?:(?P<h>\d{1,6})\s*h)?\s*(?:(?P<m>\d{1,7})\s*m(?:in)?)?\s*(?:(?P<s>\d{1,9})\s*s)?$",
    re.IGNORECASE,
)
_MAX_DURATION_S = 366 * 24 * 3600  # a workout left running for a year is a broken file

# ----------------------------------------------------------------------------- equipment
_EQUIPMENT_WORDS = {
    "barbell": Equipment.BARBELL,
    "dumbbell": Equipment.DUMBBELL,
    "machine": Equipment.MACHINE,
    "smith machine": Equipment.MACHINE,
    "cable": Equipment.CABLE,
    "kettlebell": Equipment.KETTLEBELL,
    "bodyweight": Equipment.BODYWEIGHT,
    "assisted": Equipment.BODYWEIGHT,
    "weighted": Equipment.BODYWEIGHT,
}
_PARENTHESES = re.compile(r"\(([^()]*)\)")


def equipment_hint(name: str) -> Equipment | None:
    """The equipment a Strong-style name states in parentheses, or None.

    ``"Bench Press (Dumbbell)"`` -> dumbbell, ``"Bench Press (Smith Machine)"`` -> machine,
    ``"Pull Up (Assisted)"`` -> bodyweight, ``"Leg Press"`` -> None. The last parenthesised
    word that names equipment wins; a comma-separated list and plurals are understood
    (``"(Each Side, Dumbbells)"`` -> dumbbell). Hevy writes the same convention.
    """
    for group in reversed(_PARENTHESES.findall(name)):
        for part in reversed(group.split(",")):
            word = " ".join(part.lower().split())
            hit = _EQUIPMENT_WORDS.get(word) or _EQUIPMENT_WORDS.get(word.removesuffix("s"))
            if hit is not None:
                return hit
    return None


# ------------------------------------------------------------------------------- reading
@dataclass(frozen=True, slots=True)
class _Columns:
    date: int
    workout: int
    exercise: int
    order: int
    reps: int
    weight: int
    header_unit: Unit | None  # from "Weight (kg)" / "Weight (lbs)"
    unit: int | None  # the "Weight Unit" column
    duration: int | None
    duration_in_seconds: bool
    rpe: int | None
    distance: int | None
    seconds: int | None
    notes: int | None
    workout_notes: int | None

    @classmethod
    def of(cls, table: Table) -> _Columns:
        weight, header_unit = weight_column(table)
        seconds_duration = table.column("Duration (sec)", "Duration (seconds)")
        return cls(
            date=table.require("Date"),
            workout=table.require("Workout Name"),
            exercise=table.require("Exercise Name"),
            order=table.require("Set Order"),
            reps=table.require("Reps"),
            weight=weight,
            header_unit=header_unit,
            unit=None if header_unit else table.column("Weight Unit"),
            duration=(
                seconds_duration
                if seconds_duration is not None
                else table.column("Duration", "Workout Duration")
            ),
            duration_in_seconds=seconds_duration is not None,
            rpe=table.column("RPE"),
            distance=table.column("Distance", "Distance (meters)", "Distance (km)"),
            seconds=table.column("Seconds"),
            notes=table.column("Notes"),
            workout_notes=table.column("Workout Notes"),
        )


def read_strong(text: str, *, name: str = "strong.csv", tz: tzinfo | None = None) -> SourceFile:
    """Read a Strong CSV export (any variant in the module's docstring) into a SourceFile.

    ``tz`` is the zone the workouts' wall times are in (default: this machine's). A row
    with a malformed value is left out and listed in ``rejected`` with its line and column;
    a file that is not a Strong export at all raises :class:`ImportFormatError`.
    """
    table = read_table(text, name)
    read_as_english(table)
    cols = _Columns.of(table)
    out = source_of(FORMAT, table)
    as_pounds = 0
    for row in table.rows:
        with rejecting(out, table, row):
            started = _started(table, row, cols.date, tz)
            workout = cell(row, cols.workout)
            key = f"{cell(row, cols.date)}|{workout}"
            exercise = exercise_cell(table, row, cols.exercise)
            order = cell(row, cols.order).lower()
            if "rest" in order:
                _attach_rest(out, table, row, cols, key, exercise)
                continue
            kind = _kind(table, row, cols.order, order)
            reps = reps_cell(table, row, cols.reps)
            weight = decimal_cell(table, row, cols.weight)
            skip = _skip_reason(table, row, cols, reps, weight)
            if skip:
                out.skipped.append(SkippedRow(row.line, skip))
                continue
            assert reps is not None
            load, how = _load(table, row, cols, weight or Decimal(0))
            as_pounds += how == "stored pounds"
            out.sets.append(
                ImportedSet(
                    session_key=key,
                    started_at=started,
                    exercise=exercise,
                    load=load,
                    reps=reps,
                    line=row.line,
                    raw=row.raw,
                    session_name=workout,
                    ended_at=_ended(table, row, cols, started),
                    session_notes=cell(row, cols.workout_notes),
                    rpe=_rpe(table, row, cols.rpe),
                    kind=kind,
                    notes=cell(row, cols.notes),
                    equipment=equipment_hint(exercise),
                    unit_stated=how != "plain",
                )
            )
    if as_pounds:  # a file that stores pounds as kilograms stores everything in kilograms
        out.sets = [replace(s, unit_stated=True) for s in out.sets]
        out.warnings.append(
            f"{name}: {as_pounds} weight(s) without a unit read as pounds: Strong stores "
            "pounds as kilograms (15 lb is written 6.80388555)"
        )
    return out


def located(exc: ValidationError, table: Table, row: Row, i: int) -> ImportFormatError:
    """A model's complaint about a cell as an import error at the cell's line and column,
    its message shortened when it quotes an absurdly long value."""
    message = exc.message
    if len(message) > 160:
        message = f"{message[:60]}...{message[-80:]}"
    return ImportFormatError(message, table.where(i), line=row.line)


def _started(table: Table, row: Row, i: int, tz: tzinfo | None) -> datetime:
    try:
        return datetime_cell(table, row, i, DATE_FORMATS, tz, example=_DATE_EXAMPLE)
    except (OverflowError, ValueError, OSError):  # a date at the ends of the calendar
        raise ImportFormatError(
            f"date {cell(row, i)[:40]!r} is out of range", table.where(i), line=row.line
        ) from None


def _kind(table: Table, row: Row, i: int, order: str) -> SetKind:
    """The set's kind from its ``Set Order``: a number is a working set."""
    if order.isascii() and order.isdigit():
        return SetKind.WORKING
    kind = _ORDER_KINDS.get(order)
    if kind is None:
        raise ImportFormatError(
            f"expected a set number, W, F, D or Rest Timer, found {order[:40]!r}",
            table.where(i),
            line=row.line,
        )
    return kind


def _attach_rest(
    out: SourceFile, table: Table, row: Row, cols: _Columns, key: str, exercise: str
) -> None:
    """A ``Rest Timer`` row: its seconds go to the previous set of the same exercise."""
    rest = int_cell(table, row, cols.seconds)
    if rest is not None and not 0 <= rest <= MAX_REST_S:
        assert cols.seconds is not None
        raise ImportFormatError(
            f"a rest must be between 0 and {MAX_REST_S} s, found {cell(row, cols.seconds)[:40]}",
            table.where(cols.seconds),
            line=row.line,
        )
    last = out.sets[-1] if out.sets else None
    if rest and last is not None and last.session_key == key and last.exercise == exercise:
        out.sets[-1] = replace(last, rest_s=rest)
    out.skipped.append(SkippedRow(row.line, "rest timer"))


def _skip_reason(
    table: Table, row: Row, cols: _Columns, reps: int | None, weight: Decimal | None
) -> str | None:
    """Why a row without reps is not a set, or None when it is one (0 reps with a weight
    is kept: a missed attempt)."""
    if reps:
        return None
    distance = decimal_cell(table, row, cols.distance)
    seconds = decimal_cell(table, row, cols.seconds)
    if (distance or 0) > 0 or (seconds or 0) > 0:
        return "no reps: a timed or distance entry"
    if not weight:
        return "empty set"
    return None if reps == 0 else "no reps"


def stored_kg_load(value: Decimal) -> Load | None:
    """The pound load a kilogram value stands for, when Strong stored a pound load as kg
    (more than 3 decimals, within 1e-4 lb of a quarter pound); else None."""
    exponent = value.normalize().as_tuple().exponent
    if value <= 0 or not isinstance(exponent, int) or -exponent <= 3:
        return None
    pounds = value / KG_PER_LB
    quarters = (pounds * 4).to_integral_value(rounding=ROUND_HALF_EVEN)
    if quarters <= 0 or abs(pounds - quarters / 4) > _LB_TOLERANCE:
        return None
    return Load(quarters / 4, Unit.LB)


def _load(table: Table, row: Row, cols: _Columns, weight: Decimal) -> tuple[Load, str]:
    """The set's load and how its unit was known: ``"stated"`` (the file says), ``"stored
    pounds"`` (pounds Strong stored as kilograms) or ``"plain"`` (no unit: read in the unit
    the import picks)."""
    unit = cols.header_unit
    if unit is None and cols.unit is not None and cell(row, cols.unit):
        try:
            unit = parse_unit(cell(row, cols.unit))
        except ValidationError as exc:
            raise located(exc, table, row, cols.unit) from None
    try:
        if unit is None:
            pounds = stored_kg_load(weight)
            if pounds is not None:
                return pounds, "stored pounds"
            return Load(weight, Unit.KG), "plain"
        return Load(weight, unit), "stated"
    except ValidationError as exc:
        raise located(exc, table, row, cols.weight) from None


def _rpe(table: Table, row: Row, i: int | None) -> float | None:
    if i is None:
        return None
    rpe = float_cell(table, row, i)
    try:
        check_rpe(rpe)
    except ValidationError as exc:
        raise located(exc, table, row, i) from None
    return rpe


def parse_duration(text: str) -> int | None:
    """Seconds in a humanised Strong duration (``1h 5m``, ``45m``, ``30s``, a bare number of
    seconds); None when the text is none of these."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text) if len(text) <= 12 else None
    match = _HUMAN_DURATION.match(text)
    if not text or not match:
        return None
    return int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)


def _ended(table: Table, row: Row, cols: _Columns, started: datetime) -> datetime | None:
    """The workout's end (start + duration), or None when no duration (or 0) is given."""
    i = cols.duration
    if i is None or not cell(row, i):
        return None
    if cols.duration_in_seconds:
        seconds = decimal_cell(table, row, i)
        length = None if seconds is None or seconds < 0 else int(seconds)
    else:
        length = parse_duration(cell(row, i))
    if length is None or length > _MAX_DURATION_S:
        like = "in seconds" if cols.duration_in_seconds else "like '1h 5m' or '45m'"
        raise ImportFormatError(
            f"expected a duration {like} (under a year), found {cell(row, i)[:40]!r}",
            table.where(i),
            line=row.line,
        )
    try:
        return started + timedelta(seconds=length) if length else None
    except OverflowError:
        raise ImportFormatError(
            "the workout ends after the end of the calendar", table.where(i), line=row.line
        ) from None


# ------------------------------------------------------------------------------- writing
def humanise_duration(session: Session) -> str:
    """A session's length as Strong writes it: ``1h 5m``, ``45m``, ``1h``, to the nearest
    minute (at least ``1m``); ``0m`` when the end is unknown, which reads back as no end."""
    if session.ended_at is None or session.ended_at <= session.started_at:
        return "0m"
    seconds = (session.ended_at - session.started_at).total_seconds()
    hours, minutes = divmod(max(1, round(seconds / 60)), 60)
    if hours and minutes:
        return f"{hours}h {minutes}m"
    return f"{hours}h" if hours else f"{minutes}m"


def write_strong(
    data: Sequence[AthleteData], names: Mapping[str, str], tz: tzinfo | None = None
) -> str:
    """Sessions as a Strong CSV export (:func:`strong_chunks`), all athletes' in order of
    start; two sessions with the same start and name would read back as one workout."""
    sessions = sorted((s for athlete in data for s in athlete.sessions), key=lambda s: s.started_at)
    return "".join(strong_chunks(sessions, names, tz))


def strong_chunks(
    sessions: Iterable[Session], names: Mapping[str, str], tz: tzinfo | None = None
) -> Iterator[str]:
    """Sessions (in the order given) as a Strong CSV export, comma-separated, quoted only
    where needed, a chunk of text every :data:`CHUNK_ROWS` rows or so.

    ``names`` maps each exercise key to the name written. Per row: the session's start as
    naive wall time in ``tz`` (default: this machine's zone, the zone :func:`read_strong`
    reads such times in; ``YYYY-MM-DD HH:MM:SS``), its name and humanised
    duration (:func:`humanise_duration`); ``Set Order`` counts the numbered sets of each
    exercise within the workout from 1, with ``W``/``F``/``D`` for warm-up, failure and drop
    sets (other kinds are numbered, Strong has no mark for them); ``Weight`` is the exact
    kilograms (so pounds come back as pounds, see the module docstring); ``Distance`` and
    ``Seconds`` are 0; ``RPE`` is the set's RPE, or 10 - RIR when only RIR is known. Rest
    times are not written.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(STRONG_HEADER)
    rows = 0
    for session in sessions:
        local = session.started_at.astimezone(tz)
        when = local.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
        duration = humanise_duration(session)
        numbers: dict[str, int] = {}
        for s in sorted(session.sets, key=lambda s: s.position):
            if s.exercise not in names:
                raise ValidationError(f"no name to write for exercise {s.exercise!r}", "names")
            mark = _KIND_MARKS.get(s.kind)
            if mark is None:
                numbers[s.exercise] = numbers.get(s.exercise, 0) + 1
                mark = str(numbers[s.exercise])
            rpe = "" if s.effective_rpe is None else f"{s.effective_rpe:g}"
            weight = format_decimal(s.load.exact_kg)
            row = [when, session.name, duration, names[s.exercise], mark, weight, s.reps]
            cells = [*row, 0, 0, s.notes, session.notes, rpe]
            writer.writerow([spreadsheet_safe(str(c)) for c in cells])
            rows += 1
        if rows >= CHUNK_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            rows = 0
    yield buffer.getvalue()
