"""Real device clocks: repeated timestamps, rows out of order, bursts and gaps.

Bluetooth loggers deliver samples in bursts: several rows can carry the same timestamp (the
host stamps a packet on arrival), a few arrive after a later one, and whole packets go
missing. None of this is a reason to refuse a recording. :func:`merge_repeats` turns such
raw rows into a strictly increasing time base - rows out of order are put back in order
(stable sort), retried rows dropped, and the samples of a packet spread back over the
interval before its stamp and put on the sensor's steady clock - and says what it did,
once, in counts rather than per row. Gaps are kept (the pipeline bridges or flags them)
and summarised by :func:`gap_summary`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from replog.core.signal.types import Array

__all__ = [
    "ClockReport",
    "block_means",
    "block_sums",
    "gap_summary",
    "merge_repeats",
    "uniform_grid",
]

GAP_FACTOR = 5.0  # an interval this many times the median is a gap ...
GAP_FLOOR_S = 0.1  # ... if it is also this long


@dataclass(frozen=True, slots=True)
class ClockReport:
    """What :func:`merge_repeats` did: rows dropped as re-reads of the row before (every
    value repeated), rows that shared a timestamp with others and were spread over the
    interval before it, and rows that came out of order."""

    merged: int = 0
    reordered: int = 0
    spread: int = 0

    def notes(self) -> list[str]:
        out = []
        if self.merged:
            out.append(f"{self.merged} rows repeated the row before them exactly and were dropped")
        if self.spread:
            out.append(
                f"{self.spread} rows shared a timestamp with others (a Bluetooth packet) and "
                "were spread over the interval before it at the sampling rate"
            )
        if self.reordered:
            out.append(f"{self.reordered} rows were out of time order and were put in order")
        return out


def merge_repeats(t: Array, *columns: Array) -> tuple[Array, list[Array], ClockReport]:
    """A strictly increasing copy of ``t`` and of each ``column`` (same first dimension).

    1. Rows out of order are sorted (stable).
    2. A row that repeats the row before, time and every value, is a logger retrying a
       write: dropped. (Equal values at a later time are kept: on a real bar logger that
       polls faster than its sensor samples, dropping them cost more reps than it saved.)
    3. Rows sharing a timestamp are the samples of one packet, stamped on arrival: they are
       spread back from the stamp at the stream's sampling interval (the median interval per
       sample between stamps), never before the previous stamp. Averaging them instead would
       cut a 100 Hz sensor sending six samples a packet to 17 Hz.
    """
    t = np.asarray(t, dtype=np.float64)
    cols = [np.asarray(c, dtype=np.float64) for c in columns]
    reordered = int(np.sum(np.diff(t) < 0)) if len(t) > 1 else 0
    if reordered:
        order = np.argsort(t, kind="stable")
        t = t[order]
        cols = [c[order] for c in cols]
    merged = 0
    if cols and len(t) > 1:
        flat = np.hstack([c.reshape(len(t), -1) for c in cols])
        same = np.concatenate(([False], (t[1:] == t[:-1]) & np.all(flat[1:] == flat[:-1], axis=1)))
        merged = int(np.sum(same))
        if merged:
            t, cols = t[~same], [c[~same] for c in cols]
    if len(t) < 2 or np.all(np.diff(t) > 0):
        return t, cols, ClockReport(merged, reordered)
    uniq, first, counts = np.unique(t, return_index=True, return_counts=True)
    if len(uniq) < 2:  # one instant: nothing to spread over
        return (
            uniq,
            [np.mean(c, axis=0, keepdims=True) for c in cols],
            ClockReport(merged + len(t) - 1, reordered),
        )
    span = np.diff(uniq)
    step = float(np.median(span / counts[1:]))
    room = np.concatenate(([step * counts[0]], span)) / counts  # never before the last stamp
    h = np.minimum(step, room)
    group = np.repeat(np.arange(len(uniq)), counts)
    back = np.repeat(first + counts - 1, counts) - np.arange(len(t))  # rows after this one
    out_t = _sampling_clock(uniq[group] - back * h[group], step)
    spread = int(np.sum(counts[counts > 1]))
    return out_t, cols, ClockReport(merged, reordered, spread)


def _sampling_clock(t: Array, step: float, min_rows: int = 10) -> Array:
    """Sampling instants of packet-stamped rows. A sensor samples on its own steady clock;
    the stamps add a radio and system latency that varies from packet to packet (5-35 ms
    on BLE). Between lost packets (a jump of more than ``max(2.5 steps, 45 ms)`` beyond the
    row's own interval) the instants lie on a line in the row index: a least-squares line
    per stretch keeps the steady clock and averages the latency out. Stretches shorter than
    ``min_rows``, or a result that would not increase, keep the spread stamps."""
    excess = np.diff(t) - step
    cuts = np.flatnonzero(excess > max(2.5 * step, 0.045)) + 1
    out = t.copy()
    for a, b in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(t)])), strict=True):
        if b - a < min_rows:
            continue
        i = np.arange(b - a, dtype=np.float64)
        slope, icpt = np.polyfit(i, t[a:b], 1)
        out[a:b] = icpt + slope * i
    return out if np.all(np.diff(out) > 0) else t


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


def block_sums(x: Array, k: int) -> tuple[Array, Array]:
    """Sums of ``x`` over consecutive blocks of ``k`` rows (the last may be shorter) and
    the rows in each."""
    starts = np.arange(0, len(x), k)
    counts = np.diff(np.append(starts, len(x))).astype(np.float64)
    return np.add.reduceat(x, starts, axis=0), counts


def block_means(x: Array, k: int) -> Array:
    """Means of ``x`` over consecutive blocks of ``k`` rows (the last may be shorter): a
    stream decimated by ``k`` with a boxcar as its anti-alias filter."""
    if k <= 1:
        return x
    sums, counts = block_sums(x, k)
    return np.asarray(sums / counts.reshape((-1,) + (1,) * (x.ndim - 1)), dtype=np.float64)
