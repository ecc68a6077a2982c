"""Sensor stream readers: the canonical CSV of DESIGN.md 2.1, headerless logger CSVs named
by a column mapping, phyphox's CSV export and MetaWear/MetaMotion CSV files.

Formats
-------
``replog`` (canonical)
    IMU: header ``t,ax,ay,az,gx,gy,gz`` (any column order); LPT: ``t,displacement``.
    Units by default s, m/s^2 (including gravity), rad/s, m; the options ``time_unit="ms"``,
    ``accel_unit="g"`` (x 9.80665) and ``gyro_unit="deg/s"`` name other units.
``replog`` with ``columns=`` (a logger's headerless CSV)
    ``columns="id,t_ms,ax,ay,az,gx,gy,gz"`` names the file's columns in order: ``t``
    (seconds; ``time_unit`` applies), ``t_ms`` (milliseconds) or ``t_us`` (microseconds),
    and ``ax ay az gx gy gz`` exactly once each (LPT: a time name and ``displacement``).
    Any other name (``id``, ``mx``, ``_``, ``skip``) is a column to ignore, and so is every
    column past the mapping's end. ``accel_unit`` and ``gyro_unit`` apply. The file has no
    header; a first row without a single number is taken as one and skipped.
``phyphox``
    The CSV export of the phyphox app (RWTH Aachen). The header names are those of the
    ``<export>`` sets in the app's experiment definitions (github.com/phyphox/
    phyphox-experiments, ``accelerometer.phyphox`` "Acceleration with g" and
    ``gyroscope.phyphox``): ``"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)",
    "Acceleration z (m/s^2)","Absolute acceleration (m/s^2)"`` and ``"Time (s)",
    "Gyroscope x (rad/s)",...``. phyphox writes one file per sensor on one clock, so pass the
    accelerometer export as the file and the gyroscope export as ``gyro=``; gyroscope values
    are interpolated linearly onto the accelerometer's timestamps over the span both cover
    (accelerometer samples outside it are dropped, with one warning). Without ``gyro=`` the
    angular rate is 0 and a warning says so. The units are fixed by the header; unit options
    do not apply.
``metawear``
    mbientlab MetaWear/MetaMotion CSV (:mod:`replog.io.metawear`): one file per sensor,
    header ``epoch (ms),time (<UTC offset>),elapsed (s),x-axis (g),...`` for the
    accelerometer and ``...,x-axis (deg/s),...`` for the gyroscope; time is ``epoch (ms)``
    read as seconds. Pass the accelerometer file; the gyroscope file is ``gyro=``, or when
    not given the one beside the accelerometer file with the same
    ``<name>_MetaWear_<start>_<MAC>_`` prefix (a warning names it; none found: angular rate
    0 with a warning). It is interpolated onto the accelerometer's timestamps as for
    phyphox. The units are fixed by the header; unit options do not apply.

All but the headerless form are recognised from the header when ``format="auto"``.
Separators ``,`` ``;`` and tab are accepted (with ``;`` or tab, a decimal comma is read as a
point); blank lines are ignored. Timestamps are kept as recorded (no resampling), except
that rows out of time order are put in order, a row repeating the one before exactly is
dropped, and rows sharing a timestamp (a Bluetooth packet) are spread back onto the
sensor's steady clock (:func:`replog.core.signal.timebase.merge_repeats`); a stream needs at
least 3 distinct times. Gaps longer than 5x the median interval are kept. What was done and
found is reported in a few lines, one per kind (rows merged, rows reordered, gaps, samples
dropped, gyroscope file used): pass a list as ``warnings=`` to receive them.

Every problem raises :class:`ImportFormatError` with the ``line`` and the ``field`` (column)
it is about and what was expected; no partial stream is ever returned.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.signal.types import Array, G, ImuStream, LptStream
from replog.io.metawear import is_metawear, read_metawear
from replog.io.sensor_table import (
    Loaded,
    Source,
    Table,
    align_gyro,
    check_not_constant,
    check_option,
    clean_time,
    gap_notes,
    load_source,
    without_gyro,
)

__all__ = ["FORMATS", "IMU_COLUMNS", "LPT_COLUMNS", "read_imu_csv", "read_lpt_csv"]

IMU_COLUMNS = ("t", "ax", "ay", "az", "gx", "gy", "gz")
LPT_COLUMNS = ("t", "displacement")
_PHYPHOX_ACC = ("Acceleration x (m/s^2)", "Acceleration y (m/s^2)", "Acceleration z (m/s^2)")
_PHYPHOX_GYRO = ("Gyroscope x (rad/s)", "Gyroscope y (rad/s)", "Gyroscope z (rad/s)")
_PHYPHOX_LINEAR = "Linear Acceleration x (m/s^2)"
_PHYPHOX_TIME = "Time (s)"
_TIME_SCALE = {"t": 1.0, "t_ms": 1e-3, "t_us": 1e-6}
_NO_HEADER = "this file has no header; name its columns with --columns, e.g. --columns "
_EXAMPLE = ("id", "t_ms", "ax", "ay", "az", "gx", "gy", "gz")
FORMATS = ("auto", "replog", "phyphox", "metawear")

Columns = str | Sequence[str]


# ---------------------------------------------------------------------------- replog header
def _canonical_map(
    table: Table, expected: tuple[str, ...], other: tuple[str, ...], example: str
) -> dict[str, int]:
    if table.header_is_numeric():
        raise ImportFormatError(_NO_HEADER + example, line=table.header_line)
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
            f"unknown header {table.columns_text()!r}: expected "
            f"{','.join(expected)} ({'; '.join(parts)})",
            line=table.header_line,
        )
    return {c: names.index(c) for c in expected}


# ---------------------------------------------------------------------------- column mapping
def _mapping(columns: Columns, needed: tuple[str, ...]) -> tuple[dict[str, int], str, int]:
    """``{key: column index}`` (the time column under ``t``), the time column's name, and how
    many columns the mapping names."""
    raw = columns.split(",") if isinstance(columns, str) else list(columns)
    names = [n.strip().lower() for n in raw]
    need = f"it needs t|t_ms|t_us, {', '.join(needed)}; other names are ignored columns"

    def bad(problem: str) -> ImportFormatError:
        return ImportFormatError(
            f"column mapping {','.join(names)!r}: {problem} ({need})", "columns"
        )

    if "" in names:
        raise bad(f"column {names.index('') + 1} has no name (use _ to skip a column)")
    times = [n for n in names if n in _TIME_SCALE]
    if not times:
        raise bad("no time column")
    meaningful = [n for n in names if n in _TIME_SCALE or n in needed]
    twice = sorted({n for n in meaningful if meaningful.count(n) > 1})
    if len(times) > 1 or twice:
        raise bad(f"names {' and '.join(twice or times)} more than once")
    missing = [n for n in needed if n not in names]
    if missing:
        raise bad(f"missing {', '.join(missing)}")
    wanted = {"t": names.index(times[0]), **{n: names.index(n) for n in needed}}
    return wanted, times[0], len(names)


def _mapped(
    table: Table, columns: Columns, needed: tuple[str, ...], time_unit: str
) -> tuple[Array, dict[str, Array]]:
    wanted, time_name, n = _mapping(columns, needed)
    if n > table.n_cols:
        raise ImportFormatError(
            f"the column mapping names {n} columns but the file has {table.n_cols}",
            field="columns",
            line=table.first_row_line or table.header_line,
        )
    if time_name != "t" and time_unit != "s":
        raise ValidationError(
            f"the column name {time_name} already gives the time unit; drop time_unit",
            field="time_unit",
        )
    cols = table.numbers(wanted)
    scale = 1e-3 if time_name == "t" and time_unit == "ms" else _TIME_SCALE[time_name]
    return cols.pop("t") * scale, cols


def _header_only(fmt: str, columns: Columns | None) -> None:
    if columns is not None:
        raise ValidationError(
            f"columns= names the columns of a headerless CSV; a {fmt} file has a header",
            field="columns",
        )


# ---------------------------------------------------------------------------- detection, phyphox
def _detect(table: Table, fmt: str) -> str:
    cols = table.columns
    if fmt != "auto":
        return fmt
    if cols and cols[0] == _PHYPHOX_TIME:
        return "phyphox"
    if is_metawear(cols):
        return "metawear"
    return "replog"


def _phyphox_map(table: Table, names: tuple[str, ...], what: str) -> dict[str, int]:
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


def _phyphox_sensor(
    table: Table, names: tuple[str, ...], what: str
) -> tuple[Array, Array, list[str]]:
    cols = table.numbers(_phyphox_map(table, names, what))
    t, cols, notes = clean_time(cols.pop("t"), cols, table.name)
    return t, np.column_stack([cols["x"], cols["y"], cols["z"]]), notes


def _read_phyphox(table: Table, gyro: Source | None) -> tuple[Array, Array, Array, list[str]]:
    t, acc, notes = _phyphox_sensor(table, _PHYPHOX_ACC, "'Acceleration with g'")
    if gyro is None:
        return without_gyro(t, acc, notes, "phyphox accelerometer export without a gyroscope file")
    loaded = load_source(gyro)
    tg, gyr, gnotes = _phyphox_sensor(Table(loaded.text, loaded.name), _PHYPHOX_GYRO, "'Gyroscope'")
    t, acc, gyr, span = align_gyro(t, acc, tg, gyr)
    return t, acc, gyr, [*notes, *(f"gyroscope file: {n}" for n in gnotes), *span]


# ---------------------------------------------------------------------------- public API
def _imu(t: Array, acc: Array, gyr: Array, notes: list[str], sink: list[str]) -> ImuStream:
    check_not_constant(
        {"ax": acc[:, 0], "ay": acc[:, 1], "az": acc[:, 2]}
        | {"gx": gyr[:, 0], "gy": gyr[:, 1], "gz": gyr[:, 2]},
        IMU_COLUMNS[1:],
    )
    stream = ImuStream(t=t, acc=acc, gyro=gyr)
    sink.extend([*notes, *gap_notes(t)])
    return stream


def read_imu_csv(
    text_or_path: Source,
    *,
    accel_unit: str = "m/s2",
    gyro_unit: str = "rad/s",
    time_unit: str = "s",
    format: str = "auto",
    gyro: Source | None = None,
    columns: Columns | None = None,
    warnings: list[str] | None = None,
) -> ImuStream:
    """Read a six-axis IMU stream (CSV text, or a path to one) as an :class:`ImuStream`.

    ``format``: ``"auto"`` (from the header), ``"replog"``, ``"phyphox"`` or
    ``"metawear"``. ``gyro``: the gyroscope file going with a phyphox or MetaWear
    accelerometer file. ``columns``: the names of a headerless file's columns, e.g.
    ``"id,t_ms,ax,ay,az,gx,gy,gz"`` (see the module docstring). What the reader did and
    kept (merged or reordered rows, gaps, dropped samples) is appended to ``warnings``, one
    line per kind, when it is given.
    """
    check_option("accel_unit", accel_unit, ("m/s2", "g"))
    check_option("gyro_unit", gyro_unit, ("rad/s", "deg/s"))
    check_option("time_unit", time_unit, ("s", "ms"))
    check_option("format", format, FORMATS)
    sink: list[str] = [] if warnings is None else warnings
    loaded: Loaded = load_source(text_or_path)
    headerless = columns is not None and format in ("auto", "replog")
    table = Table(loaded.text, loaded.name, headerless=headerless)
    fmt = "replog" if headerless else _detect(table, format)
    if fmt in ("phyphox", "metawear"):
        _header_only(fmt, columns)
        if (accel_unit, gyro_unit, time_unit) != ("m/s2", "rad/s", "s"):
            units = "s, m/s^2, rad/s" if fmt == "phyphox" else "ms, g, deg/s"
            raise ValidationError(
                f"{fmt} headers state their units ({units}); unit options apply to the "
                "canonical CSV only",
                field="accel_unit",
            )
        read = (
            _read_phyphox(table, gyro) if fmt == "phyphox" else read_metawear(loaded, table, gyro)
        )
        return _imu(*read, sink)
    if gyro is not None:
        raise ValidationError(
            "gyro= is for phyphox and MetaWear accelerometer files only", field="gyro"
        )
    if columns is not None:
        t, cols = _mapped(table, columns, IMU_COLUMNS[1:], time_unit)
    else:
        cols = table.numbers(_canonical_map(table, IMU_COLUMNS, LPT_COLUMNS, ",".join(_EXAMPLE)))
        t = cols.pop("t") / 1000.0 if time_unit == "ms" else cols.pop("t")
    t, cols, notes = clean_time(t, cols, table.name)
    a_scale = G if accel_unit == "g" else 1.0
    g_scale = math.pi / 180.0 if gyro_unit == "deg/s" else 1.0
    acc = np.column_stack([cols[k] * a_scale for k in ("ax", "ay", "az")])
    gyr = np.column_stack([cols[k] * g_scale for k in ("gx", "gy", "gz")])
    return _imu(t, acc, gyr, notes, sink)


def read_lpt_csv(
    text_or_path: Source,
    *,
    time_unit: str = "s",
    displacement_unit: str = "m",
    format: str = "auto",
    columns: Columns | None = None,
    warnings: list[str] | None = None,
) -> LptStream:
    """Read a linear-position-transducer stream ``t,displacement`` as an :class:`LptStream`.

    ``displacement_unit``: ``"m"``, ``"cm"`` or ``"mm"``; ``format``: ``"auto"`` or
    ``"replog"`` (no phone app records a position transducer). ``columns``: the names of a
    headerless file's columns, e.g. ``"t_ms,displacement"`` (a time name and
    ``displacement``; other names are ignored columns).
    """
    check_option("time_unit", time_unit, ("s", "ms"))
    check_option("displacement_unit", displacement_unit, ("m", "cm", "mm"))
    check_option("format", format, ("auto", "replog"))
    loaded = load_source(text_or_path)
    table = Table(loaded.text, loaded.name, headerless=columns is not None)
    if columns is None and table.columns and table.columns[0] == _PHYPHOX_TIME:
        raise ImportFormatError(
            "this is a phyphox export (an IMU stream), not a position-transducer stream",
            line=table.header_line,
        )
    if columns is None and is_metawear(table.columns):
        raise ImportFormatError(
            "this is a MetaWear export (an IMU stream), not a position-transducer stream",
            line=table.header_line,
        )
    if columns is not None:
        t, cols = _mapped(table, columns, ("displacement",), time_unit)
    else:
        cols = table.numbers(_canonical_map(table, LPT_COLUMNS, IMU_COLUMNS, "t_ms,displacement"))
        t = cols.pop("t") / 1000.0 if time_unit == "ms" else cols.pop("t")
    t, cols, notes = clean_time(t, cols, table.name)
    check_not_constant(cols, ("displacement",))
    scale = {"m": 1.0, "cm": 0.01, "mm": 0.001}[displacement_unit]
    stream = LptStream(t=t, displacement=cols["displacement"] * scale)
    if warnings is not None:
        warnings.extend([*notes, *gap_notes(t)])
    return stream
