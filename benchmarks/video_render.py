"""A side-view video of a simulated set with known truth (issue 22, item 3): the harness of
``bench_video.py`` and of the end-to-end tests of ``replog video``. Not shipped.

The bar's motion is the IMU simulator's dense 1 kHz kinematics
(:func:`replog.core.signal.sim.simulate_set`: ``dense.pos`` z is the height, x the walk-out),
so the truth is its ``truth`` reps. A pinhole camera at ``distance_m`` looks along the bar;
the plate (a disc of ``plate_m`` with a darker lip and a steel hub) is drawn with
anti-aliasing at sub-pixel positions over a textured background (noise, gradient, stripes),
with a lifter-shaped blob behind it and optionally an arm over part of its rim, motion blur
over the exposure, sensor noise, JPEG compression, camera roll ``tilt_deg`` and a drift of
``drift_m`` toward the camera over the set. Written as mp4 (``mp4v``) with cv2.VideoWriter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from replog.core.signal.sim import SimConfig, SimulatedSet, simulate_set
from replog.core.signal.types import DetectedRep

COLOURS = {  # BGR
    "black": (30, 30, 32),
    "red": (40, 40, 200),
    "blue": (190, 90, 30),
    "green": (60, 150, 40),
    "yellow": (40, 200, 230),
}


@dataclass(frozen=True)
class Scene:
    fps: float = 60.0
    width: int = 960
    height: int = 540
    plate_m: float = 0.45
    colour: str = "black"
    tilt_deg: float = 0.0
    drift_m: float = 0.0  # toward the camera over the video
    distance_m: float = 3.0
    view_height_m: float = 2.4  # metres of the scene the frame's height spans at distance_m
    noise: float = 4.0  # grey levels, standard deviation
    jpeg: int | None = 80
    blur: bool = True
    occlude: bool = True
    seed: int = 0


def _background(s: Scene, rng: np.random.Generator) -> np.ndarray:
    h, w = s.height, s.width
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = 90 + 60 * (xx / w) + 30 * np.sin(yy / h * 3.0)
    stripes = 25 * (np.sin(xx / (17 + 10 * rng.random())) > 0.6)
    blobs = cv2.GaussianBlur(rng.normal(0, 40, (h, w)).astype(np.float32), (0, 0), 6)
    img = np.stack([base + stripes + blobs * k for k in (1.0, 0.8, 0.6)], axis=-1)
    # a rack upright and a floor line, as in a gym
    cv2.rectangle(img, (int(w * 0.12), 0), (int(w * 0.15), h), (70, 70, 75), -1)
    cv2.rectangle(img, (0, int(h * 0.92)), (w, h), (60, 55, 50), -1)
    return np.clip(img, 0, 255).astype(np.uint8)


def truth_window(sim: SimulatedSet, pad_s: float = 2.0) -> tuple[float, float]:
    """The span of the set worth filming: from before the first rep's descent to after the
    last rep (plus ``pad_s``)."""
    first = sim.truth[0]
    start = first.start - (first.eccentric_s or 1.5) - pad_s
    return max(0.0, start), min(float(sim.dense.t[-1]), sim.truth[-1].end + pad_s)


def render(sim: SimulatedSet, scene: Scene, out: Path) -> list[DetectedRep]:
    """Write the video of ``sim`` as ``scene`` films it; the truth reps on the video's clock."""
    rng = np.random.default_rng(scene.seed)
    t0, t1 = truth_window(sim)
    n = int((t1 - t0) * scene.fps)
    frame_t = t0 + np.arange(n) / scene.fps
    m = sim.dense
    bg = _background(scene, rng)
    f = scene.height * scene.distance_m / scene.view_height_m
    w, h = scene.width, scene.height
    cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
    # world: X right (walk-out + small forward drift of the path), Y up, Z depth
    z_mid = float(np.median(m.pos[:, 2]))
    x_off = rng.uniform(-0.3, 0.3)
    noisy = [
        np.clip(bg + rng.normal(0, scene.noise, bg.shape), 0, 255).astype(np.uint8)
        for _ in range(6)
    ]
    a = math.radians(scene.tilt_deg)
    exposure = min(0.5 / scene.fps, 1 / 120)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), scene.fps, (w, h))
    if not writer.isOpened():
        raise RuntimeError("cv2.VideoWriter cannot write mp4v here")
    colour = COLOURS[scene.colour]
    sub = 4 if scene.blur else 1
    try:
        for i, tf in enumerate(frame_t):
            frame = noisy[i % len(noisy)].copy()
            poses = [
                _project(m, tf + ((j / (sub - 1) - 0.5) * exposure if sub > 1 else 0.0),
                         t0, t1, scene, f, cx, cy, z_mid, x_off, a)
                for j in range(sub)
            ]  # fmt: skip
            # only the region around the plate, the lifter and the arm is drawn
            rmax = max(p[2] for p in poses)
            x0 = max(0, int(min(p[0] for p in poses) - 2.2 * rmax))
            x1 = min(w, int(max(p[0] for p in poses) + 2.2 * rmax) + 1)
            y0 = max(0, int(min(p[1] for p in poses) - 2.2 * rmax))
            y1 = min(h, int(max(p[1] for p in poses) + 3.4 * rmax) + 1)
            if x1 > x0 and y1 > y0:
                acc = np.zeros((y1 - y0, x1 - x0, 3), np.float32)
                for u, v, r in poses:
                    img = bg[y0:y1, x0:x1].copy()
                    _draw(img, u - x0, v - y0, r, colour, scene, a)
                    acc += img
                drawn = acc / sub - bg[y0:y1, x0:x1] + frame[y0:y1, x0:x1]
                frame[y0:y1, x0:x1] = np.clip(drawn, 0, 255).astype(np.uint8)
            if scene.jpeg:
                ok, enc = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, scene.jpeg])
                frame = cv2.imdecode(enc, cv2.IMREAD_COLOR) if ok else frame
            writer.write(frame)
    finally:
        writer.release()
    return [replace(r, start=r.start - t0, end=r.end - t0) for r in sim.truth]


def _project(
    m: object, ts: float, t0: float, t1: float, s: Scene, f: float, cx: float, cy: float,
    z_mid: float, x_off: float, a: float,
) -> tuple[float, float, float]:  # fmt: skip
    t = m.t  # type: ignore[attr-defined]
    pos = m.pos  # type: ignore[attr-defined]
    height = float(np.interp(ts, t, pos[:, 2])) - z_mid
    walk = float(np.interp(ts, t, pos[:, 0]))
    sway = 0.02 * math.sin(2 * math.pi * ts / 3.1)
    depth = s.distance_m - s.drift_m * (ts - t0) / max(1e-6, t1 - t0)
    xw, yw = x_off + walk + sway, height - 0.1
    du, dv = f * xw / depth, -f * yw / depth
    # camera roll: the image rotates by -a (the world's vertical leans by a on screen)
    u = cx + du * math.cos(a) - dv * math.sin(a)
    v = cy + du * math.sin(a) + dv * math.cos(a)
    return u, v, f * s.plate_m / 2 / depth


AA = 0.6  # cv2's anti-aliased disc covers 0.6 px more radius than asked


def _draw(img: np.ndarray, u: float, v: float, r: float, colour: tuple[int, int, int],
          s: Scene, a: float) -> None:  # fmt: skip
    sh = 4  # fixed-point bits: sub-pixel drawing

    def _p(x: float, y: float) -> tuple[int, int]:
        return round(x * 16), round(y * 16)

    # the lifter behind the plate: torso and head, moving with the bar
    body = (u - 0.5 * r * math.sin(a) * 0, v + 0.9 * r)
    cv2.ellipse(
        img,
        _p(body[0] + 0.3 * r, body[1]),
        (round(0.9 * r * 16), round(2.2 * r * 16)),
        math.degrees(a),
        0,
        360,
        (80, 100, 140),
        -1,
        cv2.LINE_AA,
        sh,
    )
    head = _p(u + 0.2 * r, v - 1.5 * r)
    cv2.circle(img, head, round(0.45 * r * 16), (120, 150, 190), -1, cv2.LINE_AA, sh)
    cv2.circle(img, _p(u, v), round((r - AA) * 16), colour, -1, cv2.LINE_AA, sh)
    lip = tuple(int(c * 0.6) for c in colour)
    cv2.circle(img, _p(u, v), round(0.93 * r * 16), lip, max(1, round(0.03 * r)), cv2.LINE_AA, sh)
    cv2.circle(img, _p(u, v), round(0.14 * r * 16), (190, 190, 195), -1, cv2.LINE_AA, sh)
    cv2.circle(img, _p(u, v), round(0.07 * r * 16), (110, 110, 115), -1, cv2.LINE_AA, sh)
    if s.occlude:  # the forearm and hand over the lower front of the rim
        p1 = _p(u + 1.6 * r, v + 0.4 * r)
        p2 = _p(u + 0.55 * r, v + 0.75 * r)
        cv2.line(img, p1, p2, (110, 140, 185), max(2, round(0.28 * r)), cv2.LINE_AA, sh)


def make_video(
    out: Path, *, lift: str = "squat", reps: int = 3, pct_1rm: float = 0.7, seed: int = 0,
    **scene: object,
) -> tuple[list[DetectedRep], Scene]:  # fmt: skip
    """Simulate a set and film it: the truth reps (video clock) and the scene used."""
    sim = simulate_set(
        SimConfig(lift=lift, reps=reps, pct_1rm=pct_1rm, seed=seed, distractors=False)
    )
    sc = Scene(seed=seed, **scene)  # type: ignore[arg-type]
    return render(sim, sc, out), sc
