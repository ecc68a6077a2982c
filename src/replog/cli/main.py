"""Entry point of the ``replog`` command.

Exit codes (DESIGN.md 2.4): 0 success, 1 a user error (one line naming the bad field),
2 a usage error. Heavy modules are imported inside commands so that ``replog log`` starts
fast; nothing here imports SQLAlchemy, Rich or the analytics.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from replog.cli import (
    commands_analyze,
    commands_data,
    commands_e1rm,
    commands_exchange,
    commands_log,
    commands_pap,
    commands_plan,
    commands_profile,
    commands_read,
    commands_readiness,
    commands_sensor,
    commands_serve,
    commands_video,
)
from replog.cli.context import state

app = typer.Typer(
    name="replog",
    help="RepLog: a training log that measures neural drive. Log sets, reps and bar velocity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL or SQLite file (default: $REPLOG_DATABASE_URL, else replog.db "
            "in the user data directory).",
        ),
    ] = None,
    athlete: Annotated[
        str | None,
        typer.Option(
            "--athlete", "-a", help="Whose log (default: $REPLOG_ATHLETE, else the first)."
        ),
    ] = None,
) -> None:
    """Global options, read before any command."""
    state.db = db
    state.athlete = athlete


commands_log.register(app)
commands_read.register(app)
commands_data.register(app)
commands_exchange.register(app)
commands_analyze.register(app)
commands_e1rm.register(app)
commands_profile.register(app)
commands_pap.register(app)
commands_plan.register(app)
commands_sensor.register(app)
commands_video.register(app)
commands_readiness.register(app)
commands_serve.register(app)


def run() -> None:
    """Console-script entry: turn RepLog errors into one line and exit code 1."""
    from replog.core.errors import ReplogError

    try:
        app()
    except ReplogError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if os.environ.get("REPLOG_DEBUG"):
            raise
        typer.echo(
            f"internal error: {type(exc).__name__}: {exc} (set REPLOG_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    run()
