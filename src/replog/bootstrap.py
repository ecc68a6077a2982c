"""The composition root: the one place that wires storage into services.

The CLI, the API and the web pages reach storage only through here (an import-linter
contract says so): the unit of work, the database handle and its schema version, and the
migration, which loads Alembic only when called.
"""

from __future__ import annotations

from replog.config import Settings
from replog.storage.database import HEAD_REVISION, Database, redact
from replog.storage.uow import SqlUnitOfWork

__all__ = [
    "HEAD_REVISION",
    "Database",
    "SqlUnitOfWork",
    "head_revision",
    "open_database",
    "redact",
    "unit_of_work",
    "unit_of_work_on",
    "upgrade",
]


def unit_of_work(settings: Settings) -> SqlUnitOfWork:
    return SqlUnitOfWork(Database(settings.database_url))


def open_database(url: str, *, pool_size: int = 0) -> Database:
    """The database at ``url``; a server keeps up to ``pool_size`` idle connections."""
    return Database(url, pool_size=pool_size)


def unit_of_work_on(
    db: Database, *, read_only: bool = False, scope: str | None = None
) -> SqlUnitOfWork:
    """A unit of work: ``read_only`` takes no writer's lock; ``scope`` (an athlete's id)
    promises that it writes only that athlete's log, so other lifters' writes go on."""
    return SqlUnitOfWork(db, read_only=read_only, scope=scope)


def upgrade(db: Database) -> None:
    """Create the database or migrate it to this version's schema (Alembic)."""
    from replog.storage.migrate import upgrade as run

    run(db)


def head_revision() -> str:
    """The schema revision this version of RepLog expects."""
    from replog.storage.migrate import head_revision as head

    return head()
