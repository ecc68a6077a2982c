"""Charts as hand-written SVG, rendered on the server: no script, no network, no library.

Each function takes plain numbers and returns markup (escaped where it carries text) that
scales to its container (``viewBox`` plus ``width: 100%`` in the stylesheet). Values that
are not finite numbers (None, NaN, infinities) are left out, never drawn at a made-up
place; a chart with nothing to draw is empty markup. Every mark lies inside the viewBox:
values outside a chart's range are clamped to its edge.

The default size (360 wide) is a phone's width, so that 13-unit text reads as ~12 px on a
360 px screen; the stylesheets cap charts' width on a desktop.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeGuard

from markupsafe import Markup, escape


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def finite(x: float | None) -> TypeGuard[float]:
    return x is not None and not isinstance(x, bool) and math.isfinite(x)


def sparkline(
    values: Sequence[float | None], *, label: str, width: int = 300, height: int = 60,
    lo: float = 0, hi: float = 100,
) -> Markup:  # fmt: skip
    """A small line of ``values`` (oldest first, evenly spaced) between ``lo`` and ``hi``,
    the last value marked. A missing value (None, NaN) is a gap: no point there, the line
    broken; a value with no neighbour is a dot. Nothing to draw: empty markup."""
    shown = [i for i, v in enumerate(values) if finite(v)]
    if not shown:
        return Markup("")
    pad = 4
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    span = (hi - lo) or 1

    def xy(i: int) -> tuple[str, str]:
        v = values[i]
        assert v is not None
        y = height - pad - (min(max(v, lo), hi) - lo) / span * (height - 2 * pad)
        return _fmt(pad + i * step), _fmt(y)

    runs: list[list[int]] = []
    for i in shown:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = [
        f'<svg class="chart spark" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
    ]
    for run in runs:
        if len(run) > 1:
            points = " ".join(",".join(xy(i)) for i in run)
            parts.append(f'<polyline points="{points}" fill="none" class="line"/>')
        elif run[0] != shown[-1]:
            x, y = xy(run[0])
            parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" class="dot lone"/>')
    x, y = xy(shown[-1])
    parts.append(f'<circle cx="{x}" cy="{y}" r="4" class="dot"/></svg>')
    return Markup("".join(parts))


# -- shared geometry ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scale:
    """A linear map from the domain [d0, d1] onto [r0, r1], clamped to the range."""

    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, v: float) -> float:
        span = self.d1 - self.d0
        t = (v - self.d0) / span if span else 0.5
        return self.r0 + min(max(t, 0.0), 1.0) * (self.r1 - self.r0)


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round values (1, 2, 2.5 or 5 times a power of ten apart) covering [lo, hi]."""
    if not (finite(lo) and finite(hi)) or hi <= lo:
        return [lo] if finite(lo) else []
    raw = (hi - lo) / max(count, 1)
    if raw < 1e-300:  # a span of subnormal width (hypothesis found 0..5e-324): no ticks
        return [lo]
    mag = 10 ** math.floor(math.log10(raw))
    steps = [m * mag for m in (1, 2, 2.5, 5, 10)]
    chosen = next(i for i, step in enumerate(steps) if step >= raw * (1 - 1e-9))
    out: list[float] = []
    for step in reversed(steps[: chosen + 1]):  # finer steps until one lands in the range;
        first = math.ceil(lo / step - 1e-9) * step  # ``mag`` <= hi - lo always does
        out, k = [], 0
        while (v := first + k * step) <= hi + step * 1e-9:
            out.append(round(v, 10))
            k += 1
        if out:
            break
    return out


def _num(v: float, digits: int = 2) -> str:
    text = f"{v:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _padded(lo: float, hi: float, frac: float = 0.08) -> tuple[float, float]:
    if hi <= lo:
        pad = abs(lo) * 0.1 or 1.0
        return lo - pad, hi + pad
    pad = (hi - lo) * frac
    return lo - pad, hi + pad


def _open(cls: str, width: int, height: int, label: str) -> str:
    text = escape(label)
    return (
        f'<svg class="chart {cls}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{text}" preserveAspectRatio="xMidYMid meet"><title>{text}</title>'
    )


def _text(x: float, y: float, text: str, cls: str = "", anchor: str = "middle") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}"{c}>{escape(text)}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, cls: str) -> str:
    return f'<line x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" y2="{_fmt(y2)}" class="{cls}"/>'


def _y_axis(ys: Scale, ticks: Sequence[float], left: float, right: float, digits: int) -> str:
    parts = []
    for t in ticks:
        y = ys(t)
        parts.append(_line(left, y, right, y, "grid"))
        parts.append(_text(left - 4, y + 4, _num(t, digits), "tick", "end"))
    return "".join(parts)


# -- bars: mean velocity per set across a session ------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # under the bar, e.g. the set's number
    value: float | None
    kind: str = ""  # "ref" | "drop" | "" (a CSS class)
    title: str = ""  # the tooltip and screen-reader text of the bar


def bar_chart(
    bars: Sequence[Bar], *, label: str, line: float | None = None, line_label: str = "",
    unit: str = "m/s", width: int = 360, height: int = 220,
) -> Markup:  # fmt: skip
    """One bar per value from 0, value written on top; ``line`` is a dashed horizontal
    threshold (e.g. 10 % under the reference set), labelled ``line_label``."""
    shown = [b for b in bars if finite(b.value)]
    values = [b.value for b in shown if b.value is not None]
    if not shown:
        return Markup("")
    left, right, top, bottom = 38, 8, 30, 26
    peak = max(values + ([line] if finite(line) else []))
    ticks = nice_ticks(0, peak * 1.12 or 1, 4)
    ys = Scale(0, max(ticks[-1], peak * 1.12) or 1, height - bottom, top)
    slot = (width - left - right) / len(shown)
    bar_w = min(slot * 0.7, 48)
    parts = [_open("bars", width, height, label), _y_axis(ys, ticks, left, width - right, 2)]
    parts.append(_text(4, 12, unit, "unit", "start"))
    for i, (b, value) in enumerate(zip(shown, values, strict=True)):
        cx = left + slot * (i + 0.5)
        y = ys(value)
        h = max(ys(0) - y, 0.0)
        cls = f"bar mark {b.kind}".strip()
        tip = escape(b.title or f"{b.label}: {value:.2f} {unit}")
        parts.append(
            f'<rect x="{_fmt(cx - bar_w / 2)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" '
            f'height="{_fmt(h)}" rx="3" class="{cls}"><title>{tip}</title></rect>'
        )
        if slot >= 30:  # room for the value over the bar
            parts.append(_text(cx, max(y - 5, top - 2), f"{value:.2f}", "value"))
        parts.append(_text(cx, height - 8, b.label, "tick"))
    parts.append(_line(left, ys(0), width - right, ys(0), "axis"))
    if finite(line):
        y = ys(line)
        parts.append(_line(left, y, width - right, y, "threshold"))
        if line_label:  # a legend above the plot, clear of the bars' values
            x = width - right
            parts.append(_line(x - 18, 8, x, 8, "threshold"))
            parts.append(_text(x - 22, 12, line_label, "threshold-label", "end"))
    parts.append("</svg>")
    return Markup("".join(parts))


# -- a series over time: e1RM, the battery --------------------------------------------------


def time_chart(
    series: Sequence[tuple[date, float | None]], *, label: str, lo: float | None = None,
    hi: float | None = None, unit: str = "", digits: int = 0, width: int = 360,
    height: int = 200, dots: bool = True, span: tuple[date, date] | None = None,
) -> Markup:  # fmt: skip
    """A line through the dated values (oldest first; gaps where a value is missing), a
    dot on each, dates on the x axis. ``lo``/``hi`` fix the y range (else the data's);
    ``span`` (first, last day) fixes the x axis (else the values' first and last days)."""
    pts = sorted((d, v) for d, v in series if finite(v))
    if not pts:
        return Markup("")
    values = [v for _, v in pts if v is not None]
    y_lo, y_hi = _padded(min(values), max(values))
    y_lo, y_hi = (lo if lo is not None else y_lo), (hi if hi is not None else y_hi)
    left, right, top, bottom = 38, 10, 28 if unit else 12, 24
    first, last = span if span is not None else (pts[0][0], pts[-1][0])
    xs = Scale(0, (last - first).days, left + 4, width - right - 4)
    ticks = nice_ticks(y_lo, y_hi, 4)
    ys = Scale(y_lo, y_hi, height - bottom, top)
    parts = [_open("series", width, height, label), _y_axis(ys, ticks, left, width - right, digits)]
    if unit:
        parts.append(_text(4, 12, unit, "unit", "start"))
    segments: list[list[date]] = [[]]
    by_day = dict(pts)
    for d, v in sorted(series, key=lambda p: p[0]):
        if not finite(v):
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append(d)
    alone = {seg[0] for seg in segments if len(seg) == 1}  # no line through it: a dot
    for seg in segments:
        if len(seg) > 1:
            line = " ".join(f"{_fmt(xs((d - first).days))},{_fmt(ys(by_day[d] or 0))}" for d in seg)
            parts.append(f'<polyline points="{line}" fill="none" class="line"/>')
    for d, v in pts:
        if dots or d in alone:
            parts.append(
                f'<circle cx="{_fmt(xs((d - first).days))}" cy="{_fmt(ys(v))}" r="3.5" '
                f'class="dot mark"><title>{escape(f"{d.isoformat()}: {_num(v, 1)} {unit}")}'
                "</title></circle>"
            )
    parts.append(_line(left, height - bottom, width - right, height - bottom, "axis"))
    n_days = (last - first).days
    marks: list[tuple[date, float, str]] = [(first, left, "start")]
    if n_days >= 20:
        mid = first + (last - first) / 2
        marks.append((mid, xs((mid - first).days), "middle"))
    if n_days:
        marks.append((last, width - right, "end"))
    for d, x, anchor in marks:
        parts.append(_text(x, height - 6, f"{d.day} {d:%b}", "tick", anchor))
    parts.append("</svg>")
    return Markup("".join(parts))


# -- the load-velocity profile ---------------------------------------------------------------


def profile_chart(
    points: Sequence[tuple[float, float]], *, label: str, fit: tuple[float, float] | None = None,
    band: Sequence[tuple[float, float, float]] = (), mvt: float | None = None,
    e1rm: float | None = None, interval: tuple[float, float] | None = None, unit: str = "kg",
    width: int = 360, height: int = 250, e1rm_label: str = "e1RM",
) -> Markup:  # fmt: skip
    """Velocity against load: the points, the fitted line ``fit = (intercept, slope)``, its
    confidence band ``band = [(load, low, high), ...]`` (shaded), the minimum velocity
    threshold (dashed), and the load ``e1rm`` where the line meets it, its interval shaded,
    labelled ``e1rm_label`` ("at MVT" when that load is not the lift's e1RM)."""
    pts = [(x, v) for x, v in points if finite(x) and finite(v)]
    loads = [x for x, _ in pts] + [x for x in (e1rm, *(interval or ())) if finite(x)]
    if not loads:
        return Markup("")
    vels = [v for _, v in pts] + ([mvt] if finite(mvt) else [])
    x_lo, x_hi = _padded(min(loads), max(loads), 0.06)
    x_lo = max(x_lo, 0.0)
    y_hi = max(vels, default=1.0) * 1.12 or 1.0
    left, right, top, bottom = 40, 12, 20, 38
    ticks_x, ticks_y = nice_ticks(x_lo, x_hi, 4), nice_ticks(0, y_hi, 4)
    xs = Scale(x_lo, x_hi, left, width - right)
    ys = Scale(0, max(y_hi, ticks_y[-1]), height - bottom, top)
    parts = [_open("profile", width, height, label), _y_axis(ys, ticks_y, left, width - right, 2)]
    parts.append(_text(4, 12, "m/s", "unit", "start"))
    for t in ticks_x:
        parts.append(_text(xs(t), height - 20, _num(t, 1), "tick"))
    parts.append(_text(width - right, height - 4, f"load, {unit}", "unit", "end"))
    if interval is not None and finite(interval[0]) and finite(interval[1]):
        a, b = xs(min(interval)), xs(max(interval))
        parts.append(
            f'<rect x="{_fmt(a)}" y="{top}" width="{_fmt(max(b - a, 1.0))}" '
            f'height="{height - top - bottom}" class="e1rm-band"/>'
        )
    good = [(x, lo, hi) for x, lo, hi in band if finite(x) and finite(lo) and finite(hi)]
    if len(good) > 1:
        upper = [f"{_fmt(xs(x))},{_fmt(ys(hi))}" for x, _, hi in good]
        lower = [f"{_fmt(xs(x))},{_fmt(ys(lo))}" for x, lo, _ in reversed(good)]
        parts.append(f'<polygon points="{" ".join(upper + lower)}" class="band"/>')
    if fit is not None and finite(fit[0]) and finite(fit[1]):
        a0, b0 = fit
        parts.append(_line(xs(x_lo), ys(a0 + b0 * x_lo), xs(x_hi), ys(a0 + b0 * x_hi), "fit"))
    if finite(mvt):
        parts.append(_line(left, ys(mvt), width - right, ys(mvt), "threshold"))
        parts.append(_text(left + 4, ys(mvt) - 5, f"MVT {mvt:.2f}", "threshold-label", "start"))
    for x, v in pts:
        parts.append(
            f'<circle cx="{_fmt(xs(x))}" cy="{_fmt(ys(v))}" r="3.5" class="dot mark">'
            f"<title>{escape(f'{_num(x, 1)} {unit}: {_num(v)} m/s')}</title></circle>"
        )
    if finite(e1rm) and finite(mvt):
        cx, cy = xs(e1rm), ys(mvt)
        parts.append(f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="6" class="e1rm"/>')
        anchor = "end" if cx > width * 0.6 else "start"
        dx = -8 if anchor == "end" else 8
        text = f"{e1rm_label} {_num(e1rm, 1)}"
        parts.append(_text(cx + dx, cy + 18, text, "e1rm-label", anchor))
    parts.append(_line(left, height - bottom, width - right, height - bottom, "axis"))
    parts.append("</svg>")
    return Markup("".join(parts))


# -- effect sizes with their intervals ("does this help me?") --------------------------------


@dataclass(frozen=True, slots=True)
class EffectRow:
    label: str
    g: float | None  # Hedges' g
    low: float | None  # its 95 % CI
    high: float | None
    verdict: str = ""  # a CSS class: helps | hurts | "no clear effect" | "not enough data"


def effect_chart(
    rows: Sequence[EffectRow], *, label: str, swc: float = 0.2, width: int = 360,
    row_height: int = 46,
) -> Markup:  # fmt: skip
    """A forest plot: each row's effect size as a dot with its interval as a whisker, the
    zero line, and the smallest worthwhile change either side shaded; a row without an
    estimate says so in words."""
    if not rows:
        return Markup("")
    spans = [abs(v) for r in rows for v in (r.g, r.low, r.high) if finite(v)]
    reach = min(max([1.0, swc * 2, *spans]), 3.0)
    left, right, top = 12, 12, 8
    height = top + row_height * len(rows) + 26
    xs = Scale(-reach, reach, left, width - right)
    bottom = height - 26
    parts = [_open("effects", width, height, label)]
    for i in range(len(rows)):  # the band and the zero line under each row's label, not across it
        band_top, band_bottom = top + i * row_height + 21, top + (i + 1) * row_height
        parts.append(
            f'<rect x="{_fmt(xs(-swc))}" y="{band_top}" width="{_fmt(xs(swc) - xs(-swc))}" '
            f'height="{band_bottom - band_top}" class="swc"/>'
        )
        parts.append(_line(xs(0), band_top, xs(0), min(band_bottom, bottom), "zero"))
    for i, r in enumerate(rows):
        y0 = top + i * row_height
        parts.append(_text(left, y0 + 16, r.label, "row-label", "start"))
        y = y0 + 32
        cls = "mark " + "-".join(r.verdict.split())
        if finite(r.g) and finite(r.low) and finite(r.high):
            parts.append(_line(xs(r.low), y, xs(r.high), y, f"whisker {cls}"))
            for end in (r.low, r.high):
                parts.append(_line(xs(end), y - 5, xs(end), y + 5, f"whisker {cls}"))
            tip = escape(f"{r.label}: g {_num(r.g)} [{_num(r.low)}, {_num(r.high)}]")
            parts.append(
                f'<circle cx="{_fmt(xs(r.g))}" cy="{y}" r="5.5" class="dot {cls}">'
                f"<title>{tip}</title></circle>"
            )
        else:
            parts.append(_text(left, y + 4, "not enough data", "row-none", "start"))
    for t, text in ((-reach, "slower"), (0.0, "0"), (reach, "faster")):
        anchor = "start" if t < 0 else ("end" if t > 0 else "middle")
        parts.append(_text(xs(t), height - 8, text, "tick", anchor))
    parts.append("</svg>")
    return Markup("".join(parts))
