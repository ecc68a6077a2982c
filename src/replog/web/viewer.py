"""Who is looking at a page, and whose log: the session cookie, checked like the API's.

A page without a valid session redirects to the sign-in page and back. ``?athlete=ID``
shows another lifter's log to a coach they granted access to; anything else is a 404,
exactly as in the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Query, Request

from replog.api import deps
from replog.core.model import Athlete
from replog.services import accounts
from replog.services.accounts import Access, Caller


class SignInRequiredError(Exception):
    def __init__(self, next_url: str):
        super().__init__(next_url)
        self.login_url = "/login?next=" + quote(next_url, safe="/")


class PageNotFoundError(Exception):
    """Rendered as the app's 404 page."""


@dataclass(frozen=True, slots=True)
class Viewer:
    caller: Caller
    athlete: Athlete  # the log on the page: the viewer's own unless ?athlete= says
    access: Access

    @property
    def username(self) -> str:
        return self.caller.user.username

    @property
    def own(self) -> bool:
        return self.athlete.id == self.caller.user.athlete_id

    @property
    def can_write(self) -> bool:
        return self.access >= Access.WRITE

    @property
    def query(self) -> str:
        """What links add to stay on this log (empty on the viewer's own)."""
        return "" if self.own else f"?athlete={self.athlete.id}"


def signed_in(request: Request) -> Caller:
    token = request.cookies.get(deps.SESSION_COOKIE)
    at = deps.now()
    who = None if not token else accounts.authenticate(deps.read_uow(request), token, at)
    if who is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequiredError(target)
    if accounts.needs_touch(who, at):
        accounts.touch(deps.uow(request), who, at)
    return who


def viewer(
    request: Request,
    who: Annotated[Caller, Depends(signed_in)],
    athlete: Annotated[str | None, Query(max_length=64)] = None,
) -> Viewer:
    athlete_id = athlete or who.user.athlete_id
    found = accounts.access(deps.read_uow(request), who.user, athlete_id)
    if found is None:
        raise PageNotFoundError("no such lifter")
    return Viewer(who, found[0], found[1])


SignedIn = Annotated[Caller, Depends(signed_in)]
Viewing = Annotated[Viewer, Depends(viewer)]
