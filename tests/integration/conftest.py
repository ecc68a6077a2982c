"""Service and storage tests run on every unit of work: the SQL adapter on a real SQLite file
(and PostgreSQL when configured), and the in-memory one the service tests are fast on
(:mod:`replog.storage.memory`), so the two adapters are held to one contract."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replog.services.ports import UnitOfWork
from replog.storage.database import Database
from replog.storage.memory import MemoryUnitOfWork
from replog.storage.uow import SqlUnitOfWork


@pytest.fixture(
    params=[
        pytest.param("memory", id="memory"),
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> UnitOfWork:
    """A unit of work on an empty store: in memory, or a migrated SQL database."""
    if request.param == "memory":
        return MemoryUnitOfWork()
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/t.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), tmp_path / "t.db")
        return SqlUnitOfWork(Database(url))
    db = Database(request.getfixturevalue("postgres_schema_url"))
    db.ensure_schema()
    return SqlUnitOfWork(db)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``sql_only`` read the SQL adapter's own tables: not on the in-memory one."""
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for i in items:
        memory_run = "[memory" in i.name and i.get_closest_marker("sql_only") is not None
        (dropped if memory_run else kept).append(i)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
