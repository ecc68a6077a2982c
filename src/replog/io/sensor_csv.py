"""Sensor stream readers: the canonical CSV of DESIGN.md 2.1 and phyphox's CSV export.

Formats
-------
``replog`` (canonical)
    IMU: header ``t,ax,ay,az,gx,gy,gz`` (any column order); LPT: ``t,displacement``.
    Units by default s, m/s^2 (including gravity), rad/s, m; the options ``time_unit="ms"``,
    ``accel_unit="g"`` (x 9.80665) and ``gyro_unit="deg/s"`` name other units.
``phyphox``
    The CSV export of the phyphox app (RWTH Aachen). The header names are those of the
    ``<export>`` sets in the app's experiment definitions (github.com/phyphox/
    phyphox-experiments, ``accelerometer.phyphox`` "Acceleration with g" and
    ``gyroscope.phyphox``): ``"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)",
    "Acceleration z (m/s^2)","Absolute acceleration (m/s^2)"`` and ``"Time (s)",
    "Gyroscope x (rad/s)",...``. phyphox writes one file per sensor on one clock, so pass the
    accelerometer export as the file and the gyroscope export as ``gyro=``; gyroscope values
    are interpolated linearly onto the accelerometer's timestamps over the span both cover.
    Without ``gyro=`` the angular rate is 0 and a warning says so. The units are fixed by
    the header; unit options do not apply.

Both are recognised from the header when ``format="auto"``. Separators ``,`` ``;`` and tab
are accepted (with ``;`` or tab, a decimal comma is read as a point); blank lines are ignored.
Timestamps are kept as recorded (no resampling). Gaps longer than 5x the median interval are
kept but reported: pass a list as ``warnings=`` and a message per gap is appended to it.

Every problem raises :class:`ImportFormatError` with the ``line`` and the ``field`` (column)
it is about and what was expected; no partial stream is ever returned.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.signal.types import G, ImuStream, LptStream

IMU_COLUMNS = ("t", "ax", "ay", "az", "gx", "gy", "gz")
LPT_COLUMNS = ("t", "displacement")
GAP_FACTOR = 5.0
_MAX_GAP_WARNINGS = 10
_PHYPHOX_ACC = ("Acceleration x (m/s^2)", "Acceleration y (m/s^2)", "Acceleration z (m/s^2)")
_PHYPHOX_GYRO = ("Gyroscope x (rad/s)", "Gyroscope y (rad/s)", "Gyroscope z (rad/s)")
_PHYPHOX_LINEAR = "Linear Acceleration x (m/s^2)"
_PHYPHOX_TIME = "Time (s)"
FORMATS = ("auto", "replog", "phyphox")

Source = str | Path


# ---------------------------------------------------------------------------- text and table
def _load(source: Source) -> tuple[str, str]:
    """Return (text, name). A Path, or a one-line string naming an existing file, is read."""
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
        return str(source), "input"
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ImportFormatError(f"cannot read {path}: {e.strerror or e}") from None
    if b"\x00" in raw[:4096] or raw[8:12] == b".FIT":
        raise ImportFormatError(
            f"{path.name} is a binary file (a Garmin FIT file or similar), not a sensor CSV"
        )
    try:
        return raw.decode("utf-8-sig"), path.name
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


class _Table:
    """The header and numeric rows of a delimited file, with the line number of each row."""

    def __init__(self, text: str, name: str):
        self.name = name
        lines = text.lstrip("\ufeff").splitlines()
        numbered = [(i + 1, ln) for i, ln in enumerate(lines) if ln.strip()]
        if not numbered:
            raise ImportFormatError(f"{name} is empty: expected a header line", line=1)
        self.header_line, header = numbered[0]
        kind = _looks_like(text, header)
        if kind:
            raise ImportFormatError(
                f"this looks like {kind}, not a sensor CSV (header {header[:80]!r})",
                line=self.header_line,
            )
        self.sep = ";" if ";" in header else "\t" if "\t" in header else ","
        self.columns = [x.strip().strip('"').strip() for x in header.split(self.sep)]
        self.rows = numbered[1:]

    def numbers(self, wanted: dict[str, int]) -> tuple[dict[str, np.ndarray], list[int]]:
        """Parse the columns ``{name: index}`` of every row as finite floats."""
        n_cols = len(self.columns)
        out: dict[str, list[float]] = {k: [] for k in wanted}
        line_nos: list[int] = []
        for line_no, line in self.rows:
            cells = _split(line, self.sep)
            if len(cells) != n_cols:
                raise ImportFormatError(
                    f"expected {n_cols} columns like the header "
                    f"({self.sep.join(self.columns)}), got {len(cells)}",
                    line=line_no,
                )
            for key, idx in wanted.items():
                cell = cells[idx]
                try:
                    value = float(cell)
                except ValueError:
                    what = "an empty value" if cell == "" else repr(cell)
                    raise ImportFormatError(
                        f"expected a number, got {what}", field=key, line=line_no
                    ) from None
                if not math.isfinite(value):
                    raise ImportFormatError(
                        f"expected a finite number, got {cell!r} (missing or infinite values "
                        "are not allowed)",
                        field=key,
                        line=line_no,
                    )
                out[key].append(value)
            line_nos.append(line_no)
        return {k: np.asarray(v, dtype=np.float64) for k, v in out.items()}, line_nos


# ---------------------------------------------------------------------------- checks
def _check_option(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValidationError(
            f"unknown {name} {value!r}; expected one of {', '.join(allowed)}", field=name
        )


def _check_time(t: np.ndarray, line_nos: list[int], name: str) -> None:
    if len(t) < 3:
        raise ImportFormatError(
            f"{name} has {len(t)} sample(s); a stream needs at least 3", field="t"
        )
    d = np.diff(t)
    bad = np.flatnonzero(d <= 0)
    if bad.size:
        i = int(bad[0]) + 1
        how = "repeats" if d[i - 1] == 0 else "goes back from"
        raise ImportFormatError(
            f"time {t[i]:g} {how} the previous sample's {t[i - 1]:g} "
            f"(line {line_nos[i - 1]}); time must increase",
            field="t",
            line=line_nos[i],
        )


def _gap_warnings(t: np.ndarray, line_nos: list[int]) -> list[str]:
    d = np.diff(t)
    med = float(np.median(d))
    gaps = np.flatnonzero(d > GAP_FACTOR * med)
    msgs = [
        f"line {line_nos[i + 1]}: gap of {d[i]:.3f} s before t={t[i + 1]:g} "
        f"(about {round(d[i] / med) - 1} samples missing at the median interval "
        f"{med * 1000:.1f} ms)"
        for i in gaps[:_MAX_GAP_WARNINGS]
    ]
    if gaps.size > _MAX_GAP_WARNINGS:
        msgs.append(f"... and {gaps.size - _MAX_GAP_WARNINGS} more gaps")
    return msgs


def _check_not_constant(columns: dict[str, np.ndarray], keys: tuple[str, ...]) -> None:
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


# ---------------------------------------------------------------------------- formats
def _canonical_map(
    table: _Table, expected: tuple[str, ...], other: tuple[str, ...]
) -> dict[str, int]:
    names = [c.lower() for c in table.columns]
    if sorted(names) == sorted(other) and sorted(other) != sorted(expected):
        kind = "position-transducer (t,displacement)" if "displacement" in other else "IMU"
        raise ImportFormatError(
            f"this is a {kind} stream; read it as such (e.g. --lpt for t,displacement)",
            line=table.header_line,
        )
    missing = [c for c in expected if c not in names]
    extra = [c for c, low in zip(table.columns, names, strict=True) if low not in expected]
    if missing or extra or len(set(names)) != len(names):
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"unknown {', '.join(repr(x) for x in extra)}")
        if len(set(names)) != len(names):
            parts.append("repeated column names")
        raise ImportFormatError(
            f"unknown header {table.sep.join(table.columns)!r}: expected "
            f"{','.join(expected)} ({'; '.join(parts)})",
            line=table.header_line,
        )
    return {c: names.index(c) for c in expected}


def _detect(table: _Table, fmt: str) -> str:
    cols = table.columns
    if fmt != "auto":
        return fmt
    if cols and cols[0] == _PHYPHOX_TIME:
        return "phyphox"
    return "replog"


def _phyphox_map(table: _Table, names: tuple[str, ...], what: str) -> dict[str, int]:
    cols = table.columns
    if _PHYPHOX_LINEAR in cols:
        raise ImportFormatError(
            "this is a phyphox 'Linear Acceleration' export, which has gravity removed; "
            "record with phyphox 'Acceleration with g' instead",
            line=table.header_line,
        )
    if _PHYPHOX_TIME not in cols or any(n not in cols for n in names):
        found = [n for n in (*_PHYPHOX_ACC, *_PHYPHOX_GYRO) if n in cols]
        hint = f" (it holds {found[0].split(' x')[0].lower()} data)" if found else ""
        raise ImportFormatError(
            f"not a phyphox {what} export{hint}: expected columns "
            f"{', '.join(repr(n) for n in (_PHYPHOX_TIME, *names))}, got "
            f"{', '.join(repr(c) for c in cols)}",
            line=table.header_line,
        )
    return {
        "t": cols.index(_PHYPHOX_TIME),
        **{k: cols.index(n) for k, n in zip(("x", "y", "z"), names, strict=True)},
    }


def _read_phyphox(table: _Table, gyro: Source | None, warnings: list[str]) -> ImuStream:
    acc_cols, lines = table.numbers(_phyphox_map(table, _PHYPHOX_ACC, "'Acceleration with g'"))
    t = acc_cols["t"]
    _check_time(t, lines, table.name)
    acc = np.column_stack([acc_cols["x"], acc_cols["y"], acc_cols["z"]])
    if gyro is None:
        warnings.append(
            "phyphox accelerometer export without a gyroscope file: angular rate set to 0 "
            "(the sensor is assumed not to rotate)"
        )
        gyr = np.zeros_like(acc)
    else:
        gtable = _Table(*_load(gyro))
        g_cols, g_lines = gtable.numbers(_phyphox_map(gtable, _PHYPHOX_GYRO, "'Gyroscope'"))
        tg = g_cols["t"]
        _check_time(tg, g_lines, gtable.name)
        keep = (t >= tg[0]) & (t <= tg[-1])
        if keep.sum() < 3:
            raise ImportFormatError(
                f"the gyroscope file covers t={tg[0]:g}..{tg[-1]:g} s and the accelerometer "
                f"file t={t[0]:g}..{t[-1]:g} s: fewer than 3 samples overlap",
                field="t",
            )
        if not keep.all():
            warnings.append(
                f"{int((~keep).sum())} accelerometer samples outside the gyroscope's time span "
                f"were dropped (kept t={t[keep][0]:g}..{t[keep][-1]:g} s)"
            )
        t, acc, lines = t[keep], acc[keep], [n for n, k in zip(lines, keep, strict=True) if k]
        gyr = np.column_stack([np.interp(t, tg, g_cols[k]) for k in ("x", "y", "z")])
    cols = {"ax": acc[:, 0], "ay": acc[:, 1], "az": acc[:, 2]}
    cols |= {"gx": gyr[:, 0], "gy": gyr[:, 1], "gz": gyr[:, 2]}
    _check_not_constant(cols, IMU_COLUMNS[1:])
    warnings.extend(_gap_warnings(t, lines))
    return ImuStream(t=t, acc=acc, gyro=gyr)


# ---------------------------------------------------------------------------- public API
def read_imu_csv(
    text_or_path: Source,
    *,
    accel_unit: str = "m/s2",
    gyro_unit: str = "rad/s",
    time_unit: str = "s",
    format: str = "auto",
    gyro: Source | None = None,
    warnings: list[str] | None = None,
) -> ImuStream:
    """Read a six-axis IMU stream (CSV text, or a path to one) as an :class:`ImuStream`.

    ``format``: ``"auto"`` (from the header), ``"replog"`` or ``"phyphox"``. ``gyro``: the
    phyphox Gyroscope export going with a phyphox accelerometer file. Messages about gaps
    and other kept irregularities are appended to ``warnings`` when it is given.
    """
    _check_option("accel_unit", accel_unit, ("m/s2", "g"))
    _check_option("gyro_unit", gyro_unit, ("rad/s", "deg/s"))
    _check_option("time_unit", time_unit, ("s", "ms"))
    _check_option("format", format, FORMATS)
    sink: list[str] = [] if warnings is None else warnings
    table = _Table(*_load(text_or_path))
    fmt = _detect(table, format)
    if fmt == "phyphox":
        if (accel_unit, gyro_unit, time_unit) != ("m/s2", "rad/s", "s"):
            raise ValidationError(
                "phyphox headers state their units (s, m/s^2, rad/s); unit options apply "
                "to the canonical CSV only",
                field="accel_unit",
            )
        found: list[str] = []
        stream = _read_phyphox(table, gyro, found)
        sink.extend(found)
        return stream
    if gyro is not None:
        raise ValidationError("gyro= is for phyphox accelerometer files only", field="gyro")
    cols, lines = table.numbers(_canonical_map(table, IMU_COLUMNS, LPT_COLUMNS))
    t = cols["t"] / 1000.0 if time_unit == "ms" else cols["t"]
    _check_time(t, lines, table.name)
    _check_not_constant(cols, IMU_COLUMNS[1:])
    a_scale = G if accel_unit == "g" else 1.0
    g_scale = math.pi / 180.0 if gyro_unit == "deg/s" else 1.0
    acc = np.column_stack([cols[k] * a_scale for k in ("ax", "ay", "az")])
    gyr = np.column_stack([cols[k] * g_scale for k in ("gx", "gy", "gz")])
    sink.extend(_gap_warnings(t, lines))
    return ImuStream(t=t, acc=acc, gyro=gyr)


def read_lpt_csv(
    text_or_path: Source,
    *,
    time_unit: str = "s",
    displacement_unit: str = "m",
    format: str = "auto",
    warnings: list[str] | None = None,
) -> LptStream:
    """Read a linear-position-transducer stream ``t,displacement`` as an :class:`LptStream`.

    ``displacement_unit``: ``"m"``, ``"cm"`` or ``"mm"``; ``format``: ``"auto"`` or
    ``"replog"`` (no phone app records a position transducer).
    """
    _check_option("time_unit", time_unit, ("s", "ms"))
    _check_option("displacement_unit", displacement_unit, ("m", "cm", "mm"))
    _check_option("format", format, ("auto", "replog"))
    table = _Table(*_load(text_or_path))
    if table.columns and table.columns[0] == _PHYPHOX_TIME:
        raise ImportFormatError(
            "this is a phyphox export (an IMU stream), not a position-transducer stream",
            line=table.header_line,
        )
    cols, lines = table.numbers(_canonical_map(table, LPT_COLUMNS, IMU_COLUMNS))
    t = cols["t"] / 1000.0 if time_unit == "ms" else cols["t"]
    _check_time(t, lines, table.name)
    _check_not_constant(cols, ("displacement",))
    scale = {"m": 1.0, "cm": 0.01, "mm": 0.001}[displacement_unit]
    if warnings is not None:
        warnings.extend(_gap_warnings(t, lines))
    return LptStream(t=t, displacement=cols["displacement"] * scale)
