"""OpenBarbell app data imported as training history: each device set a :class:`ImportedSet`.

The rep data is read by :func:`replog.io.openbarbell.read_openbarbell` (which also checks
the file's structure and rejects impossible reps, such as an average velocity of
``Infinity``, with a warning); this module adds what the training log needs from each set
object of the app's JSON (``{set_id: {"setID", "workoutID", "exercise", "weight",
"metric", "rpe", "tags", "initialStartTime", "reps": [{"time", "data", ...}]}}``).

Sets
    ``reps`` is the number of reps the device measured validly; ``rep_data`` holds their
    average (mean concentric) velocity, peak velocity and range of motion, indexes 1..n in
    the set's order, source ``device``. A rep whose peak velocity is below its average
    velocity (a device glitch) keeps its average velocity and loses the peak, with a
    warning. ``load`` is ``weight`` in ``metric`` (``kg``/``lbs``) as the app stored it;
    a set without a usable weight or unit is a skipped row. The exercise name is the app's
    (trimmed), "Unknown exercise (OpenBarbell)" when empty. ``rpe`` is kept when it is a
    valid RPE (1-10 in half points); the app writes ``0.0`` for none, any other value is
    dropped with a warning. ``tags`` are kept; the app's ``warmup`` tag makes a warm-up set.
    ``line`` is the set's position among the file's set objects (1-based), ``raw`` the set
    object as JSON with sorted keys. Sets the app marked removed, or left without a usable
    rep, are skipped rows.

Times
    A rep's ``time`` and a set's ``initialStartTime`` are ISO 8601 (``...Z``) or numbers of
    milliseconds since 1970; a time without an offset is in ``tz`` (default: this
    computer's zone). A set was performed at its earliest rep time (the time its reps
    began; ``initialStartTime`` is when the set was opened in the app, sometimes minutes
    earlier), else at ``initialStartTime``. A set with neither is an
    :class:`ImportFormatError` naming it: it cannot be placed in the lifter's history.

Sessions
    The app's ``workoutID`` groups sets into workouts: ``session_key`` is the workout id,
    ``started_at`` the earliest time of its sets, ``ended_at`` the latest rep time. (The
    app's grouping is kept even where two workouts are minutes apart.) Sets without a
    workout id are grouped by time: sorted by when they were performed, a gap of more than
    3 hours after the previous set's last rep starts a new workout, keyed by its first
    set's time (ISO 8601, UTC). A workout that runs past midnight stays one workout.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.model import MAX_REPS, Rep, RepSource, SetKind, check_rpe, normalise_tags
from replog.core.units import Load, parse_unit, to_decimal
from replog.io.openbarbell import OpenBarbellSet, read_openbarbell
from replog.services.imported import ImportedSet, SkippedRow, SourceFile

FORMAT = "openbarbell"
UNKNOWN_EXERCISE = "Unknown exercise (OpenBarbell)"
SESSION_NAME = "OpenBarbell workout"
SESSION_GAP = timedelta(hours=3)
_MAX_EPOCH_MS = 4_102_444_800_000  # 2100-01-01


@dataclass(slots=True)
class _Entry:
    """One set on its way out: its source object, times and the fields it will have."""

    line: int
    raw: dict[str, Any]
    performed_at: datetime
    first: datetime  # earliest time the set names (opened in the app, or its first rep)
    last: datetime  # its last rep's time
    session_key: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


def read_openbarbell_sets(
    text: str, *, name: str = "openbarbell.json", tz: tzinfo | None = None
) -> SourceFile:
    """Read the OpenBarbell app's JSON as training sets; see the module's docstring."""
    out = SourceFile(format=FORMAT, name=name)
    parsed = read_openbarbell(text, warnings=out.warnings)  # checks the structure
    doc: dict[str, Any] = json.loads(text)
    waiting: dict[str, deque[tuple[int, dict[str, Any]]]] = defaultdict(deque)
    for line, (key, raw) in enumerate(doc.items(), start=1):
        if raw.get("removed") is True:
            out.skipped.append(SkippedRow(line, "set marked removed in the app"))
        else:
            waiting[str(raw.get("setID") or key)].append((line, raw))
    entries: list[_Entry] = []
    for ob in parsed:
        line, raw = _source(ob, waiting[ob.set_id], out.skipped)
        entry = _entry(ob, line, raw, tz, out)
        if entry is not None:
            entries.append(entry)
    for rest in waiting.values():
        out.skipped.extend(
            SkippedRow(line, "no usable reps (see the warnings)") for line, _ in rest
        )
    out.skipped.sort(key=lambda row: row.line)
    starts, ends = _sessions(entries)
    for e in sorted(entries, key=lambda e: e.line):
        out.sets.append(
            ImportedSet(
                session_key=e.session_key,
                started_at=starts[e.session_key],
                ended_at=ends[e.session_key],
                session_name=SESSION_NAME,
                performed_at=e.performed_at,
                line=e.line,
                raw=json.dumps(e.raw, sort_keys=True),
                **e.fields,
            )
        )
    return out


def _source(
    ob: OpenBarbellSet, waiting: deque[tuple[int, dict[str, Any]]], skipped: list[SkippedRow]
) -> tuple[int, dict[str, Any]]:
    """The set object ``ob`` was read from: the next one in file order with its id (objects
    before it with the same id that cannot be it had no usable reps)."""
    while len(waiting) > 1:
        line, raw = waiting[0]
        reps = raw.get("reps") or []
        if all(r.index < len(reps) and _text(_rep_time(reps[r.index])) == r.time for r in ob.reps):
            break
        skipped.append(SkippedRow(line, "no usable reps (see the warnings)"))
        waiting.popleft()
    if not waiting:  # cannot happen: read_openbarbell returns sets in file order
        raise ImportFormatError(f"set {ob.set_id}: not found in the file", field=ob.set_id)
    return waiting.popleft()


def _entry(
    ob: OpenBarbellSet, line: int, raw: dict[str, Any], tz: tzinfo | None, out: SourceFile
) -> _Entry | None:
    where = f"set {ob.set_id}"
    rep_times = [t for t in (_time(_rep_time(r), tz) for r in raw.get("reps") or []) if t]
    opened = _time(raw.get("initialStartTime"), tz)
    performed_at = min(rep_times) if rep_times else opened
    if performed_at is None:
        raise ImportFormatError(
            f"{where}: no usable time (no rep 'time' nor 'initialStartTime'), so the set "
            "cannot be dated",
            field=ob.set_id,
            line=line,
        )
    if ob.unit is None:
        out.skipped.append(SkippedRow(line, "no weight unit ('metric')"))
        return None
    try:
        unit = parse_unit(ob.unit, "metric")
        load = Load(to_decimal(raw.get("weight"), "weight"), unit)
    except (ValidationError, ArithmeticError) as e:  # a weight like 1e999999 overflows
        weight = str(raw.get("weight"))[:40]
        out.skipped.append(SkippedRow(line, f"weight {weight!r} {ob.unit}: {e}"))
        return None
    if len(ob.reps) > MAX_REPS:
        out.skipped.append(SkippedRow(line, f"{len(ob.reps)} reps (at most {MAX_REPS})"))
        return None
    tags = _tags(raw.get("tags"))
    entry = _Entry(
        line=line,
        raw=raw,
        performed_at=performed_at,
        first=min([performed_at, *([opened] if opened else [])]),
        last=max(rep_times) if rep_times else performed_at,
    )
    entry.fields = {
        "exercise": ob.exercise or UNKNOWN_EXERCISE,
        "load": load,
        "reps": len(ob.reps),
        "rep_data": _reps(ob, out.warnings),
        "rpe": _rpe(raw.get("rpe"), where, out.warnings),
        "tags": tags,
        "kind": SetKind.WARMUP if "warmup" in tags else SetKind.WORKING,
    }
    return entry


def _reps(ob: OpenBarbellSet, warnings: list[str]) -> tuple[Rep, ...]:
    reps: list[Rep] = []
    for number, r in enumerate(ob.reps, start=1):
        peak: float | None = r.peak_velocity
        if peak is not None and peak < r.mcv:
            warnings.append(
                f"set {ob.set_id} rep[{r.index}]: peak velocity {peak:g} m/s is below the "
                f"average {r.mcv:g} m/s; the peak was left out"
            )
            peak = None
        reps.append(Rep(number, mcv=r.mcv, peak_velocity=peak, rom=r.rom, source=RepSource.DEVICE))
    return tuple(reps)


def _rpe(value: object, where: str, warnings: list[str]) -> float | None:
    try:
        rpe = math.nan if isinstance(value, bool) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        rpe = math.nan
    if value is None or rpe == 0:
        return None  # the app's "not given"
    try:
        check_rpe(rpe)
    except ValidationError:
        warnings.append(f"{where}: RPE {value!r} is not an RPE (1-10 in half points); left out")
        return None
    return rpe


def _tags(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    try:
        return normalise_tags([t for t in value if isinstance(t, str)])
    except ValidationError:
        return normalise_tags([t for t in value if isinstance(t, str) and len(t.strip()) <= 64])


def _sessions(entries: list[_Entry]) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """Give each entry its session key; return each session's start and end."""
    loose: list[_Entry] = []
    for e in entries:
        workout = e.raw.get("workoutID")
        if isinstance(workout, str) and workout.strip():
            e.session_key = workout.strip()
        else:
            loose.append(e)
    key = ""
    last_rep: datetime | None = None
    for e in sorted(loose, key=lambda e: (e.performed_at, e.line)):
        if last_rep is None or e.performed_at - last_rep > SESSION_GAP:
            key = e.first.astimezone(UTC).isoformat()
            last_rep = e.last
        e.session_key = key
        last_rep = max(last_rep, e.last)
    starts: dict[str, datetime] = {}
    ends: dict[str, datetime] = {}
    for e in entries:
        k = e.session_key
        starts[k] = min(starts.get(k, e.first), e.first)
        ends[k] = max(ends.get(k, e.last), e.last)
    return starts, ends


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _rep_time(rep: object) -> object:
    return rep.get("time") if isinstance(rep, dict) else None


def _time(value: object, tz: tzinfo | None) -> datetime | None:
    """A UTC datetime from ISO 8601 text or milliseconds since 1970, else None."""
    if isinstance(value, str) and value.strip():
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not (math.isfinite(value) and 0 < value < _MAX_EPOCH_MS):
            return None
        return datetime.fromtimestamp(value / 1000, UTC)
    else:
        return None
    try:
        if when.tzinfo is None:
            when = when.replace(tzinfo=tz) if tz is not None else when.astimezone()
        return when.astimezone(UTC)
    except (OverflowError, OSError, ValueError):  # year 1 or 9999 moved past the calendar
        return None
