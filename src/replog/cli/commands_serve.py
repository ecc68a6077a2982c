"""`replog serve`: the RepLog server (web app, REST API and WebSocket) under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from replog.cli.context import state

DEMO_PASSWORD = "replog-demo"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[
        str, typer.Option(help="Interface to listen on (0.0.0.0: the LAN).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=0, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (one per core).", min=1, max=64)
    ] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo data and accounts first (demo, coach).")
    ] = False,
) -> None:
    """Run the server: migrates the database, then serves /api/v1 (docs at /api/v1/docs)."""
    import uvicorn

    from replog.api.middleware import configure_logging
    from replog.api.settings import ApiSettings
    from replog.bootstrap import Database, redact

    url = state.settings().database_url
    Database(url).ensure_schema()
    settings = ApiSettings.from_env(url)
    logins = _demo(url) if demo else []
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    typer.echo(f"RepLog is serving {redact(url)}")
    typer.echo(f"  open   http://{shown}:{port}/")
    typer.echo(f"  API    http://{shown}:{port}/api/v1/docs")
    for who, password in logins:
        typer.echo(f"  login  {who} / {password}")
    configure_logging()
    common = {
        "host": host, "port": port, "log_config": None, "access_log": False,
        "ws_max_size": settings.max_stream_message_bytes, "proxy_headers": True,
    }  # fmt: skip
    if workers == 1:
        from replog.web.app import create_web_app, settle_heap

        app = create_web_app(settings)
        settle_heap()
        uvicorn.run(app, **common)  # type: ignore[arg-type]
    else:
        os.environ["REPLOG_DATABASE_URL"] = url
        uvicorn.run(
            "replog.web.app:app_from_env",
            factory=True,
            workers=workers,
            **common,  # type: ignore[arg-type]
        )


def _demo(url: str) -> list[tuple[str, str]]:
    """Demo data for the athlete 'demo', its account, and a coach who may read it."""
    import contextlib
    from datetime import UTC, datetime

    from replog.api.security import Argon2Hasher
    from replog.bootstrap import Database, unit_of_work_on
    from replog.core.errors import ConflictError
    from replog.services import accounts
    from replog.services.demo import load_demo

    db = Database(url)
    load_demo(unit_of_work_on(db))
    hasher, now = Argon2Hasher(), datetime.now(UTC)
    users = {}
    for name in ("demo", "coach"):
        with contextlib.suppress(ConflictError):  # made by an earlier run: keep it as it is
            users[name] = accounts.sign_up(
                unit_of_work_on(db), hasher, name, DEMO_PASSWORD, now=now, claim_athlete=True
            )
    if "demo" in users:
        accounts.grant_access(unit_of_work_on(db), users["demo"], "coach", can_write=False, now=now)
    return [("demo", DEMO_PASSWORD), ("coach", DEMO_PASSWORD)]
