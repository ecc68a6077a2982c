"""Videos for the ``replog video`` tests (CLI, API, web): a rendered side-view set with known
truth (benchmarks/video_render.py) and small unusable videos, each failing one check."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from video_render import make_video


def render_squat(out: Path, **scene: Any) -> tuple[Path, list[Any]]:
    """A simulated squat set filmed from the side (a red 0.45 m plate at 60 fps); the path
    and the truth reps. ``scene``: reps, seed, width, height, tilt_deg, drift_m, ..."""
    reps, seed = scene.pop("reps", 3), scene.pop("seed", 2)
    truth, _ = make_video(out, reps=reps, pct_1rm=0.7, seed=seed, colour="red", **scene)
    return out, truth


def write_video(path: Path, frames: list[np.ndarray], fps: float) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for f in frames:
        writer.write(f)
    writer.release()
    return path


def unusable_videos(folder: Path) -> dict[str, Path]:
    """Words of the one-line refusal -> a file that earns it: no plate in view, too dark,
    15 fps, and text named .mp4."""
    rng = np.random.default_rng(0)
    stripes = np.tile((np.arange(320) // 20 % 2 * 80 + 80).astype(np.uint8), (240, 1))
    textured = [
        np.dstack([stripes] * 3) + rng.integers(0, 20, (240, 320, 3), dtype=np.uint8)
        for _ in range(40)
    ]
    (folder / "notes.mp4").write_text("not a video\n")
    return {
        "no plate found": write_video(folder / "empty.mp4", textured, 30.0),
        "too dark": write_video(
            folder / "dark.mp4", [np.full((240, 320, 3), 8, np.uint8)] * 40, 30
        ),
        "frame rate is 15 fps": write_video(folder / "slow.mp4", textured, 15.0),
        "cannot read": folder / "notes.mp4",
    }
