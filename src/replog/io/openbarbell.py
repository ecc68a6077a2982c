"""OpenBarbell device reps (the JSON the OpenBarbell app keeps, one object per set).

Structure: ``{set_id: {"setID", "exercise", "weight", "metric" ("kg"/"lbs"), "removed",
"reps": [{"isValid", "removed", "time", "data": [str, ...]}, ...]}, ...}``. Each rep's
``data`` is the device's transmission, numbers as strings. Positions, per the app's own
parser (squatsandsciencelabs/OpenBarbellApp, ``app/utility/RepDataMap.js`` and the CSV
export in ``app/utility/transforms/CSVConverter.js``):

====  ===========================================================================
0     layout flag: -1234 = OpenBarbell v1, -2345 = v2, -3456 = v3
1     rep number (the device's counter)
2     average (mean concentric) velocity, m/s
3     range of motion, mm
4     peak velocity, m/s
5     peak velocity location, % of the range of motion
6     peak acceleration (v3 only; v2 sends the placeholder -2121)
7     duration of the rep, microseconds (v2 and v3; the CSV export divides by 1e6)
====  ===========================================================================

A complete transmission carries the flag -9999 at position 6 (v1), 18 (v2) or 21 (v3).

Decisions
---------
* Reps marked ``removed`` or not ``isValid``, and sets marked ``removed``, are skipped; the
  warnings say how many.
* A rep whose metric is Infinity, NaN or physically impossible (the file holds an average
  velocity of ``Infinity``, one of 299792458 m/s and a ROM of 9001 mm) is **skipped with a
  warning naming the set id, rep index and field**, not the whole file rejected: the device
  app itself treats such a rep as invalid data (``isInfinityorNegative`` in RepDataMap.js),
  and a lifter importing months of history wants the other reps, not an error about one
  glitch. Malformed structure (not JSON, a rep without a data list, a non-numeric metric)
  is an :class:`ImportFormatError` naming the set id and rep index.
* A set left without reps is dropped (and counted in the warnings).

The device gives no timestamps within the rep, so the reps are :class:`OpenBarbellRep`
(not :class:`~replog.core.signal.types.DetectedRep`): ``start``/``end``/``mpv``/eccentric
values are unknown (``None`` in :meth:`OpenBarbellRep.to_dict`). ``duration_s`` is the
device's "duration of rep"; it is longer than ROM / mean velocity, so it is not offered as
the concentric duration.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from replog.core.errors import ImportFormatError

_LAYOUTS = {-1234.0: (1, 6), -2345.0: (2, 18), -3456.0: (3, 21)}  # flag: (version, end pos)
_END_FLAG = -9999.0
MAX_VELOCITY = 10.0  # m/s; no barbell moves faster
MAX_ROM_MM = 3000.0


@dataclass(frozen=True, slots=True)
class OpenBarbellRep:
    """One rep as the device measured it. Velocities in m/s, ``rom`` in m, ``duration_s`` in
    s (None on v1). ``index`` is the rep's position in the set's ``reps`` list."""

    index: int
    rep_number: int | None
    mcv: float
    peak_velocity: float
    rom: float
    duration_s: float | None
    peak_velocity_location_pct: float | None
    device_version: int
    time: str | None = None
    quality: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """DESIGN.md 2.2 fields; what the device does not give is ``None``."""
        return {
            "start": None,
            "end": None,
            "mcv": round(self.mcv, 4),
            "mpv": None,
            "peak_velocity": round(self.peak_velocity, 4),
            "rom": round(self.rom, 4),
            "concentric_s": None,
            "eccentric_s": None,
            "eccentric_mean_velocity": None,
            "quality": list(self.quality),
            "duration_s": None if self.duration_s is None else round(self.duration_s, 4),
        }


@dataclass(frozen=True, slots=True)
class OpenBarbellSet:
    set_id: str
    exercise: str | None
    weight: float | None
    unit: str | None
    reps: tuple[OpenBarbellRep, ...]


class _SkipRepError(Exception):
    pass


def _where(set_id: str, index: int) -> str:
    return f"set {set_id} rep[{index}]"


def _number(data: list[Any], pos: int, name: str, set_id: str, index: int) -> float | None:
    if len(data) <= pos:
        return None
    raw = data[pos]
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise ImportFormatError(
            f"{_where(set_id, index)}: {name} (data[{pos}]) is {raw!r}, expected a number",
            field=f"{set_id}.reps[{index}].data[{pos}]",
        ) from None


def _metric(
    data: list[Any], pos: int, name: str, set_id: str, index: int, upper: float, unit: str
) -> float:
    value = _number(data, pos, name, set_id, index)
    if value is None:
        raise ImportFormatError(
            f"{_where(set_id, index)}: data has {len(data)} values, no {name} (data[{pos}])",
            field=f"{set_id}.reps[{index}].data",
        )
    if not math.isfinite(value) or value <= 0 or value > upper:
        raise _SkipRepError(
            f"{_where(set_id, index)}: skipped, {name} (data[{pos}]) is {data[pos]} {unit} "
            f"(expected a finite value in (0, {upper:g}])"
        )
    return value


def _rep(raw: Any, set_id: str, index: int) -> OpenBarbellRep:
    if not isinstance(raw, dict) or not isinstance(raw.get("data"), list):
        raise ImportFormatError(
            f"{_where(set_id, index)}: expected an object with a 'data' list",
            field=f"{set_id}.reps[{index}]",
        )
    data: list[Any] = raw["data"]
    flag = _number(data, 0, "layout flag", set_id, index)
    if flag not in _LAYOUTS:
        raise _SkipRepError(
            f"{_where(set_id, index)}: skipped, unknown data layout flag {data[:1]} "
            "(expected -1234, -2345 or -3456)"
        )
    version, end_pos = _LAYOUTS[flag]
    if _number(data, end_pos, "end flag", set_id, index) != _END_FLAG:
        raise _SkipRepError(
            f"{_where(set_id, index)}: skipped, incomplete transmission (no -9999 at "
            f"data[{end_pos}])"
        )
    mcv = _metric(data, 2, "average velocity", set_id, index, MAX_VELOCITY, "m/s")
    rom_mm = _metric(data, 3, "range of motion", set_id, index, MAX_ROM_MM, "mm")
    peak = _metric(data, 4, "peak velocity", set_id, index, MAX_VELOCITY, "m/s")
    duration = None
    if version >= 2:
        duration = _metric(data, 7, "duration", set_id, index, 60e6, "us") / 1e6
    number = _number(data, 1, "rep number", set_id, index)
    location = _number(data, 5, "peak velocity location", set_id, index)
    quality = ("peak_below_mean",) if peak < mcv else ()
    return OpenBarbellRep(
        index=index,
        rep_number=int(number) if number is not None and math.isfinite(number) else None,
        mcv=mcv,
        peak_velocity=peak,
        rom=rom_mm / 1000.0,
        duration_s=duration,
        peak_velocity_location_pct=(
            location if location is not None and math.isfinite(location) else None
        ),
        device_version=version,
        time=raw.get("time") if isinstance(raw.get("time"), str) else None,
        quality=quality,
    )


def _float_or_none(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def read_openbarbell(text: str, *, warnings: list[str] | None = None) -> list[OpenBarbellSet]:
    """Parse OpenBarbell app JSON into sets of device reps, in file order.

    Skipped reps and sets are reported by appending messages to ``warnings`` when given.
    """
    sink: list[str] = [] if warnings is None else warnings
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ImportFormatError(
            f"not valid JSON: {e.msg} (column {e.colno})", line=e.lineno
        ) from None
    if not isinstance(doc, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("reps"), list) for v in doc.values()
    ):
        raise ImportFormatError(
            "not an OpenBarbell file: expected an object of sets, each with a 'reps' list"
        )
    sets: list[OpenBarbellSet] = []
    removed_sets = removed_reps = invalid_reps = empty_sets = 0
    for key, raw_set in doc.items():
        set_id = str(raw_set.get("setID") or key)
        if raw_set.get("removed") is True:
            removed_sets += 1
            continue
        reps: list[OpenBarbellRep] = []
        for index, raw_rep in enumerate(raw_set["reps"]):
            if isinstance(raw_rep, dict) and raw_rep.get("removed") is True:
                removed_reps += 1
                continue
            if isinstance(raw_rep, dict) and raw_rep.get("isValid") is False:
                invalid_reps += 1
                continue
            try:
                reps.append(_rep(raw_rep, set_id, index))
            except _SkipRepError as skip:
                sink.append(str(skip))
        if not reps:
            empty_sets += 1
            continue
        exercise = raw_set.get("exercise")
        unit = raw_set.get("metric")
        sets.append(
            OpenBarbellSet(
                set_id=set_id,
                exercise=exercise.strip() if isinstance(exercise, str) else None,
                weight=_float_or_none(raw_set.get("weight")),
                unit=unit if isinstance(unit, str) else None,
                reps=tuple(reps),
            )
        )
    if removed_sets:
        sink.append(f"skipped {removed_sets} set(s) marked removed")
    if removed_reps or invalid_reps:
        sink.append(
            f"skipped {removed_reps} rep(s) marked removed and {invalid_reps} marked invalid"
        )
    if empty_sets:
        sink.append(f"{empty_sets} set(s) had no usable reps and were left out")
    return sets
