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

from replog.core.signal.types import Array

_BLOCK = 4096


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
    """
    n = len(t)
    half = max(1, min(half, (n - 1) // 2))
    width = 2 * half + 1
    order = max(1, min(order, width - 1))
    lo = np.clip(np.arange(n) - half, 0, n - width)
    powers = np.arange(order + 1)
    value = np.empty(n)
    slope = np.empty(n)
    for b0 in range(0, n, _BLOCK):
        rows = np.arange(b0, min(n, b0 + _BLOCK))
        idx = lo[rows, None] + np.arange(width)
        tw = t[idx]
        scale = (tw[:, -1] - tw[:, 0]) / 2.0  # keeps the normal equations well conditioned
        x = (tw - t[rows, None]) / scale[:, None]
        vander = x[..., None] ** powers
        lhs = np.einsum("mwk,mwl->mkl", vander, vander)
        rhs = np.einsum("mwk,mw->mk", vander, y[idx])
        coef = np.linalg.solve(lhs, rhs[..., None])[..., 0]
        value[rows] = coef[:, 0]
        slope[rows] = coef[:, 1] / scale
    return value, slope
