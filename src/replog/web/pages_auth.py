"""Sign-in and sign-up pages (their forms post to the API from ``auth.js``)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from replog.web.render import render

router = APIRouter(include_in_schema=False)
Next = Annotated[str, Query(alias="next", max_length=500)]


def _safe(next_url: str) -> str:
    """Only a path on this site: never an open redirect. Browsers read a backslash as a
    slash and drop tabs and line breaks, so ``/\\evil.example`` or ``/<tab>/evil.example``
    would leave the site as ``//evil.example`` does: a path with any of them, any other
    control character or space, or a scheme or host, goes home instead."""
    if not next_url.startswith("/") or next_url.startswith("//"):
        return "/"
    if any(c == "\\" or c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in next_url):
        return "/"
    parts = urlsplit(next_url)
    return "/" if parts.scheme or parts.netloc else next_url


@router.get("/login")
def login(request: Request, next_url: Next = "/") -> HTMLResponse:
    return render(
        request, "auth.html", title="Sign in", mode="login", next_url=_safe(next_url),
        blurb="Your training log, your data.",
    )  # fmt: skip


@router.get("/signup")
def signup(request: Request, next_url: Next = "/") -> HTMLResponse:
    return render(
        request, "auth.html", title="Create your account", mode="signup",
        next_url=_safe(next_url),
        blurb="A log that measures drive: sets, reps, and how fast the bar moved.",
    )  # fmt: skip
