"""Reps from a continuous vertical acceleration: no still moment needed.

Theory
------
A set is a train of up-and-down cycles. Three steps find them and measure them without
assuming the bar ever rests between reps (touch-and-go squats, continuous curls, a
recording that starts mid walk-out):

1. **The set's own tempo.** The dominant cycle frequency ``f0``, 0.12-1.5 Hz (rep cycles
   of 0.7-8 s), is the period of the velocity's autocorrelation
   (:func:`tempo`).
2. **Band-limited displacement for counting.** The acceleration is integrated twice in the
   frequency domain (``D(f) = -A(f) / (2 pi f)^2``) over the band ``[0.6 f0, 6 Hz]`` (the
   caller's ``band_low_factor``; 0.5 let a real set's slow sway merge or hide reps: 2 of 52
   bar sets, two lifters, and 2 % of simulated sets counted better at 0.6): drift
   (everything slower than about half the set's tempo) and noise never reach it, and being
   zero-phase it keeps the turnarounds where they are. A concentric phase is a rise from a
   bottom to the next top, turnarounds taken by their prominence (how far the signal falls
   back before rising above them again), the signal mirrored at both ends so that the
   first and last reps count even when the recording starts or stops at a top
   (:func:`find_cycles`: rises of at least the lift's ``min_rom`` and ``relative_rom`` x
   the set's typical rise; the walk-out and the re-rack are not reps). They are found on a
   ~12.5 Hz copy of the signal and placed between its samples at a parabola's vertex.
3. **Velocity pinned at the turnarounds.** At the top and the bottom of every rep the bar's
   velocity is zero, still or not: these instants are the zero-velocity updates that
   foot-mounted navigation takes from stance (Foxlin 2005, IEEE CG&A 25(6):38), here taken
   from the motion itself. The raw integral of the acceleration is corrected by a smooth
   drift (a regularised linear spline with knots every ``knot_cycles`` / ``f0``) fitted to
   its values at the turnarounds; each turnaround is then moved to the nearest zero
   crossing of the corrected velocity within its own uncertainty (one sample of the copy it
   was found on), and the fit repeated. A farther move only repeats the drift model's error
   ``e`` there, shifted by ``e / a``: at a touch-and-go bottom (``a`` several m/s^2) a
   quarter-cycle search pinned the whole concentric 0.2-0.3 m/s slow (issue 17). A constant bias (an
   accelerometer reading gravity as 9.6) leaves a linear drift, which the fit removes
   exactly; a slowly wandering one is followed by the spline. A final piecewise-linear
   correction makes the velocity exactly zero at every turnaround, and the displacement is
   its integral. No dead band or decay is ever applied to the velocity. A bar held at
   lockout (:func:`held_tops`) adds zero-velocity updates over the hold.

Each concentric then runs from where the velocity leaves zero upward (its last crossing of
``onset_velocity`` before the peak, extrapolated to zero along the local slope) to its
return to zero at the top; MCV = ROM / duration, MPV by the -g rule (Sanchez-Medina, Perez &
Gonzalez-Badillo 2010, IJSM 31:123), peak = the highest sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import solveh_banded
from scipy.signal import find_peaks

from replog.core.signal.types import Array, G

__all__ = ["Cycle", "band_displacement", "cumtrapz", "cut_first_rise", "find_cycles",
           "held_tops", "in_set_orientation", "pinned_velocity", "tempo", "vertex"]  # fmt: skip

F_MIN, F_MAX = 0.12, 1.5  # Hz: rep cycles of 0.7-8 s


@dataclass(frozen=True, slots=True)
class Cycle:
    """A concentric candidate on the grid: ``bottom`` and ``top`` sample indices and the
    rise of the band-limited displacement between them (m)."""

    bottom: int
    top: int
    rise: float


def _spectrum(x: Array, rate_hz: float, pad: int) -> tuple[Array, Array]:
    n = len(x)
    m = int(2 ** np.ceil(np.log2(max(pad * n, 16))))
    spec = np.fft.rfft((x - np.mean(x)) * np.hanning(n), m)
    freqs = np.asarray(np.fft.rfftfreq(m, 1.0 / rate_hz), dtype=np.float64)
    return freqs, np.asarray(np.abs(spec) ** 2, dtype=np.float64)


def tempo(a_v: Array, rate_hz: float, *, first_share: float = 0.75) -> tuple[float, float]:
    """``(f0, periodicity)``: the set's cycle frequency (Hz), 0.12-1.5 Hz, the period of the
    velocity's autocorrelation, and that autocorrelation at the period (1: every cycle the
    same; a set of reps 0.4-0.9 on the real recordings; a wrist moving about, 0.2-0.3).

    The velocity (``a_v`` integrated in the frequency domain over 0.1-3 Hz) of a train of
    reps repeats with the rep cycle, whatever the cycle's shape; its autocorrelation (the
    inverse transform of the power spectrum) peaks at that period and at its multiples.
    The shortest lag whose peak is at least ``first_share`` of the highest is the period, not
    a multiple of it. The plain peak of the velocity spectrum, used before, weights slow
    content by ``1 / f^2``: a walk-out or a sway under a row of ten 1.1 Hz reps read as a
    0.12 Hz tempo and the set counted one rep; it remains the fallback when the
    autocorrelation has no peak in range."""
    n = len(a_v)
    m = int(2 ** np.ceil(np.log2(max(2 * n, 16))))
    f = np.fft.rfftfreq(m, 1.0 / rate_hz)
    gain = ((f >= 0.1) & (f <= 3.0)) / (2.0 * np.pi * np.maximum(f, 1e-9))
    acf = np.fft.irfft(np.abs(np.fft.rfft(a_v - np.mean(a_v), m) * gain) ** 2, m)[:n]
    lo, hi = int(rate_hz / F_MAX), min(int(rate_hz / F_MIN), n - 2)
    if acf[0] > 0 and hi > lo:
        seg = acf[lo - 1 : hi + 2] if lo >= 1 else acf[: hi + 2]
        off = lo - 1 if lo >= 1 else 0
        inner = seg[1:-1]
        peaks = np.flatnonzero((inner > seg[:-2]) & (inner >= seg[2:])) + 1 + off
        if len(peaks) and np.max(acf[peaks]) > 0:
            best = float(np.max(acf[peaks]))
            lag = int(peaks[np.flatnonzero(acf[peaks] >= first_share * best)[0]])
            return float(rate_hz / lag), float(acf[lag] / acf[0])
    fs, power = _spectrum(a_v, rate_hz, 2)
    band = (fs >= F_MIN) & (fs <= F_MAX)
    if not np.any(band):
        return 0.5, 0.0
    return float(fs[band][int(np.argmax(power[band] / fs[band] ** 2))]), 0.0


def band_displacement(a_v: Array, rate_hz: float, f_lo: float, f_hi: float) -> Array:
    """Displacement from acceleration by division in the frequency domain over
    ``[f_lo, f_hi]`` (a half-sine taper from ``f_lo / 2``), the signal mirrored at its end so
    that the circular transform sees no jump."""
    n = len(a_v)
    x = a_v - np.mean(a_v)
    m = int(2 ** np.ceil(np.log2(2 * n)))
    buf = np.zeros(m)
    buf[:n] = x
    buf[n : 2 * n] = x[::-1][: m - n]
    f = np.fft.rfftfreq(m, 1.0 / rate_hz)
    w = 2.0 * np.pi * np.maximum(f, 1e-9)
    gain = np.zeros_like(f)
    gain[(f >= f_lo) & (f <= f_hi)] = 1.0
    taper = (f >= 0.5 * f_lo) & (f < f_lo)
    gain[taper] = np.sin(0.5 * np.pi * (f[taper] - 0.5 * f_lo) / (0.5 * f_lo)) ** 2
    return np.fft.irfft(np.fft.rfft(buf) * (-gain / w**2), m)[:n]


def _turns(d: Array, prominence: float) -> list[tuple[int, bool]]:
    """Alternating turnarounds of ``d`` (index, is_top) whose prominence is at least
    ``prominence``. The signal is mirrored at both ends first, so that a recording which
    starts or stops at a top or a bottom has a turnaround there; of two tops (or bottoms)
    in a row the higher (lower) stays."""
    n = len(d)
    ext = np.concatenate((d[:0:-1], d, d[-2::-1]))
    tops = find_peaks(ext, prominence=prominence)[0] - (n - 1)
    bottoms = find_peaks(-ext, prominence=prominence)[0] - (n - 1)
    events = sorted([(int(i), True) for i in tops if 0 <= i < n]
                    + [(int(i), False) for i in bottoms if 0 <= i < n])  # fmt: skip
    out: list[tuple[int, bool]] = []
    for i, top in events:
        if out and out[-1][1] == top:
            j = out[-1][0]
            if (d[i] > d[j]) == top:
                out[-1] = (i, top)
        else:
            out.append((i, top))
    return out


def _rises(d: Array, prominence: float) -> list[Cycle]:
    turns = _turns(d, prominence)
    return [Cycle(a, b, float(d[b] - d[a])) for (a, a_top), (b, _) in pairwise(turns) if not a_top]


def find_cycles(
    d: Array, *, prominence: float, min_rise: float, relative_rise: float,
    setup_duration: float = 2.0, setup_rise: float = 0.8, fill_rise: float = 0.2,
) -> list[Cycle]:  # fmt: skip
    """Concentric candidates of a band-limited displacement ``d``: each rise from a bottom
    to the next top, turnarounds found by their prominence (how far the signal must fall
    back before rising above them again), so that a slow wander of the baseline neither
    merges two reps nor splits one as a fixed threshold around zero would.

    1. A first pass at ``prominence`` x the signal's 90th-percentile amplitude finds the
       set's typical rise: the median of those reaching ``min_rise``, of their larger
       half when there are under five (a single rep between a walk-out and a re-rack is
       the typical one, not the middle of three).
    2. The second pass keeps turnarounds of at least ``prominence`` x that rise, and rises
       of at least ``min_rise`` and ``relative_rise`` x the typical one.
    3. A first or last rise slower than ``setup_duration`` x the set's median and smaller
       than ``setup_rise`` x its typical rise is the walk-out, the clean to the shoulders or
       the re-rack around the set, not a rep: dropped (a grinding last rep is slow but
       rises as far as the others).
    4. A rise smaller than ``relative_rise`` x the typical one (but at least ``fill_rise``
       x it and ``min_rise``) still counts where the set's rhythm says a rep is missing
       (:func:`_in_rhythm`): a rep the band displacement renders small (a hole in the
       samples, a hitch) keeps its place in a train of evenly spaced reps."""
    amp = float(np.percentile(np.abs(d - np.median(d)), 90))
    if amp <= 0:
        return []
    big = [c.rise for c in _rises(d, prominence * amp) if c.rise >= min_rise]
    if not big:
        return []
    # a short set's walk-out and re-rack are a third of its candidates: use its larger half
    typical = float(np.median(big if len(big) >= 5 else sorted(big)[len(big) // 2 :]))
    out = [c for c in _rises(d, prominence * typical)
           if c.rise >= max(min_rise, relative_rise * typical)]  # fmt: skip
    pool = [c for c in _rises(d, prominence * min(amp, typical))
            if c.rise >= max(min_rise, fill_rise * typical)]  # fmt: skip
    out = _in_rhythm(out, pool)
    if len(out) >= 4:
        dur = float(np.median([c.top - c.bottom for c in out]))
        for k in (-1, 0):
            c = out[k]
            if c.top - c.bottom > setup_duration * dur and c.rise < setup_rise * typical:
                out.pop(k)
    return out


def _in_rhythm(out: list[Cycle], pool: list[Cycle], *, least: int = 4) -> list[Cycle]:
    """``out`` with the rises of ``pool`` that fill its rhythm's holes: where two counted
    rises are ``m`` >= 1.5 periods apart (the period the median spacing of their bottoms,
    with at least ``least`` rises counted), up to ``round(m) - 1`` of the largest rises
    between them, each at least half a period from every counted rise, are reps the set's
    tempo says were there. Nothing is added before the first rise or after the last (a
    walk-out or a re-rack keeps no rhythm), nor to a set too short to have one."""
    if len(out) < least:
        return out
    period = float(np.median(np.diff([c.bottom for c in out])))
    if period <= 0:
        return out
    added: list[Cycle] = []
    for a, b in pairwise(out):
        room = (b.bottom - a.bottom) / period
        if room < 1.5:
            continue
        inside = sorted((c for c in pool if c.bottom >= a.top and c.top <= b.bottom),
                        key=lambda c: -c.rise)  # fmt: skip
        taken = [a, b]
        for c in inside:
            if len(taken) - 2 >= round(room) - 1:
                break
            if all(abs(c.bottom - x.bottom) >= 0.5 * period for x in taken):
                taken.append(c)
        added += taken[2:]
    return sorted(out + added, key=lambda c: c.bottom)


def cut_first_rise(
    d: Array, found: list[Cycle], *, full: float = 0.65, opening: float = 0.25
) -> Cycle | None:
    """The rise a recording began too late to see, for a lift whose set starts at the
    bottom (a press from the shoulders): when the band displacement ``d`` opens at a top
    (within ``opening`` x the set's period of the first sample) and falls from it by at
    least ``full`` x the set's typical rise to the first counted bottom, within a period,
    that fall is a rep's eccentric, so its concentric came before the first sample. Such a
    lift has nothing above its start to come down from; a row or a curl may (the bar is
    picked up, then the lifter hinges over) and a squat or a bench always does (their sets
    start at the top): they are not asked. Returns the rise (its bottom the first sample,
    its top the opening top) or None. Needs three counted rises (a period)."""
    if len(found) < 3:
        return None
    period = float(np.median(np.diff([c.bottom for c in found])))
    typical = float(np.median([c.rise for c in found]))
    first = found[0].bottom
    if period <= 0 or first > period:
        return None
    top = int(np.argmax(d[: first + 1]))
    drop = float(d[top] - d[first])
    if top > opening * period or drop < full * typical:
        return None
    return Cycle(0, top, drop)


def in_set_orientation(
    found: list[Cycle], up: Array, *, max_tilt_deg: float = 60.0, settle: float = 0.5,
    held_share: float = 0.75,
) -> list[Cycle]:  # fmt: skip
    """``found`` without the rises made while the sensor was turned away from the
    orientation it holds through the set: a bar cleaned to the shoulders before a press
    flips over (a real set: 7 rad/s, 180 degrees) and flips back when it is set down, and
    the clean's pull and the lifter standing up from its catch are rises of a rep's size.

    ``up`` is the unit "up" vector in the sensor's frame at each sample. The set's
    orientation is its median over the counted rises; where the sensor is tilted more than
    ``max_tilt_deg`` from it, it was turned over, and those stretches split the recording.
    The set lives in the stretch holding most counted rises: rises outside it, or tilted
    over themselves, are dropped, and so is a rise starting within ``settle`` x the set's
    period (the median spacing of the bottoms) after a turn-over that opens the stretch
    (standing up from the catch). Nothing changes unless at least ``held_share`` of the
    rises hold the orientation: a bar that turns with every rep (a curl's forearms roll
    it) has no orientation to leave, and the caller does not ask this of such lifts."""
    if len(found) < 3 or len(up) == 0:
        return found
    span = [np.arange(c.bottom, c.top + 1) for c in found]
    ref = np.median(up[np.concatenate(span)], axis=0)
    norm = float(np.linalg.norm(ref))
    if norm == 0:
        return found
    cos = np.cos(np.radians(max_tilt_deg))
    turned = (up @ (ref / norm)) < cos
    held = [not np.any(turned[s]) for s in span]
    if not np.any(turned) or np.mean(held) < held_share:
        return found
    stretch = np.cumsum(np.diff(np.concatenate(([0], turned.astype(np.int8)))) == 1)
    ids = [int(stretch[c.bottom]) for c, h in zip(found, held, strict=True) if h]
    main = max(set(ids), key=ids.count)
    opened = int(np.flatnonzero((stretch == main) & ~turned)[0]) if main > 0 else None
    period = float(np.median(np.diff([c.bottom for c in found])))
    return [
        c for c, h in zip(found, held, strict=True)
        if h and stretch[c.bottom] == main
        and (opened is None or c.bottom - opened >= settle * period)
    ]  # fmt: skip


def vertex(d: Array, i: int) -> float:
    """Offset (samples, within +-0.5) of the vertex of the parabola through ``d`` at
    ``i - 1``, ``i``, ``i + 1``: where an extremum sampled at ``i`` really lies."""
    if i <= 0 or i >= len(d) - 1:
        return 0.0
    curve = d[i - 1] - 2.0 * d[i] + d[i + 1]
    return 0.0 if curve == 0 else float(np.clip(0.5 * (d[i - 1] - d[i + 1]) / curve, -0.5, 0.5))


def cumtrapz(y: Array, step: float) -> Array:
    """Running trapezoid integral of ``y`` sampled every ``step`` seconds (0 at the start)."""
    out = np.zeros_like(y)
    out[1:] = np.cumsum(0.5 * (y[1:] + y[:-1])) * step
    return out


def _spline_fit(x: Array, y: Array, knots: Array, smooth: float) -> Array:
    """Coefficients of a linear spline on ``knots`` fitted to ``(x, y)``, with a penalty on
    its second differences (``smooth``) so that spans without data follow their
    neighbours. The normal equations are banded (a hat function overlaps only its
    neighbours, a second difference spans three knots): solved as such, an hour's stream
    with a knot every few seconds costs milliseconds, not a dense k x k system."""
    k = len(knots)
    i = np.clip(np.searchsorted(knots, x, side="right") - 1, 0, k - 2)
    w = (x - knots[i]) / (knots[i + 1] - knots[i])
    upper = np.zeros((3, k))  # solveh_banded's upper form: row 2 the diagonal
    np.add.at(upper[2], i, (1 - w) ** 2)
    np.add.at(upper[2], i + 1, w**2)
    np.add.at(upper[1], i + 1, (1 - w) * w)
    rhs = np.zeros(k)
    np.add.at(rhs, i, (1 - w) * y)
    np.add.at(rhs, i + 1, w * y)
    if k >= 3:  # D^T D of the second differences (1, -2, 1), row r on knots r..r+2
        r = np.arange(k - 2)
        for a, b, c in ((0, 0, 1.0), (1, 1, 4.0), (2, 2, 1.0), (0, 1, -2.0), (1, 2, -2.0),
                        (0, 2, 1.0)):  # fmt: skip
            np.add.at(upper[2 - (b - a)], r + b, smooth * c)
    upper[2] += 1e-9
    return np.asarray(solveh_banded(upper, rhs), dtype=np.float64)


def _zero_crossings(v: Array) -> NDArray[np.intp]:
    s = np.signbit(v)
    return np.flatnonzero(s[1:] != s[:-1])


def held_tops(
    a: Array, d: Array, found: list[Cycle], rate_hz: float, f0: float, *,
    level: float, min_s: float = 0.25, near: float = 0.2,
) -> NDArray[np.intp]:  # fmt: skip
    """Samples where the bar is held at lockout after a concentric: the vertical
    acceleration ``a`` stays under ``level`` for at least ``min_s`` within a quarter cycle
    of a rep's top while the band displacement ``d`` is within ``near`` x the rep's rise of
    that top. There the velocity is zero: a held bar is the only way to go that long
    without accelerating so near the top (a grind's sticking point, also slow to change,
    lies mid-rise and is never taken). The same test at the bottoms was tried and dropped:
    it made the real bent-over rows' ROM implausible (0.88 -> 0.75 of reps plausible)."""
    quiet = np.abs(a) < level
    n = len(a)
    reach = max(1, int(0.25 / f0 * rate_hz))
    least = max(2, int(min_s * rate_hz))
    out: list[NDArray[np.intp]] = []
    for c in found:
        lo, hi = max(0, c.top - reach), min(n, c.top + reach + 1)
        ok = d[lo:hi] >= d[c.top] - near * (d[c.top] - d[c.bottom])
        held = np.concatenate(([False], quiet[lo:hi] & ok, [False]))
        edges = np.flatnonzero(np.diff(held.astype(np.int8)))
        for a0, a1 in zip(edges[::2], edges[1::2], strict=True):
            if a1 - a0 >= least:
                out.append(np.arange(lo + a0, lo + a1))
    return np.unique(np.concatenate(out)) if out else np.zeros(0, dtype=np.intp)


GAP_WEIGHT = 20.0
"""A lost sample's share of a turnaround correction, x a measured one's (harder simulator,
Bluetooth packets lost for 0.1-0.8 s: MCV RMSE 0.0316 -> 0.0312 on seed 3, weights 5-100
alike; with an ideal sensor all the error is in the hole)."""


def pinned_velocity(
    a_v: Array,
    rate_hz: float,
    anchors: NDArray[np.intp],
    *,
    knot_s: float,
    search: int,
    iterations: int = 3,
    held: NDArray[np.intp] | None = None,
    stalled: NDArray[np.intp] | None = None,
    refined: list[NDArray[np.intp]] | None = None,
    gap: NDArray[np.bool_] | None = None,
) -> Array:
    """Velocity (m/s) from ``a_v`` with zero-velocity updates at the turnarounds
    ``anchors`` (each refined to the nearest zero crossing within ``search`` samples) and
    at the samples ``held`` (a bar held still at lockout: never moved). ``stalled``
    samples (a top where a first pass left the velocity lingering,
    :func:`arrival`) are pinned too, by the final exact correction only: they move no
    turnaround and leave the drift model elsewhere as it was. ``refined`` (a list, when
    given) receives the turnarounds as refined: passed back with ``iterations=0`` they
    repeat this fit without its search (a second pass that only adds ``stalled``).
    ``gap`` marks samples bridged over a hole (:data:`GAP_WEIGHT`)."""
    step = 1.0 / rate_hz
    v_raw = cumtrapz(a_v, step)
    n = len(v_raw)
    t = np.arange(n, dtype=np.float64) * step
    anchors = np.unique(np.clip(anchors, 0, n - 1))
    fixed = np.zeros(0, dtype=np.intp) if held is None else np.clip(held, 0, n - 1)
    if len(anchors) < 2:
        return np.asarray(v_raw - np.mean(v_raw), dtype=np.float64)
    knots = np.linspace(0.0, t[-1], max(2, int(np.ceil(t[-1] / knot_s)) + 1))
    v = v_raw
    thin = fixed[:: max(1, int(0.1 * rate_hz))]  # a hold weighs a few turnarounds, not all
    for _ in range(iterations):
        fit = np.union1d(anchors, thin)
        coef = _spline_fit(t[fit], v_raw[fit], knots, 1.0)
        v = v_raw - np.interp(t, knots, coef)
        zc = _zero_crossings(v)
        if len(zc) == 0:
            break
        pos = np.clip(np.searchsorted(zc, anchors), 1, len(zc)) - 1
        near = np.where(
            np.abs(zc[np.minimum(pos + 1, len(zc) - 1)] - anchors) < np.abs(zc[pos] - anchors),
            zc[np.minimum(pos + 1, len(zc) - 1)],
            zc[pos],
        )
        # a crossing is between near and near + 1: take the sample closer to zero
        near = np.where(np.abs(v[np.minimum(near + 1, n - 1)]) < np.abs(v[near]), near + 1, near)
        moved = np.where(np.abs(near - anchors) <= search, near, anchors)
        anchors = np.unique(np.clip(moved, 0, n - 1))
    if refined is not None:
        refined.append(anchors)
    anchors = np.union1d(anchors, fixed)
    if stalled is not None and len(stalled):
        anchors = np.union1d(anchors, np.clip(stalled, 0, n - 1))
    # between two turnarounds the correction is a line in time, or where samples were
    # lost, a line in a time where each lost sample weighs GAP_WEIGHT: what the hole hid
    # (its acceleration is a straight guess) is where most of the velocity's error lies
    u = t if gap is None or not gap.any() else np.cumsum(np.where(gap, GAP_WEIGHT, 1.0)) * step
    corr = np.interp(u, u[anchors], v_raw[anchors])
    # before the first and after the last turnaround (a walk-out, a re-rack) the drift
    # model carries on, joined to the exact correction, instead of freezing at its end value
    drift = np.interp(t, knots, _spline_fit(t[anchors], v_raw[anchors], knots, 1.0))
    a0, a1 = anchors[0], anchors[-1]
    corr[:a0] = drift[:a0] + (corr[a0] - drift[a0])
    corr[a1 + 1 :] = drift[a1 + 1 :] + (corr[a1] - drift[a1])
    return np.asarray(v_raw - corr, dtype=np.float64)


def onset(v: Array, i_peak: int, i_floor: int, level: float, step: float) -> float:
    """Where the velocity left zero before its peak at ``i_peak`` (not before ``i_floor``):
    the last upward crossing of ``level``, then back to where the velocity itself crossed
    zero if that lies within ``ONSET_REACH`` x the local slope's distance to zero, else to
    that distance (sample units, fractional).

    A touch-and-go bottom leaves zero along a line, which the slope extrapolates exactly; a
    bar rising from a pause leaves it as a parabola (force building up), whose tangent at
    any level points to zero half-way back: the slope alone made such concentrics start
    late (ideal sensor, harder simulator: 15 ms, durations 1 % short, MCV 1 % high). A
    crossing farther back than the parabola's is the drift model's wander near zero."""
    seg = v[i_floor : i_peak + 1]
    below = np.flatnonzero(seg <= level)
    if len(below) == 0:
        return float(i_floor)
    j = i_floor + int(below[-1])
    if j >= i_peak:
        return float(j)
    slope = (v[j + 1] - v[j]) / step
    if slope <= 0:
        return float(j)
    back = max(0.0, (v[j] / slope) / step)  # samples from j back to where v would be 0
    lo = max(i_floor, int(np.floor(j - ONSET_REACH * back)) - 1)
    zero = np.flatnonzero(v[lo : j + 1] <= 0.0)
    if len(zero):
        z = lo + int(zero[-1])
        return float(max(i_floor, z + v[z] / (v[z] - v[z + 1])))
    return float(max(i_floor, j - back))


ONSET_REACH = 2.0
"""How far back (x the slope's distance to zero) a concentric's start may lie: a parabola's."""


def arrival(
    v: Array, i_peak: int, i_ceil: int, level: float, step: float, *,
    high: float | None = None, stall: float | None = None,
) -> float:  # fmt: skip
    """Where the velocity returns to zero after its peak (not after ``i_ceil``): the first
    downward crossing of ``level``, extrapolated to zero along the local slope (a bar held
    at lockout while the drift model leaves it a few mm/s must not stretch the phase).

    With ``high`` and ``stall`` (samples): where the velocity, once down through ``high``,
    lingers above ``level`` for more than ``stall`` beyond the zero its deceleration at
    ``high`` points to, the lingering is the drift model's error over a hold or a sway at
    the top (a bar decelerating to lockout does not stop decelerating just short of it):
    the end is that extrapolated zero, unless the velocity rises past ``high`` again (a
    sticking point: the rep goes on). On the harder simulator such tails stretched ~0.5 %
    of concentrics by 0.5-1.5 s, each 0.15-0.4 m/s slow, a third of the MCV error."""
    end = _down_to(v, i_peak, i_ceil, level, step)
    if high is None or stall is None or high <= level:
        return end
    early = _down_to(v, i_peak, i_ceil, high, step)
    if end <= early + stall:
        return end
    # a sticking point re-accelerates past ``high``: that is the lift, not a lingering drift
    return end if float(np.max(v[int(early) : int(end) + 1])) > high else early


def _down_to(v: Array, i_peak: int, i_ceil: int, level: float, step: float) -> float:
    seg = v[i_peak : i_ceil + 1]
    low = np.flatnonzero(seg <= level)
    if len(low) == 0:
        return float(i_ceil)
    j = i_peak + int(low[0])
    if j == i_peak:
        return float(j)
    slope = (v[j] - v[j - 1]) / step
    if slope >= 0:
        return float(j)
    ahead = (v[j] / -slope) / step
    return float(min(i_ceil, j + max(0.0, ahead)))


def propulsive_end(a: Array, i_peak: int, i_end: int) -> int:
    """The first sample after peak velocity where the acceleration drops below -g (the
    end of the propulsive phase), or ``i_end``."""
    below = np.flatnonzero(a[i_peak : i_end + 1] < -G)
    return i_end if len(below) == 0 else i_peak + int(below[0])
