"""Stillness (zero-velocity) detection for the IMU pipeline (DESIGN.md 3, "Sensor processing").

Theory
------
Skog, Handel, Nilsson & Rantakokko 2010 ("Zero-velocity detection - an algorithm
evaluation", IEEE Trans Biomed Eng 57:2657) compare detectors that decide, over a short
window of samples, whether an inertial sensor is at rest; their SHOE detector (stance
hypothesis optimal estimation) is a GLRT whose statistic adds the accelerometer's spread
about the gravity direction and the gyroscope's energy, each scaled by its noise variance.
RepLog uses the same two ingredients as two separate tests, *both* of which must pass:

* **accelerometer variance**: the summed per-axis variance of the specific force over a
  centred window of ``window_s`` seconds, below ``acc_var_threshold`` ((m/s^2)^2). The
  variance (not the distance of ``|a|`` from 9.80665) is used because the accelerometer's
  scale error makes ``|a|`` at rest differ from standard gravity by up to ~1-2%, which is far
  larger than its noise;
* **gyroscope energy**: the mean of ``|w - b0|^2`` over the same window, below
  ``gyro_threshold^2``, where ``b0`` is the gyroscope's mean over the first
  ``bias_s`` seconds of the stream (recordings start with the bar at rest; if that stretch
  is not calm by the accelerometer test, ``b0 = 0``). The gyro test catches slow, heavy
  reps whose acceleration is too smooth for the variance test: the bar rolls as it moves.

:func:`calm2` adds a weak variant of the gravity-magnitude test (wider threshold, stricter
gyro test) for rests where a rolled bar makes a scale-erroneous accelerometer read a
different gravity; :mod:`replog.core.signal.imu` accepts such rests only after checks
against the previous rest and the integrated velocity.

A run of "calm" samples shorter than ``min_still_s`` is treated as motion: a false rest
inside a movement would force a moving bar's velocity to zero, which is far worse than
missing a short real rest (that only lengthens the movement integrated between rests).

Why these numbers (defaults of :class:`~replog.core.signal.imu.ImuConfig`):

* ``window_s = 0.15`` s: 7-9 samples at 50-60 Hz, 30 at 200 Hz, enough to average noise, and
  half the shortest realistic hold (0.3 s at the top between reps);
* ``acc_var_threshold = 0.015``: about 3x the summed white-noise variance of a consumer MEMS
  accelerometer (400 ug/sqrt(Hz)) at 200 Hz, or of browser values rounded to 0.1 m/s^2;
  a lifted bar's acceleration changes by tenths of m/s^2 within 0.15 s;
* ``gyro_threshold = 0.09`` rad/s (5 deg/s; 0.15 let a bar lowered at constant speed, rolling
  at ~0.1 rad/s, pass as still): above the slow wobble of a bar held still
  (~1 deg/s) plus the residual of a consumer gyro's bias, below the roll rate of a bar in
  motion (hands and back roll the bar by 10-40 degrees over the range of motion);
* ``min_still_s = 0.2`` s.

The detector is local (each sample's decision depends on samples within half a window of
it, plus the fixed ``b0``), so the streaming face decides each sample once it has seen half
a window past it and agrees with the batch face.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from replog.core.signal.types import Array, G


def window_half(t: Array, window_s: float) -> int:
    """Half-width in samples of a centred window of ``window_s`` seconds (from the median
    sampling interval, so irregular and dropped samples do not change it)."""
    if len(t) < 2:
        return 1
    dt = float(np.median(np.diff(t)))
    return max(1, round(window_s / dt / 2.0))


def _moving_mean(x: Array, h: int) -> Array:
    """Centred moving mean over ``2h + 1`` samples along axis 0, shrunk at the ends (one
    cumulative sum, differenced by slices: gathering by index cost twice as much)."""
    n = len(x)
    x = np.asarray(x, dtype=np.float64)
    c = np.empty((n + 1, *x.shape[1:]))
    c[0] = 0.0
    np.cumsum(x, axis=0, out=c[1:])
    k = min(h, n)
    hi = np.empty_like(c[1:])  # c[min(i + h + 1, n)]
    hi[: n - k] = c[k + 1 :]
    hi[n - k :] = c[n]
    lo = np.empty_like(hi)  # c[max(i - h, 0)]
    lo[:k] = c[0]
    lo[k:] = c[: n - k]
    idx = np.arange(n)
    count = (np.minimum(idx + h + 1, n) - np.maximum(idx - h, 0)).astype(np.float64)
    hi -= lo
    hi /= count.reshape((n,) + (1,) * (x.ndim - 1))
    return hi


def calm(
    acc: Array,
    gyro: Array,
    ref: Reference,
    h: int,
    acc_var: float,
    gyro_thr: float,
    g_thr: float,
    g_weak: float,
    gyro_weak: float,
) -> tuple[Array, Array]:
    """Per-sample "calm" decisions of the window tests (before the run-length rule): under
    the weak gravity test (``g_weak`` with the stricter ``gyro_weak``) and the strict one."""
    mean = _moving_mean(acc, h)
    mean_sq = _moving_mean(acc * acc, h)
    var = np.sum(np.maximum(mean_sq - mean * mean, 0.0), axis=1)
    w = gyro - ref.bias
    energy = _moving_mean(np.sum(w * w, axis=1), h)
    mag = np.abs(np.linalg.norm(mean, axis=1) - ref.g)
    base = (var < acc_var) & (energy < gyro_thr * gyro_thr)
    weak = base & (energy < gyro_weak * gyro_weak) & (mag < g_weak + ref.g_slack)
    weak |= base & (mag < g_thr + ref.g_slack)
    strict = base & (mag < g_thr + ref.g_slack)
    return np.asarray(weak, dtype=bool), np.asarray(strict, dtype=bool)


def moving_share(mask: Array, k: int, share: float) -> Array:
    """Whether more than ``share`` of the samples within ``k`` of each one (centred, shrunk
    at the ends) are True."""
    return np.asarray(_moving_mean(np.asarray(mask, dtype=np.float64), k) > share, dtype=bool)


def runs(mask: Array) -> list[tuple[int, int]]:
    """Maximal runs of True as ``(first, last)`` sample indices (inclusive)."""
    m = np.concatenate(([False], np.asarray(mask, dtype=bool), [False]))
    d = np.diff(m.astype(np.int8))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def rests(t: Array, mask: Array, min_still_s: float) -> list[tuple[int, int]]:
    """Calm runs lasting at least ``min_still_s`` seconds: the still periods."""
    return [(a, b) for a, b in runs(mask) if t[b] - t[a] >= min_still_s]


@dataclass(frozen=True, slots=True)
class Reference:
    """What the detector compares against: gyro bias ``bias`` (rad/s) and the gravity the
    accelerometer reads at rest ``g`` (m/s^2), from the opening stretch; ``g_slack`` widens
    the gravity test when that stretch was not calm and ``g`` is only the nominal value."""

    bias: Array
    g: float
    g_slack: float


def reference(t: Array, acc: Array, gyro: Array, bias_s: float, acc_var: float) -> Reference:
    """The gyro mean and the specific force's norm over the first ``bias_s`` seconds if
    that stretch is calm by the accelerometer test (the slack is then the rounding error
    of the readings); else no bias, nominal gravity and a slack of 0.3 m/s^2 (a 3% scale
    error)."""
    k = int(np.searchsorted(t, t[0] + bias_s))
    seg = acc[:k]
    if k < 3 or float(np.sum(np.var(seg, axis=0))) >= acc_var:
        return Reference(np.zeros(3), G, 0.3)
    g = float(np.linalg.norm(np.mean(seg, axis=0)))
    return Reference(np.asarray(np.mean(gyro[:k], axis=0), dtype=np.float64), g,
                     _resolution(seg) * np.sqrt(3.0) / 2.0)  # fmt: skip


def _resolution(seg: Array) -> float:
    """The accelerometer's output step (largest over the axes of the smallest change between
    distinct readings): browsers round to 0.1 m/s^2, and a still sensor's rounding error is
    then a constant offset of up to half a step per axis, not averaged away by the window."""
    steps = []
    for i in range(seg.shape[1]):
        u = np.unique(seg[:, i])
        if len(u) > 1:
            steps.append(float(np.min(np.diff(u))))
    return max(steps) if steps else 0.0
