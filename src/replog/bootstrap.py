"""The composition root: the one place that wires storage into services."""

from __future__ import annotations

from replog.config import Settings
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork


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
