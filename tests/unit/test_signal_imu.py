"""The IMU pipeline against the simulator's known truth (replog.core.signal.sim): rep counts,
per-rep metrics, sign and gravity handling, distractors, garbage, and the agreement of the
batch and streaming faces."""

from __future__ import annotations

import numpy as np
import pytest

from replog.core.errors import ValidationError
from replog.core.signal.imu import ImuConfig, ImuRepDetector, imu_kinematics, reps_from_imu
from replog.core.signal.segment import segment_reps
from replog.core.signal.sim import (
    SimConfig,
    SimulatedSet,
    random_config,
    simulate_session,
    simulate_set,
)
from replog.core.signal.types import DetectedRep, G, ImuStream

MCV_TOL = 0.03  # m/s per rep (the set-level floors are RMSE, measured below)
ROM_TOL = 0.03  # m per rep


def _pairs(
    det: list[DetectedRep], truth: list[DetectedRep]
) -> list[tuple[DetectedRep, DetectedRep]]:
    """Each true rep with the detected rep overlapping it most (at least half its span)."""
    out, used = [], set()
    for tr in truth:
        best, arg = 0.5 * tr.concentric_s, None
        for j, d in enumerate(det):
            ov = min(d.end, tr.end) - max(d.start, tr.start)
            if j not in used and ov > best:
                best, arg = ov, j
        if arg is not None:
            used.add(arg)
            out.append((tr, det[arg]))
    return out


CASES = [
    SimConfig(lift=lift, reps=reps, pct_1rm=pct, rate_hz=100.0, grade=grade, seed=seed,
              touch_and_go=tng, clock_offset=1234.5)
    for lift, reps, pct, tng in (("squat", 6, 0.7, True), ("bench", 5, 0.8, False),
                                 ("bench", 8, 0.6, True), ("deadlift", 4, 0.75, False))
    for grade in ("good_imu", "phone")
    for seed in (11, 12)
]  # fmt: skip


@pytest.fixture(scope="module")
def simulated() -> list[tuple[SimulatedSet, list[DetectedRep]]]:
    out = []
    for cfg in CASES:
        s = simulate_set(cfg)
        out.append((s, reps_from_imu(s.imu)))
    return out


def test_rep_counts_exact(simulated: list[tuple[SimulatedSet, list[DetectedRep]]]) -> None:
    for s, det in simulated:
        assert len(det) == len(s.truth), s.config


def test_metrics_match_truth(simulated: list[tuple[SimulatedSet, list[DetectedRep]]]) -> None:
    """A flipped sign gives negative velocities; a missing or mis-sized gravity removal
    makes the integral drift by metres; both fail here."""
    errs = []
    for s, det in simulated:
        pairs = _pairs(det, s.truth)
        assert len(pairs) == len(s.truth)
        for tr, d in pairs:
            assert d.mcv > 0
            assert d.peak_velocity >= d.mcv
            assert d.rom > 0
            assert abs(d.mcv - tr.mcv) <= MCV_TOL, (s.config, d, tr)
            assert abs(d.rom - tr.rom) <= ROM_TOL, (s.config, d, tr)
            assert abs(d.start - tr.start) <= 0.1
            assert abs(d.end - tr.end) <= 0.1
            errs.append(d.mcv - tr.mcv)
    assert float(np.sqrt(np.mean(np.square(errs)))) <= 0.02


def test_kinematics_up_positive_and_flat_at_rest() -> None:
    s = simulate_set(SimConfig(lift="deadlift", reps=1, grade="good_imu", seed=3))
    t, d, v = imu_kinematics(s.imu)
    tr = s.truth[0]
    mid = (tr.start + tr.end) / 2
    assert float(np.interp(mid, t, v)) > 0.2  # the pull goes up
    top = float(np.interp(tr.end, t, d)) - float(np.interp(tr.start, t, d))
    assert top == pytest.approx(tr.rom, abs=0.02)
    assert np.all(v[t < s.imu.t[0] + 1.0] == 0.0)  # the opening rest


def test_gravity_is_measured_not_assumed() -> None:
    """A 3% scale error on every axis (|g| reads 10.1): still exact counts and ROM."""
    s = simulate_set(SimConfig(lift="squat", reps=4, grade="good_imu", seed=5))
    stream = ImuStream(s.imu.t, s.imu.acc * 1.03, s.imu.gyro)
    det = reps_from_imu(stream)
    assert len(det) == len(s.truth)
    for tr, d in _pairs(det, s.truth):
        assert abs(d.rom * 1.0 - tr.rom) <= 0.03  # scale error scales the rep too (3%)


@pytest.mark.parametrize(("seed", "scale"), [(14, (1.03, 0.97, 1.0)), (16, (1.02, 1.0, 0.98))])
def test_per_axis_scale_error_with_a_rolling_bar(
    seed: int, scale: tuple[float, float, float]
) -> None:
    """Scale errors differing between axes make the gravity the sensor reads change as the
    bar rolls between the floor and the top hold of a deadlift (here by ~0.2 m/s^2): the
    top holds must still be found as rests and the roll-dependent gravity error calibrated
    out of the movements (the previous pipeline found no reps at all in either case)."""
    s = simulate_set(SimConfig(lift="deadlift", reps=5, grade="good_imu", seed=seed,
                               touch_and_go=True))  # fmt: skip
    stream = ImuStream(s.imu.t, s.imu.acc @ np.diag(scale), s.imu.gyro)
    det = reps_from_imu(stream)
    assert len(det) == len(s.truth)
    for tr, d in _pairs(det, s.truth):
        assert abs(d.mcv - tr.mcv) <= MCV_TOL
        assert abs(d.rom - tr.rom) <= ROM_TOL + 0.03 * tr.rom  # the scale error scales it


def test_irregular_timestamps_and_drops() -> None:
    s = simulate_set(SimConfig(lift="bench", reps=5, grade="phone", seed=8, jitter=0.2,
                               drop_rate=0.05))  # fmt: skip
    det = reps_from_imu(s.imu)
    assert len(det) == len(s.truth)
    for tr, d in _pairs(det, s.truth):
        assert abs(d.mcv - tr.mcv) <= MCV_TOL


def test_no_reps_from_unrack_walkout_and_rerack() -> None:
    for lift, seed in (("squat", 21), ("bench", 22)):
        s = simulate_set(SimConfig(lift=lift, reps=3, grade="phone", seed=seed))
        first, last = s.truth[0], s.truth[-1]
        assert first.eccentric_s is not None
        cut = first.start - first.eccentric_s - 0.3
        keep = s.imu.t < cut
        before = ImuStream(s.imu.t[keep], s.imu.acc[keep], s.imu.gyro[keep])
        assert reps_from_imu(before) == []
        after = s.imu.t > last.end + 0.2
        tail = ImuStream(s.imu.t[after], s.imu.acc[after], s.imu.gyro[after])
        assert reps_from_imu(tail) == []


def test_garbage_streams() -> None:
    t = np.arange(500) / 100.0
    still = np.tile([0.0, 0.0, G], (500, 1))
    assert reps_from_imu(ImuStream(t, still, np.zeros((500, 3)))) == []
    assert reps_from_imu(ImuStream(t, np.zeros((500, 3)), np.zeros((500, 3)))) == []
    bad = still.copy()
    bad[10, 1] = np.nan
    with pytest.raises(ValidationError):
        ImuStream(t, bad, np.zeros((500, 3)))
    with pytest.raises(ValidationError):
        ImuStream(t[:2], still[:2], np.zeros((2, 3)))
    with pytest.raises(ValidationError):
        ImuStream(t[::-1].copy(), still, np.zeros((500, 3)))
    with pytest.raises(ValidationError):
        ImuConfig(window_s=0.0)
    short = ImuStream(t[:5], still[:5], np.zeros((5, 3)))
    assert reps_from_imu(short) == []
    det = ImuRepDetector()
    with pytest.raises(ValidationError):
        det.update(t[:2], bad[9:11], np.zeros((2, 3)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_streaming_agrees_with_batch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    s = simulate_set(random_config(rng))
    batch = reps_from_imu(s.imu)
    det = ImuRepDetector()
    out: list[DetectedRep] = []
    k, n = 0, len(s.imu.t)
    while k < n:
        m = int(rng.integers(1, 120))
        out += det.update(s.imu.t[k : k + m], s.imu.acc[k : k + m], s.imu.gyro[k : k + m])
        k += m
    out += det.finish()
    assert out == batch
    with pytest.raises(ValidationError):
        det.update(s.imu.t[-1:] + 1.0, s.imu.acc[-1:], s.imu.gyro[-1:])


def test_streaming_emits_each_movement_after_its_rest() -> None:
    s = simulate_set(SimConfig(lift="deadlift", reps=3, touch_and_go=False, grade="phone",
                               seed=4))  # fmt: skip
    det = ImuRepDetector()
    seen: list[tuple[float, DetectedRep]] = []
    step = 10
    for k in range(0, len(s.imu.t), step):
        sl = slice(k, k + step)
        for rep in det.update(s.imu.t[sl], s.imu.acc[sl], s.imu.gyro[sl]):
            seen.append((float(s.imu.t[sl][-1]), rep))
    for rep in det.finish():
        seen.append((float(s.imu.t[-1]), rep))
    assert len(seen) == len(s.truth)
    # a set's first rep waits for the next one to confirm it; the others come out after the
    # hold at the top and the lowering, not at the end of the set
    assert seen[0][0] - seen[0][1].end < 10.0
    for when, rep in seen[1:]:
        assert when - rep.end < 3.0


# --------------------------------------------------------------------------- issue 4 floors


def _accuracy(n: int, seed: int, **overrides: object) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    mcv, rom, tp, fp, fn = [], [], 0, 0, 0
    for _ in range(n):
        s = simulate_set(random_config(rng, **overrides))
        det = reps_from_imu(s.imu)
        pairs = _pairs(det, s.truth)
        tp, fp, fn = tp + len(pairs), fp + len(det) - len(pairs), fn + len(s.truth) - len(pairs)
        mcv += [d.mcv - tr.mcv for tr, d in pairs]
        rom += [d.rom - tr.rom for tr, d in pairs]
    f1 = 2 * tp / max(2 * tp + fp + fn, 1)
    return {
        "mcv_rmse": float(np.sqrt(np.mean(np.square(mcv)))),
        "mcv_bias": float(np.mean(mcv)),
        "rom_rmse": float(np.sqrt(np.mean(np.square(rom)))),
        "f1": f1,
    }


def test_accuracy_at_100hz_good_sensors_without_distractors() -> None:
    acc = _accuracy(12, 7, rate_hz=100.0, browser=False, distractors=False, grade="phone")
    assert acc["mcv_rmse"] <= 0.02
    assert abs(acc["mcv_bias"]) <= 0.01
    assert acc["rom_rmse"] <= 0.02
    assert acc["f1"] == 1.0


def test_browser_mcv_floor_of_issue_4() -> None:
    # measured 0.0153 (bias -0.0086) over these 30 sets
    assert _accuracy(30, 1, browser=True)["mcv_rmse"] <= 0.03


def test_rep_f1_floor_with_distractors_of_issue_4() -> None:
    # measured F1 1.0 over these 16 sets once a set's first rep is confirmed by the next
    # (before: 0.95-0.98, the partial move before a set counted as a rep)
    assert _accuracy(16, 9, rate_hz=100.0, browser=False, distractors=True)["f1"] >= 0.995


def test_consumer_imu_mcv_floor_of_issue_4() -> None:
    # measured 0.0169 (bias -0.0083), ROM RMSE 0.011 m, F1 0.98 over these 30 sets
    acc = _accuracy(30, 43, rate_hz=100.0, browser=False, grade="consumer_imu")
    assert acc["mcv_rmse"] <= 0.02


# ------------------------------------------------------------------ a session, one sensor


def test_a_session_from_one_sensor_with_the_bar_turned_between_sets() -> None:
    """Five sets from one phone, 90 s rests, the bar turned in the rack between sets (here
    by up to 200 degrees, which moves the gravity reading by more than the strict rest test
    allows): every rep is found, none invented, and the calibration carried across sets
    keeps MCV within the floor. Before rests of >= ``long_rest_s`` were accepted on
    stillness alone, the set after such a turn was lost entirely."""
    rng = np.random.default_rng(7)
    configs = [random_config(rng, rate_hz=100.0, browser=False, grade="phone") for _ in range(5)]
    s = simulate_session(configs, rest_s=90.0)
    assert len(s.truth) == sum(c.reps for c in configs)
    det = reps_from_imu(s.imu)
    pairs = _pairs(det, s.truth)
    assert len(det) == len(s.truth) == len(pairs)
    err = np.array([d.mcv - tr.mcv for tr, d in pairs])
    assert float(np.sqrt(np.mean(err**2))) <= 0.02


def test_long_rest_rule_is_what_keeps_the_set_after_a_turn() -> None:
    rng = np.random.default_rng(8)
    configs = [random_config(rng, rate_hz=100.0, browser=False, grade="phone") for _ in range(2)]
    s = simulate_session(configs, rest_s=90.0)
    never_long = ImuConfig(long_rest_s=1e6)
    assert len(reps_from_imu(s.imu)) == len(s.truth)
    assert len(reps_from_imu(s.imu, config=never_long)) < len(s.truth)


def test_paused_rep_starts_where_the_bar_leaves_the_chest() -> None:
    """A consumer-grade IMU (2% scale error, 0.15 m/s^2 offsets) on a paused bench: the
    chest pauses are calm but fail the weak-rest checks, so no zero-velocity update happens
    there and the velocity drifts to ~0.03 m/s during the pause. The concentric must still
    start where the bar leaves the chest (the end of the still span), not where the drifting
    velocity crossed zero at the start of the pause (0.6 s early before this rule)."""
    cfg = SimConfig(lift="bench", reps=5, pct_1rm=0.784, rate_hz=100.0, grade="consumer_imu",
                    seed=965615363, touch_and_go=False, pause_s=0.838, jitter=0.0031)  # fmt: skip
    s = simulate_set(cfg)
    det = reps_from_imu(s.imu)
    pairs = _pairs(det, s.truth)
    assert len(pairs) == len(s.truth) == 5
    assert max(abs(d.start - tr.start) for tr, d in pairs) < 0.2
    t, d, v = imu_kinematics(s.imu)
    plain = _pairs(segment_reps(t, d, v, config=ImuConfig().segment), s.truth)
    assert max(abs(r.start - tr.start) for tr, r in plain) > 0.4  # what the rule fixes
