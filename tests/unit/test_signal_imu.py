"""The IMU pipeline (replog.core.signal.imu): continuous sets without rests, biased cheap
sensors, slow and irregular clocks, honest output, the two faces, and the real recordings
in ../shared (the acceptance file of issue 17).

Tolerances are the pipeline's measured capability with a margin, as regression guards; the
issue's floors are measured by benchmarks/bench_sensor.py and bench_sensor_real.py."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from replog.core.errors import ValidationError
from replog.core.model import RepSource
from replog.core.signal.imu import ImuRepDetector, analyze_imu, imu_kinematics, reps_from_imu
from replog.core.signal.sim import random_config, random_hard_config, simulate_set
from replog.core.signal.types import DetectedRep, G, ImuStream

SENSORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "sensors"
ADAM = SENSORS / "bar-imu" / "squat" / "squat_adam_set1_reps10_1.csv"


def _rotation(rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def continuous_set(
    reps: int = 8,
    period: float = 2.5,
    rom: float = 0.5,
    rate: float = 100.0,
    bias: float = 0.4,
    scale: float = 0.02,
    gyro_bias: float = 0.1,
    seed: int = 0,
) -> tuple[ImuStream, float]:
    """A touch-and-go set with no still moment: the bar starts at the top and travels
    ``rom`` down and up ``reps`` times (raised-cosine displacement), read by a sensor in a
    random fixed orientation with an accelerometer bias of ``bias`` m/s^2 (random
    direction), per-axis scale errors up to ``scale``, a gyro bias of ``gyro_bias`` rad/s and
    white noise; 1.5 s of the walk-out's bobbing before and after (1 cm at 0.7 Hz, so the
    bar is never still). Returns the stream and the true MCV."""
    rng = np.random.default_rng(seed)
    t = np.arange(0.0, reps * period + 3.0, 1.0 / rate)
    w = 2 * np.pi / period
    phase = np.clip(t - 1.5, 0.0, reps * period)
    acc_z = -0.5 * rom * w**2 * np.cos(w * phase) * ((t > 1.5) & (t < 1.5 + reps * period))
    acc_z += 0.2 * np.sin(2 * np.pi * 0.7 * t)  # bobbing: never still
    world = np.column_stack((0.02 * np.sin(t), 0.02 * np.cos(1.3 * t), acc_z + G))
    rot = _rotation(rng)
    axis = rng.normal(size=3)
    f = world @ rot  # sensor frame (rot maps sensor to world)
    f = f * (1 + rng.uniform(-scale, scale, 3)) + bias * axis / np.linalg.norm(axis)
    f += rng.normal(0, 0.05, f.shape)
    gyro = gyro_bias * rng.choice([-1.0, 1.0], 3) + rng.normal(0, 0.01, f.shape)
    return ImuStream(t, f, gyro), rom / (period / 2)


def test_touch_and_go_set_with_biased_cheap_sensor() -> None:
    for seed in range(4):
        stream, mcv = continuous_set(seed=seed)
        res = analyze_imu(stream, exercise="squat")
        assert len(res.reps) == 8, seed
        for r in res.reps:
            assert abs(r.rom - 0.5) < 0.09  # measured: max 0.073, RMSE 0.03
            assert abs(r.mcv - mcv) < 0.05  # measured: max 0.032, RMSE 0.015
            assert r.confidence > 0.5
        assert res.tempo_hz == pytest.approx(0.4, abs=0.05)


def test_simulated_sets_counts_and_rom() -> None:
    rng = np.random.default_rng(3)
    tp = fp = fn = 0
    rom_err = []
    for i in range(16):
        cfg = random_config(rng, seed=i, distractors=False)
        s = simulate_set(cfg)
        det = reps_from_imu(s.imu, exercise=cfg.lift)
        for tr in s.truth:
            hit = [
                d
                for d in det
                if min(d.end, tr.end) - max(d.start, tr.start) > 0.3 * tr.concentric_s
            ]
            if hit:
                tp += 1
                rom_err.append(hit[0].rom - tr.rom)
            else:
                fn += 1
        fp += max(0, len(det) - len(s.truth))
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.93
    assert float(np.sqrt(np.mean(np.square(rom_err)))) < 0.08


def test_up_is_positive_and_displacement_returns() -> None:
    stream, _ = continuous_set(reps=5, seed=7)
    t, d, v = imu_kinematics(stream)
    assert len(t) == len(d) == len(v) > 0
    # the first move of the set is down (the bar starts at the top)
    i = int(np.searchsorted(t, 1.5 + 0.6))
    assert v[i] < -0.2
    # the bar is back where the set began (its first and last tops); the walk-out before
    # and after lies outside every turnaround and is not a measurement
    start, end = np.searchsorted(t, [t[0] + 1.5, t[0] + 1.5 + 5 * 2.5])
    assert abs(d[end] - d[start]) < 0.1


def test_a_still_sensor_says_no_lifting() -> None:
    t = np.arange(0.0, 20.0, 0.01)
    acc = np.tile([0.3, -0.2, 9.7], (len(t), 1)) + np.random.default_rng(1).normal(
        0, 0.03, (len(t), 3)
    )
    res = analyze_imu(ImuStream(t, acc, np.full((len(t), 3), 0.1)))
    assert res.reps == []
    assert res.reason is not None
    assert res.reason.startswith("no lifting")
    assert "\n" not in res.reason


def test_small_movements_are_not_reps_and_say_how_small() -> None:
    stream, _ = continuous_set(reps=6, rom=0.08, period=1.0, seed=2, bias=0.1)
    res = analyze_imu(stream, exercise="squat")
    assert res.reps == []
    assert res.reason is not None
    assert "cm" in res.reason
    assert "squat" in res.reason


def test_too_short_a_recording() -> None:
    t = np.arange(0.0, 0.5, 0.01)
    res = analyze_imu(ImuStream(t, np.tile([0, 0, G], (len(t), 1)), np.zeros((len(t), 3))))
    assert res.reps == []
    assert res.reason is not None
    assert "too short" in res.reason


def test_slow_wristband_counts_but_gives_no_velocity() -> None:
    stream, _ = continuous_set(reps=5, rate=12.5, seed=4)
    reps = reps_from_imu(stream, exercise="squat")
    assert len(reps) == 5
    for r in reps:
        assert "velocity_unavailable" in r.quality
        stored = r.to_rep(1, "imu")  # type: ignore[arg-type]
        assert stored.mcv is None
        assert stored.rom is None
        assert stored.concentric_s is not None


def test_unknown_exercise_is_refused() -> None:
    stream, _ = continuous_set(reps=3)
    with pytest.raises(ValidationError, match="unknown exercise"):
        analyze_imu(stream, exercise="squatt")


def test_streaming_face_stores_what_the_batch_face_finds() -> None:
    stream, _ = continuous_set(reps=10, seed=5)
    batch = reps_from_imu(stream)
    det = ImuRepDetector()
    live: list[DetectedRep] = []
    for a in range(0, len(stream.t), 37):
        sl = slice(a, a + 37)
        live += det.update(stream.t[sl], stream.acc[sl], stream.gyro[sl])
    during = len(live)
    live += det.finish()
    assert det.reps == batch  # what the set stores
    # a touch-and-go set's reps come during the set, each once its next turnaround is seen
    assert during >= len(batch) - 2
    # live reps are provisional (bench_sensor_real.py measures their agreement)
    assert len(live) == len(batch)
    assert all(abs(a.mcv - b.mcv) < 0.08 for a, b in zip(live, batch, strict=True))  # max 0.056


def test_streaming_merges_repeated_timestamps() -> None:
    stream, _ = continuous_set(reps=4, seed=6)
    t = np.repeat(stream.t, 2)
    acc, gyro = np.repeat(stream.acc, 2, axis=0), np.repeat(stream.gyro, 2, axis=0)
    det = ImuRepDetector()
    for a in range(0, len(t), 100):
        det.update(t[a : a + 100], acc[a : a + 100], gyro[a : a + 100])
    det.finish()
    assert len(det.reps) == 4
    with pytest.raises(ValidationError):
        det.update([1.0], [[0, 0, 9.8]], [[0, 0, 0]])


@pytest.mark.skipif(not ADAM.is_file(), reason=f"shared data absent: {ADAM}")
def test_acceptance_file_gives_ten_plausible_squats() -> None:
    from replog.io.sensor_csv import read_imu_csv

    stream = read_imu_csv(ADAM, columns="id,t_ms,ax,ay,az,gx,gy,gz")
    reps = reps_from_imu(stream, exercise="squat")
    assert len(reps) == 10
    assert sum("rom_implausible" not in r.quality for r in reps) >= 9
    assert all(0.3 < r.rom < 0.9 for r in reps)


@pytest.mark.skipif(not SENSORS.is_dir(), reason=f"shared data absent: {SENSORS}")
def test_real_bar_recordings_regression_guard() -> None:
    """Every real recording; the share counted exactly and the share of reps with a ROM
    plausible for the lift may only go up (measured 0.77 / 0.89 on the bar and 0.73 / 0.92
    on the wrist when written, 0.87 / 0.89 and 0.76 / 0.90 after the rhythm fill and the
    0.6 x tempo counting band, 0.88 / 0.80 after the orientation gate and the cut first
    press rep; the issue's floors are reported by the benchmark)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_sensor_real import read, recordings

    for mount, sets, floor in (("bar", 50, 0.88), ("wrist", 50, 0.80)):
        rs = [r for r in recordings() if r["mount"] == mount and r["reps"] and not r.get("rest")]
        found = [reps_from_imu(read(r), exercise=r["lift"]) for r in rs]
        exact = [len(f) == r["reps"] for f, r in zip(found, rs, strict=True)]
        plausible = [("rom_implausible" not in x.quality) for f in found for x in f]
        assert len(rs) >= sets
        assert float(np.mean(exact)) >= floor, mount
        assert float(np.mean(plausible)) >= 0.85, mount  # measured 0.89 and 0.90


def test_a_rep_faster_than_the_lift_allows_keeps_its_count_but_not_its_velocity() -> None:
    from replog.core.model import RepSource
    from replog.core.signal.imu import ImuAnalysis, _no_impossible_velocity
    from replog.core.signal.lifts import lift_prior

    ok = DetectedRep(10.0, 10.6, 0.7, 0.75, 1.2, 0.42, 0.6)
    wild = DetectedRep(20.0, 20.2, 2.3, 2.4, 3.0, 0.46, 0.2, quality=("drift",), confidence=0.7)
    res = _no_impossible_velocity(ImuAnalysis([ok, wild]), lift_prior("bench"))
    assert res.reps[0] is ok
    assert res.reps[1].quality == ("drift", "velocity_implausible", "velocity_unavailable")
    assert res.reps[1].confidence == pytest.approx(0.175)
    assert res.reps[1].to_rep(2, RepSource.IMU).mcv is None  # stored without a velocity
    # a curl's bar may swing faster; any lift at all has the loosest bound
    assert _no_impossible_velocity(ImuAnalysis([wild]), lift_prior("curl")).reps == [wild]
    assert lift_prior(None).max_mcv == 3.0


def test_a_counted_cycle_with_no_measurable_concentric_stays_a_rep_without_velocity() -> None:
    """The counting signal found a rise where the pinned velocity shows none (a hole in
    a 12.5 Hz wristband's samples): the rep is kept, timed and sized by the rise, and
    flagged ``velocity_unavailable`` rather than dropped (which lost one rep in ten)."""
    from replog.core.signal.cycles import Cycle
    from replog.core.signal.imu import ImuConfig
    from replog.core.signal.imu_reps import measure_reps
    from replog.core.signal.lifts import lift_prior

    rate = 12.5
    grid = np.arange(0.0, 10.0, 1.0 / rate)
    zero = np.zeros_like(grid)
    found = [Cycle(20, 32, 0.5), Cycle(60, 72, 0.45)]
    reps = measure_reps(found, grid, zero, zero, zero, zero.astype(bool), lift_prior("squat"),
                        rate, 0.4, rate, ImuConfig())  # fmt: skip
    assert [(r.start, r.end, r.rom) for r in reps] == [(1.6, 2.56, 0.5), (4.8, 5.76, 0.45)]
    assert all("velocity_unavailable" in r.quality and r.confidence <= 0.25 for r in reps)


def test_a_rested_movement_holding_two_turnaround_reps_is_split() -> None:
    """The rest-anchored pipeline saw one 2.4 m "rep" where the bar never rested between
    two touch-and-go reps; the continuous reps inside it replace it. One continuous rep
    inside a rested one leaves the rested rep (the more exact) alone."""
    from replog.core.signal.imu_reps import split_merged

    rested = [DetectedRep(0.0, 1.0, 0.6, 0.6, 1.0, 0.6, 1.0),
              DetectedRep(3.0, 8.0, 0.45, 0.45, 1.0, 2.4, 5.0)]  # fmt: skip
    cont = [DetectedRep(0.1, 0.9, 0.7, 0.7, 1.0, 0.55, 0.8),
            DetectedRep(3.1, 4.0, 0.7, 0.7, 1.0, 0.6, 0.9),
            DetectedRep(6.2, 7.9, 0.4, 0.4, 1.0, 0.6, 1.7)]  # fmt: skip
    assert split_merged(rested, cont) == [rested[0], cont[1], cont[2]]


def test_a_drifted_rep_far_from_the_sets_velocity_keeps_its_count_but_not_its_velocity() -> None:
    """A 1.45 m/s rep flagged ``drift`` between 0.75-0.88 m/s reps: a misplaced turnaround,
    not a lift. The same velocity without the drift flag, or a drifted rep near the set's
    velocity, is left alone."""
    from replog.core.signal.imu_reps import doubtful_velocities_unmeasured

    def rep(t: float, mcv: float, *flags: str) -> DetectedRep:
        return DetectedRep(t, t + 0.7, mcv, mcv, 1.5 * mcv, 0.6, 0.7, quality=flags)

    reps = [rep(0, 0.88), rep(3, 0.85), rep(6, 1.45, "drift"), rep(9, 0.8, "drift"), rep(12, 0.75)]
    out = doubtful_velocities_unmeasured(reps, 0.4)
    assert out[2].quality == ("drift", "velocity_outlier", "velocity_unavailable")
    assert [r for i, r in enumerate(out) if i != 2] == [r for i, r in enumerate(reps) if i != 2]
    plain = [*reps[:2], rep(6, 1.45), *reps[3:]]
    assert doubtful_velocities_unmeasured(plain, 0.4) == plain


def test_touch_and_go_bottoms_are_not_pinned_at_the_drift_models_zero_crossing() -> None:
    """Issue 17: continuous bench sets from a biased breakout IMU at 50 Hz. A turnaround
    moved up to a quarter cycle to the drift-corrected velocity's zero crossing took the
    model's own error there (0.2-0.3 m/s at a bouncing bottom) into the whole concentric:
    RMSE 0.042, worst 0.24 m/s on these sets; moved at most one coarse sample, 0.033 and
    0.11."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_sensor import match

    rng = np.random.default_rng(17)
    err = []
    for _ in range(12):
        cfg = random_hard_config(rng, lift="bench", no_rest=True, rate_hz=50.0, clock="regular")
        s = simulate_set(cfg)
        reps = reps_from_imu(s.imu, exercise="bench")
        err += [reps[i].mcv - s.truth[j].mcv for i, j in match(reps, s.truth)
                if "velocity_unavailable" not in reps[i].quality]  # fmt: skip
    e = np.asarray(err)
    assert len(e) >= 70
    assert float(np.sqrt(np.mean(e**2))) < 0.037
    assert float(np.max(np.abs(e))) < 0.16


def _ease(t: np.ndarray, t0: float, dur: float) -> np.ndarray:
    """0 -> 1 between ``t0`` and ``t0 + dur``, at zero velocity at both ends."""
    x = np.clip((t - t0) / dur, 0.0, 1.0)
    return x - np.sin(2 * np.pi * x) / (2 * np.pi)


def press_after_a_clean(reps: int = 8, period: float = 2.0, seed: int = 0) -> ImuStream:
    """A bar cleaned to the shoulders, then pressed ``reps`` times (0.5 m, from 5 s): the
    clean pulls the bar 0.6 m (1.0-1.7 s) while the sensor turns over (180 degrees about
    its x axis, 1.7-2.2 s) and drops 0.35 m into the catch, and the lifter stands up
    (+0.35 m, 2.4-3.2 s); the bar bobs throughout (never still), the accelerometer and the
    gyro are biased."""
    rng = np.random.default_rng(seed)
    rate = 100.0
    t = np.arange(0.0, 5.0 + reps * period + 1.5, 1.0 / rate)
    d = 0.6 * _ease(t, 1.0, 0.7) - 0.35 * _ease(t, 1.7, 0.5) + 0.35 * _ease(t, 2.4, 0.8)
    d += 0.25 * (1 - np.cos(2 * np.pi * np.clip(t - 5.0, 0.0, reps * period) / period))
    a = np.gradient(np.gradient(d, 1 / rate), 1 / rate) + 0.3 * np.sin(2 * np.pi * 0.7 * t)
    theta = np.pi * _ease(t, 1.7, 0.5)
    c, s = np.cos(theta), np.sin(theta)
    f = np.column_stack((np.zeros_like(t), s * (a + G), c * (a + G)))  # R_x(theta)^T (a + g)
    gyro = np.column_stack((np.gradient(theta, 1 / rate), np.zeros_like(t), np.zeros_like(t)))
    f += rng.normal(0, 0.05, f.shape) + 0.2
    gyro += rng.normal(0, 0.01, gyro.shape) + 0.05
    return ImuStream(t, f, gyro)


@pytest.mark.parametrize("seed", range(4))
def test_the_clean_before_a_press_is_no_rep(seed: int) -> None:
    """The clean's pull and the lifter standing up from its catch rise as far as a press
    does; they happen while (or just after) the bar turns over, away from the orientation
    it holds through the set, and are not counted (a real press: 12 reps for 10)."""
    from replog.core.signal.imu import ImuConfig

    stream = press_after_a_clean(seed=seed)
    reps = reps_from_imu(stream, exercise="press")
    assert len(reps) == 8
    assert all(r.start > 4.5 for r in reps)
    # without the orientation gate the clean's rises were reps
    ungated = reps_from_imu(stream, exercise="press", config=ImuConfig(max_tilt_deg=179.0))
    assert len(ungated) > 8
    assert any(r.start < 4.5 for r in ungated)
    # a curl's bar rolls with the forearms: the gate is not asked of it
    assert len(reps_from_imu(stream, exercise="curl")) > 8


def press_joined_late(
    reps: int = 6, period: float = 2.5, rom: float = 0.5, seed: int = 0
) -> ImuStream:
    """A press of ``reps`` reps whose recording began at the lockout of the first: the
    first sample is at the top, the bar comes down to the shoulders and presses
    ``reps - 1`` more times, then rests at the shoulders for a second (bobbing, never
    still); biased sensor in a random orientation, 100 Hz."""
    rng = np.random.default_rng(seed)
    rate = 100.0
    t = np.arange(0.0, (reps - 0.5) * period + 1.0, 1.0 / rate)
    w = 2 * np.pi / period
    d = 0.5 * rom * (1 + np.cos(w * np.clip(t, 0.0, (reps - 0.5) * period)))
    a = np.gradient(np.gradient(d, 1 / rate), 1 / rate) + 0.2 * np.sin(2 * np.pi * 0.7 * t)
    world = np.column_stack((0.02 * np.sin(t), 0.02 * np.cos(1.3 * t), a + G))
    f = world @ _rotation(rng) + 0.3 * rng.normal(size=3) / np.sqrt(3)
    f += rng.normal(0, 0.05, f.shape)
    gyro = 0.05 * rng.choice([-1.0, 1.0], 3) + rng.normal(0, 0.01, f.shape)
    return ImuStream(t, f, gyro)


@pytest.mark.parametrize("seed", range(4))
def test_a_press_recorded_from_the_first_lockout_counts_the_first_rep(seed: int) -> None:
    """A press starts at the shoulders; a recording that opens at a top and comes down a
    rep's length began after the first rep's concentric (real wristband presses: 4 found of
    5). That rep is counted, flagged ``cut`` and without a velocity; the full reps are
    measured as before. A squat starts at the top: the same opening is its walk-out."""
    stream = press_joined_late(seed=seed)
    reps = reps_from_imu(stream, exercise="press")
    assert len(reps) == 6
    assert reps[0].start == pytest.approx(0.0)
    assert reps[0].end > reps[0].start  # never a zero-length rep (the streaming face's overlap)
    assert {"cut", "velocity_unavailable"} <= set(reps[0].quality)
    assert reps[0].to_rep(1, RepSource.IMU).mcv is None
    # the full reps are those found without the rule (a squat starts at the top: there the
    # same opening is the walk-out's descent, and nothing is added)
    assert reps[1:] == reps_from_imu(stream, exercise="squat")
