"""The bar's vertical acceleration from an IMU whose orientation is unknown and changing.

Theory
------
An accelerometer reads specific force ``f = R^T (a + g_up)`` in its own frame, where ``R``
turns sensor axes into the world's. Two facts make ``R`` recoverable without any still
moment:

1. **The gyroscope carries orientation over short spans.** The rotation from the first
   sample's frame to sample ``k``'s is the ordered product of the small rotations
   ``exp(w_i dt / 2)`` (quaternions). Written into that common *reference* frame, the
   specific force is ``f_ref = a_ref + g_ref``: gravity is now a constant vector, whatever
   the bar did (a curl's bar turns by ~2 rad every rep). The product is an associative
   scan, computed here in ``log2 N`` vectorised steps (Hillis & Steele 1986), so no
   per-sample Python loop touches the signal.
2. **Gravity is the slow part of the specific force.** A barbell's accelerations average to
   zero over a rep (it starts and ends still, or at a turnaround), so a zero-phase low-pass
   of ``f_ref`` (``gravity_cutoff_hz``) points along gravity. A gyro bias rotates the
   reference frame slowly (0.15 rad/s at most on cheap MEMS parts); the low-pass follows it.

The vertical acceleration is the projection ``f_ref . u`` on the unit ``u`` of that
estimate minus the gravity read along it, itself low-passed far slower
(``magnitude_cutoff_hz``, 0.02 Hz: the slow part of a lift changes the low-passed vector's
length, not its direction). Gravity is thus subtracted as the sensor measures it, scale
errors included (a reading of 9.6 or 10.0 instead of 9.81), never assumed; and never as
``|f| - g`` (a listed pitfall: it rectifies noise and cannot go below -g). Whatever slow
error is left is removed downstream, where every rep's turnarounds pin the velocity to zero
(:mod:`replog.core.signal.cycles`).

The low-pass cut-off trades two errors: too low and a gyro-bias drift of the reference
frame is followed late (tilt error), too high and it eats the slow part of the lift. 0.3 Hz
keeps a 0.15 rad/s drift's lag under 0.1 rad (a vertical error under 0.5 %) while a rep
cycle of 1.5-6 s is left to the downstream drift model, which removes what leaks.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt

from replog.core.signal.timebase import block_sums
from replog.core.signal.types import Array

__all__ = ["gravity_direction", "lowpass", "vertical_acceleration", "verticality"]


def lowpass(x: Array, cutoff_hz: float, rate_hz: float, order: int = 2) -> Array:
    """Zero-phase Butterworth low-pass along axis 0 (cut-off capped below Nyquist)."""
    wn = min(cutoff_hz, 0.45 * rate_hz) / (rate_hz / 2.0)
    if len(x) < 16:
        return x.copy()
    sos = butter(order, wn, output="sos")
    return np.asarray(sosfiltfilt(sos, x, axis=0, padtype="even"), dtype=np.float64)


def _qmul(a: Array, b: Array) -> Array:
    aw, ax, ay, az = a[:, 0], a[:, 1], a[:, 2], a[:, 3]
    bw, bx, by, bz = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    return np.stack((aw * bw - ax * bx - ay * by - az * bz,
                     aw * bx + ax * bw + ay * bz - az * by,
                     aw * by - ax * bz + ay * bw + az * bx,
                     aw * bz + ax * by - ay * bx + az * bw), axis=1)  # fmt: skip


def _prefix_product(q: Array) -> Array:
    """``out[k] = q[0] q[1] ... q[k]`` by a log-depth scan (renormalised each step)."""
    out = q.copy()
    step = 1
    while step < len(out):
        out[step:] = _qmul(out[:-step], out[step:])
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        step *= 2
    return out


def _rotate(q: Array, v: Array) -> Array:
    w, u = q[:, :1], q[:, 1:]
    t = 2.0 * np.cross(u, v)
    return np.asarray(v + w * t + np.cross(u, t), dtype=np.float64)


def _quaternions(r: Array) -> Array:
    """Unit quaternions of the rotation vectors ``r`` (N, 3)."""
    angle = np.linalg.norm(r, axis=1, keepdims=True)
    half = 0.5 * angle
    scale = np.where(angle > 1e-12, np.sin(half) / np.maximum(angle, 1e-12), 0.5)
    return np.concatenate((np.cos(half), r * scale), axis=1)


def gravity_direction(
    acc: Array, gyro: Array, rate_hz: float, cutoff_hz: float, frame_rate_hz: float = 12.5
) -> Array:
    """The unit "up" vector in the sensor's frame at every sample: the specific force
    carried by the gyroscope into the first block's frame, low-passed there, and carried
    back. Orientation only matters below ``cutoff_hz``, so it is tracked at about
    ``frame_rate_hz`` (blocks of samples: their mean force, their summed rotation, each
    step from one block's centre to the next) and interpolated to the samples: a 100 Hz
    stream costs an eighth of the rotations, and a bar turning at 3 rad/s moves 0.24 rad
    between frames, where the linear interpolation errs by under 0.01 rad (a vertical
    error under 0.005 %)."""
    k = max(1, int(rate_hz // frame_rate_hz))
    sum_f, counts = block_sums(acc, k)
    sum_w, _ = block_sums(gyro, k)
    turn = sum_w / rate_hz  # each block's rotation vector
    steps = np.zeros_like(turn)
    steps[1:] = 0.5 * (turn[:-1] + turn[1:])  # centre to centre; the first is the frame
    frames = _prefix_product(_quaternions(steps))
    f_ref = _rotate(frames, sum_f / counts[:, None])
    up_ref = lowpass(f_ref, cutoff_hz, rate_hz / k)
    up_ref /= np.maximum(np.linalg.norm(up_ref, axis=1, keepdims=True), 1e-9)
    back = frames * np.array([1.0, -1.0, -1.0, -1.0])  # the inverse rotations
    up_blocks = _rotate(back, up_ref)
    if k == 1:
        return up_blocks
    centres = np.arange(len(counts)) * k + 0.5 * (counts - 1)
    at = np.arange(len(acc), dtype=np.float64)
    up = np.column_stack([np.interp(at, centres, up_blocks[:, j]) for j in range(3)])
    return np.asarray(up / np.linalg.norm(up, axis=1, keepdims=True), dtype=np.float64)


def vertical_acceleration(
    acc: Array,
    gyro: Array,
    rate_hz: float,
    *,
    gravity_cutoff_hz: float = 0.3,
    magnitude_cutoff_hz: float = 0.02,
) -> tuple[Array, Array, Array]:
    """``(a_v, g, up)``: vertical acceleration (m/s^2, up positive) on an even grid of
    ``rate_hz``, the magnitude of gravity as the sensor read it, and the unit "up" vector in
    the sensor's frame, at each sample."""
    up = gravity_direction(acc, gyro, rate_hz, gravity_cutoff_hz)
    along = np.sum(acc * up, axis=1)
    # the direction follows at gravity_cutoff_hz; the magnitude must not: the slow part of
    # the lift's own vertical acceleration changes the low-passed vector's length, not its
    # direction, and subtracting it would high-pass the lift away
    g = lowpass(along, magnitude_cutoff_hz, rate_hz)
    return along - g, g, up


def verticality(
    acc: Array, up: Array, rate_hz: float, band_hz: tuple[float, float] = (0.2, 3.0)
) -> float:
    """How vertical the movement was: the RMS of the vertical displacement over that of the
    horizontal one, both from the acceleration in the band where lifting happens
    (``band_hz``, integrated twice in the frequency domain, so that movement outweighs the
    sensor's white noise, which has two horizontal axes to one vertical). Gravity has no
    horizontal part, so the horizontal specific force is the sensor's horizontal
    acceleration. A bar moves up and down (squat, bench, deadlift, press, row); a curl's bar
    swings an arc; a wrist moving about while its owner sits or stands moves every way."""
    if len(acc) < 32:
        return float("inf")
    along = np.sum(acc * up, axis=1)
    across = acc - along[:, None] * up
    n = len(acc)
    m = int(2 ** np.ceil(np.log2(2 * n)))
    f = np.fft.rfftfreq(m, 1.0 / rate_hz)
    gain = ((f >= band_hz[0]) & (f <= band_hz[1])) / (2.0 * np.pi * np.maximum(f, 1e-9)) ** 2

    def energy(x: Array) -> float:
        spec = np.fft.rfft(x - np.mean(x, axis=0), m, axis=0)
        return float(np.sum(np.abs(spec) ** 2 * (gain**2).reshape(-1, *([1] * (x.ndim - 1)))))

    den = energy(across)
    return float(np.sqrt(energy(along) / den)) if den > 0 else float("inf")
