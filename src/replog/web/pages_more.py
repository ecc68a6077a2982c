"""More: the account (unit), sharing with coaches, API tokens, sign-out, export downloads,
and the import page. Reads go through the services; every change is a call to the API
from ``more.js`` (PATCH /athletes/{id}, /grants, /auth/tokens, /auth/logout, /imports)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from replog.api import deps
from replog.core.exercises import BUILTIN
from replog.io.formats import FORMATS, describe
from replog.services import accounts, sessions
from replog.services.accounts import Access, Caller
from replog.web.render import render
from replog.web.viewer import PageNotFoundError, SignedIn, Viewer, Viewing

router = APIRouter(include_in_schema=False)

EXPORTS = (
    ("json", "Everything (JSON)", "Imports back exactly: sets, reps, check-ins."),
    ("csv", "Reps (CSV)", "One row per rep, for a spreadsheet; imports back."),
    ("sets-csv", "Sets (CSV)", "One row per set with its velocity summary."),
)


def own_viewer(request: Request, who: Caller) -> Viewer:
    """The signed-in user looking at their own log (for pages about the account)."""
    found = accounts.access(deps.read_uow(request), who.user, who.user.athlete_id)
    if found is None:
        raise PageNotFoundError("this account has no log")
    return Viewer(who, found[0], found[1])


def _when(t: datetime | None) -> str:
    if t is None:
        return "never"
    local = t.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


@router.get("/more")
def more(request: Request, who: SignedIn) -> HTMLResponse:
    viewer = own_viewer(request, who)
    uow = deps.read_uow
    given = accounts.grants_given(uow(request), who.user)
    received = accounts.grants_received(uow(request), who.user)
    tokens = [
        {
            "id": t.id,
            "name": (t.name or "Unnamed token") if t.kind == "api" else "Browser sign-in",
            "kind": t.kind,
            "current": t.current,
            "created": _when(t.created_at),
            "used": _when(t.last_used_at),
        }
        for t in sorted(
            accounts.list_tokens(uow(request), who, deps.now()),
            key=lambda t: (t.kind != "api", t.created_at),
        )
    ]
    return render(
        request, "more.html", viewer, title="More", active="more",
        version=sessions.athlete_version(uow(request), viewer.athlete.id),
        given=given, received=received, tokens=tokens, exports=EXPORTS,
    )  # fmt: skip


@router.get("/more/import")
def import_page(request: Request, viewer: Viewing) -> HTMLResponse:
    formats = [(f, describe(f)) for f in FORMATS]
    lifts = sorted(([e.key, e.name] for e in BUILTIN), key=lambda kv: kv[1].casefold())
    return render(
        request, "import.html", viewer, title="Import", active="more",
        formats=formats, can_import=viewer.access >= Access.WRITE, lifts=lifts,
    )  # fmt: skip
