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
