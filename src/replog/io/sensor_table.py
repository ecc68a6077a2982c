"""The parts every sensor CSV reader shares (internal to :mod:`replog.io.sensor_csv`).

Loading a file or text, splitting a delimited table into numeric columns with the line of
each row, the checks on options and values, and the clock: repeated and out-of-order
timestamps merged by :func:`replog.core.signal.timebase.merge_repeats`, gaps summarised in
one line, a second sensor put on the first one's timestamps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.signal.timebase import gap_summary, merge_repeats
from replog.core.signal.types import Array

Source = str | Path


# ---------------------------------------------------------------------------- text
@dataclass(frozen=True, slots=True)
class Loaded:
    """A source's text, the name to use in messages, and its path when it is a file."""

    text: str
    name: str
    path: Path | None


def load_source(source: Source) -> Loaded:
    """Read ``source``. A Path, or a one-line string naming an existing file, is read as a
    file; any other string is the CSV text itself."""
    path: Path | None = None
    if isinstance(source, Path):
        path = source
    elif "\n" not in source and len(source) < 4096 and source.strip():
        candidate = Path(source)
        try:
            if candidate.is_file():
                path = candidate
        except OSError:
            path = None
        if path is None and candidate.suffix.lower() in {".csv", ".txt", ".tsv"}:
            raise ImportFormatError(f"no such file: {source}")
    if path is None:
        return Loaded(str(source), "input", None)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ImportFormatError(f"cannot read {path}: {e.strerror or e}") from None
    if b"\x00" in raw[:4096] or raw[8:12] == b".FIT":
        raise ImportFormatError(
            f"{path.name} is a binary file (a Garmin FIT file or similar), not a sensor CSV"
        )
    try:
        return Loaded(raw.decode("utf-8-sig"), path.name, path)
    except UnicodeDecodeError as e:
        raise ImportFormatError(f"{path.name} is not UTF-8 text (byte {e.start})") from None


def _looks_like(text: str, header: str) -> str | None:
    """Name the kind of a file that is not a sensor stream, or None."""
    head = text.lstrip()[:2000]
    if head.startswith(("{", "[")):
        if '"format"' in head and '"replog"' in head:
            return "a RepLog JSON export (import it with `replog import`)"
        if '"setID"' in head and '"reps"' in head:
            return "an OpenBarbell device JSON (read it with the OpenBarbell importer)"
        return "a JSON document"
    low = header.lower()
    if "exercise name" in low and ("workout name" in low or "set order" in low):
        return "a Strong workout export"
    if "exercise_title" in low:
        return "a Hevy workout export"
    if "exercise" in low and ("reps" in low or "weight" in low):
        return "a workout log CSV"
    return None


def _split(line: str, sep: str) -> list[str]:
    cells = [c.strip().strip('"').strip() for c in line.split(sep)]
    if sep != ",":
        cells = [c.replace(",", ".") for c in cells]
    return cells


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


class Table:
    """The header and the rows of a delimited file, with the line number of each row.

    ``headerless``: the file need not start with a header (its columns are named by a
    mapping); a first row without a single number is still taken as a header and skipped.
    """

    def __init__(self, text: str, name: str, *, headerless: bool = False):
        self.name = name
        lines = text.lstrip("\ufeff").splitlines()
        numbered = [(i + 1, ln) for i, ln in enumerate(lines) if ln.strip()]
        if not numbered:
            what = "rows" if headerless else "a header line"
            raise ImportFormatError(f"{name} is empty: expected {what}", line=1)
        first_line, first = numbered[0]
        kind = _looks_like(text, first)
        if kind:
            raise ImportFormatError(
                f"this looks like {kind}, not a sensor CSV (header {first[:80]!r})",
                line=first_line,
            )
        self.sep = ";" if ";" in first else "\t" if "\t" in first else ","
        cells = _split(first, self.sep)
        self._first_cells = cells
        self.header_line: int | None = first_line
        self.columns = [x.strip().strip('"').strip() for x in first.split(self.sep)]
        self.rows = numbered[1:]
        if headerless and any(_is_number(c) for c in cells):
            self.header_line, self.columns, self.rows = None, [], numbered
        self.n_cols = len(self.columns) if self.header_line is not None else len(cells)

    @property
    def first_row_line(self) -> int | None:
        """The line of the first data row, or None when there is none."""
        return self.rows[0][0] if self.rows else None

    def header_is_numeric(self) -> bool:
        """True when the first line holds only numbers: a file with no header."""
        cells = self._first_cells
        return bool(cells) and all(_is_number(c) for c in cells)

    def columns_text(self) -> str:
        return self.sep.join(self.columns)

    def numbers(self, wanted: dict[str, int]) -> dict[str, Array]:
        """Parse the columns ``{name: index}`` of every row as finite floats."""
        n_cols = self.n_cols
        like = (
            f"like the header ({self.columns_text()})"
            if self.header_line is not None
            else f"like the first row (line {self.first_row_line})"
        )
        out: dict[str, list[float]] = {k: [] for k in wanted}
        for line_no, line in self.rows:
            cells = _split(line, self.sep)
            if len(cells) != n_cols:
                raise ImportFormatError(
                    f"expected {n_cols} columns {like}, got {len(cells)}", line=line_no
                )
            for key, idx in wanted.items():
                out[key].append(_number(cells[idx], key, line_no))
        return {k: np.asarray(v, dtype=np.float64) for k, v in out.items()}


def _number(cell: str, key: str, line_no: int) -> float:
    try:
        value = float(cell)
    except ValueError:
        what = "an empty value" if cell == "" else repr(cell)
        raise ImportFormatError(f"expected a number, got {what}", field=key, line=line_no) from None
    if not math.isfinite(value):
        raise ImportFormatError(
            f"expected a finite number, got {cell!r} (missing or infinite values are not allowed)",
            field=key,
            line=line_no,
        )
    return value


# ---------------------------------------------------------------------------- checks
def check_option(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValidationError(
            f"unknown {name} {value!r}; expected one of {', '.join(allowed)}", field=name
        )


def check_not_constant(columns: dict[str, Array], keys: tuple[str, ...]) -> None:
    values = np.column_stack([columns[k] for k in keys])
    if not np.any(values):
        raise ImportFormatError(
            f"every value of {', '.join(keys)} is 0: the sensor recorded nothing", field=keys[0]
        )
    if np.all(values == values[0]):
        raise ImportFormatError(
            f"{', '.join(keys)} never change: a constant stream holds no movement",
            field=keys[0],
        )


# ---------------------------------------------------------------------------- clock
def clean_time(
    t: Array, columns: dict[str, Array], name: str
) -> tuple[Array, dict[str, Array], list[str]]:
    """A strictly increasing time base: rows out of order sorted, retried rows dropped and
    rows sharing a timestamp spread (:func:`merge_repeats`), with a note on each kind of
    fix. A file with
    fewer than 3 distinct times is refused."""
    distinct = len(np.unique(t))
    if distinct < 3:
        if len(t) >= 3 and distinct == 1:
            msg = f"all {len(t)} rows of {name} are at the same time t={t[0]:.6g}"
        else:
            msg = f"{name} has {len(t)} row(s) at {distinct} distinct time(s)"
        raise ImportFormatError(f"{msg}; a stream needs at least 3 distinct times", field="t")
    keys = list(columns)
    t_clean, merged, report = merge_repeats(t, *(columns[k] for k in keys))
    return t_clean, dict(zip(keys, merged, strict=True)), report.notes()


def gap_notes(t: Array) -> list[str]:
    """At most one line on the gaps in a time base."""
    line = gap_summary(t)
    return [line] if line else []


def without_gyro(
    t: Array, acc: Array, notes: list[str], what: str
) -> tuple[Array, Array, Array, list[str]]:
    """An accelerometer read alone (``what`` names the file and why): angular rate 0, said
    once in the notes."""
    notes.append(f"{what}: angular rate set to 0 (the sensor is assumed not to rotate)")
    return t, acc, np.zeros_like(acc), notes


def align_gyro(
    t: Array, acc: Array, tg: Array, gyro: Array
) -> tuple[Array, Array, Array, list[str]]:
    """Put a gyroscope recorded on the accelerometer's clock at its own rate onto the
    accelerometer's timestamps: linear interpolation over the span both cover; accelerometer
    samples outside the gyroscope's span are dropped (one note says how many)."""
    keep = (t >= tg[0]) & (t <= tg[-1])
    if keep.sum() < 3:
        raise ImportFormatError(
            f"the gyroscope file covers t={tg[0]:.3f}..{tg[-1]:.3f} s and the accelerometer "
            f"file t={t[0]:.3f}..{t[-1]:.3f} s: fewer than 3 samples overlap",
            field="t",
        )
    notes = []
    if not keep.all():
        notes.append(
            f"{int((~keep).sum())} accelerometer samples outside the gyroscope's time span "
            f"were dropped (kept t={t[keep][0]:.3f}..{t[keep][-1]:.3f} s)"
        )
    t, acc = t[keep], acc[keep]
    gyr = np.column_stack([np.interp(t, tg, gyro[:, k]) for k in range(3)])
    return t, acc, gyr, notes
