"""The hard parts of real barbell recordings for the set simulator (:mod:`.sim`): sets
without a still moment and a Bluetooth logger's clock (issue 17, item 4).

Continuous sets (:func:`no_rest_motion`, ``SimConfig.no_rest``). The default simulator puts
the racked bar, a still stance and a rest between reps around every rep, so a pipeline can
find gravity and reset its velocity whenever it likes. Real sets are often touch-and-go from
the first rep to the last, and a logger started on the phone begins recording when the
lifter is already walking the bar out (or rolling it in, for a deadlift) and stops while the
bar is going back into the rack (or rolling away on the floor). Here:

* the recording starts at a random instant *during* the setup movement (squat: the lift-off
  and three walk-out steps; bench: the lift-off and the swing out over the chest; deadlift:
  rolling the bar in to the shins, the bar turning about its own axis as it rolls on 450 mm
  plates), at a moment when the bar moves faster than 0.05 m/s;
* the walk-out runs without a pause into a short brace (the bar rises 5-15 mm with the big
  breath and shifts by up to a centimetre) and straight into the first rep;
* every rep turns over without a hold: squat and bench bounce at the bottom; at the top the
  lifter breathes for 0.2-0.45 s while the bar sways horizontally, 8-18 mm out and half way
  back (never still, never vertical, so the concentric ends where the bar stops rising);
  deadlifts are touch-and-go from the floor with the same sway at lockout (0.3-0.5 s);
* the recording ends at a random instant during the re-rack (walking the bar back in,
  setting it down) or while the bar rolls away on the floor, again while it moves.

Setup and re-rack moves go up or down by 2-5 cm at most, far below a rep's range, and a
distractor (``distractors``) is a grip change (the bar rolls 15-25 degrees and back) or a
partial dip, put between the brace and the first rep without holds. The truth is measured
on the cropped dense trajectory exactly as for the default sets: only the real reps are
reps.

Bluetooth clock (:func:`bluetooth_rows`, ``SimConfig.clock = "bluetooth"``). A phone logging
a Bluetooth Low Energy sensor stamps rows when a packet *arrives*, not when the sensor sampled
them. BLE exchanges data once per connection interval (7.5 ms to 4 s in 1.25 ms steps:
Bluetooth Core Specification v4.2, Vol 6 Part B, the link layer) and a notification carries
20 bytes with the default ATT_MTU of 23 (Vol 3 Part F, the attribute protocol), so samples
come in bursts, several in one connection event. Modelled:

* packets of 2-6 consecutive samples share one timestamp: the sampling instant of the
  packet's last sample plus a radio and operating-system latency of 5-35 ms, written in
  whole milliseconds (strictly increasing from packet to packet);
* about 1% of rows are written twice (an identical row repeated, as a logger retrying a
  write does);
* about 1% of rows arrive late: the last row of a packet is written after the first row of
  the next one, so time goes back by one position;
* whole packets are lost: gaps of 0.1-0.8 s, one every 10 s of recording on average and at
  least one per recording.

The stamps therefore lag the sampling instants by the packet's span plus the latency (about
40 ms at 100 Hz, up to 0.43 s at 12.5 Hz with 6-sample packets); the truth stays on the
sampling clock, as it is what happened to the bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from replog.core.signal.sim_motion import (
    DT,
    FS,
    ROM_RANGE,
    Motion,
    _concentric_shape,
    _eccentric_shape,
    _Track,
    finish_motion,
    rep_mcvs,
)
from replog.core.signal.types import Array

if TYPE_CHECKING:
    from replog.core.signal.sim import SimConfig

__all__ = ["bluetooth_rows", "no_rest_motion"]

PLATE_RADIUS = 0.225  # m, a 450 mm competition plate (IWF, IPF)
MOVING = 0.05  # m/s: the bar's speed where a recording may begin or end
PACKET = (2, 6)  # samples per Bluetooth packet
LATENCY = (0.005, 0.035)  # s, arrival after the packet's last sample
REPEAT_SHARE = 0.01  # rows written twice
LATE_SHARE = 0.01  # rows written one position late
DROP_EVERY_S = 10.0  # mean recording time between lost packets
DROP_S = (0.1, 0.8)  # length of a loss


def _drift(tr: _Track, rng: np.random.Generator, dur: float) -> None:
    """The bar drifts horizontally, away and partly back (a breath, a lockout): never still,
    no vertical motion."""
    dy = float(rng.choice([-1.0, 1.0])) * rng.uniform(0.008, 0.018)
    tr.move(dur, disp=(0.0, 0.5 * dy, 0.0), bump=(rng.uniform(-0.006, 0.006), dy, 0.0))


def _pick(speed: Array, a: int, b: int, rng: np.random.Generator) -> int:
    """A random index in [a, b) where the bar moves faster than :data:`MOVING`."""
    idx = np.arange(a, b)[speed[a:b] > MOVING]
    return int(rng.choice(idx)) if len(idx) else a


def no_rest_motion(cfg: SimConfig, rng: np.random.Generator) -> Motion:
    """A continuous touch-and-go set whose recording starts and ends mid-movement (see the
    module's docstring); ``touch_and_go`` and ``pause_s`` of ``cfg`` are not used."""
    lift = cfg.lift
    lo, hi = ROM_RANGE[lift]
    rom = cfg.rom if cfg.rom is not None else float(rng.uniform(lo, hi))
    mcvs = rep_mcvs(lift, cfg.pct_1rm, cfg.reps, rng)
    tr = _Track()
    windows: list[tuple[int, int]] = []
    not_reps: list[tuple[float, float]] = []
    roll_bumps: list[tuple[int, int, float]] = []
    rolls: list[tuple[int, int]] = []  # the bar rolls on the floor (deadlift)
    racked = lift != "deadlift"
    horiz = (-1.0 if lift == "squat" else 1.0) * rng.uniform(0.25, 0.45)
    side = float(rng.choice([-1.0, 1.0]))

    # setup: the recording starts somewhere in here
    a0 = tr.n
    if racked:
        tr.move(rng.uniform(0.5, 0.8), disp=(0.0, 0.0, rng.uniform(0.03, 0.05)))
        first = a0 + (tr.n - a0) // 3
        steps = 3 if lift == "squat" else 1
        for _ in range(steps):
            tr.move(rng.uniform(0.6, 0.9), disp=(horiz / steps, 0.0, 0.0), bump=(0, 0, -0.008))
        head = (first, tr.n - round(0.15 * FS))
        tr.move(
            rng.uniform(0.5, 0.9),
            disp=(0.0, rng.uniform(-0.01, 0.01), 0.0),
            bump=(rng.uniform(-0.01, 0.01), 0.0, rng.uniform(0.005, 0.015)),
        )
    else:
        tr.move(rng.uniform(0.6, 1.0), disp=(0.0, side * rng.uniform(0.04, 0.10), 0.0))
        rolls.append((a0, tr.n))
        head = (a0 + (tr.n - a0) // 5, a0 + 3 * (tr.n - a0) // 4)

    if cfg.distractors:
        for kind in rng.choice(["grip", "partial"], size=int(rng.integers(1, 3)), replace=False):
            t0 = tr.t
            if kind == "grip":
                i0 = tr.n
                dz = rng.uniform(0.005, 0.015) * (1.0 if lift == "deadlift" else side)
                dy = rng.uniform(0.01, 0.02) * side
                tr.move(rng.uniform(1.0, 1.5), disp=(0.0, dy, 0.0), bump=(0.0, dy, dz))
                ang = np.radians(rng.uniform(15, 25) * rng.choice([-1, 1]))
                roll_bumps.append((i0, tr.n, float(ang)))
            else:
                depth = rom * rng.uniform(0.12, 0.28) * (1.0 if lift == "deadlift" else -1.0)
                tr.move(rng.uniform(0.5, 0.8), disp=(0.0, 0.0, depth))
                tr.move(rng.uniform(0.5, 0.8), disp=(0.0, 0.0, -depth))
            not_reps.append((t0, tr.t))

    for i, v in enumerate(mcvs):
        last = i == len(mcvs) - 1
        ecc = round((rng.uniform(1.0, 1.8) if lift == "deadlift" else rng.uniform(1.5, 2.5)) * FS)
        con = round(rom / v * FS)
        if lift == "deadlift":
            c0 = tr.n
            tr.lift_z(rom, _concentric_shape(con, cfg.pct_1rm, i == 0))
            windows.append((c0, tr.n))
            _drift(tr, rng, rng.uniform(0.3, 0.5))
            tr.lift_z(-rom, _eccentric_shape(ecc, not last))
            if not last:
                tr.kink()
        else:
            tr.lift_z(-rom, _eccentric_shape(ecc, True))
            tr.kink()
            c0 = tr.n
            tr.lift_z(rom, _concentric_shape(con, cfg.pct_1rm, False))
            windows.append((c0, tr.n))
            if not last:
                _drift(tr, rng, rng.uniform(0.2, 0.45))

    # the end: the recording stops somewhere in here
    b0 = tr.n
    if racked:
        tr.move(rng.uniform(0.8, 1.2), disp=(-horiz, 0.0, 0.0), bump=(0, 0, -0.006))
        tr.move(rng.uniform(0.4, 0.7), disp=(0.0, 0.0, -0.04))
        tail = (b0 + (tr.n - b0) // 5, tr.n - round(0.15 * FS))
    else:
        tr.move(rng.uniform(0.6, 1.0), disp=(0.0, -side * rng.uniform(0.05, 0.15), 0.0))
        rolls.append((b0, tr.n))
        tail = (b0 + (tr.n - b0) // 5, b0 + 4 * (tr.n - b0) // 5)

    m = finish_motion(tr, rng, rom, windows, not_reps, (), roll_bumps)
    for j0, j1 in rolls:  # rolling without slipping turns the bar about its axis
        turn = (m.pos[j0:j1, 1] - m.pos[j0, 1]) / PLATE_RADIUS
        m.angles[j0:j1, 0] += turn
        m.angles[j1:, 0] += turn[-1]
    speed = np.linalg.norm(m.vel, axis=1)
    return _crop(m, _pick(speed, *head, rng), _pick(speed, *tail, rng) + 1)


def _crop(m: Motion, i0: int, i1: int) -> Motion:
    """Samples [i0, i1) of a motion, its time starting again at 0."""
    return Motion(
        t=np.arange(i1 - i0, dtype=np.float64) * DT,
        pos=m.pos[i0:i1].copy(),
        vel=m.vel[i0:i1].copy(),
        acc=m.acc[i0:i1].copy(),
        angles=m.angles[i0:i1].copy(),
        windows=[(a - i0, b - i0) for a, b in m.windows],
        not_reps=[(a - i0 * DT, b - i0 * DT) for a, b in m.not_reps],
    )


def bluetooth_rows(
    t: Array, acc: Array, gyro: Array, rng: np.random.Generator
) -> tuple[Array, Array, Array]:
    """The rows a phone logging a Bluetooth sensor writes for samples taken at ``t`` (see the
    module's docstring): timestamps repeat, go back by one row now and then, and jump over
    lost packets; ``acc`` and ``gyro`` rows travel with their timestamps."""
    n = len(t)
    sizes = rng.integers(PACKET[0], PACKET[1] + 1, size=n // PACKET[0] + 1)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    starts = starts[starts < n]
    ends = np.append(starts[1:], n)

    n_drop = max(1, int(rng.poisson((t[-1] - t[0]) / DROP_EVERY_S)))
    drop_at = rng.uniform(t[0], t[-1], n_drop)
    drop_end = drop_at + rng.uniform(*DROP_S, n_drop)
    t_first = t[starts]
    lost = np.any((t_first[:, None] >= drop_at) & (t_first[:, None] < drop_end), axis=1)

    arrival = t[ends - 1] + rng.uniform(*LATENCY, len(starts))
    ms = np.round(arrival[~lost] * 1000.0).astype(np.int64)
    k = np.arange(len(ms))
    ms = np.maximum.accumulate(ms - k) + k  # strictly increasing from packet to packet
    kept_starts, kept_ends = starts[~lost], ends[~lost]
    rows = np.nonzero(np.repeat(~lost, ends - starts))[0]
    stamp = np.repeat(ms, kept_ends - kept_starts)

    twice = rng.random(len(rows)) < REPEAT_SHARE
    again = np.repeat(np.arange(len(rows)), 1 + twice.astype(np.int64))
    rows, stamp = rows[again], stamp[again]

    order = np.arange(len(rows))
    bounds = np.nonzero(np.diff(stamp) > 0)[0]
    p = min(1.0, LATE_SHARE * len(rows) / max(1, len(bounds)))
    done = -2
    for i in bounds[rng.random(len(bounds)) < p]:
        if i > done + 1:  # swaps do not overlap: each late row is one position late
            order[i], order[i + 1] = order[i + 1], order[i]
            done = int(i)
    rows, stamp = rows[order], stamp[order]
    return stamp / 1000.0, acc[rows], gyro[rows]
