"""The export formats, one list for the command line, the API and the web page, and the
one function that writes each.

``json`` is everything and imports back exactly; ``reps-csv`` (alias ``csv``) one row per
rep, which imports back through the velocity-CSV reader; ``sets-csv`` one row per set with
its velocity summary, for a spreadsheet; ``strong`` a Strong-style CSV other apps import
(times in the zone given).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from replog.core.errors import ValidationError
from replog.services.exchange import Bundle, BundleSource, LogSource

__all__ = ["ALIASES", "EXPORTS", "ExportKind", "export_kind", "stream_export", "write_export"]


@dataclass(frozen=True, slots=True)
class ExportKind:
    name: str
    media_type: str
    suffix: str  # of the file's name
    what: str


_CSV = "text/csv; charset=utf-8"
EXPORTS: dict[str, ExportKind] = {
    k.name: k
    for k in (
        ExportKind("json", "application/json", "json", "everything; imports back exactly"),
        ExportKind("reps-csv", _CSV, "reps.csv", "one row per rep; imports back"),
        ExportKind("sets-csv", _CSV, "sets.csv", "one row per set, for a spreadsheet"),
        ExportKind("strong", _CSV, "strong.csv", "a Strong-style CSV other apps import"),
    )
}
ALIASES = {"csv": "reps-csv", "reps": "reps-csv", "sets": "sets-csv"}


def export_kind(name: str) -> ExportKind:
    """The export format called ``name`` (or one of its aliases), or a clear error."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in EXPORTS:
        raise ValidationError(
            f"unknown export format {name!r}; use {', '.join(EXPORTS)} (csv: reps-csv)",
            "format",
        )
    return EXPORTS[key]


def write_export(
    kind: ExportKind, bundle: Bundle, names: Mapping[str, str], at: datetime, tz: tzinfo | None
) -> str:
    """The bundle as ``kind``'s text (:func:`stream_export` of a bundle in memory)."""
    return "".join(stream_export(kind, BundleSource(bundle), names, at, tz))


PIECE_CHARS = 1 << 16  # what stream_export hands on at a time, at least (but the last)


def stream_export(
    kind: ExportKind, log: LogSource, names: Mapping[str, str], at: datetime, tz: tzinfo | None
) -> Iterator[str]:
    """The log as ``kind``'s text, in pieces of :data:`PIECE_CHARS` or more as its
    sessions come (flat memory whatever its size); ``names`` are the exercises' names by
    key, ``at`` the export's time (JSON), ``tz`` the zone of the Strong format's times."""
    pending: list[str] = []
    size = 0
    for chunk in _chunks(kind, log, names, at, tz):
        pending.append(chunk)
        size += len(chunk)
        if size >= PIECE_CHARS:
            yield "".join(pending)
            pending, size = [], 0
    if pending:
        yield "".join(pending)


def _chunks(
    kind: ExportKind, log: LogSource, names: Mapping[str, str], at: datetime, tz: tzinfo | None
) -> Iterator[str]:
    if kind.name == "json":
        from replog.io.replog_json import dump_chunks

        return dump_chunks(log, at)
    if kind.name == "strong":
        from replog.io.strong import strong_chunks

        ordered = heapq.merge(*(log.sessions(d.athlete.id) for d in log.heads),
                              key=lambda s: s.started_at)  # fmt: skip
        return strong_chunks(ordered, names, tz)
    from replog.io.set_csv import REP_COLUMNS, SET_COLUMNS, csv_chunks, rep_rows, set_rows

    sessions = ((d.athlete.name, s) for d in log.heads for s in log.sessions(d.athlete.id))
    if kind.name == "reps-csv":
        return csv_chunks(REP_COLUMNS, rep_rows(sessions, names))
    return csv_chunks(SET_COLUMNS, set_rows(sessions, names))
