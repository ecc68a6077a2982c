"""Accounts: sign up, sign in, access tokens, and coaches' access to athletes' logs.

A user owns one athlete, their own log. Passwords are hashed by a :class:`Hasher` the
caller supplies (the server passes Argon2id, RFC 9106); this module never sees a hash
algorithm. Token secrets are 32 random bytes (``secrets.token_urlsafe``); only their SHA-256
is stored, so a copy of the database lets no one in. A browser session also gets a CSRF
secret, stored the same way, that every write must echo; API (bearer) tokens need none.

Sign-in failures are counted per username *and client* (the address the server saw):
:data:`MAX_FAILURES` in :data:`LOGIN_WINDOW` refuse further attempts at that account from
that client until the oldest leaves the window, so a stranger guessing cannot lock the
owner out of their own account from their own phone. A client is also held to
:data:`MAX_CLIENT_FAILURES` over all usernames (one try at each of many accounts, "password
spraying"), and an account to :data:`MAX_ACCOUNT_FAILURES` over all clients (guessing from
many addresses). Without a client (a caller that is not a network server) the count is per
username. An attempt is counted *before* its password is checked, in the same locked
transaction as the check of the count, so concurrent guesses cannot overshoot a limit; a
success clears its own (username, client) count. Counts are keyed by a hash of what they
count, so an address is never stored. The slow password hash runs outside any
transaction, so it never holds the writer's lock.

Coach grants and access levels live in :mod:`replog.services.team` and are importable
from here too (``Access``, ``grant_access``, ``access_to``, ``visible_athletes``, ...).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from replog.core.errors import (
    AuthError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    ValidationError,
)
from replog.core.ids import new_id
from replog.core.model import Athlete
from replog.core.units import Unit
from replog.services.ports import Grant as Grant
from replog.services.ports import StoredToken, UnitOfWork
from replog.services.ports import User as User
from replog.services.team import Access as Access
from replog.services.team import access as access
from replog.services.team import access_to as access_to
from replog.services.team import grant_access as grant_access
from replog.services.team import grants_given as grants_given
from replog.services.team import grants_received as grants_received
from replog.services.team import revoke_grant as revoke_grant
from replog.services.team import visible_athletes as visible_athletes

USERNAME_RE = r"^[a-z0-9][a-z0-9_.-]{2,31}$"
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
SESSION_DAYS = 30
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES = 10  # per username and client
MAX_CLIENT_FAILURES = 30  # per client, over every username
MAX_ACCOUNT_FAILURES = 100  # per username, over every client
TOKEN_KINDS = ("api", "session")
MAX_TOKEN_NAME = 100
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often
WRONG = "wrong username or password"
_USERNAME = re.compile(USERNAME_RE)


class Hasher(Protocol):
    """A password hash (the server's is Argon2id)."""

    def hash(self, password: str) -> str: ...
    def verify(self, hashed: str, password: str) -> bool:
        """True when ``password`` is the one hashed; False on a mismatch."""
        ...

    def needs_rehash(self, hashed: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a request comes from, as its token says."""

    user: User
    token_id: str
    kind: str  # "api" | "session"
    csrf_hash: str | None
    last_used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: ``token`` (and ``csrf``) are shown this once and never stored."""

    id: str
    token: str
    kind: str
    name: str
    csrf: str | None
    created_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: str
    kind: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    current: bool = False


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(now: datetime) -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise ValidationError("expected a timezone-aware time", field="now")
    return now.astimezone(UTC)


def normalise_username(username: str) -> str:
    """The username as stored (lower case), or an error saying what is allowed."""
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            "a username is 3 to 32 characters: letters, digits, '_', '.' and '-', starting "
            f"with a letter or digit; got {username!r}",
            field="username",
        )
    return name


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        lengths = f"{MIN_PASSWORD} to {MAX_PASSWORD} characters"
        raise ValidationError(f"a password has {lengths}", field="password")


def _token_name(name: str, *, required: bool) -> str:
    clean = " ".join(name.split())
    if required and not clean:
        raise ValidationError("give the token a name", field="name")
    if len(clean) > MAX_TOKEN_NAME:
        raise ValidationError(f"a token name has at most {MAX_TOKEN_NAME} characters", field="name")
    return clean


def sign_up(
    uow: UnitOfWork,
    hasher: Hasher,
    username: str,
    password: str,
    *,
    unit: Unit = Unit.KG,
    now: datetime,
    claim_athlete: bool = False,
) -> User:
    """Create a user and their own log: an athlete named after the username.

    With ``claim_athlete`` an existing athlete of that name that no user owns becomes the
    user's log (the CLI's way to put an existing local log online).
    """
    name = normalise_username(username)
    _check_password(password)
    now = _aware(now)
    hashed = hasher.hash(password)  # slow: before the transaction, not under its lock
    with uow:
        if uow.users.by_username(name) is not None:
            raise ConflictError(f"the username {name!r} is taken", field="username")
        athlete = uow.athletes.by_name(name)
        if athlete is not None:
            if not claim_athlete:
                raise ConflictError(
                    f"an athlete called {name!r} already exists; choose another username",
                    field="username",
                )
            if uow.users.by_athlete(athlete.id) is not None:
                raise ConflictError(f"the log of {athlete.name!r} has an owner", "username")
        else:
            athlete = Athlete(new_id(), name, unit, None, now)
            uow.athletes.add(athlete)
        user = User(new_id(), name, athlete.id, now)
        uow.users.add(user, hashed)
        uow.commit()
    return user


_dummies: dict[int, tuple[Hasher, str]] = {}


def _dummy_hash(hasher: Hasher) -> str:
    """A hash made by ``hasher`` once, to verify against when the user is unknown (so an
    unknown username costs the same time as a wrong password)."""
    found = _dummies.get(id(hasher))
    if found is None or found[0] is not hasher:
        found = (hasher, hasher.hash(secrets.token_urlsafe(16)))
        _dummies[id(hasher)] = found  # holds the hasher, so its id is not reused
    return found[1]


def _new_token(user: User, kind: str, name: str, now: datetime) -> tuple[IssuedToken, StoredToken]:
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32) if kind == "session" else None
    expires = now + timedelta(days=SESSION_DAYS) if kind == "session" else None
    token_id = new_id()
    issued = IssuedToken(token_id, secret, kind, name, csrf, now, expires)
    stored = StoredToken(
        token_id,
        user.id,
        _sha256(secret),
        kind,
        name,
        None if csrf is None else _sha256(csrf),
        now,
        expires,
    )
    return issued, stored


def _count_key(kind: str, *parts: str) -> str:
    """What a failure is counted under, in the column's 32 characters: a hash, so neither
    a long username nor an address is stored."""
    return f"{kind}:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:30]


def log_in(
    uow: UnitOfWork,
    hasher: Hasher,
    username: str,
    password: str,
    *,
    kind: str = "session",
    name: str = "",
    now: datetime,
    client: str | None = None,
) -> tuple[User, IssuedToken]:
    """Check a username and password and issue a token of ``kind`` ("session": expires in
    :data:`SESSION_DAYS` and carries a CSRF secret; "api": no expiry, no CSRF).

    Unknown user and wrong password fail alike (:class:`AuthError`, the same message, about
    the same time); too many failures (see the module doc; ``client`` is the caller's
    address) raise :class:`RateLimitError` before any check.
    """
    if kind not in TOKEN_KINDS:
        raise ValidationError(f"expected one of {', '.join(TOKEN_KINDS)}; got {kind!r}", "kind")
    label = _token_name(name, required=False)
    now = _aware(now)
    wanted = username.strip().lower()
    account = wanted[:32]  # failures are counted under the name as far as a name can go
    key = account if client is None else _count_key("p", account, client)
    limits = [(key, MAX_FAILURES, f"too many failed sign-ins for {account!r}")]
    if client is not None:
        limits += [
            (_count_key("c", client), MAX_CLIENT_FAILURES, "too many failed sign-ins from here"),
            (account, MAX_ACCOUNT_FAILURES, f"too many failed sign-ins for {account!r}"),
        ]
    with uow:
        start = now - LOGIN_WINDOW  # a failure counts until LOGIN_WINDOW after it
        for counted, limit, message in limits:
            recent = [t for t in uow.login_failures.since(counted, start) if t > start]
            if len(recent) >= limit:
                # attempts are refused until enough failures leave the window
                frees_at = recent[len(recent) - limit] + LOGIN_WINDOW
                wait = max(1, math.ceil((frees_at - now).total_seconds()))
                raise RateLimitError(f"{message}; try again in {wait} s", wait, field="username")
        uow.login_failures.prune(now - LOGIN_WINDOW)
        uow.login_failures.add(key, now)  # counted now, cleared below if the password is right
        user = uow.users.by_username(wanted) if _USERNAME.fullmatch(wanted) else None
        hashed = None if user is None else uow.users.password_hash(user.id)
        uow.commit()
    if user is None or hashed is None:
        hasher.verify(_dummy_hash(hasher), password)
    if user is None or hashed is None or not hasher.verify(hashed, password):
        if len(limits) > 1:  # the client's and the account's counts: wrong attempts only
            with uow:
                for counted, _, _ in limits[1:]:
                    uow.login_failures.add(counted, now)
                uow.commit()
        raise AuthError(WRONG, field="password")
    rehashed = hasher.hash(password) if hasher.needs_rehash(hashed) else None
    issued, stored = _new_token(user, kind, label, now)
    with uow:
        uow.login_failures.clear(key)
        if rehashed is not None:
            uow.users.set_password_hash(user.id, rehashed)
        uow.tokens.add(stored)
        uow.commit()
    return user, issued


def _caller(uow: UnitOfWork, token: str, now: datetime) -> Caller | None:
    """The caller a token stands for, inside an open unit of work (one indexed lookup
    joined to the user); None when it is unknown, revoked or expired."""
    if not token or len(token) > 256:
        return None
    found = uow.tokens.by_hash(_sha256(token))
    return None if found is None else _valid(*found, now)


def _valid(stored: StoredToken, user: User, now: datetime) -> Caller | None:
    """The caller of a token found, unless it is revoked or expired."""
    if stored.revoked_at is not None:
        return None
    if stored.expires_at is not None and stored.expires_at <= _aware(now):
        return None
    return Caller(user, stored.id, stored.kind, stored.csrf_hash, stored.last_used_at)


def authenticate(uow: UnitOfWork, token: str, now: datetime) -> Caller | None:
    """The caller a token stands for; None when it is unknown, revoked or expired. Only
    reads (see :func:`touch`)."""
    with uow:
        return _caller(uow, token, now)


def authorize(
    uow: UnitOfWork, token: str, now: datetime, athlete_id: str
) -> tuple[Caller, tuple[Athlete, Access] | None] | None:
    """A request's caller and their access to an athlete's log, in one read: None for a
    bad token; the caller with None when the athlete is missing or not theirs to see."""
    if not token or len(token) > 256:
        return None
    with uow:
        found = uow.tokens.by_hash_with_athlete(_sha256(token), athlete_id)  # one query
        if found is None:
            return None
        stored, user, athlete = found
        who = _valid(stored, user, now)
        if who is None:
            return None
        level = None if athlete is None else access_to(uow, who.user, athlete_id)
    if athlete is None or level is None:
        return who, None
    return who, (athlete, level)


def needs_touch(caller: Caller, now: datetime) -> bool:
    """Whether the token's ``last_used_at`` is older than :data:`TOUCH_EVERY`."""
    last = caller.last_used_at
    return last is None or _aware(now) - last >= TOUCH_EVERY


def touch(uow: UnitOfWork, caller: Caller, now: datetime) -> None:
    """Record that the caller's token was used (call when :func:`needs_touch`)."""
    with uow:
        uow.tokens.touch(caller.token_id, _aware(now))
        uow.commit()


def check_csrf(caller: Caller, csrf: str | None) -> bool:
    """Does ``csrf`` match the session's CSRF secret? Always True for API tokens."""
    if caller.kind == "api":
        return True
    if not csrf or caller.csrf_hash is None:
        return False
    return hmac.compare_digest(_sha256(csrf), caller.csrf_hash)


def create_api_token(uow: UnitOfWork, caller: Caller, name: str, now: datetime) -> IssuedToken:
    """A new API (bearer) token for the caller, named so it can be told apart later."""
    label = _token_name(name, required=True)
    issued, stored = _new_token(caller.user, "api", label, _aware(now))
    with uow:
        uow.tokens.add(stored)
        uow.commit()
    return issued


def list_tokens(uow: UnitOfWork, caller: Caller, now: datetime | None = None) -> list[TokenInfo]:
    """The caller's tokens neither revoked nor expired (at ``now``, default the clock)."""
    at = _aware(now) if now is not None else datetime.now(UTC)
    with uow:
        active = uow.tokens.active(caller.user.id, at)
    return [
        TokenInfo(
            t.id,
            t.kind,
            t.name,
            t.created_at,
            t.expires_at,
            t.last_used_at,
            t.id == caller.token_id,
        )
        for t in active
    ]


def revoke_token(uow: UnitOfWork, caller: Caller, token_id: str, now: datetime) -> None:
    """Revoke one of the caller's own tokens."""
    now = _aware(now)
    with uow:
        stored = uow.tokens.get(token_id)
        if stored is None or stored.user_id != caller.user.id or stored.revoked_at is not None:
            raise NotFoundError(f"no token {token_id!r}", field="token")
        uow.tokens.revoke(token_id, now)
        uow.commit()


def log_out(uow: UnitOfWork, caller: Caller, now: datetime) -> None:
    """Revoke the token the caller came with."""
    now = _aware(now)
    with uow:
        uow.tokens.revoke(caller.token_id, now)
        uow.commit()


def get_user(uow: UnitOfWork, user_id: str) -> User | None:
    with uow:
        return uow.users.get(user_id)
