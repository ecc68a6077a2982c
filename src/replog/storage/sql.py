"""SQL text and small queries the repositories share."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from replog.core.errors import NotFoundError

if TYPE_CHECKING:
    from replog.storage.connection import Connection

CLASH = "the write conflicts with stored data: an id, a name or a set position already in use"
"""What a write a uniqueness constraint refused says (never the database's own words)."""
PRIMER_SETS = "kind = 'primer'"
MAX_EFFORT_SETS = "kind IN ('failure', 'amrap') OR rpe = 10 OR (rpe IS NULL AND rir = 0)"
"""Sets marked as primers, and as max efforts (core.profile_data.max_effort_last_reps'
candidates): the predicates of partial indexes (schema, migration 0011), which queries
repeat word for word for SQLite to use them."""

JOIN = "sets s JOIN sessions se ON se.id = s.session_id"
JOIN_TO = "sets s ON s.id = {} JOIN sessions se ON se.id = s.session_id"
PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
"""A ``:name`` parameter (not a ``::type`` cast)."""

Statement = tuple[str, Mapping[str, Any]]


def insert_sql(table: str, row: Mapping[str, Any]) -> str:
    return f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})"


def values_statement(table: str, rows: Sequence[Mapping[str, Any]]) -> Statement:
    """One INSERT of all ``rows`` (each with the same keys), as many VALUES."""
    columns = list(rows[0])
    values = ", ".join(
        "(" + ", ".join(f":{c}_{i}" for c in columns) + ")" for i in range(len(rows))
    )
    params = {f"{c}_{i}": row[c] for i, row in enumerate(rows) for c in columns}
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}", params


def with_all(statements: Sequence[Statement]) -> Statement:
    """PostgreSQL: writes (INSERT, UPDATE, DELETE) as one statement, all but the last in
    WITH clauses, their parameters renamed apart. They run on one snapshot, none seeing
    another's rows, except that foreign keys are checked at the end: a set and its reps
    may be inserted together."""
    parts, params = [], {}
    for i, (text, values) in enumerate(statements):
        parts.append(PARAMETER.sub(rf":w{i}_\1", text))
        params.update({f"w{i}_{k}": v for k, v in values.items()})
    heads = ", ".join(f"w{i} AS ({p})" for i, p in enumerate(parts[:-1]))
    return (f"WITH {heads} {parts[-1]}" if heads else parts[-1]), params


def version_or_none(conn: Connection, table: str, row_id: str) -> int | None:
    value = conn.scalar(f"SELECT version FROM {table} WHERE id = :id", {"id": row_id})
    return None if value is None else int(value)


def version_of(conn: Connection, table: str, row_id: str) -> int:
    """The version of a row just updated: a row that was not there is a caller's error."""
    value = version_or_none(conn, table, row_id)
    if value is None:
        raise NotFoundError(f"no {table[:-1]} {row_id}", field=table[:-1])
    return value
