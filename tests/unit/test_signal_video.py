"""The pure maths of ``replog video`` (issue 22): scale by the plate, tilt and depth
correction, and reps from a plate track, on synthetic tracks with known truth (a pinhole
camera filming the simulator's bar path)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from replog.core.errors import ValidationError
from replog.core.signal.sim import SimConfig, simulate_set
from replog.core.signal.video import (
    PlateTrack,
    metric_height,
    reps_from_track,
    smooth_diameter,
    tilt_from_path,
)

W, H = 1280, 720


def _film(
    walk: np.ndarray, height: np.ndarray, *, tilt_deg: float = 0.0, depth: np.ndarray | float = 3.0,
    plate: float = 0.45, f: float = 900.0, noise_px: float = 0.0, seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Image x, y and apparent diameter of a plate at world (walk, height, depth)."""
    rng = np.random.default_rng(seed)
    z = np.broadcast_to(np.asarray(depth, float), height.shape)
    du, dv = f * walk / z, -f * height / z
    a = math.radians(tilt_deg)
    x = (W - 1) / 2 + du * math.cos(a) - dv * math.sin(a) + rng.normal(0, noise_px, len(z))
    y = (H - 1) / 2 + du * math.sin(a) + dv * math.cos(a) + rng.normal(0, noise_px, len(z))
    return x, y, f * plate / z + rng.normal(0, noise_px, len(z))


def test_scale_by_the_plate_recovers_metres() -> None:
    h = np.linspace(-0.4, 0.3, 50)
    x, y, d = _film(np.zeros(50), h)
    _, up = metric_height(x, y, d, plate_diameter_m=0.45, width=W, height=H)
    assert np.allclose(up, h, atol=1e-9)


def test_per_frame_scale_corrects_drift_toward_the_camera() -> None:
    """A bar 0.4 m above the axis moving from 3.0 to 2.7 m away does not rise; a fixed
    scale would read it as a 4 cm rise."""
    depth = np.linspace(3.0, 2.7, 100)
    h = np.full(100, 0.4)
    x, y, d = _film(np.zeros(100), h, depth=depth)
    _, up = metric_height(x, y, d, plate_diameter_m=0.45, width=W, height=H)
    assert np.ptp(up) < 1e-9
    _, fixed = metric_height(x, y, np.full(100, d[0]), plate_diameter_m=0.45, width=W, height=H)
    assert np.ptp(fixed) == pytest.approx(0.4 * (3.0 / 2.7 - 1), rel=1e-6)


@pytest.mark.parametrize("tilt", [-10.0, -3.0, 0.0, 4.0, 10.0])
def test_tilt_from_the_bar_path_ignores_a_walk_out_at_right_angles(tilt: float) -> None:
    t = np.linspace(0, 20, 1200)
    height = 0.3 * np.sin(2 * np.pi * t / 4) * (t > 4)
    walk = np.where(t < 4, 0.3 * t / 4, 0.3)  # walk-out, then reps
    x, y, _ = _film(walk, height, tilt_deg=tilt, noise_px=0.2)
    assert tilt_from_path(x, y) == pytest.approx(tilt, abs=0.3)
    _, up = metric_height(x, y, np.full(1200, 900 * 0.45 / 3.0), plate_diameter_m=0.45,
                          width=W, height=H, tilt_deg=tilt_from_path(x, y))  # fmt: skip
    assert np.ptp(up[t > 4]) == pytest.approx(0.6, abs=0.005)


def test_smooth_diameter_follows_slow_drift_and_drops_misfits() -> None:
    rng = np.random.default_rng(3)
    t = np.arange(600) / 60.0
    true = 120.0 + 0.8 * t  # 120 px growing 8 px over 10 s
    d = true + rng.normal(0, 1.0, 600)
    d[::37] = 30.0  # the hub taken for the rim now and then
    score = np.where(d < 50, 0.4, 0.9)
    s = smooth_diameter(t, d, score)
    assert np.max(np.abs(s - true)) < 0.5


def _track_of_sim(tilt: float, drift: float, fps: float = 60.0) -> tuple[PlateTrack, list[float]]:
    sim = simulate_set(SimConfig(lift="squat", reps=4, pct_1rm=0.7, seed=5))
    t = np.arange(0, sim.dense.t[-1], 1 / fps)
    height = np.interp(t, sim.dense.t, sim.dense.pos[:, 2]) - 0.9
    walk = np.interp(t, sim.dense.t, sim.dense.pos[:, 0])
    depth = 3.0 - drift * t / t[-1]
    x, y, d = _film(walk, height, tilt_deg=tilt, depth=depth, noise_px=0.15)
    track = PlateTrack(t, x, y, d, np.ones_like(t), W, H)
    return track, [r.mcv for r in sim.truth]


@pytest.mark.parametrize(("tilt", "drift"), [(0.0, 0.0), (10.0, 0.0), (5.0, 0.3)])
def test_reps_from_a_track_match_the_truth(tilt: float, drift: float) -> None:
    track, truth = _track_of_sim(tilt, drift)
    out = reps_from_track(track, plate_diameter_m=0.45, exercise="squat")
    assert len(out.reps) == len(truth)
    assert out.tilt_deg == pytest.approx(tilt, abs=1.0)
    err = np.array([r.mcv for r in out.reps]) - np.array(truth)
    assert np.sqrt(np.mean(err**2)) < 0.02
    assert all(r.confidence > 0.5 for r in out.reps)


def test_without_depth_correction_a_drift_biases_the_range() -> None:
    """A 10 % drift toward the camera over the set: the per-frame scale keeps each rep's
    ROM within 5 mm; one scale (the median) reads them 2 % short to 2 % long."""
    track, _ = _track_of_sim(0.0, 0.3)
    truth = simulate_set(SimConfig(lift="squat", reps=4, pct_1rm=0.7, seed=5)).truth
    rom = np.array([r.rom for r in truth])
    corrected = np.array([r.rom for r in reps_from_track(track).reps])
    fixed = np.array([r.rom for r in reps_from_track(track, correct_depth=False).reps])
    assert np.max(np.abs(corrected - rom)) < 0.005
    assert np.max(np.abs(fixed - rom)) > 0.01


def test_a_lost_plate_lowers_confidence() -> None:
    track, _ = _track_of_sim(0.0, 0.0)
    score = np.where((track.t > 5) & (track.t < 40), 0.0, 1.0)
    lost = PlateTrack(track.t, track.x, track.y, track.diameter, score, W, H)
    out = reps_from_track(lost)
    assert out.reps
    assert all(r.confidence < 0.5 and "plate_lost" in r.quality for r in out.reps)


def test_bad_inputs_are_refused() -> None:
    t = np.arange(5.0)
    with pytest.raises(ValidationError):
        PlateTrack(t, t, t, -t, t, W, H)
    track, _ = _track_of_sim(0.0, 0.0)
    with pytest.raises(ValidationError):
        reps_from_track(track, plate_diameter_m=2.0)
