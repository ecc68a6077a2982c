"""Tilt tracking between rests for the IMU pipeline (DESIGN.md 3, "Sensor processing").

Theory
------
Only the *vertical* component of the bar's acceleration is needed, so the orientation
problem reduces to knowing, at every sample, the world's "up" direction in the sensor frame.

1. **At rest** the accelerometer reads the specific force ``f = R^T (0, 0, g)``: its mean
   over a still period *is* "up" in the sensor frame, and its norm is the gravity the sensor
   measures (the accelerometer's scale error makes this differ from 9.80665 m/s^2 by up to a
   few tenths; measuring it rather than assuming it keeps that error out of the integral).
   The gyroscope's mean over a still period is its bias (the bar's slow wobble at rest is a
   small, zero-mean disturbance of that estimate).
2. **In motion** the attitude is propagated with the bias-corrected gyroscope, the
   strapdown update ``C_k = C_{k-1} exp([w_k dt]x)`` (Rodrigues' formula on the mean rate
   of each interval, using the actual ``dt`` so irregular timestamps are handled). ``C_k``
   maps the sensor frame at sample ``k`` to the frame of the rest that began the movement.
   The products are formed with a parallel prefix scan (Hillis & Steele 1986) of 3x3
   matrices, O(N log N) vectorised work instead of a Python loop.
3. **Tilt correction from gravity, only when still.** Instead of a continuously running
   complementary filter (Mahony, Hamel & Pflimlin 2008, IEEE TAC 53:1203) - whose
   accelerometer correction is wrong whenever the bar accelerates - the accelerometer
   corrects the attitude only at rests: the movement is bracketed by the up vector measured
   at the rest before (``u0``) and after it (``u1``, carried into the start frame by
   ``C_N``). Gyro errors (residual bias, scale) make the two disagree by an angle that grows
   roughly linearly over the movement; "up" at sample ``k`` is the normalised linear blend
   ``(1 - w) u0 + w C_N u1``, ``w`` the fraction of the movement's time elapsed. This is the
   forward-backward (smoothing) form of a stillness-gated tilt correction: the bar's roll of
   tens of degrees is followed by the gyro, the slow drift is removed by gravity at rests.

The vertical acceleration is ``(C_k f_k) . up_k - g_k`` where ``g_k`` blends the gravity
measured at the two rests the same way. It is never ``|f| - g`` (that mixes horizontal
acceleration and rotation into the vertical, a pitfall of DESIGN.md 3).
"""

from __future__ import annotations

import numpy as np

from replog.core.signal.types import Array


def _rodrigues(theta: Array) -> Array:
    """Rotation matrices ``exp([theta]x)`` for rotation vectors ``theta`` (N, 3)."""
    ang = np.linalg.norm(theta, axis=1)
    small = ang < 1e-8
    safe = np.where(small, 1.0, ang)
    s = np.where(small, 1.0 - ang**2 / 6.0, np.sin(ang) / safe)
    c = np.where(small, 0.5 - ang**2 / 24.0, (1.0 - np.cos(ang)) / (safe * safe))
    x, y, z = theta[:, 0], theta[:, 1], theta[:, 2]
    k = np.zeros((len(theta), 3, 3))
    k[:, 0, 1], k[:, 0, 2] = -z, y
    k[:, 1, 0], k[:, 1, 2] = z, -x
    k[:, 2, 0], k[:, 2, 1] = -y, x
    k2 = k @ k
    eye = np.broadcast_to(np.eye(3), k.shape)
    return np.asarray(eye + s[:, None, None] * k + c[:, None, None] * k2, dtype=np.float64)


def attitude(t: Array, gyro: Array) -> Array:
    """``C_k`` (N, 3, 3): sensor frame at sample ``k`` to the sensor frame at sample 0,
    from body rates ``gyro`` (rad/s, bias already removed) on time axis ``t``."""
    n = len(t)
    out = np.empty((n, 3, 3))
    out[0] = np.eye(3)
    if n == 1:
        return out
    dt = np.diff(t)
    w = 0.5 * (gyro[1:] + gyro[:-1])
    p = _rodrigues(w * dt[:, None])
    s = 1
    while s < len(p):  # inclusive prefix product p[0] @ p[1] @ ... @ p[k]
        p[s:] = p[:-s] @ p[s:]
        s *= 2
    out[1:] = p
    return out


def vertical_acceleration_and_up(
    t: Array,
    acc: Array,
    gyro: Array,
    up0: Array,
    up1: Array,
    g0: float,
    g1: float,
) -> tuple[Array, Array]:
    """Vertical acceleration (m/s^2, up positive, gravity removed) over one movement whose
    first sample is in the rest measuring ``up0``/``g0`` and whose last sample is in the rest
    measuring ``up1``/``g1`` (unit up vectors in the sensor frame at those samples); and the
    unit up vector in the sensor frame of every sample (N, 3), the regressor of the
    accelerometer calibration in :mod:`replog.core.signal.imu`."""
    c = attitude(t, gyro)
    f0 = np.einsum("nij,nj->ni", c, acc)  # specific force in the start frame
    u_end = c[-1] @ up1
    span = t[-1] - t[0]
    w = (t - t[0]) / span if span > 0 else np.zeros_like(t)
    up = (1.0 - w)[:, None] * up0 + w[:, None] * u_end
    up /= np.linalg.norm(up, axis=1)[:, None]
    g = (1.0 - w) * g0 + w * g1
    up_sensor = np.einsum("nji,nj->ni", c, up)  # C_k^T up_k
    return np.asarray(np.sum(f0 * up, axis=1) - g, dtype=np.float64), up_sensor
