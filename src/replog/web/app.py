"""``create_web_app(settings)``: the API app with the pages, static files and PWA files."""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from replog.api.app import create_app
from replog.api.settings import ApiSettings
from replog.web import (
    pages_auth,
    pages_drive,
    pages_history,
    pages_history_more,
    pages_more,
    pages_plans,
    pages_team,
    pages_today,
)
from replog.web.render import import_map_sha256, render
from replog.web.viewer import PageNotFoundError, SignInRequiredError

STATIC = Path(__file__).with_name("static")
PAGE_ROUTERS = [
    pages_auth.router,
    pages_today.router,
    pages_drive.router,
    pages_history.router,
    pages_history_more.router,
    pages_team.router,
    pages_plans.router,
    pages_more.router,
]


def create_web_app(settings: ApiSettings) -> FastAPI:
    app = create_app(settings, inline_scripts=(import_map_sha256(),))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in PAGE_ROUTERS:
        app.include_router(router)

    async def sign_in_first(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequiredError)
        return RedirectResponse(exc.login_url, status_code=303)

    async def not_found(request: Request, exc: Exception) -> Response:
        return render(request, "error.html", title="Not found", message=str(exc), status=404)

    app.add_exception_handler(SignInRequiredError, sign_in_first)
    app.add_exception_handler(PageNotFoundError, not_found)

    @app.get("/sw.js", include_in_schema=False)
    def service_worker() -> FileResponse:
        """At the root, so that the worker's scope is the whole app."""
        return FileResponse(
            STATIC / "sw.js", media_type="text/javascript", headers={"Cache-Control": "no-cache"}
        )

    @app.get("/manifest.webmanifest", include_in_schema=False)
    def manifest() -> FileResponse:
        return FileResponse(STATIC / "manifest.webmanifest", media_type="application/manifest+json")

    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory replog.web.app:app_from_env`` (worker processes)."""
    from replog.config import Settings

    url = Settings.from_env().database_url
    app = create_web_app(ApiSettings.from_env(url))
    settle_heap()
    return app


def settle_heap() -> None:
    """A serving process, once its app is built: move everything alive into the collector's
    permanent generation. Otherwise every full collection walks the whole of NumPy, SciPy,
    FastAPI and Pydantic for nothing: 55-60 ms every eighth request on Today, found by
    timing collections, which freed no objects. Not for tests, which build many apps in
    one process: what is frozen is never collected."""
    gc.collect()
    gc.freeze()
