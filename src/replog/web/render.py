"""Jinja templates (autoescaped), their helpers, and the page response."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from replog.core.gear import gear_to_dict
from replog.core.model import Athlete
from replog.web.viewer import Viewer

HERE = Path(__file__).parent
NAV = (("today", "/", "Today"), ("drive", "/drive", "Drive"), ("history", "/history", "History"))


@cache
def _stamp(path: str) -> str:
    """A short hash of a static file, so a changed file is fetched again."""
    return hashlib.sha256((HERE / "static" / path).read_bytes()).hexdigest()[:10]


def static(path: str) -> str:
    return f"/static/{path}?v={_stamp(path)}"


@cache
def _import_map_json() -> str:
    names = sorted(p.name for p in (HERE / "static").glob("*.js") if p.name != "sw.js")
    return json.dumps({"imports": {f"/static/{n}": static(n) for n in names}})


@cache
def import_map() -> Markup:
    """Maps each script's plain URL to its hashed one, so that ``import "./app.js"`` in a
    page's script and the page's own ``<script src>`` load one module instance, not two."""
    return Markup(f'<script type="importmap">{_import_map_json()}</script>')


def import_map_sha256() -> str:
    """The import map's hash (base64): the one inline script the Content-Security-Policy
    allows."""
    return base64.b64encode(hashlib.sha256(_import_map_json().encode()).digest()).decode()


def number(x: float | int | None, digits: int = 1) -> str:
    """12.0 -> '12', 12.25 -> '12.3' (digits=1); None -> a dash."""
    if x is None:
        return "\u2013"
    text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def own_gear(athlete: Athlete) -> dict[str, Any]:
    """The lifter's own bar and plates by unit ({} for the gym defaults), for the scripts."""
    return gear_to_dict(athlete.gear) or {}


def day(d: date | datetime | str | None) -> str:
    if d is None:
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    if isinstance(d, datetime):
        d = d.astimezone().date()
    return f"{d:%a} {d.day} {d:%b %Y}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(static=static, nav=NAV, import_map=import_map)
    env.filters.update(number=number, day=day, own_gear=own_gear)
    return env


def render(
    request: Request,
    template: str,
    viewer: Viewer | None = None,
    *,
    title: str,
    active: str = "",
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    html = (
        environment()
        .get_template(template)
        .render(request=request, viewer=viewer, title=title, active=active, **context)
    )
    return HTMLResponse(html, status_code=status)
