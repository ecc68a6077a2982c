"""Finding the plate in a side-view video's first frames (issue 22), for
:mod:`replog.io.video`.

**Finding the plate** in the first frame: Hough circles (``HOUGH_GRADIENT_ALT``, which
scores how complete a circle is) on a downscaled grey copy, each candidate then judged by
its rim (:mod:`replog.io.video_rim`): edge points found along 64 rays from its centre and
a robust circle fitted to them, the search started from Hough's radius and, when that
finds no round rim, from smaller and larger guesses (Hough's radius can be 30 % off); the
best-supported circle wins (with ``tap``, the best one containing the tap; with no
candidate there, the rim search runs from the tap itself). A round rim with a concentric
round rim beyond it (a ring or white print on the face) gives way to that one, and an
outer lip beyond it sets the plate's size (:func:`replog.io.video_rim._lip_edge`). When
several round plates of a size are in view (a rack behind the bar), the one that moves
over the first seconds is the bar's (:func:`_moving_plate`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import cv2
import numpy as np
from numpy.typing import NDArray

from replog.core.errors import ValidationError
from replog.io.video_rim import Rim, _crossing_rim, _lip_edge, _plate_colour, _rim

WORK_WIDTH = 480  # the downscaled copy used to find and follow the plate


Gray = NDArray[np.uint8]


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


def find_plate(frame: NDArray[np.uint8], *, tap: tuple[float, float] | None = None) -> Rim:
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


def _ranked(frame: NDArray[np.uint8], cands: list[tuple[float, float, float]]) -> list[Rim]:
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


def _judge(frame: NDArray[np.uint8], x: float, y: float, r: float) -> Rim | None:
    """The best rim (score >= 0.3) found near a Hough circle ``(x, y, r)``, the search
    started from a few radius guesses around ``r``. Hough's radius comes from the grey
    image, where a plate's rim before a lifter of a similar brightness (a red plate before
    brown clothes) is faint, and can be 30 % too large; the colour-rim search out to 1.3
    guessed radii then reaches the lifter's outline, head or arm, whose edges it takes for
    the rim, and no circle fits. From a guess near the true radius it finds the rim."""
    best: Rim | None = None
    for g in GUESSES:
        rim = _colour_rim(frame, x, y, g * r)
        if rim is not None and rim.score > 0.3:
            again = _colour_rim(frame, rim.x, rim.y, rim.r)
            # the search again from the fit, unless it fits worse and the fit has an outer
            # lip beyond it (from a rim inside a lip, the search reaches past the lip to
            # edges behind the plate). Other loose fits give way: a lifter's outline.
            worse = again is not None and again.score < 0.8 * rim.score
            if again is not None and not (worse and _lip_edge(frame, rim) is not None):
                rim = again
        if rim is not None and rim.score >= 0.3 and (best is None or rim.score > best.score):
            best = rim
        if best is not None and best.score >= 0.6:
            break  # a round rim: the usual case, one guess
    if best is None:
        return None
    if best.score >= 0.6:
        best = _outer(frame, best)
    lip = _lip_edge(frame, best)
    if lip is not None and (best.score >= 0.6 or lip.score > best.score):
        # the plate's outer edge gives its scale; the rim inside it is followed. A rim
        # that fits loosely (part groove, part lip) is searched again from the lip's centre
        if best.score < 0.6:
            again = _colour_rim(frame, lip.x, lip.y, best.r)
            if again is not None and again.score > best.score and again.r < lip.r:
                best = again
                lip = _lip_edge(frame, best) or lip
        return Rim(lip.x, lip.y, lip.r, lip.score, inner=best.r)
    return best


def _outer(frame: NDArray[np.uint8], rim: Rim) -> Rim:
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


def _has_hub(frame: NDArray[np.uint8], rim: Rim) -> bool:
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
) -> Rim | None:
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
    return None if rim is None else Rim(rim.x + x0, rim.y + y0, rim.r, rim.score)


def _template(small: Gray, x: float, y: float, r: float) -> tuple[Gray, int]:
    half = max(4, round(1.15 * r))
    y0, x0 = max(0, round(y) - half), max(0, round(x) - half)
    patch = small[y0 : round(y) + half + 1, x0 : round(x) + half + 1]
    return np.ascontiguousarray(patch), half


MOTION_S = 3.0  # how long the first frames are watched for the plate that moves
MOVED_PX = 2.0  # a candidate that moves this far (full-resolution px) moves with the bar


def _moving_plate(cap: cv2.VideoCapture, first: NDArray[np.uint8], fps: float) -> Rim:
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
    small = _small(gray, k)
    plates = _ranked(first, _candidates(small, k))
    if not plates:
        return find_plate(first)  # its one message (no plate found)
    plate = plates[0]
    big = max((p.r for p in plates if p.score >= 0.6), default=0.0)
    rivals = [p for p in plates if p.score >= 0.6 and p.r >= 0.6 * big]
    if len(rivals) < 2:
        return plate
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
