"""Six-axis IMU streams to reps, on real recordings (DESIGN.md 2.1-2.2 and 3).

Real sets are continuous: touch-and-go reps, a recording that starts in the walk-out and
ends at the re-rack, cheap sensors whose accelerometer reads gravity as 9.6 or 10.0 and
whose gyro reads 0.1 rad/s at rest, Bluetooth clocks that repeat, burst and drop. Nothing
here relies on the bar being still, and every threshold is either physical (a lift's range
of motion) or relative to the recording itself.

Pipeline
--------
1. **Clock** (:mod:`replog.core.signal.timebase`): the stream (already strictly increasing:
   readers merge repeated timestamps) is resampled onto an even grid at its own median
   rate, clipped to 12.5-100 Hz; gaps longer than ``max_gap_s`` are bridged by a straight
   line and every rep that spans one is flagged ``gap``.
2. **Vertical acceleration** (:mod:`replog.core.signal.attitude`): gyro-propagated frame,
   gravity as the slow part of the specific force, measured not assumed; then a zero-phase
   low-pass at ``accel_cutoff_hz`` (bar motion lives below 5 Hz).
3. **Cycles and velocity** (:mod:`replog.core.signal.cycles`): the set's tempo, a
   band-limited displacement that counts the reps, and the velocity pinned to zero at every
   turnaround (zero-velocity updates taken from the motion, not from rests).
4. **Each rep** from the pinned velocity: concentric start and end, ROM, MCV, MPV (-g rule),
   peak velocity, eccentric, and a ``confidence`` in [0, 1] with ``quality`` flags:
   ``rom_implausible`` (outside the lift's range, :mod:`replog.core.signal.lifts`),
   ``duration_implausible`` (shorter than the lift allows; longer than 6 s is no
   concentric and is not counted), ``rom_outlier`` (far from the set's median rep), ``drift``
   (the correction the turnarounds imposed was large), ``gap`` (the rep spans a hole in the
   recording) and ``velocity_unavailable`` (the accelerometer ran under
   ``min_velocity_rate_hz``: a 12.5 Hz wristband counts reps but its velocities are not
   measurements, so they are not stored on a set).

A recording with no reps says why, in one line (:attr:`ImuAnalysis.reason`).

Where the bar does rest around its movements, the rest-anchored pipeline
(:mod:`replog.core.signal.imu_rests`: stillness, accelerometer calibration and ZUPT at the
rests) gives the most exact velocities; :func:`analyze_imu` runs both and keeps its reps
unless it finds clearly fewer (:func:`_rests_first`).

Two faces, one algorithm: :func:`analyze_imu` (batch) and :class:`ImuRepDetector`
(streaming). While the stream runs, the detector emits the reps the rest-anchored streaming
detector completes (a movement's reps once the rest after it is seen); a continuous set's
reps need its tempo and every turnaround, so they come at :meth:`ImuRepDetector.finish`,
which runs :func:`analyze_imu` over the whole stream, emits the reps the live ones did not
cover, and leaves the batch face's answer in ``reps``: what a set stores, so a streamed set
and the same recording uploaded are stored identically.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from replog.core.errors import ValidationError
from replog.core.signal import cycles as cy
from replog.core.signal import imu_rests as rests
from replog.core.signal.attitude import lowpass, vertical_acceleration, verticality
from replog.core.signal.lifts import LiftPrior, lift_prior
from replog.core.signal.timebase import merge_repeats, uniform_grid
from replog.core.signal.types import Array, DetectedRep, ImuStream, imu_chunk

__all__ = ["ImuAnalysis", "ImuConfig", "ImuRepDetector", "analyze_imu", "imu_kinematics",
           "reps_from_imu"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class ImuConfig:
    """Parameters of the IMU pipeline (reasons in the module docstrings)."""

    max_rate_hz: float = 100.0  # resampling rate cap (bar motion lives below 5 Hz)
    min_rate_hz: float = 12.5
    max_gap_s: float = 0.25  # a longer hole in the clock flags the reps spanning it
    accel_cutoff_hz: float = 8.0
    gravity_cutoff_hz: float = 0.3
    band_low_factor: float = 0.5  # counting band starts at this x the set's tempo
    band_high_hz: float = 6.0
    prominence: float = 0.3  # turnarounds: x the typical rise (first pass: x amplitude)
    relative_rom: float = 0.5  # a rep rises at least this x the set's median rise
    min_motion: float = 0.25  # m/s^2: acceleration spread below which nothing moved
    knot_cycles: float = 1.5  # drift spline knots every this many cycles
    onset_velocity: float = 0.03  # m/s: where a concentric is taken to leave zero
    edge_fraction: float = 0.1  # ... or this x its peak velocity, if more (then extrapolated)
    min_velocity_rate_hz: float = 25.0  # slower accelerometers give counts, not velocities
    drift_limit: float = 0.6  # m/s^2: a turnaround correction steeper than this is "drift"
    rom_outlier: float = 0.35  # a rep this far (fraction) from the set's median ROM
    min_duration_s: float = 1.0
    min_periodicity: float = 0.4  # a recording less periodic than this ...
    min_verticality: float = 1.3  # ... and less vertical than this is no set (not for curls)

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if not (np.isfinite(value) and value > 0):
                raise ValidationError(f"{name} must be a finite number > 0", field=name)


@dataclass(frozen=True, slots=True)
class ImuAnalysis:
    """What :func:`analyze_imu` found: the reps, the set's tempo (Hz), and when there are
    no reps the ``reason`` in one line. ``t``, ``displacement`` and ``velocity`` are the
    kinematics on the resampling grid."""

    reps: list[DetectedRep]
    reason: str | None = None
    tempo_hz: float | None = None
    rate_hz: float = 0.0
    t: Array = field(default_factory=lambda: np.zeros(0), repr=False)
    displacement: Array = field(default_factory=lambda: np.zeros(0), repr=False)
    velocity: Array = field(default_factory=lambda: np.zeros(0), repr=False)
    moving_about: bool = False  # the sensor moved, but not as a set does (no rep anywhere)


def _none(reason: str, rate: float = 0.0, *, moving_about: bool = False) -> ImuAnalysis:
    return ImuAnalysis([], reason, None, rate, moving_about=moving_about)


def analyze_imu(
    stream: ImuStream, *, exercise: str | None = None, config: ImuConfig = ImuConfig()
) -> ImuAnalysis:
    """Reps of a six-axis IMU stream, with the reason when there are none."""
    return _rests_first(stream, _continuous(stream, exercise, config), exercise)


def _continuous(stream: ImuStream, exercise: str | None, config: ImuConfig) -> ImuAnalysis:
    """The turnaround-anchored pipeline (no rests needed)."""
    prior = lift_prior(exercise)
    cfg = config
    t0, t_end = float(stream.t[0]), float(stream.t[-1])
    native = stream.rate_hz
    if t_end - t0 < cfg.min_duration_s:
        return _none(f"the recording lasts {t_end - t0:.2f} s: too short to hold a rep", native)
    rate = float(np.clip(native, cfg.min_rate_hz, cfg.max_rate_hz))
    grid, vals, in_gap = uniform_grid(
        stream.t, np.hstack((stream.acc, stream.gyro)), rate, cfg.max_gap_s
    )
    if len(grid) < 16:
        return _none("the recording has too few samples to hold a rep", native)
    a_v, _, up = vertical_acceleration(vals[:, :3], vals[:, 3:], rate,
                                       gravity_cutoff_hz=cfg.gravity_cutoff_hz)  # fmt: skip
    a_v = lowpass(a_v, cfg.accel_cutoff_hz, rate)
    spread = float(np.std(a_v))
    if spread < cfg.min_motion:
        return _none(
            f"no lifting: the sensor barely moved (vertical acceleration spread "
            f"{spread:.2f} m/s^2, a set moves it by {cfg.min_motion:g} or more)",
            native,
        )
    f0, periodic = cy.tempo(a_v, rate)
    if prior.vertical and periodic < cfg.min_periodicity:
        upright = verticality(vals[:, :3], up, rate)
        if upright < cfg.min_verticality:
            return _none(
                f"no lifting: the sensor moved, but neither in repeated cycles (periodicity "
                f"{periodic:.2f}, a set of reps {cfg.min_periodicity:g} or more) nor mostly up "
                f"and down (vertical/horizontal {upright:.2f}, a bar {cfg.min_verticality:g} "
                "or more): moving about, not lifting",
                native,
                moving_about=True,
            )
    d_band = cy.band_displacement(a_v, rate, cfg.band_low_factor * f0,
                                  min(cfg.band_high_hz, 0.45 * rate))  # fmt: skip
    found = cy.find_cycles(d_band, prominence=cfg.prominence, min_rise=prior.min_rom,
                           relative_rise=cfg.relative_rom)  # fmt: skip
    if not found:
        biggest = float(np.max(d_band) - np.min(d_band))
        return _none(
            f"no reps: the largest up-and-down movement was {biggest * 100:.0f} cm, under "
            f"the {prior.min_rom * 100:.0f} cm a rep of {_lift_words(prior)} needs",
            native,
        )
    anchors = np.array(sorted({i for c in found for i in (c.bottom, c.top)}), dtype=np.intp)
    v = cy.pinned_velocity(
        a_v, rate, anchors, knot_s=cfg.knot_cycles / f0, search=max(1, int(0.25 / f0 * rate))
    )
    d = cy.cumtrapz(v, 1.0 / rate)
    reps = _reps(found, grid, v, d, a_v, in_gap, prior, native, f0, rate, cfg)
    reason = None if reps else "no reps: no upward movement survived the checks"
    return ImuAnalysis(reps, reason, f0, native, grid, d, v)


def _lift_words(prior: LiftPrior) -> str:
    return "any lift" if prior.name == "any" else f"a {prior.name}"


def _reps(
    found: list[cy.Cycle], grid: Array, v: Array, d: Array, a_v: Array,
    in_gap: NDArray[np.bool_], prior: LiftPrior, native: float, f0: float, rate: float,
    cfg: ImuConfig,
) -> list[DetectedRep]:  # fmt: skip
    step = 1.0 / rate
    a = np.gradient(v, step)
    quarter = max(1, int(0.25 / f0 * rate))
    n = len(v)
    median_rise = float(np.median([x.rise for x in found]))
    out: list[DetectedRep] = []
    prev_top = 0
    for k, c in enumerate(found):
        lo = max(prev_top, c.bottom - quarter)
        nxt = found[k + 1].bottom if k + 1 < len(found) else n - 1
        hi = min(nxt, c.top + quarter, n - 1)
        if hi <= lo + 1:
            continue
        i_peak = lo + int(np.argmax(v[lo : hi + 1]))
        if v[i_peak] <= 0:
            continue
        level = max(cfg.onset_velocity, cfg.edge_fraction * float(v[i_peak]))
        s = cy.onset(v, i_peak, lo, level, step)
        e = cy.arrival(v, i_peak, hi, level, step)
        if e - s < 2:
            continue
        ts, te = _at(grid, s), _at(grid, e)
        ds, de = _at(d, s), _at(d, e)
        rom = de - ds
        if rom <= 0:
            continue
        dur = te - ts
        if dur > prior.concentric_s[1]:
            continue  # a rise this slow is a lifter moving about, not a concentric
        i0, i1 = int(np.ceil(s)), int(np.floor(e))
        p_end = cy.propulsive_end(a, i_peak, i1)
        mpv = float(np.mean(v[i0 : p_end + 1])) if p_end >= i0 else rom / dur
        # eccentric: the descent from the previous top to this start
        ecc_s: float | None = None
        ecc_v: float | None = None
        j_top = int(np.argmax(d[prev_top : i0 + 1])) + prev_top if i0 > prev_top else i0
        drop = float(d[j_top] - ds)
        if i0 - j_top > 1 and drop >= 0.5 * rom:
            ecc_s = float(ts - grid[j_top])
            ecc_v = drop / ecc_s
        flags, conf = _quality(rom, dur, c.rise, median_rise, a_v, v, in_gap, i0, i1, prior,
                               native, cfg)  # fmt: skip
        out.append(DetectedRep(start=ts, end=te, mcv=rom / dur, mpv=max(mpv, 0.0),
                               peak_velocity=float(v[i_peak]), rom=rom, concentric_s=dur,
                               eccentric_s=ecc_s, eccentric_mean_velocity=ecc_v,
                               quality=flags, confidence=conf))  # fmt: skip
        prev_top = max(prev_top, int(np.ceil(e)))
    return out


def _at(x: Array, i: float) -> float:
    """``x`` at a fractional sample index (linear between samples)."""
    j = min(int(i), len(x) - 2)
    return float(x[j] + (i - j) * (x[j + 1] - x[j]))


def _quality(
    rom: float, dur: float, rise: float, median_rise: float, a_v: Array, v: Array,
    in_gap: NDArray[np.bool_], i0: int, i1: int, prior: LiftPrior, native: float,
    cfg: ImuConfig,
) -> tuple[tuple[str, ...], float]:  # fmt: skip
    flags: list[str] = []
    conf = 1.0
    if not _plausible(rom, prior):
        flags.append("rom_implausible")
        conf *= 0.5
    if dur < prior.concentric_s[0]:
        flags.append("duration_implausible")
        conf *= 0.6
    if median_rise > 0 and abs(rise - median_rise) > cfg.rom_outlier * median_rise:
        flags.append("rom_outlier")
        conf *= 0.7
    # what the turnaround pinning changed over this rep, as a mean acceleration
    step = dur / max(i1 - i0, 1)
    raw_change = float(np.sum(0.5 * (a_v[i0 + 1 : i1 + 1] + a_v[i0:i1]))) * step
    correction = abs(raw_change - float(v[i1] - v[i0]))
    if correction / max(dur, 1e-3) > cfg.drift_limit:
        flags.append("drift")
        conf *= 0.7
    if np.any(in_gap[i0 : i1 + 1]):
        flags.append("gap")
        conf *= 0.5
    if native < cfg.min_velocity_rate_hz:
        flags.append("velocity_unavailable")
        conf *= 0.5
    return tuple(flags), round(conf, 3)


def _plausible(rom: float, prior: LiftPrior) -> bool:
    lo, hi = prior.rom_range
    return lo <= rom <= hi


def _rests_first(stream: ImuStream, res: ImuAnalysis, exercise: str | None) -> ImuAnalysis:
    """The rest-anchored pipeline's reps when it finds reps and no fewer than the
    continuous one's count less one, else ``res``.

    Where the bar rests around its movements the rest-anchored pipeline is the more exact
    (ZUPT at true rests and an accelerometer calibration) and it ignores what happens away
    from the set; the continuous one then counts an un-racking dip or a re-rack as a rep
    now and then (one extra in 10 of 120 simulated sets). Where the bar never rests (real
    recordings, ``no_rest`` simulations) the rest-anchored pipeline finds few reps or none,
    and the continuous one's count stands. A ROM-agreement test between the two was tried
    and dropped: the continuous pipeline's ROMs are too loose on rested sets (it cost 3 %
    of exact counts on the simulator). Its reps pass the same lift prior (the least ROM
    that counts, plausibility)."""
    if res.moving_about:
        return res
    prior = lift_prior(exercise)
    rested = [r for r in rests.reps_from_imu(stream) if r.rom >= prior.min_rom]
    if rested and len(rested) >= len(res.reps) - 1:
        marked = [r if _plausible(r.rom, prior) else
                  replace(r, quality=(*r.quality, "rom_implausible"), confidence=0.5)
                  for r in rested]  # fmt: skip
        return replace(res, reps=marked, reason=None)
    return res


def reps_from_imu(
    stream: ImuStream, *, exercise: str | None = None, config: ImuConfig = ImuConfig()
) -> list[DetectedRep]:
    """Reps in a six-axis IMU stream (batch face of :class:`ImuRepDetector`)."""
    return analyze_imu(stream, exercise=exercise, config=config).reps


def imu_kinematics(
    stream: ImuStream, *, exercise: str | None = None, config: ImuConfig = ImuConfig()
) -> tuple[Array, Array, Array]:
    """Vertical displacement (m) and velocity (m/s, up positive) on the resampling grid,
    pinned at the turnarounds: ``(t, displacement, velocity)`` (empty with no reps)."""
    res = analyze_imu(stream, exercise=exercise, config=config)
    return res.t, res.displacement, res.velocity


class ImuRepDetector:
    """Streaming face of :func:`analyze_imu`: ``update(t, acc, gyro)`` with chunks of
    samples returns the reps completed since the last call; :meth:`finish` ends the stream
    and returns the rest (see the module docstring). Repeated timestamps are merged as the
    readers do; time may not go back across chunks."""

    def __init__(self, *, exercise: str | None = None, config: ImuConfig = ImuConfig()) -> None:
        lift_prior(exercise)  # refuse an unknown lift at once
        self.config = config
        self.exercise = exercise
        self._t: list[Array] = []
        self._acc: list[Array] = []
        self._gyro: list[Array] = []
        self._finished = False
        self.reason: str | None = None
        self.reps: list[DetectedRep] = []  # after finish(): the batch face's reps
        self._rests = rests.ImuRepDetector()  # live reps where the bar rests between them
        self._rests_t = -np.inf
        self._live: list[DetectedRep] = []

    def update(self, t: object, acc: object, gyro: object) -> list[DetectedRep]:
        if self._finished:
            raise ValidationError("the stream has been finished", field="t")
        ta, aa, ga = imu_chunk(t, acc, gyro)
        if len(ta) == 0:
            return []
        self._t.append(ta)
        self._acc.append(aa)
        self._gyro.append(ga)
        tm, (am, gm), _ = merge_repeats(ta, aa, ga)
        keep = tm > self._rests_t  # a repeat of the last chunk's final time is merged later
        if not np.any(keep):
            return []
        self._rests_t = float(tm[keep][-1])
        live = self._rests.update(tm[keep], am[keep], gm[keep])
        self._live += live
        return live

    def finish(self) -> list[DetectedRep]:
        if self._finished:
            return []
        self._finished = True
        if not self._t:
            return []
        t, (acc, gyro), _ = merge_repeats(np.concatenate(self._t), np.concatenate(self._acc),
                                          np.concatenate(self._gyro))  # fmt: skip
        if len(t) < 3:
            raise ValidationError(f"a stream needs at least 3 samples, got {len(t)}", "t")
        res = analyze_imu(ImuStream(t, acc, gyro), exercise=self.exercise, config=self.config)
        self.reason, self.reps = res.reason, res.reps
        return [r for r in res.reps if all(  # what the live reps did not already cover
            min(r.end, x.end) - max(r.start, x.start) <= 0 for x in self._live)]  # fmt: skip
