"""A simulator of barbell sets with known truth (issue 4, item 4): squat, bench press
(touch-and-go or paused) and deadlift, 1-12 reps at 40-95% 1RM with within-set fatigue,
before and after the set the rack, walk-out, breathing sway and rest, optionally distractor
movements that are not reps; seen through an IMU mounted in any orientation on a bar that
rolls and tilts, with MEMS errors by sensor grade, and through a position transducer.

The motion and the truth come from :mod:`replog.core.signal.sim_motion` (1 kHz, noiseless);
the truth is measured on that dense trajectory, never on the sampled streams.

Sensor model. World frame z up; the bar's orientation is ``R_wb = Rz(yaw) Ry(tilt)
Rx(roll)`` (x along the bar); the sensor is fixed to the bar with a random rotation ``R_bs``
(uniform on SO(3)), so ``R = R_wb R_bs`` maps sensor to world. The accelerometer reads the
specific force ``R^T (a_world + g z)``, the gyroscope the body rate ``R_bs^T w_b`` with
``w_b`` from the ZYX Euler rates. Both are then distorted as ``M (x + b(t)) + n`` and
quantised: ``M = I + diag(scale) + cross-axis`` (fixed per set), bias ``b`` constant plus a
random walk, white noise with standard deviation ``density * sqrt(rate / 2)`` (the band up to
Nyquist). The grade numbers (:data:`GRADES`) are RepLog's assumptions of the order given by
MEMS data sheets: Bosch BMI160 (accelerometer 180 ug/sqrt(Hz), gyro 0.007 deg/s/sqrt(Hz);
"phone"), InvenSense MPU-6050 (400 ug/sqrt(Hz), 0.005 deg/s/sqrt(Hz), zero-g offset up to
+-50 mg; "consumer_imu"), and a calibrated low-noise unit ("good_imu").

Timing: samples at ``k / rate`` plus Gaussian jitter (``jitter`` of the period, clipped at
40%); the "browser" mode is 60 Hz with 15% jitter, 2% dropped samples and accelerations
rounded to 0.1 m/s^2, as DeviceMotion events deliver them. The position transducer reads
the bar's height with white noise (``lpt_noise_m``, 1 mm by default, a stress setting: an
optical encoder's error is its count step) and, when ``lpt_resolution_m`` is set, in whole
counts of that step, as an encoder does (linear encoders of the T-Force class: about 0.2 mm
counts read at 1000 Hz).

Real recordings are harder (issue 17, item 4): the "breakout_imu" grade has the large
uncalibrated offsets and gains of cheap breakout boards; ``no_rest`` sets never stop and
their recordings start and end mid-movement; the "bluetooth" clock writes rows the way a
phone logging a Bluetooth sensor does (bursts sharing a timestamp, repeated and late rows,
lost packets), kept in ``SimulatedSet.raw`` while ``imu`` is their merge by
:func:`replog.core.signal.timebase.merge_repeats`. :func:`random_hard_config` draws such
sets. The details and their sources: :mod:`replog.core.signal.sim_sensor` (grades) and
:mod:`replog.core.signal.sim_real` (continuous sets, the Bluetooth clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from replog.core.errors import ValidationError
from replog.core.signal.sim_motion import (
    DT,
    PARTIAL_ROM_SHARE,
    Motion,
    build_motion,
    extract_truth,
    reps_possible,
)
from replog.core.signal.sim_real import bluetooth_rows, no_rest_motion
from replog.core.signal.sim_sensor import GRADES, Grade, Spread, distort
from replog.core.signal.timebase import merge_repeats
from replog.core.signal.types import Array, DetectedRep, G, ImuStream, LptStream

__all__ = [
    "CLOCKS",
    "GRADES",
    "HARD_RATES",
    "LIFTS",
    "PARTIAL_ROM_SHARE",
    "Grade",
    "SimConfig",
    "SimulatedSet",
    "Spread",
    "random_config",
    "random_hard_config",
    "simulate_session",
    "simulate_set",
]

LIFTS = ("squat", "bench", "deadlift")
RATES = (50.0, 60.0, 100.0, 200.0)
HARD_RATES = (12.5, 25.0, 50.0, 60.0, 100.0)  # 12.5 Hz: wristband accelerometers
CLOCKS = ("regular", "bluetooth")


@dataclass(frozen=True, slots=True)
class SimConfig:
    """One simulated set. ``pct_1rm`` is a fraction (0.40-0.95); ``rate_hz`` the IMU's
    nominal rate (forced to 60 in ``browser`` mode); ``touch_and_go`` applies to bench and
    deadlift (squats always bounce); ``pause_s`` is the still pause on the chest of a paused
    bench rep; ``rom`` (m) is drawn from the lift's range when None; ``clock_offset`` (s)
    puts the streams on a device clock that does not start at 0. ``no_rest`` makes a
    continuous touch-and-go set recorded from mid-walk-out to mid-re-rack (it overrides
    ``touch_and_go`` and ``pause_s``); ``clock`` "bluetooth" writes the IMU rows as a phone
    logging a Bluetooth sensor does (:mod:`replog.core.signal.sim_real`)."""

    lift: str = "squat"
    reps: int = 5
    pct_1rm: float = 0.75
    rate_hz: float = 100.0
    grade: str = "phone"
    seed: int = 0
    touch_and_go: bool = True
    pause_s: float = 0.75
    distractors: bool = False
    browser: bool = False
    random_orientation: bool = True
    sway: bool = True
    rom: float | None = None
    jitter: float = 0.01
    drop_rate: float = 0.0
    lpt_rate_hz: float = 500.0
    lpt_noise_m: float = 0.001
    lpt_resolution_m: float = 0.0
    clock_offset: float = 0.0
    no_rest: bool = False
    clock: str = "regular"

    def __post_init__(self) -> None:
        if self.lift not in LIFTS:
            raise ValidationError(f"unknown lift {self.lift!r}, use one of {LIFTS}", "lift")
        if not 1 <= self.reps <= 12:
            raise ValidationError(f"reps must be 1-12, got {self.reps}", "reps")
        if not 0.4 <= self.pct_1rm <= 0.95:
            raise ValidationError(f"pct_1rm must be 0.40-0.95, got {self.pct_1rm}", "pct_1rm")
        if self.grade not in GRADES:
            raise ValidationError(f"unknown grade {self.grade!r}", "grade")
        if not (10.0 <= self.rate_hz <= 2000.0 and 10.0 <= self.lpt_rate_hz <= 2000.0):
            raise ValidationError("rates must be 10-2000 Hz", "rate_hz")
        if not (0.0 <= self.jitter <= 0.4 and 0.0 <= self.drop_rate < 0.5):
            raise ValidationError("jitter must be 0-0.4, drop_rate 0-0.5", "jitter")
        if not (0.0 <= self.lpt_noise_m <= 0.05 and 0.0 <= self.lpt_resolution_m <= 0.05):
            raise ValidationError("lpt_noise_m and lpt_resolution_m must be 0-0.05 m", "lpt")
        if self.pause_s < 0 or (self.rom is not None and not 0.1 <= self.rom <= 1.0):
            raise ValidationError("pause_s must be >= 0 and rom 0.1-1.0 m", "rom")
        if self.clock not in CLOCKS or (self.browser and self.clock != "regular"):
            raise ValidationError(f"clock must be in {CLOCKS}, regular if browser", "clock")


@dataclass(frozen=True, slots=True, eq=False)
class SimulatedSet:
    """The streams and their truth. ``not_reps`` are the distractor spans (device clock);
    ``dense`` the 1 kHz noiseless motion (its time starts at 0, ``clock_offset`` later on
    the device clock); ``rotation`` (N, 3, 3) maps the sensor frame to the world frame and
    ``gyro_true`` (N, 3) is the noiseless sensor-frame rate, both on the dense grid. The
    eccentric of a deadlift rep is the lowering after it; of the others, the one before.
    ``raw`` holds the IMU rows ``(t, acc, gyro)`` as a Bluetooth logger writes them (time
    repeats, goes back and lags the sampling, which the truth keeps; None on a regular
    clock), and ``imu`` their merge."""

    imu: ImuStream
    lpt: LptStream
    truth: list[DetectedRep]
    not_reps: list[tuple[float, float]]
    config: SimConfig
    dense: Motion
    rotation: Array
    gyro_true: Array = field(repr=False)
    raw: tuple[Array, Array, Array] | None = field(default=None, repr=False)


def _rot(axis: int, ang: Array) -> Array:
    c, s = np.cos(ang), np.sin(ang)
    r = np.zeros((len(ang), 3, 3))
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    r[:, axis, axis] = 1.0
    r[:, i, i], r[:, j, j], r[:, i, j], r[:, j, i] = c, c, -s, s
    return r


def _random_rotation(rng: np.random.Generator) -> Array:
    """Uniform on SO(3): a random unit quaternion (Shoemake 1992)."""
    w, x, y, z = rng.standard_normal(4) / 1.0
    n = np.sqrt(w * w + x * x + y * y + z * z)
    w, x, y, z = w / n, x / n, y / n, z / n
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def _kinematics(m: Motion, mount: Array) -> tuple[Array, Array, Array]:
    """Sensor-to-world rotation, true specific force and true body rate (sensor frame)."""
    roll, tilt, yaw = m.angles[:, 0], m.angles[:, 1], m.angles[:, 2]
    r_wb = _rot(2, yaw) @ _rot(1, tilt) @ _rot(0, roll)
    rot = r_wb @ mount
    dr, dt_, dy = (np.gradient(a, DT) for a in (roll, tilt, yaw))
    w_b = np.stack(
        [
            dr - dy * np.sin(tilt),
            dt_ * np.cos(roll) + dy * np.cos(tilt) * np.sin(roll),
            -dt_ * np.sin(roll) + dy * np.cos(tilt) * np.cos(roll),
        ],
        axis=1,
    )
    gyro = w_b @ mount  # = (mount^T w_b^T)^T
    f_world = m.acc + np.array([0.0, 0.0, G])
    acc = np.einsum("nji,nj->ni", rot, f_world)  # R^T f
    return rot, acc, gyro


def _sample_times(cfg: SimConfig, rate: float, span: float, rng: np.random.Generator) -> Array:
    period = 1.0 / rate
    k = np.arange(int(span * rate) - 1)
    jitter = 0.15 if cfg.browser else cfg.jitter
    t = (k + 0.5) * period + np.clip(rng.standard_normal(len(k)) * jitter, -0.4, 0.4) * period
    drop = 0.02 if cfg.browser else cfg.drop_rate
    if drop > 0:
        t = t[rng.random(len(t)) >= drop]
    return t


def _rngs(seed: int, n: int) -> list[np.random.Generator]:
    """``n`` independent generators from one seed (a set's motion, mount, IMU, LPT)."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n)]


def simulate_set(config: SimConfig) -> SimulatedSet:
    """Simulate one set: deterministic for ``config.seed``."""
    cfg = replace(config, rate_hz=60.0) if config.browser else config
    rng_motion, rng_mount, rng_imu, rng_lpt = _rngs(cfg.seed, 4)
    m = no_rest_motion(cfg, rng_motion) if cfg.no_rest else build_motion(cfg, rng_motion)
    mount = _random_rotation(rng_mount) if cfg.random_orientation else np.eye(3)
    return _observe(cfg, m, mount, rng_imu, rng_lpt)


def simulate_session(configs: list[SimConfig], *, rest_s: float = 120.0) -> SimulatedSet:
    """Several sets in one stream from *one* sensor (the first config's grade, rates, mount
    and seed): each set's motion as :func:`simulate_set` builds it, separated by ``rest_s``
    seconds with the bar racked and still, then turned in the rack (a 2 s rotation to the
    next set's starting angles, listed in ``not_reps``). Positions are shifted to be
    continuous; a sensor cannot tell absolute height, so lifts may be mixed."""
    if not configs:
        raise ValidationError("a session needs at least one set", "configs")
    if any(c.no_rest for c in configs):
        raise ValidationError("no_rest sets are single recordings, not session sets", "no_rest")
    first = replace(configs[0], rate_hz=60.0) if configs[0].browser else configs[0]
    rng_mount, rng_imu, rng_lpt = _rngs(first.seed, 5)[2:]
    motions = [build_motion(c, _rngs(c.seed, 4)[0]) for c in configs]
    m = _join(motions, rest_s)
    mount = _random_rotation(rng_mount) if first.random_orientation else np.eye(3)
    lifts = [c.lift for c, mo in zip(configs, motions, strict=True) for _ in mo.windows]
    return _observe(first, m, mount, rng_imu, rng_lpt, lifts=lifts)


def _join(motions: list[Motion], rest_s: float) -> Motion:
    """One dense motion: rest, a turn of the bar in the rack, then the next set."""
    pos: list[Array] = []
    vel: list[Array] = []
    acc: list[Array] = []
    ang: list[Array] = []
    windows: list[tuple[int, int]] = []
    not_reps: list[tuple[float, float]] = []
    n = 0
    for k, m in enumerate(motions):
        if k:
            p_end, a_end = pos[-1][-1], ang[-1][-1]
            hold = int(rest_s / DT)
            turn = int(2.0 / DT)
            u = np.arange(1, turn + 1) / turn
            shape = 10 * u**3 - 15 * u**4 + 6 * u**5  # minimum jerk
            a_gap = np.vstack([np.repeat(a_end[None], hold, axis=0),
                               a_end + shape[:, None] * (m.angles[0] - a_end)])  # fmt: skip
            not_reps.append(((n + hold) * DT, (n + hold + turn) * DT))
            ang.append(a_gap)
            pos.append(np.repeat(p_end[None], hold + turn, axis=0))
            vel.append(np.zeros((hold + turn, 3)))
            acc.append(np.zeros((hold + turn, 3)))
            n += hold + turn
        shift = pos[-1][-1] - m.pos[0] if pos else np.zeros(3)
        pos.append(m.pos + shift)
        vel.append(m.vel)
        acc.append(m.acc)
        ang.append(m.angles)
        windows += [(a + n, b + n) for a, b in m.windows]
        not_reps += [(a + n * DT, b + n * DT) for a, b in m.not_reps]
        n += len(m.t)
    t = np.arange(n, dtype=np.float64) * DT
    return Motion(t, np.vstack(pos), np.vstack(vel), np.vstack(acc), np.vstack(ang),
                  windows, not_reps)  # fmt: skip


def _observe(
    cfg: SimConfig,
    m: Motion,
    mount: Array,
    rng_imu: np.random.Generator,
    rng_lpt: np.random.Generator,
    lifts: list[str] | None = None,
) -> SimulatedSet:
    """Sample the dense motion through the IMU and the position transducer."""
    rot, acc_true, gyro_true = _kinematics(m, mount)
    span = float(m.t[-1])

    t_imu = _sample_times(cfg, cfg.rate_hz, span, rng_imu)
    acc = np.stack([np.interp(t_imu, m.t, acc_true[:, i]) for i in range(3)], axis=1)
    gyro = np.stack([np.interp(t_imu, m.t, gyro_true[:, i]) for i in range(3)], axis=1)
    grade = GRADES[cfg.grade]
    acc = distort(acc, t_imu, cfg.rate_hz, grade, "acc", rng_imu)
    gyro = distort(gyro, t_imu, cfg.rate_hz, grade, "gyro", rng_imu)
    if cfg.browser:
        acc = np.round(acc, 1)

    t0 = cfg.clock_offset
    raw = None
    if cfg.clock == "bluetooth":
        raw = bluetooth_rows(t_imu + t0, acc, gyro, _rngs(cfg.seed, 6)[5])
        t_m, (acc_m, gyro_m), _ = merge_repeats(*raw)
        imu = ImuStream(t_m, acc_m, gyro_m)
    else:
        imu = ImuStream(t_imu + t0, acc, gyro)
    return SimulatedSet(
        imu=imu,
        lpt=_lpt(cfg, m, rng_lpt),
        truth=extract_truth(m, cfg.lift, t0, lifts),
        not_reps=[(a + t0, b + t0) for a, b in m.not_reps],
        config=cfg,
        dense=m,
        rotation=rot,
        gyro_true=gyro_true,
        raw=raw,
    )


def _lpt(cfg: SimConfig, m: Motion, rng: np.random.Generator) -> LptStream:
    """The bar's height as the position transducer of ``cfg`` reads it."""
    lpt_cfg = replace(cfg, browser=False, drop_rate=0.0)
    t = _sample_times(lpt_cfg, cfg.lpt_rate_hz, float(m.t[-1]), rng)
    disp = np.interp(t, m.t, m.pos[:, 2]) + rng.standard_normal(len(t)) * cfg.lpt_noise_m
    if cfg.lpt_resolution_m > 0:
        disp = np.round(disp / cfg.lpt_resolution_m) * cfg.lpt_resolution_m
    return LptStream(t + cfg.clock_offset, disp)


def observe_lpt(
    s: SimulatedSet, *, rate_hz: float, noise_m: float = 0.0, resolution_m: float = 0.0,
    seed: int = 0,
) -> LptStream:  # fmt: skip
    """The same set's motion read by another position transducer (its rate, white noise and
    count step), for comparing transducers on identical lifts."""
    cfg = replace(s.config, lpt_rate_hz=rate_hz, lpt_noise_m=noise_m, lpt_resolution_m=resolution_m)
    return _lpt(cfg, s.dense, np.random.default_rng(seed))


def random_config(rng: np.random.Generator, **overrides: Any) -> SimConfig:
    """A realistic random set for benchmarks; ``overrides`` fix any :class:`SimConfig` field.
    Reps are capped at what the load allows (Epley), browser streams come from phones."""
    lift = str(overrides.get("lift", rng.choice(LIFTS)))
    pct = float(overrides.get("pct_1rm", round(rng.uniform(0.4, 0.95), 3)))
    most = int(min(12, max(1, np.floor(reps_possible(pct)))))
    browser = bool(overrides.get("browser", rng.random() < 0.15))
    values: dict[str, Any] = {
        "lift": lift,
        "pct_1rm": pct,
        "reps": int(rng.integers(1, most + 1)),
        "rate_hz": 60.0 if browser else float(rng.choice(RATES)),
        "grade": "phone" if browser else str(rng.choice(["phone", "consumer_imu", "good_imu"])),
        "seed": int(rng.integers(0, 2**31)),
        "touch_and_go": bool(rng.random() < (0.5 if lift == "bench" else 0.3))
        if lift != "squat"
        else True,
        "pause_s": round(float(rng.uniform(0.5, 1.0)), 3),
        "distractors": bool(rng.random() < 0.5),
        "browser": browser,
        "jitter": round(float(rng.uniform(0.0, 0.03)), 4),
        "lpt_rate_hz": float(rng.choice([50.0, 100.0, 200.0, 500.0, 1000.0])),
        "clock_offset": round(float(rng.uniform(0.0, 1e5)), 3),
    }
    values.update(overrides)
    return SimConfig(**values)


def random_hard_config(rng: np.random.Generator, **overrides: Any) -> SimConfig:
    """A random set as real barbell loggers record it: squat, bench or deadlift, 3-12 reps
    (at most what the load allows by Epley, but 3) at 50-90% 1RM, a "breakout_imu" sensor in
    a random orientation at 12.5-100 Hz (:data:`HARD_RATES`), continuous (``no_rest``) in
    70% of sets and on a Bluetooth clock in 70%; ``overrides`` fix any :class:`SimConfig`
    field. The truth is as exact as for any other set."""
    lift = str(overrides.get("lift", rng.choice(LIFTS)))
    pct = float(overrides.get("pct_1rm", round(rng.uniform(0.5, 0.9), 3)))
    most = int(min(12, max(3, np.floor(reps_possible(pct)))))
    no_rest = bool(overrides.get("no_rest", rng.random() < 0.7))
    values: dict[str, Any] = {
        "lift": lift,
        "pct_1rm": pct,
        "reps": int(rng.integers(3, most + 1)),
        "rate_hz": float(rng.choice(HARD_RATES)),
        "grade": "breakout_imu",
        "seed": int(rng.integers(0, 2**31)),
        "no_rest": no_rest,
        "clock": "bluetooth" if rng.random() < 0.7 else "regular",
        "touch_and_go": no_rest or lift == "squat" or bool(rng.random() < 0.5),
        "random_orientation": True,
        "jitter": round(float(rng.uniform(0.0, 0.03)), 4),
        "lpt_rate_hz": float(rng.choice([50.0, 100.0, 200.0, 500.0, 1000.0])),
        "clock_offset": round(float(rng.uniform(0.0, 1e5)), 3),
    }
    values.update(overrides)
    return SimConfig(**values)
