"""Sleep logs, read as one :class:`SleepNight` per day: a simple CSV, or Apple Health's export.

CSV
---
One row per sleep under a header line; names are matched case-insensitively, spaces and
hyphens read as ``_``. The separator is ``;`` or tab when the header holds one (a decimal
comma is then allowed, ``7,5``), else ``,``. Blank lines are ignored. Columns, aliases in
brackets, **either** a day and a time asleep:

- ``date`` (day, night): the day the sleep ends on (the morning), ``YYYY-MM-DD``; of a date
  and time such as ``2024-03-02 06:45`` the date is used;
- ``sleep_h`` (hours, asleep_h, duration_h, sleep_hours): ``7.5``, ``7:30`` or ``7h 30m``;
  or ``sleep_min`` (minutes, asleep_min, duration_min, sleep_minutes): ``450``; or
  ``duration`` (sleep, asleep, time_asleep, sleep_duration) stating its unit: ``7:30``,
  ``7h 30m``, ``7.5h``, ``450m``;

**or** ``start`` (bedtime, sleep_start, went_to_bed) and ``end`` (wake, wake_time, woke_up,
sleep_end): ISO 8601 date and time, ``2024-03-01 23:30``, ``2024-03-01T23:30:00+01:00``; a
time without offset is in ``tz`` (default: this computer's zone). Time asleep is the real
time elapsed (a night across a clock change is an hour shorter or longer than the clocks
say); the day is the end's local date. Optional: ``quality`` (sleep_quality, rating), 1-5;
``in_bed_h`` (in_bed, time_in_bed) like ``sleep_h``; ``notes`` (note, comment), ignored. Any
other column is an error. Durations lie in 0-24 h; start/end sleeps may not overlap. Rows on
one day (nap and night) are **added up**; ``in_bed_h`` is their sum if every row has one,
else None, and ``quality`` that of the longest. Sleep Cycle's CSV export is not read: its
columns vary by app version and are unpublished.

Apple Health
------------
Health > Export All Health Data gives ``export.zip`` holding ``apple_health_export/export.xml``;
either is read, streamed, keeping only ``HKCategoryTypeIdentifierSleepAnalysis`` records:
``InBed`` is time in bed; ``Asleep``, ``AsleepUnspecified``, ``AsleepCore``, ``AsleepDeep``,
``AsleepREM`` time asleep; ``Awake`` and other values are not sleep.

**Night rule**: the in-bed and asleep records of all sources, sorted by start, chain into
sleep periods; a gap of 3 h or more after everything so far starts a new period. A period
belongs to the local date of its latest end (a night 23:00-06:30 to the morning, a nap at
14:00 to that day); local is ``tz`` if given, else each record's own UTC offset. A day's
asleep time is the **union** of its asleep intervals (watch, phone and apps overlap; nothing
counts twice), ``in_bed_h`` that of its in-bed ones (None without any). A day with in-bed
records only (old iPhone data) takes the in-bed time as asleep and says so in ``source``:
``"Apple Health: iPhone (in bed, no sleep stages)"``; ``source`` names the contributors.

Every problem raises :class:`ImportFormatError` with the ``line`` and ``field`` (column or
XML attribute) it is about, and what was expected.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from array import array
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import IO
from xml.parsers import expat

from replog.core.errors import ImportFormatError

MAX_HOURS = 24.0
PERIOD_GAP_H = 3.0
SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
_VALUE_PREFIX = "HKCategoryValueSleepAnalysis"
_ASLEEP = frozenset({"Asleep", "AsleepUnspecified", "AsleepCore", "AsleepDeep", "AsleepREM"})
_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "night"),
    "hours": ("sleep_h", "hours", "asleep_h", "duration_h", "sleep_hours"),
    "minutes": ("sleep_min", "minutes", "asleep_min", "duration_min", "sleep_minutes"),
    "duration": ("duration", "sleep", "asleep", "time_asleep", "sleep_duration"),
    "start": ("start", "bedtime", "sleep_start", "went_to_bed"),
    "end": ("end", "wake", "wake_time", "woke_up", "sleep_end"),
    "quality": ("quality", "sleep_quality", "rating"),
    "in_bed": ("in_bed_h", "in_bed", "time_in_bed"),
    "notes": ("notes", "note", "comment"),
}
_KEY_OF = {alias: key for key, names in _ALIASES.items() for alias in names}
_UNIT: dict[str, str | None] = {"hours": "h", "minutes": "min", "duration": None, "in_bed": "h"}
_EXPECTED: dict[str | None, str] = {
    "h": "hours like 7.5, 7:30 or 7h 30m",
    "min": "minutes like 450, or 7h 30m",
}
_EXPECTED[None] = "a duration stating its unit, 7:30, 7h 30m or 450m (or use sleep_h/sleep_min)"
_HELP = (
    "expected date + sleep_h, sleep_min or duration, or start + end (+ quality, in_bed_h, notes)"
)
_CLOCK = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")
_WORDS = re.compile(r"(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?", re.IGNORECASE)
_ISO = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)\s?(Z|[+-]\d{2}:?\d{2})?)?"
)


@dataclass(frozen=True, slots=True)
class SleepNight:
    """The sleep that ended on ``day`` (local time); hours rounded to 0.01."""

    day: date
    asleep_h: float
    in_bed_h: float | None
    quality: int | None
    source: str


def _err(message: str, field: str | None = None, line: int | None = None) -> ImportFormatError:
    return ImportFormatError(message, field, line=line)


def _parse_when(text: str, tz: tzinfo | None, *, timed: bool = True) -> datetime:
    """An aware ISO date and time, naive ones put in ``tz``; a bare date is midnight if allowed."""
    if (m := _ISO.fullmatch(text.strip())) is None or (timed and m[2] is None):
        raise ValueError(text)
    day, clock, offset = m.groups()
    if offset:
        offset = "+00:00" if offset == "Z" else f"{offset[:3]}:{offset[-2:]}"
    moment = datetime.fromisoformat(f"{day}T{clock or '00:00'}{offset or ''}")
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=tz) if tz is not None else moment.astimezone()


def _hours(text: str, unit: str | None) -> float:
    """Hours in ``text`` (``7:30``, ``7h 30m``, or a bare number in ``unit``); else ValueError."""
    if m := _CLOCK.fullmatch(text):
        return int(m[1]) + int(m[2]) / 60 + int(m[3] or 0) / 3600
    if (m := _WORDS.fullmatch(text)) and (m[1] or m[2]):
        return float(m[1] or 0) + float(m[2] or 0) / 60
    if unit is None:
        raise ValueError(text)
    return float(text) / (60 if unit == "min" else 1)


def _union_h(spans: list[tuple[float, float]]) -> float:
    """Hours covered by the union of ``(start, end)`` intervals in POSIX seconds."""
    total, reach = 0.0, -math.inf
    for start, end in sorted(spans):
        total += max(0.0, end - max(start, reach))
        reach = max(reach, end)
    return total / 3600


_Row = tuple[SleepNight, int, tuple[float, float] | None]  # a row, its line, (start, end)


class _CsvReader:
    """The header and rows of a sleep CSV, and the parsing of each row."""

    def __init__(self, text: str, tz: tzinfo | None):
        first = next((ln for ln in text.splitlines() if ln.strip()), None)
        if first is None:
            raise _err("the file is empty: expected a header line such as date,sleep_h", None, 1)
        self.tz, self.sep = tz, ";" if ";" in first else "\t" if "\t" in first else ","
        reader = csv.reader(io.StringIO(text), delimiter=self.sep)
        self.rows: list[tuple[int, list[str]]] = []
        try:
            last = 0
            for cells in reader:
                if any(c.strip() for c in cells):
                    self.rows.append((last + 1, [c.strip() for c in cells]))
                last = reader.line_num
        except csv.Error as e:
            raise _err(f"unreadable CSV: {e}", None, reader.line_num) from None
        self.header_line, self.header = self.rows.pop(0)
        self.cols = self._columns(self.header_line)
        if not self.rows:
            raise _err("no sleep rows after the header", None, self.header_line)

    def _columns(self, line: int) -> dict[str, int]:
        found: dict[str, int] = {}
        for i, name in enumerate(self.header):
            key = _KEY_OF.get(re.sub(r"[\s\-]+", "_", name.lower()))
            if key is None or key in found:
                why = "is unknown" if key is None else f"repeats {self.header[found[key]]!r}"
                hint = " (the first line must be a header)" if _ISO.match(name) else ""
                raise _err(f"column {name!r} {why}{hint}; {_HELP}", name, line)
            found[key] = i
        given = [k for k in ("hours", "minutes", "duration") if k in found]
        if given:
            found["asleep"], self.unit = found[given[0]], _UNIT[given[0]]
        need = ("start", "end") if "start" in found or "end" in found else ("date", "asleep")
        if missing := [k for k in need if k not in found]:
            shown = "sleep_h" if missing[0] == "asleep" else missing[0]
            raise _err(f"missing column {shown!r}: {_HELP}", shown, line)
        if clash := given[1:] + [k for k in ("date", "asleep") if "start" in need and k in found]:
            name = self.header[found[clash[0]]]
            raise _err(f"column {name!r} does not go with the others: {_HELP}", name, line)
        return found

    def _cell(self, key: str, cells: list[str]) -> tuple[str, str]:
        return cells[self.cols[key]], self.header[self.cols[key]]

    def _duration(self, key: str, cells: list[str], line: int) -> float | None:
        text, name = self._cell(key, cells) if key in self.cols else ("", "")
        if text == "":
            return None
        unit = self.unit if key == "asleep" else _UNIT[key]
        try:
            hours = _hours(text.replace(",", ".") if self.sep != "," else text, unit)
        except ValueError:
            raise _err(f"expected {_EXPECTED[unit]}, got {text!r}", name, line) from None
        if not 0 <= hours <= MAX_HOURS:  # NaN fails too
            how = "negative" if hours < 0 else "over 24 h" if hours > 0 else "not a number"
            raise _err(f"{text!r} is {how}: expected 0 to {MAX_HOURS:g} h", name, line)
        return hours

    def _when(self, key: str, cells: list[str], line: int) -> datetime:
        text, name = self._cell(key, cells)
        try:
            return _parse_when(text, self.tz, timed=key != "date")
        except ValueError:
            what = "a date YYYY-MM-DD" if key == "date" else "a date and time like 2024-03-01 23:30"
            got = "an empty value" if text == "" else repr(text)
            raise _err(f"expected {what} (ISO 8601), got {got}", name, line) from None

    def _quality(self, cells: list[str], line: int) -> int | None:
        text, name = self._cell("quality", cells) if "quality" in self.cols else ("", "")
        if text and not (text.isdigit() and 1 <= int(text) <= 5):
            raise _err(f"expected a whole number 1 to 5, got {text!r}", name, line)
        return int(text) if text else None

    def row(self, line: int, cells: list[str]) -> _Row:
        if len(cells) != len(self.header):
            got = f"got {len(cells)}: {self.sep.join(cells)[:60]!r}"
            raise _err(f"expected {len(self.header)} columns like the header, {got}", None, line)
        in_bed, quality = self._duration("in_bed", cells, line), self._quality(cells, line)
        if "date" in self.cols:
            asleep = self._duration("asleep", cells, line)
            day = self._when("date", cells, line).date()  # the date as written
            if asleep is None:
                name = self._cell("asleep", cells)[1]
                raise _err(f"expected {_EXPECTED[self.unit]}, got an empty value", name, line)
            return SleepNight(day, asleep, in_bed, quality, "csv"), line, None
        start, end = self._when("start", cells, line), self._when("end", cells, line)
        span = (start.timestamp(), end.timestamp())
        span_h = (span[1] - span[0]) / 3600
        if not 0 < span_h <= MAX_HOURS:
            how = "is not after" if span_h <= 0 else "is more than 24 h after"
            name = self._cell("end", cells)[1]
            raise _err(f"end {end:%Y-%m-%d %H:%M} {how} start {start:%Y-%m-%d %H:%M}", name, line)
        day = (end.astimezone(self.tz) if self.tz else end).date()
        return SleepNight(day, span_h, in_bed, quality, "csv"), line, span


def _nights_from_rows(rows: list[_Row]) -> list[SleepNight]:
    reach, reach_line = -math.inf, 0
    for span, line in sorted((span, line) for _, line, span in rows if span):
        if span[0] < reach:
            raise _err(f"this sleep overlaps the one on line {reach_line}", "start", line)
        reach, reach_line = max((reach, reach_line), (span[1], line))
    by_day: dict[date, list[SleepNight]] = defaultdict(list)
    for night, line, _ in rows:
        by_day[night.day].append(night)
        if sum(n.asleep_h for n in by_day[night.day]) > MAX_HOURS:
            raise _err(f"the sleeps ending on {night.day} add up to over 24 h", "sleep_h", line)
    nights = []
    for day, items in sorted(by_day.items()):
        in_bed = [n.in_bed_h for n in items if n.in_bed_h is not None]
        asleep = round(sum(n.asleep_h for n in items), 2)
        bed = round(sum(in_bed), 2) if len(in_bed) == len(items) else None
        quality = max(items, key=lambda n: n.asleep_h).quality
        nights.append(SleepNight(day, asleep, bed, quality, "csv"))
    return nights


def _load_text(source: str | Path) -> str:
    """A Path or one-line string names a file; a string with a newline is the text itself."""
    if isinstance(source, str) and ("\n" in source or not source.strip()):
        return source.lstrip("\ufeff")
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise _err(f"cannot read {path}: {e.strerror or e}") from None
    if raw[:4] == b"PK\x03\x04" or raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        raise _err(f"{path.name} is a zip or XML file, not a sleep CSV: use read_sleep", None, 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _err(f"{path.name} is not UTF-8 text (byte {e.start})") from None


@dataclass(frozen=True, slots=True)
class _Piece:
    start: float  # POSIX seconds
    end: float
    asleep: bool  # else in bed
    source: str
    day: date  # local date of the end
    line: int


def _piece(attrs: dict[str, str], line: int, tz: tzinfo | None) -> _Piece | None:
    kind = attrs.get("value", "").removeprefix(_VALUE_PREFIX)
    if kind != "InBed" and kind not in _ASLEEP:
        return None
    moments = []
    for key in ("startDate", "endDate"):
        try:
            moments.append(_parse_when(text := attrs.get(key, ""), tz))
        except ValueError:
            got = repr(text) if text else "nothing"
            expected = "expected a time like 2024-03-01 23:40:00 +0100"
            raise _err(f"{expected}, got {got}", key, line) from None
    start, end = moments[0].timestamp(), moments[1].timestamp()
    if not 0 <= end - start <= MAX_HOURS * 3600:
        how = "before its start" if end < start else "over 24 h after its start"
        raise _err(f"sleep record ends {how} ({attrs['startDate']})", "endDate", line)
    source = attrs.get("sourceName", "").strip() or "unknown source"
    day = (moments[1].astimezone(tz) if tz else moments[1]).date()
    return _Piece(start, end, kind != "InBed", source, day, line)


class _Pieces:
    """The sleep records kept, column by column (about 40 bytes each rather than 300 as
    objects: a 16-year watch export holds millions), with their sources named once."""

    def __init__(self) -> None:
        self.starts, self.ends = array("d"), array("d")
        self.asleep, self.days = array("b"), array("l")
        self.sources, self.lines = array("l"), array("q")
        self.names: dict[str, int] = {}

    def add(self, p: _Piece) -> None:
        self.starts.append(p.start)
        self.ends.append(p.end)
        self.asleep.append(p.asleep)
        self.days.append(p.day.toordinal())
        self.sources.append(self.names.setdefault(p.source, len(self.names)))
        self.lines.append(p.line)


def _read_records(stream: IO[bytes], name: str, tz: tzinfo | None) -> _Pieces:
    """Stream the XML through expat, keeping sleep records only. expat builds no tree (nothing
    accumulates, nothing to clear) and knows each element's line for the error messages."""
    parser = expat.ParserCreate()
    pieces = _Pieces()
    root: list[str] = []

    def on_start(tag: str, attrs: dict[str, str]) -> None:
        if not root:
            root.append(tag)
            if tag != "HealthData":
                why = f"{name} is not an Apple Health export: its root is <{tag}>, not <HealthData>"
                raise _err(why, None, parser.CurrentLineNumber)
        elif tag == "Record" and attrs.get("type") == SLEEP_TYPE:
            piece = _piece(attrs, parser.CurrentLineNumber, tz)
            if piece is not None:
                pieces.add(piece)

    parser.StartElementHandler = on_start
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as e:
        what = f"{expat.ErrorString(e.code)} (column {e.offset + 1})"
        raise _err(f"{name} is not well-formed XML: {what}", None, e.lineno) from None
    return pieces


def _nights_from_pieces(pieces: _Pieces) -> list[SleepNight]:
    starts, ends = pieces.starts, pieces.ends
    by_day: dict[int, list[int]] = defaultdict(list)  # a period's day -> its records
    period: list[int] = []
    reach = -math.inf
    order = sorted(range(len(starts)), key=ends.__getitem__)
    order.sort(key=starts.__getitem__)  # by start, then end: no tuple per record
    for i in order:
        if period and starts[i] - reach >= PERIOD_GAP_H * 3600:
            by_day[pieces.days[max(period, key=ends.__getitem__)]].extend(period)
            period = []
        period.append(i)
        reach = max(reach, ends[i])
    if period:
        by_day[pieces.days[max(period, key=ends.__getitem__)]].extend(period)
    names = list(pieces.names)
    nights = []
    for ordinal, items in sorted(by_day.items()):
        day = date.fromordinal(ordinal)
        asleep = [(starts[i], ends[i]) for i in items if pieces.asleep[i]]
        in_bed = [(starts[i], ends[i]) for i in items if not pieces.asleep[i]]
        in_bed_h = round(_union_h(in_bed), 2) if in_bed else None
        asleep_h = _union_h(asleep) if asleep else in_bed_h or 0.0
        if max(asleep_h, in_bed_h or 0.0) > MAX_HOURS:
            line = pieces.lines[max(items, key=ends.__getitem__)]
            raise _err(f"the sleep records ending on {day} chain into over 24 h", "endDate", line)
        source = "Apple Health: " + ", ".join(sorted({names[pieces.sources[i]] for i in items}))
        source += "" if asleep else " (in bed, no sleep stages)"
        nights.append(SleepNight(day, round(asleep_h, 2), in_bed_h, None, source))
    return nights


def read_sleep_csv(source: str | Path, *, tz: tzinfo | None = None) -> list[SleepNight]:
    """Read a sleep CSV (a path, or the text itself when it holds a newline) as one night per
    day, sorted by day. ``tz``: the zone of times written without an offset (default: local)."""
    table = _CsvReader(_load_text(source), tz)
    return _nights_from_rows([table.row(line, cells) for line, cells in table.rows])


def read_apple_health(path: str | Path, *, tz: tzinfo | None = None) -> list[SleepNight]:
    """Read the sleep records of an Apple Health ``export.zip`` or ``export.xml``, one night per
    day, sorted. ``tz``: the zone of the days (default: each record's own UTC offset)."""
    path = Path(path)
    try:
        if not zipfile.is_zipfile(path):
            with path.open("rb") as stream:
                return _nights_from_pieces(_read_records(stream, path.name, tz))
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == "export.xml"]
            if not names:
                raise _err(f"{path.name} holds no apple_health_export/export.xml", "export.xml")
            member = min(names, key=lambda n: (n != "apple_health_export/export.xml", len(n)))
            with archive.open(member) as stream:
                return _nights_from_pieces(_read_records(stream, f"{path.name}:{member}", tz))
    except OSError as e:
        raise _err(f"cannot read {path}: {e.strerror or e}") from None
    except (zipfile.BadZipFile, EOFError) as e:
        raise _err(f"{path.name} is a damaged zip file: {e}") from None


def read_sleep(path: str | Path, *, tz: tzinfo | None = None) -> list[SleepNight]:
    """Read an Apple Health export (a ``.zip``/``.xml`` name, or any zip), else a sleep CSV."""
    path = Path(path)
    if path.suffix.lower() in {".zip", ".xml"} or zipfile.is_zipfile(path):
        return read_apple_health(path, tz=tz)
    return read_sleep_csv(path, tz=tz)
