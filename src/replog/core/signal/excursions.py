"""Velocity excursions: the building blocks of rep segmentation
(see :mod:`replog.core.signal.segment` for the algorithm they serve).

An excursion is a maximal run of samples moving faster than a rest band in one direction
whose peak leaves the dead band and which moves the bar at least ``min_move``; its ends are
placed on the velocity's zero-crossings (or, when the bar drifts at rest without crossing
zero, on the rest-band crossing extrapolated to zero along the local slope).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from replog.core.signal.types import Array


def crossing(t: Array, v: Array, i: int) -> float:
    """Time where ``v`` crosses zero between samples ``i`` and ``i + 1``."""
    v0, v1 = v[i], v[i + 1]
    return float(t[i] + (0.0 - v0) * (t[i + 1] - t[i]) / (v1 - v0))


@dataclass(frozen=True, slots=True)
class Excursion:
    """An excursion: a maximal run of ``v > 0`` (up) or ``v < 0`` (down) that leaves the
    dead band; ``ts``/``te`` are its interpolated zero-crossings."""

    up: bool
    i0: int
    i1: int
    ts: float
    te: float
    closed: bool


def excursions(
    t: Array,
    d: Array,
    v: Array,
    known: int,
    *,
    threshold: float,
    rest: float,
    settle: float,
    min_move: float,
    at_end: bool,
) -> tuple[list[Excursion], float]:
    """Excursions over samples ``0..known`` in time order, and the start of the up-run
    still open at ``known`` (``t[known]`` when there is none)."""
    found: list[Excursion] = []
    open_up = float(t[known])
    for sign in (1.0, -1.0):
        w = sign * v[: known + 1]  # the motion's own direction is positive
        edges = np.diff(np.concatenate(([0], (w > rest).astype(np.int8), [0])))
        for i0, i1 in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True):
            a, b = int(i0), int(i1)
            if w[a : b + 1].max() <= threshold:
                continue
            ts = _edge(t, w, a, -1, settle, rest, known)
            te = _edge(t, w, b, +1, settle, rest, known)
            if sign > 0 and te is None:
                open_up = min(open_up, ts if ts is not None else float(t[a]))
            if ts is None:
                ts = float(t[0])
            if te is None:
                if not at_end:
                    found.append(Excursion(sign > 0, a, b, ts, float(t[known]), False))
                    continue
                te = float(t[known])
            moved = sign * (float(np.interp(te, t, d)) - float(np.interp(ts, t, d)))
            if moved >= min_move:
                found.append(Excursion(sign > 0, a, b, ts, te, True))
    found.sort(key=lambda x: x.i0)
    return found, open_up


def _edge(
    t: Array, w: Array, i: int, step: int, settle: float, rest: float, known: int
) -> float | None:
    """Where a run of ``w > rest`` that begins (``step=-1``) or ends (``step=+1``) at
    sample ``i`` meets zero: the zero-crossing if it lies within ``settle`` seconds,
    otherwise the ``rest`` crossing extrapolated to zero along the local slope (the bar is
    at rest but drifting, as in breathing sway). ``None`` when the data end first."""
    j = i + step
    limit = t[i] + step * settle
    while 0 <= j <= known and step * (t[j] - limit) <= 0:
        if w[j] <= 0:
            return crossing(t, w, j - 1 if step > 0 else j)
        j += step
    if j < 0 or j > known:
        return None
    k = i + step  # the sample just outside the run, at or below ``rest``
    lo, hi = min(i, k), max(i, k)
    slope = (w[hi] - w[lo]) / (t[hi] - t[lo])
    at_rest = float(t[lo] + (rest - w[lo]) / slope)
    return float(min(max(at_rest - rest / slope, t[i] - settle), t[i] + settle))


Powers = tuple[float, ...]
# Onset powers tried at a boundary next to a rest: 2 is a start with an acceleration jump
# (the velocity rises linearly), 3 a minimum-jerk start (acceleration rises from zero).
_POWERS = (2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5)
MODELS: dict[str, tuple[tuple[Powers, Powers], ...]] = {
    "turn": (((2, 3), (2, 3)),),
    "start": tuple(((), (p, p + 1)) for p in _POWERS),
    "end": tuple(((p, p + 1), ()) for p in _POWERS),
}


def rest_point(
    t: Array, y: Array, guess: float, *, left: float, right: float, search: float, kind: str
) -> tuple[float, float] | None:
    """Refine a phase boundary: the instant ``t0`` near ``guess`` where the bar's velocity
    is zero, and the displacement ``r`` there, fitted to the measured displacement ``y``.

    Model (a knot with zero slope): the path is continuous with zero velocity at ``t0``, and
    on each side it is ``r`` plus its own terms in ``|t - t0|`` with *no linear term*; the
    acceleration may jump at ``t0``. ``kind`` picks the terms (:data:`MODELS`):

    - ``"turn"`` (the bar reverses: touch-and-go, or a descent right after the top): powers
      2 and 3 on both sides, which reproduces cubics on each side exactly, so a smooth
      reversal is located without bias, from every sample in the window instead of the two
      noisy samples around a velocity zero-crossing;
    - ``"start"`` / ``"end"`` (one side at rest): that side is flat; the moving side is
      ``c1 |t - t0|^p + c2 |t - t0|^(p+1)`` with the onset power ``p`` chosen from 2-3.5 by
      the fit (a start with an acceleration jump has ``p = 2``, a minimum-jerk start 3,
      a force that builds up like ``t^0.8`` gives 2.8), so no one onset shape is assumed.

    The samples within ``left`` seconds before and ``right`` after ``guess`` are used;
    ``t0`` is searched within ``+-search`` of ``guess`` (a 4 ms grid, then 0.5 ms, then a
    parabola through the three best), each candidate solved by linear least squares, and
    the model with the lowest BIC wins. ``None`` when a side has too few samples.
    """
    lo = int(np.searchsorted(t, guess - left))
    hi = int(np.searchsorted(t, guess + right, side="right"))
    tw, yw = t[lo:hi], y[lo:hi]
    if len(tw) < 10:
        return None
    first, last = float(tw[3]), float(tw[-4])  # at least 3 samples on each side
    lo_c, hi_c = max(guess - search, first), min(guess + search, last)
    if hi_c <= lo_c:
        return None
    scale = max(left, right)
    ym = float(np.mean(yw))
    yc = yw - ym
    n = len(tw)
    best: tuple[float, float, float] | None = None
    for lp, rp in MODELS[kind]:
        t0, sse, r = _fit_knot(tw, yc, lo_c, hi_c, scale, lp, rp)
        k = 2 + len(lp) + len(rp)
        bic = n * np.log(max(sse, 1e-30) / n) + k * np.log(n)
        if best is None or bic < best[0]:
            best = (bic, t0, r)
    assert best is not None
    return best[1], best[2] + ym


def _fit_knot(
    tw: Array, yc: Array, lo_c: float, hi_c: float, scale: float, lp: Powers, rp: Powers
) -> tuple[float, float, float]:
    """Best knot ``t0`` in ``[lo_c, hi_c]`` for one model: ``(t0, sse, r)``."""

    def fit(cands: Array) -> tuple[Array, Array]:
        x = (tw[None, :] - cands[:, None]) / scale
        neg = x < 0
        ax = np.abs(x)
        cols = np.stack(
            [np.ones_like(x)] + [np.where(neg, ax**p, 0.0) for p in lp]
            + [np.where(neg, 0.0, ax**p) for p in rp], axis=-1,
        )  # fmt: skip
        nk = cols.shape[-1]
        ct = cols.transpose(0, 2, 1)
        lhs = ct @ cols + 1e-12 * np.eye(nk)
        rhs = ct @ yc
        coef = np.linalg.solve(lhs, rhs[..., None])[..., 0]
        sse = float(yc @ yc) - np.sum(coef * rhs, axis=1)
        return np.asarray(sse, dtype=np.float64), np.asarray(coef[:, 0], dtype=np.float64)

    coarse = np.arange(lo_c, hi_c + 1e-9, 0.004)
    s1, _ = fit(coarse)
    best = float(coarse[int(np.argmin(s1))])
    fine = np.arange(max(lo_c, best - 0.004), min(hi_c, best + 0.004) + 1e-9, 0.0005)
    s2, _ = fit(fine)
    k = int(np.argmin(s2))
    t0 = float(fine[k])
    if 0 < k < len(fine) - 1:
        den = s2[k - 1] - 2 * s2[k] + s2[k + 1]
        if den > 0:
            t0 += 0.5 * float(s2[k - 1] - s2[k + 1]) / float(den) * 0.0005
    s3, r = fit(np.array([t0]))
    return t0, float(s3[0]), float(r[0])
