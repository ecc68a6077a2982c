"""The app factory: ``create_app(settings)`` wires the routers, errors, limits and logs.

``replog serve`` runs it under uvicorn; tests drive it over real HTTP or its ASGI
interface. The schema is migrated when the app starts (and by ``replog db upgrade``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

from replog.api import (
    docs,
    errors,
    routes_analytics,
    routes_athletes,
    routes_auth,
    routes_exchange,
    routes_log,
    routes_plans,
    routes_sensors,
    routes_video,
)
from replog.api.errors import too_large
from replog.api.middleware import (
    Admission,
    BodyLimit,
    BodyTooLargeError,
    RequestLog,
    security_headers,
)
from replog.api.security import Argon2Hasher, PasswordSlots
from replog.api.settings import ApiSettings
from replog.bootstrap import HEAD_REVISION, open_database, unit_of_work_on
from replog.services.import_writer import undo_stale_imports

log = logging.getLogger("replog.server")
PREFIX = "/api/v1"
VERSION = "0.1.0"
DESCRIPTION = (
    "RepLog: a training log that measures neural drive. Sign up, then send "
    "'Authorization: Bearer TOKEN' (POST /auth/login with kind 'api') or use the session "
    'cookie with the X-CSRF-Token header. Every error is {"error": {code, message, '
    "field, line}}. Writes take client ids: a retried POST returns the original."
)


class Health(BaseModel):
    status: str
    schema_revision: str | None = None


def create_app(settings: ApiSettings, *, inline_scripts: tuple[str, ...] = ()) -> FastAPI:
    """The API; ``inline_scripts`` are the SHA-256 (base64) of inline scripts the pages
    serve, which its Content-Security-Policy allows (the web app's import map)."""
    db = open_database(settings.database_url, pool_size=settings.pool_size)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Every database call runs in a worker thread, each holding at most a reader's and a
        # writer's connection: as many threads as the pool keeps connections, so a worker
        # never opens more than 2 x pool_size of them. More requests wait their turn in
        # the event loop instead of PostgreSQL refusing them ("too many clients", 41 errors
        # in 20 s at 64 clients on two workers before).
        to_thread.current_default_thread_limiter().total_tokens = max(1, settings.pool_size)
        await run_in_threadpool(db.ensure_schema)  # migrate on start
        await run_in_threadpool(db.refresh_statistics)
        await run_in_threadpool(undo_stale_imports, unit_of_work_on(db))  # writers that died
        keeper = asyncio.create_task(_keep_statistics(db, settings.statistics_every_s))
        yield
        keeper.cancel()
        db.dispose()

    app = FastAPI(
        title="RepLog",
        version=VERSION,
        description=DESCRIPTION,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.settings = settings
    app.state.hasher = Argon2Hasher(
        PasswordHasher(time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib)
    )
    app.state.password_slots = PasswordSlots(settings.password_slots, settings.password_queue)
    errors.install(app)

    async def on_too_large(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, BodyTooLargeError)
        return too_large(exc.limit)

    app.add_exception_handler(BodyTooLargeError, on_too_large)
    for module in (
        routes_auth,
        routes_athletes,
        routes_log,
        routes_analytics,
        routes_sensors,
        routes_video,
        routes_exchange,
        routes_plans,
    ):
        app.include_router(module.router, prefix=PREFIX, responses=errors.COMMON_ERRORS)
    _add_operations(app, db)
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        upload_limit=settings.max_upload_bytes,
        video_limit=settings.max_video_bytes,
    )
    app.add_middleware(
        Admission,
        limit=settings.max_requests,
        exempt=(f"{PREFIX}/health", f"{PREFIX}/ready"),
    )
    app.add_middleware(
        RequestLog,
        enabled=settings.log_requests,
        headers=security_headers((docs.STYLE_SHA256,), inline_scripts),
    )
    return app


async def _keep_statistics(db: Any, every_s: float) -> None:
    """Every ``every_s`` seconds, analyse the tables written to a lot since their last
    statistics (:meth:`Database.refresh_stale_statistics`), whatever autovacuum does."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await run_in_threadpool(db.refresh_stale_statistics)
        except Exception:  # the database away for a moment: try again next time
            log.warning("refreshing the query planner's statistics failed", exc_info=True)


def _add_operations(app: FastAPI, db: Any) -> None:
    @app.get(f"{PREFIX}/health", response_model=Health, tags=["operations"])
    def health() -> Health:
        """Liveness: the process answers (no database call)."""
        return Health(status="ok")

    @app.get(
        f"{PREFIX}/ready",
        response_model=Health,
        tags=["operations"],
        responses={503: {"model": errors.ErrorEnvelope, "description": "Not ready"}},
    )
    def ready() -> Any:
        """Readiness: the database answers and its schema is this version's."""
        try:
            revision = db.current_revision()
        except Exception as exc:  # any failure to reach the database means not ready
            return errors.envelope(503, "storage", f"the database does not answer: {exc}")
        if revision != HEAD_REVISION:
            return errors.envelope(
                503, "storage", f"schema {revision}, expected {HEAD_REVISION}: migrating"
            )
        return Health(status="ready", schema_revision=revision)

    @app.get(f"{PREFIX}/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(docs.render(app.openapi(), routes_sensors.stream_docs()))
