"""Measuring a plate's rim along rays from its centre (issue 22): the circle through each
ray's edge, for :mod:`replog.io.video_plate` (finding the plate) and
:mod:`replog.io.video` (its apparent size per frame).

On a grey frame (:func:`_rim`): edge points found along 64 rays from a centre and a robust
circle fitted to them.

**Apparent size**, per frame: the rim searched on the distance from the plate's colour
(a red plate before brown clothes differs in hue more than in brightness, and the video's
brightness shows a dark lip inside the rim more strongly than the rim) along 64 rays: each
ray's outermost edge that steps up from the plate's colour, located where the profile
crosses half its step (a gradient peak is pulled outward by the lip), and a robust circle
(Kasa 1976, rays off by 2.5 robust deviations dropped: a hand, a rim the colour of what is
behind it) gives the radius (:func:`_radius`). The core smooths it over 2 s.

**An outer lip** (cast iron: a raised lip of the plate's metal, lit lighter than the
recessed face, a groove inside it): lip and background are both far from the face's
colour, so the rim found is the groove. :func:`_lip_edge` looks beyond a rim for the
outermost concentric round edge of the colour gradient with one colour all round inside
it; the plate's scale comes from that edge, and the rim inside it, followed per frame,
is scaled to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from replog.core.signal.types import Array

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


@dataclass(slots=True)
class Rim:
    """A circle fitted to the plate's rim: centre, radius (px), share of rays agreeing."""

    x: float
    y: float
    r: float
    score: float
    inner: float = 0.0  # the rim inside an outer lip it was found beyond (0: none)


_ANG = np.linspace(0.0, 2.0 * math.pi, N_RAYS, endpoint=False)
_COS, _SIN = np.cos(_ANG), np.sin(_ANG)


def _rim(
    gray: NDArray[Any], x: float, y: float, r: float, lo: float = 0.6, hi: float = 1.4
) -> Rim | None:
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
) -> Rim | None:  # fmt: skip
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
    return Rim(fit[0], fit[1], fit[2], float(np.count_nonzero(tight)) / N_RAYS)


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
) -> Rim | None:
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


# a raised outer lip (cast iron): the rim found in the distance from the face's colour
# may be a groove or a lip's inner edge; the plate's scale must come from its outer edge.
LIP_BAND = (1.04, 1.3)  # where an outer edge may lie, in radii of the rim found
LIP_SUPPORT = 0.5  # the share of rays with an edge within 1 px of one radius


def _lip_edge(frame: NDArray[np.uint8], rim: Rim) -> Rim | None:
    """The outermost round edge concentric with ``rim`` within ``LIP_BAND`` of its radius,
    when the band between them is one colour all round (a lip of the plate's metal, lit
    lighter or darker than its face: what lies behind a plate differs from ray to ray).
    Edges are peaks of the colour gradient (all channels) along 64 rays; each radius is
    voted for by the rays with a peak within 1 px; the outermost radius with
    ``LIP_SUPPORT`` of the rays, refined by a robust circle through those rays' peaks.
    None when there is none (the rim found is the plate's outer edge)."""
    if frame.ndim != 3:
        return None
    # twice: the rim's centre may be off by a few px when it fitted loosely (part groove,
    # part lip); a wide tolerance first, then a tight one from the first fit's centre
    out = Rim(rim.x, rim.y, rim.r, 0.0)
    for tol in (max(2.0, 0.05 * rim.r), max(1.5, 0.03 * rim.r), max(1.0, 0.02 * rim.r)):
        again = _lip_once(frame, out.x, out.y, rim.r, tol)
        if again is None:
            break
        out = again
    if out.score < 0.5 or math.hypot(out.x - rim.x, out.y - rim.y) > 0.1 * rim.r:
        return None
    return out


def _lip_once(frame: NDArray[np.uint8], x: float, y: float, r: float, tol: float) -> Rim | None:
    """One pass of :func:`_lip_edge` from ``(x, y)``, the rim's radius ``r``, edges voted
    for within ``tol`` px."""
    rim = Rim(x, y, r, 0.0)
    step = max(0.4, r / 150.0)
    radii = np.arange(0.98 * r, LIP_BAND[1] * r + 3.0, step, dtype=np.float64)
    img = np.ascontiguousarray(frame, dtype=np.float32)
    prof = _ray_profiles(img, rim.x, rim.y, radii, 0.0)  # (rays, samples, 3)
    sm = np.stack([_smooth_rows(prof[..., c], 0.8 / step) for c in range(3)], axis=-1)
    g = np.abs(np.diff(sm, axis=1)).sum(axis=2).astype(np.float64)
    peak = np.zeros_like(g, dtype=bool)
    peak[:, 1:-1] = (g[:, 1:-1] >= g[:, :-2]) & (g[:, 1:-1] > g[:, 2:])
    mids = radii[:-1] + 0.5 * step
    inband = (mids >= LIP_BAND[0] * r) & (mids <= LIP_BAND[1] * r)
    # an edge: a peak of at least a third of the ray's strongest in the band (texture and
    # noise behind the plate give many weak peaks, which vote for every radius)
    top = g[:, inband].max(axis=1, keepdims=True) if inband.any() else g.max(1, keepdims=True)
    peak &= (g >= max(2.0, 0.5 * TOP_MIN * step / 0.4)) & (g >= 0.35 * top)
    peak &= inband[None, :]
    if not peak.any():
        return None
    # votes per candidate radius: rays with a peak within tol of it
    cand = mids[(mids >= LIP_BAND[0] * r) & (mids <= LIP_BAND[1] * r)]
    near = np.abs(mids[None, :] - cand[:, None]) <= tol  # (cand, samples)
    votes = (peak[:, None, :] & near[None, :, :]).any(axis=2).sum(axis=0)
    local = np.ones(len(votes), dtype=bool)  # the vote's own peaks: an edge's centre
    local[1:-1] = (votes[1:-1] >= votes[:-2]) & (votes[1:-1] >= votes[2:])
    good = np.nonzero((votes >= LIP_SUPPORT * N_RAYS) & local)[0]
    if len(good) == 0:
        return None
    big = float(cand[good[-1]])
    rows_ok: NDArray[np.bool_] = np.asarray(
        (peak & (np.abs(mids - big) <= tol)[None, :]).any(axis=1)
    )
    # each supporting ray's peak nearest the chosen radius
    score = np.where(peak, -np.abs(mids - big)[None, :], -np.inf)
    k = np.clip(np.argmax(score, axis=1), 1, g.shape[1] - 2)
    # the band just inside each ray's edge (the lip): one colour all round
    ri = np.arange(N_RAYS)
    lo, hi = -max(2.0, 0.05 * r) / step, -0.7 / step
    cols = np.stack([np.median(_window(prof[..., c], ri, k, lo, hi), axis=1) for c in range(3)], 1)
    dev = np.abs(cols - np.median(cols[rows_ok], axis=0)).sum(axis=1)
    same = rows_ok & (dev <= 30.0)
    if np.count_nonzero(same) < max(0.4 * N_RAYS, 0.6 * np.count_nonzero(rows_ok)):
        return None
    rows_ok = same  # a ray whose band is not the lip's colour: an arm, a hand-grip hole
    # located where the distance from the band's colour crosses half its step (a gradient
    # peak is pulled outward by the dark line a lip's rounded edge shows)
    d = np.abs(prof - np.median(cols[rows_ok], axis=0)).sum(axis=2).astype(np.float64)
    near_r = _peak_radius(g, k, radii, step)
    after = np.median(_window(d, ri, k, 1.0 / step, 3.0 / step), axis=1)
    edge = _half_crossing(d, radii, step, r, near_r, after)
    out = _circle_on_edges(g, k, rows_ok, rim.x, rim.y, radii, step, N_RAYS // 3, 0.2,
                           (LIP_BAND[0] * r, LIP_BAND[1] * r + 3.0), edge)  # fmt: skip
    return None if out is None or out.score < 0.3 else out
