"""The one error envelope: every 4xx and 5xx body is ``{"error": {code, message, field, line}}``.

``field`` names the input at fault as a dotted path into the body (``load``,
``reps[2].mcv``), or a query or path parameter's name; ``code`` is stable for clients
(``invalid``, ``malformed_json``, ``not_found``, ``conflict``, ``unauthenticated``,
``forbidden``, ``rate_limited``, ``too_large``, ...). A test pins this shape.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from replog.core.errors import ReplogError

log = logging.getLogger("replog.api")


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    line: int | None = None


class ErrorEnvelope(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """An error the API itself raises (authentication, limits), with its status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = headers


STATUS_BY_CODE = {
    "invalid": 422,
    "bad_import": 422,
    "unknown_exercise": 422,
    "not_found": 404,
    "conflict": 409,
    "storage": 503,
    "unauthenticated": 401,
    "rate_limited": 429,
}


def envelope(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    line: int | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "field": field, "line": line}}
    return JSONResponse(body, status_code=status, headers=headers)


def too_large(limit: int) -> JSONResponse:
    """The one answer to a body over the limit: the middleware's (declared or counted), and
    the app's when the body grew past it while FastAPI read it."""
    return envelope(
        413, "too_large", f"the body is larger than the {limit} bytes this endpoint takes",
        "body", headers={"Connection": "close"},
    )  # fmt: skip


def _field(loc: Sequence[Any]) -> str | None:
    """``("body", "reps", 2, "mcv")`` -> ``reps[2].mcv``; the request part is dropped."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif p:
            out += f".{p}" if out else str(p)
    return out or None


def validation_response(errors: Sequence[Any]) -> JSONResponse:
    """The first of Pydantic's errors, in the envelope; malformed JSON is a 400."""
    first = dict(errors[0]) if errors else {"loc": (), "msg": "invalid request"}
    kind = str(first.get("type", ""))
    field = _field(first.get("loc", ()))
    if kind == "json_invalid":
        ctx = first.get("ctx")
        detail = ctx.get("error", "") if isinstance(ctx, dict) else ""
        return envelope(400, "malformed_json", f"the body is not valid JSON: {detail}", "body")
    message = str(first.get("msg", "invalid value"))
    if kind == "missing":
        message = "this field is required"
    elif kind == "extra_forbidden":
        message = "unknown field"
    if field is None and kind in {"missing", "model_attributes_type", "dict_type"}:
        field, message = "body", "expected a JSON object body"
    return envelope(422, "invalid", message, field)


def install(app: FastAPI) -> None:
    """Route every error into the envelope."""

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return validation_response(exc.errors())

    async def on_replog(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ReplogError)
        status = STATUS_BY_CODE.get(exc.code, 422)
        headers = None
        retry = getattr(exc, "retry_after_s", None)
        if retry is not None:
            headers = {"Retry-After": str(retry)}
        message = exc.message
        if status == 503:  # the details (host, database) go to the log, not to the caller
            log.error("storage error: %s", exc)
            message = "the database is unavailable or busy; try again (a write's retry is safe)"
            headers = {"Retry-After": "1"}
        return envelope(status, exc.code, message, exc.field, exc.line, headers)

    async def on_api(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return envelope(exc.status, exc.code, exc.message, exc.field, headers=exc.headers)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        cause = exc.__cause__ or exc.__context__
        limit = getattr(cause, "limit", None)
        if limit is not None:  # the body grew past the limit while FastAPI read it
            return too_large(limit)
        if exc.status_code == 400:
            return envelope(400, "malformed_body", "the body could not be read", "body")
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated"}
        message = {404: "no such endpoint", 405: "method not allowed"}.get(
            exc.status_code, str(exc.detail)
        )
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:  # Starlette names only the first route's methods
            allowed = ", ".join(allowed_methods(request))
            headers["Allow"] = allowed
            message = f"method not allowed; this path takes {allowed}"
        return envelope(
            exc.status_code,
            codes.get(exc.status_code, "http_error"),
            message,
            headers=headers or None,
        )

    async def on_bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return envelope(500, "internal", "internal error; it has been logged")

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(ReplogError, on_replog)
    app.add_exception_handler(ApiError, on_api)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_bug)


METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at the request's path (routers may nest: each method
    is asked of them all), sorted."""
    routes = request.app.router.routes
    return [
        m
        for m in METHODS
        if any(r.matches({**request.scope, "method": m})[0] is Match.FULL for r in routes)
    ]


def _doc(description: str) -> dict[str, Any]:
    return {"model": ErrorEnvelope, "description": description}


COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _doc("Malformed JSON"),
    401: _doc("Not signed in, or the token is unknown, revoked or expired"),
    403: _doc("Signed in, but this needs the owner's or write access"),
    404: _doc("No such object, or not yours to see"),
    409: _doc("The id is taken, or the object changed since its version"),
    413: _doc("The body is larger than the server takes"),
    422: _doc("A value is missing, of the wrong type or out of range"),
    429: _doc("Too many attempts; retry after the seconds in Retry-After"),
    503: _doc("The database is unavailable"),
}
"""Documented on every route, so clients (and schemathesis) know the envelope."""
