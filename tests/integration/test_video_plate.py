"""Finding and measuring the plate in a side-view video (issue 22, ``replog.io.video``), on
frames and a short video drawn by benchmarks/video_render.py with known truth: a plate in
front of a lifter is found whatever its colour and size, and its apparent diameter, hence
the scale and every velocity, is not biased."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from replog.io.video import find_plate, reps_from_video
from video_render import COLOURS, Scene, _background, _draw, make_video


def _frame(colour: str, plate_m: float, tilt_deg: float, seed: int) -> tuple[np.ndarray, tuple]:
    """One 960x540 frame as the renderer draws it (textured background, the lifter behind
    the plate, an arm over its rim, sensor noise, JPEG): the frame and the true x, y, r."""
    sc = Scene(plate_m=plate_m, colour=colour, tilt_deg=tilt_deg, seed=seed)
    rng = np.random.default_rng(seed)
    img = _background(sc, rng)
    r = sc.height / sc.view_height_m * plate_m / 2  # px, at the scene's distance
    u, v = sc.width / 2 + rng.uniform(-60, 60), sc.height / 2 + rng.uniform(-20, 40)
    _draw(img, u, v, r, COLOURS[colour], sc, math.radians(tilt_deg))
    img = np.clip(img + rng.normal(0, sc.noise, img.shape), 0, 255).astype(np.uint8)
    ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return cv2.imdecode(enc, cv2.IMREAD_COLOR), (u, v, r)


@pytest.mark.parametrize("tilt_deg", [0.0, 10.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_a_small_red_plate_before_the_lifter_is_found(tilt_deg, seed):
    """A red 0.25 m plate (28 px across) before brown clothes: Hough's circle, found in the
    grey image where red and brown are alike, was 30 % too big, and the rim search from it
    took the lifter's outline, head and arm for the rim (no plate found, or 4 % too big)."""
    frame, (u, v, r) = _frame("red", 0.25, tilt_deg, seed)
    plate = find_plate(frame)
    assert math.hypot(plate.x - u, plate.y - v) < 1.0
    assert plate.r == pytest.approx(r, rel=0.015)


@pytest.mark.parametrize("colour", sorted(COLOURS))
def test_every_colour_and_size_is_found_at_its_size(colour):
    for plate_m in (0.25, 0.35, 0.45):
        frame, (u, v, r) = _frame(colour, plate_m, 0.0, 3)
        plate = find_plate(frame)
        assert math.hypot(plate.x - u, plate.y - v) < 1.5, plate_m
        assert plate.r == pytest.approx(r, rel=0.02), plate_m


def test_velocities_from_a_rendered_video_are_not_biased(tmp_path):
    """Three squats at 60 fps, 640x360, a green 0.35 m plate: the mean of measured over true
    MCV and ROM within 1 %. The rim's gradient peak, pulled outward by the plate's darker
    lip, read the diameter 1-3 % large and every velocity as much low (here MCV -2.2 %)."""
    out = tmp_path / "squat.mp4"
    truth, _ = make_video(out, reps=3, pct_1rm=0.7, seed=4, width=640, height=360,
                          colour="green", plate_m=0.35)  # fmt: skip
    run = reps_from_video(out, plate_diameter_m=0.35, exercise="squat")
    got = run.result.reps
    assert len(got) == len(truth) == 3
    mcv = np.mean([g.mcv / t.mcv for g, t in zip(got, truth, strict=True)])
    rom = np.mean([g.rom / t.rom for g, t in zip(got, truth, strict=True)])
    assert mcv == pytest.approx(1.0, abs=0.01)
    assert rom == pytest.approx(1.0, abs=0.01)


def test_a_small_plate_is_read_at_its_size_and_warned_about(tmp_path):
    """Two squats filmed at 320x180: the red 0.45 m plate is 17 px in radius. The frame's
    rim search reached 1.15 radii, 2.5 px beyond the rim: the top of its blurred step was
    cut off, the rim read inward, the next search from that smaller radius cut off more,
    and ROM and MCV read 4-7 % high. Now within 1.5 %; the plate's pixel size is warned
    about (a lip close inside the rim is not resolved at this size) and trusted less."""
    out = tmp_path / "small.mp4"
    truth, _ = make_video(out, reps=2, pct_1rm=0.7, seed=2, width=320, height=180,
                          colour="red")  # fmt: skip
    run = reps_from_video(out, plate_diameter_m=0.45, exercise="squat")
    got = run.result.reps
    assert len(got) == len(truth) == 2
    for g, t in zip(got, truth, strict=True):
        assert g.rom / t.rom == pytest.approx(1.0, abs=0.015)
        assert g.mcv / t.mcv == pytest.approx(1.0, abs=0.015)
        assert g.confidence < 0.9
    (note,) = [w for w in run.warnings if "px across" in w]
    assert "320x180" in note
    assert "film closer" in note


def _styled_frame(seed: int, tilt_deg: float = 0.0, **scene) -> tuple[np.ndarray, tuple]:
    """One 960x540 frame of a 0.35 m plate in a renderer style or hard scene (contrast
    applied as the renderer does): the frame and the true x, y, r."""
    sc = Scene(plate_m=0.35, tilt_deg=tilt_deg, seed=seed, **scene)
    rng = np.random.default_rng(seed)
    img = _background(sc, rng)
    r = sc.height / sc.view_height_m * sc.plate_m / 2
    u, v = sc.width / 2 + rng.uniform(-60, 60), sc.height / 2 + rng.uniform(-20, 40)
    _draw(img, u, v, r, COLOURS[sc.colour], sc, math.radians(tilt_deg))
    flat = 128 + sc.contrast * (img.astype(np.float32) - 128)
    img = np.clip(flat + rng.normal(0, sc.noise, img.shape), 0, 255).astype(np.uint8)
    ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return cv2.imdecode(enc, cv2.IMREAD_COLOR), (u, v, r)


@pytest.mark.parametrize("colour", ["green", "yellow"])
def test_white_print_on_the_face_is_not_taken_for_the_rim(colour):
    """A calibrated plate: large white print and a white ring at 0.62 r on a coloured face.
    The rim search took the outermost rising edge at least 0.6 times the strongest, and
    white on green steps up far more than green on the background: the plate read 0.59 of
    its size. Now a round rim concentric with the one found and beyond it is the plate's."""
    frame, (u, v, r) = _styled_frame(5, style="calibrated", colour=colour)
    plate = find_plate(frame)
    assert math.hypot(plate.x - u, plate.y - v) < 1.0
    assert plate.r == pytest.approx(r, rel=0.02)


@pytest.mark.parametrize("tilt_deg", [0.0, 10.0])
def test_a_flat_hazy_picture_still_shows_the_plate(tilt_deg):
    """Contrast halved: each ray's rim rises less per sample than the old floor (10), most
    rays were dropped and no plate was found at 10 degrees (at 0 it read 3 % small)."""
    frame, (u, v, r) = _styled_frame(5, tilt_deg, contrast=0.5, colour="blue")
    plate = find_plate(frame)
    assert math.hypot(plate.x - u, plate.y - v) < 1.0
    assert plate.r == pytest.approx(r, rel=0.015)


def _one_squat(tmp_path: Path, **scene):
    """One rendered squat at 70 % 1RM with a 0.45 m plate in ``scene``: the rep measured
    from the video and the true one."""
    out = tmp_path / "one.mp4"
    truth, _ = make_video(out, reps=1, pct_1rm=0.7, **scene)
    (got,) = reps_from_video(out, plate_diameter_m=0.45, exercise="squat").result.reps
    return got, truth[0]


def test_the_plate_that_moves_is_chosen_over_plates_in_a_rack(tmp_path):
    """A rack behind the bar holds plates of about the plate's size, with hubs, one of them
    bigger: the first frame alone ranks it first (a round rim with a hub, the biggest) and
    the stored plate was tracked (no reps). Now among round plates of a size the one that
    moves over the first seconds is taken, and its plain look (no hub) does not matter."""
    got, want = _one_squat(tmp_path, seed=10, width=480, height=270, colour="blue",
                           rack=True, style="plain")  # fmt: skip
    assert got.rom == pytest.approx(want.rom, rel=0.03)
    assert got.mcv == pytest.approx(want.mcv, abs=0.05)


def test_print_on_the_face_does_not_shrink_the_plate_from_frame_to_frame(tmp_path):
    """A calibrated plate filmed through a set: the per-frame rim search compares edges
    only with the strongest one beyond 0.8 radii (white print inside it steps up far more
    than the rim), so ROM and MCV keep their scale."""
    got, want = _one_squat(tmp_path, seed=9, width=640, height=360, colour="yellow",
                           style="calibrated")  # fmt: skip
    assert got.rom == pytest.approx(want.rom, rel=0.02)
    assert got.mcv == pytest.approx(want.mcv, rel=0.04)


@pytest.mark.parametrize("seed", [1, 5])
def test_an_iron_plate_is_measured_to_its_outer_lip(seed):
    """A cast-iron plate: a lit raised lip (0.89-1 r) lighter than its face, a dark groove
    inside it. Lip and background are both far from the face's colour, so the rim search
    stopped at the groove: the plate read 0.84 of its size (velocities 15 % high) or a
    head was taken for it. Now the outermost round edge beyond the rim, with one colour all
    round between them, is the plate's edge, and the rim inside it is kept as ``inner``."""
    frame, (u, v, r) = _styled_frame(seed, style="iron", colour="black")
    plate = find_plate(frame)
    assert math.hypot(plate.x - u, plate.y - v) < 1.0
    assert plate.r == pytest.approx(r, rel=0.015)
    assert 0.8 * r < plate.inner < 0.95 * r


def test_velocities_from_an_iron_plate_keep_the_outer_scale(tmp_path):
    """An iron plate filmed through a set: the rim inside its lip is followed frame to frame
    and scaled to the outer edge found in the first frame, so ROM and MCV are not read
    15 % high (as they were from the groove)."""
    got, want = _one_squat(tmp_path, seed=7, width=480, height=270, colour="black",
                           style="iron")  # fmt: skip
    assert got.rom == pytest.approx(want.rom, rel=0.03)
    assert got.mcv == pytest.approx(want.mcv, rel=0.04)


def test_a_half_hidden_rim_is_warned_about_and_trusted_less(tmp_path):
    """A black plate before near-black clothes: its rim stands out on under half its edge
    and its size reads 6-8 % off (rendered). The pipeline cannot tell by how much, so it
    says so and trusts the reps less; the plain video of the same set says nothing."""
    dark, plain = tmp_path / "dark.mp4", tmp_path / "plain.mp4"
    make_video(dark, reps=2, seed=2, width=640, height=360, colour="black", dark_clothes=True)
    make_video(plain, reps=2, seed=2, width=640, height=360, colour="black")
    run = reps_from_video(dark, plate_diameter_m=0.45, exercise="squat")
    (note,) = [w for w in run.warnings if "edge stood out" in w]
    assert "contrasting background" in note
    assert run.result.reps
    assert all(r.confidence < 0.9 for r in run.result.reps)
    clear = reps_from_video(plain, plate_diameter_m=0.45, exercise="squat")
    assert not [w for w in clear.warnings if "edge stood out" in w]
    assert all(r.confidence > 0.9 for r in clear.result.reps)
