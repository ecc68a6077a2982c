"""The MEMS error model of the set simulator (:mod:`replog.core.signal.sim`, whose docstring
describes the model): the sensor grades and the distortion of true specific force and rate.

A grade's constant bias and scale-factor error are drawn per sensor and axis, either from a
zero-mean normal (a float: 1 sigma, the grades of issue 4) or with a magnitude uniform in a
range and a random sign (a pair ``(lo, hi)``: "breakout_imu", issue 17). Uncalibrated boards
on real bars read gravity as 9.6 or 10.0 m/s^2 and their gyros 0.1 rad/s at rest: a normal
draw would put many axes near zero, which such recordings do not show; the range says it
plainly and keeps every set hard.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from replog.core.signal.types import Array, G

__all__ = ["GRADES", "Grade", "Spread", "distort"]

_UG = 1e-6 * G
_DPS = np.pi / 180.0


Spread = float | tuple[float, float]
"""How a per-axis constant error is drawn: a float is the standard deviation of a zero-mean
normal; a pair ``(lo, hi)`` is a magnitude uniform in [lo, hi] with a random sign."""


@dataclass(frozen=True, slots=True)
class Grade:
    """Per-axis MEMS error magnitudes (1 sigma unless stated): noise densities (m/s^2/sqrt(Hz),
    rad/s/sqrt(Hz)), constant bias, bias random walk (per sqrt(s)), scale-factor error
    (fraction), cross-axis coupling (fraction), quantisation step (LSB). Bias and scale are
    :data:`Spread` values: 1 sigma, or a ``(lo, hi)`` range of the magnitude."""

    acc_noise: float
    acc_bias: Spread
    acc_walk: float
    acc_scale: Spread
    acc_lsb: float
    gyro_noise: float
    gyro_bias: Spread
    gyro_walk: float
    gyro_scale: Spread
    gyro_lsb: float
    cross_axis: float

    def draw(self, name: str, rng: np.random.Generator) -> Array:
        """One sensor's three per-axis values of the constant error ``name`` (``acc_bias``,
        ``acc_scale``, ``gyro_bias`` or ``gyro_scale``), drawn as its :data:`Spread` says."""
        spread: Spread = getattr(self, name)
        if isinstance(spread, tuple):
            lo, hi = spread
            return np.asarray(rng.uniform(lo, hi, 3) * rng.choice((-1.0, 1.0), 3))
        return np.asarray(rng.standard_normal(3) * spread)


GRADES: dict[str, Grade] = {
    "ideal": Grade(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "good_imu": Grade(
        100 * _UG, 0.02, 2e-4, 0.003, 8 * G / 65536,
        0.004 * _DPS, 0.2 * _DPS, 1e-4, 0.003, 1000 * _DPS / 65536, 0.002,
    ),
    "phone": Grade(
        180 * _UG, 0.05, 5e-4, 0.01, 16 * G / 65536,
        0.007 * _DPS, 0.5 * _DPS, 3e-4, 0.01, 4000 * _DPS / 65536, 0.005,
    ),
    "consumer_imu": Grade(
        400 * _UG, 0.15, 1e-3, 0.02, 32 * G / 65536,
        0.005 * _DPS, 2.0 * _DPS, 5e-4, 0.02, 4000 * _DPS / 65536, 0.01,
    ),
    "breakout_imu": Grade(
        400 * _UG, (0.15, 0.6), 1e-3, (0.01, 0.03), 32 * G / 65536,
        0.007 * _DPS, (0.02, 0.15), 5e-4, (0.01, 0.03), 4000 * _DPS / 65536, 0.01,
    ),
}  # fmt: skip
"""``breakout_imu``: an uncalibrated MEMS breakout board (LSM6DS33, MPU-6050 class) as barbell
loggers use them. Accelerometer bias 0.15-0.6 m/s^2 per axis (15-61 mg: the MPU-6050 allows
+-50 mg on x and y and +-80 mg on z at 25 C, and +-35/+-60 mg more over 0-70 C, InvenSense
PS-MPU-6000A-00 rev 3.4, 6.2; the LSM6DS33's typical zero-g offset is +-40 mg) and scale
error 1-3% (MPU-6050: +-3% initial sensitivity tolerance), so gravity reads 9.6 or 10.0 m/s^2;
gyro bias up to 0.15 rad/s (8.6 deg/s, inside the LSM6DS33's typical +-10 deg/s zero-rate
level and the MPU-6050's +-20 deg/s initial ZRO tolerance, 6.1), scale 1-3% (MPU-6050 +-3%),
cross-axis 1% (1 sigma; MPU-6050 +-2%); noise 400 ug/sqrt(Hz) (MPU-6050 accelerometer PSD)
and 0.007 deg/s/sqrt(Hz) (the LSM6DS33's typical rate noise density; MPU-6050 0.005); 16-bit
words at +-16 g and +-2000 deg/s."""


def distort(
    x: Array, t: Array, rate: float, g: Grade, which: str, rng: np.random.Generator
) -> Array:
    """``x`` (N, 3) sampled at ``t`` as a sensor of grade ``g`` reads it (``which`` is "acc"
    or "gyro"): ``M (x + b(t)) + n``, quantised; see :mod:`replog.core.signal.sim`."""
    noise, walk, lsb = (
        (g.acc_noise, g.acc_walk, g.acc_lsb)
        if which == "acc"
        else (g.gyro_noise, g.gyro_walk, g.gyro_lsb)
    )
    m = np.eye(3) + np.diag(g.draw(f"{which}_scale", rng))
    m += (rng.standard_normal((3, 3)) * g.cross_axis) * (1 - np.eye(3))
    steps = rng.standard_normal((len(t), 3)) * walk * np.sqrt(np.diff(t, prepend=t[0]))[:, None]
    b = g.draw(f"{which}_bias", rng) + np.cumsum(steps, axis=0)
    y = (x + b) @ m.T + rng.standard_normal(x.shape) * noise * np.sqrt(rate / 2.0)
    return np.asarray(np.round(y / lsb) * lsb if lsb > 0 else y, dtype=np.float64)
