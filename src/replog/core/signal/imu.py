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
   rate, clipped to 12.5-50 Hz; gaps (holes longer than ``max_gap_s`` and 5x the median
   interval, the rule :func:`~replog.core.signal.timebase.gap_summary` reports) are bridged
   by a straight line and every rep whose concentric spans one is flagged ``gap``; one with
   a hole over ``max_hole_s`` has no velocity (what happened to the bar in it was not
   measured; the 0.1-0.13 s holes a real bar logger leaves every second or two are bridged).
2. **Vertical acceleration** (:mod:`replog.core.signal.attitude`): gyro-propagated frame,
   gravity as the slow part of the specific force, measured not assumed; then a zero-phase
   low-pass at ``accel_cutoff_hz`` (bar motion lives below 5 Hz).
3. **Is it a set?** The set's tempo is the period of the velocity's autocorrelation
   (:func:`~replog.core.signal.cycles.tempo`). A recording that is neither periodic nor
   mostly vertical (:func:`~replog.core.signal.attitude.verticality`; not asked of curls,
   whose bar swings an arc) is someone moving about: "no lifting", said so.
4. **Cycles and velocity** (:mod:`replog.core.signal.cycles`), found on a ~12.5 Hz copy
   (everything they use lies under 6 Hz): a band-limited displacement whose turnarounds,
   taken by prominence, count the reps (the walk-out and the re-rack are not reps, nor a
   rise made while the sensor is turned over or just after it, a clean's pull and catch:
   :func:`~replog.core.signal.cycles.in_set_orientation`; a press recorded from the first
   lockout counts that rep, :func:`~replog.core.signal.cycles.cut_first_rise`); each
   turnaround placed between samples at a parabola's vertex; the velocity pinned to zero at
   every turnaround and over every lockout where the bar is held (zero-velocity updates
   taken from the motion, not from rests).
5. **Each rep** (:mod:`replog.core.signal.imu_reps`): concentric start and end, ROM, MCV,
   MPV (-g rule), peak velocity, eccentric, a ``confidence`` in [0, 1] and ``quality``
   flags, among them ``velocity_unavailable`` (under ``min_velocity_rate_hz``, or a hole
   over ``max_hole_s``: a 12.5 Hz wristband counts reps but its velocities are not
   measurements, so they are not stored on a set).

A recording with no reps says why, in one line (:attr:`ImuAnalysis.reason`).

Where the bar does rest around its movements, the rest-anchored pipeline
(:mod:`replog.core.signal.imu_rests`: stillness, accelerometer calibration and ZUPT at the
rests) gives the most exact velocities; :func:`analyze_imu` runs both and keeps its reps
unless it finds clearly fewer, adding the continuous reps it could not see
(:func:`_rests_first`).

Two faces, one algorithm: :func:`analyze_imu` (batch) and :class:`ImuRepDetector`
(streaming). While the stream runs, the detector emits the reps the rest-anchored
streaming detector completes (a movement's reps once the rest after it is seen), and runs
:func:`analyze_imu` every second over the last 90 s to emit the reps that have settled
(the turnaround after them seen), touch-and-go sets included: such a rep shows about 1-2 s
after its top. Live reps are
provisional; :meth:`ImuRepDetector.finish` runs :func:`analyze_imu` over the whole stream,
emits the reps the live ones did not cover, and leaves the batch face's answer in
``reps``: what a set stores, so a streamed set and the same recording uploaded are stored
identically.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from replog.core.errors import ValidationError
from replog.core.signal import cycles as cy
from replog.core.signal import imu_reps as ir
from replog.core.signal import imu_rests as rests
from replog.core.signal.attitude import lowpass, vertical_acceleration, verticality
from replog.core.signal.imu_reps import flagged, measure_reps, plausible
from replog.core.signal.lifts import LiftPrior, lift_prior
from replog.core.signal.timebase import GAP_FACTOR, block_means, merge_repeats, uniform_grid
from replog.core.signal.types import Array, DetectedRep, ImuStream, imu_chunk

__all__ = ["ImuAnalysis", "ImuConfig", "ImuRepDetector", "analyze_imu", "imu_kinematics",
           "reps_from_imu"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class ImuConfig:
    """Parameters of the IMU pipeline (reasons in the module docstrings)."""

    max_rate_hz: float = 50.0  # resampling rate cap (bar motion lives below 5 Hz)
    count_rate_hz: float = 12.5  # tempo and turnarounds are found at about this rate
    held_level: float = 0.1  # a bar is held where |a_v| < this x its 90th percentile
    min_rate_hz: float = 12.5
    max_gap_s: float = 0.1  # a hole longer than this and 5x the median interval is a gap
    max_hole_s: float = 0.2  # a concentric with a longer hole in it has no velocity
    accel_cutoff_hz: float = 8.0
    gravity_cutoff_hz: float = 0.3
    band_low_factor: float = 0.6  # counting band starts at this x the set's tempo
    band_high_hz: float = 6.0
    prominence: float = 0.3  # turnarounds: x the typical rise (first pass: x amplitude)
    relative_rom: float = 0.5  # a rep rises at least this x the set's median rise
    min_motion: float = 0.25  # m/s^2: acceleration spread below which nothing moved
    knot_cycles: float = 1.5  # drift spline knots every this many cycles
    onset_velocity: float = 0.03  # m/s: where a concentric is taken to leave zero
    edge_fraction: float = 0.1  # ... or this x its peak velocity, if more (then extrapolated)
    stall_fraction: float = 0.3  # an end lingering past the zero the deceleration at this x
    stall_s: float = 0.4  # peak points to by more than this is drift at the top: ends there
    min_velocity_rate_hz: float = 25.0  # slower accelerometers give counts, not velocities
    drift_limit: float = 0.6  # m/s^2: a turnaround correction steeper than this is "drift"
    rise_agreement: float = 2.0  # integral vs counting rise: beyond this x, use the rise
    live_every_s: float = 1.0  # streaming: analyse the recent window this often ...
    live_window_s: float = 90.0  # ... over this much of the stream ...
    live_margin_s: float = 1.0  # ... and emit reps that ended at least this long ago
    rom_outlier: float = 0.35  # a rep this far (fraction) from the set's median ROM
    velocity_outlier: float = 0.4  # a drifted rep this far from the set's median MCV
    min_duration_s: float = 1.0
    rom_steadier: float = 2.0  # the continuous reps stand when their ROMs are this x steadier
    min_periodicity: float = 0.4  # a recording less periodic than this ...
    min_verticality: float = 1.3  # ... and less vertical than this is no set (not for curls)
    max_tilt_deg: float = 60.0  # the sensor turned over (a clean, a set-down): no reps there
    settle_periods: float = 0.5  # ... nor this many periods after a turn-over (the catch)

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
    res = _rests_first(stream, _continuous(stream, exercise, config), exercise, config)
    res = _no_impossible_velocity(res, lift_prior(exercise))
    return replace(res, reps=ir.doubtful_velocities_unmeasured(res.reps, config.velocity_outlier))


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
        stream.t,
        np.hstack((stream.acc, stream.gyro)),
        rate,
        max(GAP_FACTOR / native, cfg.max_gap_s),
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
    # the set's tempo, its shape and its reps come from a ~12.5 Hz copy (everything they
    # use lies under 6 Hz): a quarter of the work at 50 Hz; velocity uses every sample
    k = max(1, int(rate // cfg.count_rate_hz))
    coarse, a_c = rate / k, block_means(a_v, k)
    f0, periodic = cy.tempo(a_c, coarse)
    if prior.vertical and periodic < cfg.min_periodicity:
        upright = verticality(block_means(vals[:, :3], k), block_means(up, k), coarse)
        if upright < cfg.min_verticality:
            return _none(
                f"no lifting: the sensor moved, but neither in repeated cycles (periodicity "
                f"{periodic:.2f}, a set of reps {cfg.min_periodicity:g} or more) nor mostly up "
                f"and down (vertical/horizontal {upright:.2f}, a bar {cfg.min_verticality:g} "
                "or more): moving about, not lifting",
                native,
                moving_about=True,
            )
    d_band = cy.band_displacement(a_c, coarse, cfg.band_low_factor * f0,
                                  min(cfg.band_high_hz, 0.45 * coarse))  # fmt: skip
    counted = cy.find_cycles(d_band, prominence=cfg.prominence, min_rise=prior.min_rom,
                             relative_rise=cfg.relative_rom)  # fmt: skip
    if prior.vertical:  # the clean before a press and the set-down after it are no reps
        up_c = block_means(up, k)
        up_c /= np.maximum(np.linalg.norm(up_c, axis=1, keepdims=True), 1e-9)
        counted = cy.in_set_orientation(counted, up_c, max_tilt_deg=cfg.max_tilt_deg,
                                        settle=cfg.settle_periods)  # fmt: skip
    if not counted:
        biggest = float(np.max(d_band) - np.min(d_band))
        return _none(
            f"no reps: the largest up-and-down movement was {biggest * 100:.0f} cm, under "
            f"the {prior.min_rom * 100:.0f} cm a rep of {_lift_words(prior)} needs",
            native,
        )
    found, anchors, held = _turnarounds(counted, d_band, a_c, coarse, f0, k, len(a_v), cfg)
    # a turnaround may move to the velocity's zero crossing within one coarse sample (where
    # the vertex is uncertain), no farther: beyond, the crossing is the drift model's error
    refined: list[NDArray[np.intp]] = []
    v = cy.pinned_velocity(a_v, rate, anchors, knot_s=cfg.knot_cycles / f0,
                           search=k, held=held, refined=refined, gap=in_gap)  # fmt: skip
    d = cy.cumtrapz(v, 1.0 / rate)
    stalls: list[tuple[int, int]] = []
    reps = measure_reps(found, grid, v, d, a_v, in_gap, prior, native, f0, rate, cfg, stalls)
    if stalls:  # a hold at a top that the turnarounds missed: pinned, and measured again
        hold = np.concatenate([np.arange(a, b + 1) for a, b in stalls]).astype(np.intp)
        turns = refined[0] if refined else anchors  # as the first pass refined them
        v = cy.pinned_velocity(a_v, rate, turns, knot_s=cfg.knot_cycles / f0, search=k,
                               held=held, stalled=hold, iterations=0, gap=in_gap)  # fmt: skip
        d = cy.cumtrapz(v, 1.0 / rate)
        reps = measure_reps(found, grid, v, d, a_v, in_gap, prior, native, f0, rate, cfg)
    cut = cy.cut_first_rise(d_band, counted) if prior.opens_at_bottom else None
    if cut is not None and reps:
        typical = float(np.median([c.rise for c in found]))
        top = min(len(grid) - 1, max(1, cut.top * k))  # never a zero-length rep
        reps.insert(0, ir.cut_rep(cy.Cycle(0, top, cut.rise), grid, typical, prior, cfg))
    reason = None if reps else "no reps: no upward movement survived the checks"
    return ImuAnalysis(reps, reason, f0, native, grid, d, v)


def _turnarounds(
    counted: list[cy.Cycle], d_band: Array, a_c: Array, coarse: float, f0: float, k: int,
    n: int, cfg: ImuConfig,
) -> tuple[list[cy.Cycle], NDArray[np.intp], NDArray[np.intp]]:  # fmt: skip
    """The counted cycles on the full grid (each turnaround at the vertex between coarse
    samples), the turnarounds to pin the velocity at, and the samples where the bar is held
    at a top. The first descent starts at a top too (the end of the walk-out): it is pinned
    and may be held, or the time before the set drifts."""

    def fine(i: int) -> int:
        return min(n - 1, round((i + cy.vertex(d_band, i)) * k + 0.5 * (k - 1)))

    tops = list(counted)
    first = counted[0]
    before = max(0, first.bottom - int(0.75 / f0 * coarse))
    if first.bottom > before:
        j = before + int(np.argmax(d_band[before : first.bottom]))
        if d_band[j] - d_band[first.bottom] >= 0.5 * first.rise:
            tops.append(cy.Cycle(first.bottom, j, float(d_band[j] - d_band[first.bottom])))
    level = cfg.held_level * float(np.percentile(np.abs(a_c), 90))
    held = cy.held_tops(a_c, d_band, tops, coarse, f0, level=level)
    held = np.minimum((held[:, None] * k + np.arange(k)).ravel(), n - 1)
    found = [cy.Cycle(fine(c.bottom), fine(c.top), c.rise) for c in counted]
    anchors = np.array(sorted({fine(i) for c in tops for i in (c.bottom, c.top)}), dtype=np.intp)
    return found, anchors, held


def _no_impossible_velocity(res: ImuAnalysis, prior: LiftPrior) -> ImuAnalysis:
    """Reps faster on average than the lift allows (``prior.max_mcv``) keep their count but
    not their velocity: flagged ``velocity_implausible`` and ``velocity_unavailable``."""

    def too_fast(r: DetectedRep) -> bool:
        return r.mcv > prior.max_mcv and "velocity_unavailable" not in r.quality

    if not any(too_fast(r) for r in res.reps):
        return res
    reps = [
        replace(r, quality=(*r.quality, "velocity_implausible", "velocity_unavailable"),
                confidence=round(r.confidence * 0.25, 3))
        if too_fast(r) else r
        for r in res.reps
    ]  # fmt: skip
    return replace(res, reps=reps)


def _lift_words(prior: LiftPrior) -> str:
    return "any lift" if prior.name == "any" else f"a {prior.name}"


def _rests_first(
    stream: ImuStream, res: ImuAnalysis, exercise: str | None, cfg: ImuConfig
) -> ImuAnalysis:
    """The rest-anchored pipeline's reps when it finds reps and at least 90 % of the
    continuous one's count less one, with the continuous reps that overlap none of them and
    that it cannot see (a movement with a hole in its samples) or that look like the set's
    reps (no doubtful flag, in a set of three rested reps or more); else ``res``.

    Where the bar rests around its movements the rest-anchored pipeline is the more exact
    (ZUPT at true rests and an accelerometer calibration) and it ignores what happens away
    from the set; the continuous one then counts an un-racking dip, a deadlift's set-down or
    a re-rack as a rep now and then, flagged as a ROM outlier in a longer set but not
    beside a single. Where the bar never rests (real recordings, ``no_rest`` simulations)
    the rest-anchored pipeline finds few reps or none, and the continuous one's stand. The
    share, not a fixed count, lets an hour of 18 rested sets keep its rested reps when the
    continuous pipeline finds two extra movements in it. A ROM-agreement test between the
    two was tried and dropped: the continuous pipeline's ROMs are too loose on rested sets
    (it cost 3 % of exact counts on the simulator). The continuous reps stand too when they
    are at least as many and their ROMs are ``rom_steadier`` x steadier across the set
    (:func:`_steadier`; harder simulator with an ideal sensor: MCV RMSE 0.024 -> 0.019).
    Rested reps pass the same lift prior
    (the least ROM that counts, plausibility) and rate rule (no velocity under 25 Hz)."""
    if res.moving_about:
        return res
    prior = lift_prior(exercise)
    rested = [r for r in rests.reps_from_imu(stream) if r.rom >= prior.min_rom]
    if rested and len(rested) >= 0.9 * len(res.reps) - 1:
        slow = stream.rate_hz < cfg.min_velocity_rate_hz
        marked = ir.split_merged(
            [flagged(r, not plausible(r.rom, prior), slow) for r in rested], res.reps
        )
        unseen = [r for r in res.reps if not _overlaps(r, rested)]
        if len(res.reps) >= len(rested) and _steadier(res.reps, marked, cfg.rom_steadier):
            return res
        like_set = len(rested) >= 3
        holed = [
            r for r in unseen if "gap" in r.quality or (like_set and not _DOUBTFUL & set(r.quality))
        ]
        return replace(res, reps=sorted(marked + holed, key=lambda r: r.start), reason=None)
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
    readers do; time may not go back across chunks.

    Live reps: the rest-anchored streaming detector's, as soon as the rest after a movement
    is seen; and, for sets without rests, every ``live_every_s`` of new samples the last
    ``live_window_s`` are analysed
    as a whole (both pipelines, as the batch face does), and the reps that ended at least
    ``live_margin_s`` before the newest sample (so that the turnaround after them is seen)
    and overlap no rep already emitted are emitted, once the window holds two reps (alone, a
    movement may be the walk-out) and unless they are doubtful (an implausible or outlying
    ROM). They are provisional: the stored reps are the batch face's over the whole stream,
    :attr:`reps` after :meth:`finish`, which also emits what was not emitted live."""

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
        self._analysed_at = -np.inf
        self._live: list[DetectedRep] = []
        self._rests = rests.ImuRepDetector()  # a rested movement's reps, once its rest is seen
        self._rests_t = -np.inf

    def update(self, t: object, acc: object, gyro: object) -> list[DetectedRep]:
        if self._finished:
            raise ValidationError("the stream has been finished", field="t")
        ta, aa, ga = imu_chunk(t, acc, gyro)
        if len(ta) == 0:
            return []
        if self._t and ta[0] < self._t[-1][-1]:
            raise ValidationError(
                f"time must not go back across chunks: t[0] = {ta[0]:g} after {self._t[-1][-1]:g}",
                field="t[0]",
            )
        self._t.append(ta)
        self._acc.append(aa)
        self._gyro.append(ga)
        tm, (am, gm), _ = merge_repeats(ta, aa, ga)
        keep = tm > self._rests_t  # a repeat of the last chunk's final time is merged later
        new: list[DetectedRep] = []
        if np.any(keep):
            self._rests_t = float(tm[keep][-1])
            rested = self._rests.update(tm[keep], am[keep], gm[keep])
            new = [r for r in rested if not _overlaps(r, self._live)]
            self._live += new
        now = float(ta[-1])
        if now - self._analysed_at < self.config.live_every_s:
            return new
        self._analysed_at = now
        return new + self._emit(now)

    def _window(self, since: float) -> ImuStream | None:
        k = len(self._t)
        while k > 0 and self._t[k - 1][0] >= since:
            k -= 1
        k = max(0, k - 1)  # the chunk that straddles the window's start
        t, (acc, gyro), _ = merge_repeats(np.concatenate(self._t[k:]),
                                          np.concatenate(self._acc[k:]),
                                          np.concatenate(self._gyro[k:]))  # fmt: skip
        return ImuStream(t, acc, gyro) if len(t) >= 16 else None

    def _emit(self, now: float) -> list[DetectedRep]:
        cfg = self.config
        stream = self._window(now - cfg.live_window_s)
        if stream is None or stream.t[-1] - stream.t[0] < 2 * cfg.live_margin_s:
            return []
        res = analyze_imu(stream, exercise=self.exercise, config=cfg)
        if len(res.reps) < 2:  # one movement alone may be the walk-out: wait for a second
            return []
        start = float(stream.t[0]) if len(self._t) and self._t[0][0] < stream.t[0] else -np.inf
        early, late = start + cfg.live_margin_s, now - cfg.live_margin_s
        done = [r for r in res.reps if r.end <= late and r.start >= early
                and not _DOUBTFUL & set(r.quality)]  # fmt: skip
        new = [r for r in done if not _overlaps(r, self._live)]
        self._live += new
        return new

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
        return [r for r in res.reps if not _overlaps(r, self._live)]  # not yet emitted live


def _rom_spread(reps: list[DetectedRep]) -> float | None:
    """The median absolute deviation of the measured reps' ROMs over their median."""
    roms = np.array([r.rom for r in reps if "velocity_unavailable" not in r.quality])
    if len(roms) < 3:
        return None
    mid = float(np.median(roms))
    return float(np.median(np.abs(roms - mid))) / mid if mid > 0 else None


def _steadier(cont: list[DetectedRep], rested: list[DetectedRep], factor: float) -> bool:
    """Whether the continuous reps' ROMs are ``factor`` x steadier than the rested ones'
    (a lifter repeats a set's ROM within a few centimetres: the pipeline whose ROMs wander
    is the one whose integration lost its way, as the rest-anchored one does when it takes
    a slow eccentric or a pause at the top for a rest and calibrates the accelerometer
    there)."""
    a, b = _rom_spread(cont), _rom_spread(rested)
    return a is not None and b is not None and a * factor < b


_DOUBTFUL = frozenset({"rom_implausible", "rom_outlier", "duration_implausible"})


def _overlaps(rep: DetectedRep, others: list[DetectedRep]) -> bool:
    return any(min(rep.end, x.end) > max(rep.start, x.start) for x in others)
