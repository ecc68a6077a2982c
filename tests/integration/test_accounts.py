"""Accounts on real databases: sign-up rules, sign-in and its rate limit, tokens and CSRF."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from replog.api.security import Argon2Hasher
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
from replog.services.accounts import (
    LOGIN_WINDOW,
    MAX_ACCOUNT_FAILURES,
    MAX_CLIENT_FAILURES,
    MAX_FAILURES,
    SESSION_DAYS,
    authenticate,
    check_csrf,
    create_api_token,
    get_user,
    list_tokens,
    log_in,
    log_out,
    needs_touch,
    revoke_token,
    sign_up,
    touch,
)
from replog.services.athletes import configure_athlete

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def Argon2(time_cost: int = 1) -> Argon2Hasher:  # noqa: N802  (reads as the class it makes)
    """The server's own hasher with parameters cheap enough for tests."""
    return Argon2Hasher(PasswordHasher(time_cost=time_cost, memory_cost=8192, parallelism=1))


HASHER = Argon2()


def failures(uow, username: str) -> int:
    with uow:
        return len(uow.login_failures.since(username, NOW - timedelta(days=1)))


def test_sign_up_creates_the_user_and_their_own_log(uow) -> None:
    user = sign_up(uow, HASHER, "  Ana.Lifts ", PASSWORD, unit=Unit.LB, now=NOW)
    assert user.username == "ana.lifts"
    assert user.created_at == NOW
    assert get_user(uow, user.id) == user
    assert get_user(uow, new_id()) is None
    with uow:
        athlete = uow.athletes.get(user.athlete_id)
        stored_hash = uow.users.password_hash(user.id)
    assert athlete is not None
    assert (athlete.name, athlete.default_unit) == ("ana.lifts", Unit.LB)
    assert stored_hash is not None
    assert PASSWORD not in stored_hash
    assert HASHER.verify(stored_hash, PASSWORD)


@pytest.mark.parametrize("name", ["ab", "-abc", "a b c", "x" * 33, "ünïcode", "", "a/bc"])
def test_bad_usernames_are_refused_saying_what_is_allowed(uow, name: str) -> None:
    with pytest.raises(ValidationError, match="3 to 32 characters") as caught:
        sign_up(uow, HASHER, name, PASSWORD, now=NOW)
    assert caught.value.field == "username"
    with uow:
        assert uow.athletes.list() == []


@pytest.mark.parametrize("password", ["short", "x" * 7, "y" * 1025])
def test_bad_passwords_are_refused(uow, password: str) -> None:
    with pytest.raises(ValidationError, match="8 to 1024 characters") as caught:
        sign_up(uow, HASHER, "bea", password, now=NOW)
    assert caught.value.field == "password"


def test_taken_usernames_and_existing_athletes_conflict(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    with pytest.raises(ConflictError, match="taken") as caught:
        sign_up(uow, HASHER, "ANA", "another password", now=NOW)
    assert caught.value.field == "username"
    with uow:
        uow.athletes.add(Athlete(new_id(), "Bob", Unit.KG, None, NOW))
        uow.commit()
    with pytest.raises(ConflictError, match="already exists") as caught:
        sign_up(uow, HASHER, "bob", PASSWORD, now=NOW)
    assert caught.value.field == "username"
    with uow:
        assert uow.users.by_username("bob") is None


def test_claiming_an_existing_log_links_it_once(uow) -> None:
    local = Athlete(new_id(), "carl", Unit.KG, None, NOW)
    with uow:
        uow.athletes.add(local)
        uow.commit()
    user = sign_up(uow, HASHER, "carl", PASSWORD, now=NOW, claim_athlete=True)
    assert user.athlete_id == local.id
    # an owned log cannot be claimed again, even once it is renamed
    configure_athlete(uow, "carl", rename="carlos")
    with pytest.raises(ConflictError, match="has an owner"):
        sign_up(uow, HASHER, "carlos", PASSWORD, now=NOW, claim_athlete=True)
    with uow:
        assert len(uow.athletes.list()) == 1


def test_log_in_issues_a_session_with_csrf_storing_only_hashes(uow) -> None:
    user = sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    same, issued = log_in(uow, HASHER, "Ana", PASSWORD, name="laptop", now=NOW)
    assert same == user
    assert issued.kind == "session"
    assert issued.name == "laptop"
    assert issued.expires_at == NOW + timedelta(days=SESSION_DAYS)
    assert issued.csrf
    assert issued.csrf != issued.token
    assert len(issued.token) >= 40
    with uow:
        stored = uow.tokens.get(issued.id)
    assert stored is not None
    assert stored.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert stored.csrf_hash == hashlib.sha256(issued.csrf.encode()).hexdigest()
    caller = authenticate(uow, issued.token, NOW + timedelta(minutes=5))
    assert caller is not None
    assert (caller.user, caller.token_id, caller.kind) == (user, issued.id, "session")
    assert check_csrf(caller, issued.csrf)
    assert not check_csrf(caller, None)
    assert not check_csrf(caller, "")
    assert not check_csrf(caller, issued.csrf + "x")
    assert not check_csrf(caller, issued.token)


def test_api_tokens_never_expire_and_need_no_csrf(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    _, issued = log_in(uow, HASHER, "ana", PASSWORD, kind="api", name="phone", now=NOW)
    assert issued.expires_at is None
    assert issued.csrf is None
    caller = authenticate(uow, issued.token, NOW + timedelta(days=3650))
    assert caller is not None
    assert caller.kind == "api"
    assert check_csrf(caller, None)


def test_an_unknown_kind_is_refused(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    with pytest.raises(ValidationError) as caught:
        log_in(uow, HASHER, "ana", PASSWORD, kind="cookie", now=NOW)
    assert caught.value.field == "kind"


def test_wrong_password_and_unknown_user_fail_alike(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    with pytest.raises(AuthError) as wrong:
        log_in(uow, HASHER, "ana", "not the password", now=NOW)
    with pytest.raises(AuthError) as unknown:
        log_in(uow, HASHER, "nobody", PASSWORD, now=NOW)
    assert wrong.value.to_dict() == unknown.value.to_dict()
    assert wrong.value.message == "wrong username or password"
    assert (wrong.value.code, wrong.value.field) == ("unauthenticated", "password")
    assert failures(uow, "ana") == 1
    assert failures(uow, "nobody") == 1
    with uow:
        assert uow.tokens.active(uow.users.by_username("ana").id, NOW) == []


def test_only_the_exact_username_signs_in(uow) -> None:
    long_name = "a" * 32
    sign_up(uow, HASHER, long_name, PASSWORD, now=NOW)
    for other in (long_name + "b", "a" * 40, long_name[:-1]):
        with pytest.raises(AuthError):
            log_in(uow, HASHER, other, PASSWORD, now=NOW)
    assert log_in(uow, HASHER, long_name.upper(), PASSWORD, now=NOW)[0].username == long_name


def test_too_many_failures_are_rate_limited_until_the_oldest_leaves_the_window(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    for i in range(MAX_FAILURES):
        with pytest.raises(AuthError):
            log_in(uow, HASHER, "ana", f"guess {i}", now=NOW + timedelta(seconds=10 * i))
    at = NOW + timedelta(seconds=100)
    with pytest.raises(RateLimitError) as caught:
        log_in(uow, HASHER, "ANA", PASSWORD, now=at)  # even the right password waits
    assert caught.value.code == "rate_limited"
    assert caught.value.retry_after_s == (LOGIN_WINDOW - timedelta(seconds=100)).seconds
    assert failures(uow, "ana") == MAX_FAILURES  # a refused attempt is not counted
    # other usernames are not held up
    sign_up(uow, HASHER, "bea", PASSWORD, now=NOW)
    assert log_in(uow, HASHER, "bea", PASSWORD, now=at)[0].username == "bea"
    # just before the oldest failure leaves the window: still refused, for 1 second
    with pytest.raises(RateLimitError) as caught:
        log_in(uow, HASHER, "ana", PASSWORD, now=NOW + LOGIN_WINDOW - timedelta(seconds=0.5))
    assert caught.value.retry_after_s == 1
    user, _ = log_in(uow, HASHER, "ana", PASSWORD, now=NOW + LOGIN_WINDOW)
    assert user.username == "ana"
    assert failures(uow, "ana") == 0


def test_a_success_clears_the_failures(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthError):
            log_in(uow, HASHER, "ana", "wrong password", now=NOW)
    assert failures(uow, "ana") == MAX_FAILURES - 1
    log_in(uow, HASHER, "ana", PASSWORD, now=NOW)
    assert failures(uow, "ana") == 0
    for _ in range(MAX_FAILURES - 1):  # a fresh allowance
        with pytest.raises(AuthError):
            log_in(uow, HASHER, "ana", "wrong password", now=NOW)
    assert log_in(uow, HASHER, "ana", PASSWORD, now=NOW)[1].token


def test_an_outdated_hash_is_replaced_on_sign_in(uow) -> None:
    user = sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    with uow:
        before = uow.users.password_hash(user.id)
    stronger = Argon2(time_cost=2)
    assert before is not None
    assert stronger.needs_rehash(before)
    log_in(uow, stronger, "ana", PASSWORD, now=NOW)
    with uow:
        after = uow.users.password_hash(user.id)
    assert after is not None
    assert after != before
    assert "t=2" in after
    assert not stronger.needs_rehash(after)
    assert stronger.verify(after, PASSWORD)


def test_unknown_revoked_and_expired_tokens_authenticate_no_one(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    _, issued = log_in(uow, HASHER, "ana", PASSWORD, now=NOW)
    expiry = NOW + timedelta(days=SESSION_DAYS)
    assert authenticate(uow, issued.token, expiry - timedelta(seconds=1)) is not None
    assert authenticate(uow, issued.token, expiry) is None
    assert authenticate(uow, issued.token + "x", NOW) is None
    assert authenticate(uow, "", NOW) is None
    assert authenticate(uow, "a" * 5000, NOW) is None
    caller = authenticate(uow, issued.token, NOW)
    assert caller is not None
    log_out(uow, caller, NOW)
    assert authenticate(uow, issued.token, NOW) is None


def test_tokens_are_listed_and_revoked_by_their_owner_only(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    sign_up(uow, HASHER, "bea", PASSWORD, now=NOW)
    _, session = log_in(uow, HASHER, "ana", PASSWORD, name="laptop", now=NOW)
    ana = authenticate(uow, session.token, NOW)
    assert ana is not None
    with pytest.raises(ValidationError) as caught:
        create_api_token(uow, ana, "   ", NOW)
    assert caught.value.field == "name"
    api = create_api_token(uow, ana, "watch", NOW + timedelta(seconds=1))
    assert (api.kind, api.name, api.expires_at, api.csrf) == ("api", "watch", None, None)
    via_api = authenticate(uow, api.token, NOW)
    assert via_api is not None
    assert via_api.user == ana.user
    assert via_api.kind == "api"
    listed = list_tokens(uow, ana, NOW)
    assert [(t.id, t.name, t.kind, t.current) for t in listed] == [
        (session.id, "laptop", "session", True),
        (api.id, "watch", "api", False),
    ]
    assert all(api.token not in repr(t) for t in listed)
    _, bea_session = log_in(uow, HASHER, "bea", PASSWORD, now=NOW)
    bea = authenticate(uow, bea_session.token, NOW)
    assert bea is not None
    with pytest.raises(NotFoundError) as caught:
        revoke_token(uow, bea, api.id, NOW)
    assert caught.value.field == "token"
    assert authenticate(uow, api.token, NOW) is not None
    revoke_token(uow, ana, api.id, NOW)
    assert authenticate(uow, api.token, NOW) is None
    with pytest.raises(NotFoundError):
        revoke_token(uow, ana, api.id, NOW)  # already revoked
    assert [t.id for t in list_tokens(uow, ana, NOW)] == [session.id]
    assert list_tokens(uow, ana, NOW + timedelta(days=SESSION_DAYS)) == []


def test_last_use_is_written_at_most_once_a_minute(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    _, issued = log_in(uow, HASHER, "ana", PASSWORD, now=NOW)

    def last_used() -> datetime | None:
        with uow:
            stored = uow.tokens.get(issued.id)
        assert stored is not None
        return stored.last_used_at

    def use(at: datetime) -> None:  # what the server does on each request
        who = authenticate(uow, issued.token, at)
        assert who is not None
        if needs_touch(who, at):
            touch(uow, who, at)

    assert last_used() is None
    use(NOW)
    assert last_used() == NOW
    use(NOW + timedelta(seconds=59))
    assert last_used() == NOW
    use(NOW + timedelta(seconds=61))
    assert last_used() == NOW + timedelta(seconds=61)


def test_a_stranger_guessing_cannot_lock_the_owner_out(uow) -> None:
    """Issue 20, item 3: ten wrong guesses from one address refuse that address only; the
    owner's right password from their own phone still signs in."""
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    for i in range(MAX_FAILURES):
        with pytest.raises(AuthError):
            log_in(uow, HASHER, "ana", f"guess {i}", now=NOW, client="203.0.113.9")
    with pytest.raises(RateLimitError):
        log_in(uow, HASHER, "ana", PASSWORD, now=NOW, client="203.0.113.9")
    user, _ = log_in(uow, HASHER, "ana", PASSWORD, now=NOW, client="198.51.100.4")
    assert user.username == "ana"


def test_one_guess_at_many_accounts_from_one_address_is_throttled(uow) -> None:
    """Password spraying: one try at each of many usernames from one address."""
    for i in range(MAX_CLIENT_FAILURES):
        with pytest.raises(AuthError):
            log_in(uow, HASHER, f"user{i:03d}", PASSWORD, now=NOW, client="203.0.113.9")
    with pytest.raises(RateLimitError) as caught:
        log_in(uow, HASHER, "someone-else", PASSWORD, now=NOW, client="203.0.113.9")
    assert "from here" in caught.value.message
    sign_up(uow, HASHER, "bea", PASSWORD, now=NOW)  # another address is not held up
    assert log_in(uow, HASHER, "bea", PASSWORD, now=NOW, client="198.51.100.4")[0].username == "bea"


def test_many_addresses_guessing_one_account_are_throttled_too(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    for i in range(MAX_ACCOUNT_FAILURES):
        with pytest.raises(AuthError):
            log_in(uow, HASHER, "ana", f"guess {i}", now=NOW, client=f"10.0.{i // 200}.{i % 200}")
    with pytest.raises(RateLimitError):
        log_in(uow, HASHER, "ana", PASSWORD, now=NOW, client="198.51.100.4")


def test_signing_in_many_times_from_one_address_is_never_throttled(uow) -> None:
    sign_up(uow, HASHER, "ana", PASSWORD, now=NOW)
    for _ in range(MAX_CLIENT_FAILURES + 5):
        assert log_in(uow, HASHER, "ana", PASSWORD, now=NOW, client="198.51.100.4")[0]
