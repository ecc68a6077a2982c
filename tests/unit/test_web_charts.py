"""The SVG charts are pure functions of numbers: geometry, escaping and awkward inputs."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from replog.web.charts import (
    Bar,
    EffectRow,
    Scale,
    bar_chart,
    effect_chart,
    nice_ticks,
    profile_chart,
    sparkline,
    time_chart,
)

NASTY = '<script>alert("x")</script> & co'


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == "svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    return root


def viewbox(root: ET.Element) -> tuple[float, float]:
    x0, y0, w, h = (float(v) for v in (root.get("viewBox") or "").split())
    assert (x0, y0) == (0, 0)
    return w, h


def coordinates(root: ET.Element) -> list[tuple[float, float]]:
    """Every point a shape puts on the canvas."""
    pts: list[tuple[float, float]] = []
    for el in root.iter():
        a = el.attrib
        if el.tag == "circle":
            pts.append((float(a["cx"]), float(a["cy"])))
        elif el.tag in {"rect"}:
            x, y = float(a["x"]), float(a["y"])
            pts += [(x, y), (x + float(a["width"]), y + float(a["height"]))]
        elif el.tag == "line":
            pts += [(float(a["x1"]), float(a["y1"])), (float(a["x2"]), float(a["y2"]))]
        elif el.tag in {"polyline", "polygon"}:
            for pair in a["points"].split():
                x, y = pair.split(",")
                pts.append((float(x), float(y)))
        elif el.tag == "text":
            pts.append((float(a["x"]), float(a["y"])))
    return pts


def inside(root: ET.Element) -> bool:
    w, h = viewbox(root)
    return all(
        math.isfinite(x) and math.isfinite(y) and 0 <= x <= w and 0 <= y <= h
        for x, y in coordinates(root)
    )


def marks(root: ET.Element, tag: str | None = None) -> list[ET.Element]:
    return [
        el
        for el in root.iter()
        if "mark" in (el.get("class") or "").split() and (tag is None or el.tag == tag)
    ]


# -- helpers --------------------------------------------------------------------------------


def test_scale_maps_and_clamps() -> None:
    s = Scale(0, 10, 100, 0)
    assert s(0) == 100
    assert s(10) == 0
    assert s(5) == 50
    assert s(-5) == 100
    assert s(50) == 0
    assert Scale(3, 3, 0, 10)(3) == 5  # an empty domain sits in the middle


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    assert nice_ticks(0, 1, 4) == [0, 0.25, 0.5, 0.75, 1]
    assert nice_ticks(0, 100, 4) == [0, 25, 50, 75, 100]
    ticks = nice_ticks(117.3, 171.9, 4)
    assert ticks == [120, 140, 160]
    assert nice_ticks(5, 5) == [5]
    assert nice_ticks(math.nan, 1) == []


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-3, 1e6, allow_nan=False),
    st.integers(1, 8),
)
def test_nice_ticks_lie_in_range_and_are_evenly_spaced(lo: float, span: float, n: int) -> None:
    hi = lo + span
    ticks = nice_ticks(lo, hi, n)
    assert ticks
    assert all(lo - span * 1e-6 <= t <= hi + span * 1e-6 for t in ticks)
    gaps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(gaps) <= 1 or max(gaps) - min(gaps) <= span * 1e-6


# -- bars -----------------------------------------------------------------------------------


def test_bar_chart_one_mark_per_set_with_velocity_reference_and_threshold() -> None:
    bars = [
        Bar("1", 0.52, "ref"), Bar("2", 0.50), Bar("3", None), Bar("4", math.nan),
        Bar("5", 0.41, "drop"),
    ]  # fmt: skip
    root = parse(bar_chart(bars, label="Squat", line=0.52 * 0.9, line_label="-10 % of set 1"))
    rects = marks(root, "rect")
    assert len(rects) == 3
    assert "ref" in (rects[0].get("class") or "")
    assert "drop" in (rects[2].get("class") or "")
    heights = [float(r.get("height") or 0) for r in rects]
    assert heights[0] > heights[1] > heights[2] > 0
    base = float(rects[0].get("y") or 0) + heights[0]  # the zero line
    threshold = next(el for el in root.iter("line") if el.get("class") == "threshold")
    y_line = float(threshold.get("y1") or 0)
    y_ref = float(rects[0].get("y") or 0)
    assert math.isclose((base - y_line) / (base - y_ref), 0.9, rel_tol=0.02)
    assert inside(root)


def test_bar_chart_escapes_text_and_handles_nothing() -> None:
    assert bar_chart([], label="x") == ""
    assert bar_chart([Bar("1", None), Bar("2", math.inf)], label="x") == ""
    markup = bar_chart([Bar(NASTY, 0.5, title=NASTY)], label=NASTY, line_label=NASTY, line=0.4)
    assert "<script>" not in markup
    root = parse(markup)
    assert root.get("aria-label") == NASTY
    assert inside(root)


def test_bar_chart_one_bar() -> None:
    root = parse(bar_chart([Bar("1", 0.3)], label="one"))
    assert len(marks(root)) == 1
    assert inside(root)


# -- series over time -----------------------------------------------------------------------


def test_time_chart_dots_gaps_and_one_point() -> None:
    d0 = date(2026, 1, 1)
    series = [(d0 + timedelta(days=i), v) for i, v in enumerate([50, 60, None, 70, math.nan, 80])]
    root = parse(time_chart(series, label="Battery", lo=0, hi=100, unit="of 100"))
    assert len(marks(root, "circle")) == 4
    lines = list(root.iter("polyline"))
    assert len(lines) == 1  # 50-60 joined; 70 and 80 stand alone between the gaps
    assert inside(root)
    one = parse(time_chart([(d0, 5.0)], label="one"))
    assert len(marks(one)) == 1
    assert inside(one)
    assert time_chart([(d0, None)], label="none") == ""
    assert time_chart([], label="none") == ""


def test_time_chart_higher_values_are_higher_up() -> None:
    d0 = date(2026, 1, 1)
    root = parse(time_chart([(d0, 100.0), (d0 + timedelta(days=3), 150.0)], label="e1RM"))
    (a, b) = marks(root, "circle")
    assert float(a.get("cy") or 0) > float(b.get("cy") or 0)
    assert float(a.get("cx") or 0) < float(b.get("cx") or 0)


values = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True, width=32))


@given(st.lists(values, max_size=30), st.none() | st.floats(-10, 10))
def test_every_mark_lies_inside_the_viewbox(vals: list[float | None], lo: float | None) -> None:
    d0 = date(2026, 1, 1)
    series = [(d0 + timedelta(days=3 * i), v) for i, v in enumerate(vals)]
    shown = sum(1 for v in vals if v is not None and math.isfinite(v))
    for markup in (
        time_chart(series, label="t", lo=lo, hi=None if lo is None else lo + 5),
        bar_chart([Bar(str(i), v) for i, v in enumerate(vals)], label="b", line=lo),
    ):
        if not shown:
            assert markup == ""
            continue
        root = parse(markup)
        assert inside(root)
        assert len(marks(root)) == shown


# -- the load-velocity profile --------------------------------------------------------------


def test_profile_chart_band_line_mvt_and_e1rm_interval() -> None:
    pts = [(60.0, 1.0), (80.0, 0.8), (100.0, 0.62), (120.0, 0.45)]
    a, b = 1.58, -0.0094
    band = [(x, a + b * x - 0.05, a + b * x + 0.05) for x in (60, 100, 140, 160)]
    markup = profile_chart(
        pts, label="Squat profile", fit=(a, b), band=band, mvt=0.3, e1rm=136.2,
        interval=(130.0, 142.0), unit="kg",
    )  # fmt: skip
    root = parse(markup)
    assert len(marks(root)) == 4
    assert root.find("polygon[@class='band']") is not None
    strip = root.find("rect[@class='e1rm-band']")
    assert strip is not None
    dot = root.find("circle[@class='e1rm']")
    assert dot is not None
    left, width = float(strip.get("x") or 0), float(strip.get("width") or 0)
    assert left < float(dot.get("cx") or 0) < left + width
    mvt = next(el for el in root.iter("line") if el.get("class") == "threshold")
    assert math.isclose(float(mvt.get("y1") or 0), float(dot.get("cy") or 0), abs_tol=0.1)
    assert inside(root)


def test_profile_chart_without_fit_or_points() -> None:
    assert profile_chart([], label="x") == ""
    root = parse(profile_chart([(100.0, 0.5)], label="one point", mvt=0.3, e1rm=140.0))
    assert len(marks(root)) == 1
    assert root.find("polygon") is None
    assert inside(root)
    root = parse(profile_chart([(100.0, math.nan), (110.0, 0.4)], label="nan", mvt=None))
    assert len(marks(root)) == 1


# -- effects --------------------------------------------------------------------------------


def test_effect_chart_rows_and_not_enough_data() -> None:
    rows = [
        EffectRow("Squat: primer", 0.5, 0.1, 0.9, "helps"),
        EffectRow(NASTY, None, None, None, "not enough data"),
        EffectRow("Bench: belt", -9.0, -12.0, -6.0, "hurts"),  # clamped to the edge
    ]
    markup = effect_chart(rows, label="Effects")
    assert "<script>" not in markup
    root = parse(markup)
    dots = marks(root, "circle")
    assert len(dots) == 2
    assert "helps" in (dots[0].get("class") or "")
    assert "not enough data" in "".join(root.itertext())
    zero = next(el for el in root.iter("line") if el.get("class") == "zero")
    assert float(dots[0].get("cx") or 0) > float(zero.get("x1") or 0)
    assert inside(root)
    assert effect_chart([], label="none") == ""


def test_sparkline_still_draws_the_last_point() -> None:
    root = parse(sparkline([10, 50, 90], label="Battery"))
    assert root.find("polyline") is not None
    assert len(root.findall("circle")) == 1
    assert sparkline([], label="x") == ""
