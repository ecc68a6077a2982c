"""Charts as hand-written SVG, rendered on the server: no script, no network, no library.

Each function takes plain numbers and returns markup (escaped where it carries text) that
scales to its container (``viewBox`` plus ``width: 100%`` in the stylesheet).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def sparkline(
    values: Sequence[float], *, label: str, width: int = 300, height: int = 60, lo: float = 0,
    hi: float = 100,
) -> Markup:  # fmt: skip
    """A small line of ``values`` (oldest first) between ``lo`` and ``hi``, last point marked."""
    if not values:
        return Markup("")
    pad = 4
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    span = (hi - lo) or 1

    def y(v: float) -> float:
        return height - pad - (min(max(v, lo), hi) - lo) / span * (height - 2 * pad)

    points = " ".join(f"{_fmt(pad + i * step)},{_fmt(y(v))}" for i, v in enumerate(values))
    last_x, last_y = pad + (len(values) - 1) * step, y(values[-1])
    return Markup(
        f'<svg class="chart spark" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<polyline points="{points}" fill="none" class="line"/>'
        f'<circle cx="{_fmt(last_x)}" cy="{_fmt(last_y)}" r="4" class="dot"/></svg>'
    )
