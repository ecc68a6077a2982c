"""The data contracts of the sensor pipeline (DESIGN.md 2.1 and 2.2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from replog.core.errors import ValidationError
from replog.core.model import Rep, RepSource

G = 9.80665  # standard gravity, m/s^2
Array = NDArray[np.float64]


def _check_time(t: Array, n: int, what: str) -> None:
    if t.ndim != 1 or len(t) != n:
        raise ValidationError(f"{what}: time and values differ in length", field="t")
    if n < 3:
        raise ValidationError(f"{what}: a stream needs at least 3 samples, got {n}", field="t")
    if not np.all(np.isfinite(t)):
        raise ValidationError(f"{what}: time has missing or infinite values", field="t")
    if np.any(np.diff(t) <= 0):
        bad = int(np.argmax(np.diff(t) <= 0)) + 1
        raise ValidationError(f"{what}: time does not increase at sample {bad + 1}", field="t")


@dataclass(frozen=True, slots=True, eq=False)
class ImuStream:
    """Six-axis inertial samples: ``t`` in seconds (any origin, not necessarily evenly
    spaced), ``acc`` (N, 3) specific force in m/s^2 *including gravity* (what an
    accelerometer reads), ``gyro`` (N, 3) angular rate in rad/s, both in the sensor's frame,
    whose orientation relative to the bar is unknown and may change during a lift."""

    t: Array
    acc: Array
    gyro: Array

    def __post_init__(self) -> None:
        n = len(self.t)
        if self.acc.shape != (n, 3) or self.gyro.shape != (n, 3):
            raise ValidationError("IMU stream: expected (N, 3) acc and gyro", field="acc")
        _check_time(self.t, n, "IMU stream")
        if not (np.all(np.isfinite(self.acc)) and np.all(np.isfinite(self.gyro))):
            raise ValidationError("IMU stream: missing or infinite sensor values", "acc")

    @property
    def rate_hz(self) -> float:
        return float(1.0 / np.median(np.diff(self.t)))


def imu_chunk(t: object, acc: object, gyro: object) -> tuple[Array, Array, Array]:
    """A streamed chunk of IMU samples as arrays: ``t`` (k,), ``acc`` and ``gyro`` (k, 3),
    all finite (time order is the caller's rule: the streaming faces differ on repeats)."""
    try:
        ta = np.asarray(t, dtype=np.float64).reshape(-1)
        aa = np.asarray(acc, dtype=np.float64).reshape(-1, 3)
        ga = np.asarray(gyro, dtype=np.float64).reshape(-1, 3)
    except (TypeError, ValueError):
        raise ValidationError("IMU chunk: acc and gyro must be (k, 3) numbers", "acc") from None
    if aa.shape != (len(ta), 3) or ga.shape != (len(ta), 3):
        raise ValidationError("IMU chunk: acc and gyro must be (k, 3) like t", field="acc")
    if not (np.all(np.isfinite(ta)) and np.all(np.isfinite(aa)) and np.all(np.isfinite(ga))):
        raise ValidationError("IMU chunk: missing or infinite values", field="acc")
    return ta, aa, ga


@dataclass(frozen=True, slots=True, eq=False)
class LptStream:
    """A linear position transducer: ``t`` in seconds, ``displacement`` in metres along the
    vertical, up positive (its origin is irrelevant)."""

    t: Array
    displacement: Array

    def __post_init__(self) -> None:
        _check_time(self.t, len(self.displacement), "position stream")
        if self.displacement.ndim != 1 or not np.all(np.isfinite(self.displacement)):
            raise ValidationError(
                "position stream: missing or infinite displacement", "displacement"
            )

    @property
    def rate_hz(self) -> float:
        return float(1.0 / np.median(np.diff(self.t)))


@dataclass(frozen=True, slots=True)
class DetectedRep:
    """One repetition (DESIGN.md 2.2). ``start``/``end`` bound the concentric phase, in
    seconds on the input clock: from the velocity zero-crossing at the bottom to the next at
    the top. Velocities in m/s (mean concentric, mean propulsive by the -g rule, peak), ROM
    in m, durations in s. ``quality`` holds flags such as ``"rom_implausible"`` or ``"gap"``;
    ``confidence`` (0-1) says how far the numbers can be trusted. With the flag
    ``"velocity_unavailable"`` (a sensor too slow to integrate, data lost mid-rep) the rep is
    counted but its velocities and ROM are not measurements: :meth:`to_rep` leaves them
    out."""

    start: float
    end: float
    mcv: float
    mpv: float
    peak_velocity: float
    rom: float
    concentric_s: float
    eccentric_s: float | None = None
    eccentric_mean_velocity: float | None = None
    quality: tuple[str, ...] = field(default=())
    confidence: float = 1.0

    def to_rep(self, index: int, source: RepSource) -> Rep:
        """This rep as the training log stores it (rep number ``index``, from ``source``)."""
        if "velocity_unavailable" in self.quality:
            return Rep(index, concentric_s=float(self.concentric_s), source=source)
        return Rep(
            index,
            mcv=float(self.mcv),
            mpv=float(self.mpv),
            peak_velocity=float(max(self.peak_velocity, self.mcv)),
            rom=float(self.rom),
            concentric_s=float(self.concentric_s),
            eccentric_s=None if self.eccentric_s is None else float(self.eccentric_s),
            source=source,
        )

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None, d: int = 4) -> float | None:
            return None if x is None else round(float(x), d)

        return {
            "start": r(self.start),
            "end": r(self.end),
            "mcv": r(self.mcv),
            "mpv": r(self.mpv),
            "peak_velocity": r(self.peak_velocity),
            "rom": r(self.rom),
            "concentric_s": r(self.concentric_s),
            "eccentric_s": r(self.eccentric_s),
            "eccentric_mean_velocity": r(self.eccentric_mean_velocity),
            "quality": list(self.quality),
            "confidence": r(self.confidence, 3),
        }
