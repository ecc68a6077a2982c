"""Time-ordered, client-generatable identifiers: UUID version 7 (RFC 9562, section 5.7).

The first 48 bits are the Unix time in milliseconds, so ids sort by creation time and a
phone can create them offline without asking the server. Within one millisecond a
monotonic counter in ``rand_a`` keeps ids from one process strictly increasing.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def new_id(now_ms: int | None = None) -> str:
    """A new UUIDv7 as its canonical 36-character string.

    ``now_ms`` stamps the id with another time (a record imported or generated for the
    past); such ids carry exactly that time, with random bits where the counter would be,
    and leave the monotonic sequence of "now" ids alone.
    """
    global _last_ms, _counter
    if now_ms is not None:
        rand_a = int.from_bytes(os.urandom(2), "big") & 0xFFF
        return _compose(now_ms, rand_a)
    with _lock:
        ms = int(time.time() * 1000)
        if ms <= _last_ms:
            _counter += 1
            if _counter > 0xFFF:  # 4096 ids in one millisecond: borrow the next one
                _last_ms += 1
                _counter = 0
            ms = _last_ms
        else:
            _last_ms = ms
            _counter = 0
        rand_a = _counter
    return _compose(ms, rand_a)


def stable_id(ms: int, key: str) -> str:
    """A UUIDv7 stamped with ``ms`` whose other bits are a hash of ``key``.

    The same record imported twice gets the same id, so the second import finds it and
    adds nothing, and ids still sort by the time of what they name.
    """
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:10], "big")
    return _compose(ms, digest >> 68, digest & ((1 << 62) - 1))


def _compose(ms: int, rand_a: int, rand_b: int | None = None) -> str:
    if rand_b is None:
        rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def id_time_ms(value: str) -> int:
    """The millisecond timestamp inside a UUIDv7."""
    return uuid.UUID(value).int >> 80


def parse_id(value: str, field: str = "id") -> str:
    """Validate a client-supplied id and return it in canonical lower-case form."""
    from replog.core.errors import ValidationError

    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationError(f"expected a UUID, got {value!r}", field=field) from None
