"""Which app a file came from, and the reader for it.

Detection looks at the content, not the name: a FIT file's header says ``.FIT``; RepLog's
JSON says ``"format": "replog"``; OpenBarbell's JSON is an object of sets with ``reps``;
each CSV app has its own header words (Fitbod's ``isWarmup``; GymBook's ``Reps / Time``, in
Italian ``Ripetizioni / Tempo``, or its shape in other languages). Readers are imported only
when used.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, TypeVar

from replog.core.errors import ImportFormatError, ReplogError
from replog.io.jefit import is_jefit
from replog.io.strong_header import is_strong_header
from replog.io.table import normalise_header
from replog.services.exchange import Bundle
from replog.services.imported import SourceFile

# format -> (module, function, what the file is)
READERS: dict[str, tuple[str, str, str]] = {
    "strong": ("replog.io.strong", "read_strong", "Strong export"),
    "hevy": ("replog.io.hevy", "read_hevy", "Hevy export"),
    "fitnotes": ("replog.io.fitnotes", "read_fitnotes", "FitNotes export"),
    "liftosaur": ("replog.io.liftosaur", "read_liftosaur", "Liftosaur export"),
    "fitbod": ("replog.io.fitbod", "read_fitbod", "Fitbod export"),
    "gymbook": ("replog.io.gymbook", "read_gymbook", "GymBook export"),
    "jefit": ("replog.io.jefit", "read_jefit", "JEFIT export"),
    "fit": ("replog.io.fit", "read_fit", "Garmin FIT activity"),
    "openbarbell": ("replog.io.openbarbell_import", "read_openbarbell_sets", "OpenBarbell data"),
    "velocity-csv": ("replog.io.rep_csv", "read_rep_csv", "per-rep velocity CSV"),
}
REPLOG = "replog"
FORMATS = (REPLOG, *READERS)


def describe(fmt: str) -> str:
    return "RepLog JSON export" if fmt == REPLOG else READERS[fmt][2]


def detect(data: bytes, name: str) -> str:
    """The format of a file's bytes, or an error listing what RepLog reads."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    text = decode_text(data, name)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return _json_kind(stripped, name)
    if is_jefit(stripped):  # sections, each with its own header
        return "jefit"
    first = next((line for line in stripped.splitlines() if line.strip()), "")
    header = {normalise_header(h.strip().strip('"')) for h in first.replace(";", ",").split(",")}
    if {"exercise_title", "set_index"} <= header:
        return "hevy"
    if {"workout datetime", "completed reps"} <= header:
        return "liftosaur"
    if {"date", "exercise", "reps", "iswarmup"} <= header:
        return "fitbod"
    if _is_gymbook(first):
        return "gymbook"
    if is_strong_header(first.replace(";", ",").split(",")):
        return "strong"
    if {"date", "exercise", "category"} <= header:
        return "fitnotes"
    if "rep" in header and header & {"mcv", "mean_velocity", "velocity"}:
        return "velocity-csv"
    raise ImportFormatError(
        f"{name}: cannot tell which app wrote this file (first line {first[:80]!r}); "
        f"name it with --format, one of: {', '.join(FORMATS)}",
        field="format",
        line=1,
    )


_GYMBOOK_WORDS = (  # header cells only GymBook writes, in English and in Italian
    {"set / warm-up set / cool-down set", "reps / time", "weight / distance"},
    {"set / set di riscaldamento / set di defaticamento", "ripetizioni / tempo", "peso / distanza"},
)


def _is_gymbook(first: str) -> bool:
    """GymBook's header: its English or Italian column names, or in any language its shape
    (twelve columns, the 8th to 10th naming alternatives with ``/``)."""
    cells = [normalise_header(c) for c in next(csv.reader([first]), [])]
    if any(words <= set(cells) for words in _GYMBOOK_WORDS):
        return True
    return len(cells) == 12 and all("/" in cells[i] for i in (7, 8, 9))


def decode_text(data: bytes, name: str) -> str:
    """The bytes of a text export as a string (UTF-8, BOM or not), or a clear error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"{name} is not UTF-8 text (byte {exc.start}); export it again as UTF-8 CSV",
            field="file",
        ) from None


def _json_kind(text: str, name: str) -> str:
    head = text[:4096]
    if '"format"' in head and '"replog"' in head:
        return REPLOG
    try:
        doc: Any = json.loads(text, parse_constant=lambda c: None)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{name}: not valid JSON ({exc.msg})", line=exc.lineno) from None
    if isinstance(doc, dict) and doc.get("format") == REPLOG:
        return REPLOG
    if isinstance(doc, dict) and any(isinstance(v, dict) and "reps" in v for v in doc.values()):
        return "openbarbell"
    raise ImportFormatError(
        f'{name}: not a RepLog export (no "format": "replog") nor OpenBarbell data', field="format"
    )


def read_source(data: bytes, name: str, fmt: str, tz: tzinfo | None) -> SourceFile:
    """Read ``data`` as ``fmt`` (not ``replog``: that is a whole bundle, see replog_json)."""
    if fmt not in READERS:
        raise ImportFormatError(
            f"unknown format {fmt!r}; use auto or one of: {', '.join(FORMATS)}", field="format"
        )
    module, function, _ = READERS[fmt]
    reader: Callable[..., SourceFile] = getattr(importlib.import_module(module), function)
    if fmt == "fit":
        return reader(data, name=name)
    return reader(decode_text(data, name), name=name, tz=tz)


@dataclass(frozen=True, slots=True)
class Upload:
    """A file read as its format: another app's sets, or RepLog's own bundle."""

    format: str
    source: SourceFile | None = None  # another app's export
    bundle: Bundle | None = None  # RepLog's JSON


def read_upload(data: bytes, name: str, fmt: str, tz: tzinfo | None) -> Upload:
    """Read an export as the CLI and the API both do: the format told from the content
    (``fmt`` "auto") or as named, then its reader. An error a reader did not mean (a bug on
    an odd file) is still an :class:`ImportFormatError` about the file, never a traceback."""
    kind = _guarded(lambda: detect(data, name), name, "any format") if fmt == "auto" else fmt
    if kind == REPLOG:
        from replog.io.replog_json import loads

        return Upload(kind, bundle=_guarded(lambda: loads(decode_text(data, name)), name, kind))
    return Upload(kind, source=_guarded(lambda: read_source(data, name, kind, tz), name, kind))


T = TypeVar("T")


def _guarded(reader: Callable[[], T], name: str, kind: str) -> T:
    try:
        return reader()
    except ReplogError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        raise ImportFormatError(
            f"{name} could not be read as {kind}: {type(exc).__name__}: {exc}"[:300], "file"
        ) from None
