"""The export formats, one list for the command line, the API and the web page, and the
one function that writes each.

``json`` is everything and imports back exactly; ``reps-csv`` (alias ``csv``) one row per
rep, which imports back through the velocity-CSV reader; ``sets-csv`` one row per set with
its velocity summary, for a spreadsheet; ``strong`` a Strong-style CSV other apps import
(times in the zone given).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from replog.core.errors import ValidationError
from replog.services.exchange import Bundle

__all__ = ["ALIASES", "EXPORTS", "ExportKind", "export_kind", "write_export"]


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
    """The bundle as ``kind``'s text; ``names`` are the exercises' names by key, ``at`` the
    export's time (JSON), ``tz`` the zone of the Strong format's times."""
    if kind.name == "json":
        from replog.io.replog_json import dumps

        return dumps(bundle, at)
    if kind.name == "strong":
        from replog.io.strong import write_strong

        return write_strong(bundle.athletes, names, tz)
    from replog.io.rep_csv import write_reps_csv, write_sets_csv

    writer = write_reps_csv if kind.name == "reps-csv" else write_sets_csv
    return writer(bundle.athletes, names)
