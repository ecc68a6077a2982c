"""The set simulator: its truth is self-consistent and its streams honour the config."""

from __future__ import annotations

import numpy as np
import pytest

from replog.core.errors import ValidationError
from replog.core.signal.sim import GRADES, SimConfig, SimulatedSet, random_config, simulate_set
from replog.core.signal.types import G

DT = 1e-3


def sim(**kw: object) -> SimulatedSet:
    return simulate_set(SimConfig(**kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kw",
    [
        {"lift": "squat", "pct_1rm": 0.5, "distractors": True},
        {"lift": "bench", "touch_and_go": False, "reps": 3},
        {"lift": "deadlift", "pct_1rm": 0.6, "touch_and_go": True},
    ],
)
def test_integrating_the_true_acceleration_gives_velocity_and_position(
    kw: dict[str, object],
) -> None:
    m = sim(**kw).dense
    v = np.concatenate([[0.0], np.cumsum(0.5 * (m.acc[1:, 2] + m.acc[:-1, 2])) * DT])
    assert np.max(np.abs(v - m.vel[:, 2])) < 2e-3
    z = np.concatenate([[0.0], np.cumsum(0.5 * (v[1:] + v[:-1])) * DT])
    assert np.max(np.abs(z - (m.pos[:, 2] - m.pos[0, 2]))) < 5e-3
    # at rest at both ends, and the bar comes back where it started
    assert abs(m.vel[0, 2]) < 1e-9
    assert abs(m.vel[-1, 2]) < 1e-9
    assert abs(m.pos[-1, 2] - m.pos[0, 2]) < 5e-3


@pytest.mark.parametrize("lift", ["squat", "bench", "deadlift"])
def test_rep_truth_is_consistent(lift: str) -> None:
    s = sim(lift=lift, reps=6, pct_1rm=0.6, clock_offset=1234.5)
    assert len(s.truth) == 6
    lo, hi = {"squat": (0.55, 0.7), "bench": (0.35, 0.5), "deadlift": (0.5, 0.6)}[lift]
    for r in s.truth:
        assert r.mcv == pytest.approx(r.rom / r.concentric_s, rel=1e-9)
        assert r.concentric_s == pytest.approx(r.end - r.start)
        assert r.mpv >= r.mcv - 1e-12
        assert r.peak_velocity > r.mpv
        assert lo - 0.01 <= r.rom <= hi + 0.01
        assert r.eccentric_s is not None
        assert 0.9 <= r.eccentric_s <= 2.6
        assert r.start > 1234.5
        # the velocity really is ~zero at the bounds and positive inside
        t = s.dense.t + 1234.5
        v = s.dense.vel[:, 2]
        assert abs(np.interp(r.start, t, v)) < 0.01
        assert abs(np.interp(r.end, t, v)) < 0.01
        inside = (t > r.start + 0.005) & (t < r.end - 0.005)
        assert np.all(v[inside] > 0)
    starts = [r.start for r in s.truth]
    assert starts == sorted(starts)


def test_light_reps_brake_below_minus_g_and_heavy_reps_do_not() -> None:
    light = sim(lift="squat", pct_1rm=0.4, reps=3)
    heavy = sim(lift="squat", pct_1rm=0.9, reps=2)
    for r in light.truth:
        assert r.mpv > r.mcv * 1.05
    for r in heavy.truth:
        assert r.mpv == pytest.approx(r.mcv)
    m, r = light.dense, light.truth[0]
    conc = (m.t >= r.start) & (m.t <= r.end)
    assert m.acc[conc, 2].min() < -G


def test_velocity_at_percent_1rm_and_fatigue() -> None:
    # Sanchez-Medina et al. 2017 (squat MV at 1RM 0.32 m/s, roughly linear in %1RM);
    # Gonzalez-Badillo & Sanchez-Medina 2010 (bench ~0.17 m/s at 1RM).
    sq40 = sim(lift="squat", pct_1rm=0.4, reps=1).truth[0].mcv
    sq90 = sim(lift="squat", pct_1rm=0.9, reps=1).truth[0].mcv
    b90 = sim(lift="bench", pct_1rm=0.9, reps=1).truth[0].mcv
    assert 1.0 <= sq40 <= 1.25
    assert 0.38 <= sq90 <= 0.5
    assert 0.2 <= b90 <= 0.35
    reps = sim(lift="bench", pct_1rm=0.75, reps=8).truth
    assert reps[-1].mcv < 0.8 * reps[0].mcv  # a set near failure slows down
    assert reps[-1].mcv > 0.15


def test_deadlift_starts_with_the_concentric_from_the_floor() -> None:
    s = sim(lift="deadlift", reps=3, touch_and_go=False, distractors=False)
    m, first = s.dense, s.truth[0]
    before = m.t < first.start - 0.01
    assert np.all(np.abs(m.vel[before, 2]) < 1e-9)  # no lowering before the first pull
    assert m.pos[-1, 2] == pytest.approx(m.pos[0, 2], abs=2e-3)


def test_paused_bench_is_still_during_the_pause() -> None:
    s = sim(lift="bench", touch_and_go=False, pause_s=0.8, reps=3, sway=False)
    m = s.dense
    for r in s.truth:
        pause = (m.t > r.start - 0.8 + 0.01) & (m.t < r.start - 0.01)
        assert pause.sum() > 700
        assert np.all(m.vel[pause, 2] == 0.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_specific_force_at_rest_has_norm_g_in_any_orientation(seed: int) -> None:
    s = sim(seed=seed, grade="good_imu", rate_hz=100.0)
    rest = s.imu.t - s.imu.t[0] < 1.5
    norms = np.linalg.norm(s.imu.acc[rest], axis=1)
    assert np.median(norms) == pytest.approx(G, abs=0.1)
    ideal = sim(seed=seed, grade="ideal")
    norms = np.linalg.norm(ideal.imu.acc[ideal.imu.t - ideal.imu.t[0] < 1.5], axis=1)
    assert np.allclose(norms, G, atol=1e-9)
    # the mount really is random: gravity is not on one sensor axis
    g_dir = ideal.imu.acc[0] / G
    assert np.max(np.abs(g_dir)) < 0.999


def _expm_so3(w: np.ndarray) -> np.ndarray:
    th = float(np.linalg.norm(w))
    k = np.array([[0, -w[2], w[1]], [w[2], 0, -w[0]], [-w[1], w[0], 0]])
    if th < 1e-12:
        return np.eye(3) + k
    k /= th
    return np.eye(3) + np.sin(th) * k + (1 - np.cos(th)) * (k @ k)


def test_the_gyro_integrates_to_the_simulated_rotation() -> None:
    s = sim(lift="bench", reps=3, distractors=True, seed=5)
    rot, w = s.rotation, s.gyro_true
    r = rot[0].copy()
    for i in range(len(w) - 1):
        r = r @ _expm_so3(0.5 * (w[i] + w[i + 1]) * DT)
    err = r.T @ rot[-1]
    angle = np.arccos(np.clip((np.trace(err) - 1) / 2, -1, 1))
    assert angle < 2e-3
    # and the bar did roll during the set (tens of degrees)
    roll = s.dense.angles[:, 0]
    assert np.ptp(roll) > np.radians(10)


def test_specific_force_is_rotated_world_acceleration_plus_gravity() -> None:
    s = sim(grade="ideal", seed=4)
    m = s.dense
    t = s.imu.t - s.config.clock_offset
    rot = np.stack(
        [np.stack([np.interp(t, m.t, s.rotation[:, i, j]) for j in range(3)], 1) for i in range(3)],
        1,
    )
    world = np.einsum("nij,nj->ni", rot, s.imu.acc)
    expect = np.stack([np.interp(t, m.t, m.acc[:, k]) for k in range(3)], 1)
    expect[:, 2] += G
    assert np.max(np.abs(world - expect)) < 0.05


@pytest.mark.parametrize("rate", [50.0, 60.0, 100.0, 200.0])
def test_sample_rates_are_honoured(rate: float) -> None:
    s = sim(rate_hz=rate, jitter=0.02)
    assert s.imu.rate_hz == pytest.approx(rate, rel=0.01)
    dt = np.diff(s.imu.t)
    assert dt.min() > 0.1 / rate
    assert dt.max() < 1.9 / rate


def test_browser_mode_is_60hz_irregular_with_drops_and_rounded() -> None:
    s = sim(browser=True, rate_hz=200.0, grade="phone")
    assert s.config.rate_hz == 60.0
    assert s.imu.rate_hz == pytest.approx(60.0, rel=0.02)
    dt = np.diff(s.imu.t)
    assert np.std(dt) > 0.1 / 60
    assert dt.max() > 1.5 / 60
    assert np.allclose(s.imu.acc, np.round(s.imu.acc, 1), atol=1e-9)


def test_lpt_stream_has_mm_noise_around_the_truth() -> None:
    s = sim(lpt_rate_hz=1000.0, lpt_noise_m=0.001)
    t = s.lpt.t - s.config.clock_offset
    err = s.lpt.displacement - np.interp(t, s.dense.t, s.dense.pos[:, 2])
    assert np.std(err) == pytest.approx(0.001, rel=0.15)
    assert s.lpt.rate_hz == pytest.approx(1000.0, rel=0.01)


def test_distractors_are_flagged_and_not_reps() -> None:
    s = sim(lift="squat", distractors=True, seed=11)
    assert len(s.not_reps) == 2
    for a, b in s.not_reps:
        assert b > a
        for r in s.truth:
            assert b <= r.start - r.concentric_s or a >= r.end  # no overlap with a rep
    assert len(s.truth) == s.config.reps


def test_determinism_for_a_seed() -> None:
    a, b = sim(seed=7, distractors=True), sim(seed=7, distractors=True)
    assert np.array_equal(a.imu.acc, b.imu.acc)
    assert np.array_equal(a.imu.t, b.imu.t)
    assert a.truth == b.truth
    c = sim(seed=8, distractors=True)
    assert not np.array_equal(a.imu.t, c.imu.t) or not np.array_equal(a.imu.acc, c.imu.acc)


def test_random_config_is_realistic_and_overridable() -> None:
    rng = np.random.default_rng(0)
    configs = [random_config(rng) for _ in range(40)]
    for c in configs:
        assert c.grade in GRADES
        assert 1 <= c.reps <= 12
        if c.pct_1rm > 0.9:
            assert c.reps <= 3
    assert {c.lift for c in configs} == {"squat", "bench", "deadlift"}
    c = random_config(rng, lift="bench", browser=True)
    assert c.lift == "bench"
    assert c.rate_hz == 60.0
    assert simulate_set(random_config(np.random.default_rng(1), reps=2)).truth


def test_bad_configs_are_rejected() -> None:
    with pytest.raises(ValidationError):
        SimConfig(lift="curl")
    with pytest.raises(ValidationError):
        SimConfig(reps=0)
    with pytest.raises(ValidationError):
        SimConfig(pct_1rm=1.2)


def test_session_is_one_sensor_and_continuous() -> None:
    from replog.core.signal.sim import simulate_session

    configs = [
        SimConfig(lift="squat", reps=3, seed=1, rate_hz=100.0),
        SimConfig(lift="deadlift", reps=2, seed=2, rate_hz=50.0, grade="good_imu"),
    ]
    s = simulate_session(configs, rest_s=30.0)
    assert len(s.truth) == 5
    assert s.config.rate_hz == 100.0  # the first set's sensor
    assert s.config.grade == "phone"
    step = np.abs(np.diff(s.dense.pos, axis=0)).max()
    assert step < 0.01  # no jump in position where the sets meet (1 kHz samples)
    assert np.abs(np.diff(s.dense.angles, axis=0)).max() < 0.01  # the turn is smooth
    starts = [r.start for r in s.truth]
    assert starts == sorted(starts)
    turns = [span for span in s.not_reps if abs(span[1] - span[0] - 2.0) < 1e-6]
    assert len(turns) == 1
    assert turns[0][0] > s.truth[2].end + 29.0
