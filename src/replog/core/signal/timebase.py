"""Real device clocks: repeated timestamps, rows out of order, bursts and gaps.

Bluetooth loggers deliver samples in bursts: several rows can carry the same timestamp (the
host stamps a packet on arrival), a few arrive after a later one, and whole packets go
missing. None of this is a reason to refuse a recording. :func:`merge_repeats` turns such
raw rows into a strictly increasing time base - rows that share a timestamp are averaged
into one sample (the best estimate of the signal at that instant), rows out of order are
put back in order (stable sort) - and says what it did, once, in counts rather than per
row. Gaps are kept (the pipeline bridges or flags them) and summarised by
:func:`gap_summary`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from replog.core.signal.types import Array

__all__ = ["ClockReport", "gap_summary", "merge_repeats", "uniform_grid"]

GAP_FACTOR = 5.0  # an interval this many times the median is a gap ...
GAP_FLOOR_S = 0.1  # ... if it is also this long


@dataclass(frozen=True, slots=True)
class ClockReport:
    """What :func:`merge_repeats` did: rows merged into a sample sharing their timestamp, and
    rows that came out of order."""

    merged: int = 0
    reordered: int = 0

    def notes(self) -> list[str]:
        out = []
        if self.merged:
            out.append(
                f"{self.merged} rows repeated an earlier timestamp and were averaged into it"
            )
        if self.reordered:
            out.append(f"{self.reordered} rows were out of time order and were put in order")
        return out


def merge_repeats(t: Array, *columns: Array) -> tuple[Array, list[Array], ClockReport]:
    """A strictly increasing copy of ``t`` and of each ``column`` (same first dimension):
    rows out of order sorted, rows sharing a timestamp averaged."""
    t = np.asarray(t, dtype=np.float64)
    cols = [np.asarray(c, dtype=np.float64) for c in columns]
    reordered = int(np.sum(np.diff(t) < 0)) if len(t) > 1 else 0
    if reordered:
        order = np.argsort(t, kind="stable")
        t = t[order]
        cols = [c[order] for c in cols]
    if len(t) < 2 or np.all(np.diff(t) > 0):
        return t, cols, ClockReport(0, reordered)
    uniq, first, counts = np.unique(t, return_index=True, return_counts=True)
    merged = []
    for c in cols:
        sums = np.add.reduceat(c, first, axis=0)
        shape = (-1,) + (1,) * (c.ndim - 1)
        merged.append(sums / counts.reshape(shape))
    return uniq, merged, ClockReport(int(len(t) - len(uniq)), reordered)


def gap_summary(t: Array, factor: float = GAP_FACTOR, floor_s: float = GAP_FLOOR_S) -> str | None:
    """One line on the gaps in a time base, or None. A gap is an interval over ``factor`` x
    the median and over ``floor_s``: a 250 Hz logger whose packets come every 20 ms has no
    gap a lift would notice, a 12.5 Hz wristband missing half a second has. Times are given
    from the first sample (device clocks count from anywhere, MetaWear from 1970)."""
    if len(t) < 3:
        return None
    d = np.diff(t)
    med = float(np.median(d))
    limit = max(factor * med, floor_s)
    gaps = d > limit
    n = int(np.sum(gaps))
    if n == 0:
        return None
    i = int(np.argmax(d))
    return (
        f"{n} gap{'' if n == 1 else 's'} longer than {limit:.2f} s ({factor:g}x the median "
        f"interval of {med * 1000:.1f} ms, at least {floor_s:g} s), {float(np.sum(d[gaps])):.2f} "
        f"s in all; the longest {d[i]:.3f} s, {t[i] - t[0]:.2f} s into the recording"
    )


def uniform_grid(
    t: Array, values: Array, rate_hz: float, max_gap_s: float
) -> tuple[Array, Array, NDArray[np.bool_]]:
    """``values`` (N, k) resampled by linear interpolation onto an even grid of ``rate_hz``
    from ``t[0]``: ``(grid, resampled, in_gap)`` where ``in_gap`` marks grid points inside
    an interval of the input longer than ``max_gap_s`` (bridged by a straight line, not
    measured)."""
    step = 1.0 / rate_hz
    n = int(np.floor((t[-1] - t[0]) / step)) + 1
    grid = t[0] + step * np.arange(n)
    out = np.empty((n, values.shape[1]))
    for k in range(values.shape[1]):
        out[:, k] = np.interp(grid, t, values[:, k])
    j = np.clip(np.searchsorted(t, grid, side="right"), 1, len(t) - 1)
    in_gap = np.asarray((t[j] - t[j - 1]) > max_gap_s, dtype=np.bool_)
    return grid, out, in_gap
