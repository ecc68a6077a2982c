"""Exports stream (issue 20, item 5): an export built the whole document in memory (1.4 GB
of server memory for a 138k-set log, 3.2 GB for three at once). Now the sessions are read
in pages and written as they come, so memory stays flat whatever the size of the log."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from collections.abc import Iterable
from datetime import UTC, datetime

import pytest

from replog.io.exports import EXPORTS, stream_export, write_export
from replog.io.replog_json import loads
from replog.services import exchange
from replog.services.exchange import EXPORT_PAGE, StoredLog, exercise_names, export_bundle
from replog.services.ports import UnitOfWork
from replog.storage.memory import MemoryUnitOfWork
from tests.integration.long_history import history

AT = datetime(2026, 7, 1, 12, tzinfo=UTC)


@pytest.fixture
def long_log(uow: UnitOfWork):
    if isinstance(uow, MemoryUnitOfWork):
        pytest.skip("an in-memory log is in memory anyway")
    athlete = history(uow, 3000, seed=11)  # ~1,200 sessions, ~3,500 sets, 6 pages
    with uow:
        assert len(uow.sessions.starts(athlete.id)) > 5 * EXPORT_PAGE
    return uow, athlete


def _digest(pieces: Iterable[str]) -> tuple[str, int]:
    """The text's SHA-256 and the number of pieces it came in, keeping none of them."""
    h, n = hashlib.sha256(), 0
    for piece in pieces:
        h.update(piece.encode())
        n += 1
    return h.hexdigest(), n


def _peak(fn) -> tuple[int, object]:
    tracemalloc.start()
    try:
        out = fn()
        return tracemalloc.get_traced_memory()[1], out
    finally:
        tracemalloc.stop()


def test_every_export_is_written_in_flat_memory_and_as_before(
    long_log, monkeypatch: pytest.MonkeyPatch
) -> None:
    uow, athlete = long_log
    monkeypatch.setattr(exchange, "EXPORT_PAGE", 20)  # a log of over a hundred pages
    names = exercise_names(uow)
    bundle = export_bundle(uow, athlete)
    for kind in EXPORTS.values():
        whole_peak, whole = _peak(
            lambda k=kind: write_export(k, export_bundle(uow, athlete), names, AT, UTC)
        )
        pieces = stream_export(kind, StoredLog(uow, athlete), names, AT, UTC)
        peak, (digest, n) = _peak(lambda p=pieces: _digest(p))
        assert digest == hashlib.sha256(whole.encode()).hexdigest(), kind.name
        assert n > 1  # it came in pieces
        # about one page of sessions in memory at a time, not the whole log and its text
        assert peak < whole_peak / 3, f"{kind.name}: {peak / 1e6:.1f} MB, {whole_peak / 1e6:.1f}"
        if kind.name == "json":
            assert loads(whole) == bundle  # and it imports back exactly
            assert json.loads(whole)["athletes"][0]["id"] == athlete.id
