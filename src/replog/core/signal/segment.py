"""Rep segmentation from vertical displacement and velocity, shared by the IMU and the
position-transducer pipelines (DESIGN.md 2.2 and 3, "Sensor processing").

Theory
------
A repetition's concentric phase runs from the velocity zero-crossing at the bottom to the
next zero-crossing at the top (DESIGN.md 2.2). Exact zeros are useless on real data: during
a pause or at rest the velocity wanders around zero in noise. So:

1. **Runs.** The velocity is cut into maximal runs of one sign (``v > 0`` up, ``v <= 0``
   down). A run is an *excursion* when it leaves the dead band ``|v| < velocity_threshold``
   (default 0.05 m/s): noise, breathing sway (mm) and slow drift never do. The threshold
   only *selects* runs; it never moves a boundary and is never applied to the velocity.
2. **Boundaries stay true.** A concentric phase starts at the zero-crossing (linearly
   interpolated between samples) that begins its up-excursion - the last instant the
   velocity was <= 0 before it left the dead band upwards - and ends at the zero-crossing
   that ends it. In a paused rep that is where the bar actually leaves the bottom, not
   where it first crossed the threshold, so the duration is the true one (up to the noise
   level), and MCV = ROM / duration is not biased high. A bar that comes to rest but
   drifts (breathing sway keeps ``v`` at a few mm/s without crossing zero) ends its phase
   where ``|v|`` fell below ``rest_velocity``, extrapolated to zero along the local slope,
   unless a true zero-crossing follows within ``settle_s`` (see
   :mod:`replog.core.signal.excursions`). When the caller knows where the bar is still
   (``still``: the IMU's stillness detector, whether or not that rest was used for a
   zero-velocity update) a start inside a still span moves to its last sample: in a chest
   pause that was not accepted as a rest the integrated velocity drifts by a few cm/s and
   would otherwise cross zero where the pause began. Excursions moving the bar < ``min_excursion``
   (noise spikes) are ignored.
3. **Sticking points.** Up-excursions separated by a stall (no down-excursion in between,
   and the next one starting within ``max_stall_s``) are one concentric phase, flagged
   ``"stalled"``. The phases are never split by acceleration sign (a listed pitfall).
4. **Gates** (each candidate, in time order): duration in [``min_concentric_s``,
   ``max_concentric_s``]; ROM >= ``min_rom`` (0.10 m: un-racking, walk-out and re-racking
   bobs move the bar a few cm); ROM >= ``min_relative_rom`` x the median ROM of the reps
   already accepted in this set (drops partial and aborted moves). A set's *first*
   candidate has no earlier reps, so a partial move before the set (a dip, a short pull
   from the floor; 0.06-0.2 m clears the absolute gate) would count. With ``confirm_s > 0``
   it is instead judged against the next candidate that clears the absolute gates and
   starts within ``confirm_s`` of its end (none: accepted). The choice keeps both faces
   equal: the streaming face holds the first candidate of a set until that next one is
   settled, ``confirm_s`` has passed, or the stream ends, so the first rep comes out late
   (typically one rep later). Later reps keep the causal gate and come out soon after
   their end. The position transducer uses ``confirm_s = 10`` (``LPT_CONFIG``); the
   default 0 keeps the causal gate (the IMU pipeline's latency). A set restarts (history
   cleared) after ``set_break_s`` without a rep.
5. **Eccentric.** The descent before a rep is the chain of down-excursions after the
   previous candidate (gaps <= ``max_stall_s``) ending at most ``max_bottom_pause_s``
   before the concentric start and dropping at least ``min_eccentric_fraction`` x ROM.
   Otherwise (a deadlift's first pull, which starts from the floor) it is ``None``.
   ``eccentric_mean_velocity`` is the mean *speed* of that descent (positive, m/s).
6. **Metrics.** ``mcv`` = ROM / concentric duration, i.e. the mean of the velocity over the
   phase, with ROM read from the displacement at the interpolated boundaries. When the
   velocity was derived from a measured displacement (a position transducer), both
   boundaries and the displacement there are then refined by a least-squares fit to the
   raw displacement around each (:func:`~replog.core.signal.excursions.rest_point`: a knot
   with zero velocity and an onset from / arrival at rest) unless the velocity on the
   outer side goes past ``-velocity_threshold`` within 0.15 s: such a reversal keeps the
   smoothed zero-crossing, which a steep crossing pins down, while the knot model (an
   acceleration jump at the boundary) put smooth simulated bounces ~7 ms late. The fit may move a
   boundary by up to 0.1 s; gates and metrics use the refined values.
   ``mpv`` is the mean velocity over the propulsive phase, the part where the bar's
   acceleration stays >= -g (Sanchez-Medina, Perez & Gonzalez-Badillo 2010, Int J Sports
   Med 31:123): from the start to where, after peak velocity, the acceleration first drops
   below -g (interpolated); if it never does, ``mpv == mcv``. Ending it at a = 0 (peak
   velocity) instead is a listed pitfall. ``peak_velocity`` is the highest sample.
7. **Derivatives** (when not supplied): velocity from displacement by a local cubic fit over
   ``velocity_window_s``, acceleration from velocity by a local quadratic fit over
   ``acceleration_window_s`` (Savitzky-Golay on real timestamps, see
   :mod:`replog.core.signal.smoothing`; windows are in seconds so they hold at 50-1000 Hz).

Two faces, one algorithm
------------------------
:func:`segment_reps` runs the scan over whole arrays. :class:`RepSegmenter` buffers samples
and re-runs the same scan over the buffer, treating only samples whose smoothed derivatives
can no longer change as known; a rep is emitted once its end and the merge decision after
it are settled (at most ``max_stall_s`` plus the filter half-windows after its end), and
each exactly once. Call :meth:`RepSegmenter.finish` at the end of the stream for the last
rep. The two faces give the same reps (tested on random chunkings). An update refits only
the rows whose smoothing window reached the end of the buffer at the last update, and the
acceleration is fitted only over the concentric phases that need it (the -g rule), so an
update costs about what its new samples cost (``benchmarks/bench_sensor.py``,
``streaming_latency``).

Garbage: mismatched lengths, fewer than 3 samples, non-finite values or time that does not
increase raise :class:`~replog.core.errors.ValidationError`; a constant stream has no reps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from replog.core.errors import ValidationError
from replog.core.signal.excursions import Excursion, excursions, rest_point
from replog.core.signal.smoothing import half_width, local_poly, local_poly_rows
from replog.core.signal.types import Array, DetectedRep, G


@dataclass(frozen=True, slots=True)
class SegmentConfig:
    """Thresholds of the segmentation (see the module docstring for the reasons)."""

    velocity_threshold: float = 0.05  # m/s dead band that an excursion must leave
    min_excursion: float = 0.01  # m an excursion must move (single-sample noise spikes don't)
    rest_velocity: float = 0.02  # m/s below which the bar counts as at rest (drift, sway)
    settle_s: float = 0.2  # a zero-crossing this soon after reaching rest is the boundary
    min_rom: float = 0.10  # m
    min_relative_rom: float = 0.40  # of the set's median ROM so far
    short_rom_fraction: float = 0.80  # below this share of the median: flag "short_rom"
    min_concentric_s: float = 0.15
    max_concentric_s: float = 8.0
    max_stall_s: float = 0.5  # merge up-excursions separated by a stall this short
    max_bottom_pause_s: float = 10.0  # longest pause between descent and concentric
    max_eccentric_s: float = 10.0
    min_eccentric_fraction: float = 0.5  # descent must drop this share of the rep's ROM
    set_break_s: float = 60.0  # a gap this long without reps starts a new set
    confirm_s: float = 0.0  # judge a set's first rep by a later one starting this soon
    velocity_window_s: float = 0.1  # smoothing window when velocity is derived
    acceleration_window_s: float = 0.1  # smoothing window when acceleration is derived

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise ValidationError(f"{name} must be a finite number >= 0", field=name)
        if self.velocity_threshold <= 0 or self.velocity_window_s <= 0:
            raise ValidationError("thresholds and windows must be > 0", "velocity_threshold")
        if self.acceleration_window_s <= 0 or self.max_concentric_s <= self.min_concentric_s:
            raise ValidationError("bad window or duration range", field="max_concentric_s")

    @property
    def lookback_s(self) -> float:
        return self.max_bottom_pause_s + self.max_eccentric_s


@dataclass(slots=True)
class _State:
    """What the scan carries from one candidate to the next."""

    after_t: float = -np.inf  # end of the last decided candidate (or the trimmed floor)
    roms: list[float] = field(default_factory=list)  # accepted ROMs in the current set
    last_accept_end: float | None = None


@dataclass(frozen=True, slots=True)
class _Signals:
    t: Array
    d: Array
    v: Array
    a: Array | None  # given acceleration; else derived where needed (:meth:`accel`)
    h2: int = 1
    raw: Array | None = None  # the measured displacement, when velocity was derived from it
    still: NDArray[np.bool_] | None = None  # where the bar is known to be still (IMU)
    h1: int = 1  # half-width of the velocity fit, when velocity was derived

    def accel(self, i0: int, i1: int) -> Array:
        """Acceleration at samples ``i0 .. i1 - 1``: the given one, or the slope of a local
        quadratic fit of the velocity over ``acceleration_window_s``. Only the concentric
        phases need it (the -g rule of MPV), so it is computed there alone."""
        if self.a is not None:
            return self.a[i0:i1]
        return local_poly_rows(self.t, self.v, self.h2, 2, np.arange(i0, i1))


def _as_array(x: object, name: str) -> Array:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 1:
        raise ValidationError(f"{name} must be one-dimensional", field=name)
    if not np.all(np.isfinite(arr)):
        raise ValidationError(f"{name} has missing or infinite values", field=name)
    return arr


def _validate(t: Array, d: Array, v: Array | None, a: Array | None) -> None:
    for arr, name in ((d, "displacement"), (v, "velocity"), (a, "acceleration")):
        if arr is not None and len(arr) != len(t):
            raise ValidationError(f"{name} and time differ in length", field=name)
    if np.any(np.diff(t) <= 0):
        bad = int(np.argmax(np.diff(t) <= 0)) + 1
        raise ValidationError(f"time does not increase at sample {bad + 1}", field="t")


def _as_mask(x: object | None, n: int) -> NDArray[np.bool_] | None:
    if x is None:
        return None
    arr = np.asarray(x, dtype=np.bool_)
    if arr.shape != (n,):
        raise ValidationError("still and time differ in length", field="still")
    return arr


def _derive(
    t: Array, d: Array, v: Array | None, a: Array | None, h1: int, h2: int,
    still: NDArray[np.bool_] | None = None,
) -> _Signals:  # fmt: skip
    """Fill in velocity (local cubic fit of displacement, which also smooths it); the
    acceleration is derived lazily (:meth:`_Signals.accel`)."""
    raw = None
    if v is None:
        raw = d
        d, v = local_poly(t, d, h1, order=3)
    return _Signals(t, d, v, a, max(h2, 1), raw, still, max(h1, 1))


_FIT_S = 0.3  # boundary fit: seconds of data on each side of a phase boundary (at most)
_FIT_SHORT_S = 0.2  # ... when the position is read finely (an encoder's 0.2 mm counts)
_NOISE_FINE, _NOISE_COARSE = 0.0001, 0.0003  # m: position noise for the short / full span
_FIT_SEARCH_S = 0.1  # how far the fit may move a boundary
_TURN_S = 0.15  # a reversal within this time of a boundary makes it a turning point


def _fit_span(sig: _Signals, s: float, e: float) -> float:
    """Seconds of data for the boundary fits, from the position noise seen around the rep.

    A longer span averages more noise but fits a truer path worse: the onset model is exact
    only near the boundary, and over 0.3 s it places a lockout 3-7 ms early (MCV +0.004 to
    +0.008 m/s on the simulator's deadlifts and paused benches with noise-free data). So the
    span is 0.2 s when the position is read to 0.1 mm or better (RMS of the raw position
    about the local cubic fit, corrected for the fit's own degrees of freedom), 0.3 s from
    0.3 mm (1 mm encoder counts, or white noise), and in between in proportion. Only
    samples up to the rep's end are used, whose fits both faces share."""
    assert sig.raw is not None
    t = sig.t
    i0, i1 = int(np.searchsorted(t, s - _FIT_S)), int(np.searchsorted(t, e))
    if i1 - i0 < 10:
        return _FIT_S
    resid = sig.raw[i0:i1] - sig.d[i0:i1]
    dof = max(0.2, 1.0 - 4.0 / (2 * sig.h1 + 1))
    noise = float(np.sqrt(np.mean(resid**2) / dof))
    share = min(1.0, max(0.0, (noise - _NOISE_FINE) / (_NOISE_COARSE - _NOISE_FINE)))
    return _FIT_SHORT_S + share * (_FIT_S - _FIT_SHORT_S)


def _fit_boundary(
    sig: _Signals, tb: float, side: int, inner: float, search: float, thr: float, span: float
) -> tuple[float, float] | None:
    """Fit one boundary; ``side`` is -1 for a start (outside = before), +1 for an end."""
    t, v = sig.t, sig.v
    assert sig.raw is not None
    if side < 0:
        out_idx = np.flatnonzero((t >= tb - span) & (t <= tb))[::-1]
    else:
        out_idx = np.flatnonzero((t >= tb) & (t <= tb + span))
    moving = np.flatnonzero(v[out_idx] < -thr)
    if len(moving) and abs(t[out_idx[moving[0]]] - tb) <= _TURN_S:
        # A reversal (touch-and-go bottom, descent right after the top): the velocity
        # crosses zero steeply, so the smoothed zero-crossing is well determined, and a
        # knot fit over +-0.3 s (which lets the acceleration jump at the boundary) places a
        # smooth bounce about 7 ms late on the simulator's sets (MCV +0.01 m/s).
        return tb, float(np.interp(tb, t, sig.d))
    kind = "start" if side < 0 else "end"
    outer = abs(float(t[out_idx[moving[0]]]) - tb) if len(moving) else span
    left, right = (outer, inner) if side < 0 else (inner, outer)
    return rest_point(t, sig.raw, tb, left=left, right=right, search=search, kind=kind)


def _boundaries(sig: _Signals, s: float, e: float, thr: float) -> tuple[float, float, float, float]:
    """Phase boundaries and the displacement there: refined by :func:`rest_point` on the
    measured displacement when there is one (position transducer), else the interpolated
    velocity zero-crossings and the displacement read there."""
    t, d = sig.t, sig.d
    if sig.still is not None:
        s = _leave_still(t, sig.still, s)
    if sig.raw is None:
        s = _leave_pause(t, sig.v, s, e, thr)
        e = stalled_end(t, sig.v, s, e)
    d_s, d_e = float(np.interp(s, t, d)), float(np.interp(e, t, d))
    if sig.raw is None:
        return s, e, d_s, d_e
    span = _fit_span(sig, s, e)
    inner = min(span, 0.45 * (e - s))
    search = min(_FIT_SEARCH_S, 0.8 * inner)
    fs = _fit_boundary(sig, s, -1, inner, search, thr, span)
    fe = _fit_boundary(sig, e, +1, inner, search, thr, span)
    if fs is None or fe is None or fe[0] - fs[0] <= 0:
        return s, e, d_s, d_e
    return fs[0], fe[0], fs[1], fe[1]


_PAUSE_S = 0.15  # in the dead band this long before leaving it: the bar was paused
_STALL_FRACTION, _STALL_S = 0.3, 0.4  # as the continuous IMU pipeline's (cycles.arrival)


def stalled_end(t: Array, v: Array, s: float, e: float) -> float:
    """An end the integrated velocity reached late: after decelerating through
    ``_STALL_FRACTION`` x the peak it lingered above zero for ``_STALL_S`` beyond the zero
    its deceleration there points to, and never rose past that fraction again (a sticking
    point does). That is drift over a hold at the top that was not taken as a rest (a
    deadlift's lockout the stillness test missed as the bar rolled; a velocity integrated
    from an accelerometer is positive there by 0.1-0.2 m/s): the end is the extrapolated
    zero. On the harder simulator such ends were 1-1.3 s late and their reps 0.3-0.4 m/s
    slow. Only for velocities integrated from an accelerometer (no measured position)."""
    i0, i1 = int(np.searchsorted(t, s)), int(np.searchsorted(t, e, side="right")) - 1
    if i1 - i0 < 3:
        return e
    ip = i0 + int(np.argmax(v[i0 : i1 + 1]))
    high = _STALL_FRACTION * float(v[ip])
    below = np.flatnonzero(v[ip : i1 + 1] <= high)
    if high <= 0 or len(below) == 0 or below[0] == 0:
        return e
    j = ip + int(below[0])
    slope = (v[j] - v[j - 1]) / (t[j] - t[j - 1])
    if slope >= 0:
        return e
    early = float(t[j] + v[j] / -slope)
    if e <= early + _STALL_S or float(np.max(v[j : i1 + 1])) > high:
        return e
    return max(early, s)


def _leave_pause(t: Array, v: Array, s: float, e: float, thr: float) -> float:
    """A start at the beginning of a pause the stillness detector did not see: a velocity
    integrated from an accelerometer drifts by a few cm/s in a chest pause, stays inside
    the dead band, and its last zero may be where the pause began. When the velocity sat
    in the dead band for ``_PAUSE_S`` or more before it left upwards, the bar left the
    bottom where the velocity last rose through the dead band's edge, extrapolated back to
    zero along its slope there (as a measured rise from rest does)."""
    i0 = int(np.searchsorted(t, s))
    i1 = int(np.searchsorted(t, e))
    if i1 - i0 < 3:
        return s
    up = np.flatnonzero(v[i0:i1] > thr)
    if len(up) == 0 or up[0] == 0:
        return s
    j = i0 + int(up[0])  # first sample above the band
    if t[j - 1] - s < _PAUSE_S or np.any(np.abs(v[i0:j]) >= thr):
        return s
    slope = (v[j] - v[j - 1]) / (t[j] - t[j - 1])
    if slope <= 0:
        return s
    at = t[j - 1] + (thr - v[j - 1]) / slope  # where it crossed the band's edge
    return float(min(max(s, at - thr / slope), t[j - 1]))


def _leave_still(t: Array, still: NDArray[np.bool_], s: float) -> float:
    """A start that falls where the bar is known to be still (a pause whose velocity
    drifted because it was not taken as a zero-velocity rest) moves to the last still
    sample: the bar leaves the bottom there, not where the drifting velocity crossed zero."""
    i = int(np.searchsorted(t, s))
    if i >= len(t) or not still[i]:
        return s
    moving = np.flatnonzero(~still[i:])
    return float(t[i + int(moving[0]) - 1] if len(moving) else t[-1])


def _halves(t: Array, has_v: bool, has_a: bool, cfg: SegmentConfig) -> tuple[int, int]:
    h1 = 0 if has_v else half_width(t, cfg.velocity_window_s)
    h2 = 0 if has_a else half_width(t, cfg.acceleration_window_s)
    return h1, h2


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A concentric candidate (up-excursions ``exc[k0..k1]``) with its refined boundaries;
    ``passes`` when it clears the gates that need no other rep (duration, absolute ROM)."""

    k0: int
    k1: int
    s: float
    e: float
    d_s: float
    d_e: float
    passes: bool

    @property
    def rom(self) -> float:
        return self.d_e - self.d_s


def _candidate(
    sig: _Signals, exc: list[Excursion], k0: int, k1: int, cfg: SegmentConfig
) -> _Candidate:
    s, e, d_s, d_e = _boundaries(sig, exc[k0].ts, exc[k1].te, cfg.velocity_threshold)
    dur, rom = e - s, d_e - d_s
    passes = cfg.min_concentric_s <= dur <= cfg.max_concentric_s and rom >= cfg.min_rom
    return _Candidate(k0, k1, s, e, d_s, d_e, passes)


def _groups(
    sig: _Signals, exc: list[Excursion], known: int, open_up: float, after_t: float,
    *, at_end: bool, cfg: SegmentConfig,
) -> tuple[list[tuple[int, int]], float]:  # fmt: skip
    """The settled candidates after ``after_t`` as ``(k0, k1)`` index pairs into ``exc``
    (stalled up-excursions merged), and the start of the first unsettled one (``inf`` when
    there is none and the stream has ended, else ``open_up``)."""
    stall = cfg.max_stall_s
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(exc):
        first = exc[k]
        if not first.up or first.ts < after_t:
            k += 1
            continue
        k1 = k  # index into exc of the group's last up-excursion
        while True:
            if not exc[k1].closed:
                return out, first.ts
            e = exc[k1].te
            if k1 + 1 < len(exc):
                nxt = exc[k1 + 1]
                if nxt.up and nxt.ts - e <= stall:
                    k1 += 1
                    continue
                break
            if at_end:
                break
            if sig.t[known] <= e + stall or open_up <= e + stall:
                return out, first.ts
            break
        out.append((k, k1))
        k = k1 + 1
    return out, (float("inf") if at_end else open_up)


def _scan(
    sig: _Signals,
    known: int,
    *,
    at_start: bool,
    at_end: bool,
    state: _State,
    cfg: SegmentConfig,
) -> tuple[list[DetectedRep], float]:
    """Decide candidates in time order using samples ``0..known`` only.

    Returns the reps accepted and the earliest time still undecided (``inf`` when all is
    decided); ``state`` is updated in place. With ``confirm_s > 0`` a candidate that would
    open a set (no accepted rep in it yet) is judged against the next candidate that clears
    the absolute gates and starts within ``confirm_s`` of its end (module docstring, step
    4), so it is held until that one is settled, the stream ends, or ``confirm_s`` passes
    without one."""
    exc, open_up = excursions(
        sig.t, sig.d, sig.v, known, threshold=cfg.velocity_threshold, rest=cfg.rest_velocity,
        settle=cfg.settle_s, min_move=cfg.min_excursion, at_end=at_end,
    )  # fmt: skip
    groups, pending = _groups(sig, exc, known, open_up, state.after_t, at_end=at_end, cfg=cfg)
    cands: dict[int, _Candidate] = {}

    def cand(g: int) -> _Candidate:
        if g not in cands:
            cands[g] = _candidate(sig, exc, *groups[g], cfg)
        return cands[g]

    reps: list[DetectedRep] = []
    for g in range(len(groups)):
        c = cand(g)
        if state.last_accept_end is not None and c.s - state.last_accept_end > cfg.set_break_s:
            state.roms.clear()
        ref = float(np.median(state.roms)) if state.roms else None
        if c.passes and ref is None:
            nxt = next((cand(h) for h in range(g + 1, len(groups)) if cand(h).passes), None)
            wait = min(cfg.confirm_s, cfg.set_break_s)
            if nxt is not None and nxt.s - c.e <= wait:
                ref = nxt.rom
            elif wait > 0 and not at_end and min(pending, float(sig.t[known])) <= c.e + wait:
                return reps, exc[c.k0].ts  # a later rep may still come: hold this one
        rep = _evaluate(sig, exc, c, ref, known=known, at_start=at_start, at_end=at_end,
                        state=state, cfg=cfg)  # fmt: skip
        if rep is not None:
            reps.append(rep)
        state.after_t = exc[c.k1].te
    return reps, pending


def _evaluate(
    sig: _Signals,
    exc: list[Excursion],
    c: _Candidate,
    ref: float | None,
    *,
    known: int,
    at_start: bool,
    at_end: bool,
    state: _State,
    cfg: SegmentConfig,
) -> DetectedRep | None:
    """Metrics and the relative gate (against ``ref``) for candidate ``c``."""
    t, d, v = sig.t, sig.d, sig.v
    k0, k1 = c.k0, c.k1
    i0, i1 = exc[k0].i0, exc[k1].i1
    s, e, d_s = c.s, c.e, c.d_s
    dur = e - s
    rom = c.rom
    if not c.passes:
        return None
    if ref is not None and rom < cfg.min_relative_rom * ref:
        return None

    seg = v[i0 : i1 + 1]
    ip = i0 + int(np.argmax(seg))
    peak = float(v[ip])
    mcv = rom / dur
    mpv = mcv
    a = sig.accel(ip, i1 + 1)
    below = np.flatnonzero(a < -G)
    if len(below):
        j = ip + int(below[0])
        tp = float(t[j])
        if j > ip:  # interpolate where a crosses -g between j - 1 and j
            a0, a1 = a[j - ip - 1], a[j - ip]
            tp = float(t[j - 1] + (-G - a0) * (t[j] - t[j - 1]) / (a1 - a0))
        tp = min(max(tp, s), e)
        if tp - s > 0:
            mpv = (float(np.interp(tp, t, d)) - d_s) / (tp - s)

    flags: list[str] = []
    if (i0 == 0 and at_start) or (at_end and i1 == known):
        flags.append("clipped")
    if k1 > k0:
        flags.append("stalled")
    if ref is not None and rom < cfg.short_rom_fraction * ref:
        flags.append("short_rom")

    ecc_s: float | None = None
    ecc_v: float | None = None
    limit = max(state.after_t, s - cfg.lookback_s)
    downs = [x for x in exc[:k0] if not x.up and x.ts >= limit]
    if downs and s - downs[-1].te <= cfg.max_bottom_pause_s:
        first = len(downs) - 1
        while first > 0 and downs[first].ts - downs[first - 1].te <= cfg.max_stall_s:
            first -= 1
        es, ee = downs[first].ts, downs[-1].te
        drop = float(np.interp(es, t, d)) - float(np.interp(ee, t, d))
        if drop >= cfg.min_eccentric_fraction * rom and 0 < ee - es <= cfg.max_eccentric_s:
            ecc_s, ecc_v = ee - es, drop / (ee - es)

    state.roms.append(rom)
    state.last_accept_end = e
    return DetectedRep(
        start=s, end=e, mcv=mcv, mpv=mpv, peak_velocity=peak, rom=rom, concentric_s=dur,
        eccentric_s=ecc_s, eccentric_mean_velocity=ecc_v, quality=tuple(flags),
    )  # fmt: skip


def segment_reps(
    t: object,
    displacement: object,
    velocity: object | None = None,
    acceleration: object | None = None,
    *,
    config: SegmentConfig = SegmentConfig(),
    still: object | None = None,
) -> list[DetectedRep]:
    """Reps in a vertical displacement series (m, up positive) on time axis ``t`` (s).

    ``velocity`` (m/s) and ``acceleration`` (m/s^2, without gravity) are derived by
    smoothed differentiation when not given; ``still`` (bool per sample) marks where the
    bar is known to be still, and no concentric phase starts inside such a span.
    Batch face of :class:`RepSegmenter`."""
    ta = _as_array(t, "t")
    da = _as_array(displacement, "displacement")
    va = None if velocity is None else _as_array(velocity, "velocity")
    aa = None if acceleration is None else _as_array(acceleration, "acceleration")
    _validate(ta, da, va, aa)
    if len(ta) < 3:
        raise ValidationError(f"a stream needs at least 3 samples, got {len(ta)}", field="t")
    h1, h2 = _halves(ta, va is not None, aa is not None, config)
    sig = _derive(ta, da, va, aa, h1, h2, _as_mask(still, len(ta)))
    reps, _ = _scan(sig, len(ta) - 1, at_start=True, at_end=True, state=_State(), cfg=config)
    return reps


class RepSegmenter:
    """Streaming face of :func:`segment_reps`: feed samples as they arrive with
    :meth:`update`, get each rep once its end is settled; :meth:`finish` ends the stream.

    Memory is bounded: the buffer keeps the undecided tail plus ``lookback_s`` seconds
    (for the eccentric before the next rep) and the filter margins."""

    _CALIBRATION = 64  # samples used to fix the filter windows, as in the batch face

    def __init__(self, *, config: SegmentConfig = SegmentConfig()) -> None:
        self.config = config
        self._t: Array = np.empty(0)
        self._d: Array = np.empty(0)
        self._v: Array | None = None
        self._still: NDArray[np.bool_] | None = None
        self._has_v: bool | None = None
        self._halves: tuple[int, int] | None = None
        self._smooth: tuple[Array, Array] = (np.empty(0), np.empty(0))  # fitted d, v so far
        self._state = _State()
        self._at_start = True
        self._finished = False

    def update(
        self,
        t_chunk: object,
        displacement_chunk: object,
        velocity_chunk: object | None = None,
        *,
        still_chunk: object | None = None,
    ) -> list[DetectedRep]:
        """Add samples; return the reps completed since the last call (each exactly once).
        ``still_chunk`` is :func:`segment_reps`'s ``still`` for these samples."""
        if self._finished:
            raise ValidationError("the stream has been finished", field="t")
        tc = _as_array(t_chunk, "t")
        dc = _as_array(displacement_chunk, "displacement")
        vc = None if velocity_chunk is None else _as_array(velocity_chunk, "velocity")
        if self._has_v is None:
            self._has_v = vc is not None
        if self._has_v != (vc is not None):
            raise ValidationError("give velocity with every chunk or with none", "velocity")
        _validate(tc, dc, vc, None)
        if len(tc) == 0:
            return []
        if len(self._t) and tc[0] <= self._t[-1]:
            raise ValidationError("time does not increase across chunks", field="t")
        if len(self._t) and (still_chunk is None) != (self._still is None):
            raise ValidationError("give still with every chunk or with none", "still")
        self._t = np.concatenate((self._t, tc))
        self._d = np.concatenate((self._d, dc))
        if vc is not None:
            self._v = vc if self._v is None else np.concatenate((self._v, vc))
        if still_chunk is not None:
            sc = _as_mask(still_chunk, len(tc))
            assert sc is not None
            self._still = sc if self._still is None else np.concatenate((self._still, sc))
        return self._process(final=False)

    def finish(self) -> list[DetectedRep]:
        """End of stream: return the reps still pending (the last one, usually)."""
        if self._finished:
            return []
        self._finished = True
        if len(self._t) == 0:
            return []
        if len(self._t) < 3:
            raise ValidationError(f"a stream needs at least 3 samples, got {len(self._t)}", "t")
        return self._process(final=True)

    def _process(self, *, final: bool) -> list[DetectedRep]:
        cfg = self.config
        if self._halves is None:
            if len(self._t) < self._CALIBRATION and not final:
                return []
            self._halves = _halves(self._t, bool(self._has_v), False, cfg)
        h1, h2 = self._halves
        margin = 2 * (h1 + h2) + 4
        n = len(self._t)
        if not final and n < 2 * margin:
            return []
        sig = self._signals(h1, h2)
        known = n - 1 if final else n - 1 - h1 - h2
        reps, hold = _scan(sig, known, at_start=self._at_start, at_end=final,
                           state=self._state, cfg=cfg)  # fmt: skip
        if not final:
            cut_t = max(self._state.after_t, hold - cfg.lookback_s)
            self._state.after_t = cut_t
            cut = int(np.searchsorted(self._t, cut_t - 2 * cfg.settle_s)) - margin
            if cut > 0:
                self._t, self._d = self._t[cut:], self._d[cut:]
                self._smooth = (self._smooth[0][cut:], self._smooth[1][cut:])
                if self._v is not None:
                    self._v = self._v[cut:]
                if self._still is not None:
                    self._still = self._still[cut:]
                self._at_start = False
        return reps

    def _signals(self, h1: int, h2: int) -> _Signals:
        """The derived signals of the buffer. A fitted row depends only on the samples of its
        window, so only rows whose window reached the end of the buffer at the last update
        are fitted again (with enough samples before them for full windows): the cost of an
        update is the new samples', not the buffer's."""
        if self._v is not None:
            return _derive(self._t, self._d, self._v, None, h1, h2, self._still)
        n, done = len(self._t), len(self._smooth[0])
        width = 2 * h1 + 1
        r0 = max(0, done - h1)  # rows from here had windows clipped at the old end
        s0 = max(0, min(r0 - h1, n - width))
        d_new, v_new = local_poly(self._t[s0:], self._d[s0:], h1, order=3)
        keep = r0 - s0
        d_fit = np.concatenate((self._smooth[0][:r0], d_new[keep:]))
        v_fit = np.concatenate((self._smooth[1][:r0], v_new[keep:]))
        self._smooth = (d_fit, v_fit)
        return _Signals(self._t, d_fit, v_fit, None, max(h2, 1), self._d, None, max(h1, 1))
