"""A plate tracked in a side-view video to the bar's vertical displacement, then to reps
(issue 22). The pure half of ``replog video``: the image work (finding and following the
plate) lives in :mod:`replog.io.video`; this module needs only the track.

Theory
------
Pinhole camera, principal point at the image centre ``(cx, cy)``. A plate of known diameter
``D`` (m) seen at depth ``Z`` with focal length ``f`` (px) spans ``d = f D / Z`` pixels, and
a point at image offset ``u - cx`` lies ``(u - cx) Z / f`` metres from the optical axis. So
the metric position of the plate's centre is its pixel offset times ``D / d``:

    X = (u - cx) * D / d(t),      Y = -(v - cy) * D / d(t)        (up positive)

Reading the scale ``D / d(t)`` frame by frame corrects the drift of the bar toward or away
from the camera (its apparent size changes) *and* the parallax that drift causes (a plate
above the image centre moving closer rises on screen without rising in the room). A fixed
scale from the first frame would turn a 5 % drift into a 5 % error in ROM and MCV.

The apparent diameter of one frame is noisy (edge noise, motion blur, a hand over the
rim), while the true depth changes slowly, so ``d(t)`` is smoothed by a robust local
linear fit over ``scale_window_s`` (2 s): outliers beyond 4 robust deviations are dropped,
frames are weighted by their detection score.

Camera tilt (roll of the phone about its optical axis) rotates the image. It is estimated
from the bar path: the dominant direction of the plate's motion, as the axial mean of the
doubled angles of its 0.1 s steps weighted by squared step length (Mardia & Jupp 2000,
*Directional Statistics*, axial data; 0.1 s steps rather than frame steps, so tracking
jitter does not count). It is estimated twice: over the whole video, to find the reps,
then over the reps alone (each from the start of its descent to its lockout), because a
walk-out or an un-rack moves the bar sideways and up at once, which skews the first
estimate by several degrees; a rep goes up and down. The image offsets are rotated by
minus that angle before scaling. The method assumes the bar path of a rep is close to
vertical (squat, deadlift, press: a few cm of forward drift); a bench press's J-curve
tilts the estimate by a few degrees, which changes vertical ROM by under 1 % (cos 8 deg =
0.99). Corrections beyond ``max_tilt_deg`` (20 deg) are refused as implausible for a phone
on a tripod: the video is then read as level and flagged. (A plate's outline cannot
measure roll: a circle has no orientation. Its ellipse would measure the camera's yaw,
which foreshortens horizontal motion only.)

The displacement is then exactly a position transducer's stream (DESIGN.md 2.1
``t,displacement``), so the reps come from :func:`replog.core.signal.lpt.reps_from_lpt`:
one segmenter, one set of gates, one definition of MCV, MPV, peak velocity and ROM. A rep's
confidence is the segmenter's times the share of its frames where the plate was seen
clearly (``score``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from replog.core.errors import ValidationError
from replog.core.signal.lifts import lift_prior
from replog.core.signal.lpt import LPT_CONFIG, reps_from_lpt
from replog.core.signal.types import Array, DetectedRep, LptStream

__all__ = [
    "PlateTrack",
    "VideoReps",
    "metric_height",
    "reps_from_track",
    "smooth_diameter",
    "tilt_from_path",
]

MAX_TILT_DEG = 20.0


@dataclass(frozen=True, slots=True, eq=False)
class PlateTrack:
    """The plate's centre ``(x, y)`` and apparent diameter (px) per frame at times ``t`` (s),
    in a ``width`` x ``height`` image (x right, y down); ``score`` (0-1) says how clearly
    the plate was seen in each frame (0: lost, position predicted)."""

    t: Array
    x: Array
    y: Array
    diameter: Array
    score: Array
    width: int
    height: int

    def __post_init__(self) -> None:
        n = len(self.t)
        if any(len(a) != n for a in (self.x, self.y, self.diameter, self.score)):
            raise ValidationError("plate track: arrays differ in length", field="track")
        if n < 3 or np.any(np.diff(self.t) <= 0):
            raise ValidationError("plate track: needs 3+ frames in time order", field="track")
        if not (np.all(np.isfinite(self.x)) and np.all(np.isfinite(self.y))):
            raise ValidationError("plate track: missing positions", field="track")
        if not np.all(np.isfinite(self.diameter) & (self.diameter > 0)):
            raise ValidationError("plate track: diameters must be positive", field="track")


@dataclass(frozen=True, slots=True, eq=False)
class VideoReps:
    """The reps of a track, the displacement they were found in, the tilt correction
    applied (deg, positive: the image was rotated counter-clockwise), the smoothed
    metres-per-pixel scale per frame, and notes on what was assumed or refused."""

    reps: list[DetectedRep]
    displacement: LptStream
    tilt_deg: float
    scale_m_per_px: Array
    notes: list[str] = field(default_factory=list)


def smooth_diameter(t: Array, d: Array, score: Array, *, window_s: float = 2.0) -> Array:
    """The apparent diameter with frame noise removed: a robust, score-weighted local linear
    fit over ``window_s`` at each frame (depth changes slowly; see the module docstring)."""
    t = np.asarray(t, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64)
    w = np.clip(np.asarray(score, dtype=np.float64), 0.0, 1.0)
    med = float(np.median(d[w > 0])) if np.any(w > 0) else float(np.median(d))
    dev = np.abs(d - med)
    mad = float(np.median(dev)) * 1.4826 + 1e-3 * med
    w = np.where(dev > 6.0 * mad + 0.05 * med, 0.0, w)  # gross misfits, e.g. the hub
    if not np.any(w > 0):
        return np.full_like(d, med)
    # evaluate on a coarse grid (depth is slow), fit locally, interpolate back
    step = max(window_s / 8.0, float(np.median(np.diff(t))))
    grid = np.arange(t[0], t[-1] + step, step)
    out = np.empty(len(grid))
    half = window_s / 2.0
    lo = np.searchsorted(t, grid - half)
    hi = np.searchsorted(t, grid + half)
    for k, g in enumerate(grid):
        ts, ds, ws = t[lo[k] : hi[k]] - g, d[lo[k] : hi[k]], w[lo[k] : hi[k]]
        out[k] = _robust_line(ts, ds, ws, med)
    return np.asarray(np.interp(t, grid, out), dtype=np.float64)


def _robust_line(ts: Array, ds: Array, ws: Array, fallback: float) -> float:
    """The value at 0 of a weighted line through ``(ts, ds)``, refitted once without the
    points beyond 4 robust deviations."""
    for _ in range(2):
        if np.count_nonzero(ws > 0) < 3:
            return float(np.average(ds, weights=ws)) if np.sum(ws) > 0 else fallback
        a = np.vstack([np.ones_like(ts), ts]).T * np.sqrt(ws)[:, None]
        coef = np.linalg.lstsq(a, ds * np.sqrt(ws), rcond=None)[0]
        res = ds - (coef[0] + coef[1] * ts)
        spread = 1.4826 * float(np.median(np.abs(res[ws > 0]))) + 1e-6
        ws = np.where(np.abs(res) > 4.0 * spread, 0.0, ws)
    return float(coef[0])


def tilt_from_path(
    x: Array, y: Array, score: Array | None = None, *, mask: Array | None = None, lag: int = 1
) -> float:
    """The camera's roll (deg) from the bar path: the angle between the image's vertical
    and the dominant direction of the plate's motion (axial mean of doubled step angles,
    weighted by squared step length), over steps of ``lag`` frames (longer steps drown the
    frame-to-frame jitter) whose both ends are in ``mask`` (the reps: see
    :func:`reps_from_track`). Positive: the path leans clockwise on screen, i.e. its top is
    to the right of its bottom."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    lag = max(1, min(int(lag), len(x) - 1))
    dx, dy = x[lag:] - x[:-lag], y[lag:] - y[:-lag]
    w = dx * dx + dy * dy
    if score is not None:
        s = np.asarray(score, float)
        w = w * np.minimum(s[lag:], s[:-lag])
    if mask is not None:
        m = np.asarray(mask, bool)
        w = w * (m[lag:] & m[:-lag])
    if not np.any(w > 0):
        return 0.0
    # angle of each step from the image's up direction (-y), doubled for axial data
    ang = np.arctan2(dx, -dy)
    c, s2 = float(np.sum(w * np.cos(2 * ang))), float(np.sum(w * np.sin(2 * ang)))
    return math.degrees(0.5 * math.atan2(s2, c))


def metric_height(
    x: Array, y: Array, diameter_px: Array, *, plate_diameter_m: float, width: int,
    height: int, tilt_deg: float = 0.0,
) -> tuple[Array, Array]:  # fmt: skip
    """Horizontal and vertical position (m, up positive) of the plate's centre from its
    image position and (smoothed) apparent diameter, the image rotated by ``-tilt_deg``
    about its centre (the pinhole relation of the module docstring)."""
    u = np.asarray(x, float) - (width - 1) / 2.0
    v = np.asarray(y, float) - (height - 1) / 2.0
    a = math.radians(tilt_deg)
    # the path leans clockwise by a: rotate counter-clockwise (screen) to stand it up
    ur = u * math.cos(a) - (-v) * math.sin(a)
    upr = u * math.sin(a) + (-v) * math.cos(a)
    scale = plate_diameter_m / np.asarray(diameter_px, float)
    return ur * scale, upr * scale


def reps_from_track(
    track: PlateTrack, *, plate_diameter_m: float = 0.45, exercise: str | None = None,
    correct_tilt: bool = True, correct_depth: bool = True,
) -> VideoReps:  # fmt: skip
    """Reps of a tracked plate: scale by the plate, correct tilt and drift in depth, then
    the position-transducer pipeline (see the module docstring)."""
    if not 0.05 <= plate_diameter_m <= 0.6:
        raise ValidationError("plate diameter must be 0.05-0.60 m", field="plate_diameter")
    prior = lift_prior(exercise)
    notes: list[str] = []
    d = smooth_diameter(track.t, track.diameter, track.score)
    if not correct_depth:
        d = np.full_like(d, float(np.median(d)))
    config = replace(LPT_CONFIG, min_rom=max(LPT_CONFIG.min_rom, prior.min_rom))
    lag = max(1, round(0.1 / float(np.median(np.diff(track.t)))))
    tilt = tilt_from_path(track.x, track.y, track.score, lag=lag) if correct_tilt else 0.0
    if abs(tilt) > MAX_TILT_DEG:
        tilt = 0.0
    stream = _stream(track, d, plate_diameter_m, tilt)
    found = reps_from_lpt(stream, config=config)
    if correct_tilt and found:
        # again from the reps alone: a walk-out or an un-rack moves the bar sideways and up
        # at once, which the whole path's direction mixes in; a rep goes up and down
        inside = np.zeros(len(track.t), dtype=bool)
        for r in found:
            inside |= (track.t >= r.start - (r.eccentric_s or 0.0)) & (track.t <= r.end)
        tilt = tilt_from_path(track.x, track.y, track.score, mask=inside, lag=lag)
        if abs(tilt) > MAX_TILT_DEG:
            notes.append(f"the bar path leans {tilt:.0f} deg: read as level (is the camera level?)")
            tilt = 0.0
        stream = _stream(track, d, plate_diameter_m, tilt)
        found = reps_from_lpt(stream, config=config)
    reps = [_with_track_quality(r, track, prior.rom_range) for r in found]
    return VideoReps(reps, stream, tilt, plate_diameter_m / d, notes)


def _stream(track: PlateTrack, d: Array, plate_diameter_m: float, tilt: float) -> LptStream:
    _, up = metric_height(track.x, track.y, d, plate_diameter_m=plate_diameter_m,
                          width=track.width, height=track.height, tilt_deg=tilt)  # fmt: skip
    return LptStream(np.asarray(track.t, float), up)


def _with_track_quality(
    rep: DetectedRep, track: PlateTrack, rom_range: tuple[float, float]
) -> DetectedRep:
    """The rep with its confidence scaled by how clearly the plate was seen over it, and
    ``rom_implausible`` when its range is outside the lift's."""
    ecc = rep.eccentric_s or 0.0
    inside = (track.t >= rep.start - ecc) & (track.t <= rep.end)
    seen = float(np.mean(track.score[inside])) if np.any(inside) else 0.0
    quality = rep.quality
    if not rom_range[0] <= rep.rom <= rom_range[1] and "rom_implausible" not in quality:
        quality = (*quality, "rom_implausible")
    if seen < 0.5 and "plate_lost" not in quality:
        quality = (*quality, "plate_lost")
    return replace(rep, confidence=round(rep.confidence * min(1.0, seen), 3), quality=quality)
