"""Smoothed differentiation on a possibly uneven time axis.

Theory
------
A Savitzky-Golay filter (Savitzky & Golay 1964, Anal Chem 36:1627) replaces each sample by
a least-squares polynomial fitted to a window of neighbours, and reads the smoothed value
and its derivatives off the polynomial. On an even grid this is a fixed FIR filter
(``scipy.signal.savgol_filter``); here the fit is done on the *actual* timestamps, so the
same code serves streams with jitter or dropped samples (DESIGN.md 2.1: ``t`` need not be
evenly spaced), and on an even grid it gives the Savitzky-Golay answer exactly.

Properties the pipeline relies on:

- A centred least-squares polynomial reproduces polynomials up to its order exactly, so the
  derivative of a smooth lift trajectory is not biased in amplitude or shifted in time
  (a centred window has zero group delay), and the smoothed displacement keeps the bottom
  and top positions (the range of motion) unbiased.
- The window is a fixed count of ``2 * half + 1`` samples, chosen in seconds by the caller
  (``half_width``) so the same filter works at 50 Hz and at 1000 Hz.
- Near the ends the window is slid inwards rather than shrunk (scipy's ``mode="interp"``):
  the value at sample ``i`` depends only on samples ``i - half .. i + half`` (or on the
  first/last ``2 * half + 1`` samples). The streaming segmenter relies on this locality.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray
from scipy.signal import savgol_filter

from replog.core.signal.types import Array

Index = NDArray[np.intp]

_BLOCK = 4096
_EVEN = 1e-6  # relative step tolerance under which a window counts as evenly spaced


def half_width(t: Array, window_s: float, *, calibration_samples: int = 64) -> int:
    """Half-window in samples for a window of ``window_s`` seconds, from the median sample
    interval of the first ``calibration_samples`` samples (so a streaming consumer that has
    seen those samples computes the same value as a batch one)."""
    head = t[: max(2, min(len(t), calibration_samples))]
    dt = float(np.median(np.diff(head)))
    return max(1, round(window_s / (2.0 * dt)))


def local_poly(t: Array, y: Array, half: int, order: int) -> tuple[Array, Array]:
    """Smoothed value and first derivative of ``y(t)`` by a local polynomial of ``order``
    fitted to ``2 * half + 1`` samples around each sample (Savitzky-Golay on real times).

    ``half`` shrinks to fit short series; ``order`` is capped at the window length - 1.
    Rows whose window is evenly spaced (steps equal to 1e-6) take the fixed-coefficient
    filter (``scipy.signal.savgol_filter``), the others an exact least-squares fit on their
    own timestamps; which one is decided by the row's own window, so a streaming consumer
    and a batch one make the same choice.
    """
    n = len(t)
    half = max(1, min(half, (n - 1) // 2))
    width = 2 * half + 1
    order = max(1, min(order, width - 1))
    lo = np.clip(np.arange(n) - half, 0, n - width)
    step = (t[lo + width - 1] - t[lo]) / (width - 1)  # the mean step of each row's window
    gaps = sliding_window_view(np.diff(t), width - 1)[lo]
    even = np.max(np.abs(gaps - step[:, None]), axis=1) <= _EVEN * step
    value = np.empty(n)
    slope = np.empty(n)
    if even.any():
        value[even] = savgol_filter(y, width, order, deriv=0, mode="interp")[even]
        d1 = savgol_filter(y, width, order, deriv=1, delta=1.0, mode="interp")
        slope[even] = d1[even] / step[even]
    rows = np.flatnonzero(~even)
    value[rows], slope[rows] = _fit_rows(t, y, lo[rows], width, order, rows)
    return value, slope


def local_poly_rows(t: Array, y: Array, half: int, order: int, rows: Index) -> Array:
    """The first derivative of :func:`local_poly` at ``rows`` only, always by the exact fit
    on the rows' own timestamps (equal to the Savitzky-Golay value on an even grid up to
    rounding). For a derivative needed at a few samples of a long series."""
    n = len(t)
    half = max(1, min(half, (n - 1) // 2))
    width = 2 * half + 1
    order = max(1, min(order, width - 1))
    lo = np.clip(rows - half, 0, n - width)
    return _fit_rows(t, y, lo, width, order, rows)[1]


def _fit_rows(
    t: Array, y: Array, lo: Index, width: int, order: int, rows: Index
) -> tuple[Array, Array]:
    """Least-squares polynomial of ``order`` on the window starting at ``lo`` of each row:
    its value and slope at the row's time."""
    hankel = np.add.outer(np.arange(order + 1), np.arange(order + 1))
    value = np.empty(len(rows))
    slope = np.empty(len(rows))
    for b0 in range(0, len(rows), _BLOCK):
        blk = slice(b0, b0 + _BLOCK)
        r = rows[blk]
        idx = lo[blk, None] + np.arange(width)
        tw = t[idx]
        scale = (tw[:, -1] - tw[:, 0]) / 2.0  # keeps the normal equations well conditioned
        x = (tw - t[r, None]) / scale[:, None]
        yw = y[idx]
        moments = np.empty((len(r), 2 * order + 1))
        rhs = np.empty((len(r), order + 1))
        xp = np.ones_like(x)
        for k in range(2 * order + 1):
            moments[:, k] = xp.sum(axis=1)
            if k <= order:
                rhs[:, k] = (xp * yw).sum(axis=1)
            xp *= x
        coef = np.linalg.solve(moments[:, hankel], rhs[..., None])[..., 0]
        value[blk] = coef[:, 0]
        slope[blk] = coef[:, 1] / scale
    return value, slope
