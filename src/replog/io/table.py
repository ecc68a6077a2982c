"""Reading the CSV exports of other apps: delimiter, header, rows with line numbers, typed cells.

Every importer of a CSV file reads it through :func:`read_table`, so they all give the same
errors: the line (the file's own 1-based line, header included, where the record starts),
the column by name and position, what was expected and what was found. The raw text of
each record is kept, for the provenance of what is imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation

from replog.core.errors import ImportFormatError
from replog.core.model import MAX_REPS
from replog.core.units import Unit
from replog.services.imported import RejectedRow, SourceFile

_MAX_FIELD = 1_000_000


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection")."""
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _formula_like(cell: str) -> bool:
    """After any leading ``'``, a cell a spreadsheet would read as a formula (a number such
    as ``-2.5`` is not)."""
    rest = cell.lstrip("'")
    return rest.startswith(FORMULA_START) and not _NUMBER.fullmatch(rest)


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: a note ``=cmd|' /C calc'!A0`` is written with a
    leading ``'``, so opening an export never runs it. Numbers (``-2.5``) stay numbers;
    :func:`read_table` takes the ``'`` off again, so exports still round-trip: a note that
    itself starts with ``'`` before such a character (``'=``) gets one more, so taking one
    off gives it back."""
    return "'" + cell if _formula_like(cell) else cell


def from_spreadsheet(cell: str) -> str:
    """A cell as written before :func:`spreadsheet_safe`."""
    return cell[1:] if cell.startswith("'") and _formula_like(cell) else cell


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter of the header line: the most frequent of ``;``, ``,`` and tab outside
    quotes (Strong writes ``;`` in some locales, every other app writes ``,``)."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ","


def normalise_header(text: str) -> str:
    """``'Weight (kg)'`` -> ``'weight (kg)'``: case and spacing folded, for matching."""
    return " ".join(text.strip().strip("\ufeff").lower().split())


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # 1-based line of the file where this record starts
    cells: list[str]
    raw: str  # the record as written in the file


class Table:
    """A CSV file's header and rows. ``column`` finds a column by any of its names."""

    def __init__(self, header: list[str], rows: list[Row], delimiter: str, name: str):
        self.header = header
        self.rows = rows
        self.rejected: list[RejectedRow] = []  # rows of the wrong width, left out
        self.delimiter = delimiter
        self.name = name
        self._index = {normalise_header(h): i for i, h in reversed(list(enumerate(header)))}

    def column(self, *names: str) -> int | None:
        for n in names:
            i = self._index.get(normalise_header(n))
            if i is not None:
                return i
        return None

    def require(self, *names: str) -> int:
        i = self.column(*names)
        if i is None:
            raise ImportFormatError(
                f"{self.name}: no {names[0]!r} column; the header has "
                + ", ".join(repr(h) for h in self.header),
                field=names[0],
                line=1,
            )
        return i

    def alias(self, name: str, i: int) -> None:
        """Let column ``i`` be found as ``name`` too (a translated header's English name);
        errors still quote the file's own header."""
        self._index.setdefault(normalise_header(name), i)

    def has(self, *names: str) -> bool:
        return all(self.column(n) is not None for n in names)

    def where(self, i: int) -> str:
        """The field name an error about column ``i`` carries: its header and position."""
        return f"{self.header[i]} (column {i + 1})"


def read_table(text: str, name: str, *, same_width: bool = True) -> Table:
    """Parse ``text`` (the whole file) as CSV with a header row.

    Blank lines are skipped. With ``same_width`` a record with a different number of fields
    from the header (a file cut short, a comma without its quotes) is left out and listed
    in ``table.rejected``; without it the reader checks widths itself (:func:`check_width`).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ImportFormatError(f"{name} is a binary file, not CSV text", field="file")
    lines = text.splitlines(keepends=True)
    if not lines or not text.strip():
        raise ImportFormatError(f"{name} is empty", field="file", line=1)
    delimiter = _sniff_delimiter(lines[0])
    csv.field_size_limit(_MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[Row] = []
    misshapen: list[RejectedRow] = []
    consumed = 0
    try:
        for cells in reader:
            start = consumed + 1
            consumed = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip().strip("\ufeff") for c in cells]
                if len({normalise_header(h) for h in header if h}) < 2:
                    raise ImportFormatError(
                        f"{name}: the first line is not a CSV header (found {lines[0][:60]!r})",
                        field="header",
                        line=start,
                    )
                continue
            cells = [from_spreadsheet(c) for c in cells]
            row = Row(start, cells, "".join(lines[start - 1 : consumed]).rstrip("\r\n"))
            if same_width and len(cells) != len(header):
                misshapen.append(_rejected(_width_error(name, header, row), None, row))
                continue
            rows.append(row)
    except csv.Error as exc:
        raise ImportFormatError(
            f"{name}: broken CSV ({exc}); is a quote left open?", field="file", line=consumed + 1
        ) from None
    if header is None:
        raise ImportFormatError(f"{name} has no header row", field="file", line=1)
    table = Table(header, rows, delimiter, name)
    table.rejected = misshapen
    return table


_COLUMN_AT = re.compile(r"\(column (\d+)\)$")


def _rejected(exc: ImportFormatError, table: Table | None, row: Row) -> RejectedRow:
    column = exc.field or ""
    at = _COLUMN_AT.search(column)
    value = cell(row, int(at[1]) - 1) if at and table is not None else ""
    if len(value) > 60:
        value = f"{value[:57]}..."
    message = exc.message.removeprefix(f"{table.name}: " if table else "")
    return RejectedRow(exc.line if exc.line is not None else row.line, column, value, message)


def source_of(fmt: str, table: Table) -> SourceFile:
    """An empty :class:`SourceFile` for ``table``, holding the rows it already left out."""
    return SourceFile(fmt, table.name, rejected=list(table.rejected))


@contextmanager
def rejecting(out: SourceFile, table: Table, row: Row) -> Iterator[None]:
    """Read one row inside ``with``: a malformed or impossible value leaves the row out,
    listed in ``out.rejected`` with its line, column, value and what was expected, and the
    reader goes on with the next row."""
    try:
        yield
    except ImportFormatError as exc:
        out.rejected.append(_rejected(exc, table, row))


def check_width(table: Table, row: Row, *, at_least: int | None = None) -> None:
    """Refuse a row whose field count differs from the header's (or is under ``at_least``)."""
    want = len(table.header) if at_least is None else at_least
    have = len(row.cells)
    if (at_least is None and have != want) or have < want:
        raise _width_error(table.name, table.header, row)


def _width_error(name: str, header: list[str], row: Row) -> ImportFormatError:
    have = len(row.cells)
    hint = "is the file cut short?" if have < len(header) else "is a comma missing its quotes?"
    return ImportFormatError(
        f"{name}: expected {len(header)} fields as in the header, found {have}; {hint}",
        field="row",
        line=row.line,
    )


def cell(row: Row, i: int | None) -> str:
    """The stripped text of column ``i``, or ``""`` where the column or the cell is absent."""
    if i is None or i >= len(row.cells):
        return ""
    return row.cells[i].strip()


_NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def decimal_cell(
    table: Table, row: Row, i: int | None, *, required: bool = False
) -> Decimal | None:
    """A number (``.`` or a lone ``,`` as the decimal mark), or None when empty."""
    text = cell(row, i)
    if not text:
        if required and i is not None:
            raise ImportFormatError(
                "expected a number, found nothing", table.where(i), line=row.line
            )
        return None
    assert i is not None
    if not _NUMBER_RE.match(text):
        raise ImportFormatError(
            f"expected a number, found {text[:40]!r}", table.where(i), line=row.line
        )
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ImportFormatError(
            f"expected a number, found {text!r}", table.where(i), line=row.line
        ) from None


def float_cell(table: Table, row: Row, i: int | None, *, required: bool = False) -> float | None:
    value = decimal_cell(table, row, i, required=required)
    return None if value is None else float(value)


def int_cell(table: Table, row: Row, i: int | None, *, required: bool = False) -> int | None:
    value = decimal_cell(table, row, i, required=required)
    if value is None:
        return None
    assert i is not None
    if value != value.to_integral_value():
        raise ImportFormatError(
            f"expected a whole number, found {cell(row, i)!r}", table.where(i), line=row.line
        )
    return int(value)


def localize(naive: datetime, tz: tzinfo | None) -> datetime:
    """A wall-clock time from an export made aware: in ``tz``, or in this machine's zone
    (with the daylight-saving offset of that date) when ``tz`` is None."""
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()


def datetime_cell(
    table: Table,
    row: Row,
    i: int,
    formats: Iterable[str],
    tz: tzinfo | None,
    *,
    example: str,
) -> datetime:
    """A timestamp in one of ``formats`` (``strptime`` patterns, or ``"iso"``), made aware."""
    text = cell(row, i)
    if not text:
        raise ImportFormatError(
            f"expected a date like {example!r}, found nothing", table.where(i), line=row.line
        )
    parsed = parse_datetime(text, formats)
    if parsed is None:
        raise ImportFormatError(
            f"expected a date like {example!r}, found {text[:40]!r}", table.where(i), line=row.line
        )
    return localize(parsed, tz)


def parse_datetime(text: str, formats: Iterable[str]) -> datetime | None:
    for fmt in formats:
        try:
            if fmt == "iso":
                return datetime.fromisoformat(text.replace("Z", "+00:00"))
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


_UNIT_IN_HEADER = {f"Weight ({u})": Unit.KG for u in ("kg", "kgs")} | {
    f"Weight ({u})": Unit.LB for u in ("lb", "lbs")
}


def weight_column(table: Table) -> tuple[int, Unit | None]:
    """The weight column, and its unit when the header says it (``Weight (kgs)``); a plain
    ``Weight`` column comes first, with no unit."""
    weight = table.column("Weight")
    if weight is not None:
        return weight, None
    for title, unit in _UNIT_IN_HEADER.items():
        weight = table.column(title)
        if weight is not None:
            return weight, unit
    return table.require("Weight", *_UNIT_IN_HEADER), None


def bounded_cell(
    table: Table, row: Row, i: int | None, low: int, high: int, what: str
) -> int | None:
    """A whole number from ``low`` to ``high`` (``what`` names it in the error), or None
    when empty."""
    value = int_cell(table, row, i)
    if value is not None and not low <= value <= high:
        assert i is not None
        raise ImportFormatError(
            f"{what} must be {low} to {high}, found {cell(row, i)[:40]!r}",
            table.where(i),
            line=row.line,
        )
    return value


def reps_cell(table: Table, row: Row, i: int | None) -> int | None:
    """A set's rep count: a whole number from 0 to :data:`MAX_REPS`, or None when empty."""
    return bounded_cell(table, row, i, 0, MAX_REPS, "reps")


def exercise_cell(table: Table, row: Row, i: int) -> str:
    """The exercise name, which every set must have."""
    name = cell(row, i)
    if not name:
        raise ImportFormatError(
            "expected an exercise name, found nothing", table.where(i), line=row.line
        )
    return name
