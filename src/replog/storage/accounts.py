"""SQL repositories of accounts: users, access tokens, coach grants and failed sign-ins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from replog.core.model import Athlete
from replog.services.ports import Grant, StoredToken, User
from replog.storage import mapping as m
from replog.storage.connection import Connection, Row, parse_ts

_GRANT = (
    "SELECT g.id, g.athlete_id, a.name AS athlete_name, g.coach_id, "
    "u.username AS coach_username, g.can_write, g.created_at FROM grants g "
    "JOIN athletes a ON a.id = g.athlete_id JOIN users u ON u.id = g.coach_id"
)
_TOKEN_COLUMNS = (
    "t.id, t.user_id, t.token_hash, t.kind, t.name, t.csrf_hash, t.created_at, t.expires_at, "
    "t.revoked_at, t.last_used_at"
)


def _ts(value: Any) -> datetime | None:
    return None if value is None else parse_ts(value)


_USER_COLUMNS = "u.username, u.athlete_id, u.created_at AS user_created_at"
_ATHLETE_KEYS = (
    "id",
    "name",
    "default_unit",
    "body_mass_kg",
    "created_at",
    "dropoff_threshold_pct",
    "gear",
)
_ATHLETE_COLUMNS = ", ".join(f"a.{k} AS a_{k}" for k in _ATHLETE_KEYS)


def _token_user(row: Row) -> User:
    """The user of a token, from a row of _TOKEN_COLUMNS and _USER_COLUMNS."""
    return User(
        row["user_id"], row["username"], row["athlete_id"], parse_ts(row["user_created_at"])
    )


def _user(row: Row) -> User:
    return User(row["id"], row["username"], row["athlete_id"], parse_ts(row["created_at"]))


def _token(row: Row) -> StoredToken:
    return StoredToken(
        row["id"],
        row["user_id"],
        row["token_hash"],
        row["kind"],
        row["name"],
        row["csrf_hash"],
        parse_ts(row["created_at"]),
        _ts(row["expires_at"]),
        _ts(row["revoked_at"]),
        _ts(row["last_used_at"]),
    )


def _grant(row: Row) -> Grant:
    return Grant(
        row["id"],
        row["athlete_id"],
        row["athlete_name"],
        row["coach_id"],
        row["coach_username"],
        bool(row["can_write"]),
        parse_ts(row["created_at"]),
    )


class SqlUsers:
    _COLUMNS = "id, username, athlete_id, created_at"

    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, user: User, password_hash: str) -> None:
        self.conn.execute(
            "INSERT INTO users (id, username, password_hash, athlete_id, created_at) "
            "VALUES (:id, :u, :h, :a, :t)",
            {
                "id": user.id,
                "u": user.username,
                "h": password_hash,
                "a": user.athlete_id,
                "t": self.conn.ts(user.created_at),
            },
        )

    def _one(self, where: str, value: str) -> User | None:
        row = self.conn.one(f"SELECT {self._COLUMNS} FROM users WHERE {where} = :v", {"v": value})
        return None if row is None else _user(row)

    def get(self, user_id: str) -> User | None:
        return self._one("id", user_id)

    def by_username(self, username: str) -> User | None:
        return self._one("username", username)

    def by_athlete(self, athlete_id: str) -> User | None:
        return self._one("athlete_id", athlete_id)

    def password_hash(self, user_id: str) -> str | None:
        value = self.conn.scalar("SELECT password_hash FROM users WHERE id = :id", {"id": user_id})
        return None if value is None else str(value)

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self.conn.execute(
            "UPDATE users SET password_hash = :h WHERE id = :id",
            {"h": password_hash, "id": user_id},
        )


class SqlTokens:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, token: StoredToken) -> None:
        self.conn.execute(
            "INSERT INTO auth_tokens (id, user_id, token_hash, kind, name, csrf_hash, created_at, "
            "expires_at, revoked_at, last_used_at) VALUES (:id, :user_id, :token_hash, :kind, "
            ":name, :csrf_hash, :created_at, :expires_at, :revoked_at, :last_used_at)",
            {
                "id": token.id,
                "user_id": token.user_id,
                "token_hash": token.token_hash,
                "kind": token.kind,
                "name": token.name,
                "csrf_hash": token.csrf_hash,
                "created_at": self.conn.ts(token.created_at),
                "expires_at": self.conn.ts(token.expires_at),
                "revoked_at": self.conn.ts(token.revoked_at),
                "last_used_at": self.conn.ts(token.last_used_at),
            },
        )

    def get(self, token_id: str) -> StoredToken | None:
        row = self.conn.one(
            f"SELECT {_TOKEN_COLUMNS} FROM auth_tokens t WHERE t.id = :id", {"id": token_id}
        )
        return None if row is None else _token(row)

    def by_hash(self, token_hash: str) -> tuple[StoredToken, User] | None:
        row = self.conn.one(
            f"SELECT {_TOKEN_COLUMNS}, {_USER_COLUMNS} FROM auth_tokens t "
            "JOIN users u ON u.id = t.user_id WHERE t.token_hash = :h",
            {"h": token_hash},
        )
        return None if row is None else (_token(row), _token_user(row))

    def by_hash_with_athlete(
        self, token_hash: str, athlete_id: str
    ) -> tuple[StoredToken, User, Athlete | None] | None:
        row = self.conn.one(
            f"SELECT {_TOKEN_COLUMNS}, {_USER_COLUMNS}, {_ATHLETE_COLUMNS} FROM auth_tokens t "
            "JOIN users u ON u.id = t.user_id LEFT JOIN athletes a ON a.id = :a "
            "WHERE t.token_hash = :h",
            {"h": token_hash, "a": athlete_id},
        )
        if row is None:
            return None
        athlete = None
        if row["a_id"] is not None:
            athlete = m.athlete_from({k: row[f"a_{k}"] for k in _ATHLETE_KEYS})
        return _token(row), _token_user(row), athlete

    def active(self, user_id: str, now: datetime) -> list[StoredToken]:
        rows = self.conn.all(
            f"SELECT {_TOKEN_COLUMNS} FROM auth_tokens t WHERE t.user_id = :u "
            "AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now) "
            "ORDER BY t.created_at, t.id",
            {"u": user_id, "now": self.conn.ts(now)},
        )
        return [_token(r) for r in rows]

    def revoke(self, token_id: str, now: datetime) -> None:
        self.conn.execute(
            "UPDATE auth_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL",
            {"id": token_id, "now": self.conn.ts(now)},
        )

    def touch(self, token_id: str, now: datetime) -> None:
        self.conn.execute(
            "UPDATE auth_tokens SET last_used_at = :now WHERE id = :id",
            {"id": token_id, "now": self.conn.ts(now)},
        )


class SqlGrants:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, grant: Grant) -> None:
        self.conn.execute(
            "INSERT INTO grants (id, athlete_id, coach_id, can_write, created_at) "
            "VALUES (:id, :a, :c, :w, :t)",
            {
                "id": grant.id,
                "a": grant.athlete_id,
                "c": grant.coach_id,
                "w": bool(grant.can_write),
                "t": self.conn.ts(grant.created_at),
            },
        )

    def set_write(self, grant_id: str, can_write: bool) -> None:
        self.conn.execute(
            "UPDATE grants SET can_write = :w WHERE id = :id",
            {"w": bool(can_write), "id": grant_id},
        )

    def _where(self, where: str, params: dict[str, Any], order: str) -> list[Grant]:
        rows = self.conn.all(f"{_GRANT} WHERE {where} ORDER BY {order}, g.id", params)
        return [_grant(r) for r in rows]

    def get(self, grant_id: str) -> Grant | None:
        found = self._where("g.id = :id", {"id": grant_id}, "g.id")
        return found[0] if found else None

    def find(self, athlete_id: str, coach_id: str) -> Grant | None:
        found = self._where(
            "g.athlete_id = :a AND g.coach_id = :c", {"a": athlete_id, "c": coach_id}, "g.id"
        )
        return found[0] if found else None

    def for_athlete(self, athlete_id: str) -> list[Grant]:
        return self._where("g.athlete_id = :a", {"a": athlete_id}, "u.username")

    def for_coach(self, coach_id: str) -> list[Grant]:
        return self._where("g.coach_id = :c", {"c": coach_id}, "lower(a.name), a.name")

    def delete(self, grant_id: str) -> None:
        self.conn.execute("DELETE FROM grants WHERE id = :id", {"id": grant_id})


class SqlLoginFailures:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, username: str, at: datetime) -> None:
        self.conn.execute(
            "INSERT INTO login_failures (username, at) VALUES (:u, :t)",
            {"u": username[:32], "t": self.conn.ts(at)},
        )

    def since(self, username: str, since: datetime) -> list[datetime]:
        rows = self.conn.tuples(
            "SELECT at FROM login_failures WHERE username = :u AND at >= :t ORDER BY at",
            {"u": username[:32], "t": self.conn.ts(since)},
        )
        return [parse_ts(r[0]) for r in rows]

    def clear(self, username: str) -> None:
        self.conn.execute("DELETE FROM login_failures WHERE username = :u", {"u": username[:32]})

    def prune(self, before: datetime) -> None:
        self.conn.execute("DELETE FROM login_failures WHERE at < :t", {"t": self.conn.ts(before)})
