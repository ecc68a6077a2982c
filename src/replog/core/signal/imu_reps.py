"""Each rep of the continuous IMU pipeline measured from the pinned velocity, and how far it
can be trusted (:mod:`replog.core.signal.imu`, step 4).

A concentric runs from where the velocity leaves zero to where it returns (each edge found
at 10 % of the peak, or ``onset_velocity`` if more, and extrapolated to zero along the
slope); ROM is the displacement between them, MCV ROM / duration, MPV by the -g rule, peak
the highest sample, the eccentric the descent before it. Its ``quality`` flags and
``confidence``: ``rom_implausible`` (outside the lift's range), ``duration_implausible``,
``rom_outlier`` (far from the set's median rise), ``drift`` (the turnaround pinning changed
it a lot, or an implausible integral disagreed with the counting signal's rise by over
``rise_agreement`` x and was scaled to it), ``gap`` (a hole in the samples) and
``velocity_unavailable`` (a sensor under ``min_velocity_rate_hz``, or a hole over
``max_hole_s``: counted, not measured; or a ``drift`` rep whose MCV is far from the set's,
``velocity_outlier``). A cycle the counting signal found but the pinned velocity shows no
concentric in stays a rep, sized by its rise, without a velocity.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from replog.core.signal import cycles as cy
from replog.core.signal.lifts import LiftPrior
from replog.core.signal.types import Array, DetectedRep

if TYPE_CHECKING:
    from replog.core.signal.imu import ImuConfig

__all__ = ["cut_rep", "doubtful_velocities_unmeasured", "flagged", "measure_reps", "plausible",
           "split_merged"]  # fmt: skip


def measure_reps(
    found: list[cy.Cycle], grid: Array, v: Array, d: Array, a_v: Array,
    in_gap: NDArray[np.bool_], prior: LiftPrior, native: float, f0: float, rate: float,
    cfg: ImuConfig, stalls: list[tuple[int, int]] | None = None,
) -> list[DetectedRep]:  # fmt: skip
    """The reps of the cycles ``found``; ``stalls`` (when given) collects the sample spans
    where a concentric's velocity lingered after its end (:func:`cy.arrival`'s stall
    guard): a hold at the top the drift model did not pin, for the caller to pin."""
    step = 1.0 / rate
    a = np.gradient(v, step)
    quarter = max(1, int(0.25 / f0 * rate))
    n = len(v)
    median_rise = float(np.median([x.rise for x in found]))
    out: list[DetectedRep] = []
    prev_top = 0
    for k, c in enumerate(found):
        if grid[c.top] - grid[c.bottom] > prior.concentric_s[1]:
            continue  # a rise this slow is a lifter moving about, not a concentric
        lo = max(prev_top, c.bottom - quarter)
        nxt = found[k + 1].bottom if k + 1 < len(found) else n - 1
        hi = min(nxt, c.top + quarter, n - 1)
        i_peak = lo + int(np.argmax(v[lo : hi + 1])) if hi > lo + 1 else lo
        level = max(cfg.onset_velocity, cfg.edge_fraction * float(v[i_peak]))
        s = cy.onset(v, i_peak, lo, level, step) if v[i_peak] > 0 else 0.0
        e = cy.arrival(v, i_peak, hi, level, step) if v[i_peak] > 0 else 0.0
        if v[i_peak] > 0:
            guarded = cy.arrival(v, i_peak, hi, level, step, stall=cfg.stall_s * rate,
                                 high=cfg.stall_fraction * float(v[i_peak]))  # fmt: skip
            if guarded < e and stalls is not None:
                stalls.append((int(np.ceil(guarded)), int(np.floor(e))))
            e = guarded
        ts, te = _at(grid, s), _at(grid, e)
        ds = _at(d, s)
        rom = _at(d, e) - ds
        if v[i_peak] <= 0 or e - s < 2 or rom <= 0 or te - ts > prior.concentric_s[1]:
            # counted, but the pinned velocity shows no concentric in it: the rep stands,
            # timed and sized by the counting signal, with no velocity
            out.append(_unmeasured(c, grid, median_rise, prior, cfg))
            prev_top = max(prev_top, c.top)
            continue
        dur = te - ts
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
        # the pinned integral against the counting signal's rise: where the ROM is
        # implausible for the lift and the two disagree by more than rise_agreement x, the
        # integration lost its way (a hole, a bad turnaround) and the rise, robust to
        # drift, scales the rep's velocities
        scale = 1.0
        if not plausible(rom, prior) and not (
            1.0 / cfg.rise_agreement <= rom / c.rise <= cfg.rise_agreement
        ):
            scale = c.rise / rom
        flags, conf = _quality(rom * scale, dur, c.rise, median_rise, a_v, v, in_gap, i0, i1,
                               prior, native, cfg, rescaled=scale != 1.0)  # fmt: skip
        out.append(DetectedRep(start=ts, end=te, mcv=scale * rom / dur, mpv=scale * max(mpv, 0.0),
                               peak_velocity=scale * float(v[i_peak]), rom=scale * rom,
                               concentric_s=dur, eccentric_s=ecc_s,
                               eccentric_mean_velocity=None if ecc_v is None else scale * ecc_v,
                               quality=flags, confidence=conf))  # fmt: skip
        prev_top = max(prev_top, int(np.ceil(e)))
    return out


def _unmeasured(
    c: cy.Cycle, grid: Array, median_rise: float, prior: LiftPrior, cfg: ImuConfig
) -> DetectedRep:
    """A counted cycle whose velocity could not be measured: its bottom-to-top span and
    rise, flagged ``velocity_unavailable`` (and the ROM flags the rise earns)."""
    dur = max(float(grid[c.top] - grid[c.bottom]), 1e-3)
    flags = ["velocity_unavailable"]
    conf = 0.25
    if not plausible(c.rise, prior):
        flags.insert(0, "rom_implausible")
        conf *= 0.5
    if median_rise > 0 and abs(c.rise - median_rise) > cfg.rom_outlier * median_rise:
        flags.insert(-1, "rom_outlier")
        conf *= 0.7
    mean = c.rise / dur
    return DetectedRep(start=float(grid[c.bottom]), end=float(grid[c.top]), mcv=mean, mpv=mean,
                       peak_velocity=mean, rom=c.rise, concentric_s=dur, quality=tuple(flags),
                       confidence=round(conf, 3))  # fmt: skip


def cut_rep(
    c: cy.Cycle, grid: Array, median_rise: float, prior: LiftPrior, cfg: ImuConfig
) -> DetectedRep:
    """A rep whose concentric ended before the recording began (its bottom is the first
    sample): counted, sized by the descent after it, flagged ``cut`` and
    ``velocity_unavailable``."""
    rep = _unmeasured(c, grid, median_rise, prior, cfg)
    return replace(rep, quality=("cut", *rep.quality))


def _at(x: Array, i: float) -> float:
    """``x`` at a fractional sample index (linear between samples)."""
    j = min(int(i), len(x) - 2)
    return float(x[j] + (i - j) * (x[j + 1] - x[j]))


def _quality(
    rom: float, dur: float, rise: float, median_rise: float, a_v: Array, v: Array,
    in_gap: NDArray[np.bool_], i0: int, i1: int, prior: LiftPrior, native: float,
    cfg: ImuConfig, *, rescaled: bool = False,
) -> tuple[tuple[str, ...], float]:  # fmt: skip
    flags: list[str] = []
    conf = 1.0
    if not plausible(rom, prior):
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
    if rescaled or correction / max(dur, 1e-3) > cfg.drift_limit:
        flags.append("drift")
        conf *= 0.5 if rescaled else 0.7
    hole = in_gap[i0 : i1 + 1]
    if np.any(hole):
        flags.append("gap")
        conf *= 0.5
    if native < cfg.min_velocity_rate_hz or _longest_run(hole) * step > cfg.max_hole_s:
        flags.append("velocity_unavailable")
        conf *= 0.5
    return tuple(flags), round(conf, 3)


def _longest_run(mask: NDArray[np.bool_]) -> int:
    """The longest run of True in ``mask`` (samples)."""
    if not np.any(mask):
        return 0
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return int(np.max(edges[1::2] - edges[::2]))


def plausible(rom: float, prior: LiftPrior) -> bool:
    lo, hi = prior.rom_range
    return lo <= rom <= hi


def flagged(rep: DetectedRep, implausible: bool, slow: bool) -> DetectedRep:
    """A rested rep with the flags the continuous pipeline would give it."""
    extra = (("rom_implausible",) if implausible else ()) + (
        ("velocity_unavailable",) if slow else ()
    )
    if not extra:
        return rep
    return replace(
        rep, quality=(*rep.quality, *extra), confidence=rep.confidence * 0.5 ** len(extra)
    )


def doubtful_velocities_unmeasured(reps: list[DetectedRep], limit: float) -> list[DetectedRep]:
    """``reps``, each whose integration shows two independent signs of having gone wrong
    losing its velocity (``velocity_outlier``, ``velocity_unavailable``) but not its count:
    a doubtful flag (``drift``: the turnaround pinning changed it a lot; ``gap``; a ROM
    implausible for the lift or an outlier in the set) with an MCV more than ``limit`` x
    away from the median of the set's measured reps (within a set velocity falls
    gradually: a 1.45 m/s rep between 0.75 and 0.88 m/s ones is a misplaced turnaround, not
    a lift), or a ROM both implausible for the lift and an outlier in the set (MCV is ROM
    over time: a wrong ROM is a wrong MCV). On the harder simulator these were 1-2 % of
    reps, with errors of 0.1-0.6 m/s."""
    measured = [r.mcv for r in reps if "velocity_unavailable" not in r.quality]
    if len(measured) < 3:
        return reps
    mid = float(np.median(measured))

    def off(r: DetectedRep) -> bool:
        flags = set(r.quality)
        if "velocity_unavailable" in flags:
            return False
        if {"rom_implausible", "rom_outlier"} <= flags:
            return True
        return bool(_SUSPECT & flags) and abs(r.mcv - mid) > limit * mid

    return [
        replace(r, quality=(*r.quality, "velocity_outlier", "velocity_unavailable"),
                confidence=round(r.confidence * 0.5, 3))
        if off(r) else r
        for r in reps
    ]  # fmt: skip


_SUSPECT = frozenset({"drift", "gap", "rom_implausible", "rom_outlier"})


def split_merged(rested: list[DetectedRep], cont: list[DetectedRep]) -> list[DetectedRep]:
    """Rested reps, each replaced by the continuous reps inside it when there are two or
    more: the rest-anchored pipeline took a touch-and-go pair for one movement (a rest it
    did not see), which the turnarounds split (a real deadlift set: one "rep" of 2.4 m)."""
    out: list[DetectedRep] = []
    for r in rested:
        inside = [c for c in cont if c.start >= r.start - 0.25 and c.end <= r.end + 0.25]
        out += inside if len(inside) >= 2 else [r]
    return out
