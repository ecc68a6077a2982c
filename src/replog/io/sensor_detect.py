"""A recording in, its reps out: the one reading-and-detection step the CLI and the API share.

``replog sensor reps|attach`` and ``POST /sets/{id}/sensor`` used to dispatch readers and
detectors each their own way; both now call :func:`detect_reps`, so the same file gives the
same reps, warnings and reason on every surface.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from replog.core.signal.types import DetectedRep

__all__ = ["Detection", "detect_reps"]

KINDS = ("imu", "lpt")


@dataclass(frozen=True, slots=True)
class Detection:
    """The reps of a recording, what the reader kept but you should know, and why there are
    no reps when there are none (one line)."""

    kind: str
    reps: list[DetectedRep]
    warnings: list[str]
    reason: str | None


def detect_reps(
    source: str | Path,
    kind: str = "imu",
    *,
    exercise: str | None = None,
    format: str = "auto",
    accel_unit: str = "m/s2",
    gyro_unit: str = "rad/s",
    time_unit: str = "s",
    displacement_unit: str = "m",
    gyro: str | Path | None = None,
    columns: str | None = None,
) -> Detection:
    """Read ``source`` (CSV text or a path) as an IMU or position-transducer recording and
    find its reps; ``exercise`` names the lift (:mod:`replog.core.signal.lifts`)."""
    from replog.io.sensor_csv import read_imu_csv, read_lpt_csv

    warnings: list[str] = []
    if kind == "lpt":
        from replog.core.signal.lpt import reps_from_lpt

        lpt = read_lpt_csv(source, time_unit=time_unit, displacement_unit=displacement_unit,
                           format=format, columns=columns, warnings=warnings)  # fmt: skip
        found = reps_from_lpt(lpt)
        why = None if found else "no reps: no upward movement of the bar passed the checks"
        return Detection("lpt", found, warnings, why)
    from replog.core.signal.imu import analyze_imu

    imu = read_imu_csv(source, accel_unit=accel_unit, gyro_unit=gyro_unit, time_unit=time_unit,
                       format=format, gyro=gyro, columns=columns, warnings=warnings)  # fmt: skip
    result = analyze_imu(imu, exercise=exercise)
    return Detection("imu", result.reps, warnings, result.reason)
