"""`replog analyze`: what the nervous system did in a session, and what to do next."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from replog.cli.context import console, print_json, state
from replog.cli.format import effort_text, load_text, when

if TYPE_CHECKING:
    from replog.services.analytics import AnalysisResult
    from replog.services.ports import StoredAnalysis

FLAG_WORDS = {
    "neural_dropoff": "drop-off",
    "grinding": "grinding",
    "passive_intent": "passive",
    "rpe_velocity_mismatch": "RPE?",
}


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)


def analyze(
    target: Annotated[
        str,
        typer.Argument(help="Session id (or prefix), 'last', a date, or a RepLog JSON export."),
    ] = "last",
    all_sessions: Annotated[
        bool, typer.Option("--all", help="Every session (of the log, or of the file).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Neural drop-off, velocity loss, grinding, intent and RPE for a session, with advice.

    A file in RepLog's export format is analysed without a database.
    """
    from replog.core.analysis_doc import session_analysis_to_dict
    from replog.services import analytics

    path = Path(target)
    if target.endswith(".json") or path.is_file():
        from replog.core.errors import ValidationError
        from replog.io.replog_json import loads

        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValidationError(f"cannot read {target}: {exc.strerror}", field="file") from None
        results = analytics.analyze_bundle(loads(text), "all" if all_sessions else "last")
    elif all_sessions:
        _, stored, _ = analytics.history_analyses(state.uow(), state.lifter())
        if as_json:  # the stored documents are JSON already: no need to parse them
            sys.stdout.write('{"sessions": [' + ",\n".join(e.doc for e in stored) + "]}\n")
        else:
            _print_overview(stored)
        return
    else:
        results = [analytics.analyze_stored(state.uow(), state.lifter(), target)]
    if as_json:
        docs = [session_analysis_to_dict(r.analysis, r.athlete.name) for r in results]
        print_json(docs[0] if len(docs) == 1 and not all_sessions else {"sessions": docs})
        return
    if all_sessions:
        _print_overview([analytics.to_stored(r) for r in results])
    else:
        for r in results:
            _print_session(r)


def _print_session(r: AnalysisResult) -> None:
    from itertools import groupby

    from rich import box
    from rich.table import Table

    from replog.core.advice import summary

    out = console()
    a = r.analysis
    out.print(f"[bold]Analysis of {when(a.session.started_at)}[/bold] · {a.session.id[:13]}")
    for key, block in groupby(a.sets, key=lambda x: x.set.exercise):
        ex = r.exercises.get(key)
        model = {"profile": "your profile", "population": "population table"}.get(
            r.models.get(key, ""), "no velocity model yet"
        )
        table = Table(
            title=f"[bold]{ex.name if ex else key}[/bold] [dim](compared with {model})[/dim]",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            header_style="dim",
            pad_edge=False,
        )
        for col in ("#", "set", "mean v", "loss", "drop-off", "flags"):
            table.add_column(
                col, no_wrap=True, justify="right" if col in {"mean v", "loss"} else "left"
            )
        for x in block:
            s, v = x.set, x.velocity
            flags = [word for name, word in FLAG_WORDS.items() if getattr(x.flags, name)]
            drop = "" if x.dropoff_pct is None else f"{x.dropoff_pct:.1f}%"
            table.add_row(
                str(s.position),
                f"{load_text(s)} x {s.reps} {effort_text(s)}".rstrip()
                + ("" if s.kind.value == "working" else f" [{s.kind.value}]"),
                f"{v.mean:.2f}" if v else "",
                f"{v.loss_pct:.0f}%" if v else "",
                drop,
                ", ".join(flags),
            )
        out.print(table)
    out.print(summary(a.recommendations, a.sets))
    for rec in a.recommendations:
        out.print(f"[bold]{rec.kind.replace('_', ' ')}[/bold]: {rec.reason}")
        out.print(f"  -> {rec.action}")


def _print_overview(stored: list[StoredAnalysis]) -> None:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for col in ("session", "when", "sets", "drop-off sets", "advice"):
        table.add_column(col)
    for e in stored:
        table.add_row(
            e.session_id[:13],
            when(e.started_at),
            str(e.sets),
            str(e.dropoff_sets or ""),
            e.advice.replace("_", " ").replace(",", ", "),
        )
    console().print(table)
