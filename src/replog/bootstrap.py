"""The composition root: the one place that wires storage into services."""

from __future__ import annotations

from replog.config import Settings
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork


def unit_of_work(settings: Settings) -> SqlUnitOfWork:
    return SqlUnitOfWork(Database(settings.database_url))
