"""A side-view phone video to a plate track and reps (issue 22): the OpenCV half of
``replog video``; the maths from track to reps is :mod:`replog.core.signal.video`.

Pipeline
--------
1. **Checks** before any work: the file opens and decodes, its frame rate is at least
   :data:`MIN_FPS`, it is at most :data:`MAX_SECONDS` long and :data:`MAX_BYTES` big, and
   the first frames are not too dark (median luma >= 30 of 255 with some contrast). Each
   failure is one :class:`~replog.core.errors.ValidationError` line naming what is wrong.
2. **Finding the plate** in the first frame: :mod:`replog.io.video_plate`.
3. **Tracking**, per frame: the position is predicted from the last frames; a template
   of the plate from the first frame is matched on a 480-wide grey copy in a window
   around the prediction (normalised correlation), then again at up to 960 wide (half size
   for 1080p, full size below) with a template two radii square, rescaled with the plate's
   apparent size, the correlation peak located to a fraction of a pixel by parabolas
   (:class:`_Fine`). The template holds the hub, the lip and the print as well as the
   rim, which pins the centre far better than the rim alone; a constant offset of the
   template from the plate's true centre cancels in displacements.
4. **Apparent size**, per frame: the rim in the distance from the plate's colour
   (:mod:`replog.io.video_rim`). A frame's ``score`` is the correlation peak (halved
   when the rim is not found); a frame where the match fails keeps the prediction with
   score 0.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from replog.core.errors import ValidationError
from replog.core.signal.video import PlateTrack, VideoReps, reps_from_track
from replog.io.video_plate import (
    WORK_WIDTH,
    Gray,
    _frames,
    _gray,
    _match,
    _moving_plate,
    _template,
    find_plate,
)
from replog.io.video_rim import Rim, _colour_radius, _plate_colour

__all__ = [
    "MAX_BYTES",
    "MAX_SECONDS",
    "MIN_FPS",
    "Preview",
    "VideoRun",
    "find_plate",
    "parse_tap",
    "preview",
    "reps_from_video",
    "track_plate",
]

MIN_FPS = 25.0
MAX_SECONDS = 300.0
MAX_BYTES = 1 << 30  # 1 GiB: five minutes of 4K from a phone is about this
FINE_WIDTH = 960  # the resolution of the fine match (half size for 1080p)
# below this radius (px) a rim's lip, bevel or print within a pixel or two of it is not
# resolved from the rim: depending on its contrast the plate can read a few % small
# (a rendered yellow plate: 4 % at 21 px, 11 % at 17 px; red and black within 1 %)
SMALL_PLATE_PX = 20.0
# the share of the first frame's rays that found the plate's rim: under this, the rim is
# half hidden (a black plate before black clothes, a flat hazy picture) and its size, the
# scale of every velocity, may be several % off (rendered: 0.41-0.55 where it read 5-8 %
# off; 0.80-0.91 on every plain scene of bench_video.py)
PARTIAL_RIM = 0.6
DARK_LUMA = 30.0
MIN_CONTRAST = 6.0


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


def track_plate(
    path: Path, *, tap: tuple[float, float] | None = None, max_frames: int | None = None
) -> tuple[PlateTrack, float, int]:
    """Open, check and track: the plate's track, the frame rate and the frame count."""
    cap, fps, w, h, _n = _open(path)
    plate: Rim | None = None
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
    max_frames: int | None, plate: Rim | None = None,
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
    # a plate with an outer lip (cast iron): the rim inside the lip is followed, which is
    # the plate's colour rim and a fixed share of its size, and scaled to the outer edge
    r_in = plate.inner or plate.r
    r0 = _colour_radius(first, colour, plate.x, plate.y, r_in) or r_in
    scale = plate.r / r0 if plate.inner else 1.0
    xs, ys, ds, ss = [plate.x], [plate.y], [2 * r0 * scale], [plate.score]
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
            ds.append(2 * r_now * scale)
            ss.append(0.0)
            continue
        fx, fy, corr = found
        rr = _colour_radius(frame, colour, fx, fy, r_now)
        xs.append(fx)
        ys.append(fy)
        ok = rr is not None and abs(rr - r_now) < 0.15 * r_now
        ds.append(2 * scale * (rr if rr is not None and ok else r_now))
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

    def __init__(self, gray: Gray, plate: Rim) -> None:
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
        result = _trusted(result, r_px / SMALL_PLATE_PX)
    seen = float(track.score[0])  # the first frame's: the share of the rim's rays
    if seen < PARTIAL_RIM:
        warnings.append(
            f"the plate's edge stood out on only {seen:.0%} of its rim (a dark plate before "
            "dark clothes or a dark background, a hazy picture): its size, hence the scale and "
            "every velocity, may read several % off; film it against a contrasting background"
        )
        result = _trusted(result, seen / PARTIAL_RIM)
    return VideoRun(result, track, fps, track.width, track.height, n, warnings)


def _trusted(result: VideoReps, trust: float) -> VideoReps:
    """``result`` with each rep's confidence scaled by ``trust`` (never below half)."""
    k = max(0.5, min(1.0, trust))
    return replace(result, reps=[replace(r, confidence=round(r.confidence * k, 3))
                                 for r in result.reps])  # fmt: skip
