"""What the server is told at start: where the data is and its limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class ApiSettings:
    database_url: str
    max_body_bytes: int = 1 << 20  # JSON bodies: a set is a few hundred bytes
    max_upload_bytes: int = 16 << 20  # sensor recordings: ten minutes at 1 kHz fit easily
    max_video_bytes: int = 1 << 30  # a set's video: io.video.MAX_BYTES, 5 min of 4K
    max_stream_samples: int = 200_000  # one streamed set: over half an hour at 100 Hz
    max_stream_message_bytes: int = 1 << 20
    pool_size: int = 16
    cookie_secure: bool | None = None  # None: secure when the request came over HTTPS
    log_requests: bool = True
    argon2_time_cost: int = 3  # RFC 9106's second recommended option: t=3, 64 MiB
    argon2_memory_kib: int = 65536
    # password hashes at once (each takes argon2_memory_kib and a core): half the cores,
    # so a flood of sign-ins leaves the other half to everyone else
    password_slots: int = max(1, (os.cpu_count() or 2) // 2)
    password_queue: int = 32  # sign-ins waiting for a slot; more are turned away (503)
    max_requests: int = 64  # HTTP requests in progress at once; more get 503 + Retry-After
    statistics_every_s: int = 60  # how often stale planner statistics are refreshed

    @classmethod
    def from_env(cls, database_url: str) -> ApiSettings:
        """Settings from ``REPLOG_*`` variables (``REPLOG_MAX_BODY_BYTES`` and so on)."""

        defaults = {f.name: f.default for f in fields(cls)}

        def number(name: str) -> int:
            raw = os.environ.get(f"REPLOG_{name.upper()}")
            default = defaults[name]
            assert isinstance(default, int)
            return int(raw) if raw else default

        secure = os.environ.get("REPLOG_COOKIE_SECURE")
        return cls(
            database_url=database_url,
            max_body_bytes=number("max_body_bytes"),
            max_upload_bytes=number("max_upload_bytes"),
            max_video_bytes=number("max_video_bytes"),
            max_stream_samples=number("max_stream_samples"),
            max_stream_message_bytes=number("max_stream_message_bytes"),
            pool_size=number("pool_size"),
            password_slots=number("password_slots"),
            password_queue=number("password_queue"),
            max_requests=number("max_requests"),
            statistics_every_s=number("statistics_every_s"),
            cookie_secure=None if not secure else secure.lower() in {"1", "true", "yes"},
            log_requests=os.environ.get("REPLOG_LOG_REQUESTS", "1") != "0",
        )
