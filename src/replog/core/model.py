"""RepLog's domain: athletes, exercises, sessions, sets, reps and daily check-ins.

Plain frozen dataclasses that validate themselves on construction, so an impossible value
(RPE 11, a negative load, velocities for reps that never happened) is refused wherever it
comes from: the CLI, an import file or the API. Timestamps are timezone-aware.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from replog.core.errors import ValidationError
from replog.core.gear import DEFAULT_GEAR, BarAndPlates, OwnGear
from replog.core.units import Load, Unit
from replog.core.validate import coerce_enum

T = TypeVar("T")
MAX_REPS = 200
MAX_VELOCITY = 10.0  # m/s: faster than any barbell; above it a unit slip (mm/s, cm/s)
MAX_ROM = 3.0  # m
MAX_DURATION_S = 120.0
MAX_REST_S = 24 * 3600


class SetKind(StrEnum):
    WARMUP = "warmup"
    PRIMER = "primer"
    WORKING = "working"
    BACKOFF = "backoff"
    DROP = "drop"
    FAILURE = "failure"
    AMRAP = "amrap"


class RepSource(StrEnum):
    MANUAL = "manual"  # typed by the lifter
    IMU = "imu"  # derived from an accelerometer/gyroscope stream
    LPT = "lpt"  # linear position transducer
    DEVICE = "device"  # reported by a commercial device
    IMPORT = "import"  # came from another app's export
    VIDEO = "video"  # a plate tracked in a side-view video (replog video)


def restorer(cls: type[T]) -> Callable[..., T]:
    """A constructor of ``cls`` from its field values in order, that skips validation.

    Only for storage adapters rebuilding records RepLog validated when it stored them:
    analysing a ten-year history reads 300,000 reps, and re-checking each one cost more
    than the analysis itself. Writes the slots directly (frozen dataclasses allow no other
    way), about five times faster than the validating constructor.
    """
    setters = [getattr(cls, f.name).__set__ for f in fields(cls)]  # type: ignore[arg-type]
    new = object.__new__

    def make(*values: object) -> T:
        obj = new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(obj, value)
        return obj

    return make


def _check_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationError("expected a timezone-aware timestamp", field=name)


def _check_range(value: float | None, name: str, low: float, high: float, unit: str = "") -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"expected a finite number, got {value!r}", field=name)
    if not low <= value <= high:
        raise ValidationError(
            f"must be between {low:g} and {high:g}{unit}, got {value:g}{unit}", field=name
        )


def check_rpe(rpe: float | None, name: str = "rpe") -> None:
    """RPE on the RIR-based 1-10 scale (Zourdos et al. 2016), in half points."""
    _check_range(rpe, name, 1, 10)
    if rpe is not None and (rpe * 2) != int(rpe * 2):
        raise ValidationError(f"RPE goes in half points (8, 8.5, 9), got {rpe:g}", field=name)


@dataclass(frozen=True, slots=True)
class Athlete:
    id: str
    name: str
    default_unit: Unit = Unit.KG
    body_mass_kg: float | None = None
    created_at: datetime | None = None
    dropoff_threshold_pct: float = 10.0  # neural drop-off flag, % slower than the reference
    gear: OwnGear = ()  # their own bar and plates by unit; a unit not here: the gym defaults

    def __post_init__(self) -> None:
        _check_range(self.dropoff_threshold_pct, "dropoff_threshold_pct", 2, 50, "%")
        if not self.name.strip():
            raise ValidationError("athlete name cannot be empty", field="name")
        object.__setattr__(self, "default_unit", coerce_enum(Unit, self.default_unit, "unit"))
        _check_range(self.body_mass_kg, "body_mass_kg", 20, 400, " kg")
        units = [u for u, _ in self.gear]
        if len(set(units)) != len(units):
            raise ValidationError("one bar and set of plates per unit", field="gear")
        object.__setattr__(self, "gear", tuple(sorted(self.gear)))

    def gear_for(self, unit: Unit) -> BarAndPlates:
        """The bar and plates this lifter loads in ``unit``: their own, or the defaults."""
        return dict(self.gear).get(unit, DEFAULT_GEAR[unit])


@dataclass(frozen=True, slots=True)
class Rep:
    """One repetition's bar kinematics. All velocities in m/s, ROM in m, durations in s."""

    index: int
    mcv: float | None = None
    mpv: float | None = None
    peak_velocity: float | None = None
    rom: float | None = None
    concentric_s: float | None = None
    eccentric_s: float | None = None
    source: RepSource = RepSource.MANUAL

    def __post_init__(self) -> None:
        index: object = self.index
        if isinstance(index, bool) or not isinstance(index, int) or index < 1:
            raise ValidationError(f"rep index must be 1 or more, got {self.index!r}", "index")
        object.__setattr__(self, "source", coerce_enum(RepSource, self.source, "source"))
        for name in ("mcv", "mpv", "peak_velocity"):
            _check_range(getattr(self, name), name, 0, MAX_VELOCITY, " m/s")
        _check_range(self.rom, "rom", 0, MAX_ROM, " m")
        _check_range(self.concentric_s, "concentric_s", 0, MAX_DURATION_S, " s")
        _check_range(self.eccentric_s, "eccentric_s", 0, MAX_DURATION_S, " s")
        if (
            self.mcv is not None
            and self.peak_velocity is not None
            and self.peak_velocity < self.mcv
        ):
            raise ValidationError(
                "peak velocity cannot be below the mean velocity", "peak_velocity"
            )

    def measures(self) -> dict[str, Any]:
        """The measured fields by name, the source as its value: what the JSON export and
        the storage rows hold besides the rep's index."""
        return {
            "mcv": self.mcv,
            "mpv": self.mpv,
            "peak_velocity": self.peak_velocity,
            "rom": self.rom,
            "concentric_s": self.concentric_s,
            "eccentric_s": self.eccentric_s,
            "source": self.source.value,
        }


@dataclass(frozen=True, slots=True)
class SetRecord:
    """A set as performed: what, how heavy, how many, how hard, and each rep's velocity."""

    id: str
    session_id: str
    exercise: str  # exercise key in the catalogue
    position: int  # order within the session, from 1
    load: Load
    reps: int
    performed_at: datetime
    rpe: float | None = None
    rir: float | None = None
    kind: SetKind = SetKind.WORKING
    rest_s: int | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    rep_data: tuple[Rep, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", coerce_enum(SetKind, self.kind, "kind"))
        reps: object = self.reps
        if isinstance(reps, bool) or not isinstance(reps, int):
            raise ValidationError(f"reps must be a whole number, got {self.reps!r}", "reps")
        if not 0 <= self.reps <= MAX_REPS:
            raise ValidationError(f"reps must be between 0 and {MAX_REPS}, got {self.reps}", "reps")
        if self.position < 1:
            raise ValidationError("position must be 1 or more", field="position")
        check_rpe(self.rpe)
        _check_range(self.rir, "rir", 0, 10)
        if self.rir is not None and (self.rir * 2) != int(self.rir * 2):
            raise ValidationError(f"RIR goes in half reps, got {self.rir:g}", field="rir")
        if self.rpe is not None and self.rir is not None and self.rpe + self.rir != 10:
            raise ValidationError(
                f"RPE {self.rpe:g} and RIR {self.rir:g} disagree (RPE = 10 - RIR); give one",
                field="rir",
            )
        if self.rest_s is not None:
            _check_range(self.rest_s, "rest_s", 0, MAX_REST_S, " s")
        _check_aware(self.performed_at, "performed_at")
        object.__setattr__(self, "tags", normalise_tags(self.tags))
        self._check_rep_data()

    def _check_rep_data(self) -> None:
        if self.rep_data and self.reps == 0:
            raise ValidationError("a set of 0 reps cannot have rep velocities", field="velocities")
        if len(self.rep_data) > self.reps:
            raise ValidationError(
                f"{len(self.rep_data)} reps of velocity data for a set of {self.reps} reps",
                field="velocities",
            )
        indexes = [r.index for r in self.rep_data]
        if len(set(indexes)) != len(indexes) or any(i > self.reps for i in indexes):
            raise ValidationError(
                f"rep numbers must be distinct and within 1..{self.reps}, got {indexes}",
                field="velocities",
            )
        if indexes != sorted(indexes):
            object.__setattr__(
                self, "rep_data", tuple(sorted(self.rep_data, key=lambda r: r.index))
            )

    @property
    def effective_rpe(self) -> float | None:
        """RPE as given, or derived from RIR (RPE = 10 - RIR, Helms et al. 2016)."""
        if self.rpe is not None:
            return self.rpe
        return None if self.rir is None else max(1.0, 10.0 - self.rir)

    @property
    def velocities(self) -> list[float]:
        return [r.mcv for r in self.rep_data if r.mcv is not None]


def normalise_tags(tags: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Tags are a set: folded to lower case, single-spaced, without repeats, sorted."""
    out: list[str] = []
    for tag in tags:
        clean = " ".join(str(tag).split()).lower()
        if not clean:
            continue
        if len(clean) > 64:
            raise ValidationError(f"tag {clean[:20]!r}... is longer than 64 characters", "tags")
        if clean not in out:
            out.append(clean)
    return tuple(sorted(out))


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    athlete_id: str
    started_at: datetime
    ended_at: datetime | None = None
    name: str = ""
    notes: str = ""
    sets: tuple[SetRecord, ...] = ()

    def __post_init__(self) -> None:
        _check_aware(self.started_at, "started_at")
        if self.ended_at is not None:
            _check_aware(self.ended_at, "ended_at")
            if self.ended_at < self.started_at:
                raise ValidationError("a session cannot end before it starts", field="ended_at")
        for s in self.sets:
            if s.session_id != self.id:
                raise ValidationError(f"set {s.id} belongs to another session", field="sets")

    def with_sets(self, sets: tuple[SetRecord, ...] | list[SetRecord]) -> Session:
        return Session(
            self.id,
            self.athlete_id,
            self.started_at,
            self.ended_at,
            self.name,
            self.notes,
            tuple(sorted(sets, key=lambda s: s.position)),
        )


@dataclass(frozen=True, slots=True)
class CheckIn:
    """How the lifter slept and feels on one day (scales 1-5: 5 is best sleep, most stress)."""

    id: str
    athlete_id: str
    day: date
    sleep_h: float | None = None
    sleep_quality: int | None = None
    stress: int | None = None
    soreness: int | None = None
    resting_hr: float | None = None
    hrv_ms: float | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        _check_range(self.sleep_h, "sleep_h", 0, 24, " h")
        for name in ("sleep_quality", "stress", "soreness"):
            value = getattr(self, name)
            _check_range(value, name, 1, 5)
            if value is not None and value != int(value):
                raise ValidationError(f"{name} is a whole number from 1 to 5", field=name)
        _check_range(self.resting_hr, "resting_hr", 25, 220, " bpm")
        _check_range(self.hrv_ms, "hrv_ms", 1, 500, " ms")


@dataclass(frozen=True, slots=True)
class SetOrigin:
    """Where an imported set came from: the app's format, the file, the line and the row
    exactly as the file had it, so a lifter can always trace a number back to its source."""

    set_id: str
    format: str
    source: str  # the file's name
    line: int
    row: str
