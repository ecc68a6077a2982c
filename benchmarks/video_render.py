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
    # plate looks real gyms have (see _draw_style): "default" (the flat disc, darker lip
    # and steel hub every earlier result used), "bumper", "plain", "iron", "calibrated"
    style: str = "default"
    rack: bool = False  # static plates and rings of about the plate's size behind the bar
    dark_clothes: bool = False  # the lifter in near-black clothes
    contrast: float = 1.0  # < 1: a flat, hazy picture (the noise is not reduced)


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
    if s.rack:
        _rack(img, s, rng)
    return np.clip(img, 0, 255).astype(np.uint8)


def _rack(img: np.ndarray, s: Scene, rng: np.random.Generator) -> None:
    """Static distractors: a plate tree and stored plates left and right of the bar's path,
    of 0.85-1.15 times the filmed plate's size, with lips and hubs like it, a ring (a
    hanging band) and a clock-like disc."""
    h, w = s.height, s.width
    r = h / s.view_height_m * s.plate_m / 2
    spots = [(0.13, 0.45), (0.2, 0.62), (0.86, 0.5), (0.93, 0.3)]
    for i, (fx, fy) in enumerate(spots):
        rr = r * float(rng.uniform(0.85, 1.15)) * (1.1 if i == 0 else 1.0)
        u, v = fx * w + rng.uniform(-10, 10), fy * h + rng.uniform(-10, 10)
        col = list(COLOURS.values())[(i + s.seed) % len(COLOURS)]
        sub = replace(s, occlude=False, rack=False)
        if i == 3:  # a ring: a band hung on the wall
            cv2.circle(img, _fp(u, v), round(rr * 16), (40, 40, 40), max(2, round(0.08 * rr)),
                       cv2.LINE_AA, 4)  # fmt: skip
            continue
        _plate(img, u, v, rr, col, sub, 0.0)


def _fp(x: float, y: float) -> tuple[int, int]:
    return round(x * 16), round(y * 16)


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
    bg_raw = _background(scene, rng)
    c = scene.contrast
    bg = bg_raw  # the noisy frames' base: flattened around mid grey when contrast < 1
    if c != 1.0:
        bg = np.clip(128 + c * (bg_raw.astype(np.float32) - 128), 0, 255).astype(np.uint8)
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
                    img = bg_raw[y0:y1, x0:x1].copy()
                    _draw(img, u - x0, v - y0, r, colour, scene, a)
                    acc += img
                base = bg_raw[y0:y1, x0:x1].astype(np.float32)
                drawn = frame[y0:y1, x0:x1] + c * (acc / sub - base)
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
    _p = _fp
    # the lifter behind the plate: torso and head, moving with the bar
    body = (u - 0.5 * r * math.sin(a) * 0, v + 0.9 * r)
    cv2.ellipse(
        img,
        _p(body[0] + 0.3 * r, body[1]),
        (round(0.9 * r * 16), round(2.2 * r * 16)),
        math.degrees(a),
        0,
        360,
        (36, 34, 34) if s.dark_clothes else (80, 100, 140),
        -1,
        cv2.LINE_AA,
        sh,
    )
    head = _p(u + 0.2 * r, v - 1.5 * r)
    cv2.circle(img, head, round(0.45 * r * 16), (120, 150, 190), -1, cv2.LINE_AA, sh)
    _plate(img, u, v, r, colour, s, a)
    if s.occlude:  # the forearm and hand over the lower front of the rim
        p1 = _p(u + 1.6 * r, v + 0.4 * r)
        p2 = _p(u + 0.55 * r, v + 0.75 * r)
        cv2.line(img, p1, p2, (110, 140, 185), max(2, round(0.28 * r)), cv2.LINE_AA, sh)


STYLES = ("default", "bumper", "plain", "iron", "calibrated")
STEEL, STEEL_DARK = (190, 190, 195), (110, 110, 115)


def _plate(img: np.ndarray, u: float, v: float, r: float, colour: tuple[int, int, int],
           s: Scene, a: float) -> None:  # fmt: skip
    """The plate in ``s.style``, centred at ``(u, v)`` with radius ``r`` (sub-pixel).

    - default: a flat disc of ``colour`` with a darker lip at 0.93 r and a steel hub;
    - bumper: black rubber, a thin band of ``colour`` (red for black) at 0.8 r, "20 KG"
      in ``colour`` on the face, a steel insert;
    - plain: a flat disc, nothing else (a cartoon plate);
    - iron: grey cast iron, a raised rim (a lighter ring 0.89-1 r with a dark groove
      0.86-0.89 r inside it), three hand-grip holes showing what is behind, a steel hub;
    - calibrated: a face of ``colour`` (red for black) with large white print and a white
      ring at 0.62 r, a steel hub and collar.
    """
    sh = 4
    st = s.style

    def disc(rad: float, col: tuple[int, int, int], thick: int = -1) -> None:
        cv2.circle(img, _fp(u, v), round(rad * 16), col, thick, cv2.LINE_AA, sh)

    if st == "default":
        disc(r - AA, colour)
        lip = tuple(int(c * 0.6) for c in colour)
        disc(0.93 * r, lip, max(1, round(0.03 * r)))  # type: ignore[arg-type]
        disc(0.14 * r, STEEL)
        disc(0.07 * r, STEEL_DARK)
        return
    accent = colour if colour != COLOURS["black"] else COLOURS["red"]
    if st == "plain":
        disc(r - AA, colour)
    elif st == "bumper":
        disc(r - AA, (28, 28, 30))
        disc(0.8 * r, accent, max(1, round(0.035 * r)))
        _text(img, u, v, r, "20 KG", accent, a, 0.42)
        disc(0.17 * r, STEEL)
        disc(0.09 * r, STEEL_DARK)
    elif st == "iron":
        under = img.copy()
        # the raised rim, lit, to the plate's edge (drawn as a thick circle it reached
        # 0.5-1 px beyond the plate's radius: the truth was off by 1-2 %)
        disc(r - AA, (125, 127, 130))
        disc(0.89 * r - AA, (55, 56, 58))  # the groove inside it
        disc(0.86 * r - AA, (88, 90, 92))  # the recessed face
        disc(0.16 * r, STEEL)
        disc(0.08 * r, STEEL_DARK)
        mask = np.zeros(img.shape[:2], np.uint8)
        for k in range(3):  # hand-grip holes
            t = a + math.pi / 2 + k * 2 * math.pi / 3
            hx, hy = u + 0.6 * r * math.cos(t), v + 0.6 * r * math.sin(t)
            cv2.ellipse(mask, _fp(hx, hy), (round(0.17 * r * 16), round(0.09 * r * 16)),
                        math.degrees(t) + 90, 0, 360, 255, -1, cv2.LINE_AA, sh)  # fmt: skip
        m = (mask.astype(np.float32) / 255)[..., None]
        img[:] = (img * (1 - m) + under * m).astype(img.dtype)
    elif st == "calibrated":
        disc(r - AA, accent)
        disc(0.96 * r, tuple(int(c * 0.8) for c in accent), max(1, round(0.04 * r)))  # type: ignore[arg-type]
        disc(0.62 * r, (235, 235, 235), max(1, round(0.025 * r)))
        _text(img, u, v, r, "25", (240, 240, 240), a, 0.5)
        _text(img, u, v + 0.5 * r, r, "KG", (240, 240, 240), a, 0.3)
        disc(0.2 * r, STEEL)
        disc(0.1 * r, STEEL_DARK)
    else:
        raise ValueError(f"unknown plate style {st!r}")


def _text(img: np.ndarray, u: float, v: float, r: float, text: str,
          col: tuple[int, int, int], a: float, size: float) -> None:  # fmt: skip
    """``text`` in ``col`` centred above the hub (``size``: its height in radii), drawn 4x
    large, smoothed and warped into ``img`` at a sub-pixel position and the camera's roll."""
    alpha = _text_sprite(text, max(4, round(r * size * 4)))
    sh_, sw_ = alpha.shape
    ca, sa = math.cos(a) / 4, math.sin(a) / 4
    tx, ty = u, v - 0.45 * r
    # sprite (x, y) -> image: rotate by a about the sprite's centre, scale 1/4, move
    m = np.array(
        [[ca, -sa, tx - ca * sw_ / 2 + sa * sh_ / 2], [sa, ca, ty - sa * sw_ / 2 - ca * sh_ / 2]]
    )
    h, w = img.shape[:2]
    al = cv2.warpAffine(alpha, m, (w, h), flags=cv2.INTER_LINEAR)[..., None]
    img[:] = (img * (1 - al) + np.array(col, np.float32) * al).astype(img.dtype)


_SPRITES: dict[tuple[str, int], np.ndarray] = {}


def _text_sprite(text: str, px: int) -> np.ndarray:
    key = (text, px)
    if key not in _SPRITES:
        scale = px / 22.0
        thick = max(1, round(px / 7))
        (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
        canvas = np.zeros((th + base + 8, tw + 8), np.uint8)
        cv2.putText(canvas, text, (4, th + 4), cv2.FONT_HERSHEY_SIMPLEX, scale, 255, thick,
                    cv2.LINE_AA)  # fmt: skip
        _SPRITES[key] = cv2.GaussianBlur(canvas.astype(np.float32) / 255, (0, 0), 1.2)
    return _SPRITES[key]


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
