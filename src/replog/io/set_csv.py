"""RepLog's CSV exports, per set and per rep, and the value formatting they share.

:func:`write_sets_csv` writes one row per set, for a spreadsheet: the set as logged plus a
velocity summary of its reps. :func:`write_reps_csv` writes one row per rep (a set without
rep data gets one row with the rep columns empty): the file :mod:`replog.io.rep_csv`
reads back, documented in ``docs/formats/velocity-csv.md``.

Values are written as the JSON export writes them: the load as typed (``102.5``, never
``102.50000001`` nor ``1.025E+2``) with its unit beside it (and, per set, the kilograms
derived from it); timestamps ISO-8601 with their UTC offset; tags joined with ``;``.
Measured numbers are written with the shortest text that reads back as the same float,
never in scientific notation (which many spreadsheets and RepLog's own reader do not take
as a number). The exercise column holds the display name, ``exercise_key`` the key.

The per-set velocity columns summarise the reps' mean concentric velocities (m/s) with
:func:`replog.core.velocity.set_velocity`: ``mean_velocity`` is their mean (rounded to
0.1 mm/s), ``best_velocity`` the fastest, ``velocity_loss_pct`` the drop from the first
measured rep to the last, ``100 * (first - last) / first`` (rounded to 0.01 %). They are
empty for a set without measured reps."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from replog.core.model import Rep, Session, SetRecord
from replog.core.units import format_decimal
from replog.core.velocity import set_velocity
from replog.io.table import spreadsheet_safe
from replog.services.exchange import AthleteData

SET_COLUMNS = (
    "athlete",
    "session_id",
    "session_start",
    "session_name",
    "set_id",
    "position",
    "exercise_key",
    "exercise",
    "kind",
    "load",
    "unit",
    "load_kg",
    "reps",
    "rpe",
    "rir",
    "rest_s",
    "tags",
    "notes",
    "performed_at",
    "mean_velocity",
    "best_velocity",
    "velocity_loss_pct",
)
TAG_SEPARATOR = ";"
REP_COLUMNS = (
    "athlete",
    "session_start",
    "session_name",
    "exercise",
    "set",
    "kind",
    "load",
    "unit",
    "reps",
    "rpe",
    "rep",
    "mcv",
    "mpv",
    "peak_velocity",
    "rom",
    "concentric_s",
    "eccentric_s",
    "source",
    "rir",
    "exercise_key",
)


def number_text(value: float | int | None) -> str:
    """``0.1`` -> ``'0.1'``, ``1e-05`` -> ``'0.00001'``, None -> ``''``.

    The shortest digits that read back as the same float (Python's ``repr``), written
    positionally: ``float(number_text(x)) == x`` for every finite ``x``.
    """
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return format_decimal(Decimal(repr(value)))


def time_text(value: datetime | None) -> str:
    """ISO-8601 with the UTC offset (``2026-01-31T18:05:00+01:00``), or ``''``."""
    return "" if value is None else value.isoformat()


def exercise_name(key: str, names: Mapping[str, str]) -> str:
    """The display name of exercise ``key``, or the key itself when ``names`` lacks it."""
    return names.get(key) or key


def ordered_sets(session: Session) -> list[SetRecord]:
    """A session's sets in the order they were done."""
    return sorted(session.sets, key=lambda s: s.position)


CHUNK_ROWS = 1000  # rows of CSV text handed on at a time


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """CSV text with ``\\n`` line ends (the writer of the file picks the platform's), a
    chunk of :data:`CHUNK_ROWS` rows at a time; cells a spreadsheet would run as formulas
    are made text (:func:`replog.io.table.spreadsheet_safe`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([spreadsheet_safe(c) for c in row])
        if n % CHUNK_ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def to_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """:func:`csv_chunks` as one text."""
    return "".join(csv_chunks(header, rows))


Named = tuple[str, Session]  # a session with its athlete's name


def named_sessions(data: Iterable[AthleteData]) -> Iterator[Named]:
    """Every session of ``data`` with its athlete's name."""
    return ((d.athlete.name, s) for d in data for s in d.sessions)


def _set_row(athlete: str, session: Session, s: SetRecord, names: Mapping[str, str]) -> list[str]:
    summary = set_velocity(s)
    return [
        athlete,
        session.id,
        time_text(session.started_at),
        session.name,
        s.id,
        str(s.position),
        s.exercise,
        exercise_name(s.exercise, names),
        s.kind.value,
        format_decimal(s.load.value),
        s.load.unit.value,
        number_text(s.load.kg),
        str(s.reps),
        number_text(s.rpe),
        number_text(s.rir),
        number_text(s.rest_s),
        TAG_SEPARATOR.join(s.tags),
        s.notes,
        time_text(s.performed_at),
        "" if summary is None else number_text(round(summary.mean, 4)),
        "" if summary is None else number_text(summary.best),
        "" if summary is None else number_text(round(summary.loss_pct, 2)),
    ]


def set_rows(sessions: Iterable[Named], names: Mapping[str, str]) -> Iterator[list[str]]:
    """One row per set (columns :data:`SET_COLUMNS`) of the sessions, in the order given,
    sets by position. ``names`` maps exercise keys to the names shown in the ``exercise``
    column; the key is always in ``exercise_key``."""
    return (
        _set_row(athlete, session, s, names)
        for athlete, session in sessions
        for s in ordered_sets(session)
    )


def write_sets_csv(data: Sequence[AthleteData], names: Mapping[str, str]) -> str:
    """The sets of every athlete in ``data``, one row each (:func:`set_rows`)."""
    return to_csv(SET_COLUMNS, set_rows(named_sessions(data), names))


# ---------------------------------------------------------------------------- per rep
def _rep_row(
    athlete: str, start: str, session_name: str, s: SetRecord, name: str, rep: Rep | None
) -> list[str]:
    measures = ["", "", "", "", "", "", ""] if rep is None else _measures(rep)
    return [
        athlete,
        start,
        session_name,
        name,
        str(s.position),
        s.kind.value,
        format_decimal(s.load.value),
        s.load.unit.value,
        str(s.reps),
        number_text(s.rpe),
        "" if rep is None else str(rep.index),
        *measures,
        number_text(s.rir),
        s.exercise,
    ]


def _measures(rep: Rep) -> list[str]:
    values = (rep.mcv, rep.mpv, rep.peak_velocity, rep.rom, rep.concentric_s, rep.eccentric_s)
    return [*(number_text(v) for v in values), rep.source.value]


def rep_rows(sessions: Iterable[Named], names: Mapping[str, str]) -> Iterator[list[str]]:
    """One row per rep (columns :data:`REP_COLUMNS`) of the sessions, in the order given.

    ``exercise`` holds the display name from ``names`` (keyed by exercise key), what
    :func:`read_rep_csv` matches on import; ``exercise_key`` the key. A set without rep
    data is one row with ``rep`` and the measures empty.
    """
    return (
        _rep_row(
            athlete, time_text(ses.started_at), ses.name, s, exercise_name(s.exercise, names), rep
        )
        for athlete, ses in sessions
        for s in ordered_sets(ses)
        for rep in (s.rep_data or (None,))
    )


def write_reps_csv(data: Sequence[AthleteData], names: Mapping[str, str]) -> str:
    """Every rep of every athlete in ``data``, one row each (:func:`rep_rows`)."""
    return to_csv(REP_COLUMNS, rep_rows(named_sessions(data), names))
