"""Request dependencies: units of work, the caller, and what the caller may do.

Every route that touches an athlete's data goes through :func:`readable` or
:func:`writable` (or :func:`check_access` for objects found by id), so every query is
scoped to what the caller may see. Another lifter's objects are answered with 404, exactly
like objects that do not exist: a caller cannot learn that they are there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from replog.api.errors import ApiError
from replog.bootstrap import SqlUnitOfWork, unit_of_work_on
from replog.core.model import Athlete
from replog.services import accounts
from replog.services.accounts import Access, Caller

SESSION_COOKIE = "replog_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_COOKIE = "replog_csrf"  # the web app's script copies it into CSRF_HEADER
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LEVELS = {Access.OWNER: "owner", Access.WRITE: "write", Access.READ: "read"}

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token: POST /auth/login with kind 'api', or POST /auth/tokens.",
)
cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="session",
    description="The web app's session cookie; writes also need the X-CSRF-Token header.",
)


def now() -> datetime:
    return datetime.now(UTC)


def uow(request: Request, athlete_id: str | None = None) -> SqlUnitOfWork:
    """A writing unit of work; give ``athlete_id`` when it writes only that athlete's log."""
    return unit_of_work_on(request.app.state.db, scope=athlete_id)


def read_uow(request: Request) -> SqlUnitOfWork:
    return unit_of_work_on(request.app.state.db, read_only=True)


Creds = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
Cookie = Annotated[str | None, Depends(cookie)]


def _token(creds: HTTPAuthorizationCredentials | None, session: str | None) -> str:
    token = creds.credentials if creds is not None else session
    if not token:
        raise ApiError(
            401,
            "unauthenticated",
            "sign in first: send 'Authorization: Bearer TOKEN' or the session cookie",
            "authorization",
            {"WWW-Authenticate": "Bearer"},
        )
    return token


def _admit(request: Request, who: Caller | None, by_cookie: bool) -> Caller:
    """Refuse a bad token (401) or a cookie write without its CSRF token (403); note the
    token's use (a write at most once a minute per token)."""
    if who is None:
        raise ApiError(
            401,
            "unauthenticated",
            "the token is unknown, revoked or expired; sign in again",
            "authorization",
            {"WWW-Authenticate": "Bearer"},
        )
    if (
        by_cookie
        and request.method not in SAFE_METHODS
        and not accounts.check_csrf(who, request.headers.get(CSRF_HEADER))
    ):
        raise ApiError(
            403, "csrf", f"a cookie-signed write needs the {CSRF_HEADER} header", CSRF_HEADER
        )
    at = now()
    if accounts.needs_touch(who, at):
        accounts.touch(uow(request), who, at)
    return who


def caller(request: Request, creds: Creds, session: Cookie) -> Caller:
    who = accounts.authenticate(read_uow(request), _token(creds, session), now())
    return _admit(request, who, creds is None)


CallerDep = Annotated[Caller, Depends(caller)]


@dataclass(frozen=True, slots=True)
class AthleteAccess:
    caller: Caller
    athlete: Athlete
    access: Access


def _granted(
    who: Caller,
    grant: tuple[Athlete, Access] | None,
    need: Access,
    what: str,
    field: str,
) -> AthleteAccess:
    """404 without access (exactly as if missing), 403 with too little of it."""
    if grant is None:
        raise ApiError(404, "not_found", f"no such {what}", field)
    athlete, level = grant
    if level < need:
        message = (
            f"only {athlete.name} can change this"
            if need is Access.OWNER
            else f"{athlete.name} shared their log with you read-only"
        )
        raise ApiError(403, "forbidden", message, field)
    return AthleteAccess(who, athlete, level)


def check_access(
    request: Request, who: Caller, athlete_id: str, need: Access, what: str, field: str
) -> AthleteAccess:
    """The caller's access to the athlete an object belongs to."""
    return _granted(
        who, accounts.access(read_uow(request), who.user, athlete_id), need, what, field
    )


AthleteId = Annotated[str, Path(max_length=64, description="The athlete's id.")]


def athlete_access(
    request: Request,
    athlete_id: str,
    creds: HTTPAuthorizationCredentials | None,
    session: str | None,
    need: Access,
) -> AthleteAccess:
    """The caller and their access to the path's athlete, found in one read (401 bad token,
    404 no access, 403 too little). Blocking: call it from a worker thread."""
    found = accounts.authorize(read_uow(request), _token(creds, session), now(), athlete_id)
    who = _admit(request, None if found is None else found[0], creds is None)
    return _granted(who, None if found is None else found[1], need, "athlete", "athlete_id")


def _athlete_access(need: Access) -> Callable[..., AthleteAccess]:
    """A dependency: :func:`athlete_access` for the path's athlete."""

    def dependency(
        request: Request, athlete_id: AthleteId, creds: Creds, session: Cookie
    ) -> AthleteAccess:
        return athlete_access(request, athlete_id, creds, session, need)

    return dependency


readable = _athlete_access(Access.READ)
writable = _athlete_access(Access.WRITE)
owned = _athlete_access(Access.OWNER)

Readable = Annotated[AthleteAccess, Depends(readable)]
Writable = Annotated[AthleteAccess, Depends(writable)]
Owned = Annotated[AthleteAccess, Depends(owned)]
