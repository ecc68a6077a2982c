"""The stylesheet's colour pairs meet WCAG 2.2 contrast (AA 4.5:1 for text), read from the
tokens in app.css so that a changed colour is checked the day it changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "src/replog/web/static/app.css"


def _tokens() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS.read_text(), re.S)
    assert root is not None
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root.group(1)))


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_formula_on_known_answers() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # a classic near-miss


@pytest.mark.parametrize(
    ("fg", "bg"),
    [
        ("text", "bg"), ("text", "card"), ("muted", "bg"), ("muted", "card"),
        ("accent-ink", "accent"), ("accent", "card"), ("accent", "bg"), ("info", "card"),
        ("info", "bg"), ("bad", "card"), ("good", "card"), ("warn", "card"),
    ],
)  # fmt: skip
def test_text_colours_meet_aa(fg: str, bg: str) -> None:
    tokens = _tokens()
    assert contrast(tokens[fg], tokens[bg]) >= 4.5, (fg, bg)
