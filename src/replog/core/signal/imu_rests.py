"""Six-axis IMU streams to reps when the bar rests between movements (DESIGN.md 2.1-2.2 and 3).

The rest-anchored half of :mod:`replog.core.signal.imu`: where a recording has still
moments around its movements they give the most exact zero-velocity updates and an
accelerometer calibration, and this pipeline is used; a continuous set (no rests) goes to
the turnaround-anchored one (:mod:`replog.core.signal.cycles`).

Pipeline
--------
1. **Stillness** (:mod:`replog.core.signal.stillness`): a SHOE-style detector (Skog et al.
   2010) marks the rests - accelerometer variance and bias-corrected gyro energy over a
   0.15 s window both under their thresholds for at least 0.2 s.
   A second, *weak* gravity test (``gravity_weak_threshold``, with a stricter gyro test
   ``gyro_weak_threshold``) admits rests where the bar has rolled: with per-axis scale
   errors of 1-2% the gravity the sensor reads changes by up to ~0.2 m/s^2 as the bar rolls
   by tens of degrees (the top hold of a deadlift), which the strict test against the
   opening rest misses. Weak samples count only at least ``weak_margin_s`` from strict
   ones (so they never stretch a strict rest into the end of a movement), and a weak rest
   is accepted only if (a) the change of the gravity reading since the previous rest is
   within what the roll explains, ``gravity_threshold + (scale_envelope g + bias_envelope)
   |u1 - u0|`` (the nearest confirmed rest is the reference, not the opening second), and
   (b) the velocity integrated up to it, calibrated as in step 4 from the past only, is
   below ``weak_rest_velocity``: the integrated-velocity check that splits a movement at a
   plausible rest and rejects a slowly accelerating bar. A weak rest that fails (a) or
   (b) is still a rest once it has lasted ``long_rest_s`` (2 s): no barbell glides at a
   constant velocity that long. Without this, turning the bar in the rack between sets
   (by up to 200 degrees in the simulator's sessions) moved the gravity reading out of the
   strict test for good, the next set's rests all failed (b), and the set was lost.
2. **Calibration at rest**: for each movement the gyro bias is the mean rate over the last
   ``rest_calib_s`` seconds of the rest before it and the first ``rest_calib_s`` seconds of
   the rest after it; "up" and the gravity the accelerometer measures (its norm: scale
   errors make it differ from 9.80665) come from the mean specific force over those same
   stretches, separately for each rest.
3. **Orientation** (:mod:`replog.core.signal.orientation`): strapdown attitude from the
   bias-corrected gyro across the movement, tilt pinned by gravity at both rests (a
   stillness-gated correction, the accelerometer is never trusted while the bar moves), so
   a bar rolling by tens of degrees is followed. The specific force is rotated into that
   frame and the measured gravity is subtracted: the vertical acceleration, never
   ``|a| - 1 g``.
4. **Per-movement integration with zero-velocity updates**: between two rests the vertical
   acceleration is integrated (trapezoid on the actual ``dt``) to velocity. The bar is at
   rest at both ends, so the velocity the integral reaches at the end rest is pure error;
   with a constant acceleration error (a residual bias or gravity mismatch) that error grows
   linearly in time, and subtracting ``v_end * (t - t0) / (t1 - t0)`` removes it exactly -
   the standard ZUPT drift correction of foot-mounted inertial navigation (Foxlin 2005,
   IEEE CG&A 25(6):38; Skog et al. 2010). Before that linear correction the
   roll-dependent part of the gravity error is removed (:class:`_Calibration`): to first
   order a scale / cross-axis matrix ``I + E`` and bias ``b`` make the gravity read at up
   direction ``u`` (sensor frame) ``G + G u^T E u + b . u``; every rest gives one such
   equation and every movement one more (the integral of the error, relative to the blend
   of its two rests, equals the raw end velocity). A ridge-regularised least-squares
   estimate over all accepted movements so far (multi-position calibration, Skog & Handel
   2006; Frosio et al. 2009) predicts the error along the gyro-tracked up vector at every
   sample. Older evidence is discounted with a time constant of ``calibration_memory_s``
   (10 min), so a bias that random-walks over an hour of training is tracked rather than
   averaged: on a simulated hour from one phone this took the MCV RMSE from 0.027 to
   0.010 m/s (``benchmarks/bench_sensor.py``, ``one_hour``). It is sequential and causal,
   so batch and streaming agree exactly. The corrected velocity is integrated to
   displacement. At rest velocity is 0 and displacement is held. No dead band, no decay
   and no threshold ever touches the velocity (pitfalls of DESIGN.md 3).
   A movement that contains a gap longer than ``max_gap_s``, lasts longer than
   ``max_movement_s`` or lacks a rest at either end (the stream starts or stops while the
   bar moves) cannot be corrected and is left flat: it yields no reps, never wrong ones.
5. **Segmentation**: ``t``, displacement, velocity and where the bar was still (calm,
   as found in step 1) go to :func:`~replog.core.signal.segment.segment_reps` (the
   acceleration for the -g rule of MPV is derived there from the velocity).

Two faces, one algorithm: :func:`reps_from_imu` (batch) and :class:`ImuRepDetector`
(streaming: ``update(t, acc, gyro)`` returns the reps completed so far). A movement's reps
can only be final once the rest after it is seen, so the streaming face emits them then.
Both run the same incremental integrator; only the last step differs
(:func:`segment_reps` over the whole series versus :class:`RepSegmenter` fed as it grows).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from replog.core.errors import ValidationError
from replog.core.signal import stillness as st
from replog.core.signal.orientation import vertical_acceleration_and_up
from replog.core.signal.segment import RepSegmenter, SegmentConfig, segment_reps
from replog.core.signal.types import Array, DetectedRep, G, ImuStream, imu_chunk

__all__ = ["ImuConfig", "ImuRepDetector", "imu_kinematics", "reps_from_imu"]


@dataclass(frozen=True, slots=True)
class ImuConfig:
    """Parameters of the IMU pipeline (reasons in :mod:`replog.core.signal.stillness` and
    the module docstring)."""

    window_s: float = 0.15  # stillness window (centred)
    acc_var_threshold: float = 0.015  # (m/s^2)^2, summed over the three axes
    gyro_threshold: float = 0.09  # rad/s, RMS of the bias-corrected rate over the window
    gravity_threshold: float = 0.10  # m/s^2, | |mean f| - g at rest | over the window
    gravity_weak_threshold: float = 0.5  # m/s^2, the same for a weak rest (rolled bar)
    gyro_weak_threshold: float = 0.05  # rad/s, the gyro test of a weak rest
    scale_envelope: float = 0.05  # accelerometer scale difference between axes (fraction)
    bias_envelope: float = 0.3  # m/s^2, accelerometer bias
    weak_margin_s: float = 0.5  # s, how far a weak rest must be from a strict one
    weak_margin_share: float = 0.1  # (a share of strict samples in that margin)
    weak_rest_velocity: float = 0.08  # m/s, calibrated velocity a weak rest must show
    min_still_s: float = 0.2  # shortest rest
    calibration_memory_s: float = 600.0  # time constant of the calibration's memory
    long_rest_s: float = 2.0  # a weak rest this long is a rest (no barbell glides that long)
    bias_s: float = 1.0  # opening stretch whose gyro mean is the detector's bias
    rest_calib_s: float = 0.5  # stretch of each rest used for bias, up and gravity
    max_gap_s: float = 0.25  # a longer gap inside a movement makes it unusable
    max_movement_s: float = 60.0  # longer movements drift too much to integrate
    zupt_velocity: float = 0.25  # m/s: integrated velocity at a rest beyond
    zupt_velocity_rate: float = 0.05  # this + rate x duration (m/s^2) rejects the rest
    # a set's first rep is judged against the next one (a partial move before the set is
    # not a rep), as for the position transducer: the first rep is emitted a rep later
    segment: SegmentConfig = field(default_factory=lambda: SegmentConfig(confirm_s=10.0))

    def __post_init__(self) -> None:
        names = ("window_s", "acc_var_threshold", "gyro_threshold", "gravity_threshold",
                 "min_still_s", "bias_s", "rest_calib_s", "max_gap_s", "max_movement_s",
                 "zupt_velocity", "gravity_weak_threshold", "weak_rest_velocity", "scale_envelope",
                 "weak_margin_s", "weak_margin_share", "bias_envelope",
                 "gyro_weak_threshold", "long_rest_s", "calibration_memory_s")  # fmt: skip
        for name in names:
            value = getattr(self, name)
            if not (np.isfinite(value) and value > 0):
                raise ValidationError(f"{name} must be a finite number > 0", field=name)


# accelerometer calibration (see _Calibration): prior spreads and observation noise
_PRIOR = np.array([0.03] * 6 + [0.2] * 3)  # scale/cross terms (fraction), bias (m/s^2)
_SIGMA_V = 0.03  # m/s, velocity left at a rest by everything but the calibration error
_SIGMA_G = 0.03  # m/s^2, gravity read at a rest (noise, local g within 0.3%)


def _phi(u: Array) -> Array:
    """Regressors of the gravity reading's error at unit up vectors ``u`` (N, 3) in the
    sensor frame: ``G u^T E u + b . u`` with ``E`` symmetric (6 terms) and ``b`` (3)."""
    x, y, z = u[:, 0], u[:, 1], u[:, 2]
    return np.stack((G * x * x, G * y * y, G * z * z, G * 2 * x * y, G * 2 * x * z,
                     G * 2 * y * z, x, y, z), axis=1)  # fmt: skip


class _Calibration:
    """Sequential least-squares estimate of the accelerometer's scale/cross-axis matrix and
    bias from what a set offers: each rest reads ``|f| = G + G u^T E u + b . u`` (first order
    in the errors), and each movement's velocity at the rest ending it must be zero, i.e. the
    integral of the gravity-reading error as the bar rolls equals the raw end velocity. This
    is the multi-position calibration of accelerometers from static orientations
    (Skog & Handel 2006, "Calibration of a MEMS inertial measurement unit", XVII IMEKO;
    Frosio et al. 2009, IEEE TIM 58:2034), extended with the zero-velocity equations of
    the movements between rests; a Gaussian prior (ridge, the grade's error magnitudes)
    keeps the unobserved directions at zero."""

    def __init__(self, memory_s: float) -> None:
        self.prior = np.diag(1.0 / _PRIOR**2)
        self.ata = self.prior
        self.aty = np.zeros(9)
        self.memory_s = memory_s
        self.t_last: float | None = None

    def with_rows(self, rows: Array, y: Array, sigma: Array, t_now: float) -> tuple[Array, Array]:
        """The normal equations with ``rows`` added, older evidence discounted by
        ``exp(-age / memory_s)`` (a bias that random-walks is tracked, not averaged)."""
        keep = 1.0 if self.t_last is None else float(np.exp(-(t_now - self.t_last) / self.memory_s))
        w = 1.0 / sigma**2
        ata = self.prior + keep * (self.ata - self.prior) + (rows.T * w) @ rows
        return ata, keep * self.aty + rows.T @ (w * y)

    def accept(self, ata: Array, aty: Array, t_now: float) -> None:
        self.ata, self.aty, self.t_last = ata, aty, t_now

    def solve(self, ata: Array, aty: Array) -> Array:
        return np.asarray(np.linalg.solve(ata, aty), dtype=np.float64)


class _Growing:
    """An append-only 1-D array with amortised O(1) appends (capacity doubling), so that a
    stream fed in tiny chunks costs O(N) over its life rather than the O(N^2) of
    concatenating the whole history at every update."""

    def __init__(self, dtype: type) -> None:
        self._data: Array = np.empty(64, dtype=dtype)
        self._n = 0

    def extend(self, x: Array) -> None:
        need = self._n + len(x)
        if need > len(self._data):
            grown = np.empty(max(need, 2 * len(self._data)), dtype=self._data.dtype)
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n : need] = x
        self._n = need

    def view(self) -> Array:
        return self._data[: self._n]


def _cumtrapz(y: Array, t: Array) -> Array:
    out = np.zeros_like(y)
    out[1:] = np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(t))
    return out


class _Integrator:
    """Stillness, calibration, orientation and ZUPT integration, fed in chunks; emits
    ``(t, displacement, velocity)`` for every sample once it can no longer change."""

    def __init__(self, cfg: ImuConfig) -> None:
        self.cfg = cfg
        self._t = np.empty(0)  # raw buffer (global index self._base onward)
        self._acc = np.empty((0, 3))
        self._gyro = np.empty((0, 3))
        self._base = 0
        self._all_t = _Growing(np.float64)  # every time stamp (for run lengths)
        self._calm_buf = _Growing(np.bool_)  # settled calm decisions (weak rests too), global
        self._strict_buf = _Growing(np.bool_)  # the same under the strict gravity test
        self._h: int | None = None
        self._k = 0  # half-width (samples) of the margin between weak and strict rests
        self._ref = st.Reference(np.zeros(3), 9.80665, 0.3)
        self._emitted = 0  # global index: samples before it have been emitted
        self._d = 0.0  # displacement carried to the next sample
        self._pending: tuple[Array, Array] | None = None  # integrated movement (v, d)
        self._prev_rest: tuple[int, int] | None = None  # last closed rest (widened)
        self._prev_run = 0  # first calm sample of that rest's run
        self._rejected: set[int] = set()  # calm runs that failed the ZUPT check
        self._cal = _Calibration(cfg.calibration_memory_s)
        self.v_ends: list[tuple[float, float]] = []  # (duration, raw end velocity)
        self.flags: list[str] = []
        self.n = 0

    # -- input -------------------------------------------------------------------------
    def add(self, t: Array, acc: Array, gyro: Array) -> None:
        if len(self._t) and len(t) and t[0] <= self._t[-1]:
            raise ValidationError("time does not increase across chunks", field="t")
        self._t = np.concatenate((self._t, t))
        self._acc = np.concatenate((self._acc, acc))
        self._gyro = np.concatenate((self._gyro, gyro))
        self._all_t.extend(t)
        self.n += len(t)

    def _time(self) -> Array:
        return self._all_t.view()

    @property
    def _calm(self) -> Array:
        return self._calm_buf.view()

    @property
    def _strict(self) -> Array:
        return self._strict_buf.view()

    # -- processing --------------------------------------------------------------------
    def step(self, final: bool) -> tuple[Array, Array, Array, NDArray[np.bool_]]:
        """Advance; return the newly settled ``(t, d, v, still)`` samples (``still``: see
        :meth:`_still`)."""
        cfg = self.cfg
        tg = self._time()
        if self._h is None:
            if tg[-1] - tg[0] < cfg.bias_s and not final:
                return (*_empty(), np.zeros(0, dtype=np.bool_))
            k = max(2, int(np.searchsorted(tg, tg[0] + cfg.bias_s)))
            self._h = st.window_half(tg[:k], cfg.window_s)
            self._k = st.window_half(tg[:k], 2.0 * cfg.weak_margin_s)
            self._ref = st.reference(tg, self._acc, self._gyro, cfg.bias_s,
                                     cfg.acc_var_threshold)  # fmt: skip
        h = self._h
        # settle calm decisions whose whole window is in the buffer
        first = len(self._calm) - self._base
        last = len(self._t) if final else len(self._t) - h - self._k
        if last > first:
            weak, strict = st.calm(self._acc, self._gyro, self._ref, h, cfg.acc_var_threshold,
                                    cfg.gyro_threshold, cfg.gravity_threshold,
                                    cfg.gravity_weak_threshold,
                                    cfg.gyro_weak_threshold)  # fmt: skip
            # a weak sample counts only far (weak_margin_s) from any strict one, so the
            # weak test never stretches a strict rest into the end of a movement
            near = st.moving_share(strict, self._k, cfg.weak_margin_share)
            calm = np.logical_or(strict, np.logical_and(weak, np.logical_not(near)))
            self._calm_buf.extend(calm[first:last])
            self._strict_buf.extend(strict[first:last])
        settled = len(self._calm)
        e0 = self._emitted
        t, d, v = self._advance(tg, settled, final)
        still = self._still(e0, self._emitted)
        self._trim(settled)
        return t, d, v, still

    def _still(self, i0: int, i1: int) -> NDArray[np.bool_]:
        """Whether each sample ``i0 .. i1 - 1`` lies in a calm window (a calm decision within
        ``h`` samples): the bar is still there, whether or not the rest was accepted for
        a zero-velocity update. The segmentation starts no concentric inside such a span."""
        h = self._h or 1
        calm = self._calm
        lo, hi = max(0, i0 - h), min(len(calm), i1 + h)
        c = np.concatenate(([0], np.cumsum(calm[lo:hi], dtype=np.int64)))
        idx = np.arange(i0, i1)
        a = np.clip(idx - h - lo, 0, hi - lo)
        b = np.clip(idx + h + 1 - lo, 0, hi - lo)
        return np.asarray(c[b] - c[a] > 0)

    def _advance(self, tg: Array, settled: int, final: bool) -> tuple[Array, Array, Array]:
        cfg = self.cfg
        off = self._prev_run if self._prev_rest is not None else 0
        found = [(a + off, b + off) for a, b in st.runs(self._calm[off:])]
        chunks: list[tuple[Array, Array, Array]] = []
        h = self._h or 1
        for ra, rb in found:
            closed = rb < settled - 1 or final
            if tg[rb] - tg[ra] < cfg.min_still_s:
                if closed:
                    continue
                break  # an open run that may still become a rest
            if ra in self._rejected:
                if closed:
                    continue
                break
            # a calm window centred on ra (rb) vouches for h samples before (after) it
            a, b = max(ra - h, 0), min(rb + h, self.n - 1)
            if closed and b < self._emitted:
                self._prev_rest, self._prev_run = (a, b), ra
                continue
            if a >= self._emitted:
                calib_end = int(np.searchsorted(tg, tg[a] + cfg.rest_calib_s))
                if not closed and calib_end > min(b, rb):
                    break  # rest under way, its calibration stretch not complete yet
                if a > self._emitted:  # the movement before this rest
                    weak = not self._strong(tg, ra, min(rb, calib_end))
                    long = tg[rb] - tg[ra] >= cfg.long_rest_s
                    mv = self._movement(tg, a, min(b, calib_end), weak and not long)
                    if mv is None and weak and not long and not closed:
                        break  # a weak rest failing its checks may yet prove long: wait
                    if mv is None:  # not a rest after all: the bar kept moving
                        self._rejected.add(ra)
                        if closed:
                            continue
                        break
                    chunks.append(mv)
            # the rest itself: flat, emitted as far as it is known
            upto = b + 1 if closed else settled
            if upto > self._emitted:
                chunks.append(self._flat(tg, self._emitted, upto))
            if not closed:
                break
            self._prev_rest, self._prev_run = (a, b), ra
        if final and self._emitted < self.n:
            chunks.append(self._flat(tg, self._emitted, self.n))  # trailing motion
        if not chunks:
            return _empty()
        return (np.concatenate([c[0] for c in chunks]),
                np.concatenate([c[1] for c in chunks]),
                np.concatenate([c[2] for c in chunks]))  # fmt: skip

    def _flat(self, tg: Array, i0: int, i1: int) -> tuple[Array, Array, Array]:
        self._emitted = i1
        return tg[i0:i1], np.full(i1 - i0, self._d), np.zeros(i1 - i0)

    def _strong(self, tg: Array, i0: int, i1: int) -> bool:
        """Whether the calm run from ``i0`` is a rest by the strict gravity test (a run is
        either all strict or all weak)."""
        return bool(self._strict[i0])

    def _movement(
        self, tg: Array, a1: int, c1: int, weak: bool = False
    ) -> tuple[Array, Array, Array] | None:
        """Integrate from the end of the previous rest to the start ``a1`` of the next one
        (whose calibration stretch ends at ``c1``) and emit samples before ``a1``."""
        cfg = self.cfg
        i_emit = self._emitted
        prev = self._prev_rest
        if prev is None or prev[1] + 1 != i_emit:
            return self._flat(tg, i_emit, a1)  # no rest before it: cannot integrate
        i0 = prev[1]
        t_mv = tg[i0 : a1 + 1]
        if (t_mv[-1] - t_mv[0] > cfg.max_movement_s
                or float(np.max(np.diff(t_mv))) > cfg.max_gap_s):  # fmt: skip
            self.flags.append("unintegrated_movement")
            return self._flat(tg, i_emit, a1)
        c0 = max(prev[0], int(np.searchsorted(tg, tg[i0] - cfg.rest_calib_s)))
        r = self._base
        s0, s1 = slice(c0 - r, i0 + 1 - r), slice(a1 - r, c1 + 1 - r)
        bias = np.mean(np.concatenate((self._gyro[s0], self._gyro[s1])), axis=0)
        f0, f1 = np.mean(self._acc[s0], axis=0), np.mean(self._acc[s1], axis=0)
        g0, g1 = float(np.linalg.norm(f0)), float(np.linalg.norm(f1))
        if g0 <= 0 or g1 <= 0:
            return self._flat(tg, i_emit, a1)
        mv = slice(i0 - r, a1 + 1 - r)
        acc_v, up = vertical_acceleration_and_up(t_mv, self._acc[mv], self._gyro[mv] - bias,
                                                 f0 / g0, f1 / g1, g0, g1)  # fmt: skip
        # the gravity-reading error as the bar rolls, relative to the blend of the two rests
        span = float(t_mv[-1] - t_mv[0])
        w = ((t_mv - t_mv[0]) / span)[:, None]
        p0, p1 = _phi((f0 / g0)[None]), _phi((f1 / g1)[None])
        psi = _phi(up) - (1.0 - w) * p0 - w * p1
        v_raw = _cumtrapz(acc_v, t_mv)
        row = np.sum(0.5 * (psi[1:] + psi[:-1]) * np.diff(t_mv)[:, None], axis=0)
        rows = np.vstack((row, p0[0], p1[0]))
        y = np.array([v_raw[-1], g0 - G, g1 - G])
        sig = np.array([_SIGMA_V, _SIGMA_G, _SIGMA_G])
        if weak:  # a rest by the weak gravity test is real only if the change of the gravity
            # reading since the previous rest is explained by the bar's roll (a scale error of
            # up to scale_envelope between axes) and the calibrated velocity reaching it is ~0
            du = float(np.linalg.norm(f1 / g1 - f0 / g0))
            envelope = cfg.scale_envelope * G + cfg.bias_envelope
            if abs(g1 - g0) > cfg.gravity_threshold + envelope * du:
                return None
            ata, aty = self._cal.with_rows(rows[1:2], y[1:2], sig[1:2], float(t_mv[-1]))
            v_chk = _cumtrapz(acc_v - psi @ self._cal.solve(ata, aty), t_mv)[-1]
            if abs(v_chk) > cfg.weak_rest_velocity:
                return None
        ata, aty = self._cal.with_rows(rows, y, sig, float(t_mv[-1]))
        acc_v = acc_v - psi @ self._cal.solve(ata, aty)
        v = _cumtrapz(acc_v, t_mv)
        self.v_ends.append((span, float(v[-1])))
        if abs(v[-1]) > cfg.zupt_velocity + cfg.zupt_velocity_rate * span:
            return None
        self._cal.accept(ata, aty, float(t_mv[-1]))
        v -= v[-1] * (t_mv - t_mv[0]) / (t_mv[-1] - t_mv[0])
        d = self._d + _cumtrapz(v, t_mv)
        # samples i0 + 1 .. a1 - 1 are the movement; a1 starts the rest (v = 0 there)
        sl = slice(1, len(t_mv) - 1)
        self._emitted = a1
        out = (t_mv[sl], d[sl], v[sl])
        self._d = float(d[-1])
        return out

    def _trim(self, settled: int) -> None:
        """Drop raw samples no longer needed: keep the calm window margin before the first
        unsettled sample and the calibration stretch of the last rest."""
        h = self._h or 1
        tg = self._time()
        keep = settled - 2 * h - self._k - 2
        if settled > 0:  # an open rest's calibration stretch (its last rest_calib_s)
            keep = min(keep, int(np.searchsorted(tg, tg[settled - 1] - self.cfg.rest_calib_s)))
        if self._prev_rest is not None:
            a, b = self._prev_rest
            keep = min(keep, max(a, int(np.searchsorted(tg, tg[b] - self.cfg.rest_calib_s))))
        keep -= 2
        keep = min(keep, self._emitted - 1)
        cut = keep - self._base
        if cut > 0:
            self._t, self._acc, self._gyro = self._t[cut:], self._acc[cut:], self._gyro[cut:]
            self._base += cut


def _empty() -> tuple[Array, Array, Array]:
    return np.empty(0), np.empty(0), np.empty(0)


def _settled(stream: ImuStream, config: ImuConfig) -> tuple[Array, Array, Array, NDArray[np.bool_]]:
    integ = _Integrator(config)
    integ.add(stream.t, stream.acc, stream.gyro)
    return integ.step(final=True)


def imu_kinematics(
    stream: ImuStream, *, config: ImuConfig = ImuConfig()
) -> tuple[Array, Array, Array]:
    """Vertical displacement (m) and velocity (m/s, up positive) of the bar at every sample
    of ``stream``, drift removed between rests: ``(t, displacement, velocity)``."""
    t, d, v, _ = _settled(stream, config)
    return t, d, v


def reps_from_imu(stream: ImuStream, *, config: ImuConfig = ImuConfig()) -> list[DetectedRep]:
    """Reps in a six-axis IMU stream (batch face of :class:`ImuRepDetector`)."""
    t, d, v, still = _settled(stream, config)
    return segment_reps(t, d, v, config=config.segment, still=still)


class ImuRepDetector:
    """Streaming face of :func:`reps_from_imu`: ``update(t, acc, gyro)`` with chunks of
    samples (``acc`` and ``gyro`` shaped (k, 3)) returns the reps completed since the last
    call; :meth:`finish` ends the stream and returns the rest. A movement's reps are
    emitted once the rest after it has been seen (``rest_calib_s`` of it)."""

    def __init__(self, *, config: ImuConfig = ImuConfig()) -> None:
        self.config = config
        self._integ = _Integrator(config)
        self._seg = RepSegmenter(config=config.segment)
        self._finished = False

    def update(self, t: object, acc: object, gyro: object) -> list[DetectedRep]:
        if self._finished:
            raise ValidationError("the stream has been finished", field="t")
        ta, aa, ga = imu_chunk(t, acc, gyro)
        if len(ta) == 0:
            return []
        if np.any(np.diff(ta) <= 0):
            raise ValidationError("IMU chunk: time must increase", field="t")
        self._integ.add(ta, aa, ga)
        return self._feed(final=False)

    def finish(self) -> list[DetectedRep]:
        if self._finished:
            return []
        self._finished = True
        if self._integ.n == 0:
            return []
        if self._integ.n < 3:
            raise ValidationError(f"a stream needs at least 3 samples, got {self._integ.n}", "t")
        return self._feed(final=True)

    def _feed(self, *, final: bool) -> list[DetectedRep]:
        t, d, v, still = self._integ.step(final=final)
        reps = self._seg.update(t, d, v, still_chunk=still) if len(t) else []
        if final:
            reps = reps + self._seg.finish()
        return reps
