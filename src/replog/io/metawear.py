"""MetaWear / MetaMotion CSV (mbientlab's MetaBase app): one file per sensor.

A recording is a set of files named ``<name>_MetaWear_<start>_<MAC>_<Sensor>_<rate>Hz_<version>
.csv`` (the name may contain spaces), each with the header ``epoch (ms),time (<UTC offset>),
elapsed (s),x-axis (<unit>),y-axis (<unit>),z-axis (<unit>)``: the accelerometer in g, the
gyroscope in deg/s. Both run on the device's clock (``epoch (ms)``, read as seconds =
ms / 1000) at different rates; the gyroscope is interpolated onto the accelerometer's
timestamps (:func:`replog.io.sensor_table.align_gyro`). When no gyroscope file is given, the
one beside the accelerometer file with the same ``<name>_MetaWear_<start>_<MAC>`` (and, if
several, the same version suffix) is used.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from replog.core.errors import ImportFormatError
from replog.core.signal.types import Array, G
from replog.io.sensor_table import (
    Loaded,
    Source,
    Table,
    align_gyro,
    clean_time,
    load_source,
    without_gyro,
)

EPOCH = "epoch (ms)"
_ACC = ("x-axis (g)", "y-axis (g)", "z-axis (g)")
_GYRO = ("x-axis (deg/s)", "y-axis (deg/s)", "z-axis (deg/s)")
_NAME = re.compile(r"^(?P<key>.*)_(?P<sensor>Accelerometer|Gyroscope)_(?P<rest>.*)$")
_DEG = np.pi / 180.0


def is_metawear(columns: list[str]) -> bool:
    """True for a MetaWear CSV header (its first column is ``epoch (ms)``)."""
    return bool(columns) and columns[0].lower() == EPOCH


def _kind(columns: list[str]) -> str | None:
    low = [c.lower() for c in columns]
    if all(n in low for n in _ACC):
        return "accelerometer"
    if all(n in low for n in _GYRO):
        return "gyroscope"
    return None


def _columns(table: Table, names: tuple[str, ...], what: str) -> dict[str, int]:
    low = [c.lower() for c in table.columns]
    if EPOCH not in low or any(n not in low for n in names):
        raise ImportFormatError(
            f"not a MetaWear {what} file: expected columns "
            f"{', '.join(repr(n) for n in (EPOCH, *names))}, got "
            f"{', '.join(repr(c) for c in table.columns)}",
            line=table.header_line,
        )
    return {"t": low.index(EPOCH), **{k: low.index(n) for k, n in zip("xyz", names, strict=True)}}


def _sensor(table: Table, names: tuple[str, ...], what: str) -> tuple[Array, Array, list[str]]:
    cols = table.numbers(_columns(table, names, what))
    t, cols, notes = clean_time(cols.pop("t") / 1000.0, cols, f"the {what} file {table.name}")
    return t, np.column_stack([cols["x"], cols["y"], cols["z"]]), notes


def _norm(key: str) -> str:
    return "".join(key.split())


def _version(rest: str) -> str:
    return rest.split("Hz_", 1)[-1]


def gyro_beside(path: Path) -> Path | None:
    """The gyroscope file recorded with the accelerometer file ``path``, or None.

    It lies in the same folder, its name matches up to ``_Gyroscope_`` what the
    accelerometer's matches up to ``_Accelerometer_`` (white space aside); when several do,
    the one with the same version suffix wins, and if that leaves several, the caller must
    name one."""
    m = _NAME.match(path.name)
    if m is None or m["sensor"] != "Accelerometer":
        return None
    key = _norm(m["key"])
    found = []
    for p in sorted(path.parent.iterdir()):
        other = _NAME.match(p.name)
        if other and other["sensor"] == "Gyroscope" and _norm(other["key"]) == key:
            found.append((p, _version(other["rest"])))
    if len(found) > 1:
        found = [(p, v) for p, v in found if v == _version(m["rest"])]
        if len(found) != 1:
            raise ImportFormatError(
                f"several gyroscope files go with {path.name}: "
                f"{', '.join(p.name for p, _ in found)}; name one with --gyro",
                field="gyro",
            )
    return found[0][0] if found else None


def read_metawear(
    loaded: Loaded, table: Table, gyro: Source | None
) -> tuple[Array, Array, Array, list[str]]:
    """Time (s), acceleration (m/s^2) and angular rate (rad/s) on the accelerometer's
    timestamps, and the notes on what was done."""
    if _kind(table.columns) == "gyroscope":
        raise ImportFormatError(
            f"{table.name} is a MetaWear gyroscope file; pass the accelerometer file "
            "(..._Accelerometer_....csv) instead: its gyroscope file is found beside it, or "
            "name it with --gyro",
            line=table.header_line,
        )
    t, acc, notes = _sensor(table, _ACC, "accelerometer")
    acc = acc * G
    gyro_file: Source | None = gyro
    if gyro is None and loaded.path is not None:
        gyro_file = gyro_beside(loaded.path)
        if gyro_file is not None:
            notes.append(
                f"gyroscope read from {gyro_file.name}, found beside the accelerometer file"
            )
    if gyro_file is None:
        return without_gyro(t, acc, notes, "MetaWear accelerometer file without a gyroscope "
                            "file (none given with --gyro or found beside it)")  # fmt: skip
    gyro_loaded = load_source(gyro_file)
    gtable = Table(gyro_loaded.text, gyro_loaded.name)
    if _kind(gtable.columns) == "accelerometer":
        raise ImportFormatError(
            f"the gyroscope file {gtable.name} is a MetaWear accelerometer file",
            field="gyro",
            line=gtable.header_line,
        )
    tg, gyr, gnotes = _sensor(gtable, _GYRO, "gyroscope")
    t, acc, gyr, span = align_gyro(t, acc, tg, gyr * _DEG)
    return t, acc, gyr, [*notes, *(f"gyroscope file: {n}" for n in gnotes), *span]
