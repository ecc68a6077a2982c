"""The bar's motion for the set simulator (:mod:`replog.core.signal.sim`): a dense (1 kHz),
noiseless 3-D trajectory of the bar with its roll, tilt and yaw, and the per-rep truth.

Velocity at %1RM (mean concentric velocity of the first rep, linear between two anchors):

* squat: 0.32 m/s at 1RM (Sanchez-Medina et al. 2017, Sports Med Int Open 1:E80, "MV
  attained with the 1RM was 0.32 m/s"); 1.13 m/s at 40% (RepLog's reading of the same
  paper's load-velocity table; the relation is close to linear, R^2 = 0.96);
* bench press: 0.17 m/s at 1RM, 1.00 m/s at 40% (Gonzalez-Badillo & Sanchez-Medina 2010,
  Int J Sports Med 31:347);
* deadlift: 0.25 m/s at 1RM, 0.95 m/s at 40% (within the range of Benavides-Ubric et al.
  2020, J Sports Sci Med 19:452, and Ruf et al. 2018, JSCR 32:681).

Fatigue: the reps possible at a load follow Epley (n_max = 30 (1/p - 1)); rep i's velocity
falls from the first rep's towards the 1RM velocity as (i / n_max)^1.2, so the last possible
rep is about as slow as a 1RM (the minimum velocity threshold idea) and the loss grows with
the share of possible reps done (Sanchez-Medina & Gonzalez-Badillo 2011, MSSE 43:1725).

Concentric profile over normalised time s in [0, 1]: ``s^a (1 + 2 s^2) (1 - s)^b`` (a = 1
out of a bounce, so the bar already accelerates at the turnaround; a = 1.8 from a dead
stop), b from 1.4 (light) to 1.8 (heavy), times a Gaussian dip at heavy loads (the sticking
region). Scaled to the rep's ROM and duration, light reps brake harder than -g at the end
(propulsive ~80% of the concentric at 40% 1RM, as Sanchez-Medina et al. 2017 report 82%),
heavy reps never do (MPV = MCV). Truth is measured on the final dense trajectory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from replog.core.signal.types import Array, DetectedRep, G

if TYPE_CHECKING:
    from replog.core.signal.sim import SimConfig

FS = 1000.0
DT = 1.0 / FS
PARTIAL_ROM_SHARE = 0.4
"""A movement below this share of the set's median ROM is not a rep (what the simulator's
partial-rep distractors assume; they stay under 0.3)."""

V_ANCHORS = {"squat": (1.13, 0.32), "bench": (1.00, 0.17), "deadlift": (0.95, 0.25)}
ROM_RANGE = {"squat": (0.55, 0.70), "bench": (0.35, 0.50), "deadlift": (0.50, 0.60)}


def first_rep_mcv(lift: str, pct_1rm: float) -> float:
    v40, v100 = V_ANCHORS[lift]
    return v100 + (v40 - v100) * (1.0 - pct_1rm) / 0.6


def reps_possible(pct_1rm: float) -> float:
    return max(1.0, 30.0 * (1.0 / pct_1rm - 1.0))


def rep_mcvs(lift: str, pct_1rm: float, reps: int, rng: np.random.Generator) -> list[float]:
    v1, vmin = first_rep_mcv(lift, pct_1rm), V_ANCHORS[lift][1]
    n_max = reps_possible(pct_1rm)
    out = []
    for i in range(reps):
        share = min(i / n_max, 1.0) ** 1.2
        v = v1 - (v1 - vmin) * share
        out.append(max(v * (1.0 + 0.015 * rng.standard_normal()), 0.85 * vmin))
    return out


@dataclass
class _Track:
    """Appends 3-axis velocity chunks, each starting and ending at zero velocity."""

    chunks: list[Array] = field(default_factory=list)
    n: int = 0
    kinks: list[int] = field(default_factory=list)

    @property
    def t(self) -> float:
        return self.n * DT

    def hold(self, dur: float) -> None:
        k = max(1, round(dur * FS))
        self._add(np.zeros((k, 3)))

    def move(
        self,
        dur: float,
        disp: tuple[float, float, float] = (0.0, 0.0, 0.0),
        bump: tuple[float, float, float] = (0.0, 0.0, 0.0),
        a: float = 1.5,
        b: float = 1.5,
    ) -> None:
        """Net displacement ``disp`` with a beta-like profile, plus ``bump``: a there-and-back
        excursion peaking at mid-move (16 s^2 (1-s)^2)."""
        k = max(4, round(dur * FS))
        s = np.arange(1, k + 1) / k
        shape = s**a * (1 - s) ** b
        shape /= shape.sum() * DT
        bump_v = 16.0 * (2 * s * (1 - s) ** 2 - 2 * s**2 * (1 - s)) / (k * DT)
        v = np.outer(shape, disp) + np.outer(bump_v, bump)
        self._add(v)

    def lift_z(self, dz: float, shape: Array) -> None:
        v = np.zeros((len(shape), 3))
        v[:, 2] = shape * dz / (shape.sum() * DT)
        self._add(v)

    def kink(self) -> None:
        self.kinks.append(self.n - 1)

    def _add(self, v: Array) -> None:
        self.chunks.append(v)
        self.n += len(v)


def _concentric_shape(k: int, pct: float, from_rest: bool) -> Array:
    s = np.arange(1, k + 1) / k
    a = 1.8 if from_rest else 1.0
    heavy = np.clip((pct - 0.4) / 0.55, 0.0, 1.0)
    b = 1.4 + 0.4 * heavy
    g = s**a * (1.0 + 2.0 * s**2) * (1.0 - s) ** b
    dip = 0.35 * np.clip((pct - 0.75) / 0.2, 0.0, 1.0)
    return np.asarray(g * (1.0 - dip * np.exp(-(((s - 0.4) / 0.12) ** 2))), dtype=np.float64)


def _eccentric_shape(k: int, to_bounce: bool) -> Array:
    s = np.arange(1, k + 1) / k
    return np.asarray(s**1.5 * (1.0 - s) ** (1.0 if to_bounce else 1.6), dtype=np.float64)


@dataclass
class Motion:
    """The dense truth: time, bar-axis position/velocity/acceleration (N, 3; z up), Euler
    angles (roll about the bar, tilt, yaw; rad), the concentric windows (sample indices) and
    the distractor spans (s, relative to the start)."""

    t: Array
    pos: Array
    vel: Array
    acc: Array
    angles: Array
    windows: list[tuple[int, int]]
    not_reps: list[tuple[float, float]]


def _hermite_smooth(v: Array, j: int, h: int) -> None:
    """Replace v[j-h..j+h] (a kink at a bounce) with a cubic Hermite matching value and slope
    at both ends, so acceleration stays continuous."""
    i0, i1 = j - h, j + h
    v0, v1 = v[i0], v[i1]
    d0, d1 = (v[i0] - v[i0 - 1]) / DT, (v[i1 + 1] - v[i1]) / DT
    span = (i1 - i0) * DT
    u = np.arange(i1 - i0 + 1) / (i1 - i0)
    h00, h10 = 2 * u**3 - 3 * u**2 + 1, u**3 - 2 * u**2 + u
    h01, h11 = -2 * u**3 + 3 * u**2, u**3 - u**2
    v[i0 : i1 + 1] = h00 * v0 + h10 * span * d0 + h01 * v1 + h11 * span * d1


def _wander(n: int, rng: np.random.Generator, amp: float) -> Array:
    """A smooth slow random angle: a few sinusoids below 0.3 Hz."""
    t = np.arange(n) * DT
    out = np.zeros(n)
    for _ in range(3):
        f, ph = rng.uniform(0.02, 0.3), rng.uniform(0, 2 * np.pi)
        out += amp / 3 * np.sin(2 * np.pi * f * t + ph)
    return out


def build_motion(cfg: SimConfig, rng: np.random.Generator) -> Motion:
    lift = cfg.lift
    lo, hi = ROM_RANGE[lift]
    rom = cfg.rom if cfg.rom is not None else rng.uniform(lo, hi)
    mcvs = rep_mcvs(lift, cfg.pct_1rm, cfg.reps, rng)
    tr = _Track()
    not_reps: list[tuple[float, float]] = []
    sway_spans: list[tuple[int, int]] = []
    roll_bumps: list[tuple[int, int, float]] = []
    windows: list[tuple[int, int]] = []
    racked = lift != "deadlift"
    horiz = (-1.0 if lift == "squat" else 1.0) * rng.uniform(0.25, 0.45)

    def distract(kind: str) -> None:
        t0 = tr.t
        if kind == "bump":
            tr.move(0.25, bump=(rng.uniform(0.008, 0.02), rng.uniform(-0.01, 0.01), 0.003))
        elif kind == "grip":
            i0 = tr.n
            tr.move(1.5, bump=(0.0, 0.0, rng.uniform(-0.015, 0.015)))
            roll_bumps.append((i0, tr.n, np.radians(rng.uniform(15, 25) * rng.choice([-1, 1]))))
        else:  # partial: a short dip-and-rise (or lift-and-lower from the floor)
            depth = rom * rng.uniform(0.12, 0.28)
            sign = 1.0 if lift == "deadlift" else -1.0
            tr.move(rng.uniform(0.5, 0.8), disp=(0.0, 0.0, sign * depth))
            tr.hold(rng.uniform(0.0, 0.2))
            tr.move(rng.uniform(0.5, 0.8), disp=(0.0, 0.0, -sign * depth))
        not_reps.append((t0, tr.t))

    kinds = list(rng.choice(["bump", "grip", "partial"], size=2, replace=False))
    kinds = kinds if cfg.distractors else []
    tr.hold(rng.uniform(2.0, 3.5))
    if "bump" in kinds:
        distract("bump")
        tr.hold(rng.uniform(0.8, 1.5))
    if racked:
        tr.move(rng.uniform(0.5, 0.8), disp=(0.0, 0.0, rng.uniform(0.03, 0.05)))
        tr.hold(rng.uniform(0.2, 0.5))
        steps = 3 if lift == "squat" else 1
        for _ in range(steps):
            tr.move(rng.uniform(0.6, 0.9), disp=(horiz / steps, 0.0, 0.0), bump=(0, 0, -0.008))
    i_sway = tr.n
    tr.hold(rng.uniform(1.5, 3.0))
    sway_spans.append((i_sway, tr.n))
    for kind in kinds:
        if kind != "bump":
            distract(kind)
            i_sway = tr.n
            tr.hold(rng.uniform(1.0, 2.0))
            sway_spans.append((i_sway, tr.n))

    bounce = lift == "squat" or (lift == "bench" and cfg.touch_and_go)
    for i, v in enumerate(mcvs):
        ecc_s = rng.uniform(1.5, 2.5) if lift != "deadlift" else rng.uniform(1.0, 1.8)
        con_k = round(rom / v * FS)
        if lift == "deadlift":
            first = i == 0
            from_rest = first or not cfg.touch_and_go
            if not first and from_rest:
                tr.hold(rng.uniform(0.3, 1.0))
            c0 = tr.n
            tr.lift_z(rom, _concentric_shape(con_k, cfg.pct_1rm, from_rest))
            windows.append((c0, tr.n))
            tr.hold(rng.uniform(0.4, 1.2))
            to_bounce = cfg.touch_and_go and i < len(mcvs) - 1
            tr.lift_z(-rom, _eccentric_shape(round(ecc_s * FS), to_bounce))
            if to_bounce:
                tr.kink()
        else:
            tr.lift_z(-rom, _eccentric_shape(round(ecc_s * FS), bounce))
            if bounce:
                tr.kink()
            else:
                tr.hold(cfg.pause_s)
            c0 = tr.n
            tr.lift_z(rom, _concentric_shape(con_k, cfg.pct_1rm, not bounce))
            windows.append((c0, tr.n))
            if i < len(mcvs) - 1:
                tr.hold(rng.uniform(0.3, 1.0) + 0.1 * i)
    i_sway = tr.n
    tr.hold(rng.uniform(0.8, 1.8))
    sway_spans.append((i_sway, tr.n))
    if racked:
        tr.move(rng.uniform(0.8, 1.2), disp=(-horiz, 0.0, 0.0), bump=(0, 0, -0.006))
        tr.move(rng.uniform(0.4, 0.7), disp=(0.0, 0.0, -0.04))
    tr.hold(rng.uniform(2.0, 3.5))
    sway = cfg.sway and racked  # a deadlift bar rests on the floor: no breathing sway
    return finish_motion(tr, rng, rom, windows, not_reps, sway_spans if sway else [], roll_bumps)


def finish_motion(
    tr: _Track,
    rng: np.random.Generator,
    rom: float,
    windows: list[tuple[int, int]],
    not_reps: list[tuple[float, float]],
    sway_spans: Sequence[tuple[int, int]] = (),
    roll_bumps: Sequence[tuple[int, int, float]] = (),
) -> Motion:
    """The track's velocity smoothed at its bounces, breathing sway added over
    ``sway_spans``, integrated to position and differentiated to acceleration, and the bar's
    orientation (roll with height, slow wander of all three angles, ``roll_bumps``)."""
    vel = np.concatenate(tr.chunks)
    for j in tr.kinks:
        _hermite_smooth(vel[:, 2], j, 30)
    n = len(vel)
    t = np.arange(n, dtype=np.float64) * DT
    if sway_spans:
        amp, f = rng.uniform(0.002, 0.004), rng.uniform(0.25, 0.35)
        for j0, j1 in sway_spans:  # still margins of 0.25 s keep sway apart from moves
            i0, i1 = j0 + 250, j1 - 250
            if i1 - i0 < 500:
                continue
            u = np.linspace(0.0, 1.0, i1 - i0)
            env = np.sin(np.pi * u) ** 2
            zs = amp * env * np.sin(2 * np.pi * f * (t[i0:i1] - t[i0]))
            vel[i0:i1, 2] += np.gradient(zs, DT)
    pos = np.zeros_like(vel)
    pos[1:] = np.cumsum(0.5 * (vel[1:] + vel[:-1]), axis=0) * DT
    acc = np.asarray(np.gradient(vel, DT, axis=0), dtype=np.float64)

    # Orientation of the bar: roll follows the bar's height (hands and back roll it), tilt
    # and yaw wander a little; grip adjustments add a roll there and back.
    rel = (pos[:, 2] - pos[0, 2]) / rom
    roll_amp = np.radians(rng.uniform(10, 40) * rng.choice([-1, 1]))
    angles = np.zeros((n, 3))
    angles[:, 0] = rng.uniform(-np.pi, np.pi) + roll_amp * rel + _wander(n, rng, 0.03)
    angles[:, 1] = np.radians(rng.uniform(-3, 3)) * rel + _wander(n, rng, 0.02)
    angles[:, 2] = _wander(n, rng, 0.04)
    for i0, i1, amp_r in roll_bumps:
        u = np.linspace(0.0, 1.0, i1 - i0)
        angles[i0:i1, 0] += amp_r * np.sin(np.pi * u) ** 2
    return Motion(t, pos, vel, acc, angles, windows, not_reps)


def _crossing(t: Array, v: Array, i: int) -> float:
    """Time where v crosses zero between samples i and i + 1 (linear)."""
    if v[i + 1] == v[i]:
        return float(t[i])
    return float(t[i] + (t[i + 1] - t[i]) * (0.0 - v[i]) / (v[i + 1] - v[i]))


def extract_truth(
    m: Motion, lift: str, t0: float, lifts: list[str] | None = None
) -> list[DetectedRep]:
    """Per-rep truth from the dense trajectory: the concentric runs from the zero crossing at
    the bottom to the next at the top; MPV ends where acceleration first drops below -g
    after the peak velocity (Sanchez-Medina, Perez & Gonzalez-Badillo 2010). ``lifts``
    names the lift of each window when they differ (a session)."""
    t, z, v, a = m.t, m.pos[:, 2], m.vel[:, 2], m.acc[:, 2]
    reps = []
    for w, (c0, c1) in enumerate(m.windows):
        mid = (c0 + c1) // 2
        i = mid
        while i > 0 and v[i - 1] > 0:
            i -= 1
        j = mid
        while j < len(v) - 1 and v[j + 1] > 0:
            j += 1
        start, end = _crossing(t, v, i - 1), _crossing(t, v, j)
        z_s, z_e = float(np.interp(start, t, z)), float(np.interp(end, t, z))
        rom = z_e - z_s
        ip = i + int(np.argmax(v[i : j + 1]))
        brake = np.nonzero(a[ip : j + 1] < -G)[0]
        if len(brake):
            tb = float(t[ip + brake[0]])
            mpv = (float(np.interp(tb, t, z)) - z_s) / (tb - start)
        else:
            mpv = rom / (end - start)
        # the eccentric: before the concentric (squat, bench) or after it (deadlift)
        if (lifts[w] if lifts else lift) == "deadlift":
            k = j + 1
            while k < len(v) - 1 and v[k + 1] >= 0:
                k += 1
            e0 = k
            while e0 < len(v) - 1 and v[e0 + 1] < 0:
                e0 += 1
            ecc_start, ecc_end = _crossing(t, v, k), _crossing(t, v, e0)
        else:
            k = i - 1
            while k > 0 and v[k - 1] <= 0 and v[k] == 0:
                k -= 1
            e1 = k
            while e1 > 0 and v[e1 - 1] < 0:
                e1 -= 1
            ecc_start, ecc_end = _crossing(t, v, e1 - 1), _crossing(t, v, k)
        ecc_s = ecc_end - ecc_start
        ecc_d = abs(float(np.interp(ecc_end, t, z)) - float(np.interp(ecc_start, t, z)))
        reps.append(
            DetectedRep(
                start=start + t0,
                end=end + t0,
                mcv=rom / (end - start),
                mpv=mpv,
                peak_velocity=float(v[i : j + 1].max()),
                rom=rom,
                concentric_s=end - start,
                eccentric_s=ecc_s,
                eccentric_mean_velocity=ecc_d / ecc_s,
            )
        )
    return reps
