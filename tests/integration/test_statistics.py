"""Query-planner statistics kept fresh after bulk writes (issue 20, item 8): on PostgreSQL
with autovacuum off or slow, a log of 54k unanalysed sets cost 18-20 ms of CPU per logged
set (4.6 once analysed); the server analysed only when it started."""

from __future__ import annotations

import time

import pytest

from replog.storage.database import STALE_ROWS, Database
from replog.storage.uow import SqlUnitOfWork
from tests.integration.long_history import history


@pytest.mark.postgres
def test_tables_written_a_lot_are_analysed_and_only_those(postgres_schema_url: str) -> None:
    db = Database(postgres_schema_url)
    db.ensure_schema()
    db.refresh_statistics()  # as the server starts
    assert db.refresh_stale_statistics() == []  # nothing written since
    history(SqlUnitOfWork(db), 2 * 365, seed=8)  # ~1,000 sets, ~3,000 reps
    deadline = time.monotonic() + 10  # the statistics of writes reach pg_stat within ~1 s
    analysed: list[str] = []
    while "reps" not in analysed and time.monotonic() < deadline:
        analysed += db.refresh_stale_statistics()
        time.sleep(0.2)
    assert "reps" in analysed
    assert "login_failures" not in analysed
    conn = db.connect()
    try:
        row = conn.raw.execute(
            "SELECT n_mod_since_analyze AS n_mod, last_analyze AS last FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema() AND relname = 'reps'"
        ).fetchone()
        n_mod, last = row["n_mod"], row["last"]
    finally:
        conn.close()
    assert last is not None
    assert n_mod < STALE_ROWS
    assert db.refresh_stale_statistics() == []
    db.dispose()


def test_sqlite_statistics_refresh_is_a_cheap_no_op_to_call(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path}/s.db")
    db.ensure_schema()
    history(SqlUnitOfWork(db), 200, seed=9)
    assert db.refresh_stale_statistics() == []  # PRAGMA optimize analyses what it needs
