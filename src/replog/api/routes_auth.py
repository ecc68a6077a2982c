"""Accounts: sign-up, login (cookie or token), logout, API tokens, coach grants, team."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool

from replog.api import deps
from replog.api.deps import CSRF_COOKIE, SESSION_COOKIE, CallerDep
from replog.api.schemas import (
    GrantIn,
    GrantOut,
    GrantsOut,
    IssuedTokenOut,
    LoginIn,
    LoginOut,
    MeOut,
    SignUpIn,
    TokenIn,
    TokenOut,
    UserOut,
    athlete_out,
)
from replog.core.errors import NotFoundError
from replog.core.units import Unit
from replog.services import accounts
from replog.services.accounts import Grant, User

router = APIRouter(tags=["accounts"])


def user_out(u: User) -> UserOut:
    return UserOut(id=u.id, username=u.username, athlete_id=u.athlete_id, created_at=u.created_at)


def grant_out(g: Grant) -> GrantOut:
    return GrantOut(
        id=g.id, athlete_id=g.athlete_id, athlete_name=g.athlete_name, coach_id=g.coach_id,
        coach_username=g.coach_username, can_write=g.can_write, created_at=g.created_at,
    )  # fmt: skip


def _me(request: Request, user: User) -> MeOut:
    found = accounts.access(deps.read_uow(request), user, user.athlete_id)
    if found is None:  # the account's own log was removed under it
        raise NotFoundError("this account has no log", field="athlete")
    athlete, _ = found
    return MeOut(
        user=user_out(user), athlete=athlete_out(athlete, "owner", _version(request, athlete.id))
    )


def _version(request: Request, athlete_id: str) -> int:
    uow = deps.read_uow(request)
    with uow:
        return uow.athletes.version(athlete_id) or 1


@router.post("/auth/signup", status_code=201, response_model=MeOut)
async def sign_up(request: Request, body: SignUpIn) -> MeOut:
    """Create an account and its own training log (named after the username)."""
    async with request.app.state.password_slots.hold():
        return await run_in_threadpool(_sign_up, request, body)


def _sign_up(request: Request, body: SignUpIn) -> MeOut:
    user = accounts.sign_up(
        deps.uow(request), request.app.state.hasher, body.username, body.password,
        unit=Unit(body.unit), now=deps.now(),
    )  # fmt: skip
    return _me(request, user)


@router.post("/auth/login", response_model=LoginOut)
async def log_in(request: Request, response: Response, body: LoginIn) -> LoginOut:
    """Sign in. ``kind: session`` sets an HttpOnly cookie (SameSite=Lax; Secure over
    HTTPS) and returns the CSRF token that cookie writes must send as X-CSRF-Token;
    ``kind: api`` returns a bearer token. Ten failures in 15 minutes at one username from
    one address refuse further tries from there until the oldest expires (429 with
    Retry-After); the owner signing in from elsewhere is not held up. An address is held
    to 30 failures over all usernames, a username to 100 over all addresses. Past a few
    dozen sign-ins at once the server answers 503 with Retry-After (each checks a
    memory-hard hash)."""
    async with request.app.state.password_slots.hold():
        return await run_in_threadpool(_log_in, request, response, body)


def _log_in(request: Request, response: Response, body: LoginIn) -> LoginOut:
    # the address uvicorn saw (a reverse proxy on this machine is trusted for X-Forwarded-For)
    client = request.client.host if request.client else None
    user, issued = accounts.log_in(
        deps.uow(request), request.app.state.hasher, body.username, body.password,
        kind=body.kind, name=body.name, now=deps.now(), client=client,
    )  # fmt: skip
    if issued.kind == "session":
        secure = request.app.state.settings.cookie_secure
        if secure is None:
            secure = request.url.scheme == "https"
        max_age = None
        if issued.expires_at is not None:
            max_age = int((issued.expires_at - issued.created_at).total_seconds())
        response.set_cookie(
            SESSION_COOKIE, issued.token, max_age=max_age, httponly=True, secure=secure,
            samesite="lax", path="/",
        )  # fmt: skip
        # Readable by the page's own script (double submit): another site can neither read
        # it nor send it, and the server still checks it against the session's hash.
        response.set_cookie(
            CSRF_COOKIE, issued.csrf or "", max_age=max_age, httponly=False, secure=secure,
            samesite="strict", path="/",
        )  # fmt: skip
    return LoginOut(
        user=user_out(user),
        token_id=issued.id,
        kind=issued.kind,
        token=issued.token if issued.kind == "api" else None,
        csrf_token=issued.csrf,
        expires_at=issued.expires_at,
    )


@router.post("/auth/logout", status_code=204, response_class=Response)
def log_out(request: Request, who: CallerDep) -> Response:
    """Revoke the token or cookie session this request came with."""
    accounts.log_out(deps.uow(request), who, deps.now())
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/auth/me", response_model=MeOut)
def me(request: Request, who: CallerDep) -> MeOut:
    return _me(request, who.user)


@router.get("/auth/tokens", response_model=list[TokenOut])
def tokens(request: Request, who: CallerDep) -> list[TokenOut]:
    """The caller's live tokens and cookie sessions (never their secrets)."""
    return [
        TokenOut(
            id=t.id,
            kind=t.kind,
            name=t.name,
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
            current=t.current,
        )
        for t in accounts.list_tokens(deps.read_uow(request), who)
    ]


@router.post("/auth/tokens", status_code=201, response_model=IssuedTokenOut)
def new_token(request: Request, body: TokenIn, who: CallerDep) -> IssuedTokenOut:
    """A new API token; its secret is shown only in this response."""
    t = accounts.create_api_token(deps.uow(request), who, body.name, deps.now())
    return IssuedTokenOut(id=t.id, token=t.token, name=t.name, created_at=t.created_at)


TokenId = Annotated[str, Path(max_length=64)]


@router.delete("/auth/tokens/{token_id}", status_code=204, response_class=Response)
def revoke_token(request: Request, token_id: TokenId, who: CallerDep) -> Response:
    """Revoke one of the caller's tokens; it stops working at once."""
    accounts.revoke_token(deps.uow(request), who, token_id, deps.now())
    return Response(status_code=204)


@router.get("/grants", response_model=GrantsOut)
def grants(request: Request, who: CallerDep) -> GrantsOut:
    """Who sees the caller's log, and whose logs the caller sees."""
    return GrantsOut(
        given=[grant_out(g) for g in accounts.grants_given(deps.read_uow(request), who.user)],
        received=[grant_out(g) for g in accounts.grants_received(deps.read_uow(request), who.user)],
    )


@router.post("/grants", status_code=201, response_model=GrantOut)
def grant(request: Request, body: GrantIn, who: CallerDep) -> GrantOut:
    """Let a coach see the caller's log (and program it, with ``can_write``)."""
    g = accounts.grant_access(
        deps.uow(request), who.user, body.coach, can_write=body.can_write, now=deps.now()
    )
    return grant_out(g)


GrantId = Annotated[str, Path(max_length=64)]


@router.delete("/grants/{grant_id}", status_code=204, response_class=Response)
def revoke_grant(request: Request, grant_id: GrantId, who: CallerDep) -> Response:
    """Take a coach's access away; their next request no longer sees the log."""
    accounts.revoke_grant(deps.uow(request), who.user, grant_id)
    return Response(status_code=204)
