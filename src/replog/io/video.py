"""A side-view phone video to a plate track and reps (issue 22): the OpenCV half of
``replog video``; the maths from track to reps is :mod:`replog.core.signal.video`.

Pipeline
--------
1. **Checks** before any work: the file opens and decodes, its frame rate is at least
   :data:`MIN_FPS`, it is at most :data:`MAX_SECONDS` long and :data:`MAX_BYTES` big, and
   the first frames are not too dark (median luma >= 30 of 255 with some contrast). Each
   failure is one :class:`~replog.core.errors.ValidationError` line naming what is wrong.
2. **Finding the plate** in the first frame: Hough circles (``HOUGH_GRADIENT_ALT``, which
   scores how complete a circle is) on a downscaled grey copy, each candidate then judged
   by its rim: edge points found along 64 rays from its centre and a robust circle fitted
   to them, the search started from Hough's radius and, when that finds no round rim, from
   smaller and larger guesses (Hough's radius can be 30 % off); the best-supported circle
   wins (with ``tap``, the best one containing the tap; with no candidate there, the rim
   search runs from the tap itself). A round rim with a concentric round rim beyond it
   (a ring or white print on the face) gives way to that one. When several round plates
   of a size are in view (a rack behind the bar), the one that moves over the first
   seconds is the bar's (:func:`_moving_plate`).
3. **Tracking**, per frame: the position is predicted from the last frames; a template
   of the plate from the first frame is matched on a 480-wide grey copy in a window
   around the prediction (normalised correlation), then again at up to 960 wide (half size
   for 1080p, full size below) with a template two radii square, rescaled with the plate's
   apparent size, the correlation peak located to a fraction of a pixel by parabolas
   (:class:`_Fine`). The template holds the hub, the lip and the print as well as the
   rim, which pins the centre far better than the rim alone; a constant offset of the
   template from the plate's true centre cancels in displacements.
4. **Apparent size**, per frame: the rim searched on the distance from the plate's colour
   (a red plate before brown clothes differs in hue more than in brightness, and the
   video's brightness shows a dark lip inside the rim more strongly than the rim) along 64
   rays: each ray's outermost edge that steps up from the plate's colour, located where the
   profile crosses half its step (a gradient peak is pulled outward by the lip), and a
   robust circle (Kasa 1976, rays off by 2.5 robust deviations dropped: a hand, a rim the
   colour of what is behind it) gives the radius (:func:`_radius`). The core smooths it
   over 2 s. A frame's ``score`` is the correlation peak (halved when the rim is not
   found); a frame where the match fails keeps the prediction with score 0.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from replog.core.errors import ValidationError
from replog.core.signal.types import Array
from replog.core.signal.video import PlateTrack, VideoReps, reps_from_track

__all__ = [
    "MAX_BYTES",
    "MAX_SECONDS",
    "MIN_FPS",
    "Preview",
    "VideoRun",
    "parse_tap",
    "preview",
    "reps_from_video",
    "track_plate",
]

MIN_FPS = 25.0
MAX_SECONDS = 300.0
MAX_BYTES = 1 << 30  # 1 GiB: five minutes of 4K from a phone is about this
WORK_WIDTH = 480  # the downscaled copy used to find and follow the plate
FINE_WIDTH = 960  # the resolution of the fine match (half size for 1080p)
N_RAYS = 64
# how far beyond the known radius the per-frame rim search looks, at least: the rim's
# blurred step plus the 1-3 px beyond it where its outside level is read (_crossing_rim),
# plus half a pixel for the guess's error. A fixed 1.15 radii reached only 2.5 px beyond a
# 17 px rim: the step's top was cut off, its outside level read low, the rim inward, and
# the next frame's search, from that smaller radius, cut off more (320x180: 6 % small).
REACH_PX = 3.5
# the per-frame rim search takes edges from this many radii out, and the strongest edge
# it compares them with only from there: print or a ring on the face steps up far more
INNER = 0.8
# the least rise per sample (colour distance; a sample is 0.4 px or r / 150) of a rim: at
# 10 a flat, hazy picture (contrast halved) lost most rays and the plate (no plate found);
# at 4 a black plate before black clothes let noise rays in and lost its rim
TOP_MIN = 5.0
# below this radius (px) a rim's lip, bevel or print within a pixel or two of it is not
# resolved from the rim: depending on its contrast the plate can read a few % small
# (a rendered yellow plate: 4 % at 21 px, 11 % at 17 px; red and black within 1 %)
SMALL_PLATE_PX = 20.0
DARK_LUMA = 30.0
MIN_CONTRAST = 6.0

Gray = NDArray[np.uint8]


@dataclass(frozen=True, slots=True, eq=False)
class VideoRun:
    """What ``replog video reps`` reports: the reps (and their track), the video's frame
    rate, size and length, and the notes worth telling the user."""

    result: VideoReps
    track: PlateTrack
    fps: float
    width: int
    height: int
    frames: int
    warnings: list[str]


@dataclass(frozen=True, slots=True)
class Preview:
    """The first frame of a video, for a person to tap the plate on: a JPEG at most
    :data:`PREVIEW_WIDTH` wide, the video's size and frame rate, and the plate found in it
    (centre and radius in the video's pixels), or None when none was."""

    jpeg: bytes
    width: int
    height: int
    fps: float
    plate: tuple[float, float, float] | None


PREVIEW_WIDTH = 960


def parse_tap(text: str | None) -> tuple[float, float] | None:
    """``"X,Y"`` (a point on the plate in the first frame's pixels) as numbers; None for
    None. The one reading of a tap for ``replog video --tap`` and the API's ``tap``."""
    if text is None:
        return None
    try:
        x, y = (float(p) for p in text.split(","))
    except ValueError:
        raise ValidationError(f"tap wants X,Y in pixels, got {text!r}", field="tap") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValidationError(f"tap wants X,Y in pixels, got {text!r}", field="tap")
    return x, y


def _fail(msg: str) -> ValidationError:
    return ValidationError(msg, field="file")


def _open(path: Path) -> tuple[cv2.VideoCapture, float, int, int, int]:
    if not path.is_file():
        raise _fail(f"no such file: {path}")
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise _fail(f"the video is {size / 2**20:.0f} MB, over the {MAX_BYTES >> 20} MB limit")
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise _fail(f"cannot read {path.name} as a video")
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
    w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
    if w <= 0 or h <= 0:
        cap.release()
        raise _fail(f"cannot read {path.name} as a video")
    if not math.isfinite(fps) or fps < MIN_FPS:
        cap.release()
        raise _fail(
            f"the frame rate is {fps:.0f} fps, below {MIN_FPS:.0f}: record at 30 fps or more "
            "(60 for accurate velocities)"
        )
    if n > 0 and n / fps > MAX_SECONDS:
        cap.release()
        raise _fail(f"the video is {n / fps:.0f} s long, over {MAX_SECONDS:.0f} s: trim it")
    return cap, fps, w, h, n


def _frames(cap: cv2.VideoCapture) -> Iterator[NDArray[np.uint8]]:
    while True:
        ok, frame = cap.read()
        if not ok or frame is None:
            return
        yield np.asarray(frame, dtype=np.uint8)


def _gray(frame: NDArray[np.uint8]) -> Gray:
    if frame.ndim == 2:
        return frame
    return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), dtype=np.uint8)


@dataclass(slots=True)
class _Rim:
    """A circle fitted to the plate's rim: centre, radius (px), share of rays agreeing."""

    x: float
    y: float
    r: float
    score: float


_ANG = np.linspace(0.0, 2.0 * math.pi, N_RAYS, endpoint=False)
_COS, _SIN = np.cos(_ANG), np.sin(_ANG)


def _rim(
    gray: NDArray[Any], x: float, y: float, r: float, lo: float = 0.6, hi: float = 1.4
) -> _Rim | None:
    """The rim search of the module docstring around ``(x, y)`` with radius guess ``r``."""
    step = max(0.5, r / 120.0)
    radii = np.arange(lo * r, hi * r, step, dtype=np.float64)
    if len(radii) < 5:
        return None
    g = _ray_gradients(gray, x, y, radii, 1.0)
    k = np.argmax(g[:, 1:-1], axis=1) + 1
    strength = g[np.arange(N_RAYS), k]
    ok = strength > max(2.0, 0.25 * float(np.median(strength)))
    return _circle_on_edges(g, k, ok, x, y, radii, step, 12, 0.3, (0.5 * r, 1.5 * r))


def _ray_profiles(
    img: NDArray[Any], x: float, y: float, radii: Array, sigma: float
) -> NDArray[np.float64]:
    """The image along each ray from ``(x, y)`` at ``radii``, smoothed along the ray by
    ``sigma`` samples (a row per ray)."""
    mx = (x + _COS[:, None] * radii[None, :]).astype(np.float32)
    my = (y + _SIN[:, None] * radii[None, :]).astype(np.float32)
    prof = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(_smooth_rows(prof, sigma) if sigma > 0 else prof, dtype=np.float64)


def _smooth_rows(p: NDArray[Any], sigma: float) -> NDArray[np.float32]:
    return np.asarray(
        cv2.GaussianBlur(p.astype(np.float32), (0, 0), sigmaX=sigma, sigmaY=0.01), np.float32
    )


def _ray_gradients(
    img: NDArray[Any], x: float, y: float, radii: Array, sigma: float
) -> NDArray[np.float64]:
    """:func:`_ray_profiles` and its absolute step from one radius to the next."""
    return np.abs(np.diff(_ray_profiles(img, x, y, radii, sigma), axis=1))


def _circle_on_edges(
    g: NDArray[np.float64], k: NDArray[Any], ok: NDArray[np.bool_], x: float, y: float,
    radii: Array, step: float, min_rays: int, floor_px: float, size: tuple[float, float],
    edge: Array | None = None,
) -> _Rim | None:  # fmt: skip
    """The rim through each ray's edge at sample ``k`` (refined to a fraction of a sample
    by a parabola through the gradient), fitted as a circle three times over, dropping rays
    beyond 2.5 robust deviations (plus ``floor_px``); None with fewer than ``min_rays`` rays
    or a radius outside ``size``. The score: the share of rays on the circle within 1 px or
    3 % (a plate's rim is a circle; a lifter's outline, an ellipse or a bend, fits one only
    loosely). ``edge``, when given, is each ray's edge radius instead."""
    if edge is None:
        edge = _peak_radius(g, k, radii, step)
    ex, ey = x + _COS * edge, y + _SIN * edge
    fit = None
    res = np.zeros(N_RAYS)
    for _ in range(3):
        if np.count_nonzero(ok) < min_rays:
            return None
        fit = _kasa(ex[ok], ey[ok])
        if fit is None:
            return None
        res = np.hypot(ex - fit[0], ey - fit[1]) - fit[2]
        spread = 1.4826 * float(np.median(np.abs(res[ok]))) + floor_px
        ok = ok & (np.abs(res) <= 2.5 * spread)
    assert fit is not None
    if not size[0] < fit[2] < size[1]:
        return None
    tight = ok & (np.abs(res) <= max(1.0, 0.03 * fit[2]))
    return _Rim(fit[0], fit[1], fit[2], float(np.count_nonzero(tight)) / N_RAYS)


def _peak_radius(g: NDArray[np.float64], k: NDArray[Any], radii: Array, step: float) -> Array:
    """Each ray's gradient peak at sample ``k``, to a fraction of a sample (a parabola)."""
    rows = np.arange(N_RAYS)
    g0, g1, g2 = g[rows, k - 1], g[rows, k], g[rows, k + 1]
    den = g0 - 2 * g1 + g2
    off = np.where(den < 0, 0.5 * (g0 - g2) / np.where(den < 0, den, -1.0), 0.0)
    return np.asarray(radii[0] + (k + 0.5 + np.clip(off, -0.5, 0.5)) * step, dtype=np.float64)


def _half_crossing(
    p: NDArray[np.float64], radii: Array, step: float, r: float, near: Array, outside: Array
) -> Array:
    """Each ray's rim where its profile ``p`` (the distance from the plate's colour, not
    smoothed) crosses halfway between the plate's level (its median over 0.6-0.8 radii) and
    ``outside`` (the level just beyond the edge), the outermost crossing between 1.2 px
    inside the gradient peak ``near`` and 1.5 px beyond it, interpolated between samples;
    ``near`` where there is none. A gradient peak is pulled outward by the plate's lip (a
    darker ring a pixel or two inside the rim: once smoothed, its falling side adds to the
    gradient on the rim's inner side); the half level of a step does not move with what
    lies inside it. (Before, diameters read 1-2 % large: velocities 1-2 % low.)"""
    body = (radii >= 0.6 * r) & (radii <= 0.8 * r)
    inside = np.median(p[:, body], axis=1) if np.any(body) else np.zeros(N_RAYS)
    mid = 0.5 * (inside + outside)
    lo, hi = p[:, :-1], p[:, 1:]  # the crossing lies between radii[j] and radii[j + 1]
    a = radii[:-1][None, :]
    cross = (lo < mid[:, None]) & (mid[:, None] <= hi)
    cross &= (a + step >= (near - 1.2)[:, None]) & (a <= (near + 1.5)[:, None])
    cross &= (outside - inside >= 10.0)[:, None]
    j = cross.shape[1] - 1 - np.argmax(cross[:, ::-1], axis=1)
    rows = np.arange(N_RAYS)
    l0, l1 = lo[rows, j], hi[rows, j]
    frac = (mid - l0) / np.where(l1 > l0, l1 - l0, 1.0)
    at = radii[j] + np.clip(frac, 0.0, 1.0) * step
    return np.where(cross.any(axis=1), at, near)


def _kasa(x: Array, y: Array) -> tuple[float, float, float] | None:
    """Least-squares circle through points (Kasa 1976): centre and radius."""
    a = np.column_stack([x, y, np.ones_like(x)])
    b = x * x + y * y
    try:
        c = np.linalg.lstsq(a, b, rcond=None)[0]
    except np.linalg.LinAlgError:
        return None
    cx, cy = c[0] / 2.0, c[1] / 2.0
    r2 = c[2] + cx * cx + cy * cy
    if not r2 > 0:
        return None
    return float(cx), float(cy), float(math.sqrt(r2))


def _candidates(small: Gray, k: float) -> list[tuple[float, float, float]]:
    """Hough circles in the downscaled frame, in full-resolution pixels."""
    h = small.shape[0]
    blur = cv2.GaussianBlur(small, (0, 0), 1.2)
    found = cv2.HoughCircles(
        blur, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=max(8, h // 20), param1=150,
        param2=0.6, minRadius=max(5, int(h * 0.03)), maxRadius=int(h * 0.45),
    )  # fmt: skip
    if found is None:
        return []
    return [(float(c[0]) * k, float(c[1]) * k, float(c[2]) * k) for c in found[0][:30]]


def find_plate(frame: NDArray[np.uint8], *, tap: tuple[float, float] | None = None) -> _Rim:
    """The plate in one frame (full resolution, colour or grey), near ``tap`` when given.
    Each Hough candidate is judged on its rim found in the distance from the candidate's
    own colour (the median over an annulus inside it): the share of 64 rays whose edge lies
    on one circle within a pixel (a lifter's outline fits a circle only loosely)."""
    gray = _gray(frame)
    h, w = gray.shape
    k = max(1.0, w / WORK_WIDTH)
    small = cv2.resize(gray, (round(w / k), round(h / k)), interpolation=cv2.INTER_AREA)
    cands = _candidates(np.asarray(small, dtype=np.uint8), k)
    if tap is not None:
        tx, ty = tap
        if not (0 <= tx < w and 0 <= ty < h):
            raise ValidationError(f"the tap {tx:.0f},{ty:.0f} is outside the {w}x{h} frame", "tap")
        cands = [c for c in cands if math.hypot(c[0] - tx, c[1] - ty) < c[2]]
        if not cands:  # search from the tap itself over radii
            for frac in (0.04, 0.06, 0.09, 0.13, 0.18, 0.25):
                cands.append((tx, ty, frac * h))
    plates = _ranked(frame, cands)
    if not plates:  # field "plate": a page asks for a tap on the first frame
        raise ValidationError(
            "no plate found: film the bar end-on from the side with the whole plate in view, "
            "or point at the plate in the first frame (--tap X,Y; over the API, tap=X,Y)",
            field="plate",
        )
    return plates[0]


def _ranked(frame: NDArray[np.uint8], cands: list[tuple[float, float, float]]) -> list[_Rim]:
    """The candidates' rims (:func:`_judge`), best first: a round rim with a hub (the
    sleeve's end: another colour at the centre), then the bigger circle (a head, a bolt or
    a hub is a circle too, and smaller)."""
    judged = []
    for cx, cy, r in cands:
        rim = _judge(frame, cx, cy, r)
        if rim is not None:
            judged.append(((_has_hub(frame, rim), rim.score >= 0.6, rim.r), rim))
    judged.sort(key=lambda kr: kr[0], reverse=True)
    return [rim for _, rim in judged]


GUESSES = (1.0, 0.8, 0.65, 1.25)  # Hough's radius times these: see _judge


def _judge(frame: NDArray[np.uint8], x: float, y: float, r: float) -> _Rim | None:
    """The best rim (score >= 0.3) found near a Hough circle ``(x, y, r)``, the search
    started from a few radius guesses around ``r``. Hough's radius comes from the grey
    image, where a plate's rim before a lifter of a similar brightness (a red plate before
    brown clothes) is faint, and can be 30 % too large; the colour-rim search out to 1.3
    guessed radii then reaches the lifter's outline, head or arm, whose edges it takes for
    the rim, and no circle fits. From a guess near the true radius it finds the rim."""
    best: _Rim | None = None
    for g in GUESSES:
        rim = _colour_rim(frame, x, y, g * r)
        if rim is not None and rim.score > 0.3:
            again = _colour_rim(frame, rim.x, rim.y, rim.r)
            rim = again if again is not None else rim
        if rim is not None and rim.score >= 0.3 and (best is None or rim.score > best.score):
            best = rim
        if best is not None and best.score >= 0.6:
            break  # a round rim: the usual case, one guess
    if best is not None and best.score >= 0.6:
        return _outer(frame, best)
    return best


def _outer(frame: NDArray[np.uint8], rim: _Rim) -> _Rim:
    """A round rim concentric with ``rim`` and beyond it, if there is one: the plate's, when
    ``rim`` was a ring or the edge of large print on its face (white on a coloured plate:
    a step far stronger than the rim's, so the rim search took it), or the inner edge of a
    raised outer ring. Searched from 1.3 and 1.7 times its radius for edges beyond 1.1; the
    outermost."""
    best = rim
    for f in (1.3, 1.7):
        out = _colour_rim(frame, rim.x, rim.y, f * rim.r, inner=1.1 / f)
        if (
            out is not None
            and out.score >= 0.6
            and out.r > 1.1 * best.r
            and math.hypot(out.x - rim.x, out.y - rim.y) < 0.1 * rim.r
        ):
            best = out
    return best


def _has_hub(frame: NDArray[np.uint8], rim: _Rim) -> bool:
    """Whether the circle's centre differs in colour from its body (a plate's sleeve)."""
    body = _plate_colour(frame, rim.x, rim.y, rim.r)
    h, w = frame.shape[:2]
    c = max(1, round(0.06 * rim.r))
    x, y = round(rim.x), round(rim.y)
    if not (c <= x < w - c and c <= y < h - c):
        return False
    centre = np.median(frame[y - c : y + c + 1, x - c : x + c + 1].reshape(-1, body.size), axis=0)
    return float(np.abs(centre.astype(np.float32) - body).sum()) > 60.0


def _colour_rim(
    frame: NDArray[np.uint8], x: float, y: float, r: float, inner: float | None = None
) -> _Rim | None:
    """:func:`_crossing_rim` on the distance from the colour inside the circle
    ``(x, y, r)`` (:func:`_rim` on a grey frame)."""
    if frame.ndim == 2:
        return _rim(frame, x, y, r)
    colour = _plate_colour(frame, x, y, r)
    fh, fw = frame.shape[:2]
    half = math.ceil(1.35 * r) + 3
    x0, y0 = max(0, round(x) - half), max(0, round(y) - half)
    x1, y1 = min(fw, round(x) + half + 1), min(fh, round(y) + half + 1)
    patch = frame[y0:y1, x0:x1].astype(np.float32)
    if patch.shape[0] < 8 or patch.shape[1] < 8:
        return None
    dist = np.ascontiguousarray(np.abs(patch - colour).sum(axis=2), dtype=np.float32)
    rim = _crossing_rim(dist, x - x0, y - y0, r, inner=inner)
    return None if rim is None else _Rim(rim.x + x0, rim.y + y0, rim.r, rim.score)


def _template(small: Gray, x: float, y: float, r: float) -> tuple[Gray, int]:
    half = max(4, round(1.15 * r))
    y0, x0 = max(0, round(y) - half), max(0, round(x) - half)
    patch = small[y0 : round(y) + half + 1, x0 : round(x) + half + 1]
    return np.ascontiguousarray(patch), half


def track_plate(
    path: Path, *, tap: tuple[float, float] | None = None, max_frames: int | None = None
) -> tuple[PlateTrack, float, int]:
    """Open, check and track: the plate's track, the frame rate and the frame count."""
    cap, fps, w, h, _n = _open(path)
    plate: _Rim | None = None
    try:
        if tap is None:
            first = next(_frames(cap), None)
            if first is None:
                raise _fail("cannot decode any frame of the video")
            _check_light(first)
            plate = _moving_plate(cap, first, fps)
            cap.release()
            cap, fps, w, h, _n = _open(path)  # from the first frame again
        return _track(cap, fps, w, h, tap, max_frames, plate)
    finally:
        cap.release()


MOTION_S = 3.0  # how long the first frames are watched for the plate that moves
MOVED_PX = 2.0  # a candidate that moves this far (full-resolution px) moves with the bar


def _moving_plate(cap: cv2.VideoCapture, first: NDArray[np.uint8], fps: float) -> _Rim:
    """The plate in ``first``; when several round plates of a size are in view (a rack or
    a plate tree behind the bar), the one that moves over the first frames. Stored plates
    stand still; the bar's plate moves with the lifter's sway, walk-out and reps. The
    round rims of at least 0.6 times the largest one's radius (a head is smaller) are
    followed on the downscaled grey frames for up to ``MOTION_S`` s, until each has moved
    ``MOVED_PX`` or one has moved half its radius; those that moved less than 0.4 times
    the most-moved one (whole pixels at 480 wide: a still plate can seem to move 2 px)
    are dropped, then the usual order (hub, round, size) decides."""
    gray = _gray(first)
    k = max(1.0, gray.shape[1] / WORK_WIDTH)
    plates = _ranked(first, _candidates(_small(gray, k), k))
    if not plates:
        return find_plate(first)  # its one message (no plate found)
    plate = plates[0]
    big = max((p.r for p in plates if p.score >= 0.6), default=0.0)
    rivals = [p for p in plates if p.score >= 0.6 and p.r >= 0.6 * big]
    if len(rivals) < 2:
        return plate
    small = _small(gray, k)
    tmpls = [_template(small, p.x / k, p.y / k, p.r / k) for p in rivals]
    pos = [(p.x / k, p.y / k) for p in rivals]
    moved = [0.0] * len(rivals)
    frames = _frames(cap)
    for _ in range(int(MOTION_S * fps)):
        frame = next(frames, None)
        if frame is None:
            break
        small = _small(_gray(frame), k)
        for i, (p, (tmpl, half)) in enumerate(zip(rivals, tmpls, strict=True)):
            mx, my = _match(small, tmpl, half, pos[i][0], pos[i][1], p.r / k, 0.0)
            if mx is None or my is None:
                continue
            pos[i] = (mx, my)
            moved[i] = max(moved[i], math.hypot(mx - p.x / k, my - p.y / k) * k)
        if min(moved) >= MOVED_PX or any(
            m >= 0.5 * p.r for m, p in zip(moved, rivals, strict=True)
        ):
            break
    top = max(moved)
    if top < MOVED_PX:
        return plate  # nothing moved: the first frame's choice
    still = [id(p) for p, m in zip(rivals, moved, strict=True) if m < 0.4 * top]
    return next(p for p in plates if id(p) not in still)


def _small(gray: Gray, k: float) -> Gray:
    h, w = gray.shape
    size = (round(w / k), round(h / k))
    return np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), np.uint8)


def _check_light(first: NDArray[np.uint8]) -> Gray:
    gray = _gray(first)
    luma = float(np.median(gray))
    if luma < DARK_LUMA or float(np.std(gray)) < MIN_CONTRAST:
        raise _fail(
            f"the video is too dark or flat (median brightness {luma:.0f} of 255): light "
            "the plate or film closer to a window"
        )
    return gray


def preview(path: Path) -> Preview:
    """The checks of :func:`reps_from_video` (it opens, is bright enough, fast enough, not
    too long or big), then the first frame and the plate found in it, if any: what a person
    needs to tap the plate when it is not found."""
    cap, fps, w, h, _n = _open(path)
    try:
        first = next(_frames(cap), None)
    finally:
        cap.release()
    if first is None:
        raise _fail("cannot decode any frame of the video")
    _check_light(first)
    try:
        rim = find_plate(first)
        plate: tuple[float, float, float] | None = (rim.x, rim.y, rim.r)
    except ValidationError:
        plate = None
    k = max(1.0, w / PREVIEW_WIDTH)
    size = (round(w / k), round(h / k))
    small = first if k == 1.0 else cv2.resize(first, size, interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        raise _fail("cannot encode the first frame")
    return Preview(buf.tobytes(), w, h, fps, plate)


def _track(
    cap: cv2.VideoCapture, fps: float, w: int, h: int, tap: tuple[float, float] | None,
    max_frames: int | None, plate: _Rim | None = None,
) -> tuple[PlateTrack, float, int]:  # fmt: skip
    frames = _frames(cap)
    first = next(frames, None)
    if first is None:
        raise _fail("cannot decode any frame of the video")
    gray = _check_light(first)
    if plate is None:
        plate = find_plate(first, tap=tap)
    k = max(1.0, w / WORK_WIDTH)
    sw, sh = round(w / k), round(h / k)
    small = np.asarray(cv2.resize(gray, (sw, sh), interpolation=cv2.INTER_AREA), np.uint8)
    tmpl, half = _template(small, plate.x / k, plate.y / k, plate.r / k)
    fine = _Fine(gray, plate)
    colour = _plate_colour(first, plate.x, plate.y, plate.r)
    r0 = _colour_radius(first, colour, plate.x, plate.y, plate.r) or plate.r
    xs, ys, ds, ss = [plate.x], [plate.y], [2 * r0], [plate.score]
    r_now = r0
    limit = int(MAX_SECONDS * fps) + 1
    for i, frame in enumerate(frames, start=1):
        if max_frames is not None and i >= max_frames:
            break
        if i > limit:
            raise _fail(f"the video is longer than {MAX_SECONDS:.0f} s: trim it")
        gray = _gray(frame)
        vx = (xs[-1] - xs[-3]) / 2 if len(xs) > 2 else 0.0  # a 2-frame slope: less jitter
        vy = (ys[-1] - ys[-3]) / 2 if len(ys) > 2 else 0.0
        px, py = xs[-1] + vx, ys[-1] + vy
        small = np.asarray(cv2.resize(gray, (sw, sh), interpolation=cv2.INTER_AREA), np.uint8)
        mx, my = _match(small, tmpl, half, px / k, py / k, r_now / k, math.hypot(vx, vy) / k)
        if mx is not None and my is not None:
            px, py = mx * k, my * k
        found = fine.match(gray, px, py, r_now / r0)
        if found is None:
            xs.append(px)
            ys.append(py)
            ds.append(2 * r_now)
            ss.append(0.0)
            continue
        fx, fy, corr = found
        rr = _colour_radius(frame, colour, fx, fy, r_now)
        xs.append(fx)
        ys.append(fy)
        ok = rr is not None and abs(rr - r_now) < 0.15 * r_now
        ds.append(2 * rr if rr is not None and ok else 2 * r_now)
        ss.append(corr if ok else 0.5 * corr)
        if rr is not None and ok:
            r_now = 0.95 * r_now + 0.05 * rr
    n = len(xs)
    t = np.arange(n, dtype=np.float64) / fps
    track = PlateTrack(t, np.array(xs), np.array(ys), np.array(ds), np.array(ss), w, h)
    return track, fps, n


class _Fine:
    """Template matching at working resolution near the plate: ``FINE_WIDTH`` wide at most
    (half size for 1080p), a template 2 radii square from the first frame (the hub, the
    lip, the lettering and the rim at four points), rescaled with the plate's apparent
    size, the peak of the normalised correlation located to a fraction of a pixel by a
    parabola through it and its neighbours in x and in y. A constant offset of the
    template's centre from the plate's does not matter: only displacements are used."""

    def __init__(self, gray: Gray, plate: _Rim) -> None:
        h, w = gray.shape
        self.k = max(1.0, w / FINE_WIDTH)
        self.r0 = plate.r
        half = max(6, round(plate.r))  # full-resolution pixels
        x0, y0 = round(plate.x) - half, round(plate.y) - half
        if x0 < 0 or y0 < 0 or x0 + 2 * half + 1 > w or y0 + 2 * half + 1 > h:
            raise _fail("the plate is cut by the edge of the first frame: frame the whole plate")
        crop = gray[y0 : y0 + 2 * half + 1, x0 : x0 + 2 * half + 1]
        self.offset = (plate.x - x0, plate.y - y0)  # plate centre inside the crop
        self.crop = np.ascontiguousarray(crop)
        self.scale = 1.0
        self.tmpl = self._scaled(1.0)

    def _scaled(self, scale: float) -> Gray:
        side = max(9, round(self.crop.shape[0] * scale / self.k))
        return np.asarray(
            cv2.resize(self.crop, (side, side), interpolation=cv2.INTER_AREA), np.uint8
        )

    def match(
        self, gray: Gray, px: float, py: float, scale: float
    ) -> tuple[float, float, float] | None:
        if abs(scale - self.scale) > 0.01:
            self.scale = scale
            self.tmpl = self._scaled(scale)
        k = self.k
        side = self.tmpl.shape[0]
        s = side * k / self.crop.shape[0]  # template pixels per crop pixel, times k
        ox, oy = self.offset[0] * s / k, self.offset[1] * s / k  # centre in the template
        reach = max(3, round(0.12 * self.r0 * scale / k) + 2)
        # the window, in working pixels, around the prediction
        wx0 = px / k - ox - reach
        wy0 = py / k - oy - reach
        ww, wh = side + 2 * reach, side + 2 * reach
        x0f, y0f = math.floor(wx0 * k), math.floor(wy0 * k)
        x1f, y1f = math.ceil((wx0 + ww) * k), math.ceil((wy0 + wh) * k)
        h, w = gray.shape
        if x0f < 0 or y0f < 0 or x1f > w or y1f > h:
            return None
        region = gray[y0f:y1f, x0f:x1f]
        if k > 1.0:
            size = (round((x1f - x0f) / k), round((y1f - y0f) / k))
            region = np.asarray(cv2.resize(region, size, interpolation=cv2.INTER_AREA), np.uint8)
            kx, ky = (x1f - x0f) / size[0], (y1f - y0f) / size[1]
        else:
            kx = ky = 1.0
        if region.shape[0] < side + 2 or region.shape[1] < side + 2:
            return None
        res = np.asarray(cv2.matchTemplate(region, self.tmpl, cv2.TM_CCOEFF_NORMED), np.float32)
        _, best, _, (bx, by) = cv2.minMaxLoc(res)
        if best < 0.4:
            return None
        dx = _peak(res, bx, by, axis=1)
        dy = _peak(res, bx, by, axis=0)
        cx = x0f + (bx + dx + ox) * kx
        cy = y0f + (by + dy + oy) * ky
        return cx, cy, float(best)


def _peak(res: NDArray[np.float32], bx: int, by: int, *, axis: int) -> float:
    """Sub-pixel offset of a correlation peak along one axis (parabola through 3 values)."""
    if axis == 1:
        if not 0 < bx < res.shape[1] - 1:
            return 0.0
        a, b, c = float(res[by, bx - 1]), float(res[by, bx]), float(res[by, bx + 1])
    else:
        if not 0 < by < res.shape[0] - 1:
            return 0.0
        a, b, c = float(res[by - 1, bx]), float(res[by, bx]), float(res[by + 1, bx])
    den = a - 2 * b + c
    return 0.0 if den >= 0 else max(-0.5, min(0.5, 0.5 * (a - c) / den))


def _plate_colour(frame: NDArray[np.uint8], x: float, y: float, r: float) -> NDArray[np.float32]:
    """The plate's colour: the median over an annulus between its hub and its rim."""
    a = np.linspace(0, 2 * math.pi, 48, endpoint=False)
    pts = [
        (x + f * r * math.cos(t), y + f * r * math.sin(t)) for f in (0.55, 0.65, 0.75) for t in a
    ]
    h, w = frame.shape[:2]
    cols = [frame[int(py), int(px)] for px, py in pts if 0 <= px < w and 0 <= py < h]
    return np.median(
        np.array(cols, dtype=np.float32).reshape(-1, frame.shape[2] if frame.ndim == 3 else 1),
        axis=0,
    ).astype(np.float32)


def _colour_radius(
    frame: NDArray[np.uint8], colour: NDArray[np.float32], x: float, y: float, r: float
) -> float | None:
    """:func:`_radius` on the distance from the plate's colour in a patch around it: a red
    plate against brown clothes differs in hue more than in brightness, and the video's
    brightness channel may show a dark lip inside the rim more strongly than the rim."""
    h, w = frame.shape[:2]
    half = math.ceil(1.35 * r) + 3
    x0, y0 = max(0, round(x) - half), max(0, round(y) - half)
    x1, y1 = min(w, round(x) + half + 1), min(h, round(y) + half + 1)
    patch = frame[y0:y1, x0:x1].astype(np.float32)
    if patch.size == 0:
        return None
    dist = np.abs(patch - colour).sum(axis=2) if patch.ndim == 3 else np.abs(patch - colour[0])
    return _radius(np.ascontiguousarray(dist, dtype=np.float32), x - x0, y - y0, r)


def _radius(dist: NDArray[Any], x: float, y: float, r: float) -> float | None:
    """The plate's apparent radius near ``(x, y)`` in a colour-distance patch (see
    :func:`_crossing_rim`) out to 1.15 radii only, or ``REACH_PX`` beyond ``r`` for a
    small plate (the radius is known from the frames before; the lifter's outline lies a
    little further out), twice: the second time centred on the first fit."""
    rim = _crossing_rim(dist, x, y, r, hi=_reach(r), inner=INNER)  # r is known
    if rim is None:
        return None
    again = _crossing_rim(dist, rim.x, rim.y, rim.r, hi=_reach(rim.r), inner=INNER)
    return None if again is None else again.r


def _reach(r: float) -> float:
    """The outer end of the per-frame rim search, in radii (see ``REACH_PX``)."""
    return max(1.15, 1.0 + REACH_PX / r)


def _crossing_rim(
    dist: NDArray[Any], x: float, y: float, r: float, hi: float = 1.3, inner: float | None = None
) -> _Rim | None:
    """The plate's rim in the distance from its colour, which is near 0 on the plate and
    large off it: along 64 rays between 0.45 and 1.3 radii, the profile lightly smoothed,
    each ray's outermost rising edge at least 0.6 times its strongest (the rim, past a lip
    or print just inside it) that steps up from near the plate's colour (the least distance
    0.5-3 px inside it under half the median 1-3 px beyond it: a lifter's outline, an arm
    or a stripe just outside the rim steps up from something already far from the plate's
    colour), located where the unsmoothed profile crosses half its step
    (:func:`_half_crossing`). A robust circle through those points (Kasa 1976, three
    times, dropping rays off by 2.5 robust deviations: a hand, a rim the colour of what is
    behind it). The score is the share of rays on the circle within 1 px or 3 % (a
    lifter's outline fits a circle only loosely)."""
    step = max(0.4, r / 150.0)
    radii = np.arange(0.45 * r, hi * r, step, dtype=np.float64)
    if len(radii) < 12:
        return None
    raw = _ray_profiles(dist, x, y, radii, 0.0)
    g = np.diff(_smooth_rows(raw, 1.0 / step).astype(np.float64), axis=1)  # rising: > 0
    cut = 0.6 if inner is None else inner
    # with ``inner`` the strongest edge is looked for only beyond it, where the rim is:
    # large print or a white ring on the face steps up far more than the rim does
    top = (
        g.max(axis=1, keepdims=True)
        if inner is None
        else g[:, radii[:-1] >= cut * r].max(axis=1, keepdims=True)
    )
    peak = np.zeros_like(g, dtype=bool)
    peak[:, 1:-1] = (g[:, 1:-1] >= g[:, :-2]) & (g[:, 1:-1] >= g[:, 2:])
    peak &= g >= 0.6 * top
    peak[:, radii[:-1] < cut * r] = False
    # a rim steps up from the plate's colour: just inside it (past the blur) something
    # near the plate's colour, beyond it something far from it. A lifter's outline, an arm's
    # or a stripe's edge close outside the rim steps up from something already far from it.
    ri, ji = np.nonzero(peak)
    before = _window(raw, ri, ji, -3.0 / step, -0.5 / step).min(axis=1)
    after = np.median(_window(raw, ri, ji, 1.0 / step, 3.0 / step), axis=1)
    keep = before < 0.5 * after
    peak[ri[~keep], ji[~keep]] = False
    outside = np.zeros(N_RAYS)
    outside[ri[keep]] = after[keep]  # rows in order, columns rising: the last one stays
    ok = peak.any(axis=1) & (top[:, 0] > TOP_MIN)
    last = g.shape[1] - 1 - np.argmax(peak[:, ::-1], axis=1)
    k = np.clip(last, 1, g.shape[1] - 2)
    near = _peak_radius(g, k, radii, step)
    edge = _half_crossing(raw, radii, step, r, near, outside)
    return _circle_on_edges(g, k, ok, x, y, radii, step, N_RAYS // 3, 0.2, (0.7 * r, hi * r), edge)


def _window(
    p: NDArray[np.float64], rows: NDArray[Any], cols: NDArray[Any], lo: float, hi: float
) -> NDArray[np.float64]:
    """For the edge between samples ``j`` and ``j + 1`` of row ``i`` of ``p`` (each pair of
    ``rows``, ``cols``), the samples from ``j + 1 + lo`` to ``j + hi`` (``lo``, ``hi`` in
    samples, rounded), clipped to the row: shape (len(rows), window)."""
    a, b = round(lo), max(round(lo), round(hi))
    idx = cols[:, None] + np.arange(a, b + 1)[None, :] + (1 if a >= 0 else 0)
    return np.asarray(p[rows[:, None], np.clip(idx, 0, p.shape[1] - 1)], dtype=np.float64)


def _match(
    small: Gray, tmpl: Gray, half: int, px: float, py: float, r: float, speed: float
) -> tuple[float | None, float | None]:
    """The template's best match (downscaled px) in a window around the prediction, or
    None when the match is weak."""
    reach = round(0.5 * r + 2.0 * speed + 3)
    th, tw = tmpl.shape
    x0 = max(0, round(px) - half - reach)
    y0 = max(0, round(py) - half - reach)
    x1 = min(small.shape[1], round(px) - half + reach + tw)
    y1 = min(small.shape[0], round(py) - half + reach + th)
    win = small[y0:y1, x0:x1]
    if win.shape[0] < th + 2 or win.shape[1] < tw + 2:
        return None, None
    res = cv2.matchTemplate(win, tmpl, cv2.TM_CCOEFF_NORMED)
    _, best, _, loc = cv2.minMaxLoc(res)
    if best < 0.3:
        return None, None
    bx, by = loc
    return x0 + bx + half, y0 + by + half


def reps_from_video(
    path: Path, *, plate_diameter_m: float = 0.45, exercise: str | None = None,
    tap: tuple[float, float] | None = None,
) -> VideoRun:  # fmt: skip
    """Check, track and analyse a video: the whole of ``replog video reps``."""
    from replog.core.signal.lifts import lift_prior

    lift_prior(exercise)  # refuse a typo before the slow part
    if not 0.05 <= plate_diameter_m <= 0.6:
        raise ValidationError("plate diameter must be 0.05-0.60 m", field="plate_diameter")
    track, fps, n = track_plate(path, tap=tap)
    if n < 3:
        raise _fail("the video holds fewer than 3 frames")
    warnings: list[str] = []
    lost = float(np.mean(track.score == 0.0))
    if lost > 0.2:
        warnings.append(f"the plate was not seen clearly in {lost:.0%} of the frames")
    if fps < 59.0:
        warnings.append(f"{fps:.0f} fps: velocities are coarser than at 60 fps or more")
    result = reps_from_track(track, plate_diameter_m=plate_diameter_m, exercise=exercise)
    warnings.extend(result.notes)
    r_px = 0.5 * float(np.median(track.diameter))
    if r_px < SMALL_PLATE_PX:
        warnings.append(
            f"the plate is only {2 * r_px:.0f} px across in this {track.width}x"
            f"{track.height} video: its rim, hence the scale and every velocity, may read "
            f"a few % off; film closer or at a higher resolution (a plate at least "
            f"{2 * SMALL_PLATE_PX:.0f} px across)"
        )
        trust = max(0.5, r_px / SMALL_PLATE_PX)
        reps = [replace(r, confidence=round(r.confidence * trust, 3)) for r in result.reps]
        result = replace(result, reps=reps)
    return VideoRun(result, track, fps, track.width, track.height, n, warnings)
