"""Pure ASGI middleware: body-size limits, load shedding and one structured log line per
request.

Written as plain ASGI callables rather than ``BaseHTTPMiddleware``, which would cost a
task and a stream per request on the hot logging path.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi.responses import JSONResponse

from replog.api import errors
from replog.api.errors import too_large

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("replog.access")


class BodyTooLargeError(Exception):
    def __init__(self, limit: int):
        super().__init__(f"the body is larger than {limit} bytes")
        self.limit = limit


class BodyLimit:
    """Refuse bodies over ``limit`` bytes (``upload_limit`` on sensor and file uploads,
    ``video_limit`` on videos) with 413, from Content-Length when given, else by counting
    as the body streams in."""

    def __init__(
        self,
        app: Asgi,
        limit: int,
        upload_limit: int,
        upload_suffix: str | tuple[str, ...] = ("/sensor", "/imports"),
        video_limit: int | None = None,
        video_suffix: str | tuple[str, ...] = ("/video", "/video/preview"),
    ):
        self.app, self.limit, self.upload_limit = app, limit, upload_limit
        self.upload_suffix = upload_suffix
        self.video_limit = upload_limit if video_limit is None else video_limit
        self.video_suffix = video_suffix

    def _limit(self, path: str) -> int:
        if path.endswith(self.video_suffix):
            return self.video_limit
        return self.upload_limit if path.endswith(self.upload_suffix) else self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = limit + 1
                if declared > limit:
                    await too_large(limit)(scope, receive, send)
                    return
                break
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLargeError(limit)
            return message

        await self.app(scope, counted, send)


class Admission:
    """Shed load: past ``limit`` HTTP requests in progress, answer 503 with Retry-After at
    once instead of queueing without bound (a request waiting 50 s helps nobody; a phone's
    outbox retries). Liveness and readiness checks are always answered."""

    def __init__(self, app: Asgi, limit: int, exempt: tuple[str, ...] = ()):
        self.app, self.limit, self.exempt = app, limit, exempt
        self.in_progress = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.in_progress >= self.limit:
            await overloaded(self.limit)(scope, receive, send)
            return
        self.in_progress += 1  # one event loop: no lock needed
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_progress -= 1


RETRY_AFTER_S = 1


def overloaded(limit: int) -> JSONResponse:
    return errors.envelope(
        503, "overloaded",
        f"the server is at capacity ({limit} requests in progress); retry in {RETRY_AFTER_S} s",
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )  # fmt: skip


def security_headers(
    style_hashes: tuple[str, ...] = (), script_hashes: tuple[str, ...] = ()
) -> list[tuple[bytes, bytes]]:
    """What every response says to the browser: scripts, styles, images and connections
    only from this server (besides the inline styles and scripts it serves, named by their
    SHA-256 in base64), no framing by another site, no sniffing a type other than the one
    sent, no full URL to other sites in Referer."""
    styles = "".join(f" 'sha256-{h}'" for h in style_hashes)
    scripts = "".join(f" 'sha256-{h}'" for h in script_hashes)
    csp = (
        f"default-src 'self'; script-src 'self'{scripts}; "
        f"style-src 'self'{styles}; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )
    return [
        (b"content-security-policy", csp.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
    ]


class RequestLog:
    """One JSON line per request on the ``replog.access`` logger: method, path, status,
    milliseconds and a request id (also sent back as ``X-Request-ID``), and the
    :func:`security_headers` on every response."""

    def __init__(
        self, app: Asgi, enabled: bool = True, headers: list[tuple[bytes, bytes]] | None = None
    ):
        self.app, self.enabled = app, enabled
        self.headers = headers if headers is not None else security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = uuid.uuid4().hex[:16]
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                    *self.headers,
                ]
            elif message["type"] == "websocket.accept":
                status = 101
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if self.enabled and access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "request",
                    extra={
                        "fields": {
                            "request_id": request_id,
                            "method": scope.get("method", "WS"),
                            "path": scope["path"],
                            "status": status or 500,
                            "ms": round((time.perf_counter() - started) * 1000, 2),
                        }
                    },
                )


class JsonFormatter(logging.Formatter):
    """Log records as one JSON object a line: time, level, logger, message, and fields."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        doc.update(getattr(record, "fields", {}))
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """Send RepLog's and uvicorn's logs to stderr as JSON lines (once per process)."""
    root = logging.getLogger("replog")
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for name in ("replog", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
